"""How often English words and word pairs occur in books: the shipped Google Books counts.

Lexical data beside ``lexicon`` (WordNet, Moby): the scorer's collocation signal and the
screening stage ask whether two words make a common pair ("deep learning") or a rare one
("profound learning"). The table ships as ``data/bigrams.npz``, built by
``scripts/build_bigrams.py`` from the SymSpell frequency lists (Google Books Ngram counts;
licenses in ``data/LICENSES.md``), and is loaded once, on first use.

Words are looked up as spindetect's tokenizer gives them: lower-case normalised tokens
(``spindetect.tokenize.tokenize(text).norms``). Absent from the table means rarer than the
list's floor (about 6.4 million uses for a pair, 12,700 for a word), not impossible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from .lexicon import LexiconDataError
from .lexicon.loading import KeySet

__all__ = [
    "FORMAT_VERSION",
    "bigram_counts",
    "pair_counts",
    "pair_floor",
    "unigram_counts",
    "word_ids",
]

#: Layout version of ``data/bigrams.npz``; must equal ``scripts/build_bigrams.py``'s.
FORMAT_VERSION = 1
BIGRAMS_PATH = Path(__file__).resolve().parent / "data" / "bigrams.npz"
_MASK32 = np.uint64(0xFFFFFFFF)


@dataclass(frozen=True)
class _Table:
    # A tuple, not a list: the garbage collector stops tracking it after one pass.
    words: tuple[str, ...]
    ids: dict[str, int]
    unigram_counts: np.ndarray  # int64 per word id
    bigram_keys: np.ndarray  # sorted uint64, left id << 32 | right id
    bigram_counts: np.ndarray  # int64 per key
    key_set: KeySet  # the keys behind a bit filter: most pairs asked about are not listed


@lru_cache(maxsize=1)
def _table(path: Path = BIGRAMS_PATH) -> _Table:
    """The table in ``path``, after checking its header.

    ``bigrams.npz`` holds, beside ``format_version`` (int32), ``kind`` (``"bigrams"``) and
    ``count_steps`` (int32, s):

    - ``words_blob`` / ``words_offsets``: the words, sorted, as one UTF-8 blob with a
      ``"\\n"`` after each, and int32 start offsets (one more than words): word ``i`` is
      ``blob[offsets[i]:offsets[i + 1] - 1]``. A word's id is its position.
    - ``unigram_codes``: uint16 per word, ``round(s * log2(count))``.
    - ``bigram_keys``: sorted uint64 ``left_id << 32 | right_id``; ``bigram_codes``: uint16
      per key, coded as the word counts.

    With s = 16, "the" (23.1 billion uses, log2 = 34.43) is stored as 551, read back as
    2 ** (551 / 16) = 23.3 billion: counts come back within 2.2%.
    """
    hint = "rebuild it with `python scripts/build_bigrams.py` or reinstall spindetect"
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError) as exc:
        raise LexiconDataError(f"cannot read bigram data file {path}: {exc}; {hint}") from exc
    version, kind = _scalar(arrays, "format_version"), _scalar(arrays, "kind")
    if version != FORMAT_VERSION or kind != "bigrams":
        raise LexiconDataError(
            f"bigram data file {path} has format {version!r} of kind {kind!r}, but "
            f"spindetect.bigrams expects format {FORMAT_VERSION} of kind 'bigrams': the data "
            f"is stale; {hint}"
        )
    steps = float(arrays["count_steps"].reshape(-1)[0])
    words = tuple(arrays["words_blob"].tobytes().decode("utf-8").split("\n")[:-1])
    if len(words) != arrays["words_offsets"].size - 1:
        raise LexiconDataError(f"corrupt word table in bigram data file {path}; {hint}")
    return _Table(
        words=words,
        ids={word: i for i, word in enumerate(words)},
        unigram_counts=_decode(arrays["unigram_codes"], steps),
        bigram_keys=arrays["bigram_keys"].astype(np.uint64),
        bigram_counts=_decode(arrays["bigram_codes"], steps),
        key_set=KeySet(arrays["bigram_keys"].astype(np.uint64)),
    )


def _scalar(arrays: dict[str, np.ndarray], name: str) -> object:
    """A one-element header array as a Python value (None if absent or malformed)."""
    value = arrays.get(name)
    return None if value is None or value.size != 1 else value.reshape(-1)[0].item()


def _decode(codes: np.ndarray, steps: float) -> np.ndarray:
    return np.rint(np.exp2(codes.astype(np.float64) / steps)).astype(np.int64)


def word_ids(words: Sequence[str]) -> np.ndarray:
    """The id of each word in the count table (int64), -1 for a word it does not list.

    Ids are what ``pair_counts`` takes: look a batch's distinct words up once, then count
    any pairs of them with array operations.

    >>> ids = word_ids(["deep", "learning", "qwzx"])
    >>> bool(ids[0] >= 0), int(ids[2])
    (True, -1)
    """
    return np.fromiter(
        map(_table().ids.get, words, repeat(-1)), dtype=np.int64, count=len(words)
    )


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
