"""The shipped scoring model: three logistic regressions.

Part of the score stage. The lexical model scores what replaced what; the context model
combines its logit with whether the replacement fits where it stands (the swap's score); the
document model turns the swaps' accumulated log-odds and the document's shape into the
document's score. Weights live in ``data/model.json``, written by ``scripts/fit_model.py``;
the file carries a format version checked on load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .document import DOCUMENT_FEATURES
from .features import CONTEXT_FEATURES, LEXICAL_FEATURES, SWAP_LEXICAL_FEATURES

__all__ = [
    "MODEL_FORMAT",
    "MODEL_PATH",
    "LogisticModel",
    "ModelDataError",
    "ScoringModel",
    "expand",
    "load_model",
    "read_model_file",
]

MODEL_FORMAT = "spindetect-model/2"
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "model.json"
# Name of the context model's first input: the lexical model's logit.
LEXICAL_LOGIT = "lexical_logit"


class ModelDataError(RuntimeError):
    """The shipped model file is missing, stale or does not match the feature code."""


def expand(matrix: np.ndarray, knots: tuple[tuple[float, ...], ...]) -> np.ndarray:
    """Each feature column followed by step columns (value > knot) for its knots.

    Steps at quantile knots let a logistic regression bend each feature's effect (a
    generalised additive model) while staying one matrix product.

    >>> expand(np.array([[1.0], [3.0]]), ((2.0,),)).tolist()
    [[1.0, 0.0], [3.0, 1.0]]
    """
    columns = [matrix]
    for column, column_knots in enumerate(knots):
        if column_knots:
            columns.append(
                (matrix[:, column : column + 1] > np.asarray(column_knots)).astype(np.float64)
            )
    return np.concatenate(columns, axis=1)


@dataclass(frozen=True)
class LogisticModel:
    """Logistic regression on standardised features and their knot steps.

    ``logit = ((expand(x, knots) - mean) / scale) @ weights + bias``.
    """

    features: tuple[str, ...]
    knots: tuple[tuple[float, ...], ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logits(self, matrix: np.ndarray) -> np.ndarray:
        """Log-odds for each row of a (rows x features) float64 matrix."""
        standardised = (expand(matrix, self.knots) - self.mean) / self.scale
        # A row-wise sum, not a matrix product: BLAS may round differently with the number of
        # rows, and a swap's score must not depend on the batch it was scored in.
        result: np.ndarray = (standardised * self.weights).sum(axis=1) + self.bias
        return result

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "knots": [list(column_knots) for column_knots in self.knots],
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "bias": self.bias,
        }

    @classmethod
    def from_json(cls, data: dict[str, object], expected: tuple[str, ...]) -> LogisticModel:
        features: tuple[str, ...] = tuple(data["features"])  # type: ignore[arg-type]
        if features != expected:
            raise ModelDataError(
                f"model features {features} do not match the code's {expected}; "
                "refit with `python scripts/fit_model.py`"
            )
        return cls(
            features=features,
            knots=tuple(tuple(float(k) for k in column) for column in data["knots"]),  # type: ignore[attr-defined]
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class ScoringModel:
    """Everything the score stage needs: the lexical, swap (context) and document models."""

    lexical: LogisticModel
    context: LogisticModel
    document: LogisticModel
    provenance: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return {
            "format": MODEL_FORMAT,
            "lexical": self.lexical.to_json(),
            "context": self.context.to_json(),
            "document": self.document.to_json(),
            "provenance": self.provenance,
        }


CONTEXT_INPUTS: tuple[str, ...] = (LEXICAL_LOGIT, *SWAP_LEXICAL_FEATURES, *CONTEXT_FEATURES)


def parse_model(data: dict[str, object]) -> ScoringModel:
    """A ScoringModel from the JSON form, or ModelDataError naming what is wrong."""
    if data.get("format") != MODEL_FORMAT:
        raise ModelDataError(
            f"model format is {data.get('format')!r}, this spindetect reads {MODEL_FORMAT!r}; "
            "refit with `python scripts/fit_model.py` or reinstall spindetect"
        )
    return ScoringModel(
        lexical=LogisticModel.from_json(data["lexical"], LEXICAL_FEATURES),  # type: ignore[arg-type]
        context=LogisticModel.from_json(data["context"], CONTEXT_INPUTS),  # type: ignore[arg-type]
        document=LogisticModel.from_json(data["document"], DOCUMENT_FEATURES),  # type: ignore[arg-type]
        provenance=dict(data.get("provenance", {})),  # type: ignore[call-overload]
    )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> ScoringModel:
    """The shipped model, read once."""
    return parse_model(read_model_file(path, "scoring model"))


def read_model_file(path: Path, what: str) -> dict[str, object]:
    """The JSON object in a shipped model file, or ModelDataError naming ``what`` and why."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelDataError(f"cannot read {what} {path}: {error}") from error
    if not isinstance(data, dict):
        raise ModelDataError(f"{what} {path} holds no JSON object")
    return data
