"""Features of swaps, computed for a whole batch of swaps at once as float64 arrays.

Part of the score stage. Lexical features see only the two phrases (what was replaced by
what); context features see where the swap sits in its passage. Every feature is a column
of one matrix, so the model is applied as a single matrix product.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein, Prefix
from rapidfuzz.process import cpdist

from .. import lexicon
from .._arrays import line_numbers
from ..lexicon import FUNCTION_WORDS

__all__ = [
    "CONTEXT_FEATURES",
    "LEXICAL_FEATURES",
    "SwapContext",
    "context_features",
    "function_share",
    "known_rule_hits",
    "known_rules",
    "lexical_features",
    "read_pairs",
    "reduce_phrases",
    "rules_of_pair",
    "spelling_similarities",
]

# Zipf value for words wordfreq does not list (its English list stops near Zipf 1).
UNKNOWN_ZIPF = 1.0
# Isolation is counted in matching tokens on each side of a swap, up to this many.
ISOLATION_CAP = 12
# Other swaps within this many tokens make a swap part of a cluster (a reworded clause).
CLUSTER_WINDOW = 6

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "spinner_rules.tsv"
RULES_HEADER = (
    "# spindetect spinner rules v1: original<TAB>replacement. Derived from the even rows of the"
    " Problematic Paper Screener tortured-phrase list (Cabanac, Labbe & Magazinov), CC BY 4.0;"
    " built by scripts/build_spinner_rules.py"
)

LEXICAL_FEATURES: tuple[str, ...] = (
    "known_spinner_rule",  # a swap real spinner output contains (PPS tortured phrases)
    "moby_synonym",  # a thesaurus lists one phrase under the other: the spinner's source
    "moby_word_share",  # of equal-length phrases, the share of word pairs the thesaurus links
    "wordnet_synonym",  # WordNet puts both in one synset, in any sense
    "wordnet_dominant",  # ... in the original's most common sense: the swap a person makes
    "wordnet_sense_share",  # how often the original is used in the shared sense (SemCor)
    "thesaurus_not_dominant",  # thesaurus synonym, but not in the dominant sense
    "shared_pos",  # both can be the same part of speech
    "wordnet_related",  # hypernym, hyponym or similar-to: a person generalising
    "zipf_original",
    "zipf_replacement",
    "zipf_shift",  # original minus replacement: spinners pick rarer words
    "same_lemma",  # "regulator" / "regulators": inflection, not a synonym
    "prefix_overlap",  # shared leading characters over the longer word
    "has_number",
    "unknown_replacement",  # the replacement is in neither WordNet nor the thesaurus
)

CONTEXT_FEATURES: tuple[str, ...] = (
    "isolation",  # log of the exact-match tokens around the swap (the fewer side)
    "cluster",  # other swaps nearby: people reword whole clauses
    "broken_collocation",  # the original formed a WordNet phrase with a neighbour
    "proper_noun",  # a capitalised name inside the sentence: facts, not style
    "insertion_or_deletion",
    "function_word",  # share of function words in the original ("was" -> "used to be")
    "length_change",  # words added or removed by the swap, up to 3
)


@dataclass(frozen=True, slots=True)
class SwapContext:
    """Where swaps sit in their passages, one array entry per swap (all int64 or bool)."""

    left_match: np.ndarray  # exact-match tokens before the swap, up to the previous swap
    right_match: np.ndarray
    neighbours: np.ndarray  # other swaps within CLUSTER_WINDOW tokens
    broken_collocation: np.ndarray  # bool
    proper_noun: np.ndarray  # bool
    one_sided: np.ndarray  # bool: insertion or deletion
    function_share: np.ndarray  # float64: share of function words among the original's
    length_change: np.ndarray  # int64: |words in replacement - words in original|


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """wordfreq's English frequencies, word -> probability: ``wordfreq.get_frequency_dict("en")``
    built from the same file without its cached list of 300,000 words in frequency bins,
    which the garbage collector would walk in every full collection."""
    # Imported on first use: wordfreq's import pulls in ftfy and langcodes (about 0.1 s).
    import wordfreq

    frequencies = {}
    for index, words in enumerate(wordfreq.read_cBpack(wordfreq.available_languages()["en"])):
        frequency = wordfreq.cB_to_freq(-index)
        for word in words:
            frequencies[word] = frequency
    return frequencies


def _zipf_of_words(words: Sequence[str]) -> np.ndarray:
    frequencies = _frequencies()
    values = np.fromiter(
        map(frequencies.get, words, repeat(0.0)), dtype=np.float64, count=len(words)
    )
    with np.errstate(divide="ignore"):
        zipf = np.log10(values) + 9.0
    zipf[values == 0.0] = UNKNOWN_ZIPF
    return zipf


def _mean_per_phrase(values: np.ndarray, phrase_of_word: np.ndarray, count: int) -> np.ndarray:
    sums = np.bincount(phrase_of_word, weights=values, minlength=count)
    sizes = np.bincount(phrase_of_word, minlength=count)
    return sums / np.maximum(sizes, 1)


def _flatten(phrases: Sequence[tuple[str, ...]]) -> tuple[list[str], np.ndarray]:
    """All words of ``phrases`` in one list, and the phrase of each word (int64)."""
    lengths = np.fromiter(map(len, phrases), dtype=np.int64, count=len(phrases))
    return list(chain.from_iterable(phrases)), np.repeat(
        np.arange(len(phrases), dtype=np.int64), lengths
    )


def _has_digit(texts: Sequence[str]) -> np.ndarray:
    """``any(map(str.isdigit, text))`` for each text, as bools, from one regex pass over the
    texts joined by line breaks: only ASCII digits and non-ASCII characters are looked at."""
    if not texts:
        return np.zeros(0, dtype=bool)
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a text with a line break of its own
        return np.fromiter(
            (any(map(str.isdigit, text)) for text in texts), dtype=bool, count=len(texts)
        )
    positions = [
        match.start() for match in _DIGIT_OR_NON_ASCII.finditer(joined)
        if match.group().isdigit()
    ]
    found = np.zeros(len(texts), dtype=bool)
    if positions:
        found[line_numbers(texts, np.array(positions, dtype=np.int64))] = True
    return found


# Every character str.isdigit accepts is an ASCII digit or outside ASCII.
_DIGIT_OR_NON_ASCII = re.compile(r"[0-9]|[^\x00-\x7f]")


def _word_pair_features(
    originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Lexicon features of the differing word pairs of equal-length multiword phrases."""
    rows: list[int] = []
    left: list[str] = []
    right: list[str] = []
    for row, (original, replacement) in enumerate(zip(originals, replacements)):
        if len(original) == len(replacement) > 1:
            for original_word, replacement_word in zip(original, replacement):
                if original_word != replacement_word:
                    rows.append(row)
                    left.append(original_word)
                    right.append(replacement_word)
    return np.asarray(rows, dtype=np.int64), lexicon.pair_features(left, right)


