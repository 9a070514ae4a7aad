"""The shipped screening model: how sure each finding is, and the document's probability.

Weights live in ``data/screen_model.json``, written by ``scripts/fit_screen_model.py`` from
development data only; the file carries a format version checked on load. A tortured
collocation is scored by a logistic regression on ``detect.FEATURES``, a grammar break by
one on ``grammar.GRAMMAR_FEATURES``; known phrases and evasions get the precision measured
for them on the development data; the document score is a logistic regression on the
accumulated evidence of all its candidate findings (``DOCUMENT_FEATURES``), so a few strong
findings in a long text count and many weak ones do not add up to a verdict. A text's word
statistics (``detect.TEXT_STATISTICS``) are read as if one sentence of ordinary text
(``SENTENCE_TOKENS`` tokens at the clean development texts' means) were added to it, so a
text of a few words, which says little, scores near what ordinary text scores ("Bitcoin"
alone is not read as a sentence made of rare words).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..score.model import LogisticModel, ModelDataError, read_model_file
from .detect import FEATURES, TEXT_STATISTICS
from .grammar import GRAMMAR_FEATURES

__all__ = [
    "DOCUMENT_FEATURES",
    "SCREEN_MODEL_FORMAT",
    "SCREEN_MODEL_PATH",
    "ScreenModel",
    "document_features",
    "load_screen_model",
    "steady_statistics",
]

SCREEN_MODEL_FORMAT = "spindetect-screen-model/4"
SCREEN_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "screen_model.json"

# The evidence is read per sentence's worth of text (SENTENCE_TOKENS tokens), so that it does
# not grow with length: a long article has more chances of a finding than one sentence has.
DOCUMENT_FEATURES: tuple[str, ...] = (
    "strongest",  # log-odds of the strongest finding (FLOOR when there is none), less log(sentences)
    "evidence",  # log(1 + sum of all candidate findings' probabilities per sentence)
    "findings",  # log(1 + findings at or over 0.5 per sentence)
    "length",  # log(1 + tokens / 20): how much text the evidence was gathered from
    "grammar_evidence",  # log(1 + sum of the grammar candidates' probabilities per sentence)
    *TEXT_STATISTICS,
)
# Tokens counted as one sentence's worth of text (a PAN or MRPC sentence has 20 to 30).
SENTENCE_TOKENS = 20.0
# Probability given to "no finding at all" when a document's strongest finding is read.
FLOOR = 1e-3


@dataclass(frozen=True)
class ScreenModel:
    """The three regressions and the fixed scores of the other finding kinds."""

    collocation: LogisticModel
    grammar: LogisticModel
    document: LogisticModel
    kind_scores: dict[str, float]  # known_phrase, rule_phrase, homoglyph, invisible
    provenance: dict[str, object]
    # TEXT_STATISTICS' means over clean development texts, which a short text's statistics
    # are drawn towards (``steady_statistics``); None only while fitting: read as they are.
    statistics_prior: np.ndarray | None = None

    def collocation_scores(self, matrix: np.ndarray) -> np.ndarray:
        """Probability that each tortured-collocation hit (rows of FEATURES) is spinner output."""
        return sigmoid(self.collocation.logits(matrix))

    def grammar_scores(self, matrix: np.ndarray) -> np.ndarray:
        """Probability that each grammar candidate (rows of GRAMMAR_FEATURES) is spinner output."""
        return sigmoid(self.grammar.logits(matrix))

    def to_json(self) -> dict[str, object]:
        return {
            "format": SCREEN_MODEL_FORMAT,
            "collocation": self.collocation.to_json(),
            "grammar": self.grammar.to_json(),
            "document": self.document.to_json(),
            "kind_scores": self.kind_scores,
            "provenance": self.provenance,
            "statistics_prior": None if self.statistics_prior is None else self.statistics_prior.tolist(),
        }


def sigmoid(logits: np.ndarray) -> np.ndarray:
    """Probabilities from log-odds (clipped to +-30, so no overflow)."""
    result: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))
    return result


def steady_statistics(
    statistics: np.ndarray, tokens: np.ndarray, prior: np.ndarray | None
) -> np.ndarray:
    """Each text's ``TEXT_STATISTICS`` (rows) as if ``SENTENCE_TOKENS`` tokens of text with
    the ``prior`` statistics were added to its ``tokens``: a weighted mean that leaves a long
    text's statistics nearly as they are and draws a text of a few words most of the way to
    the prior. ``prior`` None: ``statistics`` unchanged.

    >>> steady_statistics(np.array([[1.0], [1.0]]), np.array([1, 380]), np.array([0.0])).round(2).tolist()
    [[0.05], [0.95]]
    """
    if prior is None:
        return statistics
    weight = tokens.astype(np.float64)[:, None]
    result: np.ndarray = (weight * statistics + SENTENCE_TOKENS * prior) / (weight + SENTENCE_TOKENS)
    return result


def document_features(
    documents: np.ndarray, finding_scores: np.ndarray, tokens: np.ndarray,
    statistics: np.ndarray, grammar_documents: np.ndarray, grammar_scores: np.ndarray,
) -> np.ndarray:
    """DOCUMENT_FEATURES of each document (a float64 matrix, one row per document) from the
    scores of all candidate findings and the document each is in (two arrays; grammar
    candidates included), each document's token count, its text statistics (as
    ``steady_statistics`` gives them) and the grammar candidates' documents and scores
    alone."""
    count = len(tokens)
    strongest = np.full(count, FLOOR, dtype=np.float64)
    np.maximum.at(strongest, documents, finding_scores)
    strongest = np.clip(strongest, FLOOR, 1.0 - 1e-6)
    sentences = np.maximum(tokens.astype(np.float64) / SENTENCE_TOKENS, 1.0)
    evidence = np.bincount(documents, weights=finding_scores, minlength=count)
    findings = np.bincount(documents, weights=(finding_scores >= 0.5).astype(np.float64),
                           minlength=count)
    grammar = np.bincount(grammar_documents, weights=grammar_scores, minlength=count)
    return np.column_stack([
        np.log(strongest / (1.0 - strongest)) - np.log(sentences),
        np.log1p(evidence / sentences),
        np.log1p(findings / sentences),
        np.log1p(tokens.astype(np.float64) / 20.0),
        np.log1p(grammar / sentences),
        statistics,
    ])


def parse_screen_model(data: dict[str, object]) -> ScreenModel:
    """A ScreenModel from its JSON form, or ModelDataError naming what is wrong."""
    if data.get("format") != SCREEN_MODEL_FORMAT:
        raise ModelDataError(
            f"screening model format is {data.get('format')!r}, this spindetect reads "
            f"{SCREEN_MODEL_FORMAT!r}; refit with `python scripts/fit_screen_model.py` "
            "or reinstall spindetect"
        )
    kind_scores = data["kind_scores"]
    assert isinstance(kind_scores, dict)
    return ScreenModel(
        collocation=LogisticModel.from_json(data["collocation"], FEATURES),  # type: ignore[arg-type]
        grammar=LogisticModel.from_json(data["grammar"], GRAMMAR_FEATURES),  # type: ignore[arg-type]
        document=LogisticModel.from_json(data["document"], DOCUMENT_FEATURES),  # type: ignore[arg-type]
        kind_scores={str(kind): float(value) for kind, value in kind_scores.items()},
        provenance=dict(data.get("provenance", {})),  # type: ignore[call-overload]
        statistics_prior=_statistics_prior(data.get("statistics_prior")),
    )


def _statistics_prior(value: object) -> np.ndarray:
    prior = np.asarray(value, dtype=np.float64) if isinstance(value, list) else np.zeros(0)
    if prior.shape != (len(TEXT_STATISTICS),) or not np.isfinite(prior).all():
        raise ModelDataError(
            f"screening model's statistics_prior must be {len(TEXT_STATISTICS)} finite numbers "
            f"(one per text statistic), not {value!r}; refit with "
            "`python scripts/fit_screen_model.py`"
        )
    return prior


@lru_cache(maxsize=1)
def load_screen_model(path: Path = SCREEN_MODEL_PATH) -> ScreenModel:
    """The shipped screening model, read once."""
    return parse_screen_model(read_model_file(path, "screening model"))
