"""String the stages together: compare one article with a reference, or many pairs.

This is the public boundary: arguments are checked here, once, and the stages below trust
their types.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .align import align, token_ids
from .extract import extract_edits
from .report import Report, Swap
from .score import DEFAULT_THRESHOLD, document_score, edit_scores
from .tokenize import Tokens, tokenize

__all__ = ["compare", "compare_many"]


def check_text(value: object, name: str) -> str:
    """``value`` if it is a str, else a TypeError that names the argument."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{name} must be str, got {type(value).__name__}; decode it first "
            f"(for example {name}.decode('utf-8'))"
        )
    raise TypeError(f"{name} must be str, got {type(value).__name__}")


def check_threshold(threshold: object) -> float:
    """``threshold`` as a float in [0, 1], else a TypeError or ValueError naming it."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise TypeError(f"threshold must be a number, got {type(threshold).__name__}")
    if not (0.0 <= threshold <= 1.0) or math.isnan(threshold):
        raise ValueError(f"threshold must be in [0, 1], got {threshold!r}")
    return float(threshold)


def compare(article: str, reference: str, *, threshold: float = DEFAULT_THRESHOLD) -> Report:
    """Align ``article`` with ``reference`` and score every swap found.

    ``threshold`` (default ``DEFAULT_THRESHOLD``, 0.5) sets which swaps are flagged; the
    document score is computed from the flagged swaps. Empty texts give a report with score
    0 and no swaps.

    >>> report = compare("He paid a nice of 500 euros.", "He paid a fine of 500 euros.")
    >>> [(swap.reference_text, swap.article_text) for swap in report.swaps]
    [('fine', 'nice')]
    >>> compare("Same text here.", "Same text here.").score
    0.0
    """
    check_text(article, "article")
    check_text(reference, "reference")
    cutoff = check_threshold(threshold)
    return _compare_tokens(tokenize(article), tokenize(reference), cutoff)


def compare_many(
    pairs: Iterable[tuple[str, str]], *, threshold: float = DEFAULT_THRESHOLD
) -> list[Report]:
    """``compare(article, reference)`` for each ``(article, reference)`` pair, in order.

    >>> [report.score for report in compare_many([("a b c d", "a b c d")])]
    [0.0]
    """
    cutoff = check_threshold(threshold)
    if isinstance(pairs, (str, bytes)):
        raise TypeError("pairs must be an iterable of (article, reference) tuples, got a string")
    reports = []
    for number, pair in enumerate(pairs):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(
                f"pairs[{number}] must be an (article, reference) tuple, "
                f"got {type(pair).__name__}"
            )
        article = check_text(pair[0], f"pairs[{number}][0] (article)")
        reference = check_text(pair[1], f"pairs[{number}][1] (reference)")
        reports.append(_compare_tokens(tokenize(article), tokenize(reference), cutoff))
    return reports


def _compare_tokens(article: Tokens, reference: Tokens, threshold: float) -> Report:
    article_ids, reference_ids = token_ids(article.norms, reference.norms)
    alignment = align(article_ids, reference_ids)
    extraction = extract_edits(alignment, article.norms, reference.norms)
    scores = edit_scores(extraction.edits, article.norms, reference.norms)
    flags = scores >= threshold
    swaps = tuple(
        _make_swap(edit.kind, edit.article_tokens, edit.reference_tokens, article, reference,
                   float(score), bool(flag))
        for edit, score, flag in zip(extraction.edits, scores.tolist(), flags.tolist())
    )
    article_count = len(article)
    return Report(
        score=document_score(int(np.count_nonzero(flags)), extraction.aligned_tokens),
        swaps=swaps,
        coverage=extraction.aligned_tokens / article_count if article_count else 0.0,
        threshold=threshold,
        article_tokens=article_count,
        aligned_tokens=extraction.aligned_tokens,
        passages=tuple(
            (
                _char_span(article, *passage.article_range),
                _char_span(reference, *passage.reference_range),
            )
            for passage in extraction.passages
        ),
    )


def _char_span(tokens: Tokens, first: int, last: int) -> tuple[int, int]:
    """Character span of tokens [first, last); an empty range sits after token first - 1."""
    if first < last:
        return int(tokens.starts[first]), int(tokens.ends[last - 1])
    position = int(tokens.ends[first - 1]) if first > 0 else 0
    return position, position


def _make_swap(
    kind: str,
    article_range: tuple[int, int],
    reference_range: tuple[int, int],
    article: Tokens,
    reference: Tokens,
    score: float,
    flagged: bool,
) -> Swap:
    a_start, a_end = _char_span(article, *article_range)
    r_start, r_end = _char_span(reference, *reference_range)
    return Swap(
        kind=kind,
        article_span=(a_start, a_end),
        reference_span=(r_start, r_end),
        article_text=article.text[a_start:a_end],
        reference_text=reference.text[r_start:r_end],
        score=score,
        flagged=flagged,
    )
