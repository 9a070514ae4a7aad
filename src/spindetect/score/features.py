"""Features of swaps, computed for a whole batch of swaps at once as float64 arrays.

Part of the score stage. Lexical features see only the two phrases (what was replaced by
what); context features see where the swap sits in its passage. Every feature is a column
of one matrix, so the model is applied as a single matrix product.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Prefix
from rapidfuzz.process import cpdist

from .. import lexicon
from .._arrays import line_numbers
from ..lexicon import FUNCTION_WORDS
from .context import ContextEvidence

__all__ = [
    "CONTEXT_COLUMNS",
    "CONTEXT_FEATURES",
    "LEXICAL_COLUMNS",
    "LEXICAL_FEATURES",
    "SWAP_LEXICAL_FEATURES",
    "SwapContext",
    "context_features",
    "function_share",
    "known_rule_hits",
    "known_rules",
    "lexical_features",
    "read_pairs",
    "reduce_phrases",
    "rules_of_pair",
    "swap_model_inputs",
]

# Zipf value for words wordfreq does not list (its English list stops near Zipf 1).
UNKNOWN_ZIPF = 1.0
# Prefix overlap reads at most this many characters of each phrase, so that a swap costs the
# same however long its words are (issue 19: a Levenshtein distance over one 1M-character
# token took 36 s). A swap is at most MAX_EDIT_TOKENS words a side, and the longest phrase in
# the seeds and benchmark corpora has 33 characters; any phrase of four real words fits.
MAX_SPELLING_CHARACTERS = 256
RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "spinner_rules.tsv"
RULES_HEADER = (
    "# spindetect spinner rules v1: original<TAB>replacement. Derived from the even rows of the"
    " Problematic Paper Screener tortured-phrase list (Cabanac, Labbe & Magazinov), CC BY 4.0;"
    " built by scripts/build_spinner_rules.py"
)

@dataclass(frozen=True, slots=True)
class SwapContext:
    """What each swap is and where it sits, one array entry per swap (int64, bool, float64)."""

    broken_collocation: np.ndarray  # bool
    proper_noun: np.ndarray  # bool
    all_caps: np.ndarray  # bool: a word of the swap written in capitals only
    one_sided: np.ndarray  # bool: insertion or deletion
    function_share: np.ndarray  # float64: share of function words among the original's
    length_change: np.ndarray  # int64: |words in replacement - words in original|


def _zipf_of_words(words: Sequence[str]) -> np.ndarray:
    values = lexicon.word_frequencies(words)
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


class _PairEvidence:
    """What the lexicon says of a batch of (original, replacement) phrases, computed on
    first use and shared by the columns that need it: each column of ``LEXICAL_COLUMNS``
    reads only what it uses, so a column the model drops costs nothing."""

    def __init__(
        self, originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]]
    ) -> None:
        self.originals = originals
        self.replacements = replacements
        self.count = len(originals)

    @cached_property
    def original_phrases(self) -> list[str]:
        return [" ".join(words) for words in self.originals]

    @cached_property
    def replacement_phrases(self) -> list[str]:
        return [" ".join(words) for words in self.replacements]

    @cached_property
    def phrase(self) -> dict[str, np.ndarray]:
        """``lexicon.pair_features`` of the whole phrases."""
        return lexicon.pair_features(self.original_phrases, self.replacement_phrases)

    @cached_property
    def word_rows(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The rows and ``lexicon.pair_features`` of the differing word pairs of
        equal-length multiword phrases ("legal action" / "legal motion": action / motion)."""
        return _word_pair_features(self.originals, self.replacements)

    def phrase_or_word(
        self, name: str, transform: Callable[[np.ndarray], np.ndarray] | None = None
    ) -> np.ndarray:
        """A pair feature of the phrases, or of their best differing word pair."""
        rows, word = self.word_rows
        phrase, words = self.phrase[name], word[name]
        if transform is not None:
            phrase, words = transform(phrase), transform(words)
        return np.maximum(phrase, _max_per_row(words, rows, self.count))

    @cached_property
    def moby(self) -> np.ndarray:
        return self.phrase_or_word("moby_synonym")

    @cached_property
    def dominant(self) -> np.ndarray:
        return self.phrase_or_word("wn_rank_a", lambda rank: (rank == 0).astype(np.float64))

    def zipf(self, phrases: Sequence[tuple[str, ...]]) -> np.ndarray:
        words, phrase_of_word = _flatten(phrases)
        return _mean_per_phrase(_zipf_of_words(words), phrase_of_word, self.count)

    @cached_property
    def zipf_original(self) -> np.ndarray:
        return self.zipf(self.originals)

    @cached_property
    def zipf_replacement(self) -> np.ndarray:
        return self.zipf(self.replacements)

    def moby_word_share(self) -> np.ndarray:
        rows, word = self.word_rows
        pairs = np.bincount(rows, minlength=self.count)
        linked = np.bincount(rows, weights=word["moby_synonym"], minlength=self.count)
        return np.where(pairs > 0, linked / np.maximum(pairs, 1), self.phrase["moby_synonym"])

    def related(self) -> np.ndarray:
        phrase = self.phrase
        return np.maximum.reduce([phrase["wn_hypernym"], phrase["wn_hyponym"], phrase["wn_similar"]])

    def has_number(self) -> np.ndarray:
        digits = _has_digit(self.original_phrases) | _has_digit(self.replacement_phrases)
        return digits.astype(np.float64)

    def unknown_replacement(self) -> np.ndarray:
        return 1.0 - np.maximum(self.phrase["wn_known_b"], self.phrase["vocabulary_b"])


