"""The align stage written plainly: the reference the fast, batched ``align`` is tested on.

Same results as ``spindetect.align`` for every input, by the most direct code: the edit
distance is a full table, k-grams are tuples in a dict, runs are found by walking each
diagonal, and every rule of the fast module is one loop here. Slow (pure Python, quadratic
at places); for tests and for reading.

A pair is aligned in four steps, each claiming tokens the later ones leave alone:

1. short pairs (both texts at most EXACT_TOKENS tokens): the edit-distance alignment of the
   whole pair, cut where a difference is longer than a swap; each piece dense with matches
   is kept (``exact_blocks``);
2. runs of shared k-grams, longest first (``anchor_runs``, ``select_blocks``);
3. each passage grown outwards over short shared stretches, up to the text's first or last
   token when only a swap lies between (``extension_blocks``);
4. long pairs: tokens unique among those still free in both texts, chained and filled
   exactly between, kept where dense, then grown as in 3 (``sparse_blocks``).

With a vocabulary, a piece of steps 1 and 4 is kept only when at least half its differences
read as swaps of related words, and a passage matching fewer than MIN_PASSAGE_TOKENS tokens
only when all of them do (``_SpinReader``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from . import lexicon
from .align import (
    ANCHOR_SIZE,
    EXACT_TOKENS,
    MAX_EDIT_TOKENS,
    MAX_GAP_TOKENS,
    MAX_PAIRED_OCCURRENCES,
    MIN_PASSAGE_TOKENS,
    MIN_RUN_TOKENS,
    keeps_spun_shape,
    Alignment,
    Passage,
    _dense,
    _kept,
    _matching_stretches,
    matches_kept_together,
    _pieces,
    _reading_spans,
    _reads_as_swap,
    one_word_changed,
)

__all__ = [
    "align_py",
    "common_subsequence_py",
    "edit_alignment_py",
    "token_ids_py",
]

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


def align_py(
    article_ids: np.ndarray,
    reference_ids: np.ndarray,
    vocabulary: Sequence[str] | None = None,
) -> Alignment:
    """``align`` of one pair, step by step.

    >>> a = np.array([1, 2, 3, 4, 9, 6, 7, 8, 10], dtype=np.int64)
    >>> r = np.array([1, 2, 3, 4, 5, 6, 7, 8], dtype=np.int64)
    >>> align_py(a, r).passages[0].blocks
    ((0, 0, 4), (5, 5, 3), (9, 8, 0))
    """
    article, reference = article_ids.tolist(), reference_ids.tolist()
    taken = _Taken(len(article), len(reference))
    spin = _SpinReader(article_ids, reference_ids, vocabulary)
    exact = 0 < len(article) <= EXACT_TOKENS and 0 < len(reference) <= EXACT_TOKENS
    blocks = exact_blocks(article, reference, taken, spin) if exact else []
    blocks += select_blocks(anchor_runs(article, reference), taken)
    blocks += grown_blocks(blocks, article, reference, taken)
    if not exact:
        sparse = sparse_blocks(article, reference, taken, spin)
        blocks += sparse + grown_blocks(sparse, article, reference, taken)
    passages = tuple(
        passage
        for passage in chain_passages(sorted(blocks))
        if _kept(passage, len(article), len(reference))
        and (spin.confirms(passage) or one_word_changed(passage, len(article), len(reference)))
    )
    return Alignment(passages, article_ids, reference_ids)


class _Taken:
    """Which tokens of each text a kept block (or a swap between kept blocks) claims."""

    def __init__(self, article_size: int, reference_size: int) -> None:
        self.article = [False] * article_size
        self.reference = [False] * reference_size

    def claim(self, a_start: int, a_end: int, r_start: int, r_end: int) -> None:
        for position in range(a_start, a_end):
            self.article[position] = True
        for position in range(r_start, r_end):
            self.reference[position] = True


class _SpinReader:
    """What the vocabulary says about differences: whether a gap reads as a swap of
    related words; without a vocabulary, every difference does."""

    def __init__(
        self, article_ids: np.ndarray, reference_ids: np.ndarray, vocabulary: Sequence[str] | None
    ) -> None:
        self.words = None if vocabulary is None else (
            [vocabulary[token] for token in article_ids.tolist()],
            [vocabulary[token] for token in reference_ids.tolist()],
        )

    def is_swap(self, gap: tuple[int, int, int, int]) -> bool:
        if self.words is None:
            return True
        article_words, reference_words = self.words
        judged = {}
        for (r0, r1), (a0, a1) in _reading_spans(gap, len(article_words), len(reference_words)):
            original, replacement = reference_words[r0:r1], article_words[a0:a1]
            judged[((r0, r1), (a0, a1))] = (
                _related(" ".join(original), " ".join(replacement)),
                all(word in lexicon.FUNCTION_WORDS for word in original + replacement),
            )
        return _reads_as_swap(gap, judged)

    def believes(self, piece: list[Block]) -> bool:
        """An exact or sparse piece has one difference at most, or MIN_RUN_TOKENS matches
        in a row, or a spinner's shape, or at least half of its differences read as swaps."""
        gaps = Passage(tuple(piece)).gaps()
        if len(gaps) <= 1 or any(length >= MIN_RUN_TOKENS for _, _, length in piece):
            return True
        if self.words is not None and keeps_spun_shape(piece, *self.words):
            return True
        return 2 * sum(self.is_swap(gap) for gap in gaps) >= len(gaps)

    def confirms(self, passage: Passage) -> bool:
        """A passage matching MIN_PASSAGE_TOKENS tokens stands; a smaller one only when
        each of its differences reads as a swap."""
        return (
            passage.matched_tokens >= MIN_PASSAGE_TOKENS
            or (self.words is not None and keeps_spun_shape(passage.blocks, *self.words))
            or all(self.is_swap(gap) for gap in passage.gaps())
        )


def _related(original: str, replacement: str) -> bool:
    return bool(
        lexicon.are_thesaurus_synonyms(original, replacement)
        or lexicon.are_wordnet_synonyms(original, replacement)
        or set(lexicon.wordnet_lemmas(original)) & set(lexicon.wordnet_lemmas(replacement))
    )


# -- 1. the exact alignment of a short pair --------------------------------------------


def exact_blocks(
    article: list[int], reference: list[int], taken: _Taken, spin: _SpinReader
) -> list[Block]:
    """The blocks of the edit-distance alignment of the whole pair, kept where dense.

    The alignment's matched stretches, between a zero-length block at the start of both
    texts and one at their end, are cut where a difference exceeds MAX_EDIT_TOKENS on
    either side; each piece is kept when ``_dense`` and believed (``_SpinReader``). A kept
    piece claims its tokens and the swaps between them. The edge blocks stay only where no
    match reaches the edge.
    """
    size = (len(article), len(reference))
    chain = [(0, 0, 0), *_matching_stretches(edit_alignment_py(article, reference)), (*size, 0)]
    return _kept_pieces(chain, size, taken, spin)


def _kept_pieces(
    chain: list[Block], size: tuple[int, int], taken: _Taken, spin: _SpinReader
) -> list[Block]:
    """The blocks of each piece of ``chain`` that is dense, believed and still free, which
    then claims its tokens and the swaps between them; zero-length blocks only where no
    match touches them."""
    kept: list[Block] = []
    for piece in _pieces(chain):
        (a_first, r_first, _), (a_last, r_last, n_last) = piece[0], piece[-1]
        a_end, r_end = a_last + n_last, r_last + n_last
        if (
            not _dense(piece, *size)
            or not spin.believes(piece)
            or any(taken.article[a_first:a_end])
            or any(taken.reference[r_first:r_end])
        ):
            continue
        taken.claim(a_first, a_end, r_first, r_end)
        ends = {(a + n, r + n) for a, r, n in piece if n} | {(a, r) for a, r, n in piece if n}
        kept += [block for block in piece if block[2] or block[:2] not in ends]
    return kept


def edit_alignment_py(article: list[int], reference: list[int]) -> list[tuple[int, int]]:
    """The matched index pairs of a Levenshtein alignment (substitution, insertion and
    deletion each cost one): the common prefix and suffix as they stand, and between them
    the full table and a walk back from its end.

    The walk takes equal tokens as a match; else it prefers leaving a reference token
    unmatched, then an article token, then a substitution, among the steps that keep the
    distance. So one replaced token is always one substitution, whatever surrounds it.

    >>> edit_alignment_py([1, 2, 1], [2, 2, 1])
    [(1, 1), (2, 2)]
    """
    prefix = 0
    while prefix < min(len(article), len(reference)) and article[prefix] == reference[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(article), len(reference)) - prefix
        and article[-1 - suffix] == reference[-1 - suffix]
    ):
        suffix += 1
    middle_a = article[prefix : len(article) - suffix]
    middle_r = reference[prefix : len(reference) - suffix]
    n, m = len(middle_a), len(middle_r)
    table = [[i + j if i == 0 or j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            table[i][j] = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1] + (middle_a[i - 1] != middle_r[j - 1]),
            )
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        if middle_a[i - 1] == middle_r[j - 1]:
            pairs.append((prefix + i - 1, prefix + j - 1))
            i, j = i - 1, j - 1
        elif table[i][j] == table[i][j - 1] + 1:
            j -= 1
        elif table[i][j] == table[i - 1][j] + 1:
            i -= 1
        else:
            i, j = i - 1, j - 1
    tail = [(len(article) - suffix + k, len(reference) - suffix + k) for k in range(suffix)]
    return matches_kept_together([(k, k) for k in range(prefix)] + pairs[::-1] + tail, article, reference)


