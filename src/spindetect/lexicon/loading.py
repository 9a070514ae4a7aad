"""The lexicon's data files: what each table holds, how its arrays are laid out, and the
loaders that map them on first use.

Every table is built by a script in ``scripts/`` in its final form (sorted keys, CSR
offsets, string indexes) and mapped read-only by ``spindetect._tables.load_table``: loading a
table reads its header, and a batch touches only the pages of the words it looks up. The
tables indexed by vocabulary ids record the vocabulary they were built against, so a table
left over from another build fails to load instead of answering wrongly.

Ids used throughout: a word's *vocabulary id* is its row in ``vocabulary.table``, in sorted
(alphabetical) order; a *token* is ``vocabulary id * 4 + POS index`` (POS in the order of ``POS``), one
(lemma, part of speech) analysis of a word; a *pair key* is ``a << 32 | b`` for two ids or
tokens (``pair_keys``), so sorted keys group by ``a``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from .._arrays import range_indices
from .._tables import DataFileError, MappedTable, StringIndex, load_table, strings

__all__ = [
    "DATA_DIR",
    "FILTER_AFTER_QUERIES",
    "FORMAT_VERSION",
    "POS",
    "Forms",
    "Frequencies",
    "KeyFilter",
    "KeySet",
    "LexiconDataError",
    "Moby",
    "Vocabulary",
    "WordNet",
    "csr_cross",
    "forms",
    "frequencies",
    "moby",
    "pair_keys",
    "sorted_lookup",
    "vocabulary",
    "word_row",
    "word_rows",
    "wordnet",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: Layout version of the lexicon's tables; the build scripts write it, the loaders insist on it.
FORMAT_VERSION = 2
#: Parts of speech in storage order: noun, verb, adjective (satellites folded in), adverb.
POS = "nvar"
#: A pair table answers this many queries by binary search alone before it builds its bit
#: filter: the first compare of two articles asks a few hundred, so it never pays for one
#: (65 ms for the thesaurus, with its pair keys; 8 ms for WordNet's three), while a stream
#: builds them within its first megabyte, after which they save more per megabyte than they
#: cost (corpus-1MB's 56,000 thesaurus queries: 9.6 ms searched, 3.0 ms filtered).
FILTER_AFTER_QUERIES = 1 << 15
# Fibonacci hashing for the bit filters: the top bits of key * 2**64 / golden ratio.
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)
_FILTER_BITS_PER_KEY = 12
_MASK32 = np.uint64(0xFFFFFFFF)


class LexiconDataError(DataFileError):
    """The shipped lexicon data is missing, stale (wrong format version) or inconsistent."""


# --------------------------------------------------------------------------- keys and CSR


def pair_keys(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``first << 32 | second`` as uint64: the key of each (id, id) or (token, token) pair.

    >>> pair_keys(np.array([1, 0], dtype=np.int64), np.array([2, 5], dtype=np.int64)).tolist()
    [4294967298, 5]
    """
    return (first.astype(np.uint64) << np.uint64(32)) | second.astype(np.uint64)


