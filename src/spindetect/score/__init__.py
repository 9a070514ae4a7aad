"""Score swaps for how unnatural they are in context, and a document for how spun it is.

Fourth stage (tokenize -> align -> extract -> score -> report). Every swap of a batch of
documents is described by one feature matrix: what replaced what (``features.py``, lexical)
and whether it fits where it stands (``context.py``: sense, syntax, collocation, spinner
habits). The shipped logistic models (``model.py``, weights in ``data/model.json``) turn it
into each swap's calibrated probability of being spinner-made; the document model
(``document.py``) accumulates the swaps' log-odds with the document's shape into the
probability that the document is spun.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

import numpy as np

from .. import bigrams, lexicon
from .._arrays import logistic, range_indices
from .._checks import check_text
from ..extract import (
    DELETION,
    EVASION_KINDS,
    INSERTION,
    Edit,
    Extraction,
    edit_spans,
)
from ..tokenize import Tokens, join_tokens, tokenize
from .context import (
    CONTEXT_WINDOW,
    ContextEvidence,
    SwapWords,
    context_evidence,
    title_case_texts,
)
from .document import document_features, document_shapes
from .features import (
    LEXICAL_FEATURES,
    SwapContext,
    context_features,
    function_share,
    lexical_features,
    swap_model_inputs,
)
from .model import ScoringModel, load_model

__all__ = [
    "DEFAULT_THRESHOLD",
    "SIGNAL_NAMES",
    "DocumentSwaps",
    "EditEvidence",
    "ScoredEdits",
    "SwapInputs",
    "document_scores",
    "edit_evidence",
    "prior_log_odds",
    "score_edits",
    "score_substitution",
    "swap_inputs",
]

# A swap is flagged at or over this score, and a document is called spun at or over it. Both
# are calibrated probabilities (balanced classes on the development data, docs/evaluation.md),
# so 0.5 is "more likely spinner than person".
DEFAULT_THRESHOLD = 0.5

# (extraction, article tokens, reference tokens) of one document.
DocumentSwaps = tuple[Extraction, Tokens, Tokens]

# The evidence reported with each swap, in Swap.signals (explained in docs/evaluation.md).
# Signals that do not apply to a swap (no verdict) are left out of it.
SIGNAL_NAMES: tuple[str, ...] = (
    "lexical_score",  # the context-free score of what replaced what
    "known_spinner_rule",
    "thesaurus_synonym",
    "wordnet_synonym",
    "wordnet_dominant_sense",
    "zipf_shift",
    "sense_in_context",  # 1: a synonym in the sense the context uses; 0: in another sense only
    "sense_blind",
    "part_of_speech_mismatch",
    "valency_break",
    "article_agreement",
    "collocation_drop",  # log10 fall of the word-pair count with a neighbour (the larger side)
    "collocation_lost",
    "fluency_drop",  # log10: how much less likely the words read with the replacement
    "function_word_expansion",
    "filler_added",
    "repeated_rule",
    "broken_collocation",
    "proper_noun",
    "function_word",
    "evasion",  # a homoglyph or invisible-character disguise of a matched word
    "spun_document",  # the score of the document the swap sits in
)

_LEXICAL_SIGNALS = frozenset(
    {"lexical_score", "known_spinner_rule", "thesaurus_synonym", "wordnet_synonym",
     "wordnet_dominant_sense", "zipf_shift", "function_word"}
)
# Share of the edits that are the spinner's in spun text, and in a person's rewrite: the
# prior of an edit's score. In the PAN-PC-10 rewrites judged by reading, every swap of a
# spun sentence was the spinner's (one in five happens to read naturally); a person's
# rewrite holds no spinner swaps, but a person may pick a thesaurus word now and then.
SPUN_EDIT_SHARE = 0.9
HUMAN_EDIT_SHARE = 0.02
# Score of a homoglyph or invisible-character edit: hiding a copy is never innocent.
EVASION_SCORE = 0.99
_EVASION_LOGIT = float(np.log(EVASION_SCORE / (1.0 - EVASION_SCORE)))


@dataclass(frozen=True)
class ScoredEdits:
    """The scores of a batch's edits, in order, the evidence behind them, and the scores of
    the batch's documents."""

    scores: np.ndarray  # float64, one per edit: probability that a spinner made it
    evidence: np.ndarray  # float64, per edit: log-odds from the swap itself and its context
    signals: np.ndarray  # float64, (edits x SIGNAL_NAMES), NaN where a signal does not apply
    documents: np.ndarray  # float64, one per document: probability that it is spun


