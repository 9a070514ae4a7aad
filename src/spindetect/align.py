"""Align two token sequences into passages: runs of exact matches with small gaps between.

Second stage (tokenize -> align -> extract -> score -> report). Rewriters reorder paragraphs,
cut sentences and add commentary, so alignment is not one global diff: shared token n-grams
give anchors anywhere in either text, anchors on one diagonal merge into runs, the longest runs
win where they conflict, and runs that follow each other in both texts with a short gap between
form a passage. The gaps are what the extract stage turns into swaps. Every step is sorting and
array arithmetic, so time grows as n log n with the length of the texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from ._arrays import range_indices

__all__ = [
    "MAX_EDIT_TOKENS",
    "Alignment",
    "Passage",
    "align",
    "align_batch",
    "common_subsequence",
    "shared_ids",
    "token_ids",
]

# Anchors are shared runs of ANCHOR_SIZE tokens. Three tokens are rarely shared by chance
# between unrelated texts in the same language, yet survive a spinner that changes about
# one word in five.
ANCHOR_SIZE = 3
# A run must cover this many tokens to be kept on its own, unless its k-gram is unique in
# both texts; shorter shared stretches are found by the local fill and the extension next to
# a passage, where context makes them trustworthy.
MIN_RUN_TOKENS = 4
# A passage must match this many tokens, unless it is the whole of one text: a lone shared
# phrase between unrelated texts ("in the united states") is chance, not copying.
MIN_PASSAGE_TOKENS = 5
# A k-gram that occurs this often or more on one side is paired occurrence by occurrence
# (first with first) instead of all with all, which keeps repeated text linear.
MAX_PAIRED_OCCURRENCES = 4
# Two runs join one passage when the tokens between them, on each side, are at most this
# many: room for a couple of adjacent phrase swaps, not for a rewritten clause.
MAX_GAP_TOKENS = 12
# The longest swap, in tokens a side: "was" -> "used to be" is 1:3, "leave" -> "go away"
# 1:2; spinners' phrase entries rarely exceed four words, and longer differences read as a
# person rewording a clause. Growing a passage outwards steps over no longer difference.
MAX_EDIT_TOKENS = 4


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the article aligned to one stretch of the reference.

    ``blocks`` are exact matches ``(article_start, reference_start, length)`` in token indices,
    increasing on both sides; between consecutive blocks lies a gap of differing tokens.
    """

    blocks: tuple[tuple[int, int, int], ...]

    @property
    def matched_tokens(self) -> int:
        return sum(length for _, _, length in self.blocks)

    @property
    def article_range(self) -> tuple[int, int]:
        first, last = self.blocks[0], self.blocks[-1]
        return first[0], last[0] + last[2]

    @property
    def reference_range(self) -> tuple[int, int]:
        first, last = self.blocks[0], self.blocks[-1]
        return first[1], last[1] + last[2]

    def gaps(self) -> list[tuple[int, int, int, int]]:
        """The differing stretches ``(a_start, a_end, r_start, r_end)`` between blocks."""
        return [
            (a0 + n0, a1, r0 + n0, r1)
            for (a0, r0, n0), (a1, r1, _) in zip(self.blocks, self.blocks[1:])
            if a0 + n0 < a1 or r0 + n0 < r1
        ]


@dataclass(frozen=True, slots=True)
class Alignment:
    """All passages of an article against a reference, in article order."""

    passages: tuple[Passage, ...]
    article_ids: np.ndarray  # int64 token ids, shared vocabulary with reference_ids
    reference_ids: np.ndarray