def csr_cross(indptr: np.ndarray, left: np.ndarray, right: np.ndarray,
              right_indptr: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (i, j) entry pairs of CSR rows ``left[k]`` x ``right[k]``, for every k.

    Returns ``(k, i, j)`` flat int64 arrays (k ascending): i indexes the data of ``indptr``,
    j the data of ``right_indptr`` (default: the same CSR).

    >>> indptr = np.array([0, 2, 3], dtype=np.int64)
    >>> [a.tolist() for a in csr_cross(indptr, np.array([0], dtype=np.int64), np.array([1], dtype=np.int64))]
    [[0, 0], [0, 1], [2, 2]]
    """
    right_indptr = indptr if right_indptr is None else right_indptr
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    left_sizes = (indptr[left + 1] - indptr[left]).astype(np.int64)
    right_sizes = (right_indptr[right + 1] - right_indptr[right]).astype(np.int64)
    within, row = range_indices(np.zeros(left.size, dtype=np.int64), left_sizes * right_sizes)
    columns = np.maximum(right_sizes[row], 1)
    return (row, indptr[left[row]] + within // columns,
            right_indptr[right[row]] + within % columns)


def sorted_lookup(sorted_keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``query`` in ``sorted_keys`` and a hit mask (positions are clipped).

    >>> [a.tolist() for a in sorted_lookup(np.array([2, 5, 9], dtype=np.uint64),
    ...                                     np.array([9, 3], dtype=np.uint64))]
    [[2, 1], [True, False]]
    """
    if sorted_keys.size == 0:
        return np.zeros(query.shape, dtype=np.int64), np.zeros(query.shape, dtype=bool)
    # searching in sorted order is several times faster on large tables (cache locality)
    order = np.argsort(query, kind="stable")
    positions = np.empty(query.shape, dtype=np.int64)
    positions[order] = np.searchsorted(sorted_keys, query[order])
    np.minimum(positions, sorted_keys.size - 1, out=positions)
    return positions, sorted_keys[positions] == query


class KeyFilter:
    """A one-hash bit filter in front of a table of uint64 pair keys, built on demand.

    Most pairs a batch asks about are not in the table, and a binary search of millions of
    keys costs a cache miss at almost every step. The filter (``_FILTER_BITS_PER_KEY`` bits
    per key, a few MB for the thesaurus) answers "certainly not there" with one look-up for
    ~95% of those; only the rest are searched. A key of the table always has its bit set, so
    a search behind the filter finds exactly what a search of every query finds. It is built
    from ``keys()`` (the table's keys, in chunks) once the table has answered
    ``FILTER_AFTER_QUERIES`` queries: a stream pays for it, a single document does not.

    >>> key_filter = KeyFilter(2, lambda: iter([np.array([3, 8], dtype=np.uint64)]))
    >>> key_filter.build()
    >>> key_filter.candidates(np.array([8, 3], dtype=np.uint64)).tolist()
    [0, 1]
    """

    def __init__(self, key_count: int, keys: Callable[[], Iterator[np.ndarray]]) -> None:
        self._keys = keys
        self.queries = 0
        self._bits = max(10, int(np.ceil(np.log2(max(key_count, 1) * _FILTER_BITS_PER_KEY))))
        self._shift = np.uint64(64 - self._bits)
        self._filter: np.ndarray | None = None

    @property
    def built(self) -> bool:
        return self._filter is not None

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        """Fibonacci hashing: the top bits of key * 2**64 / golden ratio."""
        slots: np.ndarray = (keys * _FIBONACCI) >> self._shift
        return slots

    def build(self) -> None:
        """Set the bit of every key's slot (bit ``slot % 8`` of byte ``slot // 8``)."""
        bitmap = np.zeros(1 << self._bits, dtype=bool)
        for chunk in self._keys():
            bitmap[self._slots(chunk)] = True
        self._filter = np.packbits(bitmap, bitorder="little")

    def candidates(self, query: np.ndarray) -> np.ndarray | None:
        """Indices of the query keys that may be in the table (int64), or None while there is
        no filter yet: then every query is a candidate."""
        self.queries += query.size
        if self._filter is None:
            if self.queries < FILTER_AFTER_QUERIES:
                return None
            self.build()
        assert self._filter is not None
        slots = self._slots(query)
        return np.flatnonzero(
            (self._filter[slots >> np.uint64(3)] >> (slots & np.uint64(7))) & np.uint64(1)
        )


class KeySet:
    """Sorted uint64 keys (a table of pairs), binary-searched where they lie, behind a
    ``KeyFilter``: ``find`` gives exactly ``sorted_lookup``'s hits.

    >>> positions, hits = KeySet(np.array([3, 8, 13], dtype=np.uint64)).find(
    ...     np.array([8, 9], dtype=np.uint64))
    >>> positions[hits].tolist(), hits.tolist()
    ([1], [True, False])
    """

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = keys
        self.filter = KeyFilter(keys.size, lambda: _chunks(keys))

    def find(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of ``query`` in the keys and a hit mask (positions only meaningful where
        hit)."""
        maybe = self.filter.candidates(query)
        if maybe is None:
            return sorted_lookup(self.keys, query)
        positions = np.zeros(query.shape, dtype=np.int64)
        hits = np.zeros(query.shape, dtype=bool)
        positions[maybe], hits[maybe] = sorted_lookup(self.keys, query[maybe])
        return positions, hits


def _chunks(keys: np.ndarray, size: int = 1 << 20) -> Iterator[np.ndarray]:
    for start in range(0, keys.size, size):
        yield keys[start : start + size]


# --------------------------------------------------------------------------- tables


def _load(name: str, expect_vocabulary: bool = True) -> MappedTable:
    expect = {"vocabulary_sha256": vocabulary().sha256} if expect_vocabulary else None
    return load_table(DATA_DIR / f"{name}.table", kind=name, version=FORMAT_VERSION,
                      expect=expect, error=LexiconDataError)


class Vocabulary(StringIndex):
    """``vocabulary.table``: the words and phrases of WordNet and Moby, normalised
    (``normalize``) and sorted; a word's row is its vocabulary id.

    Arrays: the ``StringIndex`` layout (``blob``, ``lengths``, ``group_starts``, ``offsets``,
    and ``row_of_record``/``record_of_row``, since the rows are alphabetical while the records
    are grouped by length; see ``spindetect._tables.string_index_arrays``). Header: the
    ``vocabulary_sha256`` that the other tables must carry (the sha256 of the words, each
    followed by a newline).

    >>> words = vocabulary()
    >>> row = int(words.find(["go away"])[0])
    >>> words[row], words[row - 1] < words[row] < words[row + 1]
    ('go away', True)
    """

    def __init__(self, table: MappedTable) -> None:
        super().__init__(table)
        self.table = table
        self.sha256: str = table.meta["vocabulary_sha256"]

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Every word, by id, decoded once (for the builders and the screening tables, which
        read the whole vocabulary; a lookup never needs it)."""
        return tuple(self.strings())


class WordNet:
    """``wordnet.table``: WordNet 3.0's senses, synsets and links, and the token-pair tables
    the batch functions search.

    Sense entries are ordered by token (lemma id, then POS), then rank:

    - ``token_indptr`` (int32, 4 x vocabulary + 1): the sense entries of token t are
      ``token_indptr[t]:token_indptr[t + 1]`` (none for most tokens);
    - per entry: ``sense_synset`` (int32), ``sense_rank`` (uint8, 0 = the token's most
      frequent sense), ``sense_count`` (int32, SemCor tags), ``sense_share`` (float64, the
      add-one smoothed share of the token's uses in that sense: (count + 1) / (tags of the
      token + its senses));
    - per synset (sorted by POS, then WordNet data-file offset): ``synset_pos`` (uint8),
      ``synset_offset`` (int32, the data-file offset), and its member tokens
      ``member_tokens[member_indptr[s]:member_indptr[s + 1]]`` (int32, in entry order);
    - links between synsets as CSRs: ``hypernym_indptr``/``hypernym_indices`` (``@``, ``@i``)
      and ``similar_indptr``/``similar_indices`` (``&``);
    - token-pair tables (sorted uint64 ``pair_keys``): ``synonym_keys`` (a and b share a
      synset) with ``synonym_rank`` (uint8, a's best rank among the shared senses) and
      ``synonym_share`` (float64, the sum of a's ``sense_share`` over them);
      ``hypernym_keys`` and ``similar_keys`` (a synset of a links to one of b);
    - morphy's exception lists, one row per (POS, inflected form, base form):
      ``exception_pos`` (uint8) and the strings ``exception_from_*``/``exception_to_*``
      (``spindetect._tables.string_arrays`` layout).

    Worked example: "country" as a noun has five senses, the first in synset 08168978-n
    (state, nation, land, ...), tagged 68 times in SemCor::

        token = id("country") * 4 + 0
        entries = token_indptr[token]:token_indptr[token + 1]      # 5 entries
        sense_synset[entries[0]] -> s, synset_offset[s] == 8168978, sense_count == 68

    >>> wn, country = wordnet(), int(vocabulary().find(["country"])[0])
    >>> entries = wn.token_entries(country * 4 + POS.index("n"))
    >>> len(entries), int(wn.synset_offset[wn.sense_synset[entries[0]]]), int(wn.sense_count[entries[0]])
    (5, 8168978, 68)
    """

    def __init__(self, table: MappedTable) -> None:
        self.table = table
        self.token_indptr = table["token_indptr"]
        self.sense_synset = table["sense_synset"]
        self.sense_rank = table["sense_rank"]
        self.sense_count = table["sense_count"]
        self.sense_share = table["sense_share"]
        self.synset_pos = table["synset_pos"]
        self.synset_offset = table["synset_offset"]
        self.member_indptr = table["member_indptr"]
        self.member_tokens = table["member_tokens"]
        self.hypernym_indptr = table["hypernym_indptr"]
        self.hypernym_indices = table["hypernym_indices"]
        self.similar_indptr = table["similar_indptr"]
        self.similar_indices = table["similar_indices"]
        self.synonyms = KeySet(table["synonym_keys"])
        self.synonym_rank = table["synonym_rank"]
        self.synonym_share = table["synonym_share"]
        self.hypernyms = KeySet(table["hypernym_keys"])
        self.similars = KeySet(table["similar_keys"])

    def token_entries(self, token: int) -> range:
        """Sense entry indices of one token, in rank order."""
        return range(int(self.token_indptr[token]), int(self.token_indptr[token + 1]))

    def synset_members(self, synset: int) -> np.ndarray:
        """The tokens of one synset's senses."""
        return self.member_tokens[self.member_indptr[synset] : self.member_indptr[synset + 1]]

    @cached_property
    def exceptions(self) -> tuple[dict[str, tuple[str, ...]], ...]:
        """Per POS, inflected form -> base forms (only the reference morphy reads these)."""
        exceptions: tuple[dict[str, tuple[str, ...]], ...] = tuple({} for _ in POS)
        sources = strings(self.table, "exception_from_")
        targets = strings(self.table, "exception_to_")
        for pos, source, target in zip(self.table["exception_pos"].tolist(), sources, targets,
                                       strict=True):
            exceptions[pos][source] = exceptions[pos].get(source, ()) + (target,)
        return exceptions

    @cached_property
    def sense_lemma(self) -> np.ndarray:
        """The vocabulary id of each sense entry's lemma (int64; derived once, for builders)."""
        tokens = np.arange(self.token_indptr.size - 1, dtype=np.int64)
        lemma: np.ndarray = np.repeat(tokens // len(POS), np.diff(self.token_indptr))
        return lemma

    @cached_property
    def tagged_before(self) -> np.ndarray:
        """SemCor tags of the sense entries before each entry (int64, one more than entries):
        a token's tags are ``tagged_before[stop] - tagged_before[first]``."""
        totals = np.zeros(self.sense_count.size + 1, dtype=np.int64)
        np.cumsum(self.sense_count, out=totals[1:])
        return totals


class Moby:
    """``moby.table``: the Moby thesaurus as (root, synonym) vocabulary-id pairs, a CSR
    searched where it lies.

    Vocabulary ids have 18 bits. The synonyms listed under root r whose ids have high part
    h (``id >> 16``, 0 to 3) are the sorted low parts (``id & 0xFFFF``)
    ``lows[indptr[4r + h]:indptr[4r + h + 1]]``: ``indptr`` (int32, 4 x vocabulary + 1) and
    ``lows`` (uint16, one per entry), two bytes an entry where sorted 64-bit keys took
    eight. So the entries of root r are ``indptr[4r]:indptr[4r + 4]``, in id order. "fine"
    (id 63,524) lists 512 words; "nice" (id 118,530: high part 1, low part 52,994) is among
    the 130 with high part 1, ``52994 in lows[816499:816629]``, those bounds being
    ``indptr[4 * 63524 + 1]`` and ``indptr[4 * 63524 + 2]``.

    >>> thesaurus, ids = moby(), vocabulary().find(["fine", "nice", "banana"])
    >>> ids.tolist(), thesaurus.contains(ids[[0, 0]], ids[[1, 2]]).tolist()
    ([63524, 118530, 14106], [True, False])
    """

    def __init__(self, table: MappedTable) -> None:
        self.indptr = table["indptr"]
        self.lows = table["lows"]
        if self.indptr.size != 4 * len(vocabulary()) + 1:
            raise LexiconDataError(f"data file {table.path} does not match the vocabulary; "
                                   "rebuild it with `python scripts/build_lexicon.py`")
        self.filter = KeyFilter(self.lows.size, self._key_chunks)
        self._keys: np.ndarray | None = None

    def contains(self, roots: np.ndarray, synonyms: np.ndarray) -> np.ndarray:
        """Whether Moby lists ``synonyms[k]`` under ``roots[k]`` (vocabulary ids), as bools.

        Until the filter is built, each query's run of lows is searched (``_search``); with
        it (a stream), the few queries it lets through are searched in every entry's pair
        key, made once beside the filter (20 MB): fewer array passes a call."""
        roots = roots.astype(np.int64)
        synonyms = synonyms.astype(np.int64)
        query = pair_keys(roots, synonyms)
        maybe = self.filter.candidates(query)
        if maybe is None:
            return self._search(roots, synonyms)
        assert self._keys is not None
        hits = np.zeros(roots.size, dtype=bool)
        hits[maybe] = sorted_lookup(self._keys, query[maybe])[1]
        return hits

    def _search(self, roots: np.ndarray, synonyms: np.ndarray) -> np.ndarray:
        """A binary search of each query's run of lows, all runs in step."""
        buckets = roots * 4 + (synonyms >> 16)
        low = synonyms & 0xFFFF
        first = self.indptr[buckets].astype(np.int64)
        stop = self.indptr[buckets + 1].astype(np.int64)
        start, end = first.copy(), stop.copy()
        searching = np.flatnonzero(start < end)
        while searching.size:
            middle = (start[searching] + end[searching]) >> 1
            below = self.lows[middle] < low[searching]
            start[searching[below]] = middle[below] + 1
            end[searching[~below]] = middle[~below]
            searching = searching[start[searching] < end[searching]]
        found = start < stop
        found[found] = self.lows[start[found]] == low[found]
        return found

    def lists(self, root: int, synonym: int) -> bool:
        """Whether Moby lists ``synonym`` under ``root``: one binary search of one run."""
        bucket = 4 * root + (synonym >> 16)
        run = self.lows[self.indptr[bucket] : self.indptr[bucket + 1]]
        position = int(np.searchsorted(run, synonym & 0xFFFF))
        return position < run.size and int(run[position]) == synonym & 0xFFFF

    def synonyms(self, root: int) -> np.ndarray:
        """Vocabulary ids listed under ``root`` (sorted, int64)."""
        first = int(self.indptr[4 * root])
        bounds = self.indptr[4 * root : 4 * root + 5].astype(np.int64) - first
        lows = self.lows[first : int(self.indptr[4 * root + 4])].astype(np.int64)
        return lows | (np.repeat(np.arange(4, dtype=np.int64), np.diff(bounds)) << 16)

    def entries(self, roots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``synonyms`` of many roots at once: (synonym id, index of its root in ``roots``),
        int64, each root's synonyms in id order.

        >>> thesaurus, ids = moby(), vocabulary().find(["fine", "nice"])
        >>> synonyms, owner = thesaurus.entries(ids)
        >>> synonyms[owner == 0].tolist() == thesaurus.synonyms(int(ids[0])).tolist()
        True
        """
        buckets = (4 * np.asarray(roots, dtype=np.int64)[:, None] + np.arange(4)).ravel()
        index, of_bucket = range_indices(self.indptr[buckets].astype(np.int64),
                                         self.indptr[buckets + 1].astype(np.int64))
        synonyms = ((buckets[of_bucket] & 3) << 16) | self.lows[index].astype(np.int64)
        return synonyms, of_bucket // 4

    def row_lengths(self, roots: np.ndarray) -> np.ndarray:
        """How many synonyms each root lists (int64)."""
        lengths: np.ndarray = (self.indptr[4 * roots + 4] - self.indptr[4 * roots]).astype(np.int64)
        return lengths

    def pairs(self, first_root: int = 0, stop_root: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(root, synonym) vocabulary ids of every entry of the roots in [first_root,
        stop_root), int64, in the table's order (by root, then synonym)."""
        stop_root = self.indptr.size // 4 if stop_root is None else stop_root
        bounds = self.indptr[4 * first_root : 4 * stop_root + 1].astype(np.int64)
        bucket = np.repeat(np.arange(4 * first_root, 4 * stop_root, dtype=np.int64), np.diff(bounds))
        synonyms = (bucket & 3) << 16 | self.lows[bounds[0] : bounds[-1]].astype(np.int64)
        return bucket >> 2, synonyms

    def _key_chunks(self) -> Iterator[np.ndarray]:
        """Every entry's ``pair_keys(root, synonym)`` (sorted), kept for ``contains``."""
        self._keys = pair_keys(*self.pairs())
        yield self._keys


class Forms:
    """``forms.table``: every word form WordNet's morphy analyses, with its analyses.

    Rows are numbered over the vocabulary, then the analysable forms that are not vocabulary
    words (``extra_*``, the ``StringIndex`` layout): row ``r < V`` (V the vocabulary's size)
    is vocabulary id r, row ``V + k`` the k-th extra form; ``words`` finds a word's row
    in both. The analyses of row r are the
    tokens ``analyses_tokens[analyses_indptr[r]:analyses_indptr[r + 1]]`` (int32), in
    morphy's order: by POS, then by rule; a vocabulary word morphy cannot analyse (a Moby
    word outside WordNet) has none. So "regulators", an extra form, has one token,
    "regulator" as a noun, and "leaves" three: "leaf" as a noun, "leave" as a noun and a verb.

    >>> table, rows = forms(), word_rows(["regulators"])
    >>> tokens = table.analyses(int(rows[0]))
    >>> [(vocabulary()[token // 4], POS[token % 4]) for token in tokens]
    [('regulator', 'n')]
    """

    def __init__(self, table: MappedTable) -> None:
        # Every row's string: the vocabulary's, then the extra forms'.
        self.words = StringIndex.joined([(vocabulary().table, ""), (table, "extra_")])
        self.analyses_indptr = table["analyses_indptr"]
        self.analyses_tokens = table["analyses_tokens"]

    def analyses(self, row: int) -> tuple[int, ...]:
        """The tokens of one row (none for -1)."""
        if row < 0:
            return ()
        return tuple(self.analyses_tokens[self.analyses_indptr[row] : self.analyses_indptr[row + 1]].tolist())


class Frequencies:
    """``frequencies.table``: wordfreq's English word list (built by
    ``scripts/build_frequencies.py``), word -> probability of the word in running text.

    The words are a ``StringIndex`` (as wordfreq lists them: lower-case, unnormalised);
    ``bins`` (uint16, per word) is wordfreq's centibel bin, and ``bin_frequency`` (float64,
    per bin) the frequency wordfreq gives the words of a bin (``cB_to_freq(-bin)``), so a
    word's frequency is ``bin_frequency[bins[row]]``, exactly ``wordfreq.get_frequency_dict
    ("en")[word]``. "the" is in bin 127: 10 ** -1.27, about 0.0537.

    >>> table = frequencies()
    >>> row = int(table.words.find(["the"])[0])
    >>> int(table.bins[row]), round(float(table.bin_frequency[table.bins[row]]), 4)
    (127, 0.0537)
    """

    def __init__(self, table: MappedTable) -> None:
        self.words = StringIndex(table)
        self.source_sha256: str = table.meta["wordfreq_source_sha256"]
        self.bins = table["bins"]
        self.bin_frequency = table["bin_frequency"]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The mapped vocabulary (loaded once, on first use)."""
    return Vocabulary(_load("vocabulary", expect_vocabulary=False))


@lru_cache(maxsize=1)
def wordnet() -> WordNet:
    """The mapped WordNet tables (loaded once, on first use)."""
    return WordNet(_load("wordnet"))


@lru_cache(maxsize=1)
def moby() -> Moby:
    """The mapped thesaurus (loaded once, on first use)."""
    return Moby(_load("moby"))


@lru_cache(maxsize=1)
def forms() -> Forms:
    """The mapped morphy table (loaded once, on first use)."""
    return Forms(_load("forms"))


@lru_cache(maxsize=1)
def frequencies() -> Frequencies:
    """The mapped word frequencies (loaded once, on first use)."""
    return Frequencies(_load("frequencies", expect_vocabulary=False))


def word_row(word: str) -> int:
    """``word_rows`` of one word."""
    return forms().words.find_one(word)


def word_rows(words: Sequence[str]) -> np.ndarray:
    """The row of each (normalised) word in ``forms.table``'s numbering (int64): its
    vocabulary id if it is a vocabulary word, else the vocabulary's size plus its row among
    the other analysable forms, else -1.

    >>> rows = word_rows(["fine", "regulators", "qwzx"]).tolist()
    >>> vocabulary()[rows[0]], rows[1] >= len(vocabulary()), rows[2]
    ('fine', True, -1)
    """
    return forms().words.find(words)
