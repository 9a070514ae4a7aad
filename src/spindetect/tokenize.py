"""Split text into word tokens with character offsets and a normalised matching form.

First stage of the pipeline (tokenize -> align -> extract -> score -> report). Only words and
numbers become tokens: punctuation, quotes and dashes carry no weight in matching, so a change
of punctuation, case, quote style or list marker can never show up as a swap.

``TOKEN_PATTERN`` defines the tokens; ``tokenize_py`` is the plain loop over its matches that
the numpy ``tokenize_batch`` is tested against.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import regex

from ._arrays import first_indices, range_indices

__all__ = [
    "INVISIBLE_CHARACTER",
    "TokenBatch",
    "Tokens",
    "fold_token",
    "join_tokens",
    "normalize_token",
    "tokenize",
    "tokenize_batch",
    "tokenize_py",
]

# A token is a number with inner separators ("500,000", "15.5"), one CJK ideograph (those
# scripts write no spaces, so each character is its own token), or a run of letters, marks,
# digits and invisible characters with inner apostrophes ("can't", "rustic's").
# Invisible characters, those that render as nothing, are kept inside the token, numbers
# included, so that a word split by one still matches; normalisation removes them. They are
# the format characters (\p{Cf}: zero-width space, soft hyphen, bidi controls) and every
# other Default_Ignorable_Code_Point: variation selectors, the combining grapheme joiner,
# Hangul fillers, Mongolian free variation selectors, tag characters, reserved ones.
_APOSTROPHES = "'\u2019\u02bc\u2018\u0060\u00b4\u2032"
_INVISIBLE_CLASS = r"\p{Cf}\p{Default_Ignorable_Code_Point}"
# Written with \p{Cf} standing for the whole invisible class, always inside brackets.
TOKEN_PATTERN = regex.compile(
    (
        r"[\p{Cf}]*\p{N}[\p{N}\p{Cf}]*(?:[.,][\p{Cf}]*\p{N}[\p{N}\p{Cf}]*)+"
        r"|[\p{Cf}]*[\p{Han}\p{Hiragana}\p{Katakana}]"
        r"|[\p{L}\p{M}\p{N}\p{Cf}]+(?:[" + _APOSTROPHES + r"][\p{L}\p{M}\p{Cf}]+)*"
    ).replace(r"\p{Cf}", _INVISIBLE_CLASS),
    regex.VERSION1,
)
# The same pattern as one capturing group, so that split() returns the gaps between tokens
# and the tokens alternately.
_TOKEN_OR_GAP = regex.compile("(" + TOKEN_PATTERN.pattern + ")", regex.VERSION1)
CONFUSABLES_PATH = Path(__file__).resolve().parent / "data" / "confusables.tsv"
CONFUSABLES_HEADER = "# spindetect confusables v1:"
# One invisible character (see TOKEN_PATTERN).
INVISIBLE_CHARACTER = regex.compile(f"[{_INVISIBLE_CLASS}]")
_INVISIBLE_RUNS = regex.compile(f"[{_INVISIBLE_CLASS}]+")
_APOSTROPHE_CHARS = regex.compile("[" + _APOSTROPHES + "]")
_LEADING_INVISIBLE_OR_APOSTROPHE = regex.compile(f"[{_INVISIBLE_CLASS}{_APOSTROPHES}]*")

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
    """``_split_surface`` of a surface whose matching form ``norm`` does not start with an
    apostrophe."""
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
        # The surface can be longer than the norm only through invisible characters; keep the
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


# Below this many characters (of one text, or of a batch in all), tokenize_py's loop over
# regex matches takes less time than tokenize_batch's fixed cost of about 0.2 ms (they break
# even near 1,500 characters).
_SHORT_TEXT = 1_000


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """The tokens of each text and their ids in one vocabulary shared by the batch.

    The texts are joined into one string whose characters are classified through a table
    indexed by code point (``_token_spans``): numpy then finds exactly the matches of
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
        return _plain_batch(texts)
    return _array_batch(texts)