def token_ids(
    article_norms: Sequence[str], reference_norms: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Map both token sequences to integer ids drawn from one shared vocabulary.

    Ids are given in order of first appearance, article first; the work per token is done by
    C-level dict and map calls. Same ids as ``align_py.token_ids_py``.

    >>> [ids.tolist() for ids in token_ids(("a", "fine", "a"), ("a", "nice"))]
    [[0, 1, 0], [0, 2]]
    """
    vocabulary = dict.fromkeys(article_norms)
    vocabulary.update(dict.fromkeys(reference_norms))
    article_ids, reference_ids = shared_ids([article_norms, reference_norms], vocabulary)
    return article_ids, reference_ids


def shared_ids(
    sequences: Sequence[Sequence[str]], vocabulary: Iterable[str]
) -> list[np.ndarray]:
    """Each sequence of strings as int64 ids: positions in ``vocabulary``, which holds them all.

    >>> [ids.tolist() for ids in shared_ids([("b", "a"), ("a",)], ["a", "b"])]
    [[1, 0], [0]]
    """
    index = dict(zip(vocabulary, range(1 << 62)))
    lookup = index.__getitem__
    return [
        np.fromiter(map(lookup, sequence), dtype=np.int64, count=len(sequence))
        for sequence in sequences
    ]


def align(article_ids: np.ndarray, reference_ids: np.ndarray) -> Alignment:
    """Passages of exact-match blocks between two id sequences, in article order.

    >>> a = np.array([1, 2, 3, 4, 9, 6, 7, 8, 10], dtype=np.int64)
    >>> r = np.array([1, 2, 3, 4, 5, 6, 7, 8], dtype=np.int64)
    >>> align(a, r).passages[0].blocks
    ((0, 0, 4), (5, 5, 3))
    """
    return align_batch([(article_ids, reference_ids)])[0]


def align_batch(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[Alignment]:
    """``align`` of many (article ids, reference ids) pairs: the anchors and runs of all
    pairs are found in one set of array passes, then each pair's blocks are chosen. Each
    alignment is the same as alone.

    >>> a = np.array([1, 2, 3, 4, 9, 6, 7, 8, 10], dtype=np.int64)
    >>> r = np.array([1, 2, 3, 4, 5, 6, 7, 8], dtype=np.int64)
    >>> [len(alignment.passages) for alignment in align_batch([(a, r), (a, a[::-1])])]
    [1, 0]
    """
    for number, pair in enumerate(pairs):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"pairs[{number}] must be an (article_ids, reference_ids) tuple")
        for side, ids in zip(("article_ids", "reference_ids"), pair):
            if not isinstance(ids, np.ndarray) or ids.ndim != 1 or ids.dtype.kind not in "iu":
                raise TypeError(
                    f"pairs[{number}] {side} must be a 1-D integer numpy array "
                    f"(see token_ids), got {type(ids).__name__}"
                    + (f" of dtype {ids.dtype} and shape {ids.shape}"
                       if isinstance(ids, np.ndarray) else "")
                )
    return [
        _align_runs(article_ids, reference_ids, runs)
        for (article_ids, reference_ids), runs in zip(pairs, _anchor_runs(pairs))
    ]


def _align_runs(article_ids: np.ndarray, reference_ids: np.ndarray, runs: np.ndarray) -> Alignment:
    """One pair's alignment from its extended runs, in selection order (``_anchor_runs``)."""
    # Which tokens a kept block covers, one byte each (0 or 1): bytearray's find answers
    # "any taken in this stretch?" without a numpy call per run.
    article_taken = bytearray(len(article_ids))
    reference_taken = bytearray(len(reference_ids))
    blocks = _select_blocks(runs, article_taken, reference_taken)
    for passage in _chain_passages(blocks):
        blocks.extend(
            _extension_blocks(
                passage, article_ids, reference_ids, article_taken, reference_taken
            )
        )
    blocks.sort()
    passages = tuple(
        passage
        for passage in _chain_passages(blocks)
        if passage.matched_tokens >= MIN_PASSAGE_TOKENS
        or passage.matched_tokens in (len(article_ids), len(reference_ids))
    )
    return Alignment(
        passages=passages,
        article_ids=article_ids,
        reference_ids=reference_ids,
    )


def _kgram_keys(sequences: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A uint64 hash of every ANCHOR_SIZE-gram of each sequence, salted with the sequence's
    number so that equal k-grams of different sequences differ, and the position of each
    k-gram's first token in the sequences joined end to end (int64)."""
    lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
    joined = np.concatenate([np.empty(0, dtype=np.int64)] + list(sequences))
    count = len(joined) - ANCHOR_SIZE + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    keys = np.zeros(count, dtype=np.uint64)
    mixed = _mix64(joined.astype(np.uint64))
    for offset in range(ANCHOR_SIZE):
        # Rotate-and-xor keeps the order of the tokens in the key.
        keys = (keys << np.uint64(21)) | (keys >> np.uint64(43))
        keys ^= mixed[offset : offset + count]
    # Keep the k-grams that lie inside one sequence.
    sequence = np.repeat(np.arange(len(sequences), dtype=np.int64), lengths)[:count]
    local = np.arange(count, dtype=np.int64) - (np.cumsum(lengths) - lengths)[sequence]
    inside = np.flatnonzero(local + ANCHOR_SIZE <= lengths[sequence])
    salt = _mix64(sequence[inside].astype(np.uint64) ^ np.uint64(0xD6E8FEB86659FD93))
    return keys[inside] ^ salt, inside


def _mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads small integer ids over all 64 bits."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _anchor_pairs(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions (i, j) where an article and its reference share a k-gram, and whether it is
    unique in both; positions count through all articles (all references) joined."""
    article_keys, article_at = _kgram_keys([article for article, _ in pairs])
    reference_keys, reference_at = _kgram_keys([reference for _, reference in pairs])
    empty = np.empty(0, dtype=np.int64)
    if len(article_keys) == 0 or len(reference_keys) == 0:
        return empty, empty, np.empty(0, dtype=bool)
    # Stable sorts keep positions in text order within each key, which the
    # occurrence-by-occurrence pairing below relies on.
    article_sort = np.argsort(article_keys, kind="stable")
    reference_sort = np.argsort(reference_keys, kind="stable")
    article_order, reference_order = article_at[article_sort], reference_at[reference_sort]
    a_keys, a_first, a_counts = _sorted_groups(article_keys[article_sort])
    r_keys, r_first, r_counts = _sorted_groups(reference_keys[reference_sort])
    # The keys both texts have, in increasing order (both key arrays are sorted).
    r_idx = np.minimum(np.searchsorted(r_keys, a_keys), len(r_keys) - 1)
    a_idx = np.flatnonzero(r_keys[r_idx] == a_keys)
    if len(a_idx) == 0:
        return empty, empty, np.empty(0, dtype=bool)
    r_idx = r_idx[a_idx]
    shared = a_keys[a_idx]
    a_first, a_counts = a_first[a_idx], a_counts[a_idx]
    r_first, r_counts = r_first[r_idx], r_counts[r_idx]

    # All-with-all for rare k-grams: a moved paragraph can pair with any occurrence.
    cross = np.maximum(a_counts, r_counts) < MAX_PAIRED_OCCURRENCES
    pair_counts = np.where(cross, a_counts * r_counts, np.minimum(a_counts, r_counts))
    within, group = range_indices(np.zeros_like(pair_counts), pair_counts)
    group_cross = cross[group]
    group_r_counts = r_counts[group]
    a_rank = np.where(group_cross, within // group_r_counts, within)
    r_rank = np.where(group_cross, within % group_r_counts, within)
    article_pos = article_order[a_first[group] + a_rank]
    reference_pos = reference_order[r_first[group] + r_rank]
    unique = (a_counts == 1) & (r_counts == 1)
    return article_pos.astype(np.int64), reference_pos.astype(np.int64), unique[group]


def _sorted_groups(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(sorted_keys, return_index=True, return_counts=True)`` of an array that is
    already sorted, without sorting it again."""
    first = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    counts = np.diff(np.append(first, len(sorted_keys)))
    return sorted_keys[first], first, counts


def _anchor_runs(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """For each pair, the diagonal runs of anchors worth keeping, grown over equal tokens at
    their ends, as rows (article_start, reference_start, length) in the order blocks are
    chosen: longest first, then by article position.

    A run is kept when it covers MIN_RUN_TOKENS tokens, or when one of its k-grams occurs
    exactly once in each text (short texts share few long runs, but their k-grams are unique).
    """
    article_lengths = np.fromiter((len(a) for a, _ in pairs), dtype=np.int64, count=len(pairs))
    reference_lengths = np.fromiter((len(r) for _, r in pairs), dtype=np.int64, count=len(pairs))
    article_offsets = np.cumsum(article_lengths) - article_lengths
    reference_offsets = np.cumsum(reference_lengths) - reference_lengths
    article_pos, reference_pos, unique = _anchor_pairs(pairs)
    # Back to positions within each pair (the salted keys only pair k-grams of one pair).
    pair = np.searchsorted(article_offsets, article_pos, side="right") - 1
    article_pos = article_pos - article_offsets[pair]
    diagonal = reference_pos - reference_offsets[pair] - article_pos
    order = np.lexsort((article_pos, diagonal, pair))
    article_pos, diagonal, unique, pair = (
        article_pos[order], diagonal[order], unique[order], pair[order]
    )
    run_start = np.ones(len(order), dtype=bool)
    run_start[1:] = (
        (pair[1:] != pair[:-1])
        | (diagonal[1:] != diagonal[:-1])
        | (article_pos[1:] != article_pos[:-1] + 1)
    )
    starts = np.flatnonzero(run_start)
    lengths = np.diff(np.append(starts, len(order))) + ANCHOR_SIZE - 1
    has_unique = np.logical_or.reduceat(unique, starts) if len(starts) else unique[:0]
    keep = (lengths >= MIN_RUN_TOKENS) | has_unique
    run_pair = pair[starts][keep]
    a_start, r_start, length = _extend_runs(
        article_pos[starts][keep],
        article_pos[starts][keep] + diagonal[starts][keep],
        lengths[keep],
        np.concatenate([np.empty(0, dtype=np.int64)] + [a for a, _ in pairs]),
        np.concatenate([np.empty(0, dtype=np.int64)] + [r for _, r in pairs]),
        article_offsets[run_pair], article_lengths[run_pair],
        reference_offsets[run_pair], reference_lengths[run_pair],
    )
    order = np.lexsort((a_start, -length, run_pair))
    runs = np.stack([a_start, r_start, length], axis=1).astype(np.int64)[order]
    bounds = np.searchsorted(run_pair[order], np.arange(1, len(pairs)))
    return np.split(runs, bounds)


def _extend_runs(
    a_start: np.ndarray,
    r_start: np.ndarray,
    length: np.ndarray,
    article_ids: np.ndarray,
    reference_ids: np.ndarray,
    article_offset: np.ndarray,
    article_length: np.ndarray,
    reference_offset: np.ndarray,
    reference_length: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grow each run over equal tokens at its ends that no anchor covered.

    Runs are given within their pair; ``article_ids``/``reference_ids`` are all pairs'
    sequences joined, each run's pair starting at ``article_offset``/``reference_offset``
    and ``article_length``/``reference_length`` long.
    """
    a_start, r_start, length = a_start.copy(), r_start.copy(), length.copy()
    # Backwards: tokens before the run that are equal on both sides.
    growing = np.ones(len(a_start), dtype=bool)
    for _ in range(ANCHOR_SIZE - 1):
        growing &= (a_start > 0) & (r_start > 0)
        idx = np.flatnonzero(growing)
        equal = (article_ids[article_offset[idx] + a_start[idx] - 1]
                 == reference_ids[reference_offset[idx] + r_start[idx] - 1])
        growing[idx[~equal]] = False
        a_start[idx[equal]] -= 1
        r_start[idx[equal]] -= 1
        length[idx[equal]] += 1
    growing = np.ones(len(a_start), dtype=bool)
    for _ in range(ANCHOR_SIZE - 1):
        a_end, r_end = a_start + length, r_start + length
        growing &= (a_end < article_length) & (r_end < reference_length)
        idx = np.flatnonzero(growing)
        equal = (article_ids[article_offset[idx] + a_end[idx]]
                 == reference_ids[reference_offset[idx] + r_end[idx]])
        growing[idx[~equal]] = False
        length[idx[equal]] += 1
    return a_start, r_start, length


def _select_blocks(
    runs: np.ndarray, article_taken: bytearray, reference_taken: bytearray
) -> list[tuple[int, int, int]]:
    """Keep the runs in their order (longest first); a later run keeps only its longest
    unclaimed stretch.

    Marks the tokens of the kept blocks in ``article_taken`` and ``reference_taken``.
    """
    blocks: list[tuple[int, int, int]] = []
    for a_start, r_start, length in runs.tolist():
        if (
            article_taken.find(1, a_start, a_start + length) != -1
            or reference_taken.find(1, r_start, r_start + length) != -1
        ):
            taken = np.frombuffer(
                article_taken, dtype=bool, count=length, offset=a_start
            ) | np.frombuffer(reference_taken, dtype=bool, count=length, offset=r_start)
            offset, length = _longest_false_stretch(taken)
            if length < ANCHOR_SIZE:
                continue
            a_start += offset
            r_start += offset
        article_taken[a_start : a_start + length] = _TAKEN * length
        reference_taken[r_start : r_start + length] = _TAKEN * length
        blocks.append((a_start, r_start, length))
    blocks.sort()
    return blocks


_TAKEN = b"\x01"


def _longest_false_stretch(taken: np.ndarray) -> tuple[int, int]:
    """(offset, length) of the longest run of False values in a boolean array."""
    padded = np.concatenate(([True], taken, [True]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    # edges alternate: start of a False stretch (diff -1), end of it (diff +1).
    starts, ends = edges[0::2], edges[1::2]
    if len(starts) == 0:
        return 0, 0
    best = int(np.argmax(ends - starts))
    return int(starts[best]), int(ends[best] - starts[best])


def _chain_passages(blocks: list[tuple[int, int, int]]) -> tuple[Passage, ...]:
    """Join blocks that follow each other on both sides with a short gap into passages."""
    passages: list[Passage] = []
    current: list[tuple[int, int, int]] = []
    for block in blocks:
        if current:
            a_prev, r_prev, n_prev = current[-1]
            a_gap = block[0] - (a_prev + n_prev)
            r_gap = block[1] - (r_prev + n_prev)
            if 0 <= r_gap <= MAX_GAP_TOKENS and a_gap <= MAX_GAP_TOKENS:
                current.append(block)
                continue
            passages.append(Passage(tuple(current)))
        current = [block]
    if current:
        passages.append(Passage(tuple(current)))
    return tuple(passages)


def _extension_blocks(
    passage: Passage,
    article_ids: np.ndarray,
    reference_ids: np.ndarray,
    article_taken: bytearray,
    reference_taken: bytearray,
) -> list[tuple[int, int, int]]:
    """Blocks that grow a passage outwards over short shared stretches at both of its ends.

    Heavily spun text leaves shared stretches of two or three words ("agree with a",
    "on the") too short to anchor on their own; next to a passage they are trustworthy.
    """
    found: list[tuple[int, int, int]] = []
    for direction in (-1, 1):
        a_edge, r_edge = (
            (passage.article_range[0], passage.reference_range[0])
            if direction < 0
            else (passage.article_range[1], passage.reference_range[1])
        )
        while True:
            a_window = _free_window(article_taken, a_edge, direction)
            r_window = _free_window(reference_taken, r_edge, direction)
            new_blocks = _edge_matches(
                article_ids[a_window], reference_ids[r_window], direction
            )
            if not new_blocks:
                break
            for a_offset, r_offset, length in new_blocks:
                a_start = a_window.start + a_offset
                r_start = r_window.start + r_offset
                article_taken[a_start : a_start + length] = _TAKEN * length
                reference_taken[r_start : r_start + length] = _TAKEN * length
                found.append((a_start, r_start, length))
            a_start, r_start, length = found[-1]  # the outermost: found edge outwards
            if direction < 0:
                a_edge, r_edge = a_start, r_start
            else:
                a_edge, r_edge = a_start + length, r_start + length
    return found


def _free_window(taken: bytearray, edge: int, direction: int) -> slice:
    """Up to MAX_GAP_TOKENS untaken positions next to ``edge`` (before it if direction < 0)."""
    if direction < 0:
        start = max(0, edge - MAX_GAP_TOKENS)
        last_taken = taken.rfind(1, start, edge)
        if last_taken != -1:
            start = last_taken + 1
        return slice(start, edge)
    end = min(len(taken), edge + MAX_GAP_TOKENS)
    first_taken = taken.find(1, edge, end)
    if first_taken != -1:
        end = first_taken
    return slice(edge, end)


def _edge_matches(
    article_window: np.ndarray, reference_window: np.ndarray, direction: int
) -> list[tuple[int, int, int]]:
    """Matching stretches of two windows that reach the passage edge through small edits.

    Walks the windows' common subsequence from the edge outwards; stops at a difference
    longer than MAX_EDIT_TOKENS tokens, and keeps matches up to the last stretch of at least
    two tokens, so a lone shared "the" never extends a passage.
    """
    article_list, reference_list = article_window.tolist(), reference_window.tolist()
    if set(article_list).isdisjoint(reference_list):
        return []
    if direction < 0:
        article_list.reverse()
        reference_list.reverse()
    stretches = _matching_stretches(common_subsequence(article_list, reference_list))
    kept: list[tuple[int, int, int]] = []
    accepted = 0
    a_prev = r_prev = 0
    for a_pos, r_pos, length in stretches:
        if a_pos - a_prev > MAX_EDIT_TOKENS or r_pos - r_prev > MAX_EDIT_TOKENS:
            break
        kept.append((a_pos, r_pos, length))
        if length >= 2:
            accepted = len(kept)
        a_prev, r_prev = a_pos + length, r_pos + length
    kept = kept[:accepted]
    if direction < 0:
        a_size, r_size = len(article_list), len(reference_list)
        kept = [(a_size - a - n, r_size - r - n, n) for a, r, n in kept]
    return kept


def _matching_stretches(pairs: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Index pairs grouped into stretches (a, r, length) that advance together."""
    stretches: list[tuple[int, int, int]] = []
    for a_pos, r_pos in pairs:
        if stretches:
            a_last, r_last, length = stretches[-1]
            if a_last + length == a_pos and r_last + length == r_pos:
                stretches[-1] = (a_last, r_last, length + 1)
                continue
        stretches.append((a_pos, r_pos, 1))
    return stretches


def common_subsequence(left: list[int], right: list[int]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of two short lists (a small DP).

    When the equal pairs already form one chain, increasing on both sides (short gaps
    mostly share a word or two), that chain is the only longest common subsequence and
    comes back without the table.
    """
    if not left or not right:
        return []
    positions: dict[int, list[int]] = {}
    for j, value in enumerate(right):
        positions.setdefault(value, []).append(j)
    equal = [(i, j) for i, value in enumerate(left) for j in positions.get(value, ())]
    if all(j0 < j1 for (_, j0), (_, j1) in pairwise(equal)) and len(
        {i for i, _ in equal}
    ) == len(equal):
        return equal
    return _bit_parallel_subsequence(left, right)


def _bit_parallel_subsequence(left: list[int], right: list[int]) -> list[tuple[int, int]]:
    """``common_subsequence`` from bit-vector rows of the suffix lengths: the same walk as
    the table's (``align_py.common_subsequence_py``), each row one machine-word operation
    per 64 tokens instead of a loop over them.

    Walking from the start, equal tokens are taken; else the walk steps past ``left[i]``
    when the common subsequence of the suffixes is as long without it.
    """
    n, m = len(left), len(right)
    # rows[k] describes the suffix left[n - k:] against the suffixes of right (reversed).
    rows = _subsequence_rows(left[::-1], right[::-1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if left[i] == right[j]:
            pairs.append((i, j))
            i += 1
            j += 1
            continue
        suffix = (1 << (m - j)) - 1
        if (rows[n - i - 1] & suffix).bit_count() == (rows[n - i] & suffix).bit_count():
            i += 1
        else:
            j += 1
    return pairs


def _subsequence_rows(left: list[int], right: list[int]) -> list[int]:
    """Row k (k = 0..len(left)) as an int whose bit j is set when the longest common
    subsequence of ``left[:k]`` and ``right[:j + 1]`` is no longer than with ``right[:j]``,
    so that length is j + 1 minus the set bits below j + 1 (Hyyro's bit-parallel LCS).
    """
    full = (1 << len(right)) - 1
    matches: dict[int, int] = {}
    for position, value in enumerate(right):
        matches[value] = matches.get(value, 0) | (1 << position)
    row = full
    rows = [row]
    for value in left:
        matched = row & matches.get(value, 0)
        row = ((row + matched) | (row - matched)) & full
        rows.append(row)
    return rows
