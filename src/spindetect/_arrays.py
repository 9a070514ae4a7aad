"""Array helpers the stages share."""

from __future__ import annotations

from collections.abc import Sequence, Sized

import numpy as np

__all__ = ["distinct_pairs", "first_indices", "line_numbers", "logistic", "previous_in_runs", "range_indices"]


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
    # Each text begins after the texts before it and their newlines.
    line_starts = first_indices(texts)[:-1] + np.arange(len(texts), dtype=np.int64)
    numbers: np.ndarray = np.searchsorted(line_starts, positions, side="right") - 1
    return numbers


def first_indices(sequences: Sequence[Sized]) -> np.ndarray:
    """Where each of ``sequences`` begins in all of them joined end to end, and then their
    total length, as int64: the batch passes move each document's token indices by these.

    >>> first_indices(["ab", "", "cde"]).tolist()
    [0, 2, 2, 5]
    """
    first = np.zeros(len(sequences) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences)),
              out=first[1:])
    return first


def distinct_pairs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct pairs ``(left[i], right[i])`` of two arrays of ids from -1 to 2**32 - 2,
    sorted, and where each pair is among them: ``(lefts, rights, where)`` with
    ``lefts[where] == left`` and ``rights[where] == right``. Text repeats its word pairs
    ("of the"): look each distinct one up once and gather.

    >>> [a.tolist() for a in distinct_pairs(np.array([4, -1, 4]), np.array([7, 2, 7]))]
    [[-1, 4], [2, 7], [1, 0, 1]]
    """
    shift = np.uint64(32)
    keys = ((np.asarray(left, dtype=np.int64) + 1).astype(np.uint64) << shift) | (
        np.asarray(right, dtype=np.int64) + 1
    ).astype(np.uint64)
    distinct, where = np.unique(keys, return_inverse=True)
    lefts = (distinct >> shift).astype(np.int64) - 1
    rights = (distinct & np.uint64(0xFFFFFFFF)).astype(np.int64) - 1
    return lefts, rights, where.reshape(-1)


def previous_in_runs(values: np.ndarray, lengths: np.ndarray, first: int | np.ndarray) -> np.ndarray:
    """For runs laid one after another (``lengths[i]`` values for run ``i``), the value
    before each within its run; the first of run ``i`` gets ``first`` (one value for all,
    or one per run): each word's history in texts joined end to end.

    >>> previous_in_runs(np.array([5, 6, 7, 8]), np.array([3, 0, 1]), -1).tolist()
    [-1, 5, 6, -1]
    >>> previous_in_runs(np.array([5, 6, 7, 8]), np.array([3, 0, 1]), np.array([1, 2, 3])).tolist()
    [1, 5, 6, 3]
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    result = np.empty_like(values)
    result[1:] = values[:-1]
    nonempty = lengths > 0
    starts = (np.cumsum(lengths) - lengths)[nonempty]
    result[starts] = first if np.ndim(first) == 0 else np.asarray(first)[nonempty]
    return result


def logistic(log_odds: np.ndarray) -> np.ndarray:
    """Probabilities from log-odds, without overflow for any input.

    >>> logistic(np.array([0.0, 1000.0, -1000.0])).tolist()
    [0.5, 1.0, 0.0]
    """
    result: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * log_odds))
    return result
