from __future__ import annotations

from spindetect.report import SCHEMA_VERSION, Report, Swap


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


def test_results_are_hashable_values():
    assert make_swap(0.9, True) == make_swap(0.9, True)
    assert len({make_swap(0.9, True), make_swap(0.9, True)}) == 1


def test_signals_serialise_as_a_mapping():
    swap = Swap("substitution", (0, 4), (0, 4), "nice", "fine", 0.9, True, (("isolation_tokens", 5.0),))
    assert swap.to_dict()["signals"] == {"isolation_tokens": 5.0}


def test_recurring_swaps_counts_each_rule_once_per_report():
    from spindetect import compare, recurring_swaps
    from spindetect.report import RecurringSwap

    def pair(n: int, article_word: str) -> Report:
        sentence = f"In case {n} the court said a {{}} of 500 euros was paid by the firm."
        return compare(sentence.format(article_word), sentence.format("fine"))

    reports = [pair(1, "nice"), pair(2, "Nice"), pair(3, "penalty"), pair(4, "nice")]
    assert recurring_swaps(reports) == [RecurringSwap("fine", "nice", 3)]
    assert recurring_swaps(reports, min_documents=1)[-1] == RecurringSwap("fine", "penalty", 1)
    assert recurring_swaps([], min_documents=1) == []


def test_recurring_swaps_checks_its_arguments():
    import pytest

    from spindetect import recurring_swaps

    with pytest.raises(ValueError, match="min_documents must be at least 1"):
        recurring_swaps([], min_documents=0)
    with pytest.raises(TypeError, match=r"reports\[0\] must be a Report"):
        recurring_swaps(["not a report"])  # type: ignore[list-item]
