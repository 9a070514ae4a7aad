"""Find candidate findings in a batch of tokenized texts, with array passes over the batch.

Four finders, each over the whole batch joined (``tokenize.join_tokens``):

- ``known``: windows of 2-9 tokens whose canonical ids hash to a known tortured phrase;
- ``collocations``: adjacent content words, not split by punctuation, that are no listed
  pair and no expression, yet map onto a fixed expression when one or both words are
  replaced by a word they may stand for (``phrases.Collocations``);
- ``evasions``: words disguised with look-alike letters of another script or invisible
  characters (only texts with a non-ASCII character are looked at);
- ``grammar`` (``grammar.py``): words that cannot fill their slot ("a nice of", "an sign",
  "go away markets").

Each gives ``Hit`` rows with the evidence the scorer (``model.py``) reads; nothing is
scored here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from dataclasses import dataclass

import numpy as np
import regex

from .. import bigrams, language_model, lexicon
from .._arrays import distinct_pairs, previous_in_runs, range_indices
from ..lexicon.batch import WordLookups
from ..tokenize import (
    INVISIBLE_CHARACTER,
    TokenBatch,
    Tokens,
    fold_token,
    join_tokens,
    normalize_token,
)
from ..tokenize_spans import letter_or_digit
from ..score.context import WordClasses, title_case_texts
from .grammar import GRAMMAR_FEATURES, Forms, expected_fixes, grammar_candidates
from .phrases import (
    RULE,
    SPINNER_TARGET,
    THESAURUS,
    WORDNET,
    WORDNET_LEMMA,
    Collocations,
    KnownPhrases,
)

__all__ = [
    "BROKEN_GRAMMAR",
    "FEATURES",
    "GRAMMAR_FEATURES",
    "TEXT_STATISTICS",
    "BatchWords",
    "CollocationHits",
    "Hit",
    "Hits",
    "find_hits",
    "reads_as_english",
    "text_statistics",
]

KNOWN_PHRASE = "known_phrase"
TORTURED_COLLOCATION = "tortured_collocation"
HOMOGLYPH = "homoglyph"
INVISIBLE = "invisible"
BROKEN_GRAMMAR = "broken_grammar"

# A character between two tokens that ends a phrase: anything but letters, marks, digits
# and these (a newline separates the texts of a batch, so it breaks too).
_JOINERS = np.array([ord(c) for c in " \t-'\u2019"], dtype=np.uint32)
# Invisible characters (tokenize's class: \p{Cf} and every Default_Ignorable_Code_Point,
# variation selectors and Hangul fillers among them) between two visible word characters.
_VISIBLE_WORD_CHARACTER = rf"[[\p{{L}}\p{{M}}\p{{N}}]--{INVISIBLE_CHARACTER.pattern}]"
_INVISIBLE_INSIDE = regex.compile(
    f"{_VISIBLE_WORD_CHARACTER}{INVISIBLE_CHARACTER.pattern}+{_VISIBLE_WORD_CHARACTER}",
    regex.VERSION1,
)
# Characters that bind a token to the next or the one before: a compound or an elision.
_ATTACHING = np.array([ord(c) for c in "-'\u2019\u2010\u2011"], dtype=np.uint32)
_NON_ASCII = regex.compile(r"[^\x00-\x7f]")
_ASCII_LETTER = regex.compile(r"[a-z]")

# Count assumed for a word the Google Books list does not have (its floor is about 12,700).
_UNLISTED_WORD = 5_000.0
# log10 of the words counted in that list (588 billion): an independence baseline.
_LOG_TOTAL = 11.73

#: The evidence of one collocation hit, in the order of ``Hit.features``.
FEATURES: tuple[str, ...] = (
    "expected_frequency",  # log10 of 1 + the expected pair's Google Books count
    "expected_association",  # its pointwise mutual information in bits (0: unlisted)
    "expected_wordnet",  # the expected pair is a WordNet lemma
    "expected_target",  # ... is a phrase spinners are known to mangle
    "two_words_changed",  # both words differ from the expression
    "via_thesaurus",  # a changed word is a Moby synonym of the original
    "via_wordnet",  # ... a WordNet synonym
    "via_rule",  # ... a known spinner rule
    "rarer_word",  # log10 frequency drop from the original word to the written one
    "written_frequency",  # log10 count of the rarer written word
    "surprise",  # log10 count the written pair would have if its words were independent
    "written_log10",  # log10 P(second | first) of the written pair by the bigram language model
    "written_association",  # ... less log10 P(second): a pair seen together, or a backed-off one
)


#: What the word pairs of a whole text say, beside its findings (``text_statistics``).
TEXT_STATISTICS: tuple[str, ...] = (
    "unlisted_pairs",  # share of adjacent word pairs (both words listed) absent from the list
    "unlisted_function_pairs",  # ... of those with a function word ("an sign", "stress onto")
    "rare_words",  # share of content words used fewer than a million times in the counts
    # How the text reads by the bigram language model (language_model.FLUENCY_STATISTICS):
    *(f"fluency_{name}" for name in language_model.FLUENCY_STATISTICS),
)
# Content words rarer than this many uses count as rare (a spinner reaches for them).
_RARE_WORD = 1_000_000
# Texts of this many tokens or more with no English function word are not read as English.
ENGLISH_MIN_TOKENS = 6
# ... and at least this share of them English words. On development data the share is
# 0.64 or more for every PAN rewrite, spun or not, and for all but 2 of 17,255 clean
# sentences (a list of names and numbers); random letters give 0.0-0.35.
ENGLISH_MIN_KNOWN = 0.5


@dataclass(frozen=True)
class BatchWords:
    """What the finders need of each distinct word of a batch (its vocabulary), looked up
    once per batch: id in the count table (-1: unlisted), count, function / content word,
    the lexicon's look-ups (WordNet analyses, vocabulary id, thesaurus forms) and, from them,
    the parts of speech (``score.context.WordClasses``)."""

    table_ids: np.ndarray  # int64
    model_ids: np.ndarray  # int64: the word's id in the bigram language model (-1: unknown)
    counts: np.ndarray  # int64
    function: np.ndarray  # bool
    content: np.ndarray  # bool: a word of ASCII letters, not a function word
    lookups: WordLookups
    classes: WordClasses

    @classmethod
    def of(cls, vocabulary: Sequence[str]) -> BatchWords:
        words = list(vocabulary)
        lookups = WordLookups.of(words)
        table_ids = _table_ids(words, lookups.vocabulary)
        table = bigrams._table()
        counts = np.where(table_ids >= 0, table.unigram_counts[np.maximum(table_ids, 0)], 0)
        function = np.fromiter(map(lexicon.FUNCTION_WORDS.__contains__, words), dtype=bool,
                               count=len(words))
        letters = np.fromiter(map(str.isalpha, words), dtype=bool, count=len(words))
        letters &= np.fromiter(map(str.isascii, words), dtype=bool, count=len(words))
        return cls(table_ids, language_model.word_ids(words), counts.astype(np.int64), function,
                   letters & ~function, lookups,
                   WordClasses.from_lookups(words, lookups.analyses, lookups.vocabulary))


def _table_ids(words: list[str], vocabulary_ids: np.ndarray) -> np.ndarray:
    """``bigrams.word_ids(words)``, through the lexicon's vocabulary ids where a word has one
    (an array gather instead of a dict look-up per word)."""
    table_ids = bigrams.vocabulary_word_ids()[np.maximum(vocabulary_ids, 0)]
    table_ids[vocabulary_ids < 0] = -1
    # A normalised word that is not in the lexicon's vocabulary may still be counted.
    missing = np.flatnonzero(vocabulary_ids < 0)
    if missing.size:
        table_ids[missing] = bigrams.word_ids([words[i] for i in missing.tolist()])
    return table_ids




@dataclass(frozen=True, slots=True)
class Hit:
    """One candidate finding: text ``document``, tokens ``[start, stop)`` of it."""

    document: int
    start: int
    stop: int
    kind: str
    expected: str
    features: tuple[float, ...]
    score: float = 0.0  # the collocation score used to choose the expression


@dataclass(frozen=True)
class Hits:
    """The hits of a batch: ``hits`` to report (known phrases, evasions, and tortured
    collocations and grammar breaks scored at least ``keep``), and the text and score of
    every collocation and grammar candidate, which the document score reads."""

    hits: list[Hit]
    collocation_documents: np.ndarray  # int64
    collocation_scores: np.ndarray  # float64
    grammar_documents: np.ndarray  # int64
    grammar_scores: np.ndarray  # float64


def _no_scores(matrix: np.ndarray) -> np.ndarray:
    return np.zeros(len(matrix), dtype=np.float64)


def find_hits(
    batch: TokenBatch, words: BatchWords, known: KnownPhrases, collocations: Collocations,
    score: Callable[[np.ndarray], np.ndarray], keep: float = 0.0,
    grammar_score: Callable[[np.ndarray], np.ndarray] = _no_scores,
) -> Hits:
    """Every candidate finding of every text of ``batch``: known phrases, then tortured
    collocations (each pair's best expression by ``score`` of the FEATURES matrix; only
    those scored at least ``keep`` become Hit objects), then evasions, then grammar breaks
    (scored by ``grammar_score`` of the GRAMMAR_FEATURES matrix; those at least ``keep``
    become Hits). Token positions are within each text."""
    none = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    if not batch.tokens:
        return Hits([], *none, *none)
    joined, first = join_tokens(batch.tokens)
    token_vocab = np.concatenate([np.empty(0, dtype=np.int64), *batch.ids])
    document = np.repeat(np.arange(len(batch.tokens), dtype=np.int64), np.diff(first))
    codes = np.frombuffer(joined.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    joined_breaks = _break_after(joined, codes)
    breaks_before = np.concatenate([[0], np.cumsum(joined_breaks, dtype=np.int64)])
    hits = _known_hits(batch.vocabulary, token_vocab, breaks_before, known)
    covered = np.zeros(len(token_vocab), dtype=bool)
    for start, stop in ((h.start, h.stop) for h in hits):
        covered[start:stop] = True
    found = _collocation_hits(words, token_vocab, joined_breaks, covered, collocations, score, keep)
    grammar, (grammar_starts, grammar_scores) = _grammar_hits(
        joined, batch.vocabulary, words, token_vocab, joined_breaks, codes, covered,
        grammar_score, keep, document, collocations.rule_originals,
    )
    hits += found.hits + _evasion_hits(joined) + grammar
    return Hits(
        [
            Hit(int(document[h.start]), h.start - int(first[document[h.start]]),
                h.stop - int(first[document[h.start]]), h.kind, h.expected, h.features, h.score)
            for h in hits
        ],
        document[found.positions],
        found.scores,
        document[grammar_starts],
        grammar_scores,
    )


def _grammar_hits(
    joined: Tokens, vocabulary: Sequence[str], words: BatchWords, token_vocab: np.ndarray,
    breaks: np.ndarray, codes: np.ndarray, covered: np.ndarray,
    score: Callable[[np.ndarray], np.ndarray], keep: float, document: np.ndarray,
    rule_originals: dict[str, tuple[int, ...]],
) -> tuple[list[Hit], tuple[np.ndarray, np.ndarray]]:
    """Grammar breaks scored at least ``keep`` as Hits (with their likely original: a
    thesaurus entry, or the original of a rule in ``rule_originals``), and the first token
    and score of every candidate (``document``: the text of each token)."""
    first_codes = codes[joined.starts] if len(joined) else np.zeros(0, dtype=np.uint32)
    lowercase = _lowercase_or_title(joined, codes, first_codes, document)
    candidates = grammar_candidates(
        vocabulary, token_vocab, breaks, lowercase, covered | _attached(joined, codes),
        words.table_ids, words.counts, words.content, words.classes,
    )
    scores = score(candidates.features) if len(candidates) else np.zeros(0, dtype=np.float64)
    kept = np.flatnonzero(scores >= keep)
    # The batch's words by row, as their classes were looked up (BatchWords.of).
    forms = Forms(words.classes.index, *words.lookups.moby_forms)
    fixes = expected_fixes(
        joined.norms, breaks, candidates.starts[kept], candidates.stops[kept],
        candidates.judged[kept], candidates.judged_stops[kept], candidates.checks[kept],
        candidates.slots[kept], rule_originals, forms=forms,
    )
    hits = [
        Hit(-1, start, stop, BROKEN_GRAMMAR, fix, tuple(row), hit_score)
        for start, stop, fix, row, hit_score in zip(
            candidates.starts[kept].tolist(), candidates.stops[kept].tolist(), fixes,
            candidates.features[kept].tolist(), scores[kept].tolist(),
        )
    ]
    return hits, (candidates.starts, scores)


def _lowercase_or_title(
    joined: Tokens, codes: np.ndarray, first_codes: np.ndarray, document: np.ndarray
) -> np.ndarray:
    """Whether each token begins with a lower-case letter, or is a capitalised word
    ("Leave", "A", not "NATO") of a text written in title case (``title_case_texts``), where a
    capital marks no name: the words whose slot is read."""
    lowercase = (first_codes >= ord("a")) & (first_codes <= ord("z"))
    uppercase = (first_codes >= ord("A")) & (first_codes <= ord("Z"))
    texts = int(document.max()) + 1 if document.size else 0
    title = title_case_texts(first_codes, document, texts)
    # A capitalised word's second character, if any, is not a capital.
    single = joined.ends - joined.starts == 1
    second = codes[np.minimum(joined.starts + 1, max(codes.size - 1, 0))] if codes.size else first_codes
    capitalised = uppercase & (single | ~((second >= ord("A")) & (second <= ord("Z"))))
    result: np.ndarray = lowercase | (title[document] & capitalised) if texts else lowercase
    return result


def text_statistics(batch: TokenBatch, words: BatchWords) -> np.ndarray:
    """TEXT_STATISTICS of each text of ``batch`` (float64, texts x statistics): a spinner's
    sense-blind swaps leave word pairs English does not use ("an sign", "locally
    irritation"), which people rarely write, and its text reads worse by the bigram
    language model. 0 where a text has no such pairs or words."""
    count = len(batch.tokens)
    result = np.zeros((count, len(TEXT_STATISTICS)), dtype=np.float64)
    if count == 0 or not batch.vocabulary:
        return result
    table_ids, function = words.table_ids, words.function
    lengths, token_vocab, document = _batch_tokens(batch)
    # Each token after the one before it (-1: the first of its text), each distinct pair
    # looked up once.
    lefts, rights, where = distinct_pairs(previous_in_runs(token_vocab, lengths, -1), token_vocab)
    follows = lefts >= 0
    left_table, right_table = table_ids[np.maximum(lefts, 0)], table_ids[rights]
    listed = follows & (left_table >= 0) & (right_table >= 0)
    absent = listed.copy()
    absent[listed] = bigrams.pair_counts(left_table[listed], right_table[listed]) == 0
    with_function = listed & (function[np.maximum(lefts, 0)] | function[rights])

    def share(numerator: np.ndarray, denominator: np.ndarray, owners: np.ndarray) -> np.ndarray:
        top = np.bincount(owners, weights=numerator.astype(np.float64), minlength=count)
        bottom = np.bincount(owners, weights=denominator.astype(np.float64), minlength=count)
        return np.divide(top, bottom, out=np.zeros(count, dtype=np.float64), where=bottom > 0)

    result[:, 0] = share(absent[where], listed[where], document)
    result[:, 1] = share((absent & with_function)[where], with_function[where], document)
    is_content = words.content[token_vocab]
    rare = is_content & (words.counts[token_vocab] < _RARE_WORD)
    result[:, 2] = share(rare, is_content, document)
    model_words = words.model_ids[rights]
    model_history = np.where(follows, words.model_ids[np.maximum(lefts, 0)], language_model.sentence_start())
    paired = language_model.conditional_log10(model_history, model_words)[where]
    alone = language_model.word_log10(model_words)[where]
    result[:, 3:] = language_model.fluency_statistics(paired, alone, lengths)
    return result


def reads_as_english(batch: TokenBatch, words: BatchWords) -> np.ndarray:
    """Whether each text of ``batch`` can be read as English (a bool array): it has fewer
    than ``ENGLISH_MIN_TOKENS`` tokens, or an English function word among them and at least
    ``ENGLISH_MIN_KNOWN`` of its tokens words that English knows (the language model, the
    Google Books list or the lexicon). English prose of that length all but never lacks a
    function word ("the", "of", "is"); a text in another language, a list of names or a line
    of Latin does ("Der Hund bellt laut und lange."). Letters strung at random hold a few
    short words by chance ("be", "he", "a") but are mostly unknown. Screening gives such a
    text no verdict."""
    count = len(batch.tokens)
    if count == 0 or not batch.vocabulary:
        return np.ones(count, dtype=bool)
    lengths, token_vocab, document = _batch_tokens(batch)
    function = np.bincount(document, weights=words.function[token_vocab], minlength=count)
    english_word = (words.model_ids >= 0) | (words.table_ids >= 0) | (words.lookups.vocabulary >= 0)
    known = np.bincount(document, weights=english_word[token_vocab], minlength=count)
    result: np.ndarray = (lengths < ENGLISH_MIN_TOKENS) | (
        (function > 0) & (known >= ENGLISH_MIN_KNOWN * lengths)
    )
    return result


def _batch_tokens(batch: TokenBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tokens per text, every token's vocabulary id, every token's text), int64 arrays
    over the batch's texts joined end to end."""
    count = len(batch.tokens)
    lengths = np.fromiter(map(len, batch.ids), dtype=np.int64, count=count)
    token_vocab = np.concatenate([np.empty(0, dtype=np.int64), *batch.ids])
    return lengths, token_vocab, np.repeat(np.arange(count, dtype=np.int64), lengths)


def _attached(tokens: Tokens, codes: np.ndarray) -> np.ndarray:
    """Whether a hyphen or an apostrophe touches each token: part of a compound or an
    elision ("x-mark", "an' wife"), not a word standing on its own."""
    padded = np.concatenate([[0], codes, [0]]).astype(np.uint32)
    touching = np.isin(padded[tokens.starts], _ATTACHING) | np.isin(padded[tokens.ends + 1], _ATTACHING)
    result: np.ndarray = touching
    return result


def _break_after(tokens: Tokens, codes: np.ndarray) -> np.ndarray:
    """Whether the gap after each token (to the next) holds a phrase-ending character
    (``codes``: the text's code points, uint32)."""
    count = len(tokens)
    if count == 0:
        return np.zeros(0, dtype=bool)
    word_character = letter_or_digit(codes)
    positions = np.flatnonzero(~word_character & ~np.isin(codes, _JOINERS))
    gap_starts = tokens.ends
    gap_stops = np.append(tokens.starts[1:], len(tokens.text))
    inside = np.searchsorted(positions, gap_stops) - np.searchsorted(positions, gap_starts)
    result: np.ndarray = inside > 0
    result[-1] = True
    return result


def _known_hits(
    vocabulary: Sequence[str], token_vocab: np.ndarray, breaks_before: np.ndarray,
    known: KnownPhrases,
) -> list[Hit]:
    """Known tortured phrases, longest first, never overlapping one another."""
    word_ids = known.word_ids
    canonical = np.fromiter(
        map(word_ids.get, vocabulary, repeat(-1)), dtype=np.int64, count=len(vocabulary)
    )
    token_ids = canonical[token_vocab] if len(token_vocab) else token_vocab
    taken = np.zeros(len(token_ids), dtype=bool)
    hits = []
    for start, length, row in known.match(token_ids):
        stop = start + length
        # No phrase-ending character inside the window, and no overlap with a longer hit.
        if breaks_before[stop - 1] - breaks_before[start] or taken[start:stop].any():
            continue
        taken[start:stop] = True
        tortured, expected, source = known.phrases[row]
        hits.append(Hit(-1, start, stop, KNOWN_PHRASE, expected,
                        (1.0 if source == "rule" else 0.0, float(length))))
    return hits


@dataclass(frozen=True)
class CollocationHits:
    """Every tortured-collocation hit of a batch as arrays: its first token (in the batch
    joined) and score; ``hits`` holds the ones scored at least the ``keep`` asked for."""

    positions: np.ndarray  # int64
    scores: np.ndarray  # float64
    hits: list[Hit]


def _collocation_hits(
    words: BatchWords, token_vocab: np.ndarray, breaks: np.ndarray, covered: np.ndarray,
    collocations: Collocations, score: Callable[[np.ndarray], np.ndarray], keep: float,
) -> CollocationHits:
    none = CollocationHits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), [])
    if len(token_vocab) < 2:
        return none
    content, table_ids = words.content, words.table_ids
    left, right = token_vocab[:-1], token_vocab[1:]
    candidate = content[left] & content[right] & ~breaks[:-1] & ~covered[:-1] & ~covered[1:]
    positions = np.flatnonzero(candidate)
    listed = bigrams.pair_counts(table_ids[left[positions]], table_ids[right[positions]]) > 0
    positions = positions[~listed]
    if len(positions) == 0:
        return none
    pair_keys = (left[positions].astype(np.uint64) << np.uint64(32)) | right[positions].astype(np.uint64)
    distinct, inverse = np.unique(pair_keys, return_inverse=True)
    first_words = (distinct >> np.uint64(32)).astype(np.int64)
    second_words = (distinct & np.uint64(0xFFFFFFFF)).astype(np.int64)
    pairs, rows, features, scores = _best_expressions(
        words.lookups.moby_forms, first_words, second_words, collocations, score,
        words.model_ids[first_words], words.model_ids[second_words],
    )
    best_of_pair = np.full(len(distinct), -1, dtype=np.int64)
    best_of_pair[pairs] = np.arange(len(pairs), dtype=np.int64)
    best = best_of_pair[inverse.reshape(-1)]
    positions, best = positions[best >= 0], best[best >= 0]
    kept = np.flatnonzero(scores[best] >= keep)
    hits = [
        Hit(-1, position, position + 2, TORTURED_COLLOCATION, collocations.phrases[row],
            tuple(row_features), hit_score)
        for position, row, row_features, hit_score in zip(
            positions[kept].tolist(), rows[best[kept]].tolist(),
            features[best[kept]].tolist(), scores[best[kept]].tolist(),
        )
    ]
    return CollocationHits(positions, scores[best], hits)


