"""How often English words and word pairs occur in books: the shipped Google Books counts.

Lexical data beside ``lexicon`` (WordNet, Moby): the scorer's collocation signal and the
screening stage ask whether two words make a common pair ("deep learning") or a rare one
("profound learning"). The table ships as ``data/bigrams.table``, built by
``scripts/build_bigrams.py`` from the SymSpell frequency lists (Google Books Ngram counts;
licenses in ``data/LICENSES.md``), and is mapped on first use.

Words are looked up as spindetect's tokenizer gives them: lower-case normalised tokens
(``spindetect.tokenize.tokenize(text).norms``). Absent from the table means rarer than the
list's floor (about 6.4 million uses for a pair, 12,700 for a word), not impossible.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from ._tables import MappedTable, StringIndex, load_table
from .lexicon import LexiconDataError
from .lexicon.loading import KeySet, vocabulary

__all__ = [
    "FORMAT_VERSION",
    "bigram_counts",
    "pair_counts",
    "pair_floor",
    "unigram_counts",
    "vocabulary_word_ids",
    "word_ids",
]

#: Layout version of ``data/bigrams.table``; must equal ``scripts/build_bigrams.py``'s.
FORMAT_VERSION = 2
BIGRAMS_PATH = Path(__file__).resolve().parent / "data" / "bigrams.table"
_MASK32 = np.uint64(0xFFFFFFFF)


class _Table:
    """The mapped count table: its words (a ``StringIndex``; a word's id is its row), the
    counts, and the pair keys behind a bit filter (most pairs asked about are not listed)."""

    def __init__(self, table: MappedTable) -> None:
        self.index = StringIndex(table)
        self.unigram_counts = table["unigram_counts"]  # int64 per word id
        self.bigram_keys = table["bigram_keys"]  # sorted uint64, left id << 32 | right id
        self.bigram_counts = table["bigram_counts"]  # int64 per key
        self.key_set = KeySet(self.bigram_keys)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Every word by id, decoded once (for the screening tables, which read them all)."""
        return tuple(self.index.strings())


@lru_cache(maxsize=1)
def _table(path: Path = BIGRAMS_PATH) -> _Table:
    """The table in ``path`` (built by ``scripts/build_bigrams.py``), mapped once.

    A mapped table (``spindetect._tables``) of kind ``"bigrams"``, its arrays in their final
    form:

    - the words as a ``StringIndex`` (``blob``, ``lengths``, ``group_starts``, ``offsets``,
      ``row_of_record``, ``record_of_row``; see ``spindetect._tables.string_index_arrays``),
      whose rows are the words in sorted order: a word's id is its row;
    - ``unigram_counts`` (int64 per word id) and ``bigram_counts`` (int64 per key): the
      counts as the build rounded them, to 1/16 of a doubling (``count_steps`` in the
      header: ``rint(2 ** (round(16 * log2(count)) / 16))``);
    - ``bigram_keys`` (uint64, sorted): ``left_id << 32 | right_id`` of every listed pair.

    "the" (23.1 billion uses, log2 = 34.43) is kept as 2 ** (551 / 16) = 23.3 billion:
    counts come back within 2.2%.
    """
    return _Table(load_table(path, kind="bigrams", version=FORMAT_VERSION, error=LexiconDataError))


def word_ids(words: Sequence[str]) -> np.ndarray:
    """The id of each word in the count table (int64), -1 for a word it does not list.

    Ids are what ``pair_counts`` takes: look a batch's distinct words up once, then count
    any pairs of them with array operations.

    >>> ids = word_ids(["deep", "learning", "qwzx"])
    >>> bool(ids[0] >= 0), int(ids[2])
    (True, -1)
    """
    return _table().index.find(words if isinstance(words, list) else list(words))


def pair_counts(left_ids: np.ndarray, right_ids: np.ndarray) -> np.ndarray:
    """How often each word pair (ids from ``word_ids``) occurs, as int64 (0 where not listed).

    >>> ids = word_ids(["breast", "cancer", "bosom", "malignancy"])
    >>> pair_counts(ids[[0, 2]], ids[[1, 3]]).tolist()[1]
    0
    """
    table = _table()
    left = np.asarray(left_ids, dtype=np.int64)
    right = np.asarray(right_ids, dtype=np.int64)
    known = (left >= 0) & (right >= 0)
    keys = (left.astype(np.uint64) << np.uint64(32)) | (right.astype(np.uint64) & _MASK32)
    positions, found = table.key_set.find(keys)
    found &= known
    return np.where(found, table.bigram_counts[positions], 0).astype(np.int64)


def bigram_counts(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """How often each pair ``left[i] right[i]`` occurs in the Google Books counts, as int64.

    0 where the pair is not in the table (rarer than about 6.4 million uses, or a word
    outside it). Words are matched as given: pass lower-case normalised tokens.

    >>> counts = bigram_counts(["deep", "profound", "breast"], ["learning", "learning", "cancer"])
    >>> bool(counts[2] > 100_000_000), int(counts[1])
    (True, 0)
    """
    for name, words in (("left", left), ("right", right)):
        if isinstance(words, str):
            raise TypeError(f"{name} must be a sequence of words, got a str; split it first")
    if len(left) != len(right):
        raise ValueError(
            f"left and right must have the same length, got {len(left)} and {len(right)}"
        )
    return pair_counts(word_ids(left), word_ids(right))


def unigram_counts(words: Sequence[str]) -> np.ndarray:
    """How often each word occurs in the Google Books counts, as int64 (0 if not listed).

    >>> counts = unigram_counts(["the", "learning", "qwzx"])
    >>> bool(counts[0] > counts[1] > 0), int(counts[2])
    (True, 0)
    """
    if isinstance(words, str):
        raise TypeError("words must be a sequence of words, got a str; split it first")
    ids = word_ids(words)
    return np.where(ids >= 0, _table().unigram_counts[np.maximum(ids, 0)], 0).astype(np.int64)


def pair_floor() -> int:
    """The smallest pair count the table lists: a pair it lacks is rarer than this.

    >>> 1_000_000 < pair_floor() < 10_000_000
    True
    """
    return int(_table().bigram_counts.min())


@lru_cache(maxsize=1)
def vocabulary_word_ids() -> np.ndarray:
    """The count-table id of every word of the shipped lexicon's vocabulary, by vocabulary
    id (int64, -1 where the counts do not list it): looked up once per process, so that a
    batch of vocabulary words needs a gather, not a look-up per word.

    >>> from spindetect.lexicon.loading import vocabulary
    >>> ids = vocabulary_word_ids()
    >>> len(ids) == len(vocabulary()), int(ids[vocabulary().words.index("fine")]) == int(word_ids(["fine"])[0])
    (True, True)
    """
    return word_ids(vocabulary().words)
