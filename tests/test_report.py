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