# -- 2. anchor runs ---------------------------------------------------------------------


def anchor_runs(article: list[int], reference: list[int]) -> list[Block]:
    """Runs of shared k-grams along each diagonal, grown over equal tokens at their ends,
    longest first, then by article position, then by diagonal.

    A run is kept when it covers MIN_RUN_TOKENS tokens or one of its k-grams occurs once
    in each text. A k-gram occurring MAX_PAIRED_OCCURRENCES times or more on a side pairs
    its occurrences first with first, second with second; rarer ones pair all with all.
    """
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
        else:
            position_pairs = list(zip(article_positions, reference_positions))
        for i, j in position_pairs:
            anchors[j - i][i] = unique
    runs: list[Block] = []
    for diagonal, starts in anchors.items():
        for first, count, unique in _consecutive(starts):
            length = count + ANCHOR_SIZE - 1
            if length >= MIN_RUN_TOKENS or unique:
                runs.append(_grown(first, first + diagonal, length, article, reference))
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


def select_blocks(runs: list[Block], taken: _Taken) -> list[Block]:
    """Keep runs in order; a run that meets taken tokens keeps its longest free stretch, if
    that is ANCHOR_SIZE long. Kept blocks claim their tokens."""
    blocks: list[Block] = []
    for a_start, r_start, length in runs:
        free = [
            not taken.article[a_start + k] and not taken.reference[r_start + k]
            for k in range(length)
        ]
        offset, free_length = _longest_true_stretch(free)
        if free_length < length:
            if free_length < ANCHOR_SIZE:
                continue
            a_start, r_start, length = a_start + offset, r_start + offset, free_length
        taken.claim(a_start, a_start + length, r_start, r_start + length)
        blocks.append((a_start, r_start, length))
    return blocks


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


# -- 3. growing passages outwards -------------------------------------------------------


def grown_blocks(
    blocks: list[Block], article: list[int], reference: list[int], taken: _Taken
) -> list[Block]:
    """The ``extension_blocks`` of every passage ``blocks`` form, passage by passage."""
    found: list[Block] = []
    for passage in chain_passages(sorted(blocks)):
        found += extension_blocks(passage, article, reference, taken)
    return found


def extension_blocks(
    passage: Passage, article: list[int], reference: list[int], taken: _Taken
) -> list[Block]:
    """Blocks that grow ``passage`` outwards, before it then after it, window by window:
    in up to MAX_GAP_TOKENS free tokens next to its edge on each side, the common
    subsequence's matches reached through differences of at most MAX_EDIT_TOKENS, up to the
    last stretch of two or more tokens; or up to the text edge, when both windows reach it
    and that last difference is a swap too: then a zero-length block marks the edge (unless
    a match already touches it) and the swap claims its tokens."""
    found: list[Block] = []
    sizes = (len(article), len(reference))
    for direction in (-1, 1):
        if direction < 0:
            a_edge, r_edge = passage.article_range[0], passage.reference_range[0]
        else:
            a_edge, r_edge = passage.article_range[1], passage.reference_range[1]
        while True:
            a_window = _free_window(taken.article, a_edge, direction)
            r_window = _free_window(taken.reference, r_edge, direction)
            at_text_edge = all(
                edge + direction * len(window) == (0 if direction < 0 else size)
                for edge, window, size in ((a_edge, a_window, sizes[0]), (r_edge, r_window, sizes[1]))
            )
            kept, to_text_edge = _edge_stretches(
                [article[k] for k in a_window], [reference[k] for k in r_window], at_text_edge
            )
            for a_offset, r_offset, length in kept:
                if direction < 0:  # outward offsets count back from the edge
                    a_start = a_edge - a_offset - length
                    r_start = r_edge - r_offset - length
                else:
                    a_start, r_start = a_edge + a_offset, r_edge + r_offset
                taken.claim(a_start, a_start + length, r_start, r_start + length)
                found.append((a_start, r_start, length))
            if kept:
                a_start, r_start, length = found[-1]
                if direction < 0:
                    a_edge, r_edge = a_start, r_start
                else:
                    a_edge, r_edge = a_start + length, r_start + length
            if to_text_edge:
                found += _text_edge(a_edge, r_edge, direction, sizes, taken)
                break
            if not kept:
                break
    return found


