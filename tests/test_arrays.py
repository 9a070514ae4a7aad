from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from spindetect._arrays import first_indices, line_numbers, range_indices


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 5)), max_size=8))
def test_range_indices_list_every_range_in_order(ranges):
    first = np.array([start for start, _ in ranges], dtype=np.int64)
    last = np.array([start + length for start, length in ranges], dtype=np.int64)
    index, owner = range_indices(first, last)
    expected = [(i, k) for k, (start, length) in enumerate(ranges)
                for i in range(start, start + length)]
    assert list(zip(index.tolist(), owner.tolist())) == expected
    assert index.dtype == owner.dtype == np.int64


@given(st.lists(st.text(alphabet="ab", max_size=4), min_size=1, max_size=6))
def test_line_numbers_map_every_character_to_its_text(texts):
    joined = "\n".join(texts)
    owners = [k for k, text in enumerate(texts) for _ in range(len(text) + 1)][: len(joined)]
    assert line_numbers(texts, np.arange(len(joined))).tolist() == owners


@given(st.lists(st.text(max_size=5), max_size=6))
def test_first_indices_are_where_each_sequence_begins_joined(sequences):
    first = first_indices(sequences)
    joined = "".join(sequences)
    assert first.dtype == np.int64 and first[-1] == len(joined)
    for sequence, low, high in zip(sequences, first[:-1].tolist(), first[1:].tolist()):
        assert joined[low:high] == sequence
