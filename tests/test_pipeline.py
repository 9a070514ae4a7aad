from __future__ import annotations

import inspect
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spindetect
from spindetect import compare, compare_many, score_many
from spindetect.pipeline import iter_compare, iter_scores

ARTICLE = (
    "One of the charges carries a maximum penalty of ten years in prison and a nice of "
    "500,000 euros if someone is found guilty after a trial, prosecutors said last week."
)
REFERENCE = (
    "One of the charges carries a maximum penalty of ten years in prison and a fine of "
    "500,000 euros if someone is found guilty after a trial, prosecutors said last week."
)


def test_compare_finds_and_locates_the_swap():
    report = compare(ARTICLE, REFERENCE)
    (swap,) = report.swaps
    assert swap.kind == "substitution"
    assert (swap.article_text, swap.reference_text) == ("nice", "fine")
    assert ARTICLE[slice(*swap.article_span)] == "nice"
    assert REFERENCE[slice(*swap.reference_span)] == "fine"
    assert report.coverage == 1.0
    assert 0.0 <= swap.score <= 1.0
    assert swap.flagged == (swap.score >= report.threshold)


def test_identical_texts_have_no_swaps_and_score_zero():
    report = compare(ARTICLE, ARTICLE)
    assert report.swaps == () and report.score == 0.0 and report.coverage == 1.0


@pytest.mark.parametrize(("article", "reference"), [("", ""), ("", REFERENCE), (ARTICLE, ""), ("  \n", " ")])
def test_empty_texts_give_an_empty_report(article: str, reference: str):
    report = compare(article, reference)
    assert report.score == 0.0 and report.swaps == () and report.coverage == 0.0


def test_threshold_sets_flagged():
    everything = compare(ARTICLE, REFERENCE, threshold=0.0)
    nothing = compare(ARTICLE, REFERENCE, threshold=1.0)
    assert everything.flagged == everything.swaps and len(everything.flagged) == 1
    assert everything.score > 0.0
    assert nothing.swaps[0].score < 1.0 and nothing.flagged == ()
    # The document score weighs every swap's evidence, whatever is flagged.
    assert nothing.score == everything.score


def test_a_pair_gets_the_same_report_however_often_and_wherever_it_is_compared():
    reports = compare_many([(ARTICLE, REFERENCE), (REFERENCE, ARTICLE), (ARTICLE, REFERENCE)])
    assert reports[0] == reports[2] == compare(ARTICLE, REFERENCE)
    assert reports[1] != reports[0]
    # Reports are values: repeated pairs collapse in a set.
    assert len(set(reports)) == 2


def test_to_dict_is_json_and_round_trips_the_fields():
    report = compare(ARTICLE, REFERENCE)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["score"] == report.score
    assert data["swaps"][0]["article_text"] == "nice"
    assert data["swaps"][0]["article_span"] == list(report.swaps[0].article_span)
    assert json.loads(report.to_json()) == data


def test_compare_many_equals_compare_each():
    pairs = [(ARTICLE, REFERENCE), (REFERENCE, REFERENCE), ("", "x")]
    assert compare_many(pairs) == [compare(a, r) for a, r in pairs]
    assert compare_many(iter(pairs)) == compare_many(pairs)


@pytest.mark.parametrize("bad", [None, 3, ["text"]])
def test_non_str_article_raises_type_error_naming_it(bad: object):
    with pytest.raises(TypeError, match="article must be str"):
        compare(bad, REFERENCE)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="reference must be str"):
        compare(ARTICLE, bad)  # type: ignore[arg-type]


def test_bytes_say_to_decode_first():
    with pytest.raises(TypeError, match="decode it first"):
        compare(ARTICLE.encode(), REFERENCE)  # type: ignore[arg-type]