@dataclass(frozen=True)
class SwapInputs:
    """What the models see of every edit of a batch, in order: the original and the
    replacement words (normalised tokens), what the lexicon says of the pair (rows of
    ``lexical_features``), where each edit sits (``SwapContext``) and what the words around
    it say (``ContextEvidence``)."""

    originals: list[tuple[str, ...]]
    replacements: list[tuple[str, ...]]
    lexical: np.ndarray
    judgeable: np.ndarray  # bool: a swap of English words, no number: evidence either way
    context: SwapContext
    evidence: ContextEvidence


def score_substitution(original: str, replacement: str) -> float:
    """How unnatural it is to write ``replacement`` where the source had ``original``, in [0, 1].

    Context-free: only the two strings are seen, scored by the lexical model that also feeds
    the in-context scoring of swaps inside documents. Texts that normalise to the same tokens
    score 0. A side with no words (empty, or punctuation only) replaces nothing or by
    nothing: that is an insertion or a deletion, which only its context can judge
    (``compare``), and a ValueError says so.

    >>> score_substitution("fine", "nice") > score_substitution("procedure", "technique")
    True
    >>> score_substitution("We're", "we are")
    0.0
    >>> score_substitution("fine", "...")
    Traceback (most recent call last):
      ...
    ValueError: replacement has no words ('...'): a substitution replaces words by words; compare() judges insertions and deletions in their context
    """
    original_words = tokenize(check_text(original, "original")).norms
    replacement_words = tokenize(check_text(replacement, "replacement")).norms
    if original_words == replacement_words:
        return 0.0
    for name, text, words in (("original", original, original_words),
                              ("replacement", replacement, replacement_words)):
        if not words:
            raise ValueError(
                f"{name} has no words ({text[:40]!r}): a substitution replaces words by words; "
                "compare() judges insertions and deletions in their context"
            )
    model = load_model()
    logit = model.lexical.logits(lexical_features([original_words], [replacement_words]))
    return float(logistic(logit)[0])


def score_edits(documents: Sequence[DocumentSwaps]) -> ScoredEdits:
    """The scores and signals of every edit of ``documents``, in order, and each document's
    spin score.

    An edit's evidence (its log-odds from what replaced what and how it fits its context)
    adds up, with the document's shape, to the document's score; the edit's score is the
    probability that the spinner made it: its evidence added to the prior its document's
    score gives (``_prior_log_odds``). Everything depends only on the edit's own document:
    the same pair scores the same alone or in any batch.

    >>> from spindetect.tokenize import tokenize
    >>> from spindetect.align import align, token_ids
    >>> from spindetect.extract import extract_edits
    >>> article = tokenize("They paid a nice of 500 euros on Monday.")
    >>> reference = tokenize("They paid a fine of 500 euros on Monday.")
    >>> alignment = align(*token_ids(article.norms, reference.norms))
    >>> extraction = extract_edits(alignment, article.norms, reference.norms)
    >>> scored = score_edits([(extraction, article, reference)])
    >>> scored.scores.shape, scored.signals.shape == (1, len(SIGNAL_NAMES))
    ((1,), True)
    >>> bool(scored.scores[0] > 0.5), bool(scored.documents[0] > 0.5)
    (True, True)
    """
    model = load_model()
    edits = edit_evidence(documents, model)
    document_scores = _document_probabilities(edits, model)
    scores = logistic(edits.evidence + prior_log_odds(document_scores)[edits.document])
    scores[edits.evasion] = EVASION_SCORE
    signals = edits.signals
    if len(signals):
        signals[:, SIGNAL_NAMES.index("spun_document")] = document_scores[edits.document]
    return ScoredEdits(scores, edits.evidence, signals, document_scores)


def document_scores(documents: Sequence[DocumentSwaps]) -> np.ndarray:
    """Each document's spin score (float64), equal to ``score_edits(documents).documents``,
    without the edits' own scores and signals, which a score alone does not need
    (``spindetect.score_many``; tests/test_pipeline.py asserts the equality).

    >>> document_scores([]).dtype
    dtype('float64')
    """
    model = load_model()
    return _document_probabilities(edit_evidence(documents, model, signals=False), model)