def _text_edge(
    a_edge: int, r_edge: int, direction: int, sizes: tuple[int, int], taken: _Taken
) -> list[Block]:
    """The zero-length block at the text edge a passage edge reached through a swap (none
    when no token lies between), claiming the swap's tokens."""
    if direction < 0:
        if (a_edge, r_edge) == (0, 0):
            return []
        taken.claim(0, a_edge, 0, r_edge)
        return [(0, 0, 0)]
    if (a_edge, r_edge) == sizes:
        return []
    taken.claim(a_edge, sizes[0], r_edge, sizes[1])
    return [(*sizes, 0)]


def _free_window(taken: list[bool], edge: int, direction: int) -> list[int]:
    """Positions of up to MAX_GAP_TOKENS free tokens next to ``edge``, nearest first."""
    window: list[int] = []
    position = edge - 1 if direction < 0 else edge
    while 0 <= position < len(taken) and len(window) < MAX_GAP_TOKENS and not taken[position]:
        window.append(position)
        position += direction
    return window


def _edge_stretches(
    outward_a: list[int], outward_r: list[int], at_text_edge: bool
) -> tuple[list[Block], bool]:
    """Matching stretches of two windows (nearest the passage first), walked outwards while
    each difference is at most MAX_EDIT_TOKENS a side, kept up to the last stretch of two
    tokens; and whether the walk reached the windows' far end, when that is the text edge
    (which then counts as such a stretch)."""
    stretches = _matching_stretches(common_subsequence_py(outward_a, outward_r))
    kept: list[Block] = []
    accepted = 0
    a_prev = r_prev = 0
    for a_pos, r_pos, length in stretches:
        if a_pos - a_prev > MAX_EDIT_TOKENS or r_pos - r_prev > MAX_EDIT_TOKENS:
            return kept[:accepted], False
        kept.append((a_pos, r_pos, length))
        if length >= 2:
            accepted = len(kept)
        a_prev, r_prev = a_pos + length, r_pos + length
    if at_text_edge and (
        len(outward_a) - a_prev <= MAX_EDIT_TOKENS and len(outward_r) - r_prev <= MAX_EDIT_TOKENS
    ):
        return kept, True
    return kept[:accepted], False


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


# -- 4. sparse anchors in long pairs ----------------------------------------------------


def sparse_blocks(
    article: list[int], reference: list[int], taken: _Taken, spin: _SpinReader
) -> list[Block]:
    """Blocks from tokens that occur once among the free tokens of each text (patience
    diff's anchors), for heavily spun text where no ANCHOR_SIZE tokens in a row survive.

    Anchors that follow each other on both sides, with at most MAX_GAP_TOKENS free tokens
    between, form a chain; between them the exact alignment fills in the shared words
    ("the", "of"); each piece of a chain that is ``_dense`` is kept.
    """
    chains: list[list[tuple[int, int]]] = []
    for i, j in _unique_free_pairs(article, reference, taken):
        if chains:
            i_prev, j_prev = chains[-1][-1]
            if (
                0 < i - i_prev <= MAX_GAP_TOKENS + 1
                and 0 < j - j_prev <= MAX_GAP_TOKENS + 1
                and not any(taken.article[i_prev:i])
                and not any(taken.reference[j_prev:j])
            ):
                chains[-1].append((i, j))
                continue
        chains.append([(i, j)])
    kept: list[Block] = []
    for chain in chains:
        matches: list[tuple[int, int]] = [chain[0]]
        for (i_prev, j_prev), (i, j) in zip(chain, chain[1:]):
            filled = edit_alignment_py(article[i_prev + 1 : i], reference[j_prev + 1 : j])
            matches += [(i_prev + 1 + a, j_prev + 1 + r) for a, r in filled]
            matches.append((i, j))
        kept += _kept_pieces(
            _matching_stretches(matches), (len(article), len(reference)), taken, spin
        )
    return kept


def _unique_free_pairs(
    article: list[int], reference: list[int], taken: _Taken
) -> list[tuple[int, int]]:
    """(i, j) for each token that occurs exactly once among the free tokens of the article
    (at i) and of the reference (at j), by i."""
    article_free = Counter(t for t, used in zip(article, taken.article) if not used)
    reference_free = Counter(t for t, used in zip(reference, taken.reference) if not used)
    reference_at = {
        token: j
        for j, token in enumerate(reference)
        if not taken.reference[j] and reference_free[token] == 1
    }
    return [
        (i, reference_at[token])
        for i, token in enumerate(article)
        if not taken.article[i] and article_free[token] == 1 and token in reference_at
    ]
