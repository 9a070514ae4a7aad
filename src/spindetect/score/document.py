"""How likely a document is spun, from the weight of its swaps' evidence and its shape.

Part of the score stage. Each swap's score is a calibrated probability that a spinner made it;
its log-odds is the swap's evidence. A document's evidence is accumulated, not averaged: a few
strongly unnatural swaps in a long faithful copy add up, while the natural edits of a long
human rewrite (negative log-odds) add nothing, and do not hide a spinner's swaps when the
reference is another version of the spun text. The swaps' probabilities are summed too: a
sentence of six one-for-one synonyms, each only middling alone, is a spinner's pattern that
log-odds over zero never see. The document's shape is evidence too: a spinner
keeps the sentence order and the word count and changes words one for one or one for a
phrase; a person restructures, drops and adds. The document model (a logistic regression
over ``DOCUMENT_COLUMNS``) turns both into a calibrated probability.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .._arrays import logistic
from ..extract import DELETION, INSERTION, SUBSTITUTION, Extraction

__all__ = [
    "DOCUMENT_COLUMNS",
    "DOCUMENT_FEATURES",
    "DocumentShape",
    "EVIDENCE_CAP",
    "document_features",
    "document_shapes",
]

# A single swap adds at most this much log-odds to its document's evidence (and takes away at
# most this much): one swap that the swap model is sure of must not outweigh everything else.
EVIDENCE_CAP = 6.0
# Log-odds from which a swap counts as strong evidence (odds of about 7 to 1).
STRONG_EVIDENCE = 2.0


@dataclass(frozen=True)
class DocumentShape:
    """Per document of a batch (int64 or float64 arrays, one entry per document): how much of
    it aligned and how its edits are made."""

    article_tokens: np.ndarray
    reference_tokens: np.ndarray
    aligned_tokens: np.ndarray  # article tokens inside passages (matches and swaps)
    matched_tokens: np.ndarray  # article tokens matched exactly
    passages: np.ndarray
    substitutions: np.ndarray
    one_sided: np.ndarray  # insertions and deletions
    one_for_one: np.ndarray  # substitutions of one word for one word or for a short phrase


def document_shapes(
    extractions: Sequence[Extraction], article_tokens: Sequence[int], reference_tokens: Sequence[int]
) -> DocumentShape:
    """The ``DocumentShape`` of each document of a batch."""
    substitutions, one_sided, one_for_one = [], [], []
    for extraction in extractions:
        kinds = [edit.kind for edit in extraction.edits]
        substitutions.append(kinds.count(SUBSTITUTION))
        one_sided.append(kinds.count(INSERTION) + kinds.count(DELETION))
        one_for_one.append(sum(
            1 for edit in extraction.edits
            if edit.kind == SUBSTITUTION and edit.reference_tokens[1] - edit.reference_tokens[0] == 1
        ))
    return DocumentShape(
        article_tokens=np.asarray(article_tokens, dtype=np.int64),
        reference_tokens=np.asarray(reference_tokens, dtype=np.int64),
        aligned_tokens=np.array([e.aligned_tokens for e in extractions], dtype=np.int64),
        matched_tokens=np.array([len(e.matches) for e in extractions], dtype=np.int64),
        passages=np.array([len(e.passages) for e in extractions], dtype=np.int64),
        substitutions=np.array(substitutions, dtype=np.int64),
        one_sided=np.array(one_sided, dtype=np.int64),
        one_for_one=np.array(one_for_one, dtype=np.int64),
    )


@dataclass(frozen=True)
class _Evidence:
    """Per document: the swaps' log-odds accumulated."""

    positive: np.ndarray  # sum of the positive log-odds, each capped at EVIDENCE_CAP
    strongest: np.ndarray  # the largest log-odds (-EVIDENCE_CAP without swaps)
    flagged: np.ndarray  # swaps at log-odds >= 0
    strong: np.ndarray  # swaps at log-odds >= STRONG_EVIDENCE
    expected: np.ndarray  # sum of the swaps' probabilities


