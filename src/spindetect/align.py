"""Align two token sequences into passages: runs of exact matches with small gaps between.

Second stage (tokenize -> align -> extract -> score -> report). Rewriters reorder paragraphs,
cut sentences and add commentary, so alignment is not one global diff: shared token n-grams
give anchors anywhere in either text, anchors on one diagonal merge into runs, the longest runs
win where they conflict, and runs that follow each other in both texts with a short gap between
form a passage. The gaps are what the extract stage turns into swaps.

Short pairs (titles, sentences, a paragraph: both texts at most EXACT_TOKENS tokens) are
first aligned exactly, by edit distance over the whole pair, so a swap is found however few
words survive around it, at the first and last token too. Long pairs also anchor on tokens
that are unique among the tokens no passage covers (as patience diff does), filled exactly
between, so a heavily spun passage survives where no three tokens in a row do. A passage may
reach the first or the last token of both texts through a swap: a zero-length block at the
text edge then closes it, so the swap is a gap like any other.

Where few words are shared, the shape of a copy is not enough: with the batch's vocabulary,
a piece of the exact or sparse alignment with several differences is kept only when half of
them read as thesaurus or WordNet swaps, and a passage of fewer than MIN_PASSAGE_TOKENS
matched tokens only when all of them do, or when it is both texts whole with one word
replaced (``one_word_changed``: any one-word replacement is found, and scored), or when it
keeps a spinner's shape whatever its words (``keeps_spun_shape``: half of each text
matched in order, content words among the matches, every difference words replaced one
for one), for a spinner's dictionary is not ours.

Anchors are found by sorting and array arithmetic, so time grows as n log n with the length
of long texts; the exact alignment of a short pair is bit-parallel. ``align_py`` is the
plain reference every step is tested against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np

from . import lexicon
from ._arrays import first_indices, range_indices

__all__ = [
    "EXACT_TOKENS",
    "MAX_EDIT_TOKENS",
    "Alignment",
    "Passage",
    "align",
    "align_batch",
    "common_subsequence",
    "edit_alignment",
    "matches_kept_together",
    "one_word_changed",
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
# A passage must match this many tokens, a text edge it reaches counting as one, unless it
# is the whole of one text or of both: a lone shared phrase between unrelated texts ("in the
# united states") is chance, not copying. A kept passage that matches fewer tokens is
# believed only when each of its differences is a thesaurus or WordNet swap (``align_batch``
# with a vocabulary): "The nest was" / "The defendant is" has the shape of "The nice was" /
# "The fine is". Both texts whole with one word replaced are kept whatever the words.
MIN_PASSAGE_TOKENS = 5
# A piece whose differences are all words replaced one for one, in runs of at most this
# many, keeps a spinner's shape (``keeps_spun_shape``).
MAX_SHAPE_GAP = 3
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
# Pairs whose texts both have at most this many tokens (titles, sentences, a paragraph) are
# aligned exactly, by edit distance over the whole pair: they have too few shared k-grams to
# anchor on. 256 tokens a side keeps the table's bit rows at four machine words.
EXACT_TOKENS = 256


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of the article aligned to one stretch of the reference.

    ``blocks`` are exact matches ``(article_start, reference_start, length)`` in token indices,
    increasing on both sides; between consecutive blocks lies a gap of differing tokens. A
    passage that reaches the start (end) of both texts through a swap begins (ends) with a
    zero-length block there, ``(0, 0, 0)`` (``(article length, reference length, 0)``).
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


def align(
    article_ids: np.ndarray,
    reference_ids: np.ndarray,
    *,
    vocabulary: Sequence[str] | None = None,
) -> Alignment:
    """Passages of exact-match blocks between two id sequences, in article order.

    ``align_batch`` of one pair. A swap at the end of the texts is closed by a zero-length
    block at the text edge:

    >>> a = np.array([1, 2, 3, 4, 9, 6, 7, 8, 10], dtype=np.int64)
    >>> r = np.array([1, 2, 3, 4, 5, 6, 7, 8], dtype=np.int64)
    >>> align(a, r).passages[0].blocks
    ((0, 0, 4), (5, 5, 3), (9, 8, 0))
    """
    return align_batch([(article_ids, reference_ids)], vocabulary=vocabulary)[0]


def align_batch(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    vocabulary: Sequence[str] | None = None,
) -> list[Alignment]:
    """``align`` of many (article ids, reference ids) pairs: the anchors and runs of all
    pairs are found in one set of array passes, then each pair's blocks are chosen. Each
    alignment is the same as alone.

    ``vocabulary`` holds the string of each id (``TokenBatch.vocabulary``, as ``compare``
    passes it). With it, a passage that matches fewer than MIN_PASSAGE_TOKENS tokens is kept
    only when each of its differences is a thesaurus or WordNet swap (one ``lexicon`` batch
    for all pairs); without it, alignment sees ids only and keeps such passages.

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
    states = [_PairState(article_ids, reference_ids) for article_ids, reference_ids in pairs]
    reader = _SwapReader(states, vocabulary) if vocabulary is not None else None
    # Short pairs: the exact alignment first.
    _claim_pieces(
        [
            (number, piece)
            for number, state in enumerate(states) if state.exact
            for piece in _exact_pieces(state)
        ],
        states, reader,
    )
    # A short pair whose exact alignment claimed every token of one text has nothing left
    # for anchors or growth to find: what is left of the other text is more than a swap
    # away from any kept piece (else the piece would have reached over it).
    open_pairs = [state for state in states if state.has_free_tokens()]
    for state, runs in zip(open_pairs, _anchor_runs([state.ids for state in open_pairs])):
        state.blocks += _select_blocks(runs, state)
        state.blocks += _grown_blocks(state.blocks, state)
    # Long pairs: what is left, anchored on tokens unique among the free ones, then grown.
    long_pairs = [number for number, state in enumerate(states) if not state.exact]
    anchored = [len(states[number].blocks) for number in long_pairs]
    _claim_pieces(
        [
            (number, piece)
            for number, chains in zip(
                long_pairs, _sparse_chains([states[number] for number in long_pairs])
            )
            for piece in _sparse_pieces(states[number], chains)
        ],
        states, reader,
    )
    for number, count in zip(long_pairs, anchored):
        states[number].blocks += _grown_blocks(states[number].blocks[count:], states[number])
    alignments = [state.alignment() for state in states]
    return alignments if reader is None else reader.confirmed(alignments)


