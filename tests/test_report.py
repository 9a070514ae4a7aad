from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.report import (
    SCHEMA_VERSION,
    Report,
    Swap,
    _batch_char_span_arrays,
    _span_tuples,
    _signal_columns,
    _signal_rows,
)
from spindetect.report_py import char_span_py, signal_pairs_py
from spindetect.score import SIGNAL_NAMES
from spindetect.tokenize import tokenize


def make_swap(score: float, flagged: bool) -> Swap:
    return Swap("substitution", (0, 4), (0, 4), "nice", "fine", score, flagged)


def test_flagged_keeps_only_flagged_swaps_in_order():
    swaps = (make_swap(0.9, True), make_swap(0.1, False), make_swap(0.7, True))
    report = Report(0.5, swaps, 1.0, 0.5, 10, 10)
    assert report.flagged == (swaps[0], swaps[2])


def test_to_dict_shape():
    report = Report(0.25, (make_swap(0.9, True),), 0.5, 0.5, 20, 10, (((0, 10), (5, 15)),))
    data = report.to_dict()
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["flagged_count"] == 1
    assert data["passages"] == [{"article_span": [0, 10], "reference_span": [5, 15]}]
    assert data["swaps"] == [
        {
            "kind": "substitution",
            "article_span": [0, 4],
            "reference_span": [0, 4],
            "article_text": "nice",
            "reference_text": "fine",
            "score": 0.9,
            "flagged": True,
            "signals": {},
        }
    ]


def test_to_json_keeps_text_readable_and_indents_on_request():
    swap = Swap("substitution", (0, 5), (0, 4), "café", "fine", 0.9, True)
    report = Report(0.25, (swap,), 0.5, 0.5, 20, 10)
    assert '"article_text": "café"' in report.to_json()
    assert report.to_json(indent=2).startswith('{\n  "schema_version": 1,\n')
    assert json.loads(report.to_json(indent=2)) == report.to_dict()


def test_signals_serialise_as_a_mapping():
    swap = Swap("substitution", (0, 4), (0, 4), "nice", "fine", 0.9, True, (("isolation_tokens", 5.0),))
    assert swap.to_dict()["signals"] == {"isolation_tokens": 5.0}


def test_signals_are_a_mapping_in_python_too():
    from spindetect import Signals, compare

    (swap,) = compare("They paid a nice of 500 euros.", "They paid a fine of 500 euros.").swaps
    assert isinstance(swap.signals, Signals)
    assert swap.signals["thesaurus_synonym"] == 1.0
    assert dict(swap.signals) == swap.to_dict()["signals"]
    assert list(swap.signals) == list(swap.to_dict()["signals"])  # the scorer's order
    with pytest.raises(KeyError):
        swap.signals["no_such_signal"]
    with pytest.raises(TypeError):
        swap.signals["thesaurus_synonym"] = 0.0  # read-only


def test_signals_compare_hash_and_pickle_as_values():
    import pickle

    from spindetect import Signals

    pairs = Signals([("a", 1.0), ("b", 2.0)])
    assert pairs == Signals({"b": 2.0, "a": 1.0}) == {"a": 1.0, "b": 2.0}
    assert hash(pairs) == hash(Signals({"b": 2.0, "a": 1.0}))
    assert pairs != Signals([("a", 1.0)]) and pairs != [("a", 1.0), ("b", 2.0)]
    assert pickle.loads(pickle.dumps(pairs)) == pairs
    given_as_pairs = Swap("substitution", (0, 4), (0, 4), "nice", "fine", 0.9, True, (("a", 1.0),))
    assert given_as_pairs == Swap("substitution", (0, 4), (0, 4), "nice", "fine", 0.9, True, {"a": 1.0})
    assert given_as_pairs.signals == {"a": 1.0}


