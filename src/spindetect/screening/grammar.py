"""Find words that cannot stand where the text has them: the grammar a spinner breaks.

Part of screening: ``detect.find_hits`` runs it over a batch joined, beside the phrase
finders. A spinner swaps words for thesaurus entries without reading the sentence, so its
output has words that cannot fill their slot. The checks read issue 16's in-context signals
(``score.context``) from the text's own neighbours, as there is no original to compare with:

- ``article``: "a"/"an" before a word that wants the other ("an sign"; ``needs_an``);
- ``after_determiner``: after an article or a possessive, a word that can be neither the
  noun its phrase needs nor an adjective before one ("a nice of 500 euros";
  ``narrowed_slot`` with the POS sets of ``WordClasses``);
- ``after_subject``: after a modal or a subject pronoun, a word that can be no verb ("they
  anticipation it");
- ``after_preposition``: a bare verb where a preposition wants a noun phrase ("towards be");
- ``valency``: a two-word verb that takes no object (WordNet's verb frames,
  ``verb_frames``), followed by one ("ready to go away markets"; ``object_follows``).

Only slots the neighbours make sure of are read: a word that can be an adverb (which fits
almost anywhere), a participle or comparative, a name or a word in capitals is not judged.
Each candidate carries ``GRAMMAR_FEATURES`` (its check, and how usual its word pairs are in
the Google Books counts) for the model to score; ``expected_fixes`` names, for the ones
reported, a thesaurus entry of the word that fits the slot and its neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .. import bigrams, lexicon
from .._arrays import range_indices
from ..lexicon.batch import WordLookups
from ..lexicon.loading import moby, vocabulary
from ..score.context import (
    ADJECTIVE,
    ADVERB,
    COPULAR_FRAMES,
    DETERMINERS,
    MODALS,
    NOUN,
    OBJECT_PRONOUNS,
    PREPOSITIONS,
    SUBJECT_PRONOUNS,
    TRANSITIVE_FRAMES,
    VERB,
    WordClasses,
    narrowed_slot,
    needs_an,
    object_follows,
    verb_frames,
)

__all__ = [
    "CHECKS",
    "Forms",
    "GRAMMAR_FEATURES",
    "GrammarCandidates",
    "expected_fixes",
    "grammar_candidates",
]

#: The checks, in the order of the first GRAMMAR_FEATURES (one-hot).
CHECKS: tuple[str, ...] = (
    "article", "after_determiner", "after_subject", "after_preposition", "valency",
)
ARTICLE, AFTER_DETERMINER, AFTER_SUBJECT, AFTER_PREPOSITION, VALENCY = range(len(CHECKS))

#: The evidence of one candidate, in the order of its feature row.
GRAMMAR_FEATURES: tuple[str, ...] = (
    *CHECKS,
    "break_pair",  # log10(1 + Google Books count of the word pair the check reads as broken)
    "other_pair",  # ... of the judged word's pair on the other side
    "word_frequency",  # log10 count of the judged word (a phrase's first word)
    "other_article_pair",  # "article" only: log10(1 + count of the other article with the word)
)

# Articles and possessives: the slot after them is a noun phrase's. "his", "her", "this",
# "that", "these", "those", "each", "no" also stand alone as pronouns or adverbs ("this
# allows us", "no longer"), so the slot after them is not sure.
ARTICLES_AND_POSSESSIVES = frozenset("a an the my your its our their every".split())
assert ARTICLES_AND_POSSESSIVES <= DETERMINERS
# After these a verb comes. "do" is a main verb as often ("do business"), "you" an object,
# and "we" and "you" take a noun beside them ("we priests").
SUBJECTS = (MODALS - {"do", "does", "did"}) | (SUBJECT_PRONOUNS - {"you", "we"})
# After these a noun phrase begins. "to" also marks an infinitive, and the others left out
# are conjunctions too ("since asked", "before passed").
NOUN_PHRASE_PREPOSITIONS = PREPOSITIONS - {"to", "since", "until", "before", "after", "for"}
# Particles that are prepositions as well: a two-word verb ending in one may have an object
# after it ("came along the road"), so only other particles ("away", "forth") are read.
PARTICLE_PREPOSITIONS = frozenset(
    "up down off out along around round about across over through past by back forward in "
    "on home ahead behind".split()
)
# Words that open an object after a verb (a noun that can be nothing else opens one too).
# "it", "this", "that", "every" and the like are as often a clause or a time ("went away
# this morning").
OBJECT_STARTS = frozenset("a an the my your his her its our their me him us them".split())
assert OBJECT_STARTS <= DETERMINERS | OBJECT_PRONOUNS
# "and", "or", "but" end no phrase for the article check: "a legal and political problem".
COORDINATORS = frozenset("and or but".split())
# The shortest word judged: shorter ones are mostly pieces of contractions and dialect.
MIN_WORD = 3
# Count assumed for a word the Google Books list does not have (its floor is about 12,700).
_UNLISTED_WORD = 5_000.0

# Closed-class bits of a word, for one look-up per distinct word of a batch.
(_A, _AN, _DETERMINER, _SUBJECT, _PREPOSITION, _PARTICLE_PREPOSITION, _OBJECT, _COORDINATOR,
 _THE, _MODAL) = (1 << k for k in range(10))
_CLASS_BITS: dict[str, int] = {}
for _bits, _words in (
    (_A, {"a"}), (_AN, {"an"}), (_DETERMINER, ARTICLES_AND_POSSESSIVES), (_SUBJECT, SUBJECTS),
    (_PREPOSITION, NOUN_PHRASE_PREPOSITIONS), (_PARTICLE_PREPOSITION, PARTICLE_PREPOSITIONS | PREPOSITIONS),
    (_OBJECT, OBJECT_STARTS), (_COORDINATOR, COORDINATORS), (_THE, {"the"}), (_MODAL, MODALS),
):
    for _word in _words:
        _CLASS_BITS[_word] = _CLASS_BITS.get(_word, 0) | _bits


@dataclass(frozen=True)
class GrammarCandidates:
    """The candidates of a batch, one entry per candidate: tokens ``[starts, stops)`` of the
    batch joined, the ``judged`` tokens ``[judged, judged_stops)`` (the word or phrase that
    cannot fill its slot), the check (index into CHECKS), the slot's POS bits and the
    GRAMMAR_FEATURES rows."""

    starts: np.ndarray
    stops: np.ndarray
    judged: np.ndarray
    judged_stops: np.ndarray
    checks: np.ndarray
    slots: np.ndarray
    features: np.ndarray

    @classmethod
    def empty(cls) -> GrammarCandidates:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, none, none, none, none,
                   np.zeros((0, len(GRAMMAR_FEATURES)), dtype=np.float64))

    def __len__(self) -> int:
        return len(self.starts)


@dataclass(frozen=True)
class _Batch:
    """What the checks read of a batch joined: per token its vocabulary id and whether it is
    written in lower case, its neighbours' ids (``none``, one past the vocabulary, where a
    phrase-ending character or the text's edge comes between), and per vocabulary word its
    closed-class bits, POS bits, inflection bits and Google Books count and id."""

    words: list[str]
    token_vocab: np.ndarray
    lowercase: np.ndarray
    left: np.ndarray
    right: np.ndarray
    none: int
    classes: np.ndarray
    pos: np.ndarray
    inflected: np.ndarray
    counts: np.ndarray
    table_ids: np.ndarray
    content: np.ndarray


def grammar_candidates(
    vocabulary: Sequence[str], token_vocab: np.ndarray, breaks: np.ndarray,
    lowercase: np.ndarray, skip: np.ndarray, table_ids: np.ndarray, counts: np.ndarray,
    content: np.ndarray, classes: WordClasses,
) -> GrammarCandidates:
    """Every candidate of a batch joined: ``token_vocab`` (vocabulary id per token),
    ``breaks`` (a phrase-ending character after each token), ``lowercase`` (the token is
    written starting with a lower-case ASCII letter), ``skip`` (tokens not to judge or read
    as a neighbour: inside a finding already, or part of a compound or elision), and per
    vocabulary word its Google Books id and count, whether it is a content word and its
    parts of speech (``detect.BatchWords``)."""
    count = len(token_vocab)
    if count < 2:
        return GrammarCandidates.empty()
    batch = _read_batch(vocabulary, token_vocab, breaks, lowercase, table_ids, counts, content,
                        classes)
    judged_ok = content[token_vocab] & lowercase & ~skip
    judged_ok[1:] &= ~skip[:-1]
    left_plain = _left_plain(batch)
    sure = _judgeable(batch, judged_ok) & left_plain
    parts = [
        _article(batch, judged_ok),
        _after_determiner(batch, sure),
        _after_subject(batch, sure),
        _after_preposition(batch, lowercase & ~skip & np.append(False, ~skip[:-1]) & left_plain),
        _valency(batch, judged_ok, breaks),
    ]
    columns = [np.concatenate([part[k] for part in parts]) for k in range(6)]
    starts, stops, judged, judged_stops, checks, slots = columns
    order = np.lexsort((checks, starts))
    starts, stops, judged, judged_stops, checks, slots = (
        column[order] for column in (starts, stops, judged, judged_stops, checks, slots)
    )
    return GrammarCandidates(starts, stops, judged, judged_stops, checks, slots,
                             _features(batch, judged, judged_stops, checks))


def _read_batch(
    vocabulary: Sequence[str], token_vocab: np.ndarray, breaks: np.ndarray,
    lowercase: np.ndarray, table_ids: np.ndarray, counts: np.ndarray, content: np.ndarray,
    word_classes: WordClasses,
) -> _Batch:
    words = [*vocabulary, ""]
    none = len(vocabulary)
    count = len(token_vocab)
    left = np.full(count, none, dtype=np.int64)
    right = np.full(count, none, dtype=np.int64)
    linked = np.flatnonzero(~breaks[:-1])
    left[linked + 1] = token_vocab[linked]
    right[linked] = token_vocab[linked + 1]
    classes = np.fromiter(map(_CLASS_BITS.get, words, repeat(0)), dtype=np.int64, count=len(words))
    classes[none] = 0
    return _Batch(
        words=words, token_vocab=token_vocab, lowercase=lowercase, left=left, right=right,
        none=none, classes=classes, pos=np.append(word_classes.pos_bits, 0),
        inflected=np.append(word_classes.inflected_bits, 0),
        counts=np.append(counts, 0), table_ids=np.append(table_ids, -1),
        content=np.append(content, False),
    )


_Part = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _part(starts: np.ndarray, stops: np.ndarray, judged: np.ndarray, judged_stops: np.ndarray,
          check: int, slots: np.ndarray) -> _Part:
    return (starts, stops, judged, judged_stops,
            np.full(len(starts), check, dtype=np.int64), slots.astype(np.int64))


def _left_plain(batch: _Batch) -> np.ndarray:
    """Whether each token has a left neighbour written in lower case or starting a phrase
    ("They", not "May sales" or "Will Smith")."""
    result = np.zeros(len(batch.token_vocab), dtype=bool)
    result[1:] = batch.lowercase[:-1] | (batch.left[:-1] == batch.none)
    return result & (batch.left != batch.none)


def _article(batch: _Batch, judged_ok: np.ndarray) -> _Part:
    """ "a"/"an" just before a word that can be a noun or adjective and wants the other."""
    left_class = batch.classes[batch.left]
    words = batch.token_vocab
    positions = np.flatnonzero(
        judged_ok & ((left_class & (_A | _AN)) > 0) & ((batch.pos[words] & (NOUN | ADJECTIVE)) > 0)
    )
    distinct = np.unique(words[positions])
    wants_an = np.zeros(len(batch.words), dtype=bool)
    wants_an[distinct] = np.fromiter(
        (needs_an(batch.words[i]) for i in distinct.tolist()), dtype=bool, count=len(distinct)
    )
    written_an = (left_class[positions] & _AN) > 0
    positions = positions[wants_an[words[positions]] != written_an]
    return _part(positions - 1, positions + 1, positions, positions + 1, ARTICLE,
                 np.full(len(positions), NOUN | ADJECTIVE))


def _slot_candidates(batch: _Batch, positions: np.ndarray) -> np.ndarray:
    """The slot (``narrowed_slot``) of each position, read once per distinct context."""
    words, pos = batch.token_vocab[positions], batch.pos
    left, right = batch.left[positions], batch.right[positions]
    keys = list(zip(left.tolist(), right.tolist(), ((pos[words] & VERB) > 0).tolist()))
    slots = {
        key: narrowed_slot(batch.words[key[0]], batch.words[key[1]], int(pos[key[0]]),
                           int(pos[key[1]]), key[2])
        for key in dict.fromkeys(keys)
    }
    return np.fromiter(map(slots.__getitem__, keys), dtype=np.int64, count=len(keys))


def _judgeable(batch: _Batch, judged_ok: np.ndarray) -> np.ndarray:
    """Words whose part of speech is sure enough to judge: known to WordNet, no adverb, no
    participle or comparative, not too short."""
    words = batch.token_vocab
    pos = batch.pos[words]
    long_enough = np.fromiter(map(len, batch.words), dtype=np.int64, count=len(batch.words))
    return (judged_ok & (pos > 0) & ((pos & ADVERB) == 0)
            & ((batch.inflected[words] & (VERB | ADJECTIVE)) == 0)
            & (long_enough[words] >= MIN_WORD))


def _after_determiner(batch: _Batch, sure: np.ndarray) -> _Part:
    """After an article or possessive, a word that is neither noun nor (before a noun)
    adjective, where a word follows that is no "and", "or", "but". After "the" an adjective
    may stand for its people ("the rich", "the beautiful in art"): only a word that can be
    neither is judged there. ``sure``: the tokens judgeable after a plain left neighbour."""
    pos = batch.pos[batch.token_vocab]
    right_class, left_class = batch.classes[batch.right], batch.classes[batch.left]
    positions = np.flatnonzero(
        sure & ((left_class & _DETERMINER) > 0) & ((pos & NOUN) == 0)
        & (((left_class & _THE) == 0) | ((pos & ADJECTIVE) == 0))
        & (batch.right != batch.none) & ((right_class & _COORDINATOR) == 0)
    )
    slots = _slot_candidates(batch, positions)
    broken = (slots & pos[positions]) == 0
    positions, slots = positions[broken], slots[broken]
    return _part(positions, positions + 1, positions, positions + 1, AFTER_DETERMINER, slots)


def _after_subject(batch: _Batch, sure: np.ndarray) -> _Part:
    """After a modal or a subject pronoun, a word that can be no verb. A modal written with
    a capital opens a question ("Can you") or is a name or month ("May sales"): not read.
    ``sure``: the tokens judgeable after a plain left neighbour."""
    pos = batch.pos[batch.token_vocab]
    left_class = batch.classes[batch.left]
    left_lower = np.append(False, batch.lowercase[:-1])
    positions = np.flatnonzero(
        sure & ((left_class & _SUBJECT) > 0)
        & (((left_class & _MODAL) == 0) | left_lower) & ((pos & VERB) == 0)
    )
    slots = _slot_candidates(batch, positions)
    broken = (slots & pos[positions]) == 0
    positions, slots = positions[broken], slots[broken]
    return _part(positions, positions + 1, positions, positions + 1, AFTER_SUBJECT, slots)


def _after_preposition(batch: _Batch, written_ok: np.ndarray) -> _Part:
    """A preposition before a bare verb (a verb only, in its base form; or "be").
    ``written_ok``: tokens that may be read, after a plain left neighbour."""
    words = batch.token_vocab
    pos, inflected = batch.pos[words], batch.inflected[words]
    be = batch.words.index("be") if "be" in batch.words else -1
    verb = (batch.content[words] & (pos == VERB) & ((inflected & VERB) == 0)) | (words == be)
    positions = np.flatnonzero(
        written_ok & verb
        & ((batch.classes[batch.left] & _PREPOSITION) > 0)
    )
    return _part(positions - 1, positions + 1, positions - 1, positions, AFTER_PREPOSITION,
                 np.full(len(positions), NOUN | ADJECTIVE))


def _valency(batch: _Batch, judged_ok: np.ndarray, breaks: np.ndarray) -> _Part:
    """A two-word verb ("go away") whose every sense takes no object, followed by one."""
    words, pos, classes = batch.token_vocab, batch.pos, batch.classes
    # (A two-word verb starts with a verb: "go away", "went away".)
    first = np.flatnonzero(judged_ok[:-2] & ~breaks[:-2] & ~breaks[1:-1]
                           & ((pos[words[:-2]] & VERB) > 0))
    particle, after = words[first + 1], words[first + 2]
    keep = (
        batch.lowercase[first + 1] & batch.lowercase[first + 2]
        & ((pos[particle] & ADVERB) > 0) & ((classes[particle] & _PARTICLE_PREPOSITION) == 0)
        & (((classes[after] & _OBJECT) > 0)
           | (((pos[after] & (NOUN | ADVERB)) == NOUN) & batch.content[after]))
    )
    first = first[keep]
    phrases = [f"{batch.words[a]} {batch.words[b]}"
               for a, b in zip(words[first].tolist(), words[first + 1].tolist())]
    if not phrases:
        none = np.zeros(0, dtype=np.int64)
        return _part(none, none, none, none, VALENCY, none)
    distinct = list(dict.fromkeys(phrases))
    phrase_classes = WordClasses.of(distinct)
    rows = phrase_classes.ids(phrases)
    frames = verb_frames(phrase_classes, rows)
    after = words[first + 2]
    intransitive = (
        ((phrase_classes.pos_bits[rows] & VERB) > 0) & (frames > 0)
        & ((frames & np.uint64(TRANSITIVE_FRAMES | COPULAR_FRAMES)) == 0)
        & object_follows([batch.words[i] for i in after.tolist()], pos[after])
    )
    first = first[intransitive]
    # The slot must allow a verb, read as for a one-word verb with the object after it.
    keys = list(zip(batch.left[first].tolist(), words[first + 2].tolist()))
    slots = np.fromiter(
        (narrowed_slot(batch.words[left], batch.words[right], int(pos[left]), int(pos[right]), True)
         for left, right in keys),
        dtype=np.int64, count=len(keys),
    )
    verb_slot = (slots & VERB) > 0
    first = first[verb_slot]
    return _part(first, first + 2, first, first + 2, VALENCY, np.full(len(first), VERB))


def _features(batch: _Batch, judged: np.ndarray, judged_stops: np.ndarray,
              checks: np.ndarray) -> np.ndarray:
    """GRAMMAR_FEATURES of each candidate (float64 rows)."""
    words, table_ids = batch.token_vocab, batch.table_ids
    first_word, last_word = words[judged], words[judged_stops - 1]
    left, right = batch.left[judged], batch.right[judged_stops - 1]

    def pair_log(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.log10(1.0 + bigrams.pair_counts(table_ids[a], table_ids[b]).astype(np.float64))

    left_pair, right_pair = pair_log(left, first_word), pair_log(last_word, right)
    # The break is on the left of the judged word in "an sign" and "they anticipation", on
    # its right in "a nice of", "go away markets" and "towards be" (the preposition is judged).
    break_on_right = (checks == AFTER_DETERMINER) | (checks == VALENCY) | (checks == AFTER_PREPOSITION)

    one_hot = (checks[:, None] == np.arange(len(CHECKS))[None, :]).astype(np.float64)
    # The other article: "a" for "an" and "an" for "a".
    article = checks == ARTICLE
    other = np.full(len(checks), -1, dtype=np.int64)
    other_ids = bigrams.word_ids(["an", "a"])
    other[article] = np.where((batch.classes[left[article]] & _A) > 0, other_ids[0], other_ids[1])
    other_pair = np.where(
        article,
        np.log10(1.0 + bigrams.pair_counts(other, table_ids[first_word]).astype(np.float64)),
        0.0,
    )
    return np.column_stack([
        one_hot,
        np.where(break_on_right, right_pair, left_pair),
        np.where(break_on_right, left_pair, right_pair),
        np.log10(np.maximum(batch.counts[first_word].astype(np.float64), _UNLISTED_WORD)),
        other_pair,
    ])


# --------------------------------------------------------------------------- expected


def expected_fixes(
    norms: Sequence[str], breaks: np.ndarray, starts: np.ndarray, stops: np.ndarray,
    judged: np.ndarray, judged_stops: np.ndarray, checks: np.ndarray, slots: np.ndarray,
    originals: dict[str, tuple[int, ...]], forms: Forms | None = None,
) -> list[str]:
    """For candidates of a batch joined (``norms``, ``breaks`` as ``grammar_candidates``
    read them): the likely original of each span, "" where none can be named. ``forms``
    gives the thesaurus forms of the batch's words looked up already, if any;
    ``originals`` the originals of the spinner rules in use (``Collocations.rule_originals``).

    The original is the span with the judged word or phrase replaced by a thesaurus entry of
    it (Moby, under the word or its base forms; or the original of a spinner rule that
    gives it, the shipped ones and the user's) that can fill the slot (its part of speech;
    for "a"/"an" the sound the article wants; for a verb before an object, a verb that takes
    one) and whose word pairs with both neighbours are listed in the Google Books counts:
    the original of a known spinner rule that gives the word wins, then the commonest pair
    (a word of the judged phrase itself, or its base form, is no fix: "went away" is not "go").
    """
    count = len(starts)
    if count == 0:
        return []
    token_count = len(norms)
    judged_words = [" ".join(norms[a:b]) for a, b in zip(judged.tolist(), judged_stops.tolist())]
    before = [norms[i - 1] if i > 0 and not breaks[i - 1] else "" for i in judged.tolist()]
    after = [norms[i] if i < token_count and not breaks[i - 1] else "" for i in judged_stops.tolist()]
    forms = forms or Forms.empty()
    entries, owner, from_rule = _thesaurus_entries(
        judged_words, forms, originals
    )
    # Both neighbour pairs listed (where there is a neighbour).
    entry_table = bigrams.vocabulary_word_ids()[entries]
    has_left = np.array([bool(word) for word in before])[owner]
    # (The object after a verb is often a pair too rare to be listed: only the left one counts.)
    has_right = np.array([bool(word) for word in after])[owner] & (checks[owner] != VALENCY)
    left_counts = bigrams.pair_counts(bigrams.word_ids(before)[owner], entry_table)
    right_counts = bigrams.pair_counts(entry_table, bigrams.word_ids(after)[owner])
    kept = np.flatnonzero((entry_table >= 0) & (~has_left | (left_counts > 0))
                          & (~has_right | (right_counts > 0)))
    kept = kept[_fits_slot(entries[kept], owner[kept], checks, slots, before)]
    kept = kept[~_own_words(entries[kept], owner[kept], judged_words, forms)]
    entries, owner, from_rule = entries[kept], owner[kept], from_rule[kept]
    pair_count = np.minimum(np.where(has_left[kept], left_counts[kept], 1 << 62),
                            np.where(has_right[kept], right_counts[kept], 1 << 62))
    # A known spinner rule's original first, then the commonest pairs, then the first listed.
    order = np.lexsort((np.arange(len(kept)), -pair_count, ~from_rule, owner))
    first = order[np.r_[True, owner[order][1:] != owner[order][:-1]]] if len(order) else order
    words = vocabulary().words
    best = dict(zip(owner[first].tolist(), (words[i] for i in entries[first].tolist())))
    fixes = []
    for candidate in range(count):
        if candidate not in best:
            fixes.append("")
            continue
        written = norms[int(starts[candidate]) : int(stops[candidate])]
        offset = int(judged[candidate] - starts[candidate])
        length = int(judged_stops[candidate] - judged[candidate])
        fixes.append(" ".join([*written[:offset], best[candidate], *written[offset + length :]]))
    return fixes


def _own_words(entries: np.ndarray, owner: np.ndarray, judged_words: list[str],
               forms: Forms) -> np.ndarray:
    """Whether each entry is a word of its candidate's judged phrase or a base form of one."""
    phrase_words = [phrase.split() for phrase in judged_words]
    words = [word for each in phrase_words for word in each]
    form_ids, of_word = forms.of(words)  # each word's own id and base forms
    candidate = np.repeat(np.arange(len(judged_words), dtype=np.int64),
                          [len(each) for each in phrase_words])
    own_keys = (candidate[of_word].astype(np.uint64) << np.uint64(32)) | form_ids.astype(np.uint64)
    keys = (owner.astype(np.uint64) << np.uint64(32)) | entries.astype(np.uint64)
    result: np.ndarray = np.isin(keys, own_keys)
    return result


