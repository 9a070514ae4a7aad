"""Split text into word tokens with character offsets and a normalised matching form.

First stage of the pipeline (tokenize -> align -> extract -> score -> report). Only words and
numbers become tokens: punctuation, quotes and dashes carry no weight in matching, so a change
of punctuation, case, quote style or list marker can never show up as a swap.

``TOKEN_PATTERN`` (``tokens.py``) defines the tokens; ``tokenize_py`` (``tokenize_py.py``)
is the plain loop over its matches that the numpy ``tokenize_batch`` is tested against. The
batch finds the matches with ``tokenize_spans`` and groups them with ``tokenize_surfaces``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from ._arrays import first_indices
from .tokenize_py import tokenize_batch_py, tokenize_py
from .tokenize_spans import token_spans
from .tokenize_surfaces import distinct_surfaces, object_array
from .tokens import (
    INVISIBLE_CHARACTER,
    SPLIT_WORDS,
    TOKEN_PATTERN,
    TokenBatch,
    Tokens,
    fold_token,
    normalize_token,
    split_surface,
    without_byte_order_mark,
)

__all__ = [
    "INVISIBLE_CHARACTER",
    "TOKEN_PATTERN",
    "TokenBatch",
    "Tokens",
    "fold_token",
    "join_tokens",
    "normalize_token",
    "tokenize",
    "tokenize_batch",
]

# Below this many characters (of one text, or of a batch in all), tokenize_py's loop over
# regex matches takes less time than tokenize_batch's fixed cost of about 0.2 ms (they break
# even near 1,500 characters).
_SHORT_TEXT = 1_000


def tokenize(text: str) -> Tokens:
    """Word tokens of ``text`` with offsets into it and their matching forms.

    ``tokenize_batch([text])`` for one text; gives exactly what ``tokenize_py``, the plain
    loop kept as its reference, gives. Below ``_SHORT_TEXT`` characters it is
    ``tokenize_py``, which is quicker there than setting up tokenize_batch's arrays.

    >>> tokens = tokenize("We're fined 500,000 euros.")
    >>> tokens.norms
    ('we', 'are', 'fined', '500,000', 'euros')
    >>> [tokens.text[s:e] for s, e in zip(tokens.starts, tokens.ends)][:2]
    ['We', "'re"]
    """
    if len(text) < _SHORT_TEXT:
        return tokenize_py(text)
    return tokenize_batch([text]).tokens[0]


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """The tokens of each text and their ids in one vocabulary shared by the batch.

    The texts are joined into one string whose characters are classified through a table
    indexed by code point (``token_spans``): numpy then finds exactly the matches of
    ``TOKEN_PATTERN``, several times faster than the regex's own Unicode property lookups.
    Each distinct token of the batch is normalised once (``_pieces``). Every step per token
    is a C-level map or a numpy operation.

    >>> batch = tokenize_batch(["a fine", "A nice"])
    >>> batch.vocabulary, [ids.tolist() for ids in batch.ids]
    (('a', 'fine', 'nice'), [[0, 1], [0, 2]])
    """
    if not texts:
        return TokenBatch(tokens=(), ids=(), vocabulary=())
    if sum(map(len, texts)) < _SHORT_TEXT:
        return tokenize_batch_py(texts)
    return _array_batch(texts)


def _array_batch(texts: Sequence[str]) -> TokenBatch:
    """``tokenize_batch`` of non-empty ``texts`` with array passes."""
    # "\x00" is never part of a token, so no token spans two texts.
    joined = "\x00".join(map(without_byte_order_mark, texts))
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    surface_starts, surface_ends = token_spans(joined, codes)

    # Distinct surfaces of the batch in first-seen order, each split into its pieces once.
    distinct, surface_ids = distinct_surfaces(joined, codes, surface_starts, surface_ends)
    piece_counts, piece_norms, piece_starts, piece_ends = _pieces(distinct)
    first_piece = np.cumsum(piece_counts, dtype=np.int64) - piece_counts
    vocabulary = list(dict.fromkeys(piece_norms))
    piece_ids = _positions(piece_norms, vocabulary)

    # A surface gives 0, 1 or 2 pieces: repeat each token once per piece.
    token_piece_counts = piece_counts[surface_ids]
    owner = np.repeat(np.arange(len(surface_ids), dtype=np.int64), token_piece_counts)
    first_of_owner = np.cumsum(token_piece_counts, dtype=np.int64) - token_piece_counts
    within = np.arange(len(owner), dtype=np.int64) - first_of_owner[owner]
    pieces = first_piece[surface_ids][owner] + within
    starts = surface_starts[owner] + piece_starts[pieces]
    ends = surface_starts[owner] + piece_ends[pieces]
    norms = object_array(piece_norms)[pieces]
    ids = piece_ids[pieces]

    # Cut the batch-wide arrays back into texts, with offsets into each text: the offsets
    # moved and the norms listed once for the batch, then sliced per text.
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    text_starts = np.cumsum(lengths + 1, dtype=np.int64) - lengths - 1
    bounds = np.searchsorted(starts, text_starts).tolist() + [len(starts)]
    text_of_token = np.repeat(text_starts, np.diff(bounds))
    local_starts, local_ends = starts - text_of_token, ends - text_of_token
    norm_list = norms.tolist()
    tokens = tuple(
        Tokens(
            text=text,
            starts=local_starts[low:high],
            ends=local_ends[low:high],
            norms=tuple(norm_list[low:high]),
        )
        for text, low, high in zip(texts, bounds, bounds[1:])
    )
    return TokenBatch(
        tokens=tokens,
        ids=tuple(ids[low:high] for low, high in zip(bounds, bounds[1:])),
        vocabulary=tuple(vocabulary),
    )


def join_tokens(token_lists: Sequence[Tokens]) -> tuple[Tokens, np.ndarray]:
    """The tokens of several texts as one ``Tokens`` over the texts joined by newlines, and
    where each text's tokens begin in it (int64, one more entry than texts: the last is the
    total), so that the later stages can run one pass over a whole batch.

    A newline starts a line in every reading of a text, so a text's first token keeps the
    position it had alone: nothing written before it.

    >>> joined, first = join_tokens([tokenize("a fine"), tokenize("A nice")])
    >>> joined.text, joined.norms, joined.starts.tolist(), first.tolist()
    ('a fine\\nA nice', ('a', 'fine', 'a', 'nice'), [0, 2, 7, 9], [0, 2, 4])
    """
    first_token = first_indices(token_lists)
    # Where each text begins in the joined text: after the text before it and a newline.
    text_offset = np.repeat(
        first_indices([tokens.text for tokens in token_lists])[:-1]
        + np.arange(len(token_lists), dtype=np.int64),
        np.diff(first_token),
    )
    empty = np.empty(0, dtype=np.int64)
    joined = Tokens(
        text="\n".join(tokens.text for tokens in token_lists),
        starts=np.concatenate([empty] + [tokens.starts for tokens in token_lists]) + text_offset,
        ends=np.concatenate([empty] + [tokens.ends for tokens in token_lists]) + text_offset,
        norms=tuple(itertools.chain.from_iterable(tokens.norms for tokens in token_lists)),
    )
    return joined, first_token


def _positions(items: list[str], distinct: list[str]) -> np.ndarray:
    """The index in ``distinct`` of each item, as int64."""
    index = dict(zip(distinct, range(len(distinct))))
    return np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))



def _pieces(surfaces: list[str]) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """``split_surface`` of every surface, flattened: how many pieces each surface gives, and
    every piece's norm, start and end (int64), surface after surface.

    An ASCII surface without apostrophes is one piece, its lower case (NFKC and the homoglyph
    table leave ASCII alone, and ASCII has no invisible characters), unless it is one of
    SPLIT_WORDS; only the others are split one by one.
    """
    lowered = "\x00".join(surfaces).lower().split("\x00") if surfaces else []
    counts = np.ones(len(surfaces), dtype=np.int64)
    special = {
        index: split_surface(surfaces[index])
        for index in _special_surfaces(surfaces, lowered)
    }
    if not special:
        lengths = np.fromiter(map(len, surfaces), dtype=np.int64, count=len(surfaces))
        return counts, lowered, np.zeros(len(surfaces), dtype=np.int64), lengths
    for index, pieces in special.items():
        counts[index] = len(pieces)
    # Each ordinary surface's piece in place, then the special ones' pieces in theirs.
    first_piece = np.cumsum(counts, dtype=np.int64) - counts
    ordinary = np.ones(len(surfaces), dtype=bool)
    ordinary[list(special)] = False
    norms = np.empty(int(counts.sum()), dtype=object)
    starts = np.zeros(len(norms), dtype=np.int64)
    ends = np.zeros(len(norms), dtype=np.int64)
    norms[first_piece[ordinary]] = object_array(lowered)[ordinary]
    ends[first_piece[ordinary]] = np.fromiter(
        map(len, itertools.compress(surfaces, ordinary.tolist())), dtype=np.int64
    )
    for index, pieces in special.items():
        for position, (norm, start, end) in enumerate(pieces, start=int(first_piece[index])):
            norms[position], starts[position], ends[position] = norm, start, end
    return counts, norms.tolist(), starts, ends


def _special_surfaces(surfaces: list[str], lowered: list[str]) -> list[int]:
    """The indices of the surfaces ``_pieces`` cannot take as their lower case, in order."""
    everything = "\x00".join(surfaces)
    if everything.isascii() and "'" not in everything and "`" not in everything:
        unusual = []
    else:
        unusual = [
            index
            for index, surface in enumerate(surfaces)
            if not surface.isascii() or "'" in surface or "`" in surface
        ]
    if SPLIT_WORDS.keys().isdisjoint(lowered):
        return unusual
    split = np.flatnonzero(np.isin(object_array(lowered), list(SPLIT_WORDS))).tolist()
    return sorted(set(unusual) | set(split))