def test_a_lone_surrogate_is_refused_where_it_is_given_not_when_the_report_is_written():
    # A bad decode (``surrogateescape``) leaves one; no JSON or HTML of it could be UTF-8.
    with pytest.raises(ValueError, match=r"^article holds a lone surrogate \(U\+D800 at 4\)"):
        compare("a ni\ud800ce of 500", REFERENCE)
    with pytest.raises(ValueError, match=r"^pairs\[1\]\[1\] \(reference\) holds a lone surrogate"):
        compare_many([(ARTICLE, REFERENCE), (ARTICLE, "x\udfff")])
    with pytest.raises(ValueError, match=r"^text holds a lone surrogate \(U\+DFFF at 0\)"):
        spindetect.screen("\udfff fine")
    # A surrogate pair written as one character is an ordinary character.
    assert compare("a fine 😀 of 500", "a fine 😀 of 500").coverage == 1.0


@pytest.mark.parametrize("threshold", [-0.1, 1.5, float("nan")])
def test_threshold_out_of_range(threshold: float):
    with pytest.raises(ValueError, match="threshold must be in"):
        compare(ARTICLE, REFERENCE, threshold=threshold)


def test_threshold_of_wrong_type():
    with pytest.raises(TypeError, match="threshold must be a number"):
        compare(ARTICLE, REFERENCE, threshold="0.5")  # type: ignore[arg-type]


def test_compare_many_names_the_bad_pair():
    with pytest.raises(TypeError, match=r"pairs\[1\]\[0\] \(article\) must be str"):
        compare_many([(ARTICLE, REFERENCE), (b"x", REFERENCE)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"pairs\[0\] must be a pair of str \(article, reference\), got str"):
        compare_many([ARTICLE])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"pairs\[0\] must be a pair .*, got list of length 3"):
        compare_many([[ARTICLE, REFERENCE, REFERENCE]])
    with pytest.raises(TypeError, match="got a string"):
        compare_many("text")  # type: ignore[arg-type]


def test_public_api_is_exactly_all():
    public = {
        name
        for name in dir(spindetect)
        if not name.startswith("_") and not inspect.ismodule(getattr(spindetect, name))
    }
    assert public == set(spindetect.__all__)
    assert spindetect.__all__ == sorted(spindetect.__all__)


# The batch core: compare_many and iter_compare give compare's report for every pair.
_WORDS = ["the", "fine", "nice", "country", "rustic", "leave", "go", "away", "of", "a",
          "legal", "action", "motion", "we", "can't", "cannot", "paid", "500", "euros", "."]
_texts = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=50).map(" ".join), st.text(max_size=80)
)


def _spun_pairs(text: str) -> list[tuple[str, str]]:
    words = text.split()
    return [(" ".join(words[:i] + ["nice"] + words[i + 1 :]), text) for i in range(len(words))]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_texts, _texts), max_size=8), st.integers(1, 5))
def test_compare_many_equals_compare_for_any_batch_size(
    pairs: list[tuple[str, str]], batch_size: int
):
    assert compare_many(pairs, batch_size=batch_size) == [compare(a, r) for a, r in pairs]


def test_batches_of_spun_pairs_equal_compare(seed_spun: str, seed_reference: str):
    pairs = _spun_pairs(ARTICLE) + [(seed_spun, seed_reference), (REFERENCE, seed_spun)]
    expected = [compare(a, r) for a, r in pairs]
    assert sum(len(report.swaps) for report in expected) > len(pairs)
    for batch_size in (1, 3, len(pairs)):
        assert list(iter_compare(pairs, batch_size=batch_size)) == expected


def test_threshold_applies_to_every_pair_of_a_batch():
    reports = compare_many([(ARTICLE, REFERENCE)] * 3, threshold=0.0, batch_size=2)
    assert [len(report.flagged) for report in reports] == [1, 1, 1]


def _first_batch_read(stream, count: int, **options) -> int:
    """How many of ``count`` copies of (ARTICLE, REFERENCE) ``stream`` reads before its
    first result, after checking that result and that the rest come, reading all."""
    read = 0

    def pairs():
        nonlocal read
        for _ in range(count):
            read += 1
            yield ARTICLE, REFERENCE

    results = stream(pairs(), **options)
    assert read == 0
    first = next(results)
    first_read = read
    expected = compare(ARTICLE, REFERENCE)
    assert first == (expected if stream is iter_compare else expected.score)
    assert len(list(results)) == count - 1 and read == count
    return first_read