# The lexical model's inputs, declared once: name -> (what it says, how it is computed).
# ``lexical_features`` computes exactly these, in this order, and nothing else.
LEXICAL_COLUMNS: dict[str, tuple[str, Callable[[_PairEvidence], np.ndarray]]] = {
    "known_spinner_rule": (
        "a swap real spinner output contains (PPS tortured phrases)",
        lambda pairs: known_rule_hits(pairs.originals, pairs.replacements),
    ),
    "moby_synonym": (
        "a thesaurus lists one phrase under the other: the spinner's source",
        lambda pairs: pairs.moby,
    ),
    "moby_word_share": (
        "of equal-length phrases, the share of word pairs the thesaurus links",
        _PairEvidence.moby_word_share,
    ),
    "wordnet_synonym": (
        "WordNet puts both in one synset, in any sense",
        lambda pairs: pairs.phrase_or_word("wn_synonym"),
    ),
    "wordnet_dominant": (
        "... in the original's most common sense: the swap a person makes",
        lambda pairs: pairs.dominant,
    ),
    "wordnet_sense_share": (
        "how often the original is used in the shared sense (SemCor)",
        lambda pairs: pairs.phrase_or_word("wn_share_a"),
    ),
    "thesaurus_not_dominant": (
        "thesaurus synonym, but not in the dominant sense",
        lambda pairs: pairs.moby * (1.0 - pairs.dominant),
    ),
    "shared_pos": (
        "both can be the same part of speech",
        lambda pairs: pairs.phrase_or_word("wn_shared_pos"),
    ),
    "wordnet_related": (
        "hypernym, hyponym or similar-to: a person generalising",
        _PairEvidence.related,
    ),
    "zipf_original": (
        "word frequency of the original (wordfreq Zipf)",
        lambda pairs: pairs.zipf_original,
    ),
    "zipf_replacement": ("... of the replacement", lambda pairs: pairs.zipf_replacement),
    "zipf_shift": (
        "original minus replacement: spinners pick rarer words",
        lambda pairs: pairs.zipf_original - pairs.zipf_replacement,
    ),
    "same_lemma": (
        '"regulator" / "regulators": inflection, not a synonym',
        lambda pairs: pairs.phrase["same_base_form"],
    ),
    "prefix_overlap": (
        "shared leading characters over the longer word",
        lambda pairs: _prefix_overlap(pairs.original_phrases, pairs.replacement_phrases),
    ),
    "has_number": ("a number on either side: facts, not style", _PairEvidence.has_number),
    "unknown_replacement": (
        "the replacement is in neither WordNet nor the thesaurus",
        _PairEvidence.unknown_replacement,
    ),
}
LEXICAL_FEATURES: tuple[str, ...] = tuple(LEXICAL_COLUMNS)