def test_repr_of_a_report_is_one_short_line(seed_spun, seed_reference):
    from spindetect import compare

    report = compare(seed_spun, seed_reference)
    shown = repr(report)
    assert len(shown) < 120 and "\n" not in shown  # it was 16,152 characters
    assert shown == (
        f"<Report score={round(report.score, 3)} coverage={round(report.coverage, 3)} "
        f"threshold=0.5 swaps={len(report.swaps)} flagged={len(report.flagged)} "
        f"passages={len(report.passages)}>"
    )


def test_recurring_swaps_counts_each_rule_once_per_report():
    from spindetect import compare, recurring_swaps
    from spindetect.report import RecurringSwap

    def pair(n: int, article_word: str) -> Report:
        sentence = f"In case {n} the court said a {{}} of 500 euros was paid by the firm."
        return compare(sentence.format(article_word), sentence.format("fine"))

    reports = [pair(1, "nice"), pair(2, "Nice"), pair(3, "penalty"), pair(4, "nice")]
    assert recurring_swaps(reports, flagged_only=False) == [RecurringSwap("fine", "nice", 3)]
    every_rule = recurring_swaps(reports, min_documents=1, flagged_only=False)
    assert every_rule[-1] == RecurringSwap("fine", "penalty", 1)
    assert recurring_swaps([], min_documents=1) == []


def test_recurring_swaps_ranks_flagged_rules_only_by_default():
    # What a user saw: the top "rules" were rewording and alignment noise, not the spinner's.
    from spindetect import compare_many, recurring_swaps
    from spindetect.report import RecurringSwap

    pairs = [(f"In case {n} we said they are paid a nice of 500 euros.",
              f"In case {n} and said they be paid a fine of 500 euros.") for n in range(3)]
    pairs += [(f"Report {n}: the firms are closed and we left.",
               f"Report {n}: the firms be closed and and left.") for n in range(3)]
    reports = compare_many(pairs)
    unflagged = {(swap.reference_text, swap.article_text)
                 for report in reports for swap in report.swaps if not swap.flagged}
    assert {("and", "we"), ("be", "are")} <= unflagged  # the premise: these are not flagged
    assert recurring_swaps(reports) == [RecurringSwap("fine", "nice", 3)]
    # "and and left" / "and we left" is a swap in the second three too (found since issue 17).
    assert recurring_swaps(reports, flagged_only=False)[:2] == [
        RecurringSwap("and", "we", 6), RecurringSwap("be", "are", 6)
    ]


def test_recurring_swaps_checks_its_arguments():
    import pytest

    from spindetect import recurring_swaps

    with pytest.raises(ValueError, match="min_documents must be at least 1"):
        recurring_swaps([], min_documents=0)
    with pytest.raises(TypeError, match=r"reports\[0\] must be a Report"):
        recurring_swaps(["not a report"])  # type: ignore[list-item]


# Report assembly: the batch passes equal their plain versions.
_WORDS = ["the", "fine", "nice", "country", "rustic", "leave", "go", "away", "of", "a",
          "legal", "action", "motion", "we", "can't", "cannot", "paid", "500", "euros", "."]
_texts = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=50).map(" ".join), st.text(max_size=80)
)
_signal_values = st.one_of(
    st.just(float("nan")), st.just(-0.0), st.just(0.0), st.just(1.0),
    st.floats(-50, 50, allow_nan=False), st.sampled_from([0.123449999, 0.00005, 2.5e-5]),
)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 12).flatmap(
    lambda rows: st.lists(
        st.lists(_signal_values, min_size=len(SIGNAL_NAMES), max_size=len(SIGNAL_NAMES)),
        min_size=rows, max_size=rows,
    )
))
def test_signal_rows_equal_the_plain_version(matrix: list[list[float]]):
    signals = np.array(matrix, dtype=np.float64).reshape(-1, len(SIGNAL_NAMES))
    plain = [signal_pairs_py(row) for row in signals.tolist()]
    # _signal_rows, and its column passes alone (which it skips for few rows).
    for fast in (_signal_rows(signals), _signal_columns(signals) if len(signals) else []):
        assert fast == plain
        # Same signs too (-0.0 == 0.0, but JSON tells them apart).
        assert [[math.copysign(1, v) for _, v in row] for row in fast] == [
            [math.copysign(1, v) for _, v in row] for row in plain
        ]


