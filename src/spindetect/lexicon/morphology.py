"""Word forms: the normalisation every lookup goes through, closed-class words, and WordNet's
morphy, both as its plain rules (``morphy_analyses``, the reference) and as the shipped
table of their results (``analyses``, what the scorer uses).

>>> normalize("Went_Away"), [vocabulary()[token // 4] for token in analyses("went away")]
('went away', ['go away'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .._arrays import line_numbers
from . import loading
from .loading import POS, forms, vocabulary, wordnet

__all__ = [
    "FUNCTION_WORDS",
    "RULES",
    "analyses",
    "base_forms",
    "morphy_analyses",
    "normalize",
    "normalize_all",
    "normalized_mask",
    "pos_masks",
    "vocabulary_ids",
    "word_row",
]

# Closed-class English words. Spinners rewrite these blindly ("was" -> "used to be",
# "in" -> "within", "can" -> "may"); people mostly leave them alone or change them with the
# clause around them.
FUNCTION_WORDS = frozenset(
    """a about above across after against all along also although am among an and another
    any are around as at be because been before being below beneath beside besides between
    beyond both but by can could did do does down during each either else enough even ever
    every few for from had has have he her here hers herself him himself his how however i
    if in inside into is it its itself just least less may me might mine more most much must
    my myself near neither no nor not now of off on once one only onto or other others
    otherwise our ours ourselves out over own per rather same several shall she should since
    so some such than that the their theirs them themselves then there these they this those
    though through throughout thus till to too toward towards under unless until up upon us
    very via was we were what whatever when whenever where whereas wherever whether which
    while who whoever whom whose why will with within without would yet you your yours
    yourself yourselves 's""".split()
)
#: WordNet morphy's detachment rules (suffix, replacement) per POS (``POS`` order), as in
#: WordNet's morph.c.
RULES: tuple[tuple[tuple[str, str], ...], ...] = (
    (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
     ("men", "man"), ("ies", "y")),
    (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
     ("ing", "")),
    (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    (),
)

_WHITESPACE = re.compile(r"\s+")
# ASCII words without capitals, "_", control characters or whitespace, one space between.
_NORMALIZED = re.compile(r"[!-@\[-^`-~]+(?: [!-@\[-^`-~]+)*")
# Lines of _NORMALIZED words: neither "\n" nor an empty word matches inside a line.
_NORMALIZED_LINES = re.compile(f"{_NORMALIZED.pattern}(?:\n{_NORMALIZED.pattern})*")
# Each line that is not one _NORMALIZED word (empty lines included).
_OTHER_LINES = re.compile(f"^(?!(?:{_NORMALIZED.pattern})$)[^\n]*$", re.MULTILINE)


# --------------------------------------------------------------------------- normalisation


def normalize(word: str) -> str:
    """Lower-case, map ``_`` to a space and collapse whitespace, as the vocabulary is stored.

    Every lookup of a swap's words and phrases passes through it: words already in that
    form (ASCII without capitals, ``_`` or extra spaces: all tokens of English text) come
    back as they are after one regex match; others are memoised.

    >>> normalize("  Go_Away ")
    'go away'
    """
    if _NORMALIZED.fullmatch(word):
        return word
    return _normalize(word)


@lru_cache(maxsize=1 << 18)
def _normalize(word: str) -> str:
    """``normalize`` by its full rule."""
    return _WHITESPACE.sub(" ", word.replace("_", " ").lower()).strip()


def normalize_all(words: Sequence[str]) -> list[str]:
    """``[normalize(word) for word in words]``, with one regex match over all of them when
    they are already normalised (the usual case: tokens of English text), in which case a
    list comes back as the same object.

    >>> normalize_all(["fine", "Go_Away"])
    ['fine', 'go away']
    """
    words = words if isinstance(words, list) else list(words)
    normalized = normalized_mask(words)
    if normalized.all():
        return words
    result = list(words)
    for index in np.flatnonzero(~normalized).tolist():
        result[index] = _normalize(words[index])
    return result


def normalized_mask(words: list[str]) -> np.ndarray:
    """Whether each word is already in ``normalize``'s form, as bools: regex passes over all
    the words joined by line breaks, not one call per word.

    >>> normalized_mask(["fine", "Fine", ""]).tolist()
    [True, False, False]
    """
    if not words:
        return np.zeros(0, dtype=bool)
    joined = "\n".join(words)
    if joined.count("\n") != len(words) - 1:  # a word with a line break of its own
        return np.fromiter(
            (_NORMALIZED.fullmatch(word) is not None for word in words), dtype=bool,
            count=len(words),
        )
    mask = np.ones(len(words), dtype=bool)
    if _NORMALIZED_LINES.fullmatch(joined):
        return mask
    other = np.fromiter(
        (match.start() for match in _OTHER_LINES.finditer(joined)), dtype=np.int64
    )
    mask[line_numbers(words, other)] = False
    return mask


# --------------------------------------------------------------------------- morphy, by its rules


def morphy_analyses(word: str) -> tuple[int, ...]:
    """WordNet tokens (lemma id * 4 + POS index) of a normalised word by morphy's rules, POS
    order n, v, a, r: the plain reference that ``scripts/build_forms.py`` tabulates and that
    ``analyses`` looks up.

    >>> [vocabulary()[token // 4] for token in morphy_analyses("leaves")]
    ['leaf', 'leave', 'leave']
    """
    return tuple(
        vocabulary_id * 4 + pos
        for pos in range(len(POS))
        for vocabulary_id in _morphy_ids(word, pos)
    )


def _morphy_ids(word: str, pos: int) -> list[int]:
    """WordNet morphy for one POS: vocabulary ids of base forms of ``word`` that have POS ``pos``."""
    exceptions = wordnet().exceptions[pos].get(word)
    if exceptions:
        candidates = [word, *exceptions]
    elif pos == 0 and (word.endswith("ss") or len(word) <= 2):
        candidates = [word]
    else:
        candidates = [word, *_detached(word, pos)]
    if " " in word:  # collocations: inflect the first ("went away") or last ("credit cards") word
        first, _, rest = word.partition(" ")
        head, _, last = word.rpartition(" ")
        candidates += [base + " " + rest for base in base_forms(first, pos)]
        candidates += [head + " " + base for base in base_forms(last, pos)]
    ids, has_pos = vocabulary_ids(), pos_masks()
    found: list[int] = []
    for candidate in candidates:
        vocabulary_id = ids.get(candidate)
        if vocabulary_id is not None and (has_pos[vocabulary_id] >> pos) & 1 and vocabulary_id not in found:
            found.append(vocabulary_id)
    return found


def base_forms(word: str, pos: int) -> list[str]:
    """What morphy turns one word into for POS ``pos``: its exception list if it has one,
    else every detachment rule that applies (base forms or not).

    >>> base_forms("went", 1), base_forms("dogs", 0)
    (['go'], ['dog'])
    """
    exceptions = wordnet().exceptions[pos].get(word)
    if exceptions:
        return list(exceptions)
    return _detached(word, pos)


def _detached(word: str, pos: int) -> list[str]:
    return [word[: len(word) - len(suffix)] + replacement
            for suffix, replacement in RULES[pos] if word.endswith(suffix)]


@lru_cache(maxsize=1)
def vocabulary_ids() -> dict[str, int]:
    """Vocabulary word -> id as a dict, for the reference morphy and the builders: they try
    millions of candidates when the forms table is built, one dict lookup each."""
    return {word: row for row, word in enumerate(vocabulary().words)}


@lru_cache(maxsize=1)
def pos_masks() -> list[int]:
    """Per vocabulary id, a bit per POS (``POS`` order) in which the word has senses."""
    senses = np.diff(wordnet().token_indptr).reshape(-1, len(POS)) > 0
    mask: list[int] = (senses.astype(np.int64) << np.arange(len(POS), dtype=np.int64)).sum(axis=1).tolist()
    return mask


# --------------------------------------------------------------------------- morphy, by the table


@lru_cache(maxsize=1 << 18)
def word_row(word: str) -> int:
    """The row of one normalised word in ``forms.table`` (see ``loading.word_rows``), -1 if
    it is neither a vocabulary word nor an analysable form."""
    return loading.word_row(word)


@lru_cache(maxsize=1 << 18)
def analyses(word: str) -> tuple[int, ...]:
    """WordNet tokens (lemma id * 4 + POS index) of a normalised word, POS order n, v, a, r.

    One lookup in the shipped morphy table; equal to ``morphy_analyses(word)``.

    >>> analyses("regulators") == morphy_analyses("regulators")
    True
    """
    return forms().analyses(word_row(word))
