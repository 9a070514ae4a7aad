"""Score edits for how unnatural they are, and a document for how spun it is.

Fourth stage (tokenize -> align -> extract -> score -> report). This first scorer uses word
frequency alone: a spinner's replacement is usually rarer than the word it replaced. It is
computed for all edits of a document at once as arrays.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import wordfreq

from .extract import DELETION, INSERTION, Edit
from .tokenize import tokenize

__all__ = [
    "DEFAULT_THRESHOLD",
    "document_score",
    "edit_scores",
    "score_substitution",
]

# A swap is flagged at or over this score.
DEFAULT_THRESHOLD = 0.5
# Zipf value given to words wordfreq does not know (its lists stop near Zipf 1).
UNKNOWN_ZIPF = 1.0
# Scale of the document score: flagged swaps per aligned token at which it reaches 1 - 1/e.
DOCUMENT_DENSITY_SCALE = 0.04
# Insertions and deletions inside a passage are weak evidence of spinning on their own.
INSERTION_SCORE = 0.2


@lru_cache(maxsize=1 << 18)
def _zipf(word: str) -> float:
    value = wordfreq.zipf_frequency(word, "en")
    return value if value > 0 else UNKNOWN_ZIPF


def _phrase_zipf(words: tuple[str, ...]) -> float:
    """The rarest word of a phrase sets how marked the phrase is."""
    return min((_zipf(word) for word in words), default=UNKNOWN_ZIPF)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def _substitution_scores(
    originals: list[tuple[str, ...]], replacements: list[tuple[str, ...]]
) -> np.ndarray:
    original_zipf = np.fromiter(
        (_phrase_zipf(words) for words in originals), dtype=np.float64, count=len(originals)
    )
    replacement_zipf = np.fromiter(
        (_phrase_zipf(words) for words in replacements),
        dtype=np.float64,
        count=len(replacements),
    )
    return _sigmoid(1.5 * (original_zipf - replacement_zipf) - 0.5)


def score_substitution(original: str, replacement: str) -> float:
    """How unnatural it is to write ``replacement`` where the source had ``original``, in [0, 1].

    Context-free: only the two strings are seen.

    >>> 0.0 <= score_substitution("fine", "nice") <= 1.0
    True
    """
    if not isinstance(original, str):
        raise TypeError(f"original must be str, got {type(original).__name__}")
    if not isinstance(replacement, str):
        raise TypeError(f"replacement must be str, got {type(replacement).__name__}")
    original_words = tokenize(original).norms
    replacement_words = tokenize(replacement).norms
    if original_words == replacement_words:
        return 0.0
    return float(_substitution_scores([original_words], [replacement_words])[0])


def edit_scores(
    edits: tuple[Edit, ...],
    article_norms: tuple[str, ...],
    reference_norms: tuple[str, ...],
) -> np.ndarray:
    """Scores in [0, 1] for all edits of one document, as a float64 array."""
    scores = np.full(len(edits), INSERTION_SCORE, dtype=np.float64)
    substitution_rows = [
        row for row, edit in enumerate(edits) if edit.kind not in (INSERTION, DELETION)
    ]
    if substitution_rows:
        originals = [
            reference_norms[slice(*edits[row].reference_tokens)] for row in substitution_rows
        ]
        replacements = [
            article_norms[slice(*edits[row].article_tokens)] for row in substitution_rows
        ]
        scores[substitution_rows] = _substitution_scores(originals, replacements)
    return scores


def document_score(flagged_count: int, aligned_tokens: int) -> float:
    """Spin score in [0, 1] from the density of flagged swaps over aligned article tokens."""
    if flagged_count == 0 or aligned_tokens == 0:
        return 0.0
    density = flagged_count / aligned_tokens
    return float(1.0 - np.exp(-density / DOCUMENT_DENSITY_SCALE))