def lexical_features(
    originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]]
) -> np.ndarray:
    """A (swaps x LEXICAL_FEATURES) float64 matrix for (original, replacement) word tuples.

    Words are normalised tokens (lower case). Only the two phrases are seen, so the same pair
    always gets the same row, in a document or through ``score_substitution``. Exactly the
    declared columns are computed (``LEXICAL_COLUMNS``).

    >>> matrix = lexical_features([("fine",)], [("nice",)])
    >>> float(matrix[0, LEXICAL_FEATURES.index("moby_synonym")])
    1.0
    """
    pairs = _PairEvidence(originals, replacements)
    if pairs.count == 0:
        return np.zeros((0, len(LEXICAL_COLUMNS)), dtype=np.float64)
    columns = [compute(pairs) for _, compute in LEXICAL_COLUMNS.values()]
    return np.stack(columns, axis=1).astype(np.float64, copy=False)


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


def function_share(phrases: Sequence[tuple[str, ...]]) -> np.ndarray:
    """Share of function words in each phrase (0 for an empty phrase)."""
    words, phrase_of_word = _flatten(phrases)
    is_function = np.fromiter(
        (word in FUNCTION_WORDS for word in words), dtype=np.float64, count=len(words)
    )
    return _mean_per_phrase(is_function, phrase_of_word, len(phrases))


def _prefix_overlap(originals: Sequence[str], replacements: Sequence[str]) -> np.ndarray:
    """Shared leading characters of each pair over the longer length, as float64 (RapidFuzz's
    C++ prefix over all pairs, counting at most MAX_SPELLING_CHARACTERS; 0 for two empty
    strings)."""
    if not originals:
        return np.zeros(0, dtype=np.float64)
    shared = cpdist(
        _capped(originals), _capped(replacements), scorer=Prefix.similarity, dtype=np.int64
    )
    result: np.ndarray = shared / np.maximum(_longer_lengths(originals, replacements), 1)
    return result


def _capped(texts: Sequence[str]) -> list[str]:
    """The first MAX_SPELLING_CHARACTERS characters of each text (the text itself if shorter)."""
    return [text[:MAX_SPELLING_CHARACTERS] for text in texts]


def _nan_to(values: np.ndarray, fill: float) -> np.ndarray:
    return np.where(np.isnan(values), fill, values)


