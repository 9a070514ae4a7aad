"""Score swaps for how unnatural they are, and a document for how spun it is.

Fourth stage (tokenize -> align -> extract -> score -> report). Features of every swap in a
batch of documents are computed as one matrix (``features.py``) and the shipped logistic
models (``model.py``, weights in ``data/model.json``) score them in two matrix products.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

import numpy as np

from .. import lexicon
from .._arrays import range_indices
from ..extract import (
    DELETION,
    EVASION_KINDS,
    INSERTION,
    Edit,
    Extraction,
    edit_spans,
)
from ..tokenize import Tokens, join_tokens, tokenize
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
    "score_edits",
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
    or in any batch. ``score_edits`` of the documents, cut into one per document.
    """
    scored = score_edits(documents)
    bounds = np.cumsum([len(extraction.edits) for extraction, _, _ in documents])[:-1]
    return [
        ScoredEdits(document_scores, document_signals)
        for document_scores, document_signals in zip(
            np.split(scored.scores, bounds), np.split(scored.signals, bounds)
        )
    ]


def score_edits(documents: Sequence[DocumentSwaps]) -> ScoredEdits:
    """The scores and signals of every edit of ``documents``, in order, as one
    ``ScoredEdits`` (the rows of ``score_batch`` before they are cut into documents).

    >>> from spindetect.tokenize import tokenize
    >>> from spindetect.align import align, token_ids
    >>> from spindetect.extract import extract_edits
    >>> article = tokenize("They paid a nice of 500 euros.")
    >>> reference = tokenize("They paid a fine of 500 euros.")
    >>> alignment = align(*token_ids(article.norms, reference.norms))
    >>> extraction = extract_edits(alignment, article.norms, reference.norms)
    >>> scored = score_edits([(extraction, article, reference)])
    >>> scored.scores.shape, scored.signals.shape, bool(scored.scores[0] > 0.5)
    ((1,), (1, 11), True)
    """
    total = sum(len(extraction.edits) for extraction, _, _ in documents)
    if total == 0:
        return ScoredEdits(np.zeros(0, dtype=np.float64), np.zeros((0, len(SIGNAL_NAMES))))
    originals, replacements, context = swap_inputs(documents)
    model = load_model()
    # A row depends on the two phrases only: each distinct pair is computed once (scraped
    # pages repeat their boilerplate, and spinners their favourite swaps).
    pair_numbers: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    row_of_swap = np.fromiter(
        (pair_numbers.setdefault(pair, len(pair_numbers)) for pair in zip(originals, replacements)),
        dtype=np.int64,
        count=total,
    )
    distinct = list(pair_numbers)
    lexical = lexical_features(
        [original for original, _ in distinct], [replacement for _, replacement in distinct]
    )[row_of_swap]
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
    return ScoredEdits(scores, signals)


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


def swap_inputs(
    documents: Sequence[DocumentSwaps],
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], SwapContext]:
    """What the models see of every edit of ``documents``, in order: the original and the
    replacement words (normalised tokens) and where each edit sits (``SwapContext``).

    ``score_batch`` scores these; ``scripts/fit_model.py`` fits the models on them. The
    documents are joined (``join_tokens``) so that each step is one pass over the batch.
    """
    extractions = [extraction for extraction, _, _ in documents]
    article, article_first = join_tokens([article for _, article, _ in documents])
    reference, reference_first = join_tokens([reference for _, _, reference in documents])
    edit_counts = np.fromiter(
        (len(extraction.edits) for extraction in extractions), dtype=np.int64,
        count=len(extractions),
    )
    document = np.repeat(np.arange(len(extractions), dtype=np.int64), edit_counts)
    edits = list(chain.from_iterable(map(attrgetter("edits"), extractions)))
    # Token ranges in the joined texts: each document's ranges moved by where its tokens begin.
    spans = edit_spans(edits)
    spans[:, :2] += article_first[document, None]
    spans[:, 2:] += reference_first[document, None]
    a_start, a_end, r_start, r_end = spans.T.tolist()
    originals = list(map(reference.norms.__getitem__, map(slice, r_start, r_end)))
    replacements = list(map(article.norms.__getitem__, map(slice, a_start, a_end)))
    context = _context(
        extractions, edits, article, reference, spans, document, article_first,
        reference_first, originals,
    )
    return originals, replacements, context