def _max_per_row(values: np.ndarray, rows: np.ndarray, count: int) -> np.ndarray:
    out = np.zeros(count, dtype=np.float64)
    np.maximum.at(out, rows, values)
    return out


def lexical_features(
    originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]]
) -> np.ndarray:
    """A (swaps x LEXICAL_FEATURES) float64 matrix for (original, replacement) word tuples.

    Words are normalised tokens (lower case). Only the two phrases are seen, so the same pair
    always gets the same row, in a document or through ``score_substitution``.

    >>> matrix = lexical_features([("fine",)], [("nice",)])
    >>> float(matrix[0, LEXICAL_FEATURES.index("moby_synonym")])
    1.0
    """
    count = len(originals)
    original_phrases = [" ".join(words) for words in originals]
    replacement_phrases = [" ".join(words) for words in replacements]
    phrase = lexicon.pair_features(original_phrases, replacement_phrases)

    word_rows, word = _word_pair_features(originals, replacements)
    word_moby = _max_per_row(word["moby_synonym"], word_rows, count)
    word_pairs = np.bincount(word_rows, minlength=count)
    moby_word_share = np.where(
        word_pairs > 0,
        np.bincount(word_rows, weights=word["moby_synonym"], minlength=count)
        / np.maximum(word_pairs, 1),
        phrase["moby_synonym"],
    )
    moby = np.maximum(phrase["moby_synonym"], word_moby)
    synonym = np.maximum(phrase["wn_synonym"], _max_per_row(word["wn_synonym"], word_rows, count))
    phrase_dominant = (phrase["wn_rank_a"] == 0).astype(np.float64)
    word_dominant = _max_per_row(
        (word["wn_rank_a"] == 0).astype(np.float64), word_rows, count
    )
    dominant = np.maximum(phrase_dominant, word_dominant)
    sense_share = np.maximum(
        phrase["wn_share_a"], _max_per_row(word["wn_share_a"], word_rows, count)
    )
    related = np.maximum.reduce(
        [phrase["wn_hypernym"], phrase["wn_hyponym"], phrase["wn_similar"]]
    )
    shared_pos = np.maximum(
        phrase["wn_shared_pos"], _max_per_row(word["wn_shared_pos"], word_rows, count)
    )

    original_words, original_phrase_of = _flatten(originals)
    replacement_words, replacement_phrase_of = _flatten(replacements)
    zipf_original = _mean_per_phrase(_zipf_of_words(original_words), original_phrase_of, count)
    zipf_replacement = _mean_per_phrase(
        _zipf_of_words(replacement_words), replacement_phrase_of, count
    )
    prefix_overlap = _prefix_overlap(original_phrases, replacement_phrases)
    has_number = (
        _has_digit(original_phrases) | _has_digit(replacement_phrases)
    ).astype(np.float64)
    unknown = 1.0 - np.maximum(phrase["wn_known_b"], phrase["vocabulary_b"])

    replacement_dominant = np.maximum(
        (phrase["wn_rank_b"] == 0).astype(np.float64),
        _max_per_row((word["wn_rank_b"] == 0).astype(np.float64), word_rows, count),
    )
    spelling_similarity = spelling_similarities(original_phrases, replacement_phrases)
    original_stats, replacement_stats = _phrase_statistics(
        original_words, original_phrase_of, replacement_words, replacement_phrase_of, count
    )
    multiword = np.bincount(original_phrase_of, minlength=count) > 1
    # wn_known: the phrase is a WordNet lemma or an inflection of one (``lexicon.in_wordnet``).
    broken_phrase = (
        multiword & (phrase["wn_known_a"] > 0) & (phrase["wn_known_b"] == 0)
    ).astype(np.float64)

    columns = {
        "known_spinner_rule": known_rule_hits(originals, replacements),
        "moby_synonym": moby,
        "moby_forward": np.maximum(
            phrase["moby_forward"], _max_per_row(word["moby_forward"], word_rows, count)
        ),
        "moby_backward": np.maximum(
            phrase["moby_backward"], _max_per_row(word["moby_backward"], word_rows, count)
        ),
        "moby_word_share": moby_word_share,
        "wordnet_synonym": synonym,
        "wordnet_dominant": dominant,
        "wordnet_sense_share": sense_share,
        "thesaurus_not_dominant": moby * (1.0 - dominant),
        "shared_pos": shared_pos,
        "wordnet_related": related,
        "zipf_original": zipf_original,
        "zipf_replacement": zipf_replacement,
        "zipf_shift": zipf_original - zipf_replacement,
        "same_lemma": phrase["same_base_form"],
        "prefix_overlap": prefix_overlap,
        "has_number": has_number,
        "unknown_replacement": unknown,
        "senses_original": np.log1p(original_stats["senses"]),
        "senses_replacement": np.log1p(replacement_stats["senses"]),
        "thesaurus_original": np.log1p(original_stats["thesaurus"]),
        "thesaurus_replacement": np.log1p(replacement_stats["thesaurus"]),
        "tagged_original": np.log1p(original_stats["tagged"]),
        "tagged_replacement": np.log1p(replacement_stats["tagged"]),
        "tagged_shift": np.log1p(original_stats["tagged"]) - np.log1p(replacement_stats["tagged"]),
        "broken_phrase": broken_phrase,
        "spelling_similarity": spelling_similarity,
        "replacement_dominant": replacement_dominant,
        "unknown_original": 1.0 - np.maximum(phrase["wn_known_a"], phrase["vocabulary_a"]),
    }
    return np.stack([columns[name] for name in LEXICAL_FEATURES], axis=1).reshape(
        count, len(LEXICAL_FEATURES)
    )


