"""Tests of the shipped word and word-pair counts (spindetect.bigrams)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect import bigrams
from spindetect.lexicon import LexiconDataError
from spindetect.tokenize import tokenize


def test_common_pairs_are_counted_and_tortured_ones_are_not():
    counts = bigram_counts_of(
        "artificial intelligence", "breast cancer", "counterfeit consciousness", "bosom malignancy"
    )
    assert counts[0] > 10_000_000 and counts[1] > 100_000_000
    assert counts[2:].tolist() == [0, 0]


def bigram_counts_of(*phrases: str) -> np.ndarray:
    pairs = [tokenize(phrase).norms for phrase in phrases]
    return bigrams.bigram_counts([left for left, _ in pairs], [right for _, right in pairs])


def test_order_matters():
    forward, backward = bigrams.bigram_counts(["of", "the"], ["the", "of"])
    assert forward > 100 * max(backward, 1)


def test_counts_are_read_back_within_the_coding_step():
    # SymSpell lists "the" 23,135,851,162 times; codes keep 1/16 of a doubling.
    (the,) = bigrams.unigram_counts(["the"])
    assert abs(the / 23_135_851_162 - 1) < 2 ** (1 / 32) - 1


def test_words_are_matched_as_the_tokenizer_normalises_them():
    norms = tokenize("ARTIFICIAL Intelligence").norms
    assert bigrams.bigram_counts(norms[:1], norms[1:])[0] > 0
    assert bigrams.bigram_counts(["Artificial"], ["Intelligence"]).tolist() == [0]


def test_unknown_words_count_zero_and_have_no_id():
    assert bigrams.unigram_counts(["qwzx", "", "über"]).tolist() == [0, 0, 0]
    assert bigrams.word_ids(["qwzx"]).tolist() == [-1]
    assert bigrams.pair_counts(np.array([-1], dtype=np.int64), np.array([0], dtype=np.int64)).tolist() == [0]


def test_empty_input_gives_empty_int64_arrays():
    for counts in (bigrams.bigram_counts([], []), bigrams.unigram_counts([])):
        assert counts.dtype == np.int64 and counts.size == 0


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="left and right must have the same length, got 2 and 1"):
        bigrams.bigram_counts(["a", "b"], ["c"])
    with pytest.raises(TypeError, match="right must be a sequence of words, got a str"):
        bigrams.bigram_counts(["deep"], "learning")
    with pytest.raises(TypeError, match="words must be a sequence of words"):
        bigrams.unigram_counts("the")


def test_a_stale_file_fails_with_a_clear_message(tmp_path):
    from spindetect._tables import write_table

    path = tmp_path / "bigrams.table"
    write_table(path, kind="bigrams", version=bigrams.FORMAT_VERSION - 1, built_by="scripts/build_bigrams.py",
                arrays={"unigram_counts": np.zeros(1, dtype=np.int64)})
    with pytest.raises(LexiconDataError, match=r"format version 1, but spindetect expects 2: the "
                       r"data is stale; rebuild it with `python scripts/build_bigrams.py`"):
        bigrams._table(path)


def pair_counts_py(left: list[str], right: list[str]) -> list[int]:
    """The plain reference: a dict of every listed pair."""
    table = bigrams._table()
    words = table.words
    listed = {
        (words[int(key >> 32)], words[int(key & 0xFFFFFFFF)]): int(count)
        for key, count in zip(table.bigram_keys.tolist(), table.bigram_counts.tolist())
    }
    return [listed.get(pair, 0) for pair in zip(left, right)]


@pytest.fixture(scope="module")
def listed_pairs() -> list[tuple[str, str]]:
    table = bigrams._table()
    keys = table.bigram_keys[:: max(1, table.bigram_keys.size // 500)].tolist()
    return [(table.words[key >> 32], table.words[key & 0xFFFFFFFF]) for key in keys]


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_vectorised_lookup_matches_the_plain_one(data, listed_pairs):
    words = [word for pair in listed_pairs for word in pair] + ["qwzx", "the"]
    word = st.one_of(st.sampled_from(words), st.text(max_size=6))
    listed = st.sampled_from(listed_pairs)
    pairs = data.draw(st.lists(st.one_of(listed, st.tuples(word, word)), max_size=40))
    left, right = [a for a, _ in pairs], [b for _, b in pairs]
    assert bigrams.bigram_counts(left, right).tolist() == pair_counts_py(left, right)