def _context(
    extractions: Sequence[Extraction],
    edits: Sequence[Edit],
    article: Tokens,
    reference: Tokens,
    spans: np.ndarray,
    document: np.ndarray,
    article_first: np.ndarray,
    reference_first: np.ndarray,
    originals: list[tuple[str, ...]],
) -> SwapContext:
    """Where each edit sits: matches around it, neighbours, names, phrases.

    ``article`` and ``reference`` are the documents' tokens joined (``join_tokens``, whose
    ``first`` arrays say where each document begins); ``spans`` are the edits' token ranges
    in them, ``document`` the document of each edit, ``originals`` its reference words;
    ``edits`` are the extractions' edits, one after another.
    """
    count = len(edits)
    a_start, a_end, r_start, r_end = spans.T
    # Positions in which documents lie far enough apart that no passage or cluster window
    # reaches from one into the next.
    stride = int(np.max(np.diff(article_first), initial=0)) + 2 * CLUSTER_WINDOW + 2
    base = article_first[:-1] - np.arange(len(extractions), dtype=np.int64) * stride
    passage_ranges = np.array(
        [passage.article_range for extraction in extractions for passage in extraction.passages],
        dtype=np.int64,
    ).reshape(-1, 2)
    passage_document = np.repeat(
        np.arange(len(extractions), dtype=np.int64),
        np.fromiter((len(e.passages) for e in extractions), dtype=np.int64,
                    count=len(extractions)),
    )
    passage_start = passage_ranges[:, 0] + article_first[passage_document] - base[passage_document]
    passage_end = passage_ranges[:, 1] + article_first[passage_document] - base[passage_document]
    start, end = a_start - base[document], a_end - base[document]
    # Edits sit strictly inside passages; a deletion at a block edge still has start > its
    # passage's start.
    passage = np.searchsorted(passage_start, start, side="right") - 1
    same_as_previous = np.zeros(count, dtype=bool)
    same_as_previous[1:] = passage[1:] == passage[:-1]
    previous_end = np.where(
        same_as_previous, np.concatenate(([0], end[:-1])), passage_start[passage]
    )
    same_as_next = np.zeros(count, dtype=bool)
    same_as_next[:-1] = same_as_previous[1:]
    next_start = np.where(same_as_next, np.concatenate((start[1:], [0])), passage_end[passage])
    window_low = np.searchsorted(start, start - CLUSTER_WINDOW, side="left")
    window_high = np.searchsorted(start, end + CLUSTER_WINDOW, side="right")
    one_sided = np.fromiter(
        map(_ONE_SIDED.__contains__, map(attrgetter("kind"), edits)), dtype=bool, count=count
    )
    return SwapContext(
        left_match=start - previous_end,
        right_match=next_start - end,
        neighbours=window_high - window_low - 1,
        broken_collocation=_broken_collocations(
            article.norms, reference.norms, spans,
            reference_first[document], reference_first[document + 1],
        ),
        proper_noun=_has_names(article, a_start, a_end) | _has_names(reference, r_start, r_end),
        one_sided=one_sided,
        function_share=function_share(originals),
        length_change=np.abs((a_end - a_start) - (r_end - r_start)),
    )


_ONE_SIDED = frozenset({INSERTION, DELETION})


def _has_names(tokens: Tokens, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """For each token range [first, last): whether a capitalised token in it sits inside a
    sentence (a proper noun), as bools. Only capitalised tokens are looked at one by one."""
    index, range_of_token = range_indices(first, last)
    text = tokens.text
    starts = tokens.starts[index].tolist()
    capitalised = np.fromiter(
        map(str.isupper, map(text.__getitem__, starts)), dtype=bool, count=len(starts)
    )
    names = np.zeros(len(first), dtype=bool)
    for token, start in zip(np.flatnonzero(capitalised).tolist(),
                            tokens.starts[index[capitalised]].tolist()):
        position = start - 1
        while position >= 0 and text[position] in " \t":
            position -= 1
        if position >= 0 and text[position] not in _SENTENCE_OPENERS:
            names[range_of_token[token]] = True
    return names


# A capital after these (or at the start of the text) may just start a sentence or a quote.
_SENTENCE_OPENERS = frozenset(".!?:;\"'()[]-\n\r\u201c\u201d\u2018\u2019\u2013\u2014\u2022")


def _broken_collocations(
    article_norms: Sequence[str],
    reference_norms: Sequence[str],
    spans: np.ndarray,
    reference_low: np.ndarray,
    reference_high: np.ndarray,
) -> np.ndarray:
    """For each edit (token ranges ``spans`` into ``article_norms`` and ``reference_norms``):
    the original made a WordNet phrase with a neighbour, the replacement not. An edit's
    reference neighbours are looked for in [reference_low, reference_high), its document.

    "legal action" -> "legal motion", "neural network" -> "neural organization".
    """
    # The original with its left neighbour, and with its right one: reference tokens
    # [r_start - 1, r_end) and [r_start, r_end + 1). An insertion has no original, so its
    # phrase is the neighbour alone; a missing (or empty) neighbour gives no phrase: there
    # is nothing to break there.
    a_start, a_end, r_start, r_end = spans.T
    norms = reference_norms
    has_left, has_right = r_start > reference_low, r_end < reference_high
    if "" in norms:
        has_left &= np.fromiter(
            (bool(norms[r0 - 1]) if left else False
             for r0, left in zip(r_start.tolist(), has_left.tolist())),
            dtype=bool, count=len(spans),
        )
        has_right &= np.fromiter(
            (bool(norms[r1]) if right else False
             for r1, right in zip(r_end.tolist(), has_right.tolist())),
            dtype=bool, count=len(spans),
        )
    broken = np.zeros(len(spans), dtype=bool)
    for rows, first, last, side in (
        (np.flatnonzero(has_left), r_start - 1, r_end, 0),
        (np.flatnonzero(has_right), r_start, r_end + 1, 1),
    ):
        made = lexicon.in_wordnet(_phrases(norms, first[rows], last[rows]))
        # Only where the original made a phrase can the replacement break it.
        candidates = rows[made]
        replacements = _phrases(article_norms, a_start[candidates], a_end[candidates])
        neighbours = (r_start[candidates] - 1 if side == 0 else r_end[candidates]).tolist()
        broken[candidates] |= ~lexicon.in_wordnet([
            f"{norms[neighbour]} {replacement}" if side == 0 else f"{replacement} {norms[neighbour]}"
            for neighbour, replacement in zip(neighbours, replacements)
        ])
    return broken


def _phrases(norms: Sequence[str], first: np.ndarray, last: np.ndarray) -> list[str]:
    """The words of each token range [first, last) joined by spaces."""
    return list(map(" ".join, map(norms.__getitem__, map(slice, first.tolist(), last.tolist()))))


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