def spelling_similarities(originals: Sequence[str], replacements: Sequence[str]) -> np.ndarray:
    """1 - Levenshtein distance / longer length of each pair, as float64: near 1 for spelling
    variants ("jemah"/"jemaah"), 1 for two equal (or two empty) strings.

    The distances come from RapidFuzz's C++ Levenshtein over all pairs at once.

    >>> spelling_similarities(["jemah", "fine"], ["jemaah", "nice"]).round(3).tolist()
    [0.833, 0.5]
    """
    if len(originals) != len(replacements):
        raise ValueError(f"{len(originals)} originals but {len(replacements)} replacements")
    if not originals:
        return np.zeros(0, dtype=np.float64)
    distances = cpdist(originals, replacements, scorer=Levenshtein.distance, dtype=np.int64)
    longer = _longer_lengths(originals, replacements)
    return np.where(longer > 0, 1.0 - distances / np.maximum(longer, 1), 1.0)


def _longer_lengths(originals: Sequence[str], replacements: Sequence[str]) -> np.ndarray:
    """The length of the longer string of each pair, int64."""
    return np.maximum(
        np.fromiter(map(len, originals), dtype=np.int64, count=len(originals)),
        np.fromiter(map(len, replacements), dtype=np.int64, count=len(replacements)),
    )


