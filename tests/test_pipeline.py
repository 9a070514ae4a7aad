from __future__ import annotations

import json

import pytest

import spindetect
from spindetect import Report, Swap, compare, compare_many

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
    assert nothing.swaps[0].score < 1.0 and nothing.flagged == () and nothing.score == 0.0


def test_report_and_swap_are_frozen():
    report = compare(ARTICLE, REFERENCE)
    with pytest.raises(AttributeError):
        report.score = 1.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        report.swaps[0].score = 1.0  # type: ignore[misc]
    assert isinstance(report, Report) and isinstance(report.swaps[0], Swap)


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
    with pytest.raises(TypeError, match=r"pairs\[0\] must be an \(article, reference\) tuple"):
        compare_many([ARTICLE])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="got a string"):
        compare_many("text")  # type: ignore[arg-type]


def test_public_api_is_exactly_all():
    public = {name for name in dir(spindetect) if not name.startswith("_")}
    modules = {"align", "cli", "extract", "pipeline", "report", "score", "tokenize", "lexicon"}
    assert public - modules == set(spindetect.__all__)
    assert spindetect.__all__ == sorted(spindetect.__all__)
