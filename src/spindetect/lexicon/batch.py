"""The lexicon for many words at once: what the extract and score stages call.

Each function looks every distinct word up once (a few numpy passes over the batch's words
in the mapped tables, behind a small memo of the words met recently) and computes the rest
in numpy over distinct pairs. ``scalar.py`` holds the plain reference of each function here
(its docstring lists which); the tests check that the two agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np

from .loading import csr_cross, forms, frequencies, moby, pair_keys, vocabulary, word_rows, wordnet
from .morphology import normalize_all
from .scalar import FEATURE_NAMES

__all__ = [
    "MemoLookup",
    "WordLookups",
    "in_vocabulary",
    "in_wordnet",
    "pair_features",
    "related_pairs",
    "related_word_pairs",
    "share_base_form",
    "vocabulary_ids",
    "word_analyses",
    "word_frequencies",
    "word_statistics",
]

# Words remembered by each memo (MemoLookup) before it is emptied: a few batches' worth.
MEMO_WORDS = 1 << 16
_MASK32 = np.uint64(0xFFFFFFFF)


class MemoLookup:
    """``lookup(words)`` (int64 per word) for many words at once, memoised.

    A word met for the first time costs a binary search of a mapped table. The same words
    come back in each feature pass over a batch and in the next batches, so a small dict of
    the words met recently answers most lookups. It is emptied when full (``maxsize``
    words), which keeps streaming memory flat, and it clears like an ``lru_cache``
    (``cache_clear``, ``cache_parameters``).

    >>> lengths = MemoLookup(lambda words: np.array([len(w) for w in words], dtype=np.int64), 4)
    >>> lengths(["fine", "go", "fine"]).tolist()
    [4, 2, 4]
    """

    def __init__(self, lookup: Callable[[list[str]], np.ndarray], maxsize: int) -> None:
        self._lookup = lookup
        self._memo: dict[str, int] = {}
        self.maxsize = maxsize

    def __call__(self, words: list[str]) -> np.ndarray:
        memo = self._memo
        found = np.fromiter(map(memo.get, words, repeat(-2)), dtype=np.int64, count=len(words))
        missing = np.flatnonzero(found == -2)
        if missing.size:
            new = [words[i] for i in missing.tolist()]
            values = self._lookup(new)
            if len(memo) + len(new) > self.maxsize:
                memo.clear()
            memo.update(zip(new, values.tolist()))
            found[missing] = values
        return found

    def cache_clear(self) -> None:
        self._memo.clear()

    def cache_parameters(self) -> dict[str, Any]:
        return {"maxsize": self.maxsize, "typed": False}


def _lookup_word_rows(words: list[str]) -> np.ndarray:
    return word_rows(words)


# Normalised word -> row of the morphy table (vocabulary id for vocabulary words; -1: none).
_word_rows = MemoLookup(_lookup_word_rows, maxsize=MEMO_WORDS)


def _vocabulary_ids(rows: np.ndarray) -> np.ndarray:
    """The vocabulary id of each morphy-table row (-1 for forms outside the vocabulary)."""
    ids: np.ndarray = np.where(rows < len(vocabulary()), rows, -1)
    return ids


def word_analyses(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The WordNet tokens (lemma id * 4 + POS index) of each normalised word as one CSR
    (indptr, tokens), int64: ``morphology.analyses`` of every word, in one gather.

    >>> indptr, tokens = word_analyses(["regulators", "qwzx"])
    >>> np.diff(indptr).tolist(), [vocabulary()[token // 4] for token in tokens.tolist()]
    ([1, 0], ['regulator'])
    """
    return _analysis_csr(_word_rows(words))


def vocabulary_ids(words: list[str]) -> np.ndarray:
    """The vocabulary id of each normalised word (int64), -1 for words outside the vocabulary.

    >>> ids = vocabulary_ids(["fine", "regulators"])
    >>> vocabulary()[int(ids[0])], int(ids[1])
    ('fine', -1)
    """
    return _vocabulary_ids(_word_rows(words))