def reduce_phrases(
    original: tuple[str, ...], replacement: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Strip the words both phrases share at their start and end: what was really swapped.

    >>> reduce_phrases(("legal", "action"), ("legal", "motion"))
    (('action',), ('motion',))
    """
    start = 0
    while start < min(len(original), len(replacement)) - 1 and original[start] == replacement[start]:
        start += 1
    end = 0
    while (
        end < min(len(original), len(replacement)) - start - 1
        and original[-1 - end] == replacement[-1 - end]
    ):
        end += 1
    return original[start : len(original) - end], replacement[start : len(replacement) - end]


def rules_of_pair(
    original: tuple[str, ...], replacement: tuple[str, ...]
) -> set[tuple[str, str]]:
    """The word-level rules one reduced swap stands for (see scripts/build_spinner_rules.py)."""
    if not original or not replacement:
        return set()
    if len(original) == len(replacement):
        return {(a, b) for a, b in zip(original, replacement) if a != b}
    return {(" ".join(original), " ".join(replacement))}


@lru_cache(maxsize=1)
def known_rules() -> frozenset[tuple[str, str]]:
    """The shipped spinner rules as (original, replacement) pairs, read once."""
    return frozenset(read_pairs(RULES_PATH, RULES_HEADER, "build_spinner_rules.py"))


def read_pairs(path: Path, header: str, script: str) -> list[tuple[str, str]]:
    """The ``a<TAB>b`` lines of a shipped table after its header line, which must be
    ``header`` (else the file is stale: rebuild it with ``scripts/<script>``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != header:
        raise RuntimeError(
            f"{path} has an unknown header; rebuild it with "
            f"`python scripts/{script}` or reinstall spindetect"
        )
    return [tuple(line.split("\t", 1)) for line in lines[1:]]  # type: ignore[misc]


def known_rule_hits(
    originals: Sequence[tuple[str, ...]],
    replacements: Sequence[tuple[str, ...]],
    rules: frozenset[tuple[str, str]] | None = None,
) -> np.ndarray:
    """1.0 where a swap contains a known spinner rule, else 0.0."""
    rules = known_rules() if rules is None else rules
    count = len(originals)
    hits = np.zeros(count, dtype=np.float64)
    original_lengths = np.fromiter(map(len, originals), dtype=np.int64, count=count)
    replacement_lengths = np.fromiter(map(len, replacements), dtype=np.int64, count=count)
    # Most swaps are one word for another: their only rule is (original, replacement).
    single = np.flatnonzero((original_lengths == 1) & (replacement_lengths == 1)).tolist()
    words = [(originals[row][0], replacements[row][0]) for row in single]
    hits[single] = np.fromiter(
        (a != b and (a, b) in rules for a, b in words), dtype=bool, count=len(single)
    )
    # An insertion or deletion has no rule, nor has one word for itself: those stay 0.
    other = (original_lengths > 0) & (replacement_lengths > 0)
    other[single] = False
    for row in np.flatnonzero(other).tolist():
        hits[row] = bool(rules_of_pair(*reduce_phrases(originals[row], replacements[row])) & rules)
    return hits


def _phrase_statistics(
    original_words: list[str],
    original_phrase_of: np.ndarray,
    replacement_words: list[str],
    replacement_phrase_of: np.ndarray,
    count: int,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Mean per phrase of the lexicon's word statistics (senses, thesaurus size, tag count),
    for the ``count`` originals and replacements (flattened by ``_flatten``), from one
    lexicon lookup."""
    stats = lexicon.word_statistics(original_words + replacement_words)
    split = len(original_words)
    return (
        {name: _mean_per_phrase(values[:split], original_phrase_of, count)
         for name, values in stats.items()},
        {name: _mean_per_phrase(values[split:], replacement_phrase_of, count)
         for name, values in stats.items()},
    )


def function_share(phrases: Sequence[tuple[str, ...]]) -> np.ndarray:
    """Share of function words in each phrase (0 for an empty phrase)."""
    words, phrase_of_word = _flatten(phrases)
    is_function = np.fromiter(
        (word in FUNCTION_WORDS for word in words), dtype=np.float64, count=len(words)
    )
    return _mean_per_phrase(is_function, phrase_of_word, len(phrases))


def _prefix_overlap(originals: Sequence[str], replacements: Sequence[str]) -> np.ndarray:
    """Shared leading characters of each pair over the longer length, as float64 (RapidFuzz's
    C++ prefix over all pairs; 0 for two empty strings)."""
    if not originals:
        return np.zeros(0, dtype=np.float64)
    shared = cpdist(originals, replacements, scorer=Prefix.similarity, dtype=np.int64)
    result: np.ndarray = shared / np.maximum(_longer_lengths(originals, replacements), 1)
    return result


def context_features(context: SwapContext) -> np.ndarray:
    """A (swaps x CONTEXT_FEATURES) float64 matrix from where each swap sits."""
    isolation = np.log1p(
        np.minimum(np.minimum(context.left_match, context.right_match), ISOLATION_CAP)
    )
    columns = {
        "isolation": isolation.astype(np.float64),
        "cluster": np.minimum(context.neighbours, 3).astype(np.float64),
        "broken_collocation": context.broken_collocation.astype(np.float64),
        "proper_noun": context.proper_noun.astype(np.float64),
        "insertion_or_deletion": context.one_sided.astype(np.float64),
        "function_word": context.function_share.astype(np.float64),
        "length_change": np.minimum(context.length_change, 3).astype(np.float64),
    }
    count = len(context.left_match)
    return np.stack([columns[name] for name in CONTEXT_FEATURES], axis=1).reshape(
        count, len(CONTEXT_FEATURES)
    )