def _document_probabilities(edits: EditEvidence, model: ScoringModel) -> np.ndarray:
    """The document model's probability that each document is spun (float64)."""
    document_logits = model.document.logits(edits.document_features)
    # Without a single edit that can be judged there is no evidence of spinning: a copy,
    # nothing aligned, or only swaps of numbers and unknown words.
    probabilities: np.ndarray = np.where(edits.judged_documents, logistic(document_logits), 0.0)
    return probabilities


@dataclass(frozen=True)
class EditEvidence:
    """The swap model's verdict on each edit of a batch (``edit_evidence``)."""

    evidence: np.ndarray  # float64 log-odds per edit (0 for edits that cannot be judged)
    evasion: np.ndarray  # bool per edit: a homoglyph or invisible-character disguise
    signals: np.ndarray  # (edits x SIGNAL_NAMES), ``spun_document`` not yet filled; or
    # (0 x SIGNAL_NAMES) when not asked for
    document: np.ndarray  # int64: the document of each edit
    document_features: np.ndarray  # (documents x DOCUMENT_FEATURES)
    judged_documents: np.ndarray  # bool per document: has an edit that could be judged


def edit_evidence(
    documents: Sequence[DocumentSwaps], model: ScoringModel, *, signals: bool = True
) -> EditEvidence:
    """Each edit's evidence (log-odds from what replaced what and how it fits its context,
    by ``model``'s lexical and swap models) and each document's features for the document
    model: ``score_edits`` before the document model, shared with ``scripts/fit_model.py``.
    The signal matrix, which only reports read, is built when ``signals`` is true."""
    extractions = [extraction for extraction, _, _ in documents]
    edit_counts = [len(extraction.edits) for extraction in extractions]
    total = sum(edit_counts)
    document = np.repeat(np.arange(len(documents), dtype=np.int64), edit_counts)
    shape = document_shapes(
        extractions, [len(article) for _, article, _ in documents],
        [len(reference) for _, _, reference in documents],
    )
    evidence = np.zeros(total, dtype=np.float64)
    evasion = np.zeros(total, dtype=bool)
    judgeable = np.zeros(total, dtype=bool)
    signal_matrix = np.zeros((total if signals else 0, len(SIGNAL_NAMES)), dtype=np.float64)
    if total:
        inputs = swap_inputs(documents)
        lexical_logit = _lexical(inputs, model)
        evidence = model.context.logits(swap_model_inputs(
            inputs.lexical, lexical_logit, context_features(inputs.context, inputs.evidence)
        ))
        # A disguised copy of a word is deliberate, whatever the word: no model needed.
        evasion = np.fromiter(
            (edit.kind in EVASION_KINDS for extraction in extractions for edit in extraction.edits),
            dtype=bool,
            count=total,
        )
        # Swaps of words the lexicon does not know (another language or script) or of
        # numbers say nothing about spinning: no evidence either way.
        judgeable = inputs.judgeable | evasion
        evidence[~judgeable] = 0.0
        evidence[evasion] = _EVASION_LOGIT
        if signals:
            signal_matrix = _signals(inputs.lexical, logistic(lexical_logit), inputs, evasion)
    return EditEvidence(
        evidence=evidence,
        evasion=evasion,
        signals=signal_matrix,
        document=document,
        document_features=document_features(evidence[judgeable], document[judgeable], shape),
        judged_documents=np.bincount(document[judgeable], minlength=len(documents)) > 0,
    )


def prior_log_odds(document_scores: np.ndarray) -> np.ndarray:
    """Log-odds that an edit of each document is a spinner's before its own evidence is
    seen, from how likely the document is spun (``document_scores``, float64): in spun text
    nearly every edit is the spinner's (``SPUN_EDIT_SHARE``), in a person's rewrite almost
    none (``HUMAN_EDIT_SHARE``). The swap model was fitted on balanced classes, so its
    log-odds are the evidence alone and this prior adds to them (Bayes' rule).

    >>> prior_log_odds(np.array([0.0, 1.0])).round(2).tolist()
    [-3.89, 2.2]
    """
    prior = SPUN_EDIT_SHARE * document_scores + HUMAN_EDIT_SHARE * (1.0 - document_scores)
    result: np.ndarray = np.log(prior / (1.0 - prior))
    return result