@pytest.mark.parametrize("stream", [iter_compare, iter_scores])
def test_streams_read_pairs_one_batch_at_a_time(stream):
    assert _first_batch_read(stream, 10, batch_size=4) == 4


@pytest.mark.parametrize("stream", [iter_compare, iter_scores])
def test_a_batch_closes_once_its_texts_reach_the_character_budget(
    stream, monkeypatch: pytest.MonkeyPatch
):
    # Each pair holds len(ARTICLE) + len(REFERENCE) characters: with a budget of two pairs'
    # worth, batches of at most 1,024 pairs read two pairs at a time.
    monkeypatch.setattr(spindetect.pipeline, "BATCH_CHARACTERS", 2 * (len(ARTICLE) + len(REFERENCE)))
    assert _first_batch_read(stream, 5) == 2


def test_batches_count_and_size():
    from spindetect.pipeline import BATCH_CHARACTERS, batches

    assert [len(b) for b in batches(iter(range(5)), 2, lambda item: 1)] == [2, 2, 1]
    # A text over the budget is a batch alone; the budget counts every item's characters.
    texts = ["a" * (BATCH_CHARACTERS // 2), "b" * BATCH_CHARACTERS, "c", "d" * (BATCH_CHARACTERS - 1), "e"]
    assert [[t[0] for t in b] for b in batches(iter(texts), 1024, len)] == [["a", "b"], ["c", "d"], ["e"]]
    assert list(batches(iter([]), 4, len)) == []


def test_a_stream_gives_the_results_read_before_a_bad_pair_then_raises():
    # The bad pair sits in the first batch: the two pairs before it are still reported.
    reports = iter_compare([(ARTICLE, REFERENCE), (ARTICLE, REFERENCE), (ARTICLE, 3)])
    assert [next(reports), next(reports)] == [compare(ARTICLE, REFERENCE)] * 2
    with pytest.raises(TypeError, match=r"pairs\[2\]"):
        next(reports)
    screenings = spindetect.iter_screen(["huge information", None])
    assert next(screenings).findings
    with pytest.raises(TypeError, match=r"texts\[1\] must be str"):
        next(screenings)


def test_iter_compare_checks_arguments_before_reading():
    with pytest.raises(ValueError, match="threshold must be in"):
        iter_compare([], threshold=2.0)
    with pytest.raises(TypeError, match="got a string"):
        iter_compare("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="pairs must be an iterable"):
        iter_compare(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("batch_size", "error", "message"),
    [(0, ValueError, "batch_size must be at least 1, got 0"),
     (-3, ValueError, "batch_size must be at least 1"),
     (2.0, TypeError, "batch_size must be an int, got float"),
     (True, TypeError, "batch_size must be an int, got bool")],
)
def test_bad_batch_size_raises_naming_it(batch_size: object, error: type, message: str):
    with pytest.raises(error, match=message):
        compare_many([(ARTICLE, REFERENCE)], batch_size=batch_size)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        iter_compare([(ARTICLE, REFERENCE)], batch_size=batch_size)  # type: ignore[arg-type]


def test_bad_pair_in_a_later_batch_is_named_by_its_position():
    pairs = [(ARTICLE, REFERENCE)] * 5 + [(ARTICLE, None)]
    reports = iter_compare(pairs, batch_size=2)
    assert len([next(reports) for _ in range(4)]) == 4
    with pytest.raises(TypeError, match=r"pairs\[5\]\[1\] \(reference\) must be str"):
        list(reports)


# The score-only path: the same document scores, no reports.
_score_pairs = st.lists(
    st.one_of(
        st.tuples(_texts, _texts),
        _texts.map(lambda text: (text, text)),  # a copy: no swaps
        st.sampled_from([("", ""), ("", ARTICLE), (ARTICLE, ""), (" \n", "\t")]),
        st.sampled_from(_WORDS).map(lambda word: (ARTICLE.replace("nice", word), REFERENCE)),
    ),
    max_size=10,
)


@settings(max_examples=80, deadline=None)
@given(_score_pairs, st.integers(1, 6))
def test_score_many_equals_the_reports_scores(pairs: list[tuple[str, str]], batch_size: int):
    scores = score_many(pairs, batch_size=batch_size)
    assert scores.dtype == np.float64 and scores.shape == (len(pairs),)
    expected = [report.score for report in compare_many(pairs, batch_size=batch_size)]
    assert scores.tolist() == expected  # exactly, not approximately
    assert list(iter_scores(pairs, batch_size=batch_size)) == expected


def test_score_many_of_spun_seed_pairs_equals_their_reports(seed_spun: str, seed_reference: str):
    pairs = _spun_pairs(ARTICLE) + [(seed_spun, seed_reference), (seed_reference, seed_spun),
                                    (seed_reference, seed_reference), ("", seed_reference)]
    expected = [report.score for report in compare_many(pairs)]
    assert max(expected) > 0.5 and expected[-2:] == [0.0, 0.0]
    for batch_size in (1, 4, len(pairs)):
        assert score_many(pairs, batch_size=batch_size).tolist() == expected


def test_score_many_builds_no_reports(monkeypatch: pytest.MonkeyPatch):
    def no_reports(*args: object, **kwargs: object) -> None:
        raise AssertionError("score_many built a report")

    monkeypatch.setattr("spindetect.pipeline.assemble_reports", no_reports)
    monkeypatch.setattr("spindetect.score._signals", no_reports)
    assert score_many([(ARTICLE, REFERENCE)])[0] > 0.0
    assert score_many([]).tolist() == []


def test_score_many_checks_arguments_as_compare_many_does():
    with pytest.raises(TypeError, match=r"pairs\[1\]\[0\] \(article\) must be str"):
        score_many([(ARTICLE, REFERENCE), (b"x", REFERENCE)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"pairs\[0\] must be a pair .*, got list of length 3"):
        score_many([[ARTICLE, REFERENCE, REFERENCE]])
    with pytest.raises(TypeError, match="got a string"):
        score_many("text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="threshold must be in"):
        score_many([], threshold=2.0)
    with pytest.raises(ValueError, match="batch_size must be at least 1, got 0"):
        score_many([], batch_size=0)
    with pytest.raises(TypeError, match="batch_size must be an int, got bool"):
        iter_scores([], batch_size=True)  # type: ignore[arg-type]
    rows = np.array([[ARTICLE, REFERENCE]])
    assert score_many(rows).tolist() == [compare(ARTICLE, REFERENCE).score]


def test_disguised_copy_is_found_and_raises_the_score():
    disguised = REFERENCE.replace("penalty", "p\u0435nalty").replace("prosecutors", "prose\u200bcutors")
    report = compare(disguised, REFERENCE)
    assert [(swap.kind, swap.article_text) for swap in report.swaps] == [
        ("homoglyph", "p\u0435nalty"),
        ("invisible", "prose\u200bcutors"),
    ]
    assert report.coverage == 1.0
    assert all(swap.flagged for swap in report.swaps)
    assert report.score > compare(REFERENCE, REFERENCE).score


def test_a_character_normalised_to_an_apostrophe_and_a_letter_passes_every_entry_point():
    # U+0149 "ŉ" is "ʼn" under NFKC; it made tokenization recurse without end.
    report = compare("\u0149", "x")
    # One token each: aligned as one swap since issue 17 (Moby lists "x" beside "n"), and a
    # weak one.
    assert (report.article_tokens, report.flagged) == (1, ())
    assert all("\u0149"[slice(*swap.article_span)] == swap.article_text for swap in report.swaps)
    assert compare("a \u0149 b", "a n b").coverage == 1.0
    assert 0.0 <= spindetect.score_substitution("\u0149", "x") <= 1.0
