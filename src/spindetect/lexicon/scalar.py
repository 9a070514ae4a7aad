"""The lexicon one word (or one pair) at a time: the public scalar API, and the plain
reference of every batch function in ``batch.py``.

Each function here follows the data as a person would read it (senses of each analysis,
members of each synset, entries of each thesaurus row), in Python loops, so that it is
obviously right; ``batch.py`` computes the same answers for many words at once in numpy,
and the tests check with hypothesis that the two agree. Batch function -> its reference:

==========================  ======================================================
``batch.pair_features``     ``pair_feature_values``
``batch.related_pairs``     ``is_related``
``batch.share_base_form``   ``shares_base_form``
``batch.in_vocabulary``     ``is_in_vocabulary``
``batch.in_wordnet``        ``is_in_wordnet``
``batch.word_statistics``   ``word_statistics_of``
``batch.word_frequencies``  ``word_frequency``
==========================  ======================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .loading import POS, frequencies, moby, vocabulary, wordnet
from .morphology import analyses, normalize, word_row

__all__ = [
    "FEATURE_NAMES",
    "Sense",
    "WordnetRelation",
    "are_thesaurus_synonyms",
    "are_wordnet_synonyms",
    "is_in_vocabulary",
    "is_in_wordnet",
    "is_related",
    "pair_feature_values",
    "shares_base_form",
    "thesaurus_forms",
    "thesaurus_synonyms",
    "word_frequency",
    "word_statistics_of",
    "wordnet_lemmas",
    "wordnet_relation",
    "wordnet_senses",
    "wordnet_synonyms",
]

#: Keys of the dict returned by ``batch.pair_features`` (and ``pair_feature_values``), in a
#: stable order.
FEATURE_NAMES: tuple[str, ...] = (
    "moby_forward",
    "moby_backward",
    "moby_synonym",
    "wn_known_a",
    "wn_known_b",
    "wn_shared_pos",
    "wn_synonym",
    "wn_rank_a",
    "wn_rank_b",
    "wn_share_a",
    "wn_share_b",
    "wn_hypernym",
    "wn_hyponym",
    "wn_similar",
    "vocabulary_a",
    "vocabulary_b",
    "same_base_form",
)


@dataclass(frozen=True, slots=True)
class Sense:
    """One WordNet sense of a lemma.

    ``rank`` is 0 for the lemma's most frequent sense in that POS (WordNet's index order),
    ``synset`` a row of the shipped synset table, ``offset`` the WordNet 3.0 data-file offset
    (``pos`` + ``offset`` identify the synset elsewhere, e.g. in NLTK) and ``count`` the
    SemCor tag count of the sense (0 when untagged).
    """

    lemma: str
    pos: str
    rank: int
    synset: int
    offset: int
    count: int


@dataclass(frozen=True, slots=True)
class WordnetRelation:
    """How WordNet relates a replacement ``b`` to an original ``a`` (see :func:`wordnet_relation`).

    ``rank_a`` is the best (lowest) sense rank of ``a`` whose synset contains ``b`` (None when
    they share no synset), ``share_a`` the smoothed SemCor probability of ``a`` being used in
    a sense shared with ``b``; ``rank_b``/``share_b`` likewise with roles swapped.
    """

    known_a: bool
    known_b: bool
    shared_pos: bool
    synonym: bool
    rank_a: int | None
    rank_b: int | None
    share_a: float
    share_b: float
    hypernym: bool
    hyponym: bool
    similar: bool


# --------------------------------------------------------------------------- WordNet


def wordnet_lemmas(word: str) -> tuple[str, ...]:
    """WordNet base forms of ``word`` over all parts of speech (morphy), most common POS first.

    >>> wordnet_lemmas("regulators")
    ('regulator',)
    >>> wordnet_lemmas("went away")
    ('go away',)
    """
    words = vocabulary()
    lemmas: list[str] = []
    for token in analyses(normalize(word)):
        if words[token // 4] not in lemmas:
            lemmas.append(words[token // 4])
    return tuple(lemmas)


def wordnet_senses(word: str) -> tuple[Sense, ...]:
    """All WordNet senses of ``word``'s base forms, by POS (n, v, a, r) then rank.

    >>> sorted({(s.lemma, s.pos) for s in wordnet_senses("fines")})
    [('fin', 'v'), ('fine', 'n'), ('fine', 'v')]
    """
    wn, words = wordnet(), vocabulary()
    senses = []
    for token in analyses(normalize(word)):
        for entry in wn.token_entries(token):
            synset = int(wn.sense_synset[entry])
            senses.append(Sense(words[token // 4], POS[token % 4], int(wn.sense_rank[entry]),
                                synset, int(wn.synset_offset[synset]), int(wn.sense_count[entry])))
    return tuple(senses)


def wordnet_synonyms(word: str) -> frozenset[str]:
    """Lemmas sharing a synset with any sense of ``word`` (the word's own base forms excluded).

    >>> "nation" in wordnet_synonyms("countries")
    True
    """
    wn, words = wordnet(), vocabulary()
    tokens = analyses(normalize(word))
    own = {token // 4 for token in tokens}
    found: set[int] = set()
    for token in tokens:
        for entry in wn.token_entries(token):
            found.update(member // 4 for member in wn.synset_members(int(wn.sense_synset[entry])).tolist())
    return frozenset(words[lemma] for lemma in found - own)


def are_wordnet_synonyms(a: str, b: str) -> bool:
    """True if some sense of ``a`` and some sense of ``b`` share a WordNet synset.

    The same answer as ``wordnet_relation(a, b).synonym``, from two cached sets.

    >>> are_wordnet_synonyms("countries", "nation"), are_wordnet_synonyms("fine", "nice")
    (True, False)
    """
    return not _synsets(normalize(a)).isdisjoint(_synsets(normalize(b)))


@lru_cache(maxsize=1 << 16)
def _synsets(word: str) -> frozenset[int]:
    wn = wordnet()
    return frozenset(
        int(wn.sense_synset[entry]) for token in analyses(word) for entry in wn.token_entries(token)
    )


def _direct_links(tokens_a: tuple[int, ...], tokens_b: tuple[int, ...], indptr: np.ndarray,
                  indices: np.ndarray) -> bool:
    """True if a synset of some analysis of a links (indptr/indices) to one containing b."""
    wn = wordnet()
    wanted = set(tokens_b)
    for token in tokens_a:
        for entry in wn.token_entries(token):
            synset = int(wn.sense_synset[entry])
            for linked in indices[indptr[synset] : indptr[synset + 1]].tolist():
                if wanted.intersection(wn.synset_members(linked).tolist()):
                    return True
    return False


def _best_shared(tokens_a: tuple[int, ...], tokens_b: tuple[int, ...]) -> tuple[int | None, float]:
    """(lowest rank of a sense of a containing b, max over analyses of the summed sense share)."""
    wn = wordnet()
    best_rank: int | None = None
    best_share = 0.0
    for token_a in tokens_a:
        for token_b in tokens_b:
            share = 0.0
            entries = sorted(wn.token_entries(token_a), key=lambda entry: int(wn.sense_synset[entry]))
            for entry in entries:
                if token_b in wn.synset_members(int(wn.sense_synset[entry])).tolist():
                    rank = int(wn.sense_rank[entry])
                    best_rank = rank if best_rank is None else min(best_rank, rank)
                    share += float(wn.sense_share[entry])
            best_share = max(best_share, share)
    return best_rank, best_share


def wordnet_relation(a: str, b: str) -> WordnetRelation:
    """How WordNet relates replacement ``b`` to original ``a`` (both lemmatised, POS-aware).

    ``hypernym`` means b is a direct hypernym of a (a dog is a canine), ``hyponym`` the
    reverse, ``similar`` an adjective similar-to link either way.

    >>> r = wordnet_relation("country", "nation")
    >>> r.synonym, r.rank_a, r.rank_b, r.hypernym
    (True, 0, 0, False)
    >>> wordnet_relation("dogs", "canine").hypernym
    True
    """
    wn = wordnet()
    tokens_a, tokens_b = analyses(normalize(a)), analyses(normalize(b))
    rank_a, share_a = _best_shared(tokens_a, tokens_b)
    rank_b, share_b = _best_shared(tokens_b, tokens_a)
    return WordnetRelation(
        known_a=bool(tokens_a),
        known_b=bool(tokens_b),
        shared_pos=bool({t % 4 for t in tokens_a} & {t % 4 for t in tokens_b}),
        synonym=rank_a is not None,
        rank_a=rank_a,
        rank_b=rank_b,
        share_a=share_a,
        share_b=share_b,
        hypernym=_direct_links(tokens_a, tokens_b, wn.hypernym_indptr, wn.hypernym_indices),
        hyponym=_direct_links(tokens_b, tokens_a, wn.hypernym_indptr, wn.hypernym_indices),
        similar=_direct_links(tokens_a, tokens_b, wn.similar_indptr, wn.similar_indices)
        or _direct_links(tokens_b, tokens_a, wn.similar_indptr, wn.similar_indices),
    )


# --------------------------------------------------------------------------- Moby


@lru_cache(maxsize=1 << 18)
def thesaurus_forms(word: str) -> tuple[int, ...]:
    """Vocabulary ids a normalised word is looked up under in the thesaurus: the word itself
    (if a vocabulary word), then its WordNet base forms.

    >>> [vocabulary()[i] for i in thesaurus_forms("fines")]
    ['fine', 'fin']
    """
    row = word_row(word)
    ids = [row] if 0 <= row < len(vocabulary()) else []
    for token in analyses(word):
        if token // 4 not in ids:
            ids.append(token // 4)
    return tuple(ids)


def thesaurus_synonyms(word: str) -> frozenset[str]:
    """Moby thesaurus entries listed under ``word`` or under its WordNet base forms.

    >>> "nice" in thesaurus_synonyms("fine")
    True
    """
    thesaurus, words = moby(), vocabulary()
    found: set[int] = set()
    for root in thesaurus_forms(normalize(word)):
        found.update(thesaurus.synonyms(root).tolist())
    return frozenset(words[i] for i in found)


def _lists(root: int, synonym: int) -> bool:
    """Whether Moby lists vocabulary id ``synonym`` under ``root``."""
    return moby().lists(root, synonym)


def are_thesaurus_synonyms(a: str, b: str) -> bool:
    """True if Moby lists ``b`` under ``a`` or ``a`` under ``b`` (any inflection of either).

    >>> are_thesaurus_synonyms("leave", "go away"), are_thesaurus_synonyms("fine", "banana")
    (True, False)
    """
    forms_a, forms_b = thesaurus_forms(normalize(a)), thesaurus_forms(normalize(b))
    return any(_lists(x, y) or _lists(y, x) for x in forms_a for y in forms_b)


# --------------------------------------------------------------------------- references of the batch API


def is_in_vocabulary(phrase: str) -> bool:
    """Whether a phrase is a word or phrase of the shipped lexicon (WordNet or Moby).

    >>> is_in_vocabulary("Indisputable_fact"), is_in_vocabulary("qwzx")
    (True, False)
    """
    return 0 <= word_row(normalize(phrase)) < len(vocabulary())


def is_in_wordnet(phrase: str) -> bool:
    """Whether a phrase is a WordNet lemma, possibly inflected ("legal actions").

    >>> is_in_wordnet("legal actions"), is_in_wordnet("legal motion")
    (True, False)
    """
    return bool(analyses(normalize(phrase)))


def shares_base_form(a: str, b: str) -> bool:
    """Whether two words are the same text or share a WordNet base form.

    >>> shares_base_form("regulators", "regulator"), shares_base_form("fine", "nice")
    (True, False)
    """
    return bool(({a} | set(wordnet_lemmas(a))) & ({b} | set(wordnet_lemmas(b))))


def is_related(a: str, b: str) -> bool:
    """Whether Moby lists one under the other, they share a WordNet synset, or they share a
    WordNet base form.

    >>> is_related("leave", "go away"), is_related("fine", "banana")
    (True, False)
    """
    return (are_thesaurus_synonyms(a, b) or are_wordnet_synonyms(a, b)
            or bool(set(wordnet_lemmas(a)) & set(wordnet_lemmas(b))))


def pair_feature_values(a: str, b: str) -> dict[str, float]:
    """The lexical features of one (original, replacement) swap, keyed by ``FEATURE_NAMES``.

    >>> values = pair_feature_values("country", "nation")
    >>> values["moby_synonym"], values["wn_rank_a"], values["same_base_form"]
    (1.0, 0.0, 0.0)
    """
    relation = wordnet_relation(a, b)
    forms_a, forms_b = thesaurus_forms(normalize(a)), thesaurus_forms(normalize(b))
    values = {
        "moby_forward": float(any(_lists(x, y) for x in forms_a for y in forms_b)),
        "moby_backward": float(any(_lists(y, x) for x in forms_a for y in forms_b)),
        "moby_synonym": float(are_thesaurus_synonyms(a, b)),
        "wn_known_a": float(relation.known_a),
        "wn_known_b": float(relation.known_b),
        "wn_shared_pos": float(relation.shared_pos),
        "wn_synonym": float(relation.synonym),
        "wn_rank_a": math.nan if relation.rank_a is None else float(relation.rank_a),
        "wn_rank_b": math.nan if relation.rank_b is None else float(relation.rank_b),
        "wn_share_a": relation.share_a,
        "wn_share_b": relation.share_b,
        "wn_hypernym": float(relation.hypernym),
        "wn_hyponym": float(relation.hyponym),
        "wn_similar": float(relation.similar),
        "vocabulary_a": float(is_in_vocabulary(a)),
        "vocabulary_b": float(is_in_vocabulary(b)),
        "same_base_form": float(shares_base_form(a, b)),
    }
    return {name: values[name] for name in FEATURE_NAMES}


def word_statistics_of(word: str) -> dict[str, float]:
    """How ambiguous and thesaurus-rich one word is: WordNet ``senses`` over its analyses,
    the longest ``thesaurus`` row it or a base form has, and the SemCor ``tagged`` count of
    its senses.

    >>> word_statistics_of("qwzx")
    {'senses': 0.0, 'thesaurus': 0.0, 'tagged': 0.0}
    """
    wn, thesaurus = wordnet(), moby()
    normal = normalize(word)
    entries = [entry for token in analyses(normal) for entry in wn.token_entries(token)]
    rows = [thesaurus.synonyms(root).size for root in thesaurus_forms(normal)]
    return {
        "senses": float(len(entries)),
        "thesaurus": float(max(rows, default=0)),
        "tagged": float(sum(int(wn.sense_count[entry]) for entry in entries)),
    }


def word_frequency(word: str) -> float:
    """wordfreq's English frequency of ``word`` as written (no normalisation), 0.0 for words
    its list does not hold: ``wordfreq.get_frequency_dict("en").get(word, 0.0)``.

    >>> word_frequency("the") > word_frequency("regulator") > 0.0 == word_frequency("qwzx")
    True
    """
    table = frequencies()
    row = table.words.find_one(word)
    return float(table.bin_frequency[table.bins[row]]) if row >= 0 else 0.0
