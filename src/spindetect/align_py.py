"""The align stage written plainly: the reference the fast, batched ``align`` is tested on.

Same results as ``spindetect.align`` for every input, by the most direct code: k-grams are
tuples in a dict, runs are found by walking each diagonal, and every rule of the fast module
is one loop here. Slow (pure Python, quadratic at places); for tests and for reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .align import (
    ANCHOR_SIZE,
    MAX_EDIT_TOKENS,
    MAX_GAP_TOKENS,
    MAX_PAIRED_OCCURRENCES,
    MIN_PASSAGE_TOKENS,
    MIN_RUN_TOKENS,
    Alignment,
    Passage,
)

__all__ = ["align_py", "common_subsequence_py", "token_ids_py"]

Block = tuple[int, int, int]


def token_ids_py(
    article_norms: Sequence[str], reference_norms: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """``token_ids`` as a plain loop: each new string gets the next id, article first.

    >>> [ids.tolist() for ids in token_ids_py(("a", "fine", "a"), ("a", "nice"))]
    [[0, 1, 0], [0, 2]]
    """
    vocabulary: dict[str, int] = {}
    lookup = vocabulary.setdefault
    article_ids = [lookup(norm, len(vocabulary)) for norm in article_norms]
    reference_ids = [lookup(norm, len(vocabulary)) for norm in reference_norms]
    return np.array(article_ids, dtype=np.int64), np.array(reference_ids, dtype=np.int64)


def align_py(article_ids: np.ndarray, reference_ids: np.ndarray) -> Alignment:
    """``align`` of one pair, step by step.

    >>> a = np.array([1, 2, 3, 4, 9, 6, 7, 8, 10], dtype=np.int64)
    >>> r = np.array([1, 2, 3, 4, 5, 6, 7, 8], dtype=np.int64)
    >>> align_py(a, r).passages[0].blocks
    ((0, 0, 4), (5, 5, 3))
    """
    article, reference = article_ids.tolist(), reference_ids.tolist()
    article_taken = [False] * len(article)
    reference_taken = [False] * len(reference)
    blocks = select_blocks(anchor_runs(article, reference), article_taken, reference_taken)
    for passage in chain_passages(blocks):
        blocks += extension_blocks(passage, article, reference, article_taken, reference_taken)
    blocks.sort()
    passages = tuple(
        passage
        for passage in chain_passages(blocks)
        if passage.matched_tokens >= MIN_PASSAGE_TOKENS
        or passage.matched_tokens in (len(article), len(reference))
    )
    return Alignment(passages, article_ids, reference_ids)


def anchor_runs(article: list[int], reference: list[int]) -> list[Block]:
    """Runs of shared k-grams along each diagonal, grown over equal tokens at their ends,
    longest first, then by article position, then by diagonal."""
    article_at = _kgram_positions(article)
    reference_at = _kgram_positions(reference)
    anchors: dict[int, dict[int, bool]] = defaultdict(dict)  # diagonal -> {i: unique}
    for key, article_positions in article_at.items():
        reference_positions = reference_at.get(key, [])
        if not reference_positions:
            continue
        unique = len(article_positions) == len(reference_positions) == 1
        if max(len(article_positions), len(reference_positions)) < MAX_PAIRED_OCCURRENCES:
            position_pairs = [(i, j) for i in article_positions for j in reference_positions]
        else:  # frequent: first with first, second with second, ...
            position_pairs = list(zip(article_positions, reference_positions))
        for i, j in position_pairs:
            anchors[j - i][i] = unique
    runs: list[Block] = []
    for diagonal, starts in anchors.items():
        for first, count, unique in _consecutive(starts):
            length = count + ANCHOR_SIZE - 1
            if length >= MIN_RUN_TOKENS or unique:
                runs.append(_grown(first, first + diagonal, length, article, reference))
    # Longest first, then by article position, then by diagonal.
    return sorted(runs, key=lambda run: (-run[2], run[0], run[1] - run[0]))


def _kgram_positions(ids: list[int]) -> dict[tuple[int, ...], list[int]]:
    positions: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for start in range(len(ids) - ANCHOR_SIZE + 1):
        positions[tuple(ids[start : start + ANCHOR_SIZE])].append(start)
    return positions


def _consecutive(starts: dict[int, bool]) -> list[tuple[int, int, bool]]:
    """(first position, count, any unique) of each run of consecutive positions."""
    runs: list[tuple[int, int, bool]] = []
    for position in sorted(starts):
        if runs and runs[-1][0] + runs[-1][1] == position:
            first, count, unique = runs[-1]
            runs[-1] = (first, count + 1, unique or starts[position])
        else:
            runs.append((position, 1, starts[position]))
    return runs


def _grown(
    a_start: int, r_start: int, length: int, article: list[int], reference: list[int]
) -> Block:
    """A run grown by up to ANCHOR_SIZE - 1 equal tokens before it and after it."""
    for _ in range(ANCHOR_SIZE - 1):
        if a_start > 0 and r_start > 0 and article[a_start - 1] == reference[r_start - 1]:
            a_start, r_start, length = a_start - 1, r_start - 1, length + 1
    for _ in range(ANCHOR_SIZE - 1):
        a_end, r_end = a_start + length, r_start + length
        if a_end < len(article) and r_end < len(reference) and article[a_end] == reference[r_end]:
            length += 1
    return a_start, r_start, length


def select_blocks(
    runs: list[Block], article_taken: list[bool], reference_taken: list[bool]
) -> list[Block]:
    """Keep runs in order; a run that meets kept tokens keeps its longest free stretch, if
    that is ANCHOR_SIZE long. Marks kept tokens taken; blocks come back sorted."""
    blocks: list[Block] = []
    for a_start, r_start, length in runs:
        free = [
            not article_taken[a_start + k] and not reference_taken[r_start + k]
            for k in range(length)
        ]
        offset, free_length = _longest_true_stretch(free)
        if free_length < length:
            if free_length < ANCHOR_SIZE:
                continue
            a_start, r_start, length = a_start + offset, r_start + offset, free_length
        for k in range(length):
            article_taken[a_start + k] = reference_taken[r_start + k] = True
        blocks.append((a_start, r_start, length))
    return sorted(blocks)


def _longest_true_stretch(values: list[bool]) -> tuple[int, int]:
    """(offset, length) of the first longest run of True."""
    best = (0, 0)
    start = None
    for index, value in enumerate(values + [False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            if index - start > best[1]:
                best = (start, index - start)
            start = None
    return best


def chain_passages(blocks: list[Block]) -> list[Passage]:
    """Blocks in order, joined while each follows the last with at most MAX_GAP_TOKENS
    between them on both sides (none backwards in the reference)."""
    chains: list[list[Block]] = []
    for block in blocks:
        if chains:
            a_prev, r_prev, n_prev = chains[-1][-1]
            a_gap, r_gap = block[0] - a_prev - n_prev, block[1] - r_prev - n_prev
            if a_gap <= MAX_GAP_TOKENS and 0 <= r_gap <= MAX_GAP_TOKENS:
                chains[-1].append(block)
                continue
        chains.append([block])
    return [Passage(tuple(chain)) for chain in chains]


def extension_blocks(
    passage: Passage,
    article: list[int],
    reference: list[int],
    article_taken: list[bool],
    reference_taken: list[bool],
) -> list[Block]:
    """Blocks that grow ``passage`` outwards, before it then after it, window by window:
    in up to MAX_GAP_TOKENS free tokens next to its edge on each side, the common
    subsequence's matches reached through differences of at most MAX_EDIT_TOKENS, up to the
    last stretch of two or more tokens."""
    found: list[Block] = []
    for direction in (-1, 1):
        if direction < 0:
            a_edge, r_edge = passage.article_range[0], passage.reference_range[0]
        else:
            a_edge, r_edge = passage.article_range[1], passage.reference_range[1]
        while True:
            a_window = _free_window(article_taken, a_edge, direction)
            r_window = _free_window(reference_taken, r_edge, direction)
            outward_a = [article[k] for k in a_window]
            outward_r = [reference[k] for k in r_window]
            kept = _edge_stretches(outward_a, outward_r)
            if not kept:
                break
            for a_offset, r_offset, length in kept:
                if direction < 0:  # outward offsets count back from the edge
                    a_start = a_edge - a_offset - length
                    r_start = r_edge - r_offset - length
                else:
                    a_start, r_start = a_edge + a_offset, r_edge + r_offset
                for k in range(length):
                    article_taken[a_start + k] = reference_taken[r_start + k] = True
                found.append((a_start, r_start, length))
            a_start, r_start, length = found[-1]
            if direction < 0:
                a_edge, r_edge = a_start, r_start
            else:
                a_edge, r_edge = a_start + length, r_start + length
    return found


def _free_window(taken: list[bool], edge: int, direction: int) -> list[int]:
    """Positions of up to MAX_GAP_TOKENS free tokens next to ``edge``, nearest first."""
    window: list[int] = []
    position = edge - 1 if direction < 0 else edge
    while 0 <= position < len(taken) and len(window) < MAX_GAP_TOKENS and not taken[position]:
        window.append(position)
        position += direction
    return window


def _edge_stretches(outward_a: list[int], outward_r: list[int]) -> list[Block]:
    """Matching stretches of two windows (nearest the passage first), walked outwards while
    each difference is at most MAX_EDIT_TOKENS a side, kept up to the last stretch of two."""
    stretches: list[Block] = []
    for a_pos, r_pos in common_subsequence_py(outward_a, outward_r):
        if stretches and stretches[-1][0] + stretches[-1][2] == a_pos and (
            stretches[-1][1] + stretches[-1][2] == r_pos
        ):
            stretches[-1] = (stretches[-1][0], stretches[-1][1], stretches[-1][2] + 1)
        else:
            stretches.append((a_pos, r_pos, 1))
    kept: list[Block] = []
    accepted = 0
    a_prev = r_prev = 0
    for a_pos, r_pos, length in stretches:
        if a_pos - a_prev > MAX_EDIT_TOKENS or r_pos - r_prev > MAX_EDIT_TOKENS:
            break
        kept.append((a_pos, r_pos, length))
        if length >= 2:
            accepted = len(kept)
        a_prev, r_prev = a_pos + length, r_pos + length
    return kept[:accepted]


def common_subsequence_py(left: list[int], right: list[int]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence: the table of suffix lengths, then a walk
    from the start taking equal tokens, else stepping where the longer suffix stays.

    >>> common_subsequence_py([1, 2, 3, 4], [2, 9, 4])
    [(1, 0), (3, 2)]
    """
    n, m = len(left), len(right)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if left[i] == right[j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if left[i] == right[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs
