"""End to end on the seed articles: real spinner output against a human article."""

from __future__ import annotations

from spindetect import compare


def pairs(report) -> set[tuple[str, str]]:
    return {(swap.reference_text, swap.article_text) for swap in report.swaps}


def test_spun_seed_against_a_translation_of_the_same_statement(seed_spun, seed_reference):
    report = compare(seed_spun, seed_reference)
    found = pairs(report)
    assert ("leave", "go away") in found
    assert ("country", "rustic") in found
    assert ("right", "proper") in found
    assert ("ready", "willing") in found
    for swap in report.swaps:
        assert seed_spun[slice(*swap.article_span)] == swap.article_text
        assert seed_reference[slice(*swap.reference_span)] == swap.reference_text


def test_seed_against_itself_is_clean(seed_spun):
    report = compare(seed_spun, seed_spun)
    assert report.swaps == () and report.score == 0.0 and report.coverage == 1.0