@settings(max_examples=200, deadline=None)
@given(_texts, st.data())
def test_batch_char_spans_of_one_text_equal_char_span_of_each_range(text: str, data: st.DataObject):
    tokens = tokenize(text)
    count = len(tokens)
    bounds = st.integers(0, count)
    ranges = data.draw(st.lists(st.tuples(bounds, bounds).map(sorted).map(tuple), max_size=6))
    if count == 0:
        ranges = [(0, 0)] * len(ranges)
    first = np.array([r[0] for r in ranges], dtype=np.int64)
    last = np.array([r[1] for r in ranges], dtype=np.int64)
    document = np.zeros(len(ranges), dtype=np.int64)
    assert _span_tuples(*_batch_char_span_arrays([tokens], document, first, last)) == [
        char_span_py(tokens, *r) for r in ranges
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(_texts, min_size=1, max_size=4), st.data())
def test_batch_char_spans_equal_char_span_in_each_text(texts: list[str], data: st.DataObject):
    token_lists = [tokenize(text) for text in texts]
    rows = data.draw(st.lists(
        st.integers(0, len(texts) - 1).flatmap(lambda document: st.tuples(
            st.just(document),
            st.tuples(st.integers(0, len(token_lists[document])),
                      st.integers(0, len(token_lists[document]))).map(sorted),
        )),
        max_size=8,
    ))
    document = np.array([row[0] for row in rows], dtype=np.int64)
    first = np.array([row[1][0] for row in rows], dtype=np.int64)
    last = np.array([row[1][1] for row in rows], dtype=np.int64)
    assert _span_tuples(*_batch_char_span_arrays(token_lists, document, first, last)) == [
        char_span_py(token_lists[d], a, b) for d, (a, b) in rows
    ]


# Reports from the pipeline make their Swap objects when their swaps are first read.
LAZY_PAIRS = [
    ("They paid a nice of 500 euros on Monday.", "They paid a fine of 500 euros on Monday."),
    ("Same text here.", "Same text here."),
    ("He had to go away the rustic at once.", "He had to leave the country at once."),
]


def _unread_reports() -> list[Report]:
    from spindetect import compare_many

    return compare_many(LAZY_PAIRS, batch_size=2)


def _built(report: Report) -> bool:
    try:
        object.__getattribute__(report, "swaps")
    except AttributeError:
        return False
    return True


def test_swaps_are_made_once_per_batch_when_first_read(monkeypatch):
    import spindetect.report as report_module

    made = []
    make_swaps = report_module._make_swaps
    monkeypatch.setattr(report_module, "_make_swaps", lambda arrays: made.append(1) or make_swaps(arrays))
    reports = _unread_reports()
    assert [report.score > 0.5 for report in reports] == [True, False, True]
    assert not any(map(_built, reports)) and made == []
    assert [swap.article_text for swap in reports[0].swaps] == ["nice"]
    assert made == [1] and _built(reports[0]) and not _built(reports[1])
    assert reports[1].swaps == () and made == [1]  # the same batch: made already
    assert reports[2].flagged and made == [1, 1]  # the next batch
    assert reports[0].swaps is reports[0].swaps


def test_unread_reports_compare_print_and_pickle_as_read_ones():
    import pickle

    from spindetect import compare

    expected = [compare(article, reference) for article, reference in LAZY_PAIRS]
    for unread_of in (repr, hash, pickle.dumps, Report.to_json):
        assert [unread_of(report) for report in _unread_reports()] == list(map(unread_of, expected))
    unpickled = pickle.loads(pickle.dumps(_unread_reports()))
    assert unpickled == expected and all(map(_built, unpickled))
    assert _unread_reports() == expected
    assert _unread_reports()[2].to_dict() == expected[2].to_dict()
