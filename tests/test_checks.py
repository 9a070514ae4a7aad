"""The shared argument checks (spindetect._checks), and that every public entry point uses them."""

from __future__ import annotations

import numpy as np
import pytest

import spindetect
from spindetect import ReferenceIndex, compare, compare_many, scan
from spindetect._checks import (
    check_fraction,
    check_iterable,
    check_pair,
    check_positive_int,
    check_text,
)

ARTICLE = "The court imposed a nice of 500,000 euros on the company on Monday."
REFERENCE = "The court imposed a fine of 500,000 euros on the company on Monday."


class Tagged(str):
    def __str__(self) -> str:
        return "something else"


def test_check_text_gives_a_plain_str_with_the_same_characters():
    checked = check_text(Tagged("fine"), "article")
    assert type(checked) is str and checked == "fine"
    assert type(check_text(np.str_("fine"), "article")) is str


@pytest.mark.parametrize(
    "value, message",
    [
        (b"fine", r"^article must be str, got bytes; decode it first \(for example article.decode\('utf-8'\)\)$"),
        (bytearray(b"x"), r"^article must be str, got bytearray; decode it first"),
        (None, r"^article must be str, got NoneType$"),
    ],
)
def test_check_text_names_the_argument(value, message):
    with pytest.raises(TypeError, match=message):
        check_text(value, "article")


@pytest.mark.parametrize("value", [0, 1, 0.25, np.float32(0.5), np.int64(1)])
def test_check_fraction_takes_numbers_in_the_unit_interval(value):
    assert check_fraction(value, "threshold") == float(value)
    assert type(check_fraction(value, "threshold")) is float


@pytest.mark.parametrize(
    "value, error, message",
    [
        (True, TypeError, r"^threshold must be a number, got bool$"),
        ("0.5", TypeError, r"^threshold must be a number, got str$"),
        (-0.1, ValueError, r"^threshold must be in \[0, 1\], got -0.1$"),
        (float("nan"), ValueError, r"^threshold must be in \[0, 1\], got nan$"),
        (1.5, ValueError, r"^threshold must be in \[0, 1\], got 1.5$"),
    ],
)
def test_check_fraction_rejects(value, error, message):
    with pytest.raises(error, match=message):
        check_fraction(value, "threshold")


def test_check_positive_int_takes_numpy_integers():
    assert check_positive_int(np.int32(3), "k") == 3
    assert type(check_positive_int(np.int32(3), "k")) is int


@pytest.mark.parametrize(
    "value, error, message",
    [
        (True, TypeError, r"^k must be an int, got bool$"),
        (2.0, TypeError, r"^k must be an int, got float$"),
        (0, ValueError, r"^k must be at least 1, got 0$"),
        (-3, ValueError, r"^k must be at least 1, got -3$"),
    ],
)
def test_check_positive_int_rejects(value, error, message):
    with pytest.raises(error, match=message):
        check_positive_int(value, "k")


@pytest.mark.parametrize("value", ["text", b"text", 3, None])
def test_check_iterable_rejects_strings_and_non_iterables(value):
    with pytest.raises(TypeError, match=r"^pairs must be an iterable of \(a, b\) pairs, got "):
        check_iterable(value, "pairs", "(a, b) pairs")


@pytest.mark.parametrize(
    "pair",
    [("a", "b"), ["a", "b"], np.array(["a", "b"]), np.array([["a", "b"]])[0]],
    ids=["tuple", "list", "numpy array", "numpy row"],
)
def test_check_pair_takes_any_sequence_of_two_str(pair):
    checked = check_pair(pair, "pairs[0]", "article", "reference")
    assert checked == ("a", "b")
    assert type(checked) is tuple and all(type(text) is str for text in checked)


@pytest.mark.parametrize(
    "pair, message",
    [
        ("ab", r"^pairs\[0\] must be a pair of str \(article, reference\), got str$"),
        ({"a": "b"}, r"^pairs\[0\] must be a pair of str \(article, reference\), got dict$"),
        (["a"], r"^pairs\[0\] must be a pair .*, got list of length 1$"),
        (("a", "b", "c"), r"^pairs\[0\] must be a pair .*, got tuple of length 3$"),
        (np.array([["a", "b"], ["c", "d"]]), r"^pairs\[0\] must be a pair .*, got an ndarray of shape \(2, 2\)$"),
        (np.array("a"), r"^pairs\[0\] must be a pair .*, got an ndarray of shape \(\)$"),
        (("a", 1), r"^pairs\[0\]\[1\] \(reference\) must be str, got int$"),
        ((b"a", "b"), r"^pairs\[0\]\[0\] \(article\) must be str, got bytes; decode it first"),
    ],
)
def test_check_pair_names_what_is_wrong(pair, message):
    with pytest.raises(TypeError, match=message):
        check_pair(pair, "pairs[0]", "article", "reference")


# Issue 20, item 8: compare_many rejected lists and NumPy rows ("pairs[0] must be an (article,
# reference) tuple, got list"). Every entry point that takes pairs accepts them now.
def test_compare_many_takes_lists_and_numpy_rows_as_pairs():
    expected = compare(ARTICLE, REFERENCE)
    assert compare_many([[ARTICLE, REFERENCE]]) == [expected]
    assert compare_many(np.array([[ARTICLE, REFERENCE], [ARTICLE, REFERENCE]])) == [expected] * 2


def test_index_and_scan_take_lists_as_pairs():
    index = ReferenceIndex([["court", REFERENCE]])
    assert index.text("court") == REFERENCE
    (result,) = scan([["a1", ARTICLE]], index)
    assert result.reference_id == "court"
    assert result.report == compare(ARTICLE, REFERENCE)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: spindetect.screen("a nice of 500", rules=None), r"^rules must be an iterable of RecurringSwap"),
        (lambda: spindetect.recurring_swaps(None), r"^reports must be an iterable of Report objects, got NoneType$"),
        (lambda: spindetect.ReferenceIndex.load(None), r"^path must be a str or os.PathLike, got NoneType$"),
        (lambda: spindetect.ReferenceIndex().save(3), r"^path must be a str or os.PathLike, got int$"),
    ],
)
def test_public_calls_name_the_argument_they_cannot_take(call, message):
    with pytest.raises(TypeError, match=message):
        call()
