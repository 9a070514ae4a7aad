"""The phrase knowledge screening matches text against, built once from the shipped data.

Two tables, both over token ids so a batch is matched with array operations:

- ``KnownPhrases``: whole tortured phrases (the PPS even rows in ``data/tortured_phrases.tsv``,
  plus rules the caller passes) keyed by a hash of their words' canonical forms, so that
  "counterfeit consciousnesses" matches "counterfeit consciousness". Keys that are ordinary
  English ("neural network", an expected phrase elsewhere in the list, a WordNet lemma, a
  listed bigram) are dropped: they would fire on clean text.
- ``Collocations``: common fixed two-word expressions (frequent, strongly associated word
  pairs from the shipped Google Books counts, WordNet's two-word lemmas, and the phrases
  spinners are known to mangle) and, for every word, the words it may stand for in a
  spinner's hands (Moby thesaurus, WordNet synonyms, known spinner rules). A rare pair whose
  words map back onto an expression is a tortured collocation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import bigrams, lexicon
from .._arrays import range_indices
from .._checks import check_iterable
from .._tables import MappedTable, load_table, string_arrays, strings
from ..lexicon import FUNCTION_WORDS, LexiconDataError
from ..lexicon.batch import WordLookups
from ..lexicon.loading import KeySet, moby, vocabulary, wordnet
from ..report import RecurringSwap
from ..score.features import RULES_PATH, known_rules, read_pairs
from ..tokenize import tokenize

__all__ = [
    "PHRASES_HEADER",
    "PHRASES_PATH",
    "SHIPPED_DTYPES",
    "TABLES_PATH",
    "TABLES_VERSION",
    "Collocations",
    "KnownPhrases",
    "Rule",
    "build_collocations",
    "build_known_phrases",
    "canonical_form",
    "collocations",
    "known_phrases",
    "shipped_phrases",
    "table_arrays",
    "table_sources",
]

PHRASES_PATH = Path(__file__).resolve().parent.parent / "data" / "tortured_phrases.tsv"
#: The tables of the shipped data, built once by ``scripts/build_screen_tables.py`` (what
#: ``known_phrases()`` and ``collocations()`` give without user rules), mapped at first use.
TABLES_PATH = Path(__file__).resolve().parent.parent / "data" / "screen_tables.table"
#: Layout version of ``data/screen_tables.table``.
TABLES_VERSION = 1
#: The arrays ``TABLES_PATH`` stores narrower than the build makes them (the values fit).
SHIPPED_DTYPES = {
    "known_form_ids": np.int32, "known_rows": np.int32, "known_lengths": np.uint8,
    "sources": np.uint8, "origins_ids": np.int32, "origins_relations": np.uint8,
    "origins_indptr": np.int32,
}
PHRASES_HEADER = (
    "# spindetect tortured phrases v1: tortured<TAB>expected, normalised tokens. Derived from the"
    " even rows of the Problematic Paper Screener tortured-phrase list (Cabanac, Labbe &"
    " Magazinov), CC BY 4.0; built by scripts/build_tortured_phrases.py"
)

# A listed word pair is a fixed expression when it occurs at least 2 ** MIN_PMI times as
# often as its words would together by chance (pointwise mutual information, in bits):
# "breast cancer" (11.7 bits) is one, "new system" (2.1) is not. Chosen on the development
# data (benchmarks/screen_quality.py): lower adds clean-text findings, higher loses targets.
MIN_PMI = 6.0

# Origins kept per written word: bounds the look-ups per candidate pair (the thesaurus lists
# hundreds of words under common ones). Lower loses tortured phrases on the development data;
# higher buys little and costs time.
MAX_ORIGINS = 8

# Hash of a token-id n-gram: h = (h * _MULTIPLIER + id + 1) mod 2**64, from h = n.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

# Relation bits: how a written word may stand for an original one.
THESAURUS, WORDNET, RULE = 1, 2, 4
# Expression bits: where a fixed expression comes from.
FREQUENT, WORDNET_LEMMA, SPINNER_TARGET = 1, 2, 4

#: A rule as ``screen(..., rules=...)`` takes it: a RecurringSwap or (original, replacement).
Rule = RecurringSwap | tuple[str, str]


@lru_cache(maxsize=1)
def shipped_phrases() -> tuple[tuple[str, str], ...]:
    """The shipped (tortured, expected) phrase pairs, read once."""
    return tuple(read_pairs(PHRASES_PATH, PHRASES_HEADER, "build_tortured_phrases.py"))


@lru_cache(maxsize=1 << 16)
def canonical_form(word: str) -> str:
    """The word with its inflection removed, to match phrases however they are inflected:
    WordNet's base forms (morphy) taken repeatedly, the shortest each time.

    >>> canonical_form("consciousnesses"), canonical_form("learning"), canonical_form("learned")
    ('consciousness', 'learn', 'learn')
    """
    while True:
        lemmas = [lemma for lemma in lexicon.wordnet_lemmas(word) if " " not in lemma]
        shortest = min(lemmas + [word], key=lambda lemma: (len(lemma), lemma))
        if shortest == word:
            return word
        word = shortest


def _inflections(word: str) -> set[str]:
    """Written forms that may reduce to ``word``: plural, third person, -ing, -ed."""
    forms = {word, word + "s", word + "es", word + "ing", word + "ed", word + "d"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ing", word + word[-1] + "ed"}
    return forms


def ngram_hashes(ids: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """The hash of each ``length``-token window of ``ids`` (uint64) and whether every id in
    it is known (>= 0), one entry per window start."""
    count = len(ids) - length + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool)
    starts = np.arange(count, dtype=np.int64)
    return _window_hashes(ids, starts, length), _known_runs(ids)[:count] >= length


def _known_runs(ids: np.ndarray) -> np.ndarray:
    """For each token, how many tokens from it on are known (>= 0) in a row (int64)."""
    known = np.asarray(ids) >= 0
    count = known.size
    if not count:
        return np.zeros(0, dtype=np.int64)
    # The next unknown token at or after each position (count past the end).
    unknown_at = np.where(known, count, np.arange(count, dtype=np.int64))
    next_unknown = np.minimum.accumulate(unknown_at[::-1])[::-1]
    result: np.ndarray = next_unknown - np.arange(count, dtype=np.int64)
    return result


def _window_hashes(ids: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """The hash of the ``length`` ids from each of ``starts`` (uint64)."""
    return _hashes([ids[starts + offset] for offset in range(length)])


def _hashes(columns: Sequence[np.ndarray]) -> np.ndarray:
    """The hash of each row of the id ``columns`` (one array per position of the n-gram)."""
    hashes = np.full(columns[0].size, len(columns), dtype=np.uint64)
    for column in columns:
        hashes = hashes * _MULTIPLIER + (column + 1).astype(np.uint64)
    return hashes


@dataclass(frozen=True)
class KnownPhrases:
    """Tortured phrases keyed by the hash of their canonical word ids.

    ``word_ids`` maps every written form of every phrase word to its canonical id;
    ``keys[length]`` is the sorted uint64 hashes of the phrases of that many words and
    ``rows[length]`` the index in ``phrases`` of each. A text token missing from
    ``word_ids`` cannot be part of a known phrase.
    """

    word_ids: dict[str, int]
    keys: dict[int, np.ndarray]
    rows: dict[int, np.ndarray]
    phrases: tuple[tuple[str, str, str], ...]  # (tortured, expected, source)

    def match(self, token_ids: np.ndarray) -> list[tuple[int, int, int]]:
        """``(start, length, phrase row)`` of every known phrase in a sequence of canonical
        ids (-1 where a token is none), longest first where they start together.

        Only windows made entirely of phrase words are hashed: the run of such words that
        starts at each token is measured once, and a window of ``length`` tokens is
        looked up where that run is at least as long (in running text, few are)."""
        found: list[tuple[int, int, int]] = []
        runs = _known_runs(token_ids)
        for length in sorted(self.keys, reverse=True):
            starts = np.flatnonzero(runs >= length)
            if not starts.size:
                continue
            hashes = _window_hashes(token_ids, starts, length)
            keys = self.keys[length]
            positions = np.minimum(np.searchsorted(keys, hashes), keys.size - 1)
            hit = keys[positions] == hashes
            rows = self.rows[length][positions[hit]]
            found.extend(zip(starts[hit].tolist(), [length] * int(hit.sum()), rows.tolist()))
        return found


def _is_common(words: tuple[str, ...]) -> bool:
    """Whether a phrase is ordinary English: a WordNet lemma or a listed word pair."""
    if lexicon.in_wordnet([" ".join(words)])[0]:
        return True
    return len(words) == 2 and bool(bigrams.bigram_counts(words[:1], words[1:])[0] > 0)


def rule_pairs(rules: Iterable[Rule]) -> tuple[tuple[str, str], ...]:
    """(original, replacement) of each rule, normalised as tokens, checked."""
    pairs = []
    checked = check_iterable(rules, "rules", "RecurringSwap or (original, replacement) tuples")
    for number, rule in enumerate(checked):
        if isinstance(rule, RecurringSwap):
            original, replacement = rule.original, rule.replacement
        elif isinstance(rule, tuple) and len(rule) == 2 and all(isinstance(s, str) for s in rule):
            original, replacement = rule
        else:
            raise TypeError(
                f"rules[{number}] must be a RecurringSwap or an (original, replacement) tuple "
                f"of str, got {type(rule).__name__}"
            )
        pairs.append((" ".join(tokenize(original).norms), " ".join(tokenize(replacement).norms)))
    return tuple(pairs)


@lru_cache(maxsize=1)
def known_phrases(user_rules: tuple[tuple[str, str], ...] = ()) -> KnownPhrases:
    """The shipped tortured phrases plus the multiword replacements of ``user_rules``
    (``rule_pairs`` output), noisy keys dropped. Without user rules, the table shipped in
    ``TABLES_PATH`` (the same, built ahead: ``build_known_phrases`` of the shipped rows
    takes about half a second)."""
    if not user_rules:
        return _known_of(_shipped_tables())
    return build_known_phrases(_phrase_entries(user_rules))


def _phrase_entries(user_rules: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    entries = [(tortured, expected, "pps") for tortured, expected in shipped_phrases()]
    return entries + [(replacement, original, "rule") for original, replacement in user_rules]


def build_known_phrases(entries: Sequence[tuple[str, str, str]]) -> KnownPhrases:
    """The table of ``(tortured, expected, source)`` phrases (normalised tokens joined by
    spaces), without the keys that are ordinary English: one word, an expected phrase of
    another entry, a WordNet lemma or a listed word pair."""
    expected_phrases = {expected for _, expected, _ in entries}
    kept: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for tortured, expected, source in entries:
        words = tuple(tortured.split())
        if len(words) < 2 or tortured in expected_phrases or _is_common(words):
            continue
        kept.setdefault(tuple(map(canonical_form, words)), (tortured, expected, source))
    canonical_words = sorted({word for words in kept for word in words})
    canonical_ids = {word: i for i, word in enumerate(canonical_words)}
    word_ids: dict[str, int] = {}
    for word in canonical_words:
        for form in _inflections(word):
            if form == word or canonical_form(form) == word:
                word_ids.setdefault(form, canonical_ids[word])
    for tortured, _, _ in kept.values():  # written forms whose base form is not the shortest
        for word in tortured.split():
            word_ids.setdefault(word, canonical_ids[canonical_form(word)])
    phrases = tuple(kept.values())
    keys, rows = {}, {}
    for length in sorted({len(words) for words in kept}):
        of_length = [(row, words) for row, words in enumerate(kept) if len(words) == length]
        ids = np.array([[canonical_ids[w] for w in words] for _, words in of_length], dtype=np.int64)
        hashes = _hashes(list(ids.T))
        order = np.argsort(hashes, kind="stable")
        keys[length] = hashes[order]
        rows[length] = np.array([row for row, _ in of_length], dtype=np.int64)[order]
    return KnownPhrases(word_ids, keys, rows, phrases)


def _known_arrays(known: KnownPhrases) -> dict[str, np.ndarray]:
    """``known`` as table arrays: the written forms and their canonical ids, the keys and
    rows of every length one after another (``known_lengths`` says each key's), and the
    phrases' three columns."""
    lengths = sorted(known.keys)
    forms = sorted(known.word_ids)  # the dict's order follows set iteration: not stable
    return {
        **string_arrays(forms, "known_form_"),
        "known_form_ids": np.array([known.word_ids[form] for form in forms], dtype=np.int64),
        "known_keys": np.concatenate([known.keys[n] for n in lengths] or [np.zeros(0, np.uint64)]),
        "known_rows": np.concatenate([known.rows[n] for n in lengths] or [np.zeros(0, np.int64)]),
        "known_lengths": np.repeat(np.array(lengths, dtype=np.int64),
                                   [known.keys[n].size for n in lengths]),
        **string_arrays([tortured for tortured, _, _ in known.phrases], "known_tortured_"),
        **string_arrays([expected for _, expected, _ in known.phrases], "known_expected_"),
        **string_arrays([source for _, _, source in known.phrases], "known_source_"),
    }


def _known_of(table: MappedTable) -> KnownPhrases:
    """The ``KnownPhrases`` that ``_known_arrays`` laid out in ``table``."""
    forms = strings(table, "known_form_")
    lengths = np.asarray(table["known_lengths"], dtype=np.int64)
    keys, rows = {}, {}
    for length in np.unique(lengths).tolist():
        at = lengths == length
        keys[length] = np.asarray(table["known_keys"][at], dtype=np.uint64)
        rows[length] = np.asarray(table["known_rows"][at], dtype=np.int64)
    columns = [strings(table, f"known_{name}_") for name in ("tortured", "expected", "source")]
    return KnownPhrases(
        word_ids=dict(zip(forms, map(int, table["known_form_ids"].tolist()))),
        keys=keys,
        rows=rows,
        phrases=tuple(zip(*columns)),
    )


@dataclass(frozen=True)
class Origins:
    """A CSR over vocabulary ids: for a written word id, the ids of the words it may stand
    for (``ids``) and how (``relations``: bits THESAURUS, WORDNET, RULE)."""

    indptr: np.ndarray
    ids: np.ndarray
    relations: np.ndarray

    def of(self, word_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(owner, origin id, relation)`` for every origin of each id in ``word_ids``
        (an id below 0 has none)."""
        if len(word_ids) and word_ids.min() < 0:
            safe = np.maximum(word_ids, 0)
            first = np.where(word_ids >= 0, self.indptr[safe], 0)
            last = np.where(word_ids >= 0, self.indptr[safe + 1], 0)
        else:
            first, last = self.indptr[word_ids], self.indptr[word_ids + 1]
        index, owner = range_indices(first, last)
        return owner, self.ids[index], self.relations[index]

    def where(self, keep: np.ndarray) -> Origins:
        """The same table with only the entries where ``keep`` (bools, one per entry)."""
        written = np.repeat(np.arange(self.indptr.size - 1, dtype=np.int64), np.diff(self.indptr))
        indptr = np.zeros_like(self.indptr)
        np.cumsum(np.bincount(written[keep], minlength=self.indptr.size - 1), out=indptr[1:])
        return Origins(indptr, self.ids[keep], self.relations[keep])


@dataclass(frozen=True)
class Collocations:
    """Fixed two-word expressions and the words a spinner may write for each word, over the
    lexicon's vocabulary ids.

    ``keys`` are sorted ``first << 32 | second`` ids of the expressions (every written and
    base form), with ``counts`` (Google Books count, 0 if unlisted) and ``sources`` (bits
    FREQUENT, WORDNET_LEMMA, SPINNER_TARGET) per key. ``origins_*`` is a CSR over vocabulary
    ids: for a written word id, the ids of the expression words it may stand for
    (``origins_ids``) and how (``origins_relations``: bits THESAURUS, WORDNET, RULE).
    ``first_words`` and ``second_words`` mark the ids that begin or end some key, so that the
    finder looks up only pairs that can be one; ``first_origins`` and ``second_origins`` are
    the origins that begin or end some key, ``strong_first_origins`` and
    ``strong_second_origins`` those by WordNet or a rule alone. ``rule_originals`` holds,
    for a word a one-word rule writes, the originals it may stand for, for the grammar
    finder to name ("nice" <- "fine").
    """

    keys: np.ndarray
    counts: np.ndarray
    sources: np.ndarray
    pmis: np.ndarray
    phrases: tuple[str, ...]
    word_counts: np.ndarray  # Google Books count of each vocabulary word (0: unlisted)
    key_set: KeySet  # ``keys`` behind a bit filter: most pairs asked about are absent
    origins_indptr: np.ndarray
    origins_ids: np.ndarray
    origins_relations: np.ndarray
    first_words: np.ndarray  # bool per vocabulary id: the first word of some key
    second_words: np.ndarray  # bool per vocabulary id: the second word of some key
    first_origins: Origins
    second_origins: Origins
    strong_first_origins: Origins
    strong_second_origins: Origins
    rule_originals: dict[str, tuple[int, ...]]  # ``rule_originals`` of the rules used

    def find(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Row in ``keys`` of each (first, second) id pair, -1 where it is no expression."""
        query = (first.astype(np.uint64) << np.uint64(32)) | second.astype(np.uint64)
        positions, hit = self.key_set.find(query)
        return np.where(hit & (first >= 0) & (second >= 0), positions, -1)


def _content_mask(words: Sequence[str]) -> np.ndarray:
    return np.fromiter(
        (word.isalpha() and word.isascii() and word not in FUNCTION_WORDS for word in words),
        dtype=bool,
        count=len(words),
    )


def _expression_pairs(
    targets: Iterable[str],
) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(first words, second words, count, source bits, PMI in bits: 0 when unlisted) of
    every fixed expression."""
    table = bigrams._table()
    words = table.words
    left = (table.bigram_keys >> np.uint64(32)).astype(np.int64)
    right = (table.bigram_keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
    unigrams = table.unigram_counts.astype(np.float64)
    total = unigrams.sum()
    pmi = np.log2(table.bigram_counts * total / (unigrams[left] * unigrams[right]))
    content = _content_mask(words)
    strong = np.flatnonzero(content[left] & content[right] & (pmi >= MIN_PMI))
    rows: list[tuple[str, str, int, int, float]] = [
        (words[i], words[j], count, FREQUENT, association)
        for i, j, count, association in zip(
            left[strong].tolist(), right[strong].tolist(),
            table.bigram_counts[strong].tolist(), pmi[strong].tolist(),
        )
    ]
    two_word = [w for w in vocabulary().words if w.count(" ") == 1]
    for lemma, known in zip(two_word, lexicon.in_wordnet(two_word).tolist()):
        first, second = lemma.split(" ")
        if known and first.isalpha() and second.isalpha():
            rows.append((first, second, 0, WORDNET_LEMMA, 0.0))
    for phrase in sorted(set(targets)):
        phrase_words = phrase.split()
        content_words = _content_mask(phrase_words)
        rows.extend(
            (phrase_words[i], phrase_words[i + 1], 0, SPINNER_TARGET, 0.0)
            for i in range(len(phrase_words) - 1)
            if content_words[i] and content_words[i + 1]
        )
    firsts = [row[0] for row in rows]
    seconds = [row[1] for row in rows]
    return (
        firsts,
        seconds,
        np.maximum(np.array([row[2] for row in rows], dtype=np.int64),
                   bigrams.bigram_counts(firsts, seconds)),
        np.array([row[3] for row in rows], dtype=np.int64),
        np.array([row[4] for row in rows], dtype=np.float64),
    )


def _word_forms(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, vocabulary ids) of each word's own id and its WordNet base forms."""
    lookups = WordLookups.of(words)
    return lookups.moby_forms


def _relation_pairs(rules: Iterable[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(original id, written id, relation bits) of every way a spinner may write one word
    for another, over vocabulary ids, distinct pairs."""
    roots, synonyms = moby().pairs()
    parts = [(roots, synonyms, THESAURUS)]
    synonym_keys = wordnet().synonyms.keys
    a = (synonym_keys >> np.uint64(32)).astype(np.int64) // 4
    b = (synonym_keys & np.uint64(0xFFFFFFFF)).astype(np.int64) // 4
    parts.append((a, b, WORDNET))
    single = sorted({(o, r) for o, r in rules if " " not in o and " " not in r})
    words = vocabulary()
    known = [(words.find_one(o), words.find_one(r)) for o, r in single]
    known = [(o, r) for o, r in known if o >= 0 and r >= 0]
    if known:
        rule_array = np.array(known, dtype=np.int64)
        parts.append((rule_array[:, 0], rule_array[:, 1], RULE))
    originals = np.concatenate([p[0] for p in parts])
    written = np.concatenate([p[1] for p in parts])
    relation = np.concatenate([np.full(len(p[0]), p[2], dtype=np.int64) for p in parts])
    keep = originals != written
    keys = (written[keep].astype(np.uint64) << np.uint64(32)) | originals[keep].astype(np.uint64)
    unique, inverse = np.unique(keys, return_inverse=True)
    bits = np.zeros(unique.size, dtype=np.int64)
    np.bitwise_or.at(bits, inverse.reshape(-1), relation[keep])
    return (
        (unique & np.uint64(0xFFFFFFFF)).astype(np.int64),
        (unique >> np.uint64(32)).astype(np.int64),
        bits,
    )


def _likeliest_origins(
    written: np.ndarray, originals: np.ndarray, relation: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """At most MAX_ORIGINS origins per written word, sorted by written word: known rules
    first, then WordNet synonyms, then thesaurus entries, the commoner original first
    within each (a spinner rewrites common words)."""
    words = vocabulary().words
    counts = bigrams.unigram_counts([words[i] for i in originals.tolist()])
    priority = 4 * ((relation & RULE) > 0) + 2 * ((relation & WORDNET) > 0) + ((relation & THESAURUS) > 0)
    order = np.lexsort((-counts, -priority, written))
    written, originals, relation = written[order], originals[order], relation[order]
    first = np.searchsorted(written, written)
    keep = np.arange(len(written)) - first < MAX_ORIGINS
    return written[keep], originals[keep], relation[keep]


@lru_cache(maxsize=1)
def collocations(user_rules: tuple[tuple[str, str], ...] = ()) -> Collocations:
    """The expression and origin tables of the shipped data plus ``user_rules``
    (``rule_pairs`` output): the expected phrases of the tortured-phrase list and the rules'
    originals are spinner targets; the shipped spinner rules and one-word user rules join
    the thesaurus and WordNet as ways a word may be written for another."""
    if not user_rules:
        return _collocations_of(_shipped_tables(), known_rules())
    targets = [expected for _, expected in shipped_phrases()]
    targets += [original for original, _ in user_rules]
    return build_collocations(targets, known_rules() | set(user_rules))


def table_arrays() -> dict[str, np.ndarray]:
    """The arrays of ``TABLES_PATH``: ``known_phrases()`` and ``collocations()`` of the
    shipped data, built (for ``scripts/build_screen_tables.py``)."""
    targets = [expected for _, expected in shipped_phrases()]
    return {
        **_known_arrays(build_known_phrases(_phrase_entries(()))),
        **_collocation_arrays(targets, known_rules()),
    }


def table_sources() -> dict[str, str]:
    """What ``TABLES_PATH`` was built from, as its header records it and loading checks it:
    the vocabulary its ids number, and the sha256 of the two lists it reads, so that a
    rebuilt lexicon or list with a stale table is an error, not wrong findings."""
    return {
        "vocabulary_sha256": vocabulary().sha256,
        "tortured_phrases_sha256": hashlib.sha256(PHRASES_PATH.read_bytes()).hexdigest(),
        "spinner_rules_sha256": hashlib.sha256(RULES_PATH.read_bytes()).hexdigest(),
    }


@lru_cache(maxsize=1)
def _shipped_tables(path: Path = TABLES_PATH) -> MappedTable:
    return load_table(path, kind="screen_tables", version=TABLES_VERSION, expect=table_sources(),
                      error=LexiconDataError)


def build_collocations(
    targets: Iterable[str],
    rules: Iterable[tuple[str, str]],
    *,
    sources_used: int = FREQUENT | WORDNET_LEMMA | SPINNER_TARGET,
    relations_used: int = THESAURUS | WORDNET | RULE,
) -> Collocations:
    """The tables for the given spinner ``targets`` (phrases) and word ``rules``
    (original, replacement); ``sources_used`` and ``relations_used`` leave kinds of
    expression or relation out (for the ablation in benchmarks/screen_quality.py)."""
    rules = list(rules)
    arrays = _collocation_arrays(targets, rules, sources_used=sources_used, relations_used=relations_used)
    return _collocations_of(arrays, rules)


def _collocation_arrays(
    targets: Iterable[str],
    rules: Iterable[tuple[str, str]],
    *,
    sources_used: int = FREQUENT | WORDNET_LEMMA | SPINNER_TARGET,
    relations_used: int = THESAURUS | WORDNET | RULE,
) -> dict[str, np.ndarray]:
    """What ``build_collocations`` builds, as table arrays (the expression phrases as
    ``string_arrays`` under ``phrase_``)."""
    rules = list(rules)
    firsts, seconds, counts, sources, pmis = _expression_pairs(targets)
    used = (sources & sources_used) > 0
    firsts = [word for word, keep in zip(firsts, used.tolist()) if keep]
    seconds = [word for word, keep in zip(seconds, used.tolist()) if keep]
    counts, sources, pmis = counts[used], sources[used] & sources_used, pmis[used]
    words = list(dict.fromkeys(firsts + seconds))
    position = {word: i for i, word in enumerate(words)}
    indptr, forms = _word_forms(words)
    first_rows = np.fromiter(map(position.__getitem__, firsts), dtype=np.int64, count=len(firsts))
    second_rows = np.fromiter(map(position.__getitem__, seconds), dtype=np.int64, count=len(seconds))
    # Every (form of first, form of second) of each expression.
    first_forms, expression = range_indices(indptr[first_rows], indptr[first_rows + 1])
    second_start, second_stop = indptr[second_rows][expression], indptr[second_rows + 1][expression]
    second_forms, pair = range_indices(second_start, second_stop)
    a, b, row = forms[first_forms[pair]], forms[second_forms], expression[pair]
    keys = (a.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64)
    unique, inverse = np.unique(keys, return_inverse=True)
    inverse = inverse.reshape(-1)
    key_counts = np.zeros(unique.size, dtype=np.int64)
    np.maximum.at(key_counts, inverse, counts[row])
    key_sources = np.zeros(unique.size, dtype=np.int64)
    np.bitwise_or.at(key_sources, inverse, sources[row])
    key_pmis = np.zeros(unique.size, dtype=np.float64)
    np.maximum.at(key_pmis, inverse, pmis[row])
    # Each key is reported as the expression that gave it (the first in list order).
    first_row = np.full(unique.size, len(firsts), dtype=np.int64)
    np.minimum.at(first_row, inverse, row)
    key_phrases = [f"{firsts[i]} {seconds[i]}" for i in first_row.tolist()]
    # The origins worth keeping are words of some expression.
    first_words = np.zeros(len(vocabulary()), dtype=bool)
    first_words[(unique >> np.uint64(32)).astype(np.int64)] = True
    second_words = np.zeros(len(vocabulary()), dtype=bool)
    second_words[(unique & np.uint64(0xFFFFFFFF)).astype(np.int64)] = True
    in_expression = first_words | second_words
    originals, written, relation = _relation_pairs(rules)
    relation = relation & relations_used
    keep = in_expression[originals] & (relation > 0)
    written, originals, relation = written[keep], originals[keep], relation[keep]
    written, originals, relation = _likeliest_origins(written, originals, relation)
    origins_indptr = np.zeros(in_expression.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(written, minlength=in_expression.size), out=origins_indptr[1:])
    return {
        "keys": unique,
        "counts": key_counts,
        "sources": key_sources,
        "pmis": key_pmis,
        **string_arrays(key_phrases, "phrase_"),
        "word_counts": bigrams.unigram_counts(vocabulary().words),
        "origins_indptr": origins_indptr,
        "origins_ids": originals.astype(np.int64),
        "origins_relations": relation.astype(np.int64),
        "first_words": first_words,
        "second_words": second_words,
    }


def _collocations_of(
    arrays: MappedTable | Mapping[str, np.ndarray], rules: Iterable[tuple[str, str]]
) -> Collocations:
    """The ``Collocations`` of ``_collocation_arrays``' arrays (built, or mapped from
    ``TABLES_PATH``) and the ``rules`` they were built with."""
    # The table stores ids, bits and flags in narrower types (``SHIPPED_DTYPES``); in memory
    # they are what the build makes.
    keys = np.asarray(arrays["keys"], dtype=np.uint64)
    originals = np.asarray(arrays["origins_ids"], dtype=np.int64)
    relation = np.asarray(arrays["origins_relations"], dtype=np.int64)
    first_words = np.asarray(arrays["first_words"], dtype=bool)
    second_words = np.asarray(arrays["second_words"], dtype=bool)
    every = Origins(np.asarray(arrays["origins_indptr"], dtype=np.int64), originals, relation)
    strong = (relation & (WORDNET | RULE)) > 0
    return Collocations(
        keys=keys,
        counts=np.asarray(arrays["counts"], dtype=np.int64),
        sources=np.asarray(arrays["sources"], dtype=np.int64),
        pmis=np.asarray(arrays["pmis"], dtype=np.float64),
        phrases=tuple(strings(arrays, "phrase_")),
        word_counts=np.asarray(arrays["word_counts"], dtype=np.int64),
        key_set=KeySet(keys),
        origins_indptr=every.indptr,
        origins_ids=originals,
        origins_relations=relation,
        first_words=first_words,
        second_words=second_words,
        first_origins=every.where(first_words[originals]),
        second_origins=every.where(second_words[originals]),
        strong_first_origins=every.where(strong & first_words[originals]),
        strong_second_origins=every.where(strong & second_words[originals]),
        rule_originals=rule_originals(rules),
    )


def rule_originals(rules: Iterable[tuple[str, str]]) -> dict[str, tuple[int, ...]]:
    """Replacement -> vocabulary ids of the originals a rule of one original word turns
    into it ("nice" <- "fine"), in the rules' sorted order.

    >>> ids = rule_originals([("fine", "nice"), ("legal action", "legal motion")])["nice"]
    >>> [vocabulary().words[i] for i in ids]
    ['fine']
    """
    one_word = [(original, replacement) for original, replacement in sorted(set(rules))
                if " " not in original]
    ids = vocabulary().find([original for original, _ in one_word])
    originals: dict[str, list[int]] = {}
    for (_, replacement), original_id in zip(one_word, ids.tolist()):
        if original_id >= 0:
            originals.setdefault(replacement, []).append(original_id)
    return {replacement: tuple(found) for replacement, found in originals.items()}
