"""How likely each word is after the one before it: the shipped bigram language model.

Lexical data beside ``bigrams`` (Google Books counts of common pairs): the scorer asks how
much less likely a sentence reads with a swap's replacement than with its original
("shares fell" -> "shares dipped" barely; "to leave markets" -> "to go away markets" a
lot). A count list answers only for the pairs common enough to be listed; a language model
gives every pair a probability, backing off to the word's own where the pair was not seen.

The table ships as ``data/language_model.table``, built by
``scripts/build_language_model.py`` from CMU Sphinx's generic US English model
(``en-us.lm.bin``, BSD-2-Clause; license in ``data/LICENSES.md``): its 67,830 words that
spindetect's tokenizer can give and their 1.9 million bigrams, mapped on first use. Words are looked up as spindetect's tokenizer gives
them (lower-case normalised tokens); a word the model does not know gets the probability
of its rarest word.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from ._arrays import distinct_pairs, previous_in_runs
from ._tables import MappedTable, StringIndex, load_table
from .lexicon import LexiconDataError

__all__ = [
    "FLUENCY_STATISTICS",
    "FORMAT_VERSION",
    "LOG10_STEPS",
    "SENTENCE_START",
    "conditional_log10",
    "fluency_statistics",
    "phrase_log10",
    "sentence_start",
    "text_fluency",
    "word_ids",
    "word_log10",
]

#: Layout version of ``data/language_model.table``; must equal the builder's.
FORMAT_VERSION = 1
#: Bigram log10 probabilities are kept as ``-code / LOG10_STEPS`` (uint8 codes).
LOG10_STEPS = 32
#: The model's token for the start of a sentence: the history of a text's first word.
SENTENCE_START = "<s>"
#: The columns of ``text_fluency``: per text, the mean log10 P(word | word before); the mean
#: association, log10 P(word | word before) less log10 P(word) (how much more likely the
#: word is after the one before than anywhere); the share of words at log10 P(word | word
#: before) under ``UNLIKELY_LOG10``.
FLUENCY_STATISTICS = ("mean_log10", "association", "unlikely_share")
#: A word less likely than this after the one before (1 in 10,000) counts as unlikely there.
UNLIKELY_LOG10 = -4.0
LANGUAGE_MODEL_PATH = Path(__file__).resolve().parent / "data" / "language_model.table"


class _Model:
    """The mapped model: the words (a ``StringIndex``; a word's id is its row), per word its
    log10 probability and backoff weight, and the bigrams grouped by history word."""

    def __init__(self, table: MappedTable) -> None:
        self.index = StringIndex(table)
        self.unigram_log10 = table["unigram_log10"]  # float32 per word id
        self.backoff_log10 = table["backoff_log10"]  # float32 per word id
        self.bigram_starts = table["bigram_starts"].astype(np.int64)  # per history id, +1
        self.bigram_words = table["bigram_words"]  # uint32, sorted within each history's run
        self.bigram_codes = table["bigram_codes"]  # uint8: log10 P(word | history) = -code / steps
        self.steps = float(table.meta["log10_steps"])
        self.unknown_log10 = float(table.meta["unknown_log10"])
        self.start = self.index.find_one(SENTENCE_START)

    @cached_property
    def bigram_keys(self) -> np.ndarray:
        """``history << 32 | word`` of every bigram (uint64, ascending: the table keeps
        histories in order and words sorted within each), built once per process (15 MB) so
        that a batch's bigrams are found with one binary search in C."""
        history = np.repeat(
            np.arange(len(self.unigram_log10), dtype=np.uint64), np.diff(self.bigram_starts)
        )
        keys: np.ndarray = (history << np.uint64(32)) | self.bigram_words.astype(np.uint64)
        return keys


@lru_cache(maxsize=1)
def _model(path: Path = LANGUAGE_MODEL_PATH) -> _Model:
    """The table in ``path`` (built by ``scripts/build_language_model.py``), mapped once.

    A mapped table (``spindetect._tables``) of kind ``"language_model"``:

    - the words as a ``StringIndex`` whose rows are the model's word ids;
    - ``unigram_log10``, ``backoff_log10`` (float32 per word id): log10 P(word) and the
      weight log10 P(w | word) backs off by where the pair ``word w`` was not seen;
    - ``bigram_starts`` (uint32, one more than words): where each history word's bigrams
      begin in ``bigram_words`` (uint32, the predicted words, ascending within a history)
      and ``bigram_codes`` (uint8): log10 P(word | history) = ``-code / log10_steps``.

    ``meta`` holds ``log10_steps`` and ``unknown_log10``, the probability given to a word
    the model does not know.
    """
    return _Model(load_table(path, kind="language_model", version=FORMAT_VERSION, error=LexiconDataError))


def sentence_start() -> int:
    """The model's id of ``SENTENCE_START``: the history of a text's first word."""
    return _model().start


def word_ids(words: Sequence[str]) -> np.ndarray:
    """The model's id of each word (int64), -1 for a word it does not know; ``""`` is read as
    the start of a sentence.

    >>> ids = word_ids(["market", "qwzx", ""])
    >>> bool(ids[0] >= 0), int(ids[1]), bool(ids[2] >= 0)
    (True, -1, True)
    """
    model = _model()
    ids = model.index.find(words if isinstance(words, list) else list(words))
    ids[~np.fromiter(map(bool, words), dtype=bool, count=len(ids))] = model.start
    return ids


def _bigram_rows(model: _Model, history: np.ndarray, word: np.ndarray) -> np.ndarray:
    """The row of each (history, word) bigram in ``bigram_words``, -1 where not listed."""
    keys = model.bigram_keys
    queries = (history.astype(np.uint64) << np.uint64(32)) | word.astype(np.uint64)
    # Searched in ascending order: neighbouring searches then touch the same parts of the
    # 15 MB key array (twice as fast on a batch of text as searching in text order).
    order = np.argsort(queries)
    rows = np.empty(len(queries), dtype=np.int64)
    rows[order] = np.minimum(np.searchsorted(keys, queries[order]), len(keys) - 1)
    return np.where(keys[rows] == queries, rows, -1)


def conditional_log10(history: np.ndarray, word: np.ndarray) -> np.ndarray:
    """log10 P(word | history) for ids from ``word_ids`` (float64 per pair), backing off to
    the word's own probability where the pair was not seen; -1 as ``history`` means none
    is known (the word's own probability), -1 as ``word`` an unknown word (the floor)."""
    model = _model()
    history = np.asarray(history, dtype=np.int64)
    word = np.asarray(word, dtype=np.int64)
    known = word >= 0
    safe_word = np.where(known, word, 0)
    alone = np.where(known, model.unigram_log10[safe_word].astype(np.float64), model.unknown_log10)
    paired = known & (history >= 0)
    result = alone.copy()
    if paired.any():
        h, w = history[paired], word[paired]
        rows = _bigram_rows(model, h, w)
        listed = rows >= 0
        backed_off = model.backoff_log10[h].astype(np.float64) + alone[paired]
        result[paired] = np.where(
            listed, -model.bigram_codes[np.maximum(rows, 0)].astype(np.float64) / model.steps, backed_off
        )
    return result


def word_log10(word: np.ndarray) -> np.ndarray:
    """log10 P(word), each word's own probability, for ids from ``word_ids`` (float64; the
    floor for -1, an unknown word): ``conditional_log10`` with no history known.

    >>> the, unknown = word_log10(word_ids(["the", "qwzx"])).tolist()
    >>> the > -2 > unknown
    True
    """
    return conditional_log10(np.full(len(word), -1, dtype=np.int64), word)


def phrase_log10(before: Sequence[str], phrases: Sequence[Sequence[str]], after: Sequence[str]) -> np.ndarray:
    """log10 of how likely each phrase is between its neighbours, by the bigram model: the
    sum of log10 P(w | previous word) over the phrase's words and the word after it.

    ``before[i]`` and ``after[i]`` are the words around ``phrases[i]``; ``""`` before means a
    text's start, ``""`` after that nothing follows (no term for it). An empty phrase scores
    the neighbours' own pair. Compare two phrases in one slot by their difference:

    >>> leave, go_away = phrase_log10(["to", "to"], [("leave",), ("go", "away")], ["markets", "markets"])
    >>> round(float(leave - go_away), 1)
    1.1
    """
    count = len(phrases)
    if not len(before) == count == len(after):
        raise ValueError(
            "before, phrases and after must have the same length, "
            f"got {len(before)}, {count} and {len(after)}"
        )
    if any(isinstance(phrase, str) for phrase in phrases):
        raise TypeError("phrases must hold sequences of words, got a str; split it first")
    lengths = np.fromiter(map(len, phrases), dtype=np.int64, count=count)
    model = _model()
    before_ids = word_ids(before)
    after_ids = model.index.find(after if isinstance(after, list) else list(after))
    has_after = np.fromiter(map(bool, after), dtype=bool, count=count)
    # Each phrase word after the one before it (the first after ``before``) ...
    words = model.index.find(list(chain.from_iterable(phrases)))
    history = previous_in_runs(words, lengths, before_ids)
    ends = np.cumsum(lengths)
    nonempty = lengths > 0
    owner = np.repeat(np.arange(count, dtype=np.int64), lengths)
    result = np.bincount(owner, weights=conditional_log10(history, words), minlength=count).astype(np.float64)
    # ... and the word after the phrase after its last word (or after ``before``).
    last = np.where(nonempty, words[np.maximum(ends - 1, 0)] if len(words) else -1, before_ids)
    result[has_after] += conditional_log10(last[has_after], after_ids[has_after])
    return result


def text_fluency(texts: Sequence[Sequence[str]]) -> np.ndarray:
    """How well each text reads by the bigram model: a (texts x ``FLUENCY_STATISTICS``)
    float64 matrix (zeros for a text without words). A text's first word follows the start
    of a sentence.

    Spinner output reads worse than the text it was spun from: its words are less likely
    after the ones before them, and more of them unlikely there.

    >>> source, spun = text_fluency([
    ...     "the company is ready to leave markets where it is banned".split(),
    ...     "the firm is prepared to go away markets where it is prohibited".split()])
    >>> bool(source[0] > spun[0]), bool(source[2] < spun[2])
    (True, True)
    """
    if isinstance(texts, str) or any(isinstance(text, str) for text in texts):
        raise TypeError("texts must hold sequences of words, got a str; split it first")
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ids = word_ids([word for text in texts for word in text])
    histories, words, where = distinct_pairs(previous_in_runs(ids, lengths, _model().start), ids)
    paired = conditional_log10(histories, words)[where]
    alone = word_log10(words)[where]
    return fluency_statistics(paired, alone, lengths)


def fluency_statistics(paired: np.ndarray, alone: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The ``FLUENCY_STATISTICS`` matrix of texts whose words, one text after another,
    ``lengths[i]`` for text ``i``, have the log10 probabilities ``paired`` (after the word
    before; the first after the start of a sentence) and ``alone`` (their own)."""
    count = len(lengths)
    result = np.zeros((count, len(FLUENCY_STATISTICS)), dtype=np.float64)
    if not len(paired):
        return result
    text = np.repeat(np.arange(count, dtype=np.int64), lengths)
    size = np.maximum(lengths, 1)
    result[:, 0] = np.bincount(text, weights=paired, minlength=count) / size
    result[:, 1] = np.bincount(text, weights=paired - alone, minlength=count) / size
    result[:, 2] = np.bincount(text, weights=paired < UNLIKELY_LOG10, minlength=count) / size
    return result