def _lexical(inputs: SwapInputs, model: ScoringModel) -> np.ndarray:
    """The lexical model's log-odds of the swaps (0 for insertions and deletions, which
    have no pair of phrases to judge)."""
    logit = model.lexical.logits(inputs.lexical)
    logit[inputs.context.one_sided] = 0.0
    return logit


def _distinct_pair_features(
    originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]]
) -> np.ndarray:
    """``lexical_features`` of the swaps, each distinct pair computed once (scraped pages
    repeat their boilerplate, and spinners their favourite swaps)."""
    pair_numbers: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    row_of_swap = np.fromiter(
        (pair_numbers.setdefault(pair, len(pair_numbers)) for pair in zip(originals, replacements)),
        dtype=np.int64,
        count=len(originals),
    )
    distinct = list(pair_numbers)
    return lexical_features(
        [original for original, _ in distinct], [replacement for _, replacement in distinct]
    )[row_of_swap]


def _signals(
    lexical: np.ndarray, lexical_score: np.ndarray, inputs: SwapInputs, evasion: np.ndarray
) -> np.ndarray:
    """The (edits x SIGNAL_NAMES) matrix of what each edit's score rests on (NaN: does not
    apply); ``spun_document`` is left for the caller to fill."""

    def column(name: str) -> np.ndarray:
        return lexical[:, LEXICAL_FEATURES.index(name)]

    context, evidence = inputs.context, inputs.evidence
    one_sided = context.one_sided
    lexical_score = np.where(one_sided, np.nan, lexical_score)
    columns = {
        "lexical_score": lexical_score,
        "known_spinner_rule": column("known_spinner_rule"),
        "thesaurus_synonym": column("moby_synonym"),
        "wordnet_synonym": column("wordnet_synonym"),
        "wordnet_dominant_sense": column("wordnet_dominant"),
        "zipf_shift": column("zipf_shift"),
        "sense_in_context": evidence.sense_fit,
        "sense_blind": np.where(np.isnan(evidence.sense_fit), np.nan, evidence.sense_blind),
        "part_of_speech_mismatch": evidence.pos_mismatch,
        "valency_break": evidence.valency_break,
        "article_agreement": evidence.article_agreement,
        "collocation_drop": np.where(
            one_sided, np.nan, np.maximum(evidence.collocation_left, evidence.collocation_right)
        ),
        "collocation_lost": np.where(one_sided, np.nan, evidence.collocation_lost),
        "fluency_drop": evidence.fluency_drop,
        "function_word_expansion": evidence.function_expansion,
        "filler_added": evidence.filler,
        "repeated_rule": evidence.repeated_rule,
        "broken_collocation": context.broken_collocation.astype(np.float64),
        "proper_noun": context.proper_noun.astype(np.float64),
        "function_word": context.function_share,
        "evasion": evasion.astype(np.float64),
        "spun_document": np.full(len(lexical_score), np.nan),
    }
    signals = np.column_stack([columns[name] for name in SIGNAL_NAMES])
    # The word itself is unchanged, so lexical evidence says nothing about these.
    lexical_signals = [SIGNAL_NAMES.index(name) for name in SIGNAL_NAMES if name in _LEXICAL_SIGNALS]
    signals[np.ix_(evasion, np.array(lexical_signals, dtype=np.int64))] = np.nan
    return signals


