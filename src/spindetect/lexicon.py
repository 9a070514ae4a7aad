"""Offline lexical knowledge for scoring word swaps: Moby thesaurus and WordNet 3.0 lookups.

Data ships in ``spindetect/data`` (built by ``scripts/build_lexicon.py``) and is loaded lazily
on first use; inflected forms are lemmatised with WordNet's morphy before every lookup.

>>> are_thesaurus_synonyms("fines", "nices")
True
>>> wordnet_relation("country", "nation").rank_a
0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np

from ._arrays import line_numbers, range_indices

__all__ = [
    "FEATURE_NAMES",
    "FUNCTION_WORDS",
    "FORMAT_VERSION",
    "LexiconDataError",
    "Sense",
    "WordnetRelation",
    "are_thesaurus_synonyms",
    "are_wordnet_synonyms",
    "in_vocabulary",
    "in_wordnet",
    "normalize",
    "pair_features",
    "related_pairs",
    "related_word_pairs",
    "share_base_form",
    "thesaurus_synonyms",
    "wordnet_lemmas",
    "wordnet_relation",
    "wordnet_senses",
    "word_statistics",
    "wordnet_synonyms",
]

#: Layout version of the shipped ``.npz`` files; must equal the build script's.
FORMAT_VERSION = 1

#: Keys of the dict returned by :func:`pair_features`, in a stable order.
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

DATA_DIR = Path(__file__).resolve().parent / "data"

# Closed-class English words. Spinners rewrite these blindly ("was" -> "used to be",
# "in" -> "within", "can" -> "may"); people mostly leave them alone or change them with the
# clause around them.
FUNCTION_WORDS = frozenset(
    """a about above across after against all along also although am among an and another
    any are around as at be because been before being below beneath beside besides between
    beyond both but by can could did do does down during each either else enough even ever
    every few for from had has have he her here hers herself him himself his how however i
    if in inside into is it its itself just least less may me might mine more most much must
    my myself near neither no nor not now of off on once one only onto or other others
    otherwise our ours ourselves out over own per rather same several shall she should since
    so some such than that the their theirs them themselves then there these they this those
    though through throughout thus till to too toward towards under unless until up upon us
    very via was we were what whatever when whenever where whereas wherever whether which
    while who whoever whom whose why will with within without would yet you your yours
    yourself yourselves 's""".split()
)
_POS = "nvar"
_WS = re.compile(r"\s+")
_MASK32 = np.uint64(0xFFFFFFFF)
# WordNet morphy detachment rules (suffix, replacement) per POS, as in wnb's morph.c.
_RULES: tuple[tuple[tuple[str, str], ...], ...] = (
    (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
     ("men", "man"), ("ies", "y")),
    (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
     ("ing", "")),
    (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    (),
)


class LexiconDataError(RuntimeError):
    """The shipped lexicon data is missing, stale (wrong format version) or inconsistent."""


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


def normalize(word: str) -> str:
    """Lower-case, map ``_`` to a space and collapse whitespace, as the vocabulary is stored.

    Every lookup of a swap's words and phrases passes through it: words already in that
    form (ASCII without capitals, ``_`` or extra spaces: all tokens of English text) come
    back as they are after one regex match; others are memoised.

    >>> normalize("  Go_Away ")
    'go away'
    """
    if _NORMALIZED.fullmatch(word):
        return word
    return _normalize(word)


# ASCII words without capitals, "_", control characters or whitespace, one space between.
_NORMALIZED = re.compile(r"[!-@\[-^`-~]+(?: [!-@\[-^`-~]+)*")


@lru_cache(maxsize=1 << 18)
def _normalize(word: str) -> str:
    return _WS.sub(" ", word.replace("_", " ").lower()).strip()


# --------------------------------------------------------------------------- loading


def _read_data_file(path: Path, kind: str, vocab_sha256: str | None = None) -> dict[str, np.ndarray]:
    """Load one ``.npz`` data file after checking its header (format version, kind, vocabulary)."""
    hint = "rebuild it with `python scripts/build_lexicon.py` or reinstall spindetect"
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError) as exc:
        raise LexiconDataError(f"cannot read lexicon data file {path}: {exc}; {hint}") from exc
    version = _header_value(arrays, "format_version")
    if version != FORMAT_VERSION:
        raise LexiconDataError(
            f"lexicon data file {path} has format version {version}, but spindetect.lexicon "
            f"expects {FORMAT_VERSION}: the data is stale; {hint}")
    if _header_value(arrays, "kind") != kind:
        raise LexiconDataError(
            f"lexicon data file {path} holds {_header_value(arrays, 'kind')!r} data, not {kind!r}; {hint}")
    if vocab_sha256 is not None and _header_value(arrays, "vocab_sha256") != vocab_sha256:
        raise LexiconDataError(
            f"lexicon data file {path} was built against another vocabulary than vocab.npz; {hint}")
    return arrays


def _header_value(arrays: dict[str, np.ndarray], name: str) -> Any:
    """A one-element header array as a Python scalar (None if absent or malformed)."""
    value = arrays.get(name)
    if value is None or value.size != 1:
        return None
    return value.reshape(-1)[0].item()


