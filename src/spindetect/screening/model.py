"""The shipped screening model: how sure each finding is, and the document's probability.

Weights live in ``data/screen_model.json``, written by ``scripts/fit_screen_model.py`` from
development data only; the file carries a format version checked on load. A tortured
collocation is scored by a logistic regression on ``detect.FEATURES``, a grammar break by
one on ``grammar.GRAMMAR_FEATURES``; known phrases and evasions get the precision measured
for them on the development data; the document score is a logistic regression on the
accumulated evidence of all its candidate findings (``DOCUMENT_FEATURES``), so a few strong
findings in a long text count and many weak ones do not add up to a verdict.
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
]

SCREEN_MODEL_FORMAT = "spindetect-screen-model/3"
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

    def collocation_scores(self, matrix: np.ndarray) -> np.ndarray:
        """Probability that each tortured-collocation hit (rows of FEATURES) is spinner output."""
        return _sigmoid(self.collocation.logits(matrix))

    def grammar_scores(self, matrix: np.ndarray) -> np.ndarray:
        """Probability that each grammar candidate (rows of GRAMMAR_FEATURES) is spinner output."""
        return _sigmoid(self.grammar.logits(matrix))

    def to_json(self) -> dict[str, object]:
        return {
            "format": SCREEN_MODEL_FORMAT,
            "collocation": self.collocation.to_json(),
            "grammar": self.grammar.to_json(),
            "document": self.document.to_json(),
            "kind_scores": self.kind_scores,
            "provenance": self.provenance,
        }


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))
    return result


def document_features(
    documents: np.ndarray, finding_scores: np.ndarray, tokens: np.ndarray,
    statistics: np.ndarray, grammar_documents: np.ndarray, grammar_scores: np.ndarray,
) -> np.ndarray:
    """DOCUMENT_FEATURES of each document (a float64 matrix, one row per document) from the
    scores of all candidate findings and the document each is in (two arrays; grammar
    candidates included), each document's token count, its ``text_statistics`` and the
    grammar candidates' documents and scores alone."""
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
    )


@lru_cache(maxsize=1)
def load_screen_model(path: Path = SCREEN_MODEL_PATH) -> ScreenModel:
    """The shipped screening model, read once."""
    return parse_screen_model(read_model_file(path, "screening model"))