def swap_inputs(documents: Sequence[DocumentSwaps]) -> SwapInputs:
    """What the models see of every edit of ``documents``, in order (``SwapInputs``).

    ``score_edits`` scores these; ``scripts/fit_model.py`` fits the models on them. The
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
    lexical = _distinct_pair_features(originals, replacements)
    related = (lexical[:, LEXICAL_FEATURES.index("wordnet_synonym")] > 0) | (
        lexical[:, LEXICAL_FEATURES.index("wordnet_related")] > 0
    )
    # Only a one-word original WordNet relates to its replacement gets a sense verdict, so
    # only its context words are gathered.
    one_word = np.fromiter(map(len, originals), dtype=np.int64, count=len(originals)) == 1
    words = _swap_words(
        article, reference, spans, document, article_first, reference_first, originals,
        replacements, related & one_word,
    )
    context = _context(
        edits, article, reference, spans, document, article_first, reference_first, originals
    )
    # Names, numbers and words in capitals get no sense or syntax verdict: WordNet's senses
    # and parts of speech are those of lower-case common words.
    common = ~(context.proper_noun | context.all_caps | (lexical[:, LEXICAL_FEATURES.index("has_number")] > 0))
    return SwapInputs(
        originals=originals,
        replacements=replacements,
        lexical=lexical,
        judgeable=_english(originals, replacements)
        & (lexical[:, LEXICAL_FEATURES.index("has_number")] == 0),
        context=context,
        evidence=context_evidence(words, related, common),
    )


def _english(originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]]) -> np.ndarray:
    """Whether each side of each swap that has words has an English one, as bools: a word the
    Google Books counts list (``bigrams``) or, failing that, one of the shipped lexicon (Moby or
    WordNet). A swap of another language's words is not judged; a spinner's rare English
    word ("misdeem" for "mistake") is, for it is what a thesaurus spinner writes."""
    def known_side(phrases: Sequence[tuple[str, ...]]) -> np.ndarray:
        lengths = np.fromiter(map(len, phrases), dtype=np.int64, count=len(phrases))
        phrase_of_word = np.repeat(np.arange(len(phrases), dtype=np.int64), lengths)
        words = list(chain.from_iterable(phrases))
        known = bigrams.word_ids(words) >= 0
        rare = np.flatnonzero(~known)
        if rare.size:
            known[rare] = lexicon.in_vocabulary([words[i] for i in rare.tolist()])
        return (np.bincount(phrase_of_word[known], minlength=len(phrases)) > 0) | (lengths == 0)

    return known_side(originals) & known_side(replacements)


def _swap_words(
    article: Tokens,
    reference: Tokens,
    spans: np.ndarray,
    document: np.ndarray,
    article_first: np.ndarray,
    reference_first: np.ndarray,
    originals: list[tuple[str, ...]],
    replacements: list[tuple[str, ...]],
    with_context: np.ndarray,
) -> SwapWords:
    """The words of every edit and around them (``context.SwapWords``), from the edits' token
    ranges ``spans`` in the joined texts and the document of each edit; context words are
    gathered for the edits ``with_context`` only."""
    a_start, a_end, r_start, r_end = spans.T
    article_norms, reference_norms = article.norms, reference.norms
    reference_low, reference_high = reference_first[document], reference_first[document + 1]
    article_low, article_high = article_first[document], article_first[document + 1]
    # The reference's content words within CONTEXT_WINDOW tokens of each original.
    low = np.where(with_context, np.maximum(r_start - CONTEXT_WINDOW, reference_low), 0)
    high = np.where(with_context, np.minimum(r_end + CONTEXT_WINDOW, reference_high), 0)
    index, owner = range_indices(low, high)
    outside = (index < r_start[owner]) | (index >= r_end[owner])
    index, owner = index[outside], owner[outside]
    window_words = list(map(reference_norms.__getitem__, index.tolist()))
    is_content = {
        word: word.isalpha() and word not in lexicon.FUNCTION_WORDS
        for word in dict.fromkeys(window_words)
    }
    content = np.fromiter(map(is_content.__getitem__, window_words), dtype=bool, count=len(window_words))
    return SwapWords(
        originals=originals,
        replacements=replacements,
        reference_before=_neighbours(reference_norms, r_start - 1, r_start > reference_low),
        reference_after=_neighbours(reference_norms, r_end, r_end < reference_high),
        article_before=_neighbours(article_norms, a_start - 1, a_start > article_low),
        article_after=_neighbours(article_norms, a_end, a_end < article_high),
        context_words=[word for word, keep in zip(window_words, content.tolist()) if keep],
        context_swap=owner[content],
        document=document,
    )


def _neighbours(norms: Sequence[str], index: np.ndarray, present: np.ndarray) -> list[str]:
    """``norms[i]`` for each index where ``present``, else ``""``."""
    return [norms[i] if ok else "" for i, ok in zip(index.tolist(), present.tolist())]


def _context(
    edits: Sequence[Edit],
    article: Tokens,
    reference: Tokens,
    spans: np.ndarray,
    document: np.ndarray,
    article_first: np.ndarray,
    reference_first: np.ndarray,
    originals: Sequence[tuple[str, ...]],
) -> SwapContext:
    """What each edit is and where it sits: names, phrases it breaks, function words.

    ``article`` and ``reference`` are the documents' tokens joined (``join_tokens``);
    ``spans`` are the edits' token ranges in them, ``document`` the document of each edit,
    ``article_first`` and ``reference_first`` where each document's tokens begin,
    ``originals`` its reference words; ``edits`` are the extractions' edits, one after
    another.
    """
    a_start, a_end, r_start, r_end = spans.T
    one_sided = np.fromiter(
        map(_ONE_SIDED.__contains__, map(attrgetter("kind"), edits)), dtype=bool,
        count=len(edits),
    )
    article_names, article_caps = _capitalised(article, a_start, a_end, article_first)
    reference_names, reference_caps = _capitalised(reference, r_start, r_end, reference_first)
    return SwapContext(
        broken_collocation=_broken_collocations(
            article.norms, reference.norms, spans,
            reference_first[document], reference_first[document + 1],
        ),
        proper_noun=article_names | reference_names,
        all_caps=article_caps | reference_caps,
        one_sided=one_sided,
        function_share=function_share(originals),
        length_change=np.abs((a_end - a_start) - (r_end - r_start)),
    )


_ONE_SIDED = frozenset({INSERTION, DELETION})


def _capitalised(
    tokens: Tokens, first: np.ndarray, last: np.ndarray, documents: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each token range [first, last): whether a capitalised token in it sits inside a
    sentence (a proper noun), and whether a token of two or more letters in it is written in
    capitals only ("FINE", "NATO"), as two bool arrays. Only capitalised tokens are looked at
    one by one.

    ``documents`` says where each joined document's tokens begin (``join_tokens``; by
    default ``tokens`` is one document). In a document written in title case ("Court
    Imposes A Fine Of 500,000 Euros"), a capital marks no name: none is read as one."""
    documents = np.array([0, len(tokens.norms)]) if documents is None else documents
    index, range_of_token = range_indices(first, last)
    text = tokens.text
    starts = tokens.starts[index].tolist()
    capitalised = np.fromiter(
        map(str.isupper, map(text.__getitem__, starts)), dtype=bool, count=len(starts)
    )
    names = np.zeros(len(first), dtype=bool)
    all_caps = np.zeros(len(first), dtype=bool)
    # In a headline written in title case a capital marks no name.
    in_title = (
        _title_case_tokens(tokens, documents)[index[capitalised]].tolist()
        if capitalised.any() else []
    )
    for token, start, end, title in zip(np.flatnonzero(capitalised).tolist(),
                                        tokens.starts[index[capitalised]].tolist(),
                                        tokens.ends[index[capitalised]].tolist(), in_title):
        if end - start > 1 and text[start:end].isupper():
            all_caps[range_of_token[token]] = True
        if title:
            continue
        position = start - 1
        while position >= 0 and text[position] in " \t":
            position -= 1
        if position >= 0 and text[position] not in _SENTENCE_OPENERS:
            names[range_of_token[token]] = True
        elif _name_follows(tokens, int(index[token]), end):
            names[range_of_token[token]] = True
    return names, all_caps


def _title_case_tokens(tokens: Tokens, documents: np.ndarray) -> np.ndarray:
    """Whether each token is in a document written in title case (``context.title_case_texts``);
    ``documents`` says where each document's tokens begin, and then their total."""
    codes = np.frombuffer(tokens.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    texts = len(documents) - 1
    text_of_token = np.repeat(np.arange(texts, dtype=np.int64), np.diff(documents))
    title: np.ndarray = title_case_texts(codes[tokens.starts], text_of_token, texts)[text_of_token]
    return title


def _name_follows(tokens: Tokens, token: int, end: int) -> bool:
    """Whether a capitalised token that opens a sentence starts a name: a capitalised word
    follows it after spaces only ("John Smith met ..."), and it is no function word ("The
    Court ..." starts a sentence, not a name)."""
    following = token + 1
    if following >= len(tokens.norms) or tokens.norms[token] in lexicon.FUNCTION_WORDS:
        return False
    start = int(tokens.starts[following])
    gap = tokens.text[end:start]
    return gap.strip(" \t") == "" and tokens.text[start : start + 1].isupper()


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


