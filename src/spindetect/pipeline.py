"""String the stages together: compare one article with a reference, or many pairs, or
score many pairs without building their reports.

This is the public boundary: arguments are checked here, once, and the stages below trust
their types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

import numpy as np

from ._checks import check_batch_size, check_iterable, check_pair, check_text, check_threshold
from .align import align_batch
from .extract import extract_edits_batch, with_evasions
from .report import Report, assemble_reports
from .score import DEFAULT_THRESHOLD, DocumentSwaps, document_scores, score_edits
from .tokenize import tokenize_batch

__all__ = [
    "BATCH_CHARACTERS",
    "DEFAULT_BATCH_SIZE",
    "batch_documents",
    "batches",
    "compare_batch",
    "pair_batches",
    "score_batch",
    "compare",
    "compare_many",
    "iter_compare",
    "iter_scores",
    "score_many",
]

# The most pairs (or texts, for screening) processed together by default. Per-batch work
# (one vocabulary, one pass of each stage) is spread over them: sentence pairs ran 1.5-2x
# faster in batches of 1,024 than of 64, articles the same (benchmarks/test_bench_pipeline.py).
DEFAULT_BATCH_SIZE = 1024
# A batch also closes once its texts hold this many characters, whatever ``batch_size``
# says, so memory stays bounded by the text (a comparison holds about 55 bytes per character
# of its two texts: some 60 MB) and not by the count: 1,024 articles of 10 KB would be 1 GB.
BATCH_CHARACTERS = 2**20

_Item = TypeVar("_Item")


def batches(
    items: Iterator[_Item], batch_size: int, characters: Callable[[_Item], int]
) -> Iterator[list[_Item]]:
    """Consecutive ``items`` in lists: each list closes at ``batch_size`` items or once the
    ``characters`` of its items add up to ``BATCH_CHARACTERS`` (an item longer than that is a
    batch alone). Items are read one at a time. Where reading one raises (a bad pair, a file
    that fails), the items read before it come out first as a batch of their own, then the
    error: a stream gives every result it can before it stops.

    >>> [len(batch) for batch in batches(iter(["ab", "cd", "ef"]), 2, len)]
    [2, 1]
    >>> [len(batch) for batch in batches(iter(["x" * BATCH_CHARACTERS, "y"]), 1024, len)]
    [1, 1]
    """
    batch: list[_Item] = []
    held = 0
    while True:
        try:
            item = next(items)
        except StopIteration:
            break
        except Exception:
            if batch:
                yield batch
            raise
        batch.append(item)
        held += characters(item)
        if len(batch) >= batch_size or held >= BATCH_CHARACTERS:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def pair_batches(
    pairs: Iterator[tuple[str, str]], batch_size: int
) -> Iterator[list[tuple[str, str]]]:
    """``batches`` of ``(article, reference)`` pairs, counting both texts' characters: the
    batches ``compare_many``, ``score_many`` and their streams run each stage over."""
    return batches(pairs, batch_size, _pair_characters)


def _pair_characters(pair: tuple[str, str]) -> int:
    return len(pair[0]) + len(pair[1])


def compare(article: str, reference: str, *, threshold: float = DEFAULT_THRESHOLD) -> Report:
    """Align ``article`` with ``reference`` and score every swap found.

    ``threshold`` (default ``DEFAULT_THRESHOLD``, 0.5) sets which swaps are flagged. The
    document score is the calibrated probability that the article is spun, from all its
    swaps' evidence and its shape; it does not depend on ``threshold``. Empty texts give a
    report with score 0 and no swaps.

    >>> report = compare("He paid a nice of 500 euros.", "He paid a fine of 500 euros.")
    >>> [(swap.reference_text, swap.article_text) for swap in report.swaps]
    [('fine', 'nice')]
    >>> compare("Same text here.", "Same text here.").score
    0.0
    """
    pair = check_text(article, "article"), check_text(reference, "reference")
    cutoff = check_threshold(threshold)
    (report,) = compare_batch([pair], cutoff)
    return report


def compare_many(
    pairs: Iterable[Sequence[str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> list[Report]:
    """``compare(article, reference)`` for each ``(article, reference)`` pair, in order.

    A pair is any sequence of two str: a tuple, a list, a NumPy row. Pairs are processed
    ``batch_size`` at a time at most (see ``iter_compare``); the reports are the same as
    ``compare`` gives for each pair, whatever the batches.

    >>> reports = compare_many([("a b c d", "a b c d"), ["a b", "a c"]])
    >>> [round(report.score, 2) for report in reports]
    [0.0, 0.01]
    """
    return list(iter_compare(pairs, threshold=threshold, batch_size=batch_size))


def iter_compare(
    pairs: Iterable[Sequence[str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[Report]:
    """Reports for ``(article, reference)`` pairs as they are read, in batches.

    A streaming ``compare_many``: ``pairs`` is read lazily, one batch at a time, so memory
    stays bounded by the batch however many pairs there are. A batch holds ``batch_size``
    pairs (default ``DEFAULT_BATCH_SIZE``, 1,024) or fewer: it closes once its texts hold
    ``BATCH_CHARACTERS`` (1 MiB), so a batch of long articles stays some 60 MB in memory.
    Each batch shares one token vocabulary and one scoring pass. Bad arguments raise at
    once; a bad pair raises when its batch is read.

    >>> pair = ("He paid a nice of 500 euros.", "He paid a fine of 500 euros.")
    >>> reports = iter_compare(iter([pair] * 3), batch_size=2)
    >>> [report.swaps[0].article_text for report in reports]
    ['nice', 'nice', 'nice']
    """
    cutoff = check_threshold(threshold)
    size = check_batch_size(batch_size)
    return _iter_batches(_checked_pairs(pairs), cutoff, size)


def score_many(
    pairs: Iterable[Sequence[str]],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threshold: float = DEFAULT_THRESHOLD,
) -> np.ndarray:
    """The document spin score of each ``(article, reference)`` pair, as float64, in order.

    Each score equals ``compare_many``'s ``report.score`` for the pair, but no report is
    built: no ``Swap`` objects, spans or signals, only what the document score is computed
    from. For jobs that want one number per article. Pairs are read and checked as
    ``compare_many`` reads them, ``batch_size`` at a time; ``threshold`` is checked the same
    way, and the document score does not depend on it.

    >>> pairs = [("He paid a nice of 500 euros.", "He paid a fine of 500 euros."), ("a b", "a b")]
    >>> scores = score_many(pairs)
    >>> scores.dtype, scores.tolist() == [report.score for report in compare_many(pairs)]
    (dtype('float64'), True)
    """
    check_threshold(threshold)
    scores = iter_scores(pairs, batch_size=batch_size)
    return np.fromiter(scores, dtype=np.float64)


def iter_scores(
    pairs: Iterable[Sequence[str]], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[float]:
    """``score_many`` as a stream: the score of each pair as a float, as the pairs are read,
    ``batch_size`` at a time (see ``iter_compare``). Bad arguments raise at once; a bad
    pair raises when its batch is read."""
    size = check_batch_size(batch_size)
    return _iter_score_batches(_checked_pairs(pairs), size)


def _checked_pairs(pairs: Iterable[Sequence[str]]) -> Iterator[tuple[str, str]]:
    """The pairs, each checked when it is read; the iterable itself is checked at once."""
    return (
        check_pair(pair, f"pairs[{number}]", "article", "reference")
        for number, pair in enumerate(check_iterable(pairs, "pairs", "(article, reference) pairs"))
    )


def _iter_batches(
    pairs: Iterator[tuple[str, str]], threshold: float, batch_size: int
) -> Iterator[Report]:
    for batch in pair_batches(pairs, batch_size):
        yield from compare_batch(batch, threshold)


def _iter_score_batches(pairs: Iterator[tuple[str, str]], batch_size: int) -> Iterator[float]:
    for batch in pair_batches(pairs, batch_size):
        yield from score_batch(batch).tolist()


def compare_batch(pairs: Sequence[tuple[str, str]], threshold: float) -> list[Report]:
    """Reports for pairs checked already (two str each, ``threshold`` in [0, 1]) as one
    batch, each stage run over the whole batch: what ``compare_many`` runs per batch.

    ``compare`` is this with a batch of one, so a pair gets the same report alone or in a
    batch: token ids differ between batches, but the stages only compare ids for equality.
    """
    documents = batch_documents(pairs)
    return assemble_reports(documents, score_edits(documents), threshold)


def score_batch(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The document scores (float64) of pairs checked already, as one batch: what
    ``score_many`` runs per batch, equal to ``compare_batch``'s ``report.score``."""
    return document_scores(batch_documents(pairs))


def batch_documents(pairs: Sequence[tuple[str, str]]) -> list[DocumentSwaps]:
    """The edits of each checked pair with its tokens: tokenize, align and extract, each
    run over the whole batch."""
    batch = tokenize_batch([text for pair in pairs for text in pair])
    tokens, ids = batch.tokens, batch.ids
    articles, references = tokens[0::2], tokens[1::2]
    alignments = align_batch(list(zip(ids[0::2], ids[1::2])), vocabulary=batch.vocabulary)
    extractions = extract_edits_batch(
        alignments,
        [article.norms for article in articles],
        [reference.norms for reference in references],
    )
    return [
        (with_evasions(extraction, article, reference), article, reference)
        for extraction, article, reference in zip(extractions, articles, references)
    ]
