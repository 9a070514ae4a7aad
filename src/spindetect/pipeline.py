"""String the stages together: compare one article with a reference, or many pairs.

This is the public boundary: arguments are checked here, once, and the stages below trust
their types.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter

import numpy as np

from ._arrays import first_indices
from ._checks import check_batch_size, check_iterable, check_pair, check_text, check_threshold
from .align import align_batch
from .extract import Extraction, edit_spans, extract_edits_batch, with_evasions
from .report import Report, Swap
from .score import (
    DEFAULT_THRESHOLD,
    SIGNAL_NAMES,
    DocumentSwaps,
    ScoredEdits,
    score_edits,
)
from .tokenize import Tokens, tokenize_batch

__all__ = ["DEFAULT_BATCH_SIZE", "compare", "compare_many", "iter_compare"]

# Pairs processed together by compare_many and iter_compare. Large enough that per-batch
# work (one vocabulary, one scoring pass) is spread over many articles, small enough that a
# batch of 10 KB articles stays a few MB in memory.
DEFAULT_BATCH_SIZE = 64


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
    (report,) = _compare_batch([pair], cutoff)
    return report


def compare_many(
    pairs: Iterable[Sequence[str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> list[Report]:
    """``compare(article, reference)`` for each ``(article, reference)`` pair, in order.

    A pair is any sequence of two str: a tuple, a list, a NumPy row. Pairs are processed
    ``batch_size`` at a time (see ``iter_compare``); the reports are the same as ``compare``
    gives for each pair.

    >>> [report.score for report in compare_many([("a b c d", "a b c d"), ["a b", "a c"]])]
    [0.0, 0.0]
    """
    return list(iter_compare(pairs, threshold=threshold, batch_size=batch_size))


def iter_compare(
    pairs: Iterable[Sequence[str]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[Report]:
    """Reports for ``(article, reference)`` pairs as they are read, ``batch_size`` at a time.

    A streaming ``compare_many``: ``pairs`` is read lazily, one batch at a time, so memory
    stays bounded by the batch however many pairs there are. Each batch shares one token
    vocabulary and one scoring pass. Bad arguments raise at once; a bad pair raises when
    its batch is read.

    >>> pair = ("He paid a nice of 500 euros.", "He paid a fine of 500 euros.")
    >>> reports = iter_compare(iter([pair] * 3), batch_size=2)
    >>> [report.swaps[0].article_text for report in reports]
    ['nice', 'nice', 'nice']
    """
    cutoff = check_threshold(threshold)
    size = check_batch_size(batch_size)
    checked = (
        check_pair(pair, f"pairs[{number}]", "article", "reference")
        for number, pair in enumerate(check_iterable(pairs, "pairs", "(article, reference) pairs"))
    )
    return _iter_batches(checked, cutoff, size)


def _iter_batches(
    pairs: Iterator[tuple[str, str]], threshold: float, batch_size: int
) -> Iterator[Report]:
    while batch := list(itertools.islice(pairs, batch_size)):
        yield from _compare_batch(batch, threshold)


def _compare_batch(pairs: Sequence[tuple[str, str]], threshold: float) -> list[Report]:
    """Reports for checked pairs, each stage run over the whole batch.

    ``compare`` is this with a batch of one, so a pair gets the same report alone or in a
    batch: token ids differ between batches, but the stages only compare ids for equality.
    """
    batch = tokenize_batch([text for pair in pairs for text in pair])
    tokens, ids = batch.tokens, batch.ids
    articles, references = tokens[0::2], tokens[1::2]
    alignments = align_batch(list(zip(ids[0::2], ids[1::2])))
    extractions = extract_edits_batch(
        alignments,
        [article.norms for article in articles],
        [reference.norms for reference in references],
    )
    documents: list[DocumentSwaps] = [
        (with_evasions(extraction, article, reference), article, reference)
        for extraction, article, reference in zip(extractions, articles, references)
    ]
    return _reports(documents, score_edits(documents), threshold)


def _reports(
    documents: Sequence[DocumentSwaps], scored: ScoredEdits, threshold: float
) -> list[Report]:
    """The report of each document, ``scored`` holding the scores of all their edits in
    order (``score_edits``). Spans, swaps and signal pairs are built for the whole batch at
    once, then cut into documents."""
    extractions = [extraction for extraction, _, _ in documents]
    articles = [article for _, article, _ in documents]
    references = [reference for _, _, reference in documents]
    edit_counts = [len(extraction.edits) for extraction in extractions]
    document = np.repeat(np.arange(len(documents), dtype=np.int64), edit_counts)
    edits = list(itertools.chain.from_iterable(map(attrgetter("edits"), extractions)))
    # The token ranges of all edits, then of all passages: one character-span pass a side.
    passage_counts = [len(extraction.passages) for extraction in extractions]
    ranges = np.concatenate((edit_spans(edits), _passage_ranges(extractions)))
    range_document = np.concatenate(
        (document, np.repeat(np.arange(len(documents), dtype=np.int64), passage_counts))
    )
    article_spans = _batch_char_spans(articles, range_document, ranges[:, 0], ranges[:, 1])
    reference_spans = _batch_char_spans(references, range_document, ranges[:, 2], ranges[:, 3])
    passage_spans = list(zip(article_spans[len(edits):], reference_spans[len(edits):]))
    passage_bounds = list(itertools.accumulate(passage_counts, initial=0))
    scores = scored.scores
    flags = scores >= threshold
    signals = _signal_rows(scored.signals)
    article_texts = list(itertools.chain.from_iterable(
        itertools.repeat(article.text, count) for article, count in zip(articles, edit_counts)
    ))
    reference_texts = list(itertools.chain.from_iterable(
        itertools.repeat(reference.text, count)
        for reference, count in zip(references, edit_counts)
    ))
    swaps = [
        Swap(
            kind=edit.kind,
            article_span=article_span,
            reference_span=reference_span,
            article_text=article_text[slice(*article_span)],
            reference_text=reference_text[slice(*reference_span)],
            score=score,
            flagged=flag,
            signals=signals,
        )
        for edit, article_span, reference_span, article_text, reference_text, score, flag, signals
        in zip(
            edits, article_spans, reference_spans, article_texts, reference_texts,
            scores.tolist(), flags.tolist(), signals,
        )
    ]
    reports = []
    first = 0
    for extraction, article, reference, count, spin_score, (passage_low, passage_high) in zip(
        extractions, articles, references, edit_counts, scored.documents.tolist(),
        itertools.pairwise(passage_bounds),
    ):
        article_count = len(article)
        reports.append(Report(
            score=spin_score,
            swaps=tuple(swaps[first : first + count]),
            coverage=extraction.aligned_tokens / article_count if article_count else 0.0,
            threshold=threshold,
            article_tokens=article_count,
            aligned_tokens=extraction.aligned_tokens,
            passages=tuple(passage_spans[passage_low:passage_high]),
            article=article.text,
            reference=reference.text,
        ))
        first += count
    return reports


def _passage_ranges(extractions: Sequence[Extraction]) -> np.ndarray:
    """The token ranges of every passage of ``extractions``, in order, as rows of int64
    (article start, article end, reference start, reference end)."""
    return np.array(
        [passage.article_range + passage.reference_range
         for extraction in extractions for passage in extraction.passages],
        dtype=np.int64,
    ).reshape(-1, 4)


def _signal_pairs(values: list[float]) -> tuple[tuple[str, float], ...]:
    """(name, value) signal pairs, leaving out those that do not apply (NaN).

    The plain version of ``_signal_rows``, kept as its reference.
    """
    return tuple(
        (name, round(value, 4)) for name, value in zip(SIGNAL_NAMES, values) if value == value
    )


# Below this many rows, _signal_pairs row by row is the quicker (measured: 17 against
# 190 us for 4 rows, 280 against 430 us for 64 rows of distinct values).
_FEW_ROWS = 64


def _signal_rows(signals: np.ndarray) -> list[tuple[tuple[str, float], ...]]:
    """``_signal_pairs`` of every row of an (edits x SIGNAL_NAMES) matrix, columns at a time.

    Each (name, value) pair is built once per distinct value of its column (Python's
    ``round`` once per distinct bit pattern, so -0.0 stays -0.0) and shared by every row
    that has it: most signals are flags or small counts, so a batch needs a few hundred
    pairs, not ten per swap. Rows are grouped by which signals apply and zipped together.
    """
    if len(signals) < _FEW_ROWS:  # the columns' fixed cost outweighs a loop over few rows
        return list(map(_signal_pairs, signals.tolist()))
    return _signal_columns(signals)


def _signal_columns(signals: np.ndarray) -> list[tuple[tuple[str, float], ...]]:
    """``_signal_rows`` of a non-empty matrix, a column at a time."""
    present = ~np.isnan(signals)
    bits = np.ascontiguousarray(signals).view(np.int64)
    pairs = np.empty(signals.shape, dtype=object)
    for column, name in enumerate(SIGNAL_NAMES):
        rows = np.flatnonzero(present[:, column])
        if len(rows) == 0:
            continue
        distinct_bits, position = np.unique(bits[rows, column], return_inverse=True)
        distinct_pairs = np.empty(len(distinct_bits), dtype=object)
        distinct_pairs[:] = [
            (name, round(value, 4)) for value in distinct_bits.view(np.float64).tolist()
        ]
        pairs[rows, column] = distinct_pairs[position.reshape(-1)]
    # Which signals apply, as one integer per row (bit k: signal k), grouped with np.unique.
    codes = present @ (1 << np.arange(present.shape[1], dtype=np.int64))
    pattern_codes, pattern_of_row = np.unique(codes, return_inverse=True)
    result: list[tuple[tuple[str, float], ...]] = [()] * len(signals)
    for pattern_number in range(len(pattern_codes)):
        members = np.flatnonzero(pattern_of_row.reshape(-1) == pattern_number)
        columns = np.flatnonzero(present[members[0]])
        for row, row_pairs in zip(
            members.tolist(), zip(*(pairs[members, column].tolist() for column in columns))
        ):
            result[row] = row_pairs
    return result


def _batch_char_spans(
    token_lists: Sequence[Tokens], document: np.ndarray, first: np.ndarray, last: np.ndarray
) -> list[tuple[int, int]]:
    """``_char_span(token_lists[document[k]], first[k], last[k])`` for every k, at once."""
    if len(first) == 0:
        return []
    empty = np.empty(0, dtype=np.int64)
    starts = np.concatenate([empty] + [tokens.starts for tokens in token_lists])
    ends = np.concatenate([empty] + [tokens.ends for tokens in token_lists])
    if len(starts) == 0:  # no tokens anywhere: every range is empty, at 0
        return [(0, 0)] * len(first)
    offset = first_indices(token_lists)
    top = len(starts) - 1
    low, high = first + offset[document], last + offset[document]
    # An empty range sits after token first - 1 (at 0 before a text's first token).
    before = np.where(first > 0, ends[np.clip(low - 1, 0, top)], 0)
    nonempty = first < last
    span_starts = np.where(nonempty, starts[np.minimum(low, top)], before)
    span_ends = np.where(nonempty, ends[np.clip(high - 1, 0, top)], before)
    return list(zip(span_starts.tolist(), span_ends.tolist()))


def _char_span(tokens: Tokens, first: int, last: int) -> tuple[int, int]:
    """Character span of tokens [first, last); an empty range sits after token first - 1.

    The plain version of ``_batch_char_spans``, kept as its reference.
    """
    if first < last:
        return int(tokens.starts[first]), int(tokens.ends[last - 1])
    position = int(tokens.ends[first - 1]) if first > 0 else 0
    return position, position
