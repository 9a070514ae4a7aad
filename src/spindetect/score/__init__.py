"""Score swaps for how unnatural they are, and a document for how spun it is.

Fourth stage (tokenize -> align -> extract -> score -> report). Features of every swap in a
batch of documents are computed as one matrix (``features.py``) and the shipped logistic
models (``model.py``, weights in ``data/model.json``) score them in two matrix products.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import lexicon
from ..extract import DELETION, EVASION_KINDS, INSERTION, Edit, Extraction
from ..tokenize import Tokens, tokenize
from .features import (
    CLUSTER_WINDOW,
    LEXICAL_FEATURES,
    SwapContext,
    context_features,
    function_share,
    lexical_features,
)
from .model import load_model

__all__ = [
    "DEFAULT_THRESHOLD",
    "SIGNAL_NAMES",
    "DocumentSwaps",
    "ScoredEdits",
    "document_score",
    "edit_scores",
    "edit_scores_batch",
    "score_batch",
    "score_substitution",
]

# A swap is flagged at or over this score. The models are calibrated log-odds, so 0.5 is
# "more likely spinner than person" on the development data (see docs/evaluation.md).
DEFAULT_THRESHOLD = 0.5

# (extraction, article tokens, reference tokens) of one document.
DocumentSwaps = tuple[Extraction, Tokens, Tokens]

# The evidence reported with each swap, in Swap.signals (explained in docs/evaluation.md).
SIGNAL_NAMES: tuple[str, ...] = (
    "lexical_score",  # the context-free score of what replaced what
    "known_spinner_rule",
    "thesaurus_synonym",
    "wordnet_synonym",
    "wordnet_dominant_sense",
    "zipf_shift",
    "isolation_tokens",  # exact-match tokens on the shorter side of the swap
    "broken_collocation",
    "proper_noun",
    "function_word",
    "evasion",  # a homoglyph or invisible-character disguise of a matched word
)

_LEXICAL_SIGNALS = frozenset(
    {"lexical_score", "known_spinner_rule", "thesaurus_synonym", "wordnet_synonym",
     "wordnet_dominant_sense", "zipf_shift", "function_word"}
)
# Score of a homoglyph or invisible-character edit: hiding a copy is never innocent.
EVASION_SCORE = 0.99


@dataclass(frozen=True)
class ScoredEdits:
    """The scores of one document's edits and the signals behind them."""

    scores: np.ndarray  # float64, one per edit
    signals: np.ndarray  # float64, (edits x SIGNAL_NAMES)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    result: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * values))  # overflow-free logistic
    return result


def score_substitution(original: str, replacement: str) -> float:
    """How unnatural it is to write ``replacement`` where the source had ``original``, in [0, 1].

    Context-free: only the two strings are seen, scored by the same lexical model that
    scores swaps inside documents. Texts that normalise to the same tokens score 0.

    >>> score_substitution("fine", "nice") > score_substitution("procedure", "technique")
    True
    >>> score_substitution("We're", "we are")
    0.0
    """
    if not isinstance(original, str):
        raise TypeError(f"original must be str, got {type(original).__name__}")
    if not isinstance(replacement, str):
        raise TypeError(f"replacement must be str, got {type(replacement).__name__}")
    original_words = tokenize(original).norms
    replacement_words = tokenize(replacement).norms
    if original_words == replacement_words:
        return 0.0
    model = load_model()
    logit = model.lexical.logits(lexical_features([original_words], [replacement_words]))
    return float(_sigmoid(logit)[0])


def edit_scores(extraction: Extraction, article: Tokens, reference: Tokens) -> np.ndarray:
    """Scores in [0, 1] for the edits of one document, as a float64 array."""
    return edit_scores_batch([(extraction, article, reference)])[0]


def edit_scores_batch(documents: Sequence[DocumentSwaps]) -> list[np.ndarray]:
    """Scores for the edits of many documents: one feature matrix, one model pass.

    Returns one float64 array per document, in the order of its ``extraction.edits``.
    """
    return [scored.scores for scored in score_batch(documents)]


