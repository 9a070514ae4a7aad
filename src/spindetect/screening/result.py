"""The result types of screening: a Finding in a text and the Screening of one text.

Frozen dataclasses of plain values, like ``report.Report``; spans are half-open character
offsets into the text the caller passed in. ``to_dict`` follows
``docs/screening.schema.json`` (version ``SCREENING_SCHEMA_VERSION``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SCREENING_SCHEMA_VERSION", "Finding", "Screening"]

# Bumped whenever to_dict() changes shape; pipelines can check it.
SCREENING_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Finding:
    """One stretch of a text that reads as spinner output.

    ``text == screened_text[span[0]:span[1]]``. ``kind`` is ``"known_phrase"`` (a listed
    tortured phrase), ``"tortured_collocation"`` (words that are near-synonyms of a common
    fixed expression), ``"homoglyph"`` or ``"invisible"`` (a disguised word, as ``compare``
    reports them) or ``"broken_grammar"`` (a word that cannot fill its slot in the text: "a
    nice of", "an sign", "go away markets"). ``expected`` is the likely original ("artificial intelligence") when one
    can be named, ``score`` the probability that the stretch is spinner output, and
    ``signals`` the evidence behind it as ``(name, value)`` pairs.
    """

    kind: str
    span: tuple[int, int]
    text: str
    expected: str | None
    score: float
    signals: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-serialisable plain values."""
        return {
            "kind": self.kind,
            "span": list(self.span),
            "text": self.text,
            "expected": self.expected,
            "score": self.score,
            "signals": dict(self.signals),
        }


@dataclass(frozen=True, slots=True)
class Screening:
    """What screening one text, with no reference, found.

    ``score`` is the calibrated probability that the text is spinner output, in [0, 1];
    ``findings`` are the stretches scored at or over ``threshold``, in text order;
    ``tokens`` counts the words read. ``text`` keeps the screened text (for rendering; not
    in ``to_dict``).
    """

    score: float
    findings: tuple[Finding, ...]
    threshold: float
    tokens: int
    text: str = field(default="", repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The screening as JSON-serialisable plain values (schema ``SCREENING_SCHEMA_VERSION``)."""
        return {
            "schema_version": SCREENING_SCHEMA_VERSION,
            "score": self.score,
            "threshold": self.threshold,
            "tokens": self.tokens,
            "findings": [finding.to_dict() for finding in self.findings],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """``to_dict()`` as a JSON string."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_html(self, text: str | None = None, *, name: str = "text") -> str:
        """One self-contained HTML page of this screening over the text it was made from, in
        the style of the report page: the score at the top, each finding highlighted by
        score with its kind, likely original and signals on hover. Fetches nothing; the text
        is HTML-escaped.

        >>> from spindetect import screen
        >>> page = screen("We apply profound learning to bosom malignancy.").to_html()
        >>> page.startswith("<!DOCTYPE html>") and "breast cancer" in page
        True
        """
        # Imported here: the renderer reads Screening, so a top-level import would be a cycle.
        from .render import screening_html

        return screening_html(self, self.text if text is None else text, name=name)