@dataclass(slots=True)
class _PairState:
    """One pair while its blocks are chosen: which tokens kept blocks (or the swaps between
    them) claim, one byte each (0 or 1), so bytearray's find answers "any taken in this
    stretch?" without a numpy call; and the blocks kept so far, in no order."""

    article_ids: np.ndarray
    reference_ids: np.ndarray
    sizes: tuple[int, int] = field(init=False)
    # Whether the pair is short enough for the exact alignment (EXACT_TOKENS).
    exact: bool = field(init=False)
    article_taken: bytearray = field(init=False)
    reference_taken: bytearray = field(init=False)
    blocks: list[tuple[int, int, int]] = field(init=False, default_factory=list)
    _words: tuple[list[str], list[str]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.sizes = (len(self.article_ids), len(self.reference_ids))
        self.exact = all(0 < size <= EXACT_TOKENS for size in self.sizes)
        self.article_taken = bytearray(self.sizes[0])
        self.reference_taken = bytearray(self.sizes[1])

    @property
    def ids(self) -> tuple[np.ndarray, np.ndarray]:
        return self.article_ids, self.reference_ids

    def words(self, vocabulary: Sequence[str]) -> tuple[list[str], list[str]]:
        """The article's and the reference's tokens as strings, looked up once."""
        if self._words is None:
            self._words = (
                [vocabulary[token] for token in self.article_ids.tolist()],
                [vocabulary[token] for token in self.reference_ids.tolist()],
            )
        return self._words

    def has_free_tokens(self) -> bool:
        """Whether both texts still have a token no kept block claims."""
        return self.article_taken.find(0) != -1 and self.reference_taken.find(0) != -1

    def claim(self, a_start: int, a_end: int, r_start: int, r_end: int) -> None:
        self.article_taken[a_start:a_end] = _TAKEN * (a_end - a_start)
        self.reference_taken[r_start:r_end] = _TAKEN * (r_end - r_start)

    def alignment(self) -> Alignment:
        """The kept passages the blocks chain into (``_kept``)."""
        passages = tuple(
            passage
            for passage in _chain_passages(sorted(self.blocks))
            if _kept(passage, *self.sizes)
        )
        return Alignment(passages, self.article_ids, self.reference_ids)


def _kept(passage: Passage, article_size: int, reference_size: int) -> bool:
    """A passage is kept when it matches MIN_PASSAGE_TOKENS tokens (a text edge it reaches
    counting as one), matches the whole of one text, or reaches both ends of both texts."""
    edges = _edges(passage.blocks, article_size, reference_size)
    return (
        passage.matched_tokens + edges >= MIN_PASSAGE_TOKENS
        or passage.matched_tokens in (article_size, reference_size)
        or edges == 2
    )


def one_word_changed(passage: Passage, article_size: int, reference_size: int) -> bool:
    """Whether ``passage`` is both texts whole with one word of one replaced by one word of
    the other ("a court" / "a paid", "cat" / "dog"): a copy with one change, kept however
    short and whatever the words, so that any one-word replacement is found; its score
    says whether it reads as spin."""
    gaps = passage.gaps()
    return (
        _edges(passage.blocks, article_size, reference_size) == 2
        and len(gaps) == 1
        and gaps[0][1] - gaps[0][0] == 1
        and gaps[0][3] - gaps[0][2] == 1
    )


def keeps_spun_shape(
    blocks: Sequence[tuple[int, int, int]], article_words: Sequence[str], reference_words: Sequence[str]
) -> bool:
    """Whether a piece (``blocks`` of the two texts' words) has a thesaurus spinner's shape
    whatever its words: it matches at least half of each text, two or more of its matches
    are content words, and each of its differences replaces words one for one, at most
    MAX_SHAPE_GAP in a row ("Think clearly of each essential" / "Think acutely of
    anniversary essential", where the spinner's dictionary is not ours). Two sentences
    that only share words rarely share half their words in one order with nothing added
    or dropped; a person rewording a sentence adds and drops.

    >>> keeps_spun_shape([(0, 0, 1), (2, 2, 3), (6, 6, 2)],
    ...     "think acutely of anniversary essential one afterwards the other".split(),
    ...     "think clearly of each essential one after the other".split())
    True
    """
    matched = sum(length for _, _, length in blocks)
    if 2 * matched < len(article_words) or 2 * matched < len(reference_words):
        return False
    for a_start, a_end, r_start, r_end in Passage(tuple(blocks)).gaps():
        if not 0 < a_end - a_start == r_end - r_start <= MAX_SHAPE_GAP:
            return False
    content = sum(
        1 for a_start, _, length in blocks for word in article_words[a_start : a_start + length]
        if word.isalpha() and word not in lexicon.FUNCTION_WORDS
    )
    return content >= 2


def _edges(blocks: Sequence[tuple[int, int, int]], article_size: int, reference_size: int) -> int:
    """How many text edges a chain of blocks reaches: the start of both texts, the end of
    both."""
    (a_first, r_first, _), (a_last, r_last, n_last) = blocks[0], blocks[-1]
    return (a_first == 0 and r_first == 0) + (
        a_last + n_last == article_size and r_last + n_last == reference_size
    )


# -- the exact alignment of short pairs -----------------------------------------------------


def _exact_pieces(state: _PairState) -> list[list[tuple[int, int, int]]]:
    """The ``_dense`` pieces of the pair's edit-distance alignment (``edit_alignment``): its
    matched stretches, between zero-length blocks at the start and the end of both texts,
    cut where a difference is longer than a swap (``_pieces``)."""
    article, reference = state.article_ids.tolist(), state.reference_ids.tolist()
    stretches = _matching_stretches(edit_alignment(article, reference))
    return [
        piece
        for piece in _pieces([(0, 0, 0), *stretches, (*state.sizes, 0)])
        if _dense(piece, *state.sizes)
    ]


def _claim_pieces(
    candidates: list[tuple[int, list[tuple[int, int, int]]]],
    states: list[_PairState],
    reader: _SwapReader | None,
) -> None:
    """Keep each candidate (pair number, piece), in order, that reads as spin (``reader``,
    when there is one) and meets no taken token: it claims its tokens and the swaps between
    them, and its blocks join its pair's, a zero-length block only where no match touches
    it."""
    believed = reader.believed(candidates) if reader is not None else [True] * len(candidates)
    for (number, piece), kept in zip(candidates, believed):
        state = states[number]
        (a_first, r_first, _), (a_last, r_last, n_last) = piece[0], piece[-1]
        a_end, r_end = a_last + n_last, r_last + n_last
        if not kept or (
            state.article_taken.find(1, a_first, a_end) != -1
            or state.reference_taken.find(1, r_first, r_end) != -1
        ):
            continue
        state.claim(a_first, a_end, r_first, r_end)
        if len(piece) > 1 and piece[0][2] == 0 and piece[1][:2] == piece[0][:2]:
            piece = piece[1:]  # a match starts at the text edge itself
        if len(piece) > 1 and piece[-1][2] == 0 and (a_end, r_end) == (
            piece[-2][0] + piece[-2][2], piece[-2][1] + piece[-2][2]
        ):
            piece = piece[:-1]  # a match ends at the text edge itself
        state.blocks += piece


def _pieces(chain: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """A chain of blocks, increasing on both sides, cut where two blocks are more than
    MAX_EDIT_TOKENS apart on either side: each piece is a run of matches and swaps."""
    pieces = [[chain[0]]]
    for (a_prev, r_prev, n_prev), block in pairwise(chain):
        if (block[0] - a_prev - n_prev > MAX_EDIT_TOKENS
                or block[1] - r_prev - n_prev > MAX_EDIT_TOKENS):
            pieces.append([])
        pieces[-1].append(block)
    return pieces


def _dense(piece: Sequence[tuple[int, int, int]], article_size: int, reference_size: int) -> bool:
    """Whether a piece of matches and swaps is a copy with swaps rather than chance.

    Its matched tokens, each text edge it reaches counting as one, must outnumber the
    differing tokens of its shorter side (a spinner keeps most words and may put a phrase
    for one; two unrelated sentences share a few function words), and they must reach
    MIN_PASSAGE_TOKENS unless the piece is the whole of both texts.
    """
    matched = sum(length for _, _, length in piece)
    edges = _edges(piece, article_size, reference_size)
    (a_first, r_first, _), (a_last, r_last, n_last) = piece[0], piece[-1]
    span = min(a_last + n_last - a_first, r_last + n_last - r_first)
    return 2 * matched + edges > span and (
        matched + edges >= MIN_PASSAGE_TOKENS or edges == 2
    )


def edit_alignment(article: list[int], reference: list[int]) -> list[tuple[int, int]]:
    """The matched index pairs of a Levenshtein alignment of two id lists (substitution,
    insertion and deletion each cost one), increasing.

    The common prefix and suffix are matched as they stand. Between them, walking back from
    the end, equal tokens are matched; else the walk leaves a reference token unmatched,
    else an article token, else substitutes, whichever keeps the distance (the walk of
    ``align_py.edit_alignment_py``'s full table). So one replaced token is always one
    substitution. The distance rows are bit vectors (Hyyro's bit-parallel Levenshtein):
    one machine-word operation per 64 reference tokens, per article token.

    >>> edit_alignment([1, 2, 1], [2, 2, 1])
    [(1, 1), (2, 2)]
    """
    prefix = 0
    limit = min(len(article), len(reference))
    while prefix < limit and article[prefix] == reference[prefix]:
        prefix += 1
    i, j = len(article), len(reference)
    suffix: list[tuple[int, int]] = []
    while i > prefix and j > prefix and article[i - 1] == reference[j - 1]:
        i -= 1
        j -= 1
        suffix.append((i, j))
    middle = _middle_alignment(article[prefix:i], reference[prefix:j])
    return matches_kept_together(
        [(k, k) for k in range(prefix)]
        + [(prefix + a_pos, prefix + r_pos) for a_pos, r_pos in middle]
        + suffix[::-1],
        article, reference,
    )


def matches_kept_together(
    pairs: list[tuple[int, int]], article: Sequence[int], reference: Sequence[int]
) -> list[tuple[int, int]]:
    """``pairs`` (an increasing alignment of ``article`` and ``reference``) with each stretch
    of matches that follows a gap longer than a swap on one side only moved back to follow
    the stretch before it, where the same tokens stand there too.

    When one text holds the other twice ("a nice of 500 euros" against "a fine of 500
    euros. A fine of 500 euros."), an alignment of least edit distance may take its first
    matches from one copy and its last from the other, and the word replaced between them
    then faces the whole second copy: a difference too long to be a swap. Matched to the
    first copy throughout, the alignment is as short, the replaced word is a swap again,
    and the second copy is left over at the end.

    >>> matches_kept_together([(0, 0), (2, 6)], [7, 8, 9], [7, 5, 9, 1, 2, 3, 9])
    [(0, 0), (2, 2)]
    """
    if len(article) - len(pairs) <= MAX_EDIT_TOKENS and len(reference) - len(pairs) <= MAX_EDIT_TOKENS:
        return pairs  # no gap is longer than a swap on either side: nothing to move
    stretches = _matching_stretches(pairs)
    for k in range(1, len(stretches)):
        (a_prev, r_prev, n_prev), (a_next, r_next, n_next) = stretches[k - 1], stretches[k]
        a_gap, r_gap = a_next - a_prev - n_prev, r_next - r_prev - n_prev
        if r_gap > MAX_EDIT_TOKENS >= a_gap:
            moved = r_prev + n_prev + a_gap
            if list(reference[moved : moved + n_next]) == list(article[a_next : a_next + n_next]):
                stretches[k] = (a_next, moved, n_next)
        elif a_gap > MAX_EDIT_TOKENS >= r_gap:
            moved = a_prev + n_prev + r_gap
            if list(article[moved : moved + n_next]) == list(reference[r_next : r_next + n_next]):
                stretches[k] = (moved, r_next, n_next)
    return [(a + offset, r + offset) for a, r, length in stretches for offset in range(length)]


def _middle_alignment(article: list[int], reference: list[int]) -> list[tuple[int, int]]:
    """``edit_alignment`` of two lists by the walk alone (no prefix or suffix taken first)."""
    if not article or not reference:
        return []
    rows = _distance_rows(article, reference)
    pairs: list[tuple[int, int]] = []
    i, j = len(article), len(reference)
    while i and j:
        if article[i - 1] == reference[j - 1]:
            i -= 1
            j -= 1
            pairs.append((i, j))
        elif rows[i][0] >> (j - 1) & 1:  # distance(i, j) = distance(i, j - 1) + 1
            j -= 1
        elif rows[i][1] >> (j - 1) & 1:  # distance(i, j) = distance(i - 1, j) + 1
            i -= 1
        else:
            i -= 1
            j -= 1
    return pairs[::-1]


def _distance_rows(article: list[int], reference: list[int]) -> list[tuple[int, int]]:
    """Row i (i = 0..len(article)) as two ints over the reference positions: bit j of the
    first is set when distance(i, j + 1) = distance(i, j) + 1, of the second when
    distance(i, j + 1) = distance(i - 1, j + 1) + 1 (``distance`` the edit distance of the
    prefixes ``article[:i]``, ``reference[:j]``)."""
    full = (1 << len(reference)) - 1
    matches: dict[int, int] = {}
    for position, value in enumerate(reference):
        matches[value] = matches.get(value, 0) | (1 << position)
    up, down = full, 0  # distance(i, j + 1) - distance(i, j): +1 where up, -1 where down
    rows = [(full, 0)]
    for value in article:
        equal = matches.get(value, 0) | down
        diagonal = (((equal & up) + up) ^ up) | equal
        rises = down | ~(diagonal | up) & full  # distance(i, j + 1) - distance(i - 1, j + 1)
        falls = diagonal & up
        carried = (rises << 1 | 1) & full
        down = carried & diagonal
        up = (falls << 1 & full) | ~(carried | diagonal) & full
        rows.append((up, rises))
    return rows


# -- sparse anchors in long pairs -------------------------------------------------------------


def _sparse_chains(states: Sequence[_PairState]) -> list[list[list[tuple[int, int]]]]:
    """For each pair, the chains of its sparse anchors that hold two anchors or more.

    An anchor is (i, j) for a token id that occurs exactly once among the article tokens
    still free (at i) and once among the reference tokens still free (at j). In article
    order, an anchor joins the chain of the one before when it follows it on both sides
    with at most MAX_GAP_TOKENS tokens between, all of them free. Array passes over all
    pairs at once: one sort a side, and the free tokens counted by prefix sums.
    """
    if not states:
        return []
    article = _FreeTokens([state.article_ids for state in states],
                          [state.article_taken for state in states])
    reference = _FreeTokens([state.reference_ids for state in states],
                            [state.reference_taken for state in states])
    shared, article_index, reference_index = np.intersect1d(
        article.once()[0], reference.once()[0], assume_unique=True, return_indices=True
    )
    pair = (shared >> np.uint64(40)).astype(np.int64)
    i = article.position_of_once(article_index)
    j = reference.position_of_once(reference_index)
    order = np.lexsort((i, pair))
    pair, i, j = pair[order], i[order], j[order]
    same_pair = pair[1:] == pair[:-1]
    # (Between anchors of different pairs, an empty range: no link either way.)
    i_before, j_before = np.where(same_pair, i[:-1], i[1:]), np.where(same_pair, j[:-1], j[1:])
    links = (
        same_pair
        & (i[1:] - i_before <= MAX_GAP_TOKENS + 1)
        & (j[1:] > j_before) & (j[1:] - j_before <= MAX_GAP_TOKENS + 1)
        & article.all_free(pair[1:], i_before, i[1:])
        & reference.all_free(pair[1:], j_before, j[1:])
    )
    # Chains of two or more: a link starts one unless the link before it continues one.
    starts = np.flatnonzero(links & ~np.concatenate(([False], links[:-1])))
    ends = np.flatnonzero(links & ~np.concatenate((links[1:], [False]))) + 2
    chains: list[list[list[tuple[int, int]]]] = [[] for _ in states]
    i_list, j_list = i.tolist(), j.tolist()
    for first, last, number in zip(starts.tolist(), ends.tolist(), pair[starts].tolist()):
        chains[number].append(list(zip(i_list[first:last], j_list[first:last])))
    return chains


class _FreeTokens:
    """The free tokens of one side of several pairs: a uint64 key (pair number, token id)
    for each, its position in its text, and a prefix count of each pair's taken tokens."""

    def __init__(self, sequences: Sequence[np.ndarray], taken: Sequence[bytearray]) -> None:
        used = [np.frombuffer(flags, dtype=np.uint8) for flags in taken]
        free = [np.flatnonzero(flags == 0) for flags in used]
        self.positions = np.concatenate([np.empty(0, dtype=np.int64), *free]).astype(np.int64)
        ids = np.concatenate(
            [np.empty(0, dtype=np.int64)]
            + [sequence[where].astype(np.int64) for sequence, where in zip(sequences, free)]
        )
        pair = np.repeat(
            np.arange(len(sequences), dtype=np.uint64),
            np.fromiter(map(len, free), dtype=np.int64, count=len(free)),
        )
        self.keys = (pair << np.uint64(40)) | ids.astype(np.uint64)
        self.first = first_indices(taken)
        self.taken_before = np.concatenate(
            ([0], np.cumsum(np.concatenate([np.empty(0, dtype=np.uint8), *used]), dtype=np.int64))
        )
        self._once: tuple[np.ndarray, np.ndarray] | None = None

    def once(self) -> tuple[np.ndarray, np.ndarray]:
        """The keys that occur exactly once, sorted, and where each sits in ``keys``."""
        if self._once is None:
            if len(self.keys) == 0:
                self._once = (self.keys, np.empty(0, dtype=np.int64))
            else:
                order = np.argsort(self.keys, kind="stable")
                distinct, first, counts = _sorted_groups(self.keys[order])
                single = counts == 1
                self._once = (distinct[single], order[first[single]])
        return self._once

    def position_of_once(self, index: np.ndarray) -> np.ndarray:
        return self.positions[self.once()[1][index]]

    def all_free(self, pair: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Whether every token in [low, high) of each pair's text is free."""
        offset = self.first[pair]
        return self.taken_before[offset + high] == self.taken_before[offset + low]


def _sparse_pieces(
    state: _PairState, chains: list[list[tuple[int, int]]]
) -> list[list[tuple[int, int, int]]]:
    """The ``_dense`` pieces of chains of sparse anchors (``_sparse_chains``), the exact
    alignment filling in the shared words between anchors ("the", "of")."""
    article, reference = state.article_ids, state.reference_ids
    pieces: list[list[tuple[int, int, int]]] = []
    for chain in chains:
        matches = [chain[0]]
        for (i_prev, j_prev), (i, j) in pairwise(chain):
            filled = edit_alignment(
                article[i_prev + 1 : i].tolist(), reference[j_prev + 1 : j].tolist()
            )
            matches.extend((i_prev + 1 + a, j_prev + 1 + r) for a, r in filled)
            matches.append((i, j))
        pieces += [
            piece
            for piece in _pieces(_matching_stretches(matches))
            if _dense(piece, *state.sizes)
        ]
    return pieces


# -- confirming with the vocabulary -----------------------------------------------------------


class _SwapReader:
    """Whether differences read as swaps of related words (``_reads_as_swap``), judged in
    batches with the vocabulary: every reading of every gap asked about goes to one
    ``lexicon.related_pairs`` call. Each gap of each pair is judged once, however many
    times it is asked about."""

    def __init__(self, states: list[_PairState], vocabulary: Sequence[str]) -> None:
        self._states = states
        self._vocabulary = vocabulary
        self._known: dict[tuple[int, tuple[int, int, int, int]], bool] = {}

    def swaps(self, gaps: list[tuple[int, tuple[int, int, int, int]]]) -> list[bool]:
        """For each (pair number, gap): whether the gap reads as a swap."""
        new = [key for key in dict.fromkeys(gaps) if key not in self._known]
        originals: list[str] = []
        replacements: list[str] = []
        function_only: list[bool] = []
        readings: list[list[tuple[tuple[int, int], tuple[int, int]]]] = []
        for pair, gap in new:
            article_words, reference_words = self._states[pair].words(self._vocabulary)
            readings.append(_reading_spans(gap, len(article_words), len(reference_words)))
            for (r_start, r_end), (a_start, a_end) in readings[-1]:
                original = reference_words[r_start:r_end]
                replacement = article_words[a_start:a_end]
                originals.append(" ".join(original))
                replacements.append(" ".join(replacement))
                function_only.append(_function_words_only(original + replacement))
        related = lexicon.related_pairs(originals, replacements).tolist()
        judged = iter(zip(related, function_only))
        for key, gap_readings in zip(new, readings):
            self._known[key] = _reads_as_swap(
                key[1], {reading: next(judged) for reading in gap_readings}
            )
        return [self._known[key] for key in gaps]

    def believed(self, pieces: list[tuple[int, list[tuple[int, int, int]]]]) -> list[bool]:
        """Whether each (pair number, piece) of an exact or sparse alignment reads as spin.

        One difference among the matches of a piece (which match five tokens or both
        texts whole) is a copy with one change, and a piece holding MIN_RUN_TOKENS matches
        in a row has what an anchor run needs to stand on its own, and so does a piece that
        keeps a spinner's shape (``keeps_spun_shape``). Otherwise shared
        function words strung together by chance look the same, so at least half of the
        differences must read as swaps:
        spinners swap words for their thesaurus entries, and a person rewording a sentence,
        or a sentence that only shares words with another, mostly does not (on development
        data: every heavily spun block and 99% of one-swap texts pass, against 30% of such
        pieces in MRPC train pairs and 26% in PAN-PC-10 train negatives)."""
        asked = []
        for pair, piece in pieces:
            gaps = [(pair, gap) for gap in Passage(tuple(piece)).gaps()]
            anchored = max(length for _, _, length in piece) >= MIN_RUN_TOKENS
            asked.append(
                gaps if len(gaps) > 1 and not anchored
                and not keeps_spun_shape(piece, *self._states[pair].words(self._vocabulary))
                else []
            )
        is_swap = iter(self.swaps([gap for gaps in asked for gap in gaps]))
        return [not gaps or 2 * sum(next(is_swap) for _ in gaps) >= len(gaps) for gaps in asked]

    def confirmed(self, alignments: list[Alignment]) -> list[Alignment]:
        """``alignments`` (one per pair) without the passages that match fewer than
        MIN_PASSAGE_TOKENS tokens, do not keep a spinner's shape and have a difference
        that does not read as a swap."""
        small = [
            (number, index)
            for number, alignment in enumerate(alignments)
            for index, passage in enumerate(alignment.passages)
            if passage.matched_tokens < MIN_PASSAGE_TOKENS
            and not one_word_changed(
                passage, alignment.article_ids.size, alignment.reference_ids.size
            )
            and not keeps_spun_shape(passage.blocks, *self._states[number].words(self._vocabulary))
        ]
        gaps = [
            ((number, gap), (number, index))
            for number, index in small
            for gap in alignments[number].passages[index].gaps()
        ]
        refuted = {
            key for (_, key), swap in zip(gaps, self.swaps([gap for gap, _ in gaps])) if not swap
        }
        if not refuted:
            return alignments
        touched = {number for number, _ in refuted}
        return [
            replace(alignment, passages=tuple(
                passage for index, passage in enumerate(alignment.passages)
                if (number, index) not in refuted
            )) if number in touched else alignment
            for number, alignment in enumerate(alignments)
        ]


def _reads_as_swap(
    gap: tuple[int, int, int, int],
    judged: dict[tuple[tuple[int, int], tuple[int, int]], tuple[bool, bool]],
) -> bool:
    """Whether a gap reads as a swap, given for each of its readings (``_reading_spans``)
    whether its two phrases are related (thesaurus, WordNet, one base form) and whether
    they are function words only.

    An insertion or deletion reads as a swap when one of its readings relates words. A
    substitution does when it cuts into consecutive parts, paired in order, each pair
    related or both function words, at least one pair related and not function words
    only: "the fine" / "a nice", "companies trading" / "consolidating company bequeath";
    not "company said" / "defendant told", where only "said" / "told" is related.
    """
    a_start, a_end, r_start, r_end = gap
    if a_start == a_end or r_start == r_end:
        return any(related and not function for related, function in judged.values())
    # Where a cut into paired parts can reach (reference, article position), and whether
    # it has paired related words there yet.
    reached = {(r_start, a_start): False}
    for r_cut in range(r_start + 1, r_end + 1):
        for a_cut in range(a_start + 1, a_end + 1):
            for (r_from, a_from), evidence in list(reached.items()):
                if r_from >= r_cut or a_from >= a_cut:
                    continue
                related, function = judged[((r_from, r_cut), (a_from, a_cut))]
                if related or function:
                    found = evidence or (related and not function)
                    reached[(r_cut, a_cut)] = reached.get((r_cut, a_cut), False) or found
    return reached.get((r_end, a_end), False)


def _reading_spans(
    gap: tuple[int, int, int, int], article_size: int, reference_size: int
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The token ranges ((reference), (article)) a gap may be a swap of: every part of its
    reference side against every part of its article side; for an insertion or deletion,
    the inserted or deleted words with the matched word before, or after, them against that
    word alone ("year" -> "lunar year")."""
    a_start, a_end, r_start, r_end = gap
    if a_start < a_end and r_start < r_end:
        return [
            (original, replacement)
            for original in _parts(r_start, r_end)
            for replacement in _parts(a_start, a_end)
        ]
    spans = []
    if a_start > 0 and r_start > 0:
        spans.append(((r_start - 1, r_end), (a_start - 1, a_end)))
    if a_end < article_size and r_end < reference_size:
        spans.append(((r_start, r_end + 1), (a_start, a_end + 1)))
    return spans


def _parts(first: int, last: int) -> list[tuple[int, int]]:
    """Every range of consecutive positions within [first, last)."""
    return [(start, end) for end in range(first + 1, last + 1) for start in range(first, end)]


def _function_words_only(words: list[str]) -> bool:
    return all(word in lexicon.FUNCTION_WORDS for word in words)


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


def _select_blocks(runs: np.ndarray, state: _PairState) -> list[tuple[int, int, int]]:
    """Keep the runs in their order (longest first); a later run keeps only its longest
    unclaimed stretch. Claims the tokens of the kept blocks in ``state``; the blocks come in
    the order they were kept (their readers sort them)."""
    article_taken, reference_taken = state.article_taken, state.reference_taken
    blocks: list[tuple[int, int, int]] = []
    for a_start, r_start, length in runs.tolist():
        if (
            article_taken.find(1, a_start, a_start + length) != -1
            or reference_taken.find(1, r_start, r_start + length) != -1
        ):
            if (  # too few free tokens a side for a free stretch of ANCHOR_SIZE
                article_taken.count(0, a_start, a_start + length) < ANCHOR_SIZE
                or reference_taken.count(0, r_start, r_start + length) < ANCHOR_SIZE
            ):
                continue
            taken = np.frombuffer(
                article_taken, dtype=bool, count=length, offset=a_start
            ) | np.frombuffer(reference_taken, dtype=bool, count=length, offset=r_start)
            offset, length = _longest_false_stretch(taken)
            if length < ANCHOR_SIZE:
                continue
            a_start += offset
            r_start += offset
        state.claim(a_start, a_start + length, r_start, r_start + length)
        blocks.append((a_start, r_start, length))
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


def _grown_blocks(
    blocks: list[tuple[int, int, int]], state: _PairState
) -> list[tuple[int, int, int]]:
    """The ``_extension_blocks`` of every passage ``blocks`` chain into, passage by passage."""
    found: list[tuple[int, int, int]] = []
    for passage in _chain_passages(sorted(blocks)):
        found += _extension_blocks(passage, state)
    return found


def _extension_blocks(passage: Passage, state: _PairState) -> list[tuple[int, int, int]]:
    """Blocks that grow a passage outwards over short shared stretches at both of its ends,
    and up to the edge of both texts when only a swap is left between.

    Heavily spun text leaves shared stretches of two or three words ("agree with a",
    "on the") too short to anchor on their own; next to a passage they are trustworthy. A
    swap of the first or last words ("The rustic will ..." / "The country will ...") is
    closed by a zero-length block at the text edge (``_text_edge``).
    """
    found: list[tuple[int, int, int]] = []
    for direction in (-1, 1):
        a_edge, r_edge = (
            (passage.article_range[0], passage.reference_range[0])
            if direction < 0
            else (passage.article_range[1], passage.reference_range[1])
        )
        while True:
            a_window = _free_window(state.article_taken, a_edge, direction)
            r_window = _free_window(state.reference_taken, r_edge, direction)
            at_text_edge = (
                a_window.start == 0 and r_window.start == 0
                if direction < 0
                else (a_window.stop, r_window.stop) == state.sizes
            )
            new_blocks, to_text_edge = _edge_matches(
                state.article_ids[a_window], state.reference_ids[r_window], direction,
                at_text_edge,
            )
            for a_offset, r_offset, length in new_blocks:
                a_start = a_window.start + a_offset
                r_start = r_window.start + r_offset
                state.claim(a_start, a_start + length, r_start, r_start + length)
                found.append((a_start, r_start, length))
            if new_blocks:
                a_start, r_start, length = found[-1]  # the outermost: found edge outwards
                if direction < 0:
                    a_edge, r_edge = a_start, r_start
                else:
                    a_edge, r_edge = a_start + length, r_start + length
            if to_text_edge:
                found += _text_edge(state, a_edge, r_edge, direction)
                break
            if not new_blocks:
                break
    return found


def _text_edge(
    state: _PairState, a_edge: int, r_edge: int, direction: int
) -> list[tuple[int, int, int]]:
    """The zero-length block at the start (direction < 0) or end of both texts that a
    passage edge reached through a swap, which claims the swap's tokens; none when no token
    lies between."""
    if direction < 0:
        if (a_edge, r_edge) == (0, 0):
            return []
        state.claim(0, a_edge, 0, r_edge)
        return [(0, 0, 0)]
    article_size, reference_size = state.sizes
    if (a_edge, r_edge) == state.sizes:
        return []
    state.claim(a_edge, article_size, r_edge, reference_size)
    return [(article_size, reference_size, 0)]


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
    article_window: np.ndarray,
    reference_window: np.ndarray,
    direction: int,
    at_text_edge: bool,
) -> tuple[list[tuple[int, int, int]], bool]:
    """Matching stretches of two windows that reach the passage edge through small edits,
    and whether they reach the text edge too.

    Walks the windows' common subsequence from the edge outwards; stops at a difference
    longer than MAX_EDIT_TOKENS tokens, and keeps matches up to the last stretch of at least
    two tokens, so a lone shared "the" never extends a passage. When both windows end at
    the text edge (``at_text_edge``) and the walk reaches it through a last difference no
    longer than a swap, the edge counts as such a stretch: every match is kept.
    """
    article_list, reference_list = article_window.tolist(), reference_window.tolist()
    if not at_text_edge and set(article_list).isdisjoint(reference_list):
        return [], False
    if direction < 0:
        article_list.reverse()
        reference_list.reverse()
    stretches = _matching_stretches(common_subsequence(article_list, reference_list))
    kept: list[tuple[int, int, int]] = []
    accepted = 0
    a_prev = r_prev = 0
    for a_pos, r_pos, length in stretches:
        if a_pos - a_prev > MAX_EDIT_TOKENS or r_pos - r_prev > MAX_EDIT_TOKENS:
            reached = False
            break
        kept.append((a_pos, r_pos, length))
        if length >= 2:
            accepted = len(kept)
        a_prev, r_prev = a_pos + length, r_pos + length
    else:
        reached = at_text_edge and (
            len(article_list) - a_prev <= MAX_EDIT_TOKENS
            and len(reference_list) - r_prev <= MAX_EDIT_TOKENS
        )
    if not reached:
        kept = kept[:accepted]
    if direction < 0:
        a_size, r_size = len(article_list), len(reference_list)
        kept = [(a_size - a - n, r_size - r - n, n) for a, r, n in kept]
    return kept, reached


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
