"""Split text into word tokens with character offsets and a normalised matching form.

First stage of the pipeline (tokenize -> align -> extract -> score -> report). Only words and
numbers become tokens: punctuation, quotes and dashes carry no weight in matching, so a change
of punctuation, case, quote style or list marker can never show up as a swap.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import numpy as np
import regex

__all__ = [
    "TokenBatch",
    "Tokens",
    "fold_token",
    "normalize_token",
    "tokenize",
    "tokenize_batch",
    "tokenize_py",
]

# A token is a number with inner separators ("500,000", "15.5"), one CJK ideograph (those
# scripts write no spaces, so each character is its own token), or a run of letters, marks,
# digits and invisible format characters with inner apostrophes ("can't", "rustic's").
# Format characters (\p{Cf}: zero-width space, soft hyphen, bidi controls) are kept inside
# the token, numbers included, so that a word split by one still matches; normalisation
# removes them.
_APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u2032"
TOKEN_PATTERN = regex.compile(
    r"\p{Cf}*\p{N}[\p{N}\p{Cf}]*(?:[.,]\p{Cf}*\p{N}[\p{N}\p{Cf}]*)+"
    r"|\p{Cf}*[\p{Han}\p{Hiragana}\p{Katakana}]"
    r"|[\p{L}\p{M}\p{N}\p{Cf}]+(?:[" + _APOSTROPHES + r"][\p{L}\p{M}\p{Cf}]+)*",
    regex.VERSION1,
)
# The same pattern as one capturing group, so that split() returns tokens and the gaps
# between them alternately.
_TOKEN_OR_GAP = regex.compile("(" + TOKEN_PATTERN.pattern + ")", regex.VERSION1)
_NORM, _START, _END = itemgetter(0), itemgetter(1), itemgetter(2)
CONFUSABLES_PATH = Path(__file__).resolve().parent / "data" / "confusables.tsv"
CONFUSABLES_HEADER = "# spindetect confusables v1:"
_FORMAT_CHARS = regex.compile(r"\p{Cf}+")
_APOSTROPHE_CHARS = regex.compile("[" + _APOSTROPHES + "]")
_LEADING_INVISIBLE_OR_APOSTROPHE = regex.compile(r"[\p{Cf}" + _APOSTROPHES + "]*")

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


def fold_token(surface: str) -> str:
    """A token as written, up to case and compatibility forms: NFKC, case-folded, without
    format characters, with one apostrophe. Homoglyphs are kept (see ``normalize_token``).

    >>> fold_token("Ｆｉ\u200bne")
    'fine'
    """
    folded = unicodedata.normalize("NFKC", surface).casefold()
    folded = _FORMAT_CHARS.sub("", folded)
    return _APOSTROPHE_CHARS.sub("'", folded)


def normalize_token(surface: str) -> str:
    """The matching form of one token: ``fold_token``, then homoglyphs mapped to the ASCII
    letters they imitate (Cyrillic "а", Greek "ο"), so a disguised copy still matches.

    >>> normalize_token("Ｆｉｎｅ")
    'fine'
    >>> normalize_token("don\u2019t")
    "don't"
    >>> normalize_token("p\u0430y")  # Cyrillic a
    'pay'
    """
    folded = fold_token(surface)
    if folded.isascii():
        return folded
    return folded.translate(_confusables())


@lru_cache(maxsize=1)
def _confusables() -> dict[int, str]:
    """The shipped homoglyph table (data/confusables.tsv) as a str.translate mapping."""
    lines = CONFUSABLES_PATH.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith(CONFUSABLES_HEADER):
        raise RuntimeError(
            f"{CONFUSABLES_PATH} has an unknown header; rebuild it with "
            "`python scripts/build_confusables.py` or reinstall spindetect"
        )
    return {ord(line[0]): line[2:] for line in lines[1:]}


@lru_cache(maxsize=1 << 16)
def _split_surface(surface: str) -> tuple[tuple[str, int, int], ...]:
    """Matching forms of one regex token with their (start, end) inside it.

    Most tokens give one piece; contractions give two ("we're" -> "we", "are").
    """
    norm = normalize_token(surface)
    if not norm:
        return ()
    if norm[0] == "'":
        # Only invisible characters let a token start at an apostrophe ("\u200b's"); without
        # them the apostrophe is punctuation, so drop it here too.
        skip = _LEADING_INVISIBLE_OR_APOSTROPHE.match(surface).end()  # type: ignore[union-attr]
        return tuple(
            (piece, start + skip, end + skip) for piece, start, end in _split_surface(surface[skip:])
        )
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


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """The tokens of several texts, with integer ids from one vocabulary shared by all.

    ``vocabulary[ids[i][k]] == tokens[i].norms[k]``; the vocabulary lists each matching form
    once, in order of first appearance across the texts.
    """

    tokens: tuple[Tokens, ...]
    ids: tuple[np.ndarray, ...]  # int64, one array per text
    vocabulary: tuple[str, ...]


def tokenize(text: str) -> Tokens:
    """Word tokens of ``text`` with offsets into it and their matching forms.

    ``tokenize_batch([text])`` for one text; gives exactly what ``tokenize_py``, the plain
    loop kept as its reference, gives.

    >>> tokens = tokenize("We're fined 500,000 euros.")
    >>> tokens.norms
    ('we', 'are', 'fined', '500,000', 'euros')
    >>> [tokens.text[s:e] for s, e in zip(tokens.starts, tokens.ends)][:2]
    ['We', "'re"]
    """
    return tokenize_batch([text]).tokens[0]


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """The tokens of each text and their ids in one vocabulary shared by the batch.

    One regex pass per text splits it into alternating gaps and tokens; offsets are
    cumulative sums of their lengths; each distinct token of the batch is normalised once
    (``_split_surface``). Every step per token is a C-level map or a numpy operation, so the
    cost per token is a small constant above the regex pass itself.

    >>> batch = tokenize_batch(["a fine", "A nice"])
    >>> batch.vocabulary, [ids.tolist() for ids in batch.ids]
    (('a', 'fine', 'nice'), [[0, 1], [0, 2]])
    """
    if not texts:
        return TokenBatch(tokens=(), ids=(), vocabulary=())
    # parts = [gap, token, gap, token, ..., gap]: every character lies in exactly one part.
    split_texts = list(map(_TOKEN_OR_GAP.split, texts))
    surfaces = list(itertools.chain.from_iterable(parts[1::2] for parts in split_texts))
    surface_counts = np.fromiter(
        (len(parts) // 2 for parts in split_texts), dtype=np.int64, count=len(texts)
    )
    surface_starts = _surface_starts(split_texts, surface_counts)

    # Distinct surfaces of the batch in first-seen order, each split into its pieces once.
    distinct = list(dict.fromkeys(surfaces))
    surface_ids = _positions(surfaces, distinct)
    splits = list(map(_split_surface, distinct))
    piece_counts = np.fromiter(map(len, splits), dtype=np.int64, count=len(splits))
    all_pieces = list(itertools.chain.from_iterable(splits))  # (norm, start, end) each
    piece_norms = list(map(_NORM, all_pieces))
    piece_starts = np.fromiter(map(_START, all_pieces), dtype=np.int64, count=len(all_pieces))
    piece_ends = np.fromiter(map(_END, all_pieces), dtype=np.int64, count=len(all_pieces))
    first_piece = np.cumsum(piece_counts, dtype=np.int64) - piece_counts
    vocabulary = list(dict.fromkeys(piece_norms))
    piece_ids = _positions(piece_norms, vocabulary)

    # A surface gives 0, 1 or 2 pieces: repeat each token once per piece.
    token_piece_counts = piece_counts[surface_ids]
    owner = np.repeat(np.arange(len(surfaces), dtype=np.int64), token_piece_counts)
    first_of_owner = np.cumsum(token_piece_counts, dtype=np.int64) - token_piece_counts
    within = np.arange(len(owner), dtype=np.int64) - first_of_owner[owner]
    pieces = first_piece[surface_ids][owner] + within
    starts = surface_starts[owner] + piece_starts[pieces]
    ends = surface_starts[owner] + piece_ends[pieces]
    norms = list(map(piece_norms.__getitem__, pieces.tolist()))
    ids = piece_ids[pieces]

    # Cut the batch-wide arrays back into texts.
    first_token = np.cumsum(surface_counts, dtype=np.int64) - surface_counts
    bounds = np.append(first_of_owner, len(owner))[np.append(first_token, len(surfaces))]
    bounds = bounds.tolist()
    tokens = tuple(
        Tokens(
            text=text,
            starts=starts[low:high],
            ends=ends[low:high],
            norms=tuple(norms[low:high]),
        )
        for text, low, high in zip(texts, bounds, bounds[1:])
    )
    return TokenBatch(
        tokens=tokens,
        ids=tuple(ids[low:high] for low, high in zip(bounds, bounds[1:])),
        vocabulary=tuple(vocabulary),
    )


def _surface_starts(split_texts: list[list[str]], surface_counts: np.ndarray) -> np.ndarray:
    """Start offset of every token surface, in its own text, for the whole batch."""
    lengths = np.fromiter(
        map(len, itertools.chain.from_iterable(split_texts)), dtype=np.int64
    )
    part_ends = np.cumsum(lengths, dtype=np.int64)
    part_counts = 2 * surface_counts + 1
    first_part = np.cumsum(part_counts, dtype=np.int64) - part_counts
    text_start = np.where(first_part > 0, part_ends[first_part - 1], 0)
    # Surface k of a text is its part 2k + 1; it starts where part 2k ends.
    text_of_surface = np.repeat(np.arange(len(surface_counts), dtype=np.int64), surface_counts)
    first_surface = np.cumsum(surface_counts, dtype=np.int64) - surface_counts
    k = np.arange(int(surface_counts.sum()), dtype=np.int64) - first_surface[text_of_surface]
    gap_before = first_part[text_of_surface] + 2 * k
    return part_ends[gap_before] - text_start[text_of_surface]


def _positions(items: list[str], distinct: list[str]) -> np.ndarray:
    """The index in ``distinct`` of each item, as int64."""
    index = dict(zip(distinct, range(len(distinct))))
    return np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))


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