@dataclass(frozen=True)
class Forms:
    """Thesaurus forms (``lexicon.batch.WordLookups.moby_forms``: a word's own vocabulary id and
    its base forms, as a CSR) of some words looked up already, by word."""

    rows: dict[str, int]
    indptr: np.ndarray
    ids: np.ndarray

    @classmethod
    def empty(cls) -> Forms:
        return cls({}, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64))

    def of(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(form id, word index) of every form of each word; words not looked up yet are."""
        missing = list(dict.fromkeys(word for word in words if word not in self.rows))
        indptr, ids, rows = self.indptr, self.ids, self.rows
        if missing:
            extra_indptr, extra_ids = WordLookups.of(missing).moby_forms
            rows = {**rows, **{word: len(indptr) - 1 + k for k, word in enumerate(missing)}}
            indptr = np.concatenate([indptr, extra_indptr[1:] + indptr[-1]])
            ids = np.concatenate([ids, extra_ids])
        word_rows = np.fromiter(map(rows.__getitem__, words), dtype=np.int64, count=len(words))
        index, of_word = range_indices(indptr[word_rows], indptr[word_rows + 1])
        return ids[index], of_word


def _thesaurus_entries(
    judged_words: list[str], forms: Forms, originals: dict[str, tuple[int, ...]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(vocabulary id, candidate, from a rule) of every Moby entry under each judged word
    or its base forms, and of every original a spinner rule turns into it (``originals``,
    ``phrases.rule_originals``)."""
    vocabulary_ids, owner = forms.of(judged_words)
    entries, of_form = moby().entries(vocabulary_ids)
    owner = owner[of_form]
    ruled = [(candidate, original) for candidate, word in enumerate(judged_words)
             for original in originals.get(word, ())]
    rule_owner = np.array([candidate for candidate, _ in ruled], dtype=np.int64)
    rule_entries = np.array([original for _, original in ruled], dtype=np.int64)
    return (
        np.concatenate([entries, rule_entries]),
        np.concatenate([owner, rule_owner]),
        np.concatenate([np.zeros(len(entries), dtype=bool), np.ones(len(rule_entries), dtype=bool)]),
    )


def _fits_slot(entries: np.ndarray, owner: np.ndarray, checks: np.ndarray, slots: np.ndarray,
               before: list[str]) -> np.ndarray:
    """Whether each thesaurus entry (vocabulary id) can fill the slot of its candidate
    (``owner``); each distinct entry is looked up once."""
    if len(entries) == 0:
        return np.zeros(0, dtype=bool)
    distinct, row = np.unique(entries, return_inverse=True)
    every_word = vocabulary().words
    words = [every_word[i] for i in distinct.tolist()]
    classes = WordClasses.of(words)
    pos = classes.pos_bits[row]
    fits = (pos & slots[owner]) > 0
    check = checks[owner]
    article = np.flatnonzero(check == ARTICLE)
    if article.size:
        wants_an = np.fromiter(map(needs_an, words), dtype=bool, count=len(words))
        written_an = np.array([word == "an" for word in before], dtype=bool)
        fits[article] &= wants_an[row[article]] == written_an[owner[article]]
    valency = np.flatnonzero(check == VALENCY)
    if valency.size:
        transitive = (verb_frames(classes, np.arange(len(words))) & np.uint64(TRANSITIVE_FRAMES)) > 0
        fits[valency] &= transitive[row[valency]]
    # A preposition's fix is another function word ("towards be" -> "to be"), not judged here.
    preposition = np.flatnonzero(check == AFTER_PREPOSITION)
    if preposition.size:
        function = np.fromiter(map(lexicon.FUNCTION_WORDS.__contains__, words), dtype=bool,
                               count=len(words))
        fits[preposition] = function[row[preposition]]
    return fits