def score_batch(documents: Sequence[DocumentSwaps]) -> list[ScoredEdits]:
    """Scores and signals for the edits of many documents, computed as one matrix.

    A swap's score depends only on its own document: the same pair scores the same alone
    or in any batch.
    """
    counts = [len(extraction.edits) for extraction, _, _ in documents]
    total = sum(counts)
    if total == 0:
        return [
            ScoredEdits(np.zeros(0, dtype=np.float64), np.zeros((0, len(SIGNAL_NAMES))))
            for _ in documents
        ]
    originals: list[tuple[str, ...]] = []
    replacements: list[tuple[str, ...]] = []
    contexts = []
    for extraction, article, reference in documents:
        for edit in extraction.edits:
            originals.append(reference.norms[slice(*edit.reference_tokens)])
            replacements.append(article.norms[slice(*edit.article_tokens)])
        contexts.append(_document_context(extraction, article, reference))
    context = SwapContext(
        *(np.concatenate([getattr(c, field) for c in contexts]) for field in SwapContext.__slots__)
    )
    model = load_model()
    lexical = lexical_features(originals, replacements)
    lexical_logit = model.lexical.logits(lexical)
    # An insertion or deletion has no pair of phrases to judge: its evidence is its context.
    lexical_logit[context.one_sided] = 0.0
    inputs = np.column_stack([lexical_logit, context_features(context)])
    scores = _sigmoid(model.context.logits(inputs))
    signals = _signals(lexical, _sigmoid(lexical_logit), context)
    # A disguised copy of a word is deliberate, whatever the word: no model needed.
    evasion = np.fromiter(
        (edit.kind in EVASION_KINDS for extraction, _, _ in documents for edit in extraction.edits),
        dtype=bool,
        count=total,
    )
    scores[evasion] = EVASION_SCORE
    # The word itself is unchanged, so lexical evidence says nothing about these.
    lexical_signals = np.array(
        [SIGNAL_NAMES.index(name) for name in SIGNAL_NAMES if name in _LEXICAL_SIGNALS],
        dtype=np.int64,
    )
    signals[np.ix_(evasion, lexical_signals)] = np.nan
    signals[:, SIGNAL_NAMES.index("evasion")] = evasion
    bounds = np.cumsum(counts)[:-1]
    return [
        ScoredEdits(document_scores, document_signals)
        for document_scores, document_signals in zip(
            np.split(scores, bounds), np.split(signals, bounds)
        )
    ]


def _signals(lexical: np.ndarray, lexical_score: np.ndarray, context: SwapContext) -> np.ndarray:
    def column(name: str) -> np.ndarray:
        return lexical[:, LEXICAL_FEATURES.index(name)]

    lexical_score = np.where(context.one_sided, np.nan, lexical_score)
    columns = {
        "lexical_score": lexical_score,
        "known_spinner_rule": column("known_spinner_rule"),
        "thesaurus_synonym": column("moby_synonym"),
        "wordnet_synonym": column("wordnet_synonym"),
        "wordnet_dominant_sense": column("wordnet_dominant"),
        "zipf_shift": column("zipf_shift"),
        "isolation_tokens": np.minimum(context.left_match, context.right_match).astype(np.float64),
        "broken_collocation": context.broken_collocation.astype(np.float64),
        "proper_noun": context.proper_noun.astype(np.float64),
        "function_word": context.function_share,
        "evasion": np.zeros(len(lexical_score)),
    }
    return np.column_stack([columns[name] for name in SIGNAL_NAMES])


def _document_context(extraction: Extraction, article: Tokens, reference: Tokens) -> SwapContext:
    """Where each edit of one document sits: matches around it, neighbours, names, phrases."""
    edits = extraction.edits
    count = len(edits)
    a_start = np.fromiter((e.article_tokens[0] for e in edits), dtype=np.int64, count=count)
    a_end = np.fromiter((e.article_tokens[1] for e in edits), dtype=np.int64, count=count)
    passage_start = np.fromiter(
        (p.article_range[0] for p in extraction.passages), dtype=np.int64,
        count=len(extraction.passages),
    )
    passage_end = np.fromiter(
        (p.article_range[1] for p in extraction.passages), dtype=np.int64,
        count=len(extraction.passages),
    )
    # Edits sit strictly inside passages; a deletion at a block edge still has a_start > start.
    passage = np.searchsorted(passage_start, a_start, side="right") - 1
    same_as_previous = np.zeros(count, dtype=bool)
    same_as_previous[1:] = passage[1:] == passage[:-1]
    previous_end = np.where(
        same_as_previous, np.concatenate(([0], a_end[:-1])), passage_start[passage]
    )
    same_as_next = np.zeros(count, dtype=bool)
    same_as_next[:-1] = same_as_previous[1:]
    next_start = np.where(
        same_as_next, np.concatenate((a_start[1:], [0])), passage_end[passage]
    )
    window_low = np.searchsorted(a_start, a_start - CLUSTER_WINDOW, side="left")
    window_high = np.searchsorted(a_start, a_end + CLUSTER_WINDOW, side="right")
    one_sided = np.fromiter(
        (e.kind in (INSERTION, DELETION) for e in edits), dtype=bool, count=count
    )
    return SwapContext(
        left_match=a_start - previous_end,
        right_match=next_start - a_end,
        neighbours=window_high - window_low - 1,
        broken_collocation=_broken_collocations(extraction, article, reference),
        proper_noun=np.fromiter(
            (
                _has_name(article, *e.article_tokens) or _has_name(reference, *e.reference_tokens)
                for e in edits
            ),
            dtype=bool,
            count=count,
        ),
        one_sided=one_sided,
        function_share=function_share(
            [reference.norms[slice(*e.reference_tokens)] for e in edits]
        ),
        length_change=np.fromiter(
            (
                abs((e.article_tokens[1] - e.article_tokens[0])
                    - (e.reference_tokens[1] - e.reference_tokens[0]))
                for e in edits
            ),
            dtype=np.int64,
            count=count,
        ),
    )


