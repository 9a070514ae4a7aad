"""Split text into word tokens with character offsets and a normalised matching form.

First stage of the pipeline (tokenize -> align -> extract -> score -> report). Only words and
numbers become tokens: punctuation, quotes and dashes carry no weight in matching, so a change
of punctuation, case, quote style or list marker can never show up as a swap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex

__all__ = ["Tokens", "normalize_token", "tokenize", "tokenize_py"]

# A token is a number with inner separators ("500,000", "15.5"), one CJK ideograph (those
# scripts write no spaces, so each character is its own token), or a run of letters, marks,
# digits and invisible format characters with inner apostrophes ("can't", "rustic's").
# Format characters (\p{Cf}: zero-width space, soft hyphen, bidi controls) are kept inside
# the token so that a word split by one still matches; normalisation removes them.
_APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u2032"
TOKEN_PATTERN = regex.compile(
    r"\p{N}+(?:[.,]\p{N}+)+"
    r"|[\p{Han}\p{Hiragana}\p{Katakana}]"
    r"|[\p{L}\p{M}\p{N}\p{Cf}]+(?:[" + _APOSTROPHES + r"][\p{L}\p{M}\p{Cf}]+)*",
    regex.VERSION1,
)
# The same pattern as one capturing group, so that split() returns tokens and the gaps
# between them alternately.
_TOKEN_OR_GAP = regex.compile("(" + TOKEN_PATTERN.pattern + ")", regex.VERSION1)
_FORMAT_CHARS = regex.compile(r"\p{Cf}+")
_APOSTROPHE_CHARS = regex.compile("[" + _APOSTROPHES + "]")

# Contraction endings and the words they stand for, so "we're" matches "we are" and "can't"
# matches "cannot". "'s" after these words is "is"; elsewhere it is a possessive and stays "'s".
_SUFFIX_WORDS = {"'re": "are", "'ve": "have", "'ll": "will", "'d": "would", "'m": "am"}
_NEGATION_BASES = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_IS_BEFORE_S = frozenset(
    "it that what there here he she who where how when this everything nothing".split()
)
_SPLIT_WORDS = {"cannot": (("can", 3), ("not", 6)), "let's": (("let", 3), ("us", 5))}


@dataclass(frozen=True, slots=True)
class Tokens:
    """The word tokens of one text: where each sits in the text and the form it matches by.

    ``starts[i]:ends[i]`` slices token ``i`` out of ``text``; ``norms[i]`` is its matching
    form (NFKC, case-folded, invisible characters removed, contractions expanded). One
    written word can give several tokens ("can't" -> "can", "not").
    """

    text: str
    starts: np.ndarray  # int64 character offsets into text
    ends: np.ndarray  # int64, exclusive
    norms: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.norms)


def normalize_token(surface: str) -> str:
    """The matching form of one token: NFKC, case-folded, without format characters.

    >>> normalize_token("Ｆｉｎｅ")
    'fine'
    >>> normalize_token("don\u2019t")
    "don't"
    """
    folded = unicodedata.normalize("NFKC", surface).casefold()
    folded = _FORMAT_CHARS.sub("", folded)
    return _APOSTROPHE_CHARS.sub("'", folded)


@lru_cache(maxsize=1 << 16)
def _split_surface(surface: str) -> tuple[tuple[str, int, int], ...]:
    """Matching forms of one regex token with their (start, end) inside it.

    Most tokens give one piece; contractions give two ("we're" -> "we", "are").
    """
    norm = normalize_token(surface)
    if not norm:
        return ()
    if "'" not in norm:
        if norm in _SPLIT_WORDS:
            return _fixed_split(surface, norm)
        return ((norm, 0, len(surface)),)
    if norm in _SPLIT_WORDS:
        return _fixed_split(surface, norm)
    apostrophe = _last_apostrophe(surface)
    base, suffix = norm[: norm.rindex("'")], norm[norm.rindex("'") :]
    if suffix == "'t" and base.endswith("n") and len(base) > 1:
        stem = base[:-1]
        return (
            (_NEGATION_BASES.get(stem, stem), 0, apostrophe - 1),
            ("not", apostrophe - 1, len(surface)),
        )
    if suffix in _SUFFIX_WORDS and base:
        return ((base, 0, apostrophe), (_SUFFIX_WORDS[suffix], apostrophe, len(surface)))
    if suffix == "'s" and base:
        word = "is" if base in _IS_BEFORE_S else "'s"
        return ((base, 0, apostrophe), (word, apostrophe, len(surface)))
    return ((norm, 0, len(surface)),)


def _fixed_split(surface: str, norm: str) -> tuple[tuple[str, int, int], ...]:
    pieces = []
    start = 0
    for word, end in _SPLIT_WORDS[norm]:
        # The surface can be longer than the norm only through format characters; keep the
        # last piece ending at the surface's end so no character falls outside a token.
        pieces.append((word, start, end))
        start = end
    last_word, last_start, _ = pieces[-1]
    pieces[-1] = (last_word, last_start, len(surface))
    return tuple(pieces)


def _last_apostrophe(surface: str) -> int:
    return max(surface.rfind(mark) for mark in _APOSTROPHES)


def tokenize(text: str) -> Tokens:
    """Word tokens of ``text`` with offsets into it and their matching forms.

    One regex pass splits the text into alternating gaps and tokens; offsets are cumulative
    sums of their lengths, and each distinct token is normalised once (``_split_surface``).
    Gives exactly what ``tokenize_py``, the plain loop kept as its reference, gives.

    >>> tokens = tokenize("We're fined 500,000 euros.")
    >>> tokens.norms
    ('we', 'are', 'fined', '500,000', 'euros')
    >>> [tokens.text[s:e] for s, e in zip(tokens.starts, tokens.ends)][:2]
    ['We', "'re"]
    """
    # parts = [gap, token, gap, token, ..., gap]: every character lies in exactly one part.
    parts = _TOKEN_OR_GAP.split(text)
    surfaces = parts[1::2]
    part_ends = np.cumsum(
        np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)), dtype=np.int64
    )
    surface_starts = part_ends[0:-1:2]
    # Distinct surfaces in first-seen order. Every per-token step is a C-level map or a
    # numpy operation; Python code runs once per distinct surface only.
    distinct = list(dict.fromkeys(surfaces))
    distinct_index = dict(zip(distinct, range(len(distinct))))
    surface_ids = np.fromiter(
        map(distinct_index.__getitem__, surfaces), dtype=np.int64, count=len(surfaces)
    )
    splits = list(map(_split_surface, distinct))
    piece_norms = [norm for split in splits for norm, _, _ in split]
    piece_starts = np.array(
        [start for split in splits for _, start, _ in split], dtype=np.int64
    )
    piece_ends = np.array([end for split in splits for _, _, end in split], dtype=np.int64)
    piece_counts = np.fromiter(map(len, splits), dtype=np.int64, count=len(splits))
    first_piece = np.cumsum(piece_counts, dtype=np.int64) - piece_counts

    # A surface gives 0, 1 or 2 pieces: repeat each token once per piece.
    token_piece_counts = piece_counts[surface_ids]
    owner = np.repeat(np.arange(len(surfaces), dtype=np.int64), token_piece_counts)
    first_of_owner = np.cumsum(token_piece_counts, dtype=np.int64) - token_piece_counts
    within = np.arange(len(owner), dtype=np.int64) - first_of_owner[owner]
    pieces = first_piece[surface_ids][owner] + within
    offsets = surface_starts[owner]
    return Tokens(
        text=text,
        starts=offsets + piece_starts[pieces],
        ends=offsets + piece_ends[pieces],
        norms=tuple(map(piece_norms.__getitem__, pieces.tolist())),
    )


def tokenize_py(text: str) -> Tokens:
    """``tokenize`` as a plain loop over regex matches: the reference the fast one is tested on.

    >>> tokens = tokenize_py("We're fined 500,000 euros.")
    >>> tokens.norms
    ('we', 'are', 'fined', '500,000', 'euros')
    >>> [tokens.text[s:e] for s, e in zip(tokens.starts, tokens.ends)][:2]
    ['We', "'re"]
    """
    starts: list[int] = []
    ends: list[int] = []
    norms: list[str] = []
    for match in TOKEN_PATTERN.finditer(text):
        offset = match.start()
        for norm, piece_start, piece_end in _split_surface(match.group()):
            norms.append(norm)
            starts.append(offset + piece_start)
            ends.append(offset + piece_end)
    return Tokens(
        text=text,
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
        norms=tuple(norms),
    )
