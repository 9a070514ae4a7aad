"""The result types, a Swap found in an article and the Report of one comparison, and
their assembly from the scored edits of a batch.

Last stage (tokenize -> align -> extract -> score -> report). Everything here is a frozen
dataclass of plain values, so results compare, hash, print and serialise without surprises.
Spans are half-open character offsets into the texts the caller passed in.
``assemble_reports`` turns a batch's token ranges, scores and signals into those values in
a few array passes; a report's ``Swap`` objects are made from those arrays the first time
its swaps are read (``_BatchSwaps``). ``render_html`` and ``render_terminal`` draw the
finished reports.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import numpy as np

from ._arrays import first_indices
from ._checks import check_iterable, check_positive_int
from .extract import Extraction, edit_spans
from .report_py import signal_pairs_py
from .score import SIGNAL_NAMES, DocumentSwaps, ScoredEdits
from .tokenize import Tokens, tokenize

__all__ = ["SCHEMA_VERSION", "RecurringSwap", "Report", "Signals", "Swap", "recurring_swaps"]

# Bumped whenever to_dict() changes shape; pipelines can check it.
SCHEMA_VERSION = 1


class Signals(Mapping[str, float]):
    """The evidence behind a swap's score: signal name -> value, read-only and hashable.

    A mapping in Python as in JSON (``Swap.to_dict()`` writes it as an object), in the
    scorer's order; signals that do not apply to a swap are left out. docs/evaluation.md
    says what each one measures. Equal to another mapping with the same items.

    >>> signals = Signals([("known_spinner_rule", 1.0), ("zipf_shift", -0.14)])
    >>> signals["known_spinner_rule"], "thesaurus_synonym" in signals, len(signals)
    (1.0, False, 2)
    >>> signals == {"zipf_shift": -0.14, "known_spinner_rule": 1.0}
    True
    """

    __slots__ = ("_pairs",)

    def __init__(self, items: Mapping[str, float] | Iterable[tuple[str, float]] = ()) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        # Through a dict: one value per name, the last one given.
        self._pairs: tuple[tuple[str, float], ...] = tuple(dict(pairs).items())

    @classmethod
    def _from_distinct_pairs(cls, pairs: tuple[tuple[str, float], ...]) -> Signals:
        """``Signals(pairs)`` for pairs known to name each signal once, without the dict pass
        that makes names unique: the report stage builds one per swap, and that pass took
        3.4 us a swap against 0.4 (about 3% of compare_many's time on generated articles).

        >>> Signals._from_distinct_pairs((("zipf_shift", -0.14),))
        Signals({'zipf_shift': -0.14})
        """
        signals = object.__new__(cls)
        signals._pairs = pairs
        return signals

    def __getitem__(self, name: str) -> float:
        # A swap has a dozen signals at most: a scan costs less than keeping a dict per swap.
        for signal, value in self._pairs:
            if signal == name:
                return value
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return (signal for signal, _ in self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Signals):
            return dict(self._pairs) == dict(other._pairs)
        return super().__eq__(other)

    def __hash__(self) -> int:
        return hash(frozenset(self._pairs))

    def __repr__(self) -> str:
        return f"Signals({dict(self._pairs)!r})"

    def __reduce__(self) -> tuple[type[Signals], tuple[tuple[tuple[str, float], ...]]]:
        return Signals, (self._pairs,)


_NO_SIGNALS = Signals()


@dataclass(frozen=True, slots=True)
class Swap:
    """One difference between the article and its reference, located in both.

    ``article_text == article[article_span[0]:article_span[1]]`` and likewise for the
    reference. ``kind`` is ``"substitution"`` (both sides non-empty), ``"insertion"`` (the
    article added words: the reference span is empty, at the point of insertion) or
    ``"deletion"`` (the article dropped words: the article span is empty). ``signals`` is
    the evidence behind ``score``, a mapping of signal name to value (``Signals``; given as
    a mapping or as ``(name, value)`` pairs).

    >>> swap = Swap("substitution", (12, 16), (12, 16), "nice", "fine", 0.96, True,
    ...             (("known_spinner_rule", 1.0),))
    >>> swap.signals["known_spinner_rule"]
    1.0
    """

    kind: str
    article_span: tuple[int, int]
    reference_span: tuple[int, int]
    article_text: str
    reference_text: str
    score: float
    flagged: bool
    signals: Signals = _NO_SIGNALS

    def __post_init__(self) -> None:
        if not isinstance(self.signals, Signals):
            object.__setattr__(self, "signals", Signals(self.signals))

    def to_dict(self) -> dict[str, Any]:
        """The swap as JSON-serialisable plain values."""
        return {
            "kind": self.kind,
            "article_span": list(self.article_span),
            "reference_span": list(self.reference_span),
            "article_text": self.article_text,
            "reference_text": self.reference_text,
            "score": self.score,
            "flagged": self.flagged,
            "signals": dict(self.signals),
        }


class _PendingSwaps:
    """Room for where a ``Report``'s swaps come from until they are first read: a slot
    outside the dataclass's fields, so it is not compared, printed or pickled."""

    __slots__ = ("_pending",)


@dataclass(frozen=True, slots=True)
class Report(_PendingSwaps):
    """What comparing one article with one reference found.

    ``score`` is the document-level spin score in [0, 1]; ``swaps`` are in article order;
    ``coverage`` is the fraction of article tokens aligned to the reference;
    ``passages`` are the aligned stretches as ``(article_span, reference_span)`` pairs.
    ``article`` and ``reference`` keep the compared texts (for rendering; not in to_dict).

    A report from ``compare`` or ``compare_many`` makes its ``Swap`` objects when ``swaps``
    is first read (equality, ``repr``, pickling and ``to_dict`` read it too), so a caller
    that reads only the score does not pay for them. Until then it shares its batch's
    arrays (about 230 bytes per swap of the batch, where made swaps take about 800): a
    program that keeps a few reports of each batch of a long stream, unread, keeps their
    batches' arrays too, and should read their ``swaps`` (or keep only what it needs).
    """

    score: float
    swaps: tuple[Swap, ...]
    coverage: float
    threshold: float
    article_tokens: int
    aligned_tokens: int
    passages: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()
    article: str = field(default="", repr=False)
    reference: str = field(default="", repr=False)

    def __getattr__(self, name: str) -> Any:
        # Called only for an attribute not set: ``swaps`` of a report made by
        # assemble_reports, before anything read it.
        if name != "swaps":
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        pending = object.__getattribute__(self, "_pending")
        if pending is None:  # another thread made them in the meantime
            return object.__getattribute__(self, "swaps")
        batch, low, high = pending
        swaps = batch.swaps(low, high)
        object.__setattr__(self, "swaps", swaps)
        object.__setattr__(self, "_pending", None)  # lets the batch's arrays go
        return swaps

    @property
    def flagged(self) -> tuple[Swap, ...]:
        """The swaps scored at or over the report's threshold."""
        return tuple(swap for swap in self.swaps if swap.flagged)

    def __repr__(self) -> str:
        """A one-line summary (the swaps themselves are in ``swaps``, or ``to_dict()``).

        >>> from spindetect import compare
        >>> report = compare("They paid a nice of 500 euros.", "They paid a fine of 500 euros.")
        >>> report  # doctest: +ELLIPSIS
        <Report score=... coverage=1.0 threshold=0.5 swaps=1 flagged=1 passages=1>
        """
        return (
            f"<Report score={round(self.score, 3)} coverage={round(self.coverage, 3)} "
            f"threshold={self.threshold:g} swaps={len(self.swaps)} "
            f"flagged={len(self.flagged)} passages={len(self.passages)}>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-serialisable plain values (schema version ``SCHEMA_VERSION``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "score": self.score,
            "coverage": self.coverage,
            "threshold": self.threshold,
            "article_tokens": self.article_tokens,
            "aligned_tokens": self.aligned_tokens,
            "flagged_count": len(self.flagged),
            "swaps": [swap.to_dict() for swap in self.swaps],
            "passages": [
                {"article_span": list(a_span), "reference_span": list(r_span)}
                for a_span, r_span in self.passages
            ],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """``to_dict()`` as a JSON string."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_html(
        self,
        article: str | None = None,
        reference: str | None = None,
        *,
        article_name: str = "article",
        reference_name: str = "reference",
    ) -> str:
        """One self-contained HTML page of this report over the two texts it was made from.

        Article and reference side by side, aligned passages linked, swaps highlighted by
        score with original -> replacement, score and signals on hover, the document score
        at the top. The page fetches nothing; all input text is HTML-escaped. See
        ``spindetect.render_html.report_html``.

        >>> from spindetect import compare
        >>> article, reference = "They paid a nice of 500 euros.", "They paid a fine of 500 euros."
        >>> page = compare(article, reference).to_html()
        >>> page.startswith("<!DOCTYPE html>") and 'id="a-s0"' in page
        True
        """
        # Imported here: the renderer reads Report, so a top-level import would be a cycle.
        from .render_html import report_html

        article = self.article if article is None else article
        reference = self.reference if reference is None else reference
        return report_html(
            self, article, reference, article_name=article_name, reference_name=reference_name
        )


@dataclass(frozen=True, slots=True)
class RecurringSwap:
    """One original -> replacement rule and how many reports contain it."""

    original: str
    replacement: str
    documents: int


def recurring_swaps(
    reports: Iterable[Report], *, min_documents: int = 2, flagged_only: bool = True
) -> list[RecurringSwap]:
    """The substitution rules found in at least ``min_documents`` reports, most frequent first.

    A spinner is a fixed dictionary: the same ``original -> replacement`` rule in many
    unrelated articles is almost certainly spinner output, where a person's rewording varies.
    Rules are compared by their normalised words (case, quotes and contractions ignored) and
    counted once per report. Only flagged swaps count by default; ``flagged_only=False``
    counts every substitution, which also ranks the ordinary rewording and alignment noise
    that recurs in any text ("and -> we", "are -> be") among the rules.

    >>> from spindetect import compare
    >>> reports = [compare(f"Case {n}: a nice of 500 euros was paid.", f"Case {n}: a fine of 500 euros was paid.")
    ...            for n in range(3)]
    >>> recurring_swaps(reports)
    [RecurringSwap(original='fine', replacement='nice', documents=3)]
    """
    min_documents = check_positive_int(min_documents, "min_documents")
    counts: Counter[tuple[str, str]] = Counter()
    for number, report in enumerate(check_iterable(reports, "reports", "Report objects")):
        if not isinstance(report, Report):
            raise TypeError(f"reports[{number}] must be a Report, got {type(report).__name__}")
        counts.update(
            {
                (_words(swap.reference_text), _words(swap.article_text))
                for swap in report.swaps
                if swap.kind == "substitution" and (swap.flagged or not flagged_only)
            }
        )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        RecurringSwap(original, replacement, documents)
        for (original, replacement), documents in ranked
        if documents >= min_documents
    ]


def _words(text: str) -> str:
    return " ".join(tokenize(text).norms)


def assemble_reports(
    documents: Sequence[DocumentSwaps], scored: ScoredEdits, threshold: float
) -> list[Report]:
    """The report of each document, ``scored`` holding the scores of all their edits in
    order (``score_edits``). The spans of all edits and passages come from one array pass a
    side; the swaps stay arrays for the whole batch (``_BatchSwaps``) until a report's swaps
    are first read."""
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
    article_spans = _batch_char_span_arrays(articles, range_document, ranges[:, 0], ranges[:, 1])
    reference_spans = _batch_char_span_arrays(
        references, range_document, ranges[:, 2], ranges[:, 3]
    )
    edit_count = len(edits)
    passage_spans = list(zip(
        _span_tuples(*(side[edit_count:] for side in article_spans)),
        _span_tuples(*(side[edit_count:] for side in reference_spans)),
    ))
    passage_bounds = list(itertools.accumulate(passage_counts, initial=0))
    batch = _BatchSwaps(_SwapArrays(
        kinds=list(map(attrgetter("kind"), edits)),
        article_spans=np.column_stack([side[:edit_count] for side in article_spans]),
        reference_spans=np.column_stack([side[:edit_count] for side in reference_spans]),
        document=document,
        article_texts=[article.text for article in articles],
        reference_texts=[reference.text for reference in references],
        scores=scored.scores,
        flags=scored.scores >= threshold,
        signals=scored.signals,
    ))
    reports = []
    first = 0
    for extraction, article, reference, count, spin_score, (passage_low, passage_high) in zip(
        extractions, articles, references, edit_counts, scored.documents.tolist(),
        itertools.pairwise(passage_bounds),
    ):
        article_count = len(article)
        report = Report(
            score=spin_score,
            swaps=(),
            coverage=extraction.aligned_tokens / article_count if article_count else 0.0,
            threshold=threshold,
            article_tokens=article_count,
            aligned_tokens=extraction.aligned_tokens,
            passages=tuple(passage_spans[passage_low:passage_high]),
            article=article.text,
            reference=reference.text,
        )
        # Its swaps are made when first read (Report.__getattr__).
        _unset_swaps(report)
        _set_pending(report, (batch, first, first + count))
        reports.append(report)
        first += count
    return reports


# The slots' descriptors: the frozen dataclass's own __setattr__ refuses.
_unset_swaps = vars(Report)["swaps"].__delete__
_set_pending = vars(_PendingSwaps)["_pending"].__set__


@dataclass(frozen=True)
class _SwapArrays:
    """What the ``Swap`` objects of a batch's edits are made from: kinds, character spans
    (rows of start, end), the document of each edit, the documents' texts, the edits'
    scores, flags and signal matrix."""

    kinds: list[str]
    article_spans: np.ndarray
    reference_spans: np.ndarray
    document: np.ndarray
    article_texts: list[str]
    reference_texts: list[str]
    scores: np.ndarray
    flags: np.ndarray
    signals: np.ndarray


class _BatchSwaps:
    """The swaps of a batch of reports as arrays, made into ``Swap`` objects the first time
    a report of the batch reads its swaps: all of them at once, a few array passes for the
    batch rather than per report (``assemble_reports``)."""

    __slots__ = ("_arrays", "_swaps")

    def __init__(self, arrays: _SwapArrays) -> None:
        self._arrays: _SwapArrays | None = arrays
        self._swaps: list[Swap] = []

    def swaps(self, low: int, high: int) -> tuple[Swap, ...]:
        """The swaps ``low`` to ``high`` of the batch (one report's), in order."""
        arrays = self._arrays
        if arrays is not None:
            self._swaps = _make_swaps(arrays)
            self._arrays = None  # the arrays are no longer needed
        return tuple(self._swaps[low:high])


def _make_swaps(arrays: _SwapArrays) -> list[Swap]:
    """The ``Swap`` of each edit of a batch, from its arrays."""
    article_pairs = _span_tuples(arrays.article_spans[:, 0], arrays.article_spans[:, 1])
    reference_pairs = _span_tuples(arrays.reference_spans[:, 0], arrays.reference_spans[:, 1])
    article_texts, reference_texts = arrays.article_texts, arrays.reference_texts
    return [
        Swap(
            kind=kind,
            article_span=article_span,
            reference_span=reference_span,
            article_text=article_texts[number][slice(*article_span)],
            reference_text=reference_texts[number][slice(*reference_span)],
            score=score,
            flagged=flag,
            signals=Signals._from_distinct_pairs(signal_pairs),
        )
        for kind, article_span, reference_span, number, score, flag, signal_pairs in zip(
            arrays.kinds, article_pairs, reference_pairs, arrays.document.tolist(),
            arrays.scores.tolist(), arrays.flags.tolist(), _signal_rows(arrays.signals),
        )
    ]


def _span_tuples(starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` tuples of ints from two arrays."""
    return list(zip(starts.tolist(), ends.tolist()))


def _passage_ranges(extractions: Sequence[Extraction]) -> np.ndarray:
    """The token ranges of every passage of ``extractions``, in order, as rows of int64
    (article start, article end, reference start, reference end)."""
    return np.array(
        [passage.article_range + passage.reference_range
         for extraction in extractions for passage in extraction.passages],
        dtype=np.int64,
    ).reshape(-1, 4)


# Below this many rows, signal_pairs_py row by row is the quicker (measured: 17 against
# 190 us for 4 rows, 280 against 430 us for 64 rows of distinct values).
_FEW_ROWS = 64


def _signal_rows(signals: np.ndarray) -> list[tuple[tuple[str, float], ...]]:
    """``signal_pairs_py`` of every row of an (edits x SIGNAL_NAMES) matrix, columns at a time.

    Each (name, value) pair is built once per distinct value of its column (Python's
    ``round`` once per distinct bit pattern, so -0.0 stays -0.0) and shared by every row
    that has it: most signals are flags or small counts, so a batch needs a few hundred
    pairs, not ten per swap. Rows are grouped by which signals apply and zipped together.
    """
    if len(signals) < _FEW_ROWS:  # the columns' fixed cost outweighs a loop over few rows
        return list(map(signal_pairs_py, signals.tolist()))
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


def _batch_char_span_arrays(
    token_lists: Sequence[Tokens], document: np.ndarray, first: np.ndarray, last: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``char_span_py(token_lists[document[k]], first[k], last[k])`` for every k, at once,
    as two int64 arrays: the starts and the ends."""
    empty = np.empty(0, dtype=np.int64)
    starts = np.concatenate([empty] + [tokens.starts for tokens in token_lists])
    ends = np.concatenate([empty] + [tokens.ends for tokens in token_lists])
    if len(starts) == 0 or len(first) == 0:  # no tokens anywhere: every range is empty, at 0
        return np.zeros(len(first), dtype=np.int64), np.zeros(len(first), dtype=np.int64)
    offset = first_indices(token_lists)
    top = len(starts) - 1
    low, high = first + offset[document], last + offset[document]
    # An empty range sits after token first - 1 (at 0 before a text's first token).
    before = np.where(first > 0, ends[np.clip(low - 1, 0, top)], 0)
    nonempty = first < last
    span_starts = np.where(nonempty, starts[np.minimum(low, top)], before)
    span_ends = np.where(nonempty, ends[np.clip(high - 1, 0, top)], before)
    return span_starts.astype(np.int64, copy=False), span_ends.astype(np.int64, copy=False)