def _has_name(tokens: Tokens, first: int, last: int) -> bool:
    """Whether a capitalised token in [first, last) sits inside a sentence (a proper noun)."""
    text = tokens.text
    for index in range(first, last):
        start = int(tokens.starts[index])
        if not text[start].isupper():
            continue
        position = start - 1
        while position >= 0 and text[position] in " \t":
            position -= 1
        if position >= 0 and text[position] not in _SENTENCE_OPENERS:
            return True
    return False


# A capital after these (or at the start of the text) may just start a sentence or a quote.
_SENTENCE_OPENERS = frozenset(".!?:;\"'()[]-\n\r\u201c\u201d\u2018\u2019\u2013\u2014\u2022")


def _broken_collocations(
    extraction: Extraction, article: Tokens, reference: Tokens
) -> np.ndarray:
    """For each edit: the original made a WordNet phrase with a neighbour, the replacement not.

    "legal action" -> "legal motion", "neural network" -> "neural organization".
    """
    # The original with each of its neighbours, at place 2 * edit + side (0: the left
    # neighbour, 1: the right one); an insertion has no original, so its phrase is the
    # neighbour alone (normalize strips the space it would leave). A missing neighbour gives
    # no phrase: there is nothing to break there. Parallel lists of ints and strings, which
    # the garbage collector does not track, rather than a tuple per phrase.
    edits, norms = extraction.edits, reference.norms
    places: list[int] = []
    phrases: list[str] = []
    for number, edit in enumerate(edits):
        r0, r1 = edit.reference_tokens
        original = " ".join(norms[r0:r1])
        left_word = norms[r0 - 1] if r0 > 0 else ""
        right_word = norms[r1] if r1 < len(norms) else ""
        if left_word:
            places.append(2 * number)
            phrases.append(f"{left_word} {original}" if original else left_word)
        if right_word:
            places.append(2 * number + 1)
            phrases.append(f"{original} {right_word}" if original else right_word)
    broken = np.zeros(2 * len(edits), dtype=bool)
    if phrases:
        made = lexicon.in_wordnet(phrases).tolist()
        # Only where the original made a phrase can the replacement break it.
        candidates = [place for place, found in zip(places, made) if found]
        broken[candidates] = ~lexicon.in_wordnet(
            [_replacement_phrase(edits[place // 2], place % 2, article, reference)
             for place in candidates]
        )
    return np.logical_or(broken[0::2], broken[1::2])


def _replacement_phrase(edit: Edit, side: int, article: Tokens, reference: Tokens) -> str:
    """The edit's replacement with the original's left (side 0) or right (1) neighbour."""
    replacement = " ".join(article.norms[slice(*edit.article_tokens)])
    r0, r1 = edit.reference_tokens
    if side == 0:
        return f"{reference.norms[r0 - 1]} {replacement}"
    return f"{replacement} {reference.norms[r1]}"


def document_score(flagged_count: int, aligned_tokens: int) -> float:
    """Spin score in [0, 1] from the density of flagged swaps over aligned article tokens.

    The density is smoothed with a prior of ``prior_tokens`` clean tokens, so one flagged swap
    in a short sentence is weak evidence, and the score saturates as the density grows:
    ``1 - exp(-flagged / (aligned + prior_tokens) / density_scale)``.

    >>> document_score(0, 500)
    0.0
    >>> document_score(40, 400) > document_score(2, 400) > 0.0
    True
    """
    if flagged_count <= 0:
        return 0.0
    model = load_model()
    density = flagged_count / (aligned_tokens + model.prior_tokens)
    return float(1.0 - np.exp(-density / model.density_scale))