# The swap model's inputs besides the lexical logit, declared once: name -> (what it says,
# how it is computed from where the swap sits and what its context says). Collocation drops
# are clipped: a pair absent from the table says "rarer than its floor", no more.
CONTEXT_COLUMNS: dict[str, tuple[str, Callable[[SwapContext, ContextEvidence], np.ndarray]]] = {
    "sense_fits": (
        "a synonym (or hypernym, hyponym) in the sense the context uses",
        lambda context, evidence: (evidence.sense_fit == 1.0).astype(np.float64),
    ),
    "sense_misfit": (
        "WordNet relates the two, but not in the sense the context uses",
        lambda context, evidence: (evidence.sense_fit == 0.0).astype(np.float64),
    ),
    "sense_blind": (
        "a synonym only in a sense the context does not use (Lesk with SemCor prior)",
        lambda context, evidence: evidence.sense_blind,
    ),
    "pos_mismatch": (
        "cannot be the part of speech the slot needs",
        lambda context, evidence: _nan_to(evidence.pos_mismatch, 0.0),
    ),
    "valency_break": (
        "an object follows, but the replacement verb takes none (WordNet frames)",
        lambda context, evidence: evidence.valency_break,
    ),
    "article_agreement": (
        '"a"/"an" before the swap no longer agrees',
        lambda context, evidence: evidence.article_agreement,
    ),
    "collocation_left": (
        "log10 drop of the word-pair count with the left neighbour",
        lambda context, evidence: np.clip(evidence.collocation_left, -2.0, 3.0),
    ),
    "collocation_right": (
        "... with the right neighbour",
        lambda context, evidence: np.clip(evidence.collocation_right, -2.0, 3.0),
    ),
    "collocation_lost": (
        "sides where the original's word pair is common, the replacement's not listed",
        lambda context, evidence: evidence.collocation_lost,
    ),
    "fluency_drop": (
        "log10: how much less likely the words read with the replacement (bigram language model)",
        lambda context, evidence: np.clip(evidence.fluency_drop, -4.0, 8.0),
    ),
    "function_expansion": (
        'function words blown up into a longer phrase ("was" -> "used to be")',
        lambda context, evidence: evidence.function_expansion,
    ),
    "function_swap": (
        "function words for other function words",
        lambda context, evidence: evidence.function_swap,
    ),
    "function_to_content": (
        'function words replaced by content words ("have succeeded" -> "possess succeeded")',
        lambda context, evidence: evidence.function_to_content,
    ),
    "inflection_lost": (
        'an inflected word replaced by a bare one ("countries" -> "nation")',
        lambda context, evidence: evidence.inflection_lost,
    ),
    "filler": (
        'filler added with no counterpart ("is not" -> "is just not")',
        lambda context, evidence: evidence.filler,
    ),
    "repeated_rule": (
        "other swaps of the same rule in the document: a spinner is a fixed dictionary",
        lambda context, evidence: evidence.repeated_rule,
    ),
    "broken_collocation": (
        "the original formed a WordNet phrase with a neighbour, the replacement does not",
        lambda context, evidence: context.broken_collocation.astype(np.float64),
    ),
    "proper_noun": (
        "a capitalised name inside the sentence: facts, not style",
        lambda context, evidence: context.proper_noun.astype(np.float64),
    ),
    "insertion_or_deletion": (
        "words added or dropped with no counterpart",
        lambda context, evidence: context.one_sided.astype(np.float64),
    ),
    "function_word": (
        "share of function words in the original",
        lambda context, evidence: context.function_share.astype(np.float64),
    ),
    "length_change": (
        "words added or removed by the swap, up to 3",
        lambda context, evidence: np.minimum(context.length_change, 3).astype(np.float64),
    ),
}
CONTEXT_FEATURES: tuple[str, ...] = tuple(CONTEXT_COLUMNS)
# Lexical columns the swap model also reads directly, beside the lexical model's logit: the
# lexical model learnt from tortured phrases out of context, where any thesaurus synonym is
# suspect; in context, a frequent synonym in the word's dominant sense that fits is what a
# person writes, and the swap model needs these columns to tell the two apart.
SWAP_LEXICAL_FEATURES: tuple[str, ...] = (
    "known_spinner_rule",
    "moby_synonym",
    "wordnet_synonym",
    "wordnet_dominant",
    "wordnet_sense_share",
    "thesaurus_not_dominant",
    "shared_pos",
    "wordnet_related",
    "zipf_original",
    "zipf_replacement",
    "zipf_shift",
    "same_lemma",
    "unknown_replacement",
)


def swap_model_inputs(
    lexical: np.ndarray, lexical_logit: np.ndarray, context: np.ndarray
) -> np.ndarray:
    """The swap model's input matrix (``model.CONTEXT_INPUTS``): the lexical logit, the
    ``SWAP_LEXICAL_FEATURES`` columns of ``lexical`` (rows of ``lexical_features``) and
    ``context`` (rows of ``context_features``)."""
    columns = [LEXICAL_FEATURES.index(name) for name in SWAP_LEXICAL_FEATURES]
    return np.column_stack([lexical_logit, lexical[:, columns], context])


def context_features(context: SwapContext, evidence: ContextEvidence) -> np.ndarray:
    """A (swaps x CONTEXT_FEATURES) float64 matrix from where each swap sits and what the
    words around it say (exactly the declared ``CONTEXT_COLUMNS``)."""
    count = len(context.one_sided)
    if count == 0:
        return np.zeros((0, len(CONTEXT_COLUMNS)), dtype=np.float64)
    columns = [compute(context, evidence) for _, compute in CONTEXT_COLUMNS.values()]
    return np.stack(columns, axis=1).astype(np.float64, copy=False)
