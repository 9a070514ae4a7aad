"""The result types: a Swap found in an article and the Report of one comparison.

Last stage (tokenize -> align -> extract -> score -> report). Everything here is a frozen
dataclass of plain values, so results compare, hash, print and serialise without surprises.
Spans are half-open character offsets into the texts the caller passed in.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ._checks import check_positive_int
from .tokenize import tokenize

__all__ = ["SCHEMA_VERSION", "RecurringSwap", "Report", "Swap", "recurring_swaps"]

# Bumped whenever to_dict() changes shape; pipelines can check it.
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Swap:
    """One difference between the article and its reference, located in both.

    ``article_text == article[article_span[0]:article_span[1]]`` and likewise for the
    reference. ``kind`` is ``"substitution"`` (both sides non-empty), ``"insertion"`` (the
    article added words: the reference span is empty, at the point of insertion) or
    ``"deletion"`` (the article dropped words: the article span is empty). ``signals`` are
    the evidence behind ``score`` as ``(name, value)`` pairs (see docs/evaluation.md).
    """

    kind: str
    article_span: tuple[int, int]
    reference_span: tuple[int, int]
    article_text: str
    reference_text: str
    score: float
    flagged: bool
    signals: tuple[tuple[str, float], ...] = ()

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


@dataclass(frozen=True, slots=True)
class Report:
    """What comparing one article with one reference found.

    ``score`` is the document-level spin score in [0, 1]; ``swaps`` are in article order;
    ``coverage`` is the fraction of article tokens aligned to the reference;
    ``passages`` are the aligned stretches as ``(article_span, reference_span)`` pairs.
    ``article`` and ``reference`` keep the compared texts (for rendering; not in to_dict).
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

    @property
    def flagged(self) -> tuple[Swap, ...]:
        """The swaps scored at or over the report's threshold."""
        return tuple(swap for swap in self.swaps if swap.flagged)

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
    reports: Iterable[Report], *, min_documents: int = 2, flagged_only: bool = False
) -> list[RecurringSwap]:
    """The substitution rules found in at least ``min_documents`` reports, most frequent first.

    A spinner is a fixed dictionary: the same ``original -> replacement`` rule in many
    unrelated articles is almost certainly spinner output, where a person's rewording varies.
    Rules are compared by their normalised words (case, quotes and contractions ignored) and
    counted once per report. ``flagged_only`` counts only flagged swaps.

    >>> from spindetect import compare
    >>> reports = [compare(f"Case {n}: a nice of 500 euros was paid.", f"Case {n}: a fine of 500 euros was paid.")
    ...            for n in range(3)]
    >>> recurring_swaps(reports)
    [RecurringSwap(original='fine', replacement='nice', documents=3)]
    """
    min_documents = check_positive_int(min_documents, "min_documents")
    counts: Counter[tuple[str, str]] = Counter()
    for number, report in enumerate(reports):
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