def _analysis_csr(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The analyses of each morphy-table row as one CSR (indptr, tokens), int64: a gather
    in numpy."""
    table = forms()
    known = rows >= 0
    rows = np.where(known, rows, 0)
    first = table.analyses_indptr[rows].astype(np.int64)
    counts = np.where(known, table.analyses_indptr[rows + 1] - first, 0)
    indptr = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    gather = np.repeat(first - indptr[:-1], counts) + np.arange(int(indptr[-1]), dtype=np.int64)
    return indptr, table.analyses_tokens[gather].astype(np.int64)


@dataclass(frozen=True)
class WordLookups:
    """What the batch functions need of each of some distinct words, looked up once:
    morphy analyses (CSR), vocabulary ids of the normalised and of the written word (-1:
    none), and the Moby forms (CSR of vocabulary ids) the thesaurus is searched under."""

    analyses: tuple[np.ndarray, np.ndarray]
    vocabulary: np.ndarray
    written_vocabulary: np.ndarray
    moby_forms: tuple[np.ndarray, np.ndarray]

    @classmethod
    def of(cls, words: list[str]) -> WordLookups:
        normal = normalize_all(words)
        rows = _word_rows(normal)
        analyses = _analysis_csr(rows)
        vocabulary_ids = _vocabulary_ids(rows)
        written = vocabulary_ids if normal is words else _vocabulary_ids(_word_rows(words))
        return cls(analyses, vocabulary_ids, written, _form_sets(vocabulary_ids, analyses))


def _form_sets(
    own: np.ndarray, analyses: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, sorted vocabulary ids) of each word's own id (where >= 0) together with
    the base forms of its analyses."""
    token_indptr, tokens = analyses
    count = len(own)
    rows = np.concatenate([
        np.flatnonzero(own >= 0),
        np.repeat(np.arange(count, dtype=np.int64), np.diff(token_indptr)),
    ])
    keys = np.unique(pair_keys(rows, np.concatenate([own[own >= 0], tokens // 4])))
    indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=count),
              out=indptr[1:])
    return indptr, (keys & _MASK32).astype(np.int64)


def _distinct_pairs(
    originals: Sequence[str], replacements: Sequence[str]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The distinct words, the distinct (original, replacement) pairs as word indices, and
    for each input pair its distinct pair (``inverse``)."""
    if isinstance(originals, np.ndarray):
        originals = originals.tolist()  # plain str objects hash and iterate faster than np.str_
    if isinstance(replacements, np.ndarray):
        replacements = replacements.tolist()
    count = len(originals)
    if len(replacements) != count:
        raise ValueError(f"{count} originals but {len(replacements)} replacements")
    codes = {w: i for i, w in enumerate(dict.fromkeys(chain(originals, replacements)))}
    original_codes = np.fromiter(map(codes.__getitem__, originals), dtype=np.int64, count=count)
    replacement_codes = np.fromiter(map(codes.__getitem__, replacements), dtype=np.int64, count=count)
    distinct, inverse = np.unique(pair_keys(original_codes, replacement_codes), return_inverse=True)
    distinct_originals = (distinct >> np.uint64(32)).astype(np.int64)
    distinct_replacements = (distinct & _MASK32).astype(np.int64)
    return list(codes), distinct_originals, distinct_replacements, inverse.reshape(-1)


def _any_hit(count: int, pair: np.ndarray, hit: np.ndarray) -> np.ndarray:
    """1.0 for each of ``count`` pairs with a hit among its rows (``pair`` per row), else 0.0."""
    found = np.zeros(count, dtype=np.float64)
    found[pair[hit]] = 1.0
    return found


def share_base_form(originals: Sequence[str], replacements: Sequence[str]) -> np.ndarray:
    """Whether each pair is the same text or shares a WordNet base form, as bools:
    inflections of one word ("regulators" / "regulator"), not synonyms.

    The batch form of ``scalar.shares_base_form``.

    >>> share_base_form(["regulators", "went", "fine"], ["regulator", "gone", "nice"]).tolist()
    [True, True, False]
    """
    return _per_distinct_pair(
        originals, replacements,
        lambda words, first, second: _share_base_form(WordLookups.of(words), first, second),
    )


def _per_distinct_pair(
    originals: Sequence[str], replacements: Sequence[str],
    answer: Callable[[list[str], np.ndarray, np.ndarray], np.ndarray],
) -> np.ndarray:
    """``answer(words, originals, replacements)`` (bools, given word indices) computed once per
    distinct pair and spread back over the input pairs."""
    if len(originals) == 0 == len(replacements):
        return np.zeros(0, dtype=bool)
    words, originals_of, replacements_of, inverse = _distinct_pairs(originals, replacements)
    return answer(words, originals_of, replacements_of)[inverse]


def _share_base_form(lookups: WordLookups, originals: np.ndarray, replacements: np.ndarray) -> np.ndarray:
    """``share_base_form`` of the distinct word pairs (as word indices), as bools."""
    # The words as written, with their base forms: the Moby forms, unless some word was not
    # normalised (then its written form has its own vocabulary id, or none).
    indptr, ids = (
        lookups.moby_forms
        if lookups.written_vocabulary is lookups.vocabulary
        else _form_sets(lookups.written_vocabulary, lookups.analyses)
    )
    pair, left, right = csr_cross(indptr, originals, replacements)
    shared = _any_hit(originals.size, pair, ids[left] == ids[right]) > 0
    same: np.ndarray = shared | (originals == replacements)
    return same


def _moby_links(
    lookups: WordLookups, originals: np.ndarray, replacements: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Whether Moby lists each replacement under its original (forward) or the reverse,
    trying every (form of a, form of b) combination in the sorted keys; float64 0/1."""
    thesaurus = moby()
    indptr, ids = lookups.moby_forms
    pair, left, right = csr_cross(indptr, originals, replacements)
    forms_a, forms_b = ids[left], ids[right]
    forward = _any_hit(originals.size, pair, thesaurus.contains(forms_a, forms_b))
    backward = _any_hit(originals.size, pair, thesaurus.contains(forms_b, forms_a))
    return forward, backward


def related_pairs(originals: Sequence[str], replacements: Sequence[str]) -> np.ndarray:
    """Whether each (original, replacement) pair is related, as bools: Moby lists one under
    the other, they share a WordNet synset, or they share a WordNet base form.

    The batch form of ``scalar.is_related``.

    >>> related_pairs(["leave", "fine", "regulators"], ["go away", "banana", "regulator"]).tolist()
    [True, False, True]
    """
    return _per_distinct_pair(originals, replacements, related_word_pairs)


def related_word_pairs(words: list[str], originals: np.ndarray, replacements: np.ndarray) -> np.ndarray:
    """``related_pairs`` of the pairs ``(words[originals[k]], words[replacements[k]])``, for
    callers that already hold their distinct words: each word is looked up once.

    >>> originals, replacements = np.array([0, 0], dtype=np.int64), np.array([1, 2], dtype=np.int64)
    >>> related_word_pairs(["leave", "go away", "fine"], originals, replacements).tolist()
    [True, False]
    """
    originals = np.asarray(originals, dtype=np.int64)
    replacements = np.asarray(replacements, dtype=np.int64)
    if originals.shape != replacements.shape or originals.ndim != 1:
        raise ValueError(
            f"originals and replacements must be two index arrays of one length, "
            f"got shapes {originals.shape} and {replacements.shape}"
        )
    if len(originals) and (min(originals.min(), replacements.min()) < 0
                           or max(originals.max(), replacements.max()) >= len(words)):
        raise ValueError(f"word indices must lie in [0, {len(words)})")
    lookups = WordLookups.of(words)
    forward, backward = _moby_links(lookups, originals, replacements)
    token_indptr, tokens = lookups.analyses
    pair, left, right = csr_cross(token_indptr, originals, replacements)
    tokens_a, tokens_b = tokens[left], tokens[right]
    synonym = wordnet().synonyms.find(pair_keys(tokens_a, tokens_b))[1]
    in_wordnet = _any_hit(originals.size, pair, synonym | (tokens_a // 4 == tokens_b // 4))
    related: np.ndarray = (forward + backward + in_wordnet) > 0
    return related


def pair_features(originals: Sequence[str], replacements: Sequence[str]) -> dict[str, np.ndarray]:
    """Lexical features of many (original, replacement) swaps at once, as float64 arrays.

    Keys are :data:`FEATURE_NAMES`: ``moby_forward`` (replacement listed under original),
    ``moby_backward``, ``moby_synonym`` (either), ``wn_known_a``/``wn_known_b`` (word in
    WordNet), ``wn_shared_pos``, ``wn_synonym``, ``wn_rank_a``/``wn_rank_b`` (NaN when not
    synonyms), ``wn_share_a``/``wn_share_b``, ``wn_hypernym``, ``wn_hyponym``, ``wn_similar``,
    ``vocabulary_a``/``vocabulary_b`` and ``same_base_form``: the batch form of
    ``scalar.pair_feature_values``. Python work is a memo lookup per distinct word; the
    rest is numpy over distinct pairs.

    >>> f = pair_features(["fine", "country"], ["nice", "nation"])
    >>> f["moby_synonym"].tolist(), f["wn_rank_a"].tolist()
    ([1.0, 1.0], [nan, 0.0])
    """
    if len(originals) == 0 == len(replacements):
        return {name: np.zeros(0, dtype=np.float64) for name in FEATURE_NAMES}
    words, originals_of, replacements_of, inverse = _distinct_pairs(originals, replacements)
    pair_count = originals_of.size
    features: dict[str, np.ndarray] = {}
    lookups = WordLookups.of(words)
    features["moby_forward"], features["moby_backward"] = _moby_links(lookups, originals_of, replacements_of)
    features["moby_synonym"] = np.maximum(features["moby_forward"], features["moby_backward"])

    # WordNet: the tokens of both words against the token-pair tables
    wn = wordnet()
    token_indptr, tokens = lookups.analyses
    counts = np.diff(token_indptr)
    pos_mask = np.zeros(len(words), dtype=np.int64)
    np.bitwise_or.at(pos_mask, np.repeat(np.arange(len(words), dtype=np.int64), counts),
                     1 << (tokens % 4))
    features["wn_known_a"] = (counts[originals_of] > 0).astype(np.float64)
    features["wn_known_b"] = (counts[replacements_of] > 0).astype(np.float64)
    features["vocabulary_a"] = (lookups.vocabulary[originals_of] >= 0).astype(np.float64)
    features["vocabulary_b"] = (lookups.vocabulary[replacements_of] >= 0).astype(np.float64)
    features["same_base_form"] = _share_base_form(lookups, originals_of, replacements_of).astype(np.float64)
    features["wn_shared_pos"] = ((pos_mask[originals_of] & pos_mask[replacements_of]) != 0).astype(np.float64)
    pair, left, right = csr_cross(token_indptr, originals_of, replacements_of)
    tokens_a, tokens_b = tokens[left], tokens[right]
    for side, (own, other) in (("a", (tokens_a, tokens_b)), ("b", (tokens_b, tokens_a))):
        positions, hit = wn.synonyms.find(pair_keys(own, other))
        rank = np.full(pair_count, np.inf, dtype=np.float64)
        np.minimum.at(rank, pair[hit], wn.synonym_rank[positions[hit]].astype(np.float64))
        rank[np.isinf(rank)] = np.nan
        share = np.zeros(pair_count, dtype=np.float64)
        np.maximum.at(share, pair[hit], wn.synonym_share[positions[hit]])
        features[f"wn_rank_{side}"] = rank
        features[f"wn_share_{side}"] = share
    features["wn_synonym"] = (~np.isnan(features["wn_rank_a"])).astype(np.float64)
    features["wn_hypernym"] = _any_hit(pair_count, pair, wn.hypernyms.find(pair_keys(tokens_a, tokens_b))[1])
    features["wn_hyponym"] = _any_hit(pair_count, pair, wn.hypernyms.find(pair_keys(tokens_b, tokens_a))[1])
    similar = wn.similars.find(pair_keys(tokens_a, tokens_b))[1]
    similar |= wn.similars.find(pair_keys(tokens_b, tokens_a))[1]
    features["wn_similar"] = _any_hit(pair_count, pair, similar)
    return {name: features[name][inverse] for name in FEATURE_NAMES}


def in_vocabulary(phrases: Sequence[str]) -> np.ndarray:
    """Whether each phrase is a word or phrase of the shipped lexicon (WordNet or Moby), as
    bools: the batch form of ``scalar.is_in_vocabulary``.

    >>> in_vocabulary(["indisputable fact", "rustic", "qwzx"]).tolist()
    [True, True, False]
    """
    return _vocabulary_ids(_word_rows(normalize_all(phrases))) >= 0


def in_wordnet(phrases: Sequence[str]) -> np.ndarray:
    """Whether each phrase is a WordNet lemma, possibly inflected ("legal actions"), as
    bools: the batch form of ``scalar.is_in_wordnet``.

    >>> in_wordnet(["legal action", "legal motion", "neural networks"]).tolist()
    [True, False, True]
    """
    # Phrases seldom come back, so they are looked up in the table itself: a memo would only
    # push out the words the other lookups keep meeting.
    rows = word_rows(normalize_all(phrases))
    indptr = forms().analyses_indptr
    known = np.flatnonzero(rows >= 0)
    has_analyses = np.zeros(rows.size, dtype=bool)
    has_analyses[known] = indptr[rows[known] + 1] > indptr[rows[known]]
    return has_analyses


def word_statistics(words: Sequence[str]) -> dict[str, np.ndarray]:
    """How ambiguous and how thesaurus-rich each word is, as float64 arrays: the batch form
    of ``scalar.word_statistics_of``.

    ``senses``: WordNet senses over all base forms and parts of speech; ``thesaurus``: Moby
    entries listed under the word (or its base forms); ``tagged``: SemCor tag count of all
    its senses (how often annotators met it).

    >>> stats = word_statistics(["fine", "qwzx"])
    >>> stats["senses"].tolist()[1], stats["senses"].tolist()[0] > 5
    (0.0, True)
    """
    if len(words) == 0:
        return {name: np.zeros(0, dtype=np.float64) for name in ("senses", "thesaurus", "tagged")}
    wn, thesaurus = wordnet(), moby()
    distinct = dict.fromkeys(words)
    row_of = np.fromiter(
        map({word: row for row, word in enumerate(distinct)}.__getitem__, words),
        dtype=np.int64,
        count=len(words),
    )
    names = list(distinct)
    lookups = WordLookups.of(names)
    token_indptr, tokens = lookups.analyses
    token_word = np.repeat(np.arange(len(names), dtype=np.int64), np.diff(token_indptr))
    first = wn.token_indptr[tokens].astype(np.int64)
    stop = wn.token_indptr[tokens + 1].astype(np.int64)
    senses = np.zeros(len(names), dtype=np.float64)
    np.add.at(senses, token_word, stop - first)
    tagged = np.zeros(len(names), dtype=np.float64)
    np.add.at(tagged, token_word, wn.tagged_before[stop] - wn.tagged_before[first])
    form_indptr, roots = lookups.moby_forms
    sizes = np.zeros(len(names), dtype=np.float64)
    np.maximum.at(sizes, np.repeat(np.arange(len(names), dtype=np.int64), np.diff(form_indptr)),
                  thesaurus.row_lengths(roots))
    return {"senses": senses[row_of], "thesaurus": sizes[row_of], "tagged": tagged[row_of]}


def word_frequencies(words: Sequence[str]) -> np.ndarray:
    """wordfreq's English frequency of each word as written (float64), 0.0 for words its list
    does not hold: ``wordfreq.get_frequency_dict("en").get(word, 0.0)`` for each, from the
    shipped table (``scripts/build_frequencies.py``), without importing wordfreq. The batch
    form of ``scalar.word_frequency``.

    >>> the, unlisted, again = word_frequencies(["the", "qwzx", "the"]).tolist()
    >>> the == again > 0.05, unlisted
    (True, 0.0)
    """
    table = frequencies()
    rows = table.words.find(words)
    # (row -1 reads the last word's bin, which the mask then drops)
    values: np.ndarray = np.where(rows >= 0, table.bin_frequency[table.bins[rows]], 0.0)
    return values
