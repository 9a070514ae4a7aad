"""Array helpers the stages share."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["line_numbers", "range_indices"]


def range_indices(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every index of the ranges [first, last) (integer arrays, first <= last), and the range
    each index belongs to, as two int64 arrays: the ragged ``arange`` of gathers over CSR
    rows, token ranges and postings.

    >>> [a.tolist() for a in range_indices(np.array([3, 9, 0]), np.array([5, 9, 1]))]
    [[3, 4, 0], [0, 0, 2]]
    """
    lengths = last - first
    owner = np.repeat(np.arange(len(first), dtype=np.int64), lengths)
    index = np.repeat(first - (np.cumsum(lengths) - lengths), lengths) + np.arange(
        len(owner), dtype=np.int64
    )
    return index, owner


def line_numbers(texts: Sequence[str], positions: np.ndarray) -> np.ndarray:
    """For character positions in ``"\\n".join(texts)``, the number of the text each lies in
    (int64): the batch passes run one regex over the joined texts, then map matches back.

    >>> line_numbers(["ab", "", "cde"], np.array([0, 3, 4, 6])).tolist()
    [0, 1, 2, 2]
    """
    line_starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))[:-1] + 1,
              out=line_starts[1:])
    numbers: np.ndarray = np.searchsorted(line_starts, positions, side="right") - 1
    return numbers
