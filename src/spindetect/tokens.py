"""What a token is: the pattern that finds tokens in text, the matching form of one token,
and the ``Tokens`` type the tokenize stage returns.

Shared by the fast tokenizer (``tokenize``) and its plain reference (``tokenize_py``), which
both find ``TOKEN_PATTERN``'s matches and cut each into matching forms with
``split_surface``: they differ only in how they find the matches and group the forms.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import regex

__all__ = [
    "APOSTROPHES",
    "INVISIBLE_CHARACTER",
    "INVISIBLE_CLASS",
    "TOKEN_PATTERN",
    "TokenBatch",
    "Tokens",
    "fold_token",
    "normalize_token",
    "split_surface",
    "without_byte_order_mark",
]

# A token is a number with inner separators ("500,000", "15.5"), one CJK ideograph (those
# scripts write no spaces, so each character is its own token), or a run of letters, marks,
# digits and invisible characters with inner apostrophes ("can't", "rustic's").
# Invisible characters, those that render as nothing, are kept inside the token, numbers
# included, so that a word split by one still matches; normalisation removes them. They are
# the format characters (\p{Cf}: zero-width space, soft hyphen, bidi controls) and every
# other Default_Ignorable_Code_Point: variation selectors, the combining grapheme joiner,
# Hangul fillers, Mongolian free variation selectors, tag characters, reserved ones.
APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u2032"
# The invisible class, as the inside of a regex character class.
INVISIBLE_CLASS = r"\p{Cf}\p{Default_Ignorable_Code_Point}"
# Written with \p{Cf} standing for the whole invisible class, always inside brackets.
TOKEN_PATTERN = regex.compile(
    (
        r"[\p{Cf}]*\p{N}[\p{N}\p{Cf}]*(?:[.,][\p{Cf}]*\p{N}[\p{N}\p{Cf}]*)+"
        r"|[\p{Cf}]*[\p{Han}\p{Hiragana}\p{Katakana}]"
        r"|[\p{L}\p{M}\p{N}\p{Cf}]+(?:[" + APOSTROPHES + r"][\p{L}\p{M}\p{Cf}]+)*"
    ).replace(r"\p{Cf}", INVISIBLE_CLASS),
    regex.VERSION1,
)
CONFUSABLES_PATH = Path(__file__).resolve().parent / "data" / "confusables.tsv"
CONFUSABLES_HEADER = "# spindetect confusables v1:"
# One invisible character (see TOKEN_PATTERN).
INVISIBLE_CHARACTER = regex.compile(f"[{INVISIBLE_CLASS}]")
_INVISIBLE_RUNS = regex.compile(f"[{INVISIBLE_CLASS}]+")
_APOSTROPHE_CHARS = regex.compile("[" + APOSTROPHES + "]")
_LEADING_INVISIBLE_OR_APOSTROPHE = regex.compile(f"[{INVISIBLE_CLASS}{APOSTROPHES}]*")
# U+FEFF as a text's first character is a byte-order mark that the decoder kept ("utf-8"
# does, "utf-8-sig" drops it), not part of the first word: tokens are found as if it were a
# space, so a file read with its mark matches the same text without, and offsets still index
# the text as passed in.
_BYTE_ORDER_MARK = "\ufeff"

# Contraction endings and the words they stand for, so "we're" matches "we are" and "can't"
# matches "cannot". "'s" after these words is "is"; elsewhere it is a possessive and stays "'s".
_SUFFIX_WORDS = {"'re": "are", "'ve": "have", "'ll": "will", "'d": "would", "'m": "am"}
_NEGATION_BASES = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_IS_BEFORE_S = frozenset(
    "it that what there here he she who where how when this everything nothing".split()
)
SPLIT_WORDS = {"cannot": (("can", 3), ("not", 6)), "let's": (("let", 3), ("us", 5))}


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
    """A token as written, up to case and compatibility forms: without invisible characters,
    NFKC, case-folded, with one apostrophe. Homoglyphs are kept (see ``normalize_token``).

    Invisible characters go first, so that one between a letter and its accent cannot
    keep NFKC from composing them (NFKC makes no invisible character of a visible one).

    >>> fold_token("Ｆｉ\u200bne\ufe0f")
    'fine'
    """
    visible = _INVISIBLE_RUNS.sub("", surface)
    folded = unicodedata.normalize("NFKC", visible).casefold()
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
    """The shipped homoglyph table (data/confusables.tsv) as a str.translate mapping.

    The file is UTF-8 text: a header line that starts with ``CONFUSABLES_HEADER`` (the
    format version, then the sources and licenses), then one line per character, the
    character, a tab and the ASCII it imitates (``"\u0430\ta"``: Cyrillic a looks like a).
    A file without the header, as an older format would be, is refused.
    """
    lines = CONFUSABLES_PATH.read_text(encoding="utf-8").splitlines()
    if not lines or not lines[0].startswith(CONFUSABLES_HEADER):
        raise RuntimeError(
            f"{CONFUSABLES_PATH} has an unknown header; rebuild it with "
            "`python scripts/build_confusables.py` or reinstall spindetect"
        )
    return {ord(line[0]): line[2:] for line in lines[1:]}


@lru_cache(maxsize=1 << 16)
def split_surface(surface: str) -> tuple[tuple[str, int, int], ...]:
    """Matching forms of one regex token with their (start, end) inside it.

    Most tokens give one piece; contractions give two ("we're" -> "we", "are").
    """
    norm = normalize_token(surface)
    if norm[:1] != "'":
        return _split_norm(surface, norm)
    # Only invisible characters let a token start at an apostrophe ("\u200b's"); without
    # them the apostrophe is punctuation, so drop it here too. A letter whose normal form
    # starts with one (U+0149 "ŉ" is "ʼn") loses it the same way, though no character of the
    # surface can be skipped for it: done once, without recursion, so nothing loops on it.
    skip = _LEADING_INVISIBLE_OR_APOSTROPHE.match(surface).end()  # type: ignore[union-attr]
    rest = surface[skip:]
    return tuple(
        (piece, start + skip, end + skip)
        for piece, start, end in _split_norm(rest, normalize_token(rest).lstrip("'"))
    )


def _split_norm(surface: str, norm: str) -> tuple[tuple[str, int, int], ...]:
    """``split_surface`` of a surface whose matching form ``norm`` does not start with an
    apostrophe."""
    if not norm:
        return ()
    if "'" not in norm:
        if norm in SPLIT_WORDS:
            return _fixed_split(surface, norm)
        return ((norm, 0, len(surface)),)
    if norm in SPLIT_WORDS:
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
    for word, end in SPLIT_WORDS[norm]:
        # The surface can be longer than the norm only through invisible characters; keep the
        # last piece ending at the surface's end so no character falls outside a token.
        pieces.append((word, start, end))
        start = end
    last_word, last_start, _ = pieces[-1]
    pieces[-1] = (last_word, last_start, len(surface))
    return tuple(pieces)


def _last_apostrophe(surface: str) -> int:
    return max(surface.rfind(mark) for mark in APOSTROPHES)


@dataclass(frozen=True, slots=True)
class TokenBatch:
    """The tokens of several texts, with integer ids from one vocabulary shared by all.

    ``vocabulary[ids[i][k]] == tokens[i].norms[k]``; the vocabulary lists each matching form
    once, in order of first appearance across the texts.
    """

    tokens: tuple[Tokens, ...]
    ids: tuple[np.ndarray, ...]  # int64, one array per text
    vocabulary: tuple[str, ...]


def without_byte_order_mark(text: str) -> str:
    """``text`` with a byte-order mark at its start made a space: the same length, so the
    same offsets, and never part of a token.

    >>> without_byte_order_mark("\ufeffThe fine")
    ' The fine'
    """
    return " " + text[1:] if text.startswith(_BYTE_ORDER_MARK) else text
