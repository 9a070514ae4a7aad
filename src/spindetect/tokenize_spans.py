"""Find every match of ``TOKEN_PATTERN`` with numpy: the tokenizer's character-class matcher.

Part of the tokenize stage. ``token_spans`` classifies each character of a text through a
table indexed by code point, then finds the pattern's matches with array passes over
"words" (runs of word characters) and the one character between them; the rare stretches
its rules do not cover are matched by the regex itself. Several times faster than the
regex's own Unicode property lookups, and tested equal to them (``tokenize_py``).
"""

from __future__ import annotations

import numpy as np
import regex

from ._arrays import range_indices
from .tokens import APOSTROPHES, INVISIBLE_CLASS, TOKEN_PATTERN

__all__ = ["letter_or_digit", "token_spans"]

# The same pattern as one capturing group, so that split() returns the gaps between tokens
# and the tokens alternately.
_TOKEN_OR_GAP = regex.compile("(" + TOKEN_PATTERN.pattern + ")", regex.VERSION1)
# Stretches left to the regex that are closer than this many characters are matched in one
# pass, tokens between them included.
_REGEX_RANGE_GAP = 32

# Character classes of the token pattern, one bit each (_character_classes).
_LETTER = 1  # \p{L} or \p{M}
_DIGIT = 2  # \p{N}
_INVISIBLE = 4  # \p{Cf} or Default_Ignorable_Code_Point (INVISIBLE_CLASS), and no other
_IDEOGRAPH = 8  # \p{Han}, \p{Hiragana} or \p{Katakana}
_SEPARATOR = 16  # "." or ","
_APOSTROPHE = 32  # one of APOSTROPHES that is not also a word character
_WORD = _LETTER | _DIGIT | _INVISIBLE
_IN_TOKEN = _WORD | _IDEOGRAPH | _SEPARATOR | _APOSTROPHE
_CLASS_PATTERNS = {
    # An invisible letter or mark (a Hangul filler, a variation selector) is only invisible:
    # wherever the pattern takes a letter or mark it takes an invisible character too.
    _LETTER: rf"[[\p{{L}}\p{{M}}]--[{INVISIBLE_CLASS}]]+",
    _DIGIT: r"\p{N}+",
    _INVISIBLE: f"[{INVISIBLE_CLASS}]+",
    _IDEOGRAPH: r"[\p{Han}\p{Hiragana}\p{Katakana}]+",
}


class _ClassTable:
    """The class bits of code points (uint8, indexed by code point), by TOKEN_PATTERN,
    computed for each code point the first time a text holds it.

    Each is found by running the pattern's own character classes over it, so the table
    follows the Unicode version of the ``regex`` module, not that of ``unicodedata``. A
    class is a property of the character alone, so classifying the characters a batch
    brings gives what classifying every code point at once gives (``full``), without its
    cost to a fresh process (0.1 s for 1.1 million code points).
    """

    def __init__(self) -> None:
        self.classes = np.zeros(0x110000, dtype=np.uint8)
        self.known = np.zeros(0x110000, dtype=bool)
        self._add(np.arange(0x80, dtype=np.int64))  # ASCII, so an ASCII text needs no check

    def of(self, codes: np.ndarray, text: str | None = None) -> np.ndarray:
        """The class bits of each code point of ``codes`` (those of ``text``, if given)."""
        if text is None or not text.isascii():  # a flag of the str object: no scan
            new = codes[~self.known[codes]]
            if new.size:
                self._add(np.unique(new))
        return np.take(self.classes, codes)

    def full(self) -> np.ndarray:
        """The whole table (every code point classified)."""
        self._add(np.flatnonzero(~self.known))
        return self.classes

    def _add(self, points: np.ndarray) -> None:
        characters = points.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
        bits = np.zeros(points.size, dtype=np.uint8)
        for bit, pattern in _CLASS_PATTERNS.items():
            for match in regex.finditer(pattern, characters, regex.VERSION1):
                bits[match.start() : match.end()] |= bit
        separators = np.isin(points, [ord("."), ord(",")])
        bits[separators] |= _SEPARATOR
        # The pattern looks for an apostrophe only where a run of letters (or of word
        # characters) has stopped, which it does not before a letter: an apostrophe that is
        # also a letter (U+02BC) never acts as one.
        apostrophes = np.isin(points, [ord(mark) for mark in APOSTROPHES]) & ~(bits & _WORD).astype(bool)
        bits[apostrophes] |= _APOSTROPHE
        self.classes[points] = bits
        self.known[points] = True


_CLASSES = _ClassTable()


def _character_classes() -> np.ndarray:
    """The class bits of every code point (uint8, indexed by code point): ``_ClassTable``,
    all of it."""
    return _CLASSES.full()


def letter_or_digit(codes: np.ndarray) -> np.ndarray:
    """Whether each code point is a letter, mark or digit as ``TOKEN_PATTERN`` classes them
    (bool): the word characters other than invisible characters.

    >>> letter_or_digit(np.array([ord(c) for c in "a1 \u200b\u00e9"], dtype=np.uint32)).tolist()
    [True, True, False, False, True]
    """
    return (_CLASSES.of(np.asarray(codes)) & (_LETTER | _DIGIT)) > 0


def token_spans(text: str, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (int64) of every match of TOKEN_PATTERN in ``text``, whose code points are
    ``codes``.

    Tokens are built from "words", maximal runs of letters, marks, digits and invisible
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
    classes = _CLASSES.of(codes, text)
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