def _best_expressions(
    moby_forms: tuple[np.ndarray, np.ndarray], first_rows: np.ndarray, second_rows: np.ndarray,
    collocations: Collocations, score: Callable[[np.ndarray], np.ndarray],
    first_model_ids: np.ndarray, second_model_ids: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For the distinct (first, second) word pairs (rows of ``moby_forms``, the CSR of each
    batch word's own id and base forms) that torture a fixed expression: the pair's index,
    the expression it most likely tortures (its key row; the best by ``score`` of the hit
    features), the hit's features and its score, as arrays. The pairs' ids in the language
    model (``*_model_ids``) give the last two FEATURES, read for the pairs with a hit only."""
    forms_indptr, forms = moby_forms
    # Every (form of first, form of second) of each pair.
    f_index, f_pair = range_indices(forms_indptr[first_rows], forms_indptr[first_rows + 1])
    s_index, fs = range_indices(forms_indptr[second_rows][f_pair], forms_indptr[second_rows + 1][f_pair])
    pair, first_form, second_form = f_pair[fs], forms[f_index[fs]], forms[s_index]
    # A pair that is itself an expression (in any form) is no candidate.
    first_ok, second_ok = collocations.first_words[first_form], collocations.second_words[second_form]
    both_ok = np.flatnonzero(first_ok & second_ok)
    is_expression = np.zeros(len(first_rows), dtype=bool)
    is_expression[pair[both_ok][collocations.find(first_form[both_ok], second_form[both_ok]) >= 0]] = True
    keep = ~is_expression[pair]
    pair, first_form, second_form = pair[keep], first_form[keep], second_form[keep]
    first_ok, second_ok = first_ok[keep], second_ok[keep]
    zero = np.zeros(0, dtype=np.int64)

    def hits(index: np.ndarray, first: np.ndarray, second: np.ndarray, first_rel: np.ndarray,
             second_rel: np.ndarray) -> list[np.ndarray]:
        """The columns of the candidates (form pairs ``index``, expected words ``first``
        and ``second``) that are expressions."""
        rows = collocations.find(first, second)
        hit = np.flatnonzero(rows >= 0)
        chosen = index[hit]
        return [pair[chosen], rows[hit], first[hit], second[hit], first_rel[hit],
                second_rel[hit], first_form[chosen], second_form[chosen]]

    # One word changed: the first (an origin of the first form, the second form as written;
    # only where the written second word ends some expression) ...
    changed = np.flatnonzero(second_ok)
    owner, origin, relation = collocations.first_origins.of(first_form[changed])
    index = changed[owner]
    found = [hits(index, origin, second_form[index], relation, np.zeros_like(relation))]
    # ... or the second.
    changed = np.flatnonzero(first_ok)
    owner, origin, relation = collocations.second_origins.of(second_form[changed])
    index = changed[owner]
    found.append(hits(index, first_form[index], origin, np.zeros_like(relation), relation))
    # Both words changed, each by a WordNet synonym or a known rule.
    f_owner, f_origin, f_relation = collocations.strong_first_origins.of(first_form)
    s_owner, s_origin, s_relation = collocations.strong_second_origins.of(second_form[f_owner])
    found.append(hits(f_owner[s_owner], f_origin[s_owner], s_origin, f_relation[s_owner], s_relation)
                 if len(s_owner) else [zero] * 8)

    hit_pair, hit_row, *rest = (np.concatenate([part[i] for part in found]) for i in range(8))
    with_hit, hit_of = np.unique(hit_pair, return_inverse=True)
    written = language_model.conditional_log10(first_model_ids[with_hit], second_model_ids[with_hit])
    alone = language_model.word_log10(second_model_ids[with_hit])
    fluency = np.column_stack([written, written - alone])[hit_of.reshape(-1)]
    features = np.column_stack([_features(collocations, hit_row, *rest), fluency])
    scores = score(features) if len(hit_row) else np.zeros(0, dtype=np.float64)
    # Per pair, the expression it most likely tortures.
    order = np.lexsort((-scores, hit_pair))
    best = order[np.r_[True, hit_pair[order][1:] != hit_pair[order][:-1]]] if len(order) else order
    return hit_pair[best], hit_row[best], features[best], scores[best]


def _features(
    collocations: Collocations, rows: np.ndarray, expected_first: np.ndarray,
    expected_second: np.ndarray, first_rel: np.ndarray, second_rel: np.ndarray,
    written_first: np.ndarray, written_second: np.ndarray,
) -> np.ndarray:
    """The FEATURES of each hit but the language model's, as a float64 matrix (one row per
    hit)."""
    sources = collocations.sources[rows]
    relation = first_rel | second_rel
    ids = np.concatenate([expected_first, expected_second, written_first, written_second])
    counts = collocations.word_counts[ids].astype(np.float64)
    log_counts = np.log10(np.maximum(counts, _UNLISTED_WORD)).reshape(4, -1)
    changed_first, changed_second = first_rel > 0, second_rel > 0
    drop = np.maximum(
        np.where(changed_first, log_counts[0] - log_counts[2], -10.0),
        np.where(changed_second, log_counts[1] - log_counts[3], -10.0),
    )
    written = np.minimum(
        np.where(changed_first, log_counts[2], 20.0), np.where(changed_second, log_counts[3], 20.0)
    )
    return np.column_stack([
        np.log10(1.0 + collocations.counts[rows]),
        collocations.pmis[rows],
        (sources & WORDNET_LEMMA) > 0,
        (sources & SPINNER_TARGET) > 0,
        changed_first & changed_second,
        (relation & THESAURUS) > 0,
        (relation & WORDNET) > 0,
        (relation & RULE) > 0,
        drop,
        written,
        log_counts[2] + log_counts[3] - _LOG_TOTAL,
    ]).astype(np.float64)


def _evasion_hits(joined: Tokens) -> list[Hit]:
    """Tokens written with look-alike letters of another script, or with invisible
    characters inside: what ``compare`` reports as homoglyph and invisible swaps."""
    if joined.text.isascii():  # a flag of the str object: no scan
        return []
    positions = np.fromiter(
        (match.start() for match in _NON_ASCII.finditer(joined.text)), dtype=np.int64
    )
    token_of = np.searchsorted(joined.ends, positions, side="right")
    inside = token_of < len(joined)
    token_of, positions = token_of[inside], positions[inside]
    hits = []
    for index in np.unique(token_of[joined.starts[token_of] <= positions]).tolist():
        surface = joined.text[joined.starts[index] : joined.ends[index]]
        folded = fold_token(surface)
        # Mixed scripts that read as ASCII once the look-alikes are mapped: "pаy".
        if not folded.isascii() and _ASCII_LETTER.search(folded) and normalize_token(surface).isascii():
            hits.append(Hit(-1, index, index + 1, HOMOGLYPH, normalize_token(surface), ()))
        elif _INVISIBLE_INSIDE.search(surface):
            hits.append(Hit(-1, index, index + 1, INVISIBLE, folded, ()))
    return hits