def _strings(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    words = blob.tobytes().decode("utf-8").split("\n")[:-1]
    if len(words) != offsets.size - 1:
        raise LexiconDataError("corrupt string table in lexicon data")
    return words


@dataclass(frozen=True)
class _Vocab:
    # A tuple of strings, not a list: the garbage collector stops tracking it after one
    # pass, instead of walking its 198,000 entries in every full collection.
    words: tuple[str, ...]
    ids: dict[str, int]
    sha256: str


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    arrays = _read_data_file(DATA_DIR / "vocab.npz", "vocab")
    words = tuple(_strings(arrays["words_blob"], arrays["words_offsets"]))
    return _Vocab(words, {w: i for i, w in enumerate(words)}, _header_value(arrays, "vocab_sha256"))


def _cross(indptr: np.ndarray, left: np.ndarray, right: np.ndarray,
           right_indptr: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (i, j) entry pairs of CSR rows ``left[k]`` x ``right[k]``, for every k.

    Returns ``(k, i, j)`` flat arrays (k ascending): i indexes the data of ``indptr``,
    j the data of ``right_indptr`` (default: the same CSR).
    """
    rptr = indptr if right_indptr is None else right_indptr
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    na = indptr[left + 1] - indptr[left]
    nb = rptr[right + 1] - rptr[right]
    m = na * nb
    within, k = range_indices(np.zeros_like(m), m)
    nbk = nb[k]
    i = indptr[left[k]] + within // np.maximum(nbk, 1)
    j = rptr[right[k]] + within % np.maximum(nbk, 1)
    return k, i, j


def _lookup(sorted_keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``query`` in ``sorted_keys`` and a hit mask (positions are clipped)."""
    if sorted_keys.size == 0:
        return np.zeros(query.shape, dtype=np.int64), np.zeros(query.shape, dtype=bool)
    # searching in sorted order is several times faster on large tables (cache locality)
    order = np.argsort(query, kind="stable")
    pos = np.empty(query.shape, dtype=np.int64)
    pos[order] = np.searchsorted(sorted_keys, query[order])
    np.minimum(pos, sorted_keys.size - 1, out=pos)
    return pos, sorted_keys[pos] == query


def _pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64)


class _KeySet:
    """Sorted uint64 keys (a table of pairs) searched through a one-hash bit filter.

    Most pairs a batch asks about are not in the table, and a binary search of a table of
    millions of keys costs a cache miss at almost every step. The filter (about 12 bits per
    key, a few MB for the thesaurus) answers "certainly not there" with one look-up for
    ~95% of those; only the rest are searched. A key in the table always has its bit set,
    so ``find`` gives exactly ``_lookup``'s hits.
    """

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = keys
        bits = max(10, int(np.ceil(np.log2(max(keys.size, 1) * 12))))
        self._shift = np.uint64(64 - bits)
        self._filter = np.zeros(1 << (bits - 3), dtype=np.uint8)
        slots = self._slots(keys)
        for bit in range(8):
            self._filter[slots[(slots & np.uint64(7)) == bit] >> np.uint64(3)] |= np.uint8(1 << bit)

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        """Fibonacci hashing: the top bits of key * 2^64 / golden ratio."""
        slots: np.ndarray = (keys * _FIBONACCI) >> self._shift
        return slots

    def find(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of ``query`` in the keys and a hit mask, as ``_lookup`` (positions only
        meaningful where hit)."""
        slots = self._slots(query)
        maybe = np.flatnonzero(
            (self._filter[slots >> np.uint64(3)] >> (slots & np.uint64(7))) & np.uint64(1)
        )
        positions = np.zeros(query.shape, dtype=np.int64)
        hits = np.zeros(query.shape, dtype=bool)
        positions[maybe], hits[maybe] = _lookup(self.keys, query[maybe])
        return positions, hits


_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)


class _WordNet:
    """Decoded WordNet arrays plus derived tables (built once, on first use)."""

    def __init__(self) -> None:
        vocab = _vocab()
        a = _read_data_file(DATA_DIR / "wordnet.npz", "wordnet", vocab.sha256)
        self.lemma_indptr = a["lemma_indptr"].astype(np.int64)
        self.sense_synset = a["sense_synset"].astype(np.int64)
        self.sense_count = a["sense_count"].astype(np.int64)
        self.synset_pos = a["synset_pos"].astype(np.int64)
        starts = np.searchsorted(self.synset_pos, np.arange(len(_POS)))
        offsets = np.cumsum(a["synset_offset_delta"].astype(np.int64))
        base = np.zeros(len(_POS), dtype=np.int64)
        base[1:] = offsets[starts[1:] - 1]
        self.synset_offset = offsets - base[self.synset_pos]
        n_words = self.lemma_indptr.size - 1
        rows = np.diff(self.lemma_indptr)
        self.sense_lemma = np.repeat(np.arange(n_words, dtype=np.int64), rows)
        self.sense_pos = self.synset_pos[self.sense_synset]
        # token = lemma id * 4 + POS index: one (lemma, POS) analysis of a word
        self.sense_token = self.sense_lemma * 4 + self.sense_pos
        group_start = np.flatnonzero(np.r_[True, self.sense_token[1:] != self.sense_token[:-1]])
        group_len = np.diff(np.r_[group_start, self.sense_token.size])
        group_of = np.repeat(np.arange(group_start.size), group_len)
        self.sense_rank = np.arange(self.sense_token.size) - group_start[group_of]
        totals = np.add.reduceat(self.sense_count, group_start) if group_start.size else group_start
        # add-one smoothed P(sense | lemma, POS) from SemCor counts
        self.sense_share = (self.sense_count + 1) / (totals + group_len)[group_of]
        self.pos_mask = np.zeros(n_words, dtype=np.int64)
        np.bitwise_or.at(self.pos_mask, self.sense_lemma, 1 << self.sense_pos)
        # Per token: its sense entries [token_first, token_stop) (empty for no senses) and
        # the SemCor tags summed over them, so lookups need no search per token.
        entry = np.arange(self.sense_token.size, dtype=np.int64)
        self.token_first = np.full(n_words * 4, entry.size, dtype=np.int64)
        np.minimum.at(self.token_first, self.sense_token, entry)
        self.token_stop = np.zeros(n_words * 4, dtype=np.int64)
        np.maximum.at(self.token_stop, self.sense_token, entry + 1)
        np.minimum(self.token_first, self.token_stop, out=self.token_first)  # none: [0, 0)
        self.token_senses = self.token_stop - self.token_first
        tag_sums = np.concatenate([[0], np.cumsum(self.sense_count)])
        self.token_tagged = tag_sums[self.token_stop] - tag_sums[self.token_first]
        # synset -> member sense entries (CSR over sense entries, sorted by synset)
        order = np.argsort(self.sense_synset, kind="stable")
        self.member_entry = order
        self.member_indptr = np.zeros(self.synset_pos.size + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.sense_synset, minlength=self.synset_pos.size), out=self.member_indptr[1:])
        self.hyper_indptr = a["hypernym_indptr"].astype(np.int64)
        self.hyper_indices = a["hypernym_indices"].astype(np.int64)
        self.similar_indptr = a["similar_indptr"].astype(np.int64)
        self.similar_indices = a["similar_indices"].astype(np.int64)
        self.exceptions: tuple[dict[str, tuple[str, ...]], ...] = tuple({} for _ in _POS)
        exc_from = _strings(a["exc_from_blob"], a["exc_from_offsets"])
        exc_to = _strings(a["exc_to_blob"], a["exc_to_offsets"])
        for p, src, dst in zip(a["exc_pos"].tolist(), exc_from, exc_to, strict=True):
            self.exceptions[p][src] = self.exceptions[p].get(src, ()) + (dst,)
        self._tables: dict[str, Any] | None = None

    def member_tokens(self, synset: int) -> np.ndarray:
        entries = self.member_entry[self.member_indptr[synset]:self.member_indptr[synset + 1]]
        return self.sense_token[entries]

    def token_entries(self, token: int) -> range:
        """Sense entry indices of one (lemma, POS) token, in rank order."""
        return range(int(self.token_first[token]), int(self.token_stop[token]))

    def tables(self) -> dict[str, Any]:
        """Sorted token-pair keys: synonymy (with min rank / summed share), hypernymy, similarity."""
        if self._tables is None:
            s = np.arange(self.synset_pos.size)
            _, i, j = _cross(self.member_indptr, s, s)
            ei, ej = self.member_entry[i], self.member_entry[j]
            keys = _pair_keys(self.sense_token[ei], self.sense_token[ej])
            order = np.argsort(keys, kind="stable")
            keys, ei = keys[order], ei[order]
            first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            syn_rank = np.minimum.reduceat(self.sense_rank[ei], first)
            syn_share = np.add.reduceat(self.sense_share[ei], first)

            def edge_keys(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
                src = np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
                _, i, j = _cross(self.member_indptr, src, indices)
                return np.unique(_pair_keys(self.sense_token[self.member_entry[i]],
                                            self.sense_token[self.member_entry[j]]))

            self._tables = {
                "syn_keys": _KeySet(keys[first]), "syn_rank": syn_rank, "syn_share": syn_share,
                "hyper_keys": _KeySet(edge_keys(self.hyper_indptr, self.hyper_indices)),
                "similar_keys": _KeySet(edge_keys(self.similar_indptr, self.similar_indices)),
            }
        return self._tables


@lru_cache(maxsize=1)
def _wordnet() -> _WordNet:
    return _WordNet()


class _Moby:
    def __init__(self) -> None:
        vocab = _vocab()
        a = _read_data_file(DATA_DIR / "moby.npz", "moby", vocab.sha256)
        self.indptr = a["indptr"].astype(np.int64)
        planes = a["delta_planes"].astype(np.uint32)
        deltas = (planes[0] << 24) | (planes[1] << 16) | (planes[2] << 8) | planes[3]
        cs = np.cumsum(deltas, dtype=np.int64)
        rows = np.diff(self.indptr)
        before = np.where(self.indptr[:-1] > 0, cs[np.maximum(self.indptr[:-1] - 1, 0)], 0)
        self.indices = cs - np.repeat(before, rows)
        self.row_lengths = rows
        # (root id << 32 | synonym id): sorted because rows are in id order and sorted within
        self.keys = _KeySet(_pair_keys(np.repeat(np.arange(rows.size), rows), self.indices))


@lru_cache(maxsize=1)
def _moby() -> _Moby:
    return _Moby()


# --------------------------------------------------------------------------- morphology


def _morphy_ids(word: str, p: int, wn: _WordNet, ids: dict[str, int]) -> list[int]:
    """WordNet morphy for one POS: vocabulary ids of base forms of ``word`` that have POS ``p``."""
    exc = wn.exceptions[p].get(word)
    if exc:
        cands = [word, *exc]
    elif p == 0 and (word.endswith("ss") or len(word) <= 2):
        cands = [word]
    else:
        cands = [word] + [word[: len(word) - len(suf)] + rep for suf, rep in _RULES[p] if word.endswith(suf)]
    if " " in word:  # collocations: inflect the first ("went away") or last ("credit cards") word
        first, _, rest = word.partition(" ")
        head, _, last = word.rpartition(" ")
        cands += [ids_word + " " + rest for ids_word in _base_words(first, p, wn)]
        cands += [head + " " + w for w in _base_words(last, p, wn)]
    out: list[int] = []
    for cand in cands:
        vid = ids.get(cand)
        if vid is not None and (wn.pos_mask[vid] >> p) & 1 and vid not in out:
            out.append(vid)
    return out


def _base_words(token: str, p: int, wn: _WordNet) -> list[str]:
    exc = wn.exceptions[p].get(token)
    if exc:
        return list(exc)
    return [token[: len(token) - len(suf)] + rep for suf, rep in _RULES[p] if token.endswith(suf)]


def _morphy_analyses(word: str) -> tuple[int, ...]:
    """WordNet tokens (lemma id * 4 + POS index) of a normalised word by morphy's rules, POS
    order n, v, a, r: the reference that ``scripts/build_forms.py`` tabulates."""
    wn, ids = _wordnet(), _vocab().ids
    return tuple(vid * 4 + p for p in range(len(_POS)) for vid in _morphy_ids(word, p, wn, ids))


class _Forms:
    """The shipped morphy table (``forms.npz``): every analysable form and its tokens."""

    def __init__(self) -> None:
        a = _read_data_file(DATA_DIR / "forms.npz", "forms", _vocab().sha256)
        forms = a["forms_blob"].tobytes().decode("utf-8").split("\n")[:-1]
        counts = a["analyses_counts"].astype(np.int64)
        self.tokens = a["analyses_tokens"].astype(np.int64)
        if counts.size != len(forms) or counts.sum() != self.tokens.size:
            raise LexiconDataError("corrupt forms table in lexicon data file forms.npz")
        self.rows = dict(zip(forms, range(len(forms))))
        self.indptr = np.zeros(len(forms) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.indptr[1:])


@lru_cache(maxsize=1)
def _forms() -> _Forms:
    return _Forms()


@lru_cache(maxsize=1 << 18)
def _analyses(word: str) -> tuple[int, ...]:
    """WordNet tokens (lemma id * 4 + POS index) of a normalised word, POS order n, v, a, r.

    One lookup in the shipped morphy table; equal to ``_morphy_analyses(word)``.
    """
    forms = _forms()
    row = forms.rows.get(word)
    if row is None:
        return ()
    return tuple(forms.tokens[forms.indptr[row] : forms.indptr[row + 1]].tolist())


@lru_cache(maxsize=1 << 18)
def _moby_forms(word: str) -> tuple[int, ...]:
    """Vocabulary ids tried in the thesaurus: the word itself, then its WordNet base forms."""
    ids = _vocab().ids
    forms = [ids[word]] if word in ids else []
    for token in _analyses(word):
        if token // 4 not in forms:
            forms.append(token // 4)
    return tuple(forms)


# --------------------------------------------------------------------------- scalar API


def wordnet_lemmas(word: str) -> tuple[str, ...]:
    """WordNet base forms of ``word`` over all parts of speech (morphy), most common POS first.

    >>> wordnet_lemmas("regulators")
    ('regulator',)
    >>> wordnet_lemmas("went away")
    ('go away',)
    """
    words = _vocab().words
    out: list[str] = []
    for token in _analyses(normalize(word)):
        if words[token // 4] not in out:
            out.append(words[token // 4])
    return tuple(out)


def wordnet_senses(word: str) -> tuple[Sense, ...]:
    """All WordNet senses of ``word``'s base forms, by POS (n, v, a, r) then rank.

    >>> sorted({(s.lemma, s.pos) for s in wordnet_senses("fines")})
    [('fin', 'v'), ('fine', 'n'), ('fine', 'v')]
    """
    wn, words = _wordnet(), _vocab().words
    out = []
    for token in _analyses(normalize(word)):
        for e in wn.token_entries(token):
            syn = int(wn.sense_synset[e])
            out.append(Sense(words[token // 4], _POS[token % 4], int(wn.sense_rank[e]), syn,
                             int(wn.synset_offset[syn]), int(wn.sense_count[e])))
    return tuple(out)


def wordnet_synonyms(word: str) -> frozenset[str]:
    """Lemmas sharing a synset with any sense of ``word`` (the word's own base forms excluded).

    >>> "nation" in wordnet_synonyms("countries")
    True
    """
    wn, words = _wordnet(), _vocab().words
    tokens = _analyses(normalize(word))
    own = {t // 4 for t in tokens}
    out: set[int] = set()
    for token in tokens:
        for e in wn.token_entries(token):
            out.update(int(t) // 4 for t in wn.member_tokens(int(wn.sense_synset[e])))
    return frozenset(words[i] for i in out - own)


def are_wordnet_synonyms(a: str, b: str) -> bool:
    """True if some sense of ``a`` and some sense of ``b`` share a WordNet synset.

    The same answer as ``wordnet_relation(a, b).synonym``, from two cached sets.

    >>> are_wordnet_synonyms("countries", "nation"), are_wordnet_synonyms("fine", "nice")
    (True, False)
    """
    return not _synsets(normalize(a)).isdisjoint(_synsets(normalize(b)))


@lru_cache(maxsize=1 << 16)
def _synsets(word: str) -> frozenset[int]:
    wn = _wordnet()
    return frozenset(
        int(wn.sense_synset[entry])
        for token in _analyses(word)
        for entry in wn.token_entries(token)
    )


def thesaurus_synonyms(word: str) -> frozenset[str]:
    """Moby thesaurus entries listed under ``word`` or under its WordNet base forms.

    >>> "nice" in thesaurus_synonyms("fine")
    True
    """
    moby, words = _moby(), _vocab().words
    out: set[int] = set()
    for vid in _moby_forms(normalize(word)):
        out.update(moby.indices[moby.indptr[vid]:moby.indptr[vid + 1]].tolist())
    return frozenset(words[i] for i in out)


def _moby_has(root: int, syn: int) -> bool:
    moby = _moby()
    row = moby.indices[moby.indptr[root]:moby.indptr[root + 1]]
    k = int(np.searchsorted(row, syn))
    return k < row.size and int(row[k]) == syn


def are_thesaurus_synonyms(a: str, b: str) -> bool:
    """True if Moby lists ``b`` under ``a`` or ``a`` under ``b`` (any inflection of either).

    >>> are_thesaurus_synonyms("leave", "go away"), are_thesaurus_synonyms("fine", "banana")
    (True, False)
    """
    fa, fb = _moby_forms(normalize(a)), _moby_forms(normalize(b))
    return any(_moby_has(x, y) or _moby_has(y, x) for x in fa for y in fb)


def _direct_links(tokens_a: tuple[int, ...], tokens_b: tuple[int, ...], indptr: np.ndarray,
                  indices: np.ndarray) -> bool:
    """True if a synset of some analysis of a links (indptr/indices) to one containing b."""
    wn = _wordnet()
    want = set(tokens_b)
    for ta in tokens_a:
        for e in wn.token_entries(ta):
            s = int(wn.sense_synset[e])
            for t in indices[indptr[s]:indptr[s + 1]].tolist():
                if want.intersection(wn.member_tokens(t).tolist()):
                    return True
    return False


def _best_shared(tokens_a: tuple[int, ...], tokens_b: tuple[int, ...]) -> tuple[int | None, float]:
    """(lowest rank of a sense of a containing b, max over analyses of the summed sense share)."""
    wn = _wordnet()
    best_rank: int | None = None
    best_share = 0.0
    for ta in tokens_a:
        for tb in tokens_b:
            share = 0.0
            entries = sorted(wn.token_entries(ta), key=lambda e: int(wn.sense_synset[e]))
            for e in entries:
                if tb in wn.member_tokens(int(wn.sense_synset[e])).tolist():
                    rank = int(wn.sense_rank[e])
                    best_rank = rank if best_rank is None else min(best_rank, rank)
                    share += float(wn.sense_share[e])
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
    wn = _wordnet()
    ta, tb = _analyses(normalize(a)), _analyses(normalize(b))
    rank_a, share_a = _best_shared(ta, tb)
    rank_b, share_b = _best_shared(tb, ta)
    return WordnetRelation(
        known_a=bool(ta),
        known_b=bool(tb),
        shared_pos=bool({t % 4 for t in ta} & {t % 4 for t in tb}),
        synonym=rank_a is not None,
        rank_a=rank_a,
        rank_b=rank_b,
        share_a=share_a,
        share_b=share_b,
        hypernym=_direct_links(ta, tb, wn.hyper_indptr, wn.hyper_indices),
        hyponym=_direct_links(tb, ta, wn.hyper_indptr, wn.hyper_indices),
        similar=_direct_links(ta, tb, wn.similar_indptr, wn.similar_indices)
        or _direct_links(tb, ta, wn.similar_indptr, wn.similar_indices),
    )


# --------------------------------------------------------------------------- batch API


def _normalize_all(words: Sequence[str]) -> list[str]:
    """``[normalize(word) for word in words]``, with one regex match over all of them when
    they are already normalised (the usual case: tokens of English text), in which case a
    list comes back as the same object."""
    words = words if isinstance(words, list) else list(words)
    normalized = _normalized_mask(words)
    if normalized.all():
        return words
    result = list(words)
    for index in np.flatnonzero(~normalized).tolist():
        result[index] = _normalize(words[index])
    return result


def _normalized_mask(words: list[str]) -> np.ndarray:
    """Whether each word is already in ``normalize``'s form, as bools: regex passes over all
    the words joined by line breaks, not one call per word."""
    if not words:
        return np.zeros(0, dtype=bool)
    joined = "\n".join(words)
    if joined.count("\n") != len(words) - 1:  # a word with a line break of its own
        return np.fromiter(
            (_NORMALIZED.fullmatch(word) is not None for word in words), dtype=bool,
            count=len(words),
        )
    mask = np.ones(len(words), dtype=bool)
    if _NORMALIZED_LINES.fullmatch(joined):
        return mask
    other = np.fromiter(
        (match.start() for match in _OTHER_LINES.finditer(joined)), dtype=np.int64
    )
    mask[line_numbers(words, other)] = False
    return mask


# Lines of _NORMALIZED words: neither "\n" nor an empty word matches inside a line.
_NORMALIZED_LINES = re.compile(
    f"{_NORMALIZED.pattern}(?:\n{_NORMALIZED.pattern})*"
)
# Each line that is not one _NORMALIZED word (empty lines included).
_OTHER_LINES = re.compile(f"^(?!(?:{_NORMALIZED.pattern})$)[^\n]*$", re.MULTILINE)


class _MemoLookup:
    """``table.get(word, -1)`` for many words at once, as int64, memoised.

    The lexicon's tables are large dicts (481,000 forms), where every lookup of a word from a
    text costs a few cache misses. The same words come back in each feature pass over a batch
    and in the next batches, so a small dict of the words met recently answers most lookups.
    It is emptied when full (``maxsize`` words), which keeps streaming memory flat, and it
    clears like an ``lru_cache`` (``cache_clear``, ``cache_parameters``).
    """

    def __init__(self, table: Callable[[], dict[str, int]], maxsize: int) -> None:
        self._table = table
        self._memo: dict[str, int] = {}
        self.maxsize = maxsize

    def __call__(self, words: list[str]) -> np.ndarray:
        memo = self._memo
        found = np.fromiter(map(memo.get, words, repeat(-2)), dtype=np.int64, count=len(words))
        missing = np.flatnonzero(found == -2)
        if missing.size:
            new = [words[i] for i in missing.tolist()]
            values = np.fromiter(
                map(self._table().get, new, repeat(-1)), dtype=np.int64, count=len(new)
            )
            if len(memo) + len(new) > self.maxsize:
                memo.clear()
            memo.update(zip(new, values.tolist()))
            found[missing] = values
        return found

    def cache_clear(self) -> None:
        self._memo.clear()

    def cache_parameters(self) -> dict[str, Any]:
        return {"maxsize": self.maxsize, "typed": False}


# Normalised word -> row of the morphy table, and -> vocabulary id (-1: not there).
_form_rows = _MemoLookup(lambda: _forms().rows, maxsize=1 << 16)
_vocabulary_ids = _MemoLookup(lambda: _vocab().ids, maxsize=1 << 16)


def _analysis_csr(normal: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The ``_analyses`` of each normalised word as one CSR (indptr, tokens): one
    morphy-table lookup per word, the gather in numpy."""
    forms = _forms()
    rows = _form_rows(normal)
    known = rows >= 0
    rows = np.where(known, rows, 0)
    counts = np.where(known, forms.indptr[rows + 1] - forms.indptr[rows], 0)
    indptr = np.zeros(len(normal) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    gather = np.repeat(forms.indptr[rows] - indptr[:-1], counts) + np.arange(
        int(indptr[-1]), dtype=np.int64
    )
    return indptr, forms.tokens[gather]


@dataclass(frozen=True)
class _WordLookups:
    """What the batch functions need of each of some distinct words, looked up once:
    morphy analyses (CSR), vocabulary ids of the normalised and of the written word (-1:
    none), and the Moby forms (CSR of vocabulary ids) the thesaurus is searched under."""

    analyses: tuple[np.ndarray, np.ndarray]
    vocabulary: np.ndarray
    written_vocabulary: np.ndarray
    moby_forms: tuple[np.ndarray, np.ndarray]

    @classmethod
    def of(cls, words: list[str]) -> _WordLookups:
        normal = _normalize_all(words)
        analyses = _analysis_csr(normal)
        vocabulary = _vocabulary_ids(normal)
        written = vocabulary if normal is words else _vocabulary_ids(words)
        return cls(analyses, vocabulary, written, _form_sets(vocabulary, analyses))


def _form_sets(
    own: np.ndarray, analyses: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, sorted vocabulary ids) of each word's own id (where >= 0) together with
    the base forms of its analyses."""
    t_ptr, tokens = analyses
    count = len(own)
    rows = np.concatenate([
        np.flatnonzero(own >= 0),
        np.repeat(np.arange(count, dtype=np.int64), np.diff(t_ptr)),
    ])
    keys = np.unique(_pair_keys(rows, np.concatenate([own[own >= 0], tokens // 4])))
    indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=count),
              out=indptr[1:])
    return indptr, (keys & _MASK32).astype(np.int64)


def share_base_form(originals: Sequence[str], replacements: Sequence[str]) -> np.ndarray:
    """Whether each pair is the same text or shares a WordNet base form, as bools:
    inflections of one word ("regulators" / "regulator"), not synonyms.

    The batch form of ``bool(({a} | set(wordnet_lemmas(a))) & ({b} | set(wordnet_lemmas(b))))``.

    >>> share_base_form(["regulators", "went", "fine"], ["regulator", "gone", "nice"]).tolist()
    [True, True, False]
    """
    if len(originals) == 0 == len(replacements):
        return np.zeros(0, dtype=bool)
    words, ua, ub, inverse = _distinct_pairs(originals, replacements)
    return _share_base_form(_WordLookups.of(words), ua, ub)[inverse]


def _share_base_form(lookups: _WordLookups, ua: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """``share_base_form`` of the distinct word pairs (ua, ub), as bools."""
    # The words as written, with their base forms: the Moby forms, unless some word was not
    # normalised (then its written form has its own vocabulary id, or none).
    indptr, ids = (
        lookups.moby_forms
        if lookups.written_vocabulary is lookups.vocabulary
        else _form_sets(lookups.written_vocabulary, lookups.analyses)
    )
    k, i, j = _cross(indptr, ua, ub)
    shared = _any_hit(ua.size, k, ids[i] == ids[j]) > 0
    return shared | (ua == ub)


def _any_hit(n: int, k: np.ndarray, hit: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=np.float64)
    out[k[hit]] = 1.0
    return out


def _distinct_pairs(
    originals: Sequence[str], replacements: Sequence[str]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The distinct words, the distinct (original, replacement) pairs as word indices
    ``ua``/``ub``, and for each input pair its distinct pair (``inverse``)."""
    if isinstance(originals, np.ndarray):
        originals = originals.tolist()  # plain str objects hash and iterate faster than np.str_
    if isinstance(replacements, np.ndarray):
        replacements = replacements.tolist()
    n = len(originals)
    if len(replacements) != n:
        raise ValueError(f"{n} originals but {len(replacements)} replacements")
    codes = {w: i for i, w in enumerate(dict.fromkeys(chain(originals, replacements)))}
    ca = np.fromiter(map(codes.__getitem__, originals), dtype=np.int64, count=n)
    cb = np.fromiter(map(codes.__getitem__, replacements), dtype=np.int64, count=n)
    uniq, inverse = np.unique(_pair_keys(ca, cb), return_inverse=True)
    ua = (uniq >> np.uint64(32)).astype(np.int64)
    ub = (uniq & _MASK32).astype(np.int64)
    return list(codes), ua, ub, inverse.reshape(-1)


def _moby_links(
    lookups: _WordLookups, ua: np.ndarray, ub: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Whether Moby lists word ``ub`` under word ``ua`` (forward) or the reverse, trying
    every (form of a, form of b) combination in the sorted key array; float64 0/1."""
    moby = _moby()
    m_ptr, m_data = lookups.moby_forms
    k, i, j = _cross(m_ptr, ua, ub)
    fa, fb = m_data[i], m_data[j]
    forward = _any_hit(ua.size, k, moby.keys.find(_pair_keys(fa, fb))[1])
    backward = _any_hit(ua.size, k, moby.keys.find(_pair_keys(fb, fa))[1])
    return forward, backward


def related_pairs(originals: Sequence[str], replacements: Sequence[str]) -> np.ndarray:
    """Whether each (original, replacement) pair is related, as bools: Moby lists one under
    the other, they share a WordNet synset, or they share a WordNet base form.

    The batch form of ``are_thesaurus_synonyms(a, b) or are_wordnet_synonyms(a, b) or
    set(wordnet_lemmas(a)) & set(wordnet_lemmas(b))``.

    >>> related_pairs(["leave", "fine", "regulators"], ["go away", "banana", "regulator"]).tolist()
    [True, False, True]
    """
    if len(originals) == 0 == len(replacements):
        return np.zeros(0, dtype=bool)
    words, ua, ub, inverse = _distinct_pairs(originals, replacements)
    return related_word_pairs(words, ua, ub)[inverse]


def related_word_pairs(words: list[str], originals: np.ndarray, replacements: np.ndarray) -> np.ndarray:
    """``related_pairs`` of the pairs ``(words[originals[k]], words[replacements[k]])``, for
    callers that already hold their distinct words: each word is looked up once.

    >>> related_word_pairs(["leave", "go away", "fine"], np.array([0, 0]), np.array([1, 2])).tolist()
    [True, False]
    """
    ua = np.asarray(originals, dtype=np.int64)
    ub = np.asarray(replacements, dtype=np.int64)
    if ua.shape != ub.shape or ua.ndim != 1:
        raise ValueError(
            f"originals and replacements must be two index arrays of one length, "
            f"got shapes {ua.shape} and {ub.shape}"
        )
    if len(ua) and (min(ua.min(), ub.min()) < 0 or max(ua.max(), ub.max()) >= len(words)):
        raise ValueError(f"word indices must lie in [0, {len(words)})")
    lookups = _WordLookups.of(words)
    forward, backward = _moby_links(lookups, ua, ub)
    w_ptr, w_data = lookups.analyses
    k, i, j = _cross(w_ptr, ua, ub)
    ta, tb = w_data[i], w_data[j]
    synonym = _wordnet().tables()["syn_keys"].find(_pair_keys(ta, tb))[1]
    wordnet = _any_hit(ua.size, k, synonym | (ta // 4 == tb // 4))
    related: np.ndarray = (forward + backward + wordnet) > 0
    return related


def pair_features(originals: Sequence[str], replacements: Sequence[str]) -> dict[str, np.ndarray]:
    """Lexical features of many (original, replacement) swaps at once, as float64 arrays.

    Keys are :data:`FEATURE_NAMES`: ``moby_forward`` (replacement listed under original),
    ``moby_backward``, ``moby_synonym`` (either), ``wn_known_a``/``wn_known_b`` (word in
    WordNet), ``wn_shared_pos``, ``wn_synonym``, ``wn_rank_a``/``wn_rank_b`` (NaN when not
    synonyms), ``wn_share_a``/``wn_share_b``, ``wn_hypernym``, ``wn_hyponym``, ``wn_similar``,
    each equal to the scalar :func:`are_thesaurus_synonyms` / :func:`wordnet_relation`
    result; ``vocabulary_a``/``vocabulary_b`` (:func:`in_vocabulary`) and ``same_base_form``
    (:func:`share_base_form`). Python work is a few dict lookups per distinct word (morphy
    table, vocabulary); the rest is numpy over distinct pairs.

    >>> f = pair_features(["fine", "country"], ["nice", "nation"])
    >>> f["moby_synonym"].tolist(), f["wn_rank_a"].tolist()
    ([1.0, 1.0], [nan, 0.0])
    """
    if len(originals) == 0 == len(replacements):
        return {name: np.zeros(0, dtype=np.float64) for name in FEATURE_NAMES}
    words, ua, ub, inverse = _distinct_pairs(originals, replacements)
    m = ua.size
    feats: dict[str, np.ndarray] = {}
    lookups = _WordLookups.of(words)
    feats["moby_forward"], feats["moby_backward"] = _moby_links(lookups, ua, ub)
    feats["moby_synonym"] = np.maximum(feats["moby_forward"], feats["moby_backward"])

    # WordNet: (lemma, POS) tokens of both words against the derived pair tables
    wn = _wordnet()
    tables = wn.tables()
    w_ptr, w_data = lookups.analyses
    counts = np.diff(w_ptr)
    pos_mask = np.zeros(len(words), dtype=np.int64)
    np.bitwise_or.at(pos_mask, np.repeat(np.arange(len(words)), counts), 1 << (w_data % 4))
    feats["wn_known_a"] = (counts[ua] > 0).astype(np.float64)
    feats["wn_known_b"] = (counts[ub] > 0).astype(np.float64)
    feats["vocabulary_a"] = (lookups.vocabulary[ua] >= 0).astype(np.float64)
    feats["vocabulary_b"] = (lookups.vocabulary[ub] >= 0).astype(np.float64)
    feats["same_base_form"] = _share_base_form(lookups, ua, ub).astype(np.float64)
    feats["wn_shared_pos"] = ((pos_mask[ua] & pos_mask[ub]) != 0).astype(np.float64)
    k, i, j = _cross(w_ptr, ua, ub)
    ta, tb = w_data[i], w_data[j]
    for side, (x, y) in (("a", (ta, tb)), ("b", (tb, ta))):
        pos, hit = tables["syn_keys"].find(_pair_keys(x, y))
        rank = np.full(m, np.inf)
        np.minimum.at(rank, k[hit], tables["syn_rank"][pos[hit]].astype(np.float64))
        rank[np.isinf(rank)] = np.nan
        share = np.zeros(m)
        np.maximum.at(share, k[hit], tables["syn_share"][pos[hit]])
        feats[f"wn_rank_{side}"] = rank
        feats[f"wn_share_{side}"] = share
    feats["wn_synonym"] = (~np.isnan(feats["wn_rank_a"])).astype(np.float64)
    feats["wn_hypernym"] = _any_hit(m, k, tables["hyper_keys"].find(_pair_keys(ta, tb))[1])
    feats["wn_hyponym"] = _any_hit(m, k, tables["hyper_keys"].find(_pair_keys(tb, ta))[1])
    similar = tables["similar_keys"].find(_pair_keys(ta, tb))[1]
    similar |= tables["similar_keys"].find(_pair_keys(tb, ta))[1]
    feats["wn_similar"] = _any_hit(m, k, similar)
    return {name: feats[name][inverse] for name in FEATURE_NAMES}


def in_vocabulary(phrases: Sequence[str]) -> np.ndarray:
    """Whether each phrase is a word or phrase of the shipped lexicon (WordNet or Moby), as bools.

    >>> in_vocabulary(["indisputable fact", "rustic", "qwzx"]).tolist()
    [True, True, False]
    """
    return _vocabulary_ids(_normalize_all(phrases)) >= 0


def in_wordnet(phrases: Sequence[str]) -> np.ndarray:
    """Whether each phrase is a WordNet lemma, possibly inflected ("legal actions"), as bools.

    >>> in_wordnet(["legal action", "legal motion", "neural networks"]).tolist()
    [True, False, True]
    """
    # Phrases seldom come back, so they are looked up in the table itself: a memo would only
    # push out the words the other lookups keep meeting.
    normal = _normalize_all(phrases)
    return np.fromiter(map(_forms().rows.__contains__, normal), dtype=bool, count=len(normal))


def word_statistics(words: Sequence[str]) -> dict[str, np.ndarray]:
    """How ambiguous and how thesaurus-rich each word is, as float64 arrays.

    ``senses``: WordNet senses over all base forms and parts of speech; ``thesaurus``: Moby
    entries listed under the word (or its base forms); ``tagged``: SemCor tag count of all
    its senses (how often annotators met it). One morphy-table lookup per distinct word;
    the sums are numpy over per-token arrays.

    >>> stats = word_statistics(["fine", "qwzx"])
    >>> stats["senses"].tolist()[1], stats["senses"].tolist()[0] > 5
    (0.0, True)
    """
    if len(words) == 0:
        return {name: np.zeros(0, dtype=np.float64) for name in ("senses", "thesaurus", "tagged")}
    wn, moby = _wordnet(), _moby()
    distinct = dict.fromkeys(words)
    row_of = np.fromiter(
        map({word: row for row, word in enumerate(distinct)}.__getitem__, words),
        dtype=np.int64,
        count=len(words),
    )
    names = list(distinct)
    lookups = _WordLookups.of(names)
    t_ptr, tokens = lookups.analyses
    t_row = np.repeat(np.arange(len(names)), np.diff(t_ptr))
    senses = np.zeros(len(names), dtype=np.float64)
    np.add.at(senses, t_row, wn.token_senses[tokens])
    tagged = np.zeros(len(names), dtype=np.float64)
    np.add.at(tagged, t_row, wn.token_tagged[tokens])
    f_ptr, forms = lookups.moby_forms
    thesaurus = np.zeros(len(names), dtype=np.float64)
    np.maximum.at(thesaurus, np.repeat(np.arange(len(names)), np.diff(f_ptr)),
                  moby.row_lengths[forms])
    return {"senses": senses[row_of], "thesaurus": thesaurus[row_of], "tagged": tagged[row_of]}