def _array_batch(texts: Sequence[str]) -> TokenBatch:
    """``tokenize_batch`` of non-empty ``texts`` with array passes."""
    # "\x00" is never part of a token, so no token spans two texts.
    joined = "\x00".join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    surface_starts, surface_ends = _token_spans(joined, codes)

    # Distinct surfaces of the batch in first-seen order, each split into its pieces once.
    distinct, surface_ids = _distinct_surfaces(joined, codes, surface_starts, surface_ends)
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
    norms = _object_array(piece_norms)[pieces]
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


def _plain_batch(texts: Sequence[str]) -> TokenBatch:
    """``tokenize_batch`` of a few short texts, each by ``tokenize_py``: below ``_SHORT_TEXT``
    characters in all, quicker than setting up the batch arrays."""
    tokens = tuple(map(tokenize_py, texts))
    vocabulary = list(dict.fromkeys(itertools.chain.from_iterable(t.norms for t in tokens)))
    return TokenBatch(
        tokens=tokens,
        ids=tuple(_positions(list(t.norms), vocabulary) for t in tokens),
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


# Character classes of the token pattern, one bit each (_character_classes).
_LETTER = 1  # \p{L} or \p{M}
_DIGIT = 2  # \p{N}
_INVISIBLE = 4  # \p{Cf} or Default_Ignorable_Code_Point (_INVISIBLE_CLASS), and no other
_IDEOGRAPH = 8  # \p{Han}, \p{Hiragana} or \p{Katakana}
_SEPARATOR = 16  # "." or ","
_APOSTROPHE = 32  # one of _APOSTROPHES that is not also a word character
_WORD = _LETTER | _DIGIT | _INVISIBLE
_IN_TOKEN = _WORD | _IDEOGRAPH | _SEPARATOR | _APOSTROPHE
_CLASS_PATTERNS = {
    # An invisible letter or mark (a Hangul filler, a variation selector) is only invisible:
    # wherever the pattern takes a letter or mark it takes an invisible character too.
    _LETTER: rf"[[\p{{L}}\p{{M}}]--[{_INVISIBLE_CLASS}]]+",
    _DIGIT: r"\p{N}+",
    _INVISIBLE: f"[{_INVISIBLE_CLASS}]+",
    _IDEOGRAPH: r"[\p{Han}\p{Hiragana}\p{Katakana}]+",
}


@lru_cache(maxsize=1)
def _character_classes() -> np.ndarray:
    """The class bits of every code point (uint8, indexed by code point), by TOKEN_PATTERN.

    Built by running the pattern's own character classes over all code points once, so it
    follows the Unicode version of the ``regex`` module, not that of ``unicodedata``.
    """
    every_character = np.arange(0x110000, dtype=np.uint32).tobytes().decode(
        "utf-32-le", "surrogatepass"
    )
    classes = np.zeros(0x110000, dtype=np.uint8)
    for bit, pattern in _CLASS_PATTERNS.items():
        for match in regex.finditer(pattern, every_character, regex.VERSION1):
            classes[match.start() : match.end()] |= bit
    classes[[ord("."), ord(",")]] |= _SEPARATOR
    for mark in map(ord, _APOSTROPHES):
        # The pattern looks for an apostrophe only where a run of letters (or of word
        # characters) has stopped, which it does not before a letter: an apostrophe that is
        # also a letter (U+02BC) never acts as one.
        if not classes[mark] & _WORD:
            classes[mark] |= _APOSTROPHE
    return classes


def _token_spans(text: str, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (int64) of every match of TOKEN_PATTERN in ``text``, whose code points are
    ``codes``.

    Tokens are built from "words", maximal runs of letters, marks, digits and format
    characters, joined across one character as the pattern's alternatives say: "1,000" is
    one number and "can't" one word, "U.S." two words. Each token starts at a word's first
    character, where the regex, scanning left to right, tries its alternatives in order:

    - a word of digits (and invisible characters) followed by "." or "," and a word whose first
      character other than an invisible character is a digit starts a number (the first
      alternative), which goes on across every further separator and such word the same way;
    - any other word starts a run of word characters (the third alternative), which goes on
      across every apostrophe followed by a word that starts with a letter or a format
      character, unless the word before the apostrophe ended a number.

    The rules hold only while each join takes its next word whole: a join into a word that
    mixes letters and digits ends inside it ("1,5a", "a'b1"), and such rare stretches are
    matched by the regex itself (``_regex_spans``). Ideographs, each a token of its own,
    are split off by ``_ideograph_spans``.
    """
    classes = np.take(_character_classes(), codes)
    is_word = np.zeros(len(classes) + 2, dtype=bool)  # one False on either side
    is_word[1:-1] = classes & _WORD
    edges = np.flatnonzero(is_word[1:] != is_word[:-1])
    word_starts, word_ends = edges[0::2], edges[1::2]
    is_digit = (classes & _DIGIT).astype(bool)
    has_digit = _words_with(is_digit, word_starts, is_word)
    has_letter = _words_with((classes & _LETTER).astype(bool), word_starts, is_word)
    all_digits = has_digit & ~has_letter
    starts_with_digit = is_digit[word_starts]
    starts_as_number = starts_with_digit.copy()  # [\p{Cf}]*\p{N}
    is_format = (classes & _INVISIBLE).astype(bool)
    leading = np.flatnonzero(is_format[word_starts])
    if len(leading):
        not_format = np.append(np.flatnonzero(~is_format), len(classes) - 1)
        after = not_format[np.searchsorted(not_format, word_starts[leading])]
        starts_as_number[leading] = (after < word_ends[leading]) & is_digit[after]

    # Whether word k joins word k + 1 across the one character between them.
    between = classes[word_ends[:-1]]
    one_apart = word_starts[1:] - word_ends[:-1] == 1
    # Numbers: "1" "," "000". An all-digit word only follows an apostrophe join that ends
    # inside it (those take letters and invisible characters), so otherwise it starts or
    # continues a number whenever a separator and a word starting as a number follow.
    join_number = one_apart & (between & _SEPARATOR).astype(bool) & all_digits[:-1]
    join_number &= starts_as_number[1:]
    # Words: "can" "'" "t", but "1,5's" is the number "1,5" and the word "s".
    between_apostrophes = (between & _APOSTROPHE).astype(bool)
    join_word = one_apart & between_apostrophes & ~starts_with_digit[1:]
    join_word[1:] &= ~join_number[:-1]
    partial = (join_number & ~all_digits[1:]) | (join_word & has_digit[1:])
    # Token starts ("first") and ends ("last") are the words not joined to the one before or
    # after them.
    joined = join_number | join_word
    first = np.ones(len(word_starts), dtype=bool)
    first[1:] = ~joined
    last = np.ones(len(word_starts), dtype=bool)
    last[:-1] = ~joined
    starts, ends = word_starts[first], word_ends[last]
    hard = word_starts[1:][partial]
    if (classes & _IDEOGRAPH).any():
        starts, ends, hard_ideographs = _ideograph_spans(
            classes, is_word, word_starts, word_ends, one_apart & between_apostrophes, starts, ends
        )
        hard = np.concatenate((hard, hard_ideographs))
    return _regex_spans(text, classes, starts, ends, np.unique(hard))


def _ideograph_spans(
    classes: np.ndarray,
    is_word: np.ndarray,
    word_starts: np.ndarray,
    word_ends: np.ndarray,
    apostrophe_joint: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The token spans ``starts``/``ends`` with each ideograph made a token of its own (the
    second alternative), and the positions of the ideographs left to the regex.

    Handled here: words made only of ideographs and kana that are letters, with no
    apostrophe next to them (Chinese and Japanese text), each of whose characters is a token
    because no run of the third alternative reaches into them; and ideographs that are not
    word characters (CJK radicals), each a token unless an invisible character comes just
    before it (the second alternative would take that along: left to the regex).
    """
    is_ideograph = (classes & _IDEOGRAPH).astype(bool)
    ideograph_letter = is_ideograph & ((classes & _WORD) == _LETTER)
    other_word_character = is_word[1:-1] & ~ideograph_letter
    has_ideograph = _words_with(is_ideograph, word_starts, is_word)
    pure = has_ideograph & ~_words_with(other_word_character, word_starts, is_word)
    next_to_apostrophe = np.zeros(len(word_starts), dtype=bool)
    next_to_apostrophe[:-1] |= apostrophe_joint
    next_to_apostrophe[1:] |= apostrophe_joint
    handled = pure & ~next_to_apostrophe
    lone = np.flatnonzero(is_ideograph & ~is_word[1:-1])
    after_format = (classes[np.maximum(lone - 1, 0)] & _INVISIBLE).astype(bool) & (lone > 0)

    # Such a word has no digit and no apostrophe next to it, so no join touches it and it
    # is a token span of its own: replace it by one span per character.
    keep = ~np.isin(starts, word_starts[handled])
    singles = np.concatenate(
        (range_indices(word_starts[handled], word_ends[handled])[0], lone)
    )
    all_starts = np.concatenate((starts[keep], singles))
    all_ends = np.concatenate((ends[keep], singles + 1))
    order = np.argsort(all_starts, kind="stable")
    hard = np.concatenate((word_starts[has_ideograph & ~handled], lone[after_format]))
    return all_starts[order], all_ends[order], hard


def _words_with(flag: np.ndarray, word_starts: np.ndarray, is_word: np.ndarray) -> np.ndarray:
    """Whether each word has a character where ``flag`` (over the text) is set: its first,
    or one where ``flag`` turns on inside the word. ``is_word`` has a False on either side.
    """
    turns_on = np.flatnonzero(flag[1:] & ~flag[:-1] & is_word[1:-2]) + 1
    found = flag[word_starts]
    found[np.searchsorted(word_starts, turns_on, side="right") - 1] = True
    return found


def _regex_spans(
    text: str,
    classes: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    hard: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The spans ``starts``/``ends`` with those in every stretch that has a character at a
    position in ``hard`` replaced by the regex's matches there.

    A stretch is a maximal run of characters that can be part of a token; no match crosses
    one's edges, so the pattern matched over a stretch alone, or over several stretches and
    the gaps between them, finds exactly what it finds there in the whole text.
    """
    if not len(hard):
        return starts.astype(np.int64, copy=False), ends.astype(np.int64, copy=False)
    # Characters that are in no token, with one before the text and one after it.
    gaps = np.concatenate(([-1], np.flatnonzero(~(classes & _IN_TOKEN).astype(bool)), [len(text)]))
    after = np.searchsorted(gaps, hard)
    stretch_starts, stretch_ends = gaps[after - 1] + 1, gaps[after]
    stretch_starts, first = np.unique(stretch_starts, return_index=True)
    stretch_ends = stretch_ends[first]
    # One regex pass over stretches close together costs less than one per stretch.
    apart = stretch_starts[1:] - stretch_ends[:-1] >= _REGEX_RANGE_GAP
    range_starts = stretch_starts[np.concatenate(([True], apart))]
    range_ends = stretch_ends[np.concatenate((apart, [True]))]
    # Drop the numpy tokens inside those ranges, then add the regex's.
    in_range = np.searchsorted(range_starts, starts, side="right") - 1
    inside = (in_range >= 0) & (starts < range_ends[np.maximum(in_range, 0)])
    starts, ends = starts[~inside], ends[~inside]
    # The lengths of gap, token, gap, ..., token from 0 to the last range's end: split() gives
    # each range's, and the text between two ranges joins the gaps on either side of it.
    lengths: list[int] = []
    gap = 0  # length of the gap so far
    previous_end = 0
    for low, high in zip(range_starts.tolist(), range_ends.tolist()):
        parts = list(map(len, _TOKEN_OR_GAP.split(text[low:high])))
        parts[0] += gap + low - previous_end
        gap = parts.pop()
        lengths += parts
        previous_end = high
    part_ends = np.cumsum(np.array(lengths, dtype=np.int64))
    matched_starts, matched_ends = part_ends[0::2], part_ends[1::2]
    at = np.searchsorted(starts, matched_starts)
    return np.insert(starts, at, matched_starts), np.insert(ends, at, matched_ends)


# Stretches left to the regex that are closer than this many characters are matched in one
# pass, tokens between them included.
_REGEX_RANGE_GAP = 32


def _distinct_surfaces(
    text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """The distinct token surfaces ``text[start:end]`` in first-seen order, and the index of
    each token's surface among them (int64).

    Most tokens are short words, which numpy groups by their characters packed into one
    integer (``_short_keys``, ``_key_groups``) without making a string of each; the others
    are cut out of the text and grouped by a dict.
    """
    keys, short = _short_keys(codes, starts, ends)
    groups = np.full(len(starts), -1, dtype=np.int64)
    groups[short] = _key_groups(keys[short])
    # The short tokens whose keys took too long to place are grouped as strings.
    grouped = np.flatnonzero(groups >= 0)
    cut = np.flatnonzero(groups < 0)
    group_count = int(groups.max(initial=-1)) + 1
    first_of_group = np.full(group_count, len(starts), dtype=np.int64)
    np.minimum.at(first_of_group, groups[grouped], grouped)
    cut_surfaces = [text[start:end] for start, end in zip(starts[cut].tolist(), ends[cut].tolist())]
    cut_distinct, cut_ids, cut_firsts = _distinct(cut_surfaces)

    # Number all distinct surfaces in the order they first appear.
    firsts = np.concatenate((first_of_group, cut[cut_firsts]))
    order = np.argsort(firsts)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    surface_ids = np.empty(len(starts), dtype=np.int64)
    surface_ids[grouped] = rank[groups[grouped]]
    surface_ids[cut] = rank[group_count + cut_ids]
    distinct = _object_array(_unpack(keys[first_of_group]) + cut_distinct)[order].tolist()
    return distinct, surface_ids


# The low k bytes of a uint64, for k = 0..8.
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def _short_keys(
    codes: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each span's characters packed into a uint64 key, and whether the key stands for the
    span alone: up to 8 ASCII characters as the key's bytes (little-endian), or up to 3
    characters as 21-bit code points under a set top bit (an ASCII key's top bit is clear).

    Token characters are never NUL, so two such spans have the same key exactly when they
    hold the same text.
    """
    clipped = np.zeros(len(codes) + 8, dtype=np.uint8)
    clipped[: len(codes)] = np.minimum(codes, 255)  # anything not ASCII has its top bit set
    windows = np.ndarray((len(codes),), dtype="<u8", buffer=clipped, strides=(1,))
    lengths = ends - starts
    keys = (windows[starts] & _LOW_BYTES[np.minimum(lengths, 8)]).astype(np.uint64)
    short = (lengths <= 8) & ((keys & np.uint64(0x8080808080808080)) == 0)
    wide = np.flatnonzero(~short & (lengths <= 3))
    if len(wide):
        first, length = starts[wide], lengths[wide]
        keys[wide] = np.uint64(1 << 63)
        for k in range(3):
            code = codes[np.minimum(first + k, len(codes) - 1)].astype(np.uint64)
            keys[wide] |= np.where(length > k, code, np.uint64(0)) << np.uint64(21 * k)
        short[wide] = True
    return keys, short


def _key_groups(keys: np.ndarray, *, max_probes: int = 32) -> np.ndarray:
    """A group number (int64) for each nonzero key, the same for equal keys and different for
    different ones; -1 for the keys not placed within ``max_probes`` steps.

    An open-addressing hash table in numpy: every key still looking for its place tries its
    next slot at once; a free slot takes one of the keys that try it, and a key has found its
    place when its slot holds it. Equal keys move in step, so they end in the same slot. The
    step limit only matters for keys chosen to collide.
    """
    bits = max(4, (2 * len(keys)).bit_length())
    size = 1 << bits
    table = np.zeros(size, dtype=np.uint64)  # 0: free
    slots = (keys * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)  # Fibonacci hashing
    waiting = np.arange(len(keys), dtype=np.int64)
    for _ in range(max_probes):
        if not len(waiting):
            break
        slot = slots[waiting]
        free = table[slot] == 0
        table[slot[free]] = keys[waiting[free]]
        waiting = waiting[table[slot] != keys[waiting]]
        slots[waiting] = (slots[waiting] + np.uint64(1)) & np.uint64(size - 1)
    taken = table != 0
    groups = (np.cumsum(taken, dtype=np.int64) - 1)[slots]
    groups[waiting] = -1
    return groups


def _unpack(keys: np.ndarray) -> list[str]:
    """The words packed into ``keys`` by ``_short_keys``.

    Each word's characters with the unused (0) ones made spaces, and a space after each
    word: str.split then cuts the words apart (no token character is whitespace).
    """
    wide = (keys >> np.uint64(63)).astype(bool)
    words = np.empty(len(keys), dtype=object)
    ascii_keys = keys[~wide]
    spaced = np.full((len(ascii_keys), 9), ord(" "), dtype=np.uint8)
    spaced[:, :8] = ascii_keys.astype("<u8").view(np.uint8).reshape(-1, 8)
    spaced[spaced == 0] = ord(" ")
    words[~wide] = _object_array(spaced.tobytes().decode("ascii").split())
    code_points = np.full((int(wide.sum()), 4), ord(" "), dtype="<u4")
    for k in range(3):
        code_points[:, k] = (keys[wide] >> np.uint64(21 * k)) & np.uint64(0x1FFFFF)
    code_points[code_points == 0] = ord(" ")
    words[wide] = _object_array(code_points.tobytes().decode("utf-32-le").split())
    return words.tolist()


def _distinct(items: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The distinct items in first-seen order, the index of each item among them (int64), and
    where each distinct item is first seen (int64).

    One dict pass: ``setdefault`` gives each item the position where it was first seen.
    """
    first_seen: dict[str, int] = {}
    first = np.fromiter(
        map(first_seen.setdefault, items, itertools.count()), dtype=np.int64, count=len(items)
    )
    is_new = first == np.arange(len(items), dtype=np.int64)
    return list(first_seen), (np.cumsum(is_new, dtype=np.int64) - 1)[first], np.flatnonzero(is_new)


def _pieces(surfaces: list[str]) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """``_split_surface`` of every surface, flattened: how many pieces each surface gives, and
    every piece's norm, start and end (int64), surface after surface.

    An ASCII surface without apostrophes is one piece, its lower case (NFKC and the homoglyph
    table leave ASCII alone, and ASCII has no invisible characters), unless it is one of
    _SPLIT_WORDS; only the others are split one by one.
    """
    lowered = "\x00".join(surfaces).lower().split("\x00") if surfaces else []
    counts = np.ones(len(surfaces), dtype=np.int64)
    special = {
        index: _split_surface(surfaces[index])
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
    norms[first_piece[ordinary]] = _object_array(lowered)[ordinary]
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
    if _SPLIT_WORDS.keys().isdisjoint(lowered):
        return unusual
    split = np.flatnonzero(np.isin(_object_array(lowered), list(_SPLIT_WORDS))).tolist()
    return sorted(set(unusual) | set(split))


def _object_array(items: list[str]) -> np.ndarray:
    """``items`` as a 1-d numpy array of objects (np.array would make a str array)."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


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