def _evidence(logits: np.ndarray, document: np.ndarray, count: int) -> _Evidence:
    capped = np.clip(logits, -EVIDENCE_CAP, EVIDENCE_CAP)
    strongest = np.full(count, -EVIDENCE_CAP, dtype=np.float64)
    np.maximum.at(strongest, document, capped)
    return _Evidence(
        positive=np.bincount(document, weights=np.maximum(capped, 0.0), minlength=count),
        strongest=strongest,
        flagged=np.bincount(document, weights=(capped >= 0.0).astype(np.float64), minlength=count),
        strong=np.bincount(document, weights=(capped >= STRONG_EVIDENCE).astype(np.float64), minlength=count),
        expected=np.bincount(document, weights=logistic(capped), minlength=count),
    )


# The document model's inputs, declared once: name -> (what it says, how it is computed).
DOCUMENT_COLUMNS: dict[str, tuple[str, Callable[[_Evidence, DocumentShape], np.ndarray]]] = {
    "evidence": (
        "the swaps' positive log-odds, summed (each capped)",
        lambda evidence, shape: evidence.positive,
    ),
    "strongest_swap": (
        "the largest swap log-odds",
        lambda evidence, shape: evidence.strongest,
    ),
    "strong_swaps": (
        "log of one plus the swaps a spinner made at odds of 7 to 1 or more: a few of them mark spin however much else changed",
        lambda evidence, shape: np.log1p(evidence.strong),
    ),
    "flagged_density": (
        "swaps more likely spinner than person, per aligned token",
        lambda evidence, shape: evidence.flagged / (shape.aligned_tokens + 10.0),
    ),
    "expected_density": (
        "the swaps' probabilities summed, per aligned token: many middling swaps add up",
        lambda evidence, shape: evidence.expected / (shape.aligned_tokens + 10.0),
    ),
    "coverage": (
        "share of the article's tokens inside aligned passages",
        lambda evidence, shape: shape.aligned_tokens / np.maximum(shape.article_tokens, 1),
    ),
    "reference_coverage": (
        "share of the reference's tokens the article matches exactly",
        lambda evidence, shape: np.minimum(shape.matched_tokens / np.maximum(shape.reference_tokens, 1), 1.0),
    ),
    "length_change": (
        "|log| of the article's length over the reference's",
        lambda evidence, shape: np.abs(np.log((shape.article_tokens + 1.0) / (shape.reference_tokens + 1.0))),
    ),
    "substitution_share": (
        "substitutions among the edits: a spinner substitutes, a person also adds and drops",
        lambda evidence, shape: (shape.substitutions + 0.5) / (shape.substitutions + shape.one_sided + 1.0),
    ),
    "one_for_one_share": (
        "substitutions of a single word among the edits",
        lambda evidence, shape: (shape.one_for_one + 0.5) / (shape.substitutions + shape.one_sided + 1.0),
    ),
    "edit_rate": (
        "edits per aligned token",
        lambda evidence, shape: (shape.substitutions + shape.one_sided) / (shape.aligned_tokens + 10.0),
    ),
    "fragmentation": (
        "passages per aligned token: a person reorders and cuts",
        lambda evidence, shape: shape.passages / (shape.aligned_tokens + 10.0),
    ),
}
DOCUMENT_FEATURES: tuple[str, ...] = tuple(DOCUMENT_COLUMNS)


def document_features(logits: np.ndarray, document: np.ndarray, shape: DocumentShape) -> np.ndarray:
    """A (documents x DOCUMENT_FEATURES) float64 matrix: ``logits`` are the swaps' log-odds,
    ``document`` the document of each (int64), ``shape`` the documents' ``DocumentShape``."""
    count = len(shape.article_tokens)
    if count == 0:
        return np.zeros((0, len(DOCUMENT_COLUMNS)), dtype=np.float64)
    evidence = _evidence(logits, document, count)
    columns = [compute(evidence, shape) for _, compute in DOCUMENT_COLUMNS.values()]
    return np.stack(columns, axis=1).astype(np.float64, copy=False)
