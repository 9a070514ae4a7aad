"""Does a swap's replacement fit where it stands? Evidence from the words around each swap.

Part of the score stage. A spinner swaps a word for a thesaurus entry without looking at the
sentence; a person picks a word that fits it. Four kinds of evidence, each a few array passes
over a batch of swaps:

- **sense**: which WordNet sense of the original its context uses (simplified Lesk: overlap
  of the context with each sense's gloss words, SemCor frequency as the prior), and whether
  the replacement is a synonym in *that* sense ("country" the nation -> "rustic");
- **syntax**: whether the replacement can fill the original's slot: its part of speech ("a
  fine of" needs a noun; "nice" is none), its valency (WordNet's verb frames: "go away" takes
  no object, so "leave markets" -> "go away markets" breaks), and "a"/"an" before it;
- **collocation**: how usual the replacement is beside its neighbours, against the original
  beside its own (Google Books word-pair counts, ``bigrams``), and how much less likely the
  words read with it, by a bigram language model (``language_model``);
- **spinner habits**: a function word blown up into a phrase ("was" -> "used to be"), filler
  words with no counterpart ("is not" -> "is just not"), and the same rule applied again and
  again in one document (a spinner is a fixed dictionary; a person varies).

``context_evidence`` computes them all for a batch of swaps described by ``SwapWords``.
``context_py.py`` holds the plain, one-swap-at-a-time reference of each computation.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np

from .. import bigrams, language_model, lexicon
from .._arrays import range_indices
from .._tables import load_table
from ..lexicon.batch import vocabulary_ids as word_vocabulary_ids
from ..lexicon.batch import word_analyses
from ..lexicon.loading import DATA_DIR, LexiconDataError, WordNet, vocabulary
from ..lexicon.loading import wordnet as lexicon_wordnet

__all__ = [
    "CONTEXT_WINDOW",
    "ContextEvidence",
    "SENSES_VERSION",
    "SwapWords",
    "WordClasses",
    "article_agreement",
    "context_evidence",
    "function_habits",
    "inflections_lost",
    "modifier_participles",
    "narrowed_slot",
    "needs_an",
    "object_follows",
    "repeated_rules",
    "slot_classes",
    "verb_frames",
]

# Content words on each side of a swap that its sense is judged by: a clause, about.
CONTEXT_WINDOW = 8
# Weight of a shared context word against the log SemCor prior of a sense, in Lesk's choice:
# a word found in one signature only weighs LESK_OVERLAP_WEIGHT, a word in many less (its
# inverse document frequency over the signatures, scaled to [0, 1]), so "make" or "time"
# in a gloss decide nothing. With 2, one rare shared word outweighs a sense being e^2 (7x)
# rarer in SemCor.
LESK_OVERLAP_WEIGHT = 2.0

# Closed classes of English, for reading the slot a word stands in.
DETERMINERS = frozenset(
    "a an the this that these those my your his her its our their every each no another "
    "either neither".split()
)
PREPOSITIONS = frozenset(
    "of in on at by for with from into onto upon about over under between among through "
    "during without within against across after before behind beyond near since until via "
    "toward towards per throughout despite".split()
)
SUBJECT_PRONOUNS = frozenset("i you he she we they".split())
RELATIVE_PRONOUNS = frozenset("who which".split())
OBJECT_PRONOUNS = frozenset("me him her us them it you".split())
MODALS = frozenset("can could will would shall should may might must do does did".split())
FORMS_OF_BE = frozenset("is are was were be been being am".split())
DEGREE_ADVERBS = frozenset("very so too quite rather extremely really more most less least".split())
# Tokens after which a noun phrase has ended: a word between a determiner and one of these
# is the phrase's head, so a noun.
PHRASE_ENDERS = PREPOSITIONS | FORMS_OF_BE | MODALS | frozenset(
    "and or but that which who whom whose has have had to".split()
)
# Words a spinner adds for bulk with no counterpart in the source.
FILLER_WORDS = frozenset(
    "just also really actually indeed quite simply certainly truly possibly definitely "
    "absolutely basically merely single entire indisputable whole all".split()
)
# WordNet's verb frames with a direct object ("Somebody ----s something", ...): bit k is
# frame k of WordNet 3.0's frame list.
TRANSITIVE_FRAMES = sum(
    1 << frame for frame in (5, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 30, 31)
)
# WordNet's frames with an adjective or noun complement ("Something ----s Adjective/Noun",
# "Somebody ----s Adjective"): such a verb may have a noun or an adjective after it
# ("remained secret", "remained a friend").
COPULAR_FRAMES = (1 << 6) | (1 << 7)
NOUN, VERB, ADJECTIVE, ADVERB = 1, 2, 4, 8  # POS bits, WordNet's order n, v, a, r
ANY_POS = NOUN | VERB | ADJECTIVE | ADVERB


@dataclass(frozen=True)
class SwapWords:
    """The words of a batch of swaps and around them, one entry per swap.

    Neighbours are normalised tokens, ``""`` where the document ends (or, for one-sided
    edits, where there is nothing). ``context_words`` holds, for every swap, the content
    words of the reference within ``CONTEXT_WINDOW`` tokens of the original, flattened;
    ``context_swap`` says which swap each belongs to (int64, ascending).
    """

    originals: Sequence[tuple[str, ...]]
    replacements: Sequence[tuple[str, ...]]
    reference_before: Sequence[str]
    reference_after: Sequence[str]
    article_before: Sequence[str]
    article_after: Sequence[str]
    context_words: Sequence[str]
    context_swap: np.ndarray
    document: np.ndarray  # int64: the document of each swap


@dataclass(frozen=True)
class ContextEvidence:
    """What the words around each swap say, one float64 entry per swap (NaN: no verdict)."""

    sense_fit: np.ndarray  # 1: a synonym in the sense the context uses; 0: not; NaN: unknown
    sense_blind: np.ndarray  # 1: a synonym only in a sense the context does not use
    pos_mismatch: np.ndarray  # 1: cannot be the part of speech the slot needs; NaN: unknown
    valency_break: np.ndarray  # 1: an object follows, the replacement verb takes none
    article_agreement: np.ndarray  # 1: "a"/"an" before it no longer agrees
    collocation_left: np.ndarray  # log10 word-pair count drop with the left neighbour
    collocation_right: np.ndarray  # ... with the right neighbour
    collocation_lost: np.ndarray  # sides where the original's pair is listed, the new one not
    fluency_drop: np.ndarray  # log10: how much less likely the words read with the replacement
    function_expansion: np.ndarray  # function words blown up into a longer phrase
    function_swap: np.ndarray  # function words for other function words, same length
    function_to_content: np.ndarray  # function words replaced by content words ("have" -> "possess")
    inflection_lost: np.ndarray  # an inflected word for a bare one ("countries" -> "nation")
    filler: np.ndarray  # filler words added with no counterpart
    repeated_rule: np.ndarray  # other swaps of the same rule in the document (up to 3)


# A document of at least TITLE_CASE_WORDS words, TITLE_CASE_SHARE of which begin with a
# capital, is written in title case: running text capitalises one word in ten or so, a
# sentence dense with names ("Microsoft Corp. said Tuesday ...") one in three, and a
# headline ("Court Imposes a Fine of 500,000 Euros on Telegram") two in three or more. In
# title case a capital marks no name, so scoring (``score._capitalised``) and screening's
# grammar finder read such words as lower-case ones.
TITLE_CASE_SHARE = 0.6
TITLE_CASE_WORDS = 3


def title_case(letters: np.ndarray, capitals: np.ndarray) -> np.ndarray:
    """Whether texts with ``letters`` words beginning with a letter, ``capitals`` of them
    with a capital, are written in title case (bool per text).

    >>> title_case(np.array([8, 8, 2]), np.array([7, 1, 2])).tolist()
    [True, False, False]
    """
    result: np.ndarray = (letters >= TITLE_CASE_WORDS) & (capitals >= TITLE_CASE_SHARE * letters)
    return result


def title_case_texts(initials: np.ndarray, text_of_token: np.ndarray, texts: int) -> np.ndarray:
    """For ``texts`` texts joined, whether each is written in title case, from the code
    point of each token's first character (``initials``) and the text each token is in;
    words count that begin with a letter A to Z, either case.

    >>> initials = np.array([ord(c) for c in "CIAF" + "cia"])
    >>> title_case_texts(initials, np.array([0, 0, 0, 0, 1, 1, 1]), 2).tolist()
    [True, False]
    """
    lower = (initials >= ord("a")) & (initials <= ord("z"))
    upper = (initials >= ord("A")) & (initials <= ord("Z"))
    letters = np.bincount(text_of_token, weights=(lower | upper).astype(np.float64), minlength=texts)
    capitals = np.bincount(text_of_token, weights=upper.astype(np.float64), minlength=texts)
    return title_case(letters, capitals)


# --------------------------------------------------------------------------- data


#: Layout version of ``data/senses.table``; must equal ``scripts/build_senses.py``'s.
SENSES_VERSION = 1


@dataclass(frozen=True)
class _SenseData:
    signature_keys: np.ndarray  # sorted uint64: synset << 32 | vocabulary id of a gloss word
    word_weight: np.ndarray  # float64 per vocabulary id: idf over the signatures, in [0, 1]
    verb_frames: np.ndarray  # uint64 per synset
    sense_capitalized: np.ndarray  # bool per sense entry of wordnet.table
    synset_relations: np.ndarray  # sorted uint64: a << 32 | b, synsets WordNet links directly


@lru_cache(maxsize=1)
def _sense_data() -> _SenseData:
    """``data/senses.table`` (built by ``scripts/build_senses.py``), mapped once.

    A mapped table (``spindetect._tables``) of kind ``"senses"`` built against the shipped
    vocabulary (its ``vocabulary_sha256``), holding, in their final form:

    - ``signature_keys`` (uint64, sorted): ``synset << 32 | vocabulary id`` for every word of
      every synset's signature, so "is lemma l in the signature of synset s" is one binary
      search; a synset's keys are ``s << 32`` up to ``(s + 1) << 32``;
    - ``word_weight`` (float64 per vocabulary id): the word's inverse document frequency over
      the signatures, in [0, 1] (``log(signatures / max(frequency, 1)) / log(signatures)``);
    - ``verb_frames`` (uint64 per synset): bit k set when WordNet lists frame k for the
      synset or one of its words;
    - ``sense_capitalized`` (bool per sense entry of ``wordnet.table``): the lemma is written
      with a capital in that sense (a name);
    - ``synset_relations`` (uint64, sorted): ``a << 32 | b`` for every pair of synsets WordNet
      links directly, both ways (b is a's hypernym or hyponym, or similar to a).

    For example, if the signature of synset 5 holds the words of ids 7, 9 and 40, its keys
    are ``5 << 32 | 7``, ``5 << 32 | 9`` and ``5 << 32 | 40``, consecutive in
    ``signature_keys``.
    """
    table = load_table(DATA_DIR / "senses.table", kind="senses", version=SENSES_VERSION,
                       expect={"vocabulary_sha256": vocabulary().sha256}, error=LexiconDataError)
    return _SenseData(
        signature_keys=table["signature_keys"],
        word_weight=table["word_weight"],
        verb_frames=table["verb_frames"],
        sense_capitalized=table["sense_capitalized"],
        synset_relations=table["synset_relations"],
    )


@dataclass(frozen=True)
class WordClasses:
    """Distinct words and what the lexicon says of each: POS bits of their lower-case
    (non-name) senses, and their WordNet analyses as a CSR of tokens (lemma id * 4 + POS).

    Words are normalised tokens or phrases of them ("go away"); ``index`` gives each one's
    row. ``pos_bits`` has NOUN, VERB, ADJECTIVE, ADVERB set for every part of speech WordNet
    gives the word (through its base forms: "went away" is a verb); ``inflected_bits`` those
    in which it is an inflected form ("told", "markets"), ``base_only_bits`` the rest; 0 for a
    word WordNet does not know.

    >>> words = WordClasses.of(["nice", "markets", "go away", "qwzx"])
    >>> [int(words.pos_bits[words.index[w]]) for w in ("nice", "go away", "qwzx")] == [ADJECTIVE, VERB, 0]
    True
    >>> bool(words.inflected_bits[words.index["markets"]] & NOUN)
    True
    """

    index: dict[str, int]
    pos_bits: np.ndarray  # int64 per word
    analysis_indptr: np.ndarray
    analysis_tokens: np.ndarray
    inflected_bits: np.ndarray  # int64 per word: POS in which it is an inflected form
    base_only_bits: np.ndarray  # int64 per word: POS in which it is only a base form

    @classmethod
    def of(cls, words: list[str]) -> WordClasses:
        """The classes of ``words`` (normalised tokens or phrases), looked up in the lexicon."""
        return cls.from_lookups(words, word_analyses(words), word_vocabulary_ids(words))

    @classmethod
    def from_lookups(
        cls, words: list[str], analyses: tuple[np.ndarray, np.ndarray], vocabulary_ids: np.ndarray
    ) -> WordClasses:
        """The classes of ``words`` from their lexicon look-ups done already: the WordNet
        analyses (CSR indptr, tokens) and vocabulary id (-1: none) of each."""
        indptr, tokens = analyses
        wordnet, senses = lexicon_wordnet(), _sense_data()
        # A (lemma, POS) analysis counts when one of its senses is not a capitalised name.
        first, stop = _token_senses(wordnet, tokens)
        entry, token_of_entry = range_indices(first, stop)
        common = np.zeros(tokens.size, dtype=bool)
        np.logical_or.at(common, token_of_entry, ~senses.sense_capitalized[entry])
        bits = np.where(common, 1 << (tokens % 4), 0)
        word_of_token = np.repeat(np.arange(len(words), dtype=np.int64), np.diff(indptr))
        pos_bits = np.zeros(len(words), dtype=np.int64)
        np.bitwise_or.at(pos_bits, word_of_token, bits)
        # An analysis whose lemma is another word is an inflection ("told" of "tell").
        inflection = np.where(tokens // 4 != vocabulary_ids[word_of_token], 1 << (tokens % 4), 0)
        inflected_bits = np.zeros(len(words), dtype=np.int64)
        np.bitwise_or.at(inflected_bits, word_of_token, inflection)
        return cls(
            dict(zip(words, range(len(words)))), pos_bits, indptr, tokens, inflected_bits,
            pos_bits & ~inflected_bits,
        )

    def ids(self, words: Sequence[str]) -> np.ndarray:
        """The row of each word (int64); every word must be one of those looked up."""
        return np.fromiter(map(self.index.__getitem__, words), dtype=np.int64, count=len(words))

    def analyses(self, word_id: int) -> list[int]:
        """The WordNet analyses (lemma id * 4 + POS) of the word in row ``word_id``."""
        return self.analysis_tokens[self.analysis_indptr[word_id] : self.analysis_indptr[word_id + 1]].tolist()


# --------------------------------------------------------------------------- syntax


def needs_an(word: str) -> bool:
    """Whether ``word`` takes "an" rather than "a" (by its first sound, as far as spelling
    tells it).

    >>> needs_an("apple"), needs_an("sign"), needs_an("hour"), needs_an("unique")
    (True, False, True, False)
    """
    if not word:
        return False
    if word.startswith(_SILENT_H):
        return True
    if word.startswith(_YOU_SOUND):
        return False
    return word[0] in "aeiou"


_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_YOU_SOUND = ("uni", "use", "usu", "uti", "eu", "one", "once", "ure", "uro")


def article_agreement(
    article_before: Sequence[str], originals: Sequence[tuple[str, ...]],
    replacements: Sequence[tuple[str, ...]],
) -> np.ndarray:
    """1.0 where "a"/"an" just before a swap agreed with the original but not with the
    replacement ("an indication" -> "an sign"), else 0.0.

    >>> article_agreement(["an", "a"], [("indication",), ("fine",)], [("sign",), ("nice",)]).tolist()
    [1.0, 0.0]
    """
    out = np.zeros(len(originals), dtype=np.float64)
    for row, before in enumerate(article_before):
        if before not in ("a", "an") or not originals[row] or not replacements[row]:
            continue
        wants_an = before == "an"
        if needs_an(originals[row][0]) == wants_an and needs_an(replacements[row][0]) != wants_an:
            out[row] = 1.0
    return out


def slot_classes(
    before: Sequence[str], after: Sequence[str], original_pos: np.ndarray,
    after_pos: np.ndarray | None = None, before_pos: np.ndarray | None = None,
) -> np.ndarray:
    """The parts of speech (bits NOUN | VERB | ...) the slot of each original allows, read
    from its neighbours and narrowed from what the original itself can be.

    Between a determiner and the end of its phrase ("a fine of"): a noun. After "to", a modal
    or a subject pronoun: a verb. After a degree adverb ("very"): an adjective or adverb;
    after a form of "be", anything but an adverb. Before a word that can only be a noun
    (``after_pos``, POS bits of the next word): a modifier, adjective or noun. Elsewhere:
    whatever the original can be (no narrowing). 0 where the original has no known part of
    speech.

    >>> bits = slot_classes(["a", "very"], ["of", "."], np.array([15, 15]))
    >>> bits.tolist() == [NOUN, ADJECTIVE | ADVERB]
    True
    """
    original_pos = np.asarray(original_pos, dtype=np.int64)
    right_pos = np.zeros(len(original_pos), dtype=np.int64) if after_pos is None else after_pos
    left_pos = np.zeros(len(original_pos), dtype=np.int64) if before_pos is None else before_pos
    # The context decides the slot; each distinct context is read once.
    keys = list(zip(before, after, left_pos.tolist(), right_pos.tolist(),
                    ((original_pos & VERB) > 0).tolist()))
    slots = {key: narrowed_slot(*key) for key in dict.fromkeys(keys)}
    narrowed = np.fromiter(map(slots.__getitem__, keys), dtype=np.int64, count=len(keys))
    # Where the original cannot fill the slot so read, the reading is wrong: keep its own.
    result: np.ndarray = np.where(original_pos & narrowed, narrowed, original_pos)
    return result


def _slot_classes_of(
    words: WordClasses, before_ids: np.ndarray, after_ids: np.ndarray, original_pos: np.ndarray,
    after_pos: np.ndarray, before_pos: np.ndarray,
) -> np.ndarray:
    """``slot_classes`` of neighbours given as ids into ``words``: each distinct word's
    class is read once, the rules of ``narrowed_slot`` are array passes (hypothesis-tested
    against ``slot_classes``)."""
    names = list(words.index)

    def member(word_class: Collection[str]) -> np.ndarray:
        """Whether each distinct word is in ``word_class``, as bools."""
        return np.fromiter(map(word_class.__contains__, names), dtype=bool, count=len(names))

    left, right = before_ids, after_ids
    can_be_verb = (original_pos & VERB) > 0
    ends_phrase = member(PHRASE_ENDERS | {""})[right]
    after_determiner = member(DETERMINERS)[left]
    # The rules of narrowed_slot, first match wins.
    rules = [
        (member({"that"})[left] & can_be_verb, ANY_POS),
        (after_determiner & ends_phrase, NOUN),
        (after_determiner, NOUN | ADJECTIVE),
        (member(_VERB_INTRODUCERS)[left], VERB),
        ((before_pos == ADJECTIVE) & ends_phrase, NOUN),
        (member(DEGREE_ADVERBS)[left], ADJECTIVE | ADVERB),
        (member(FORMS_OF_BE)[left], ADJECTIVE | VERB | NOUN),
        ((after_pos == NOUN) & ~member(lexicon.FUNCTION_WORDS)[right] & ~can_be_verb,
         ADJECTIVE | NOUN),
    ]
    narrowed = np.select([rule for rule, _ in rules], [bits for _, bits in rules], ANY_POS)
    result: np.ndarray = np.where(original_pos & narrowed, narrowed, original_pos)
    return result


# Words after which a verb comes: "to", modals, subject and relative pronouns.
_VERB_INTRODUCERS = frozenset({"to"}) | MODALS | SUBJECT_PRONOUNS | RELATIVE_PRONOUNS


def narrowed_slot(left: str, right: str, left_pos: int, right_pos: int, can_be_verb: bool) -> int:
    """The parts of speech (bits NOUN | VERB | ...) a slot between the words ``left`` and
    ``right`` allows, read from those neighbours alone; ANY_POS where they say nothing.

    ``left_pos`` and ``right_pos`` are the neighbours' POS bits (``WordClasses.pos_bits``),
    ``can_be_verb`` whether the word in the slot can be a verb (after "that" a verb is a
    relative clause, so the slot is then left open). ``""`` stands for no neighbour (the text
    ends): a phrase ends there. The rules are those of ``slot_classes``, which narrows them
    further with what the word in the slot can be.

    >>> narrowed_slot("a", "of", 0, 0, False) == NOUN  # "a fine of"
    True
    >>> narrowed_slot("would", "the", 0, 0, False) == VERB
    True
    >>> narrowed_slot("big", "markets", ADJECTIVE, NOUN, True) == ANY_POS
    True
    """
    ends_phrase = right in PHRASE_ENDERS or right == ""
    if left == "that" and can_be_verb:
        return ANY_POS  # "that ended": a relative pronoun as likely as a determiner
    if left in DETERMINERS:
        return NOUN if ends_phrase else NOUN | ADJECTIVE
    if left == "to" or left in MODALS or left in SUBJECT_PRONOUNS or left in RELATIVE_PRONOUNS:
        return VERB
    if left_pos == ADJECTIVE and ends_phrase:
        return NOUN  # after a word that can only be an adjective, ending a phrase
    if left in DEGREE_ADVERBS:
        return ADJECTIVE | ADVERB
    if left in FORMS_OF_BE:
        return ADJECTIVE | VERB | NOUN
    if right_pos == NOUN and right not in lexicon.FUNCTION_WORDS and not can_be_verb:
        return ADJECTIVE | NOUN  # a non-verb before a noun-only word: a modifier
    return ANY_POS


def object_follows(after: Sequence[str], after_pos: np.ndarray) -> np.ndarray:
    """Whether each word of ``after`` (with its POS bits, ``after_pos``) starts a direct
    object: a determiner, an object pronoun or a content word that can be a noun but not an
    adverb ("markets", not "home"). Not "that", which after a verb opens a clause more often
    than an object ("complain that ..."), nor a number, which measures ("rose 28 points").
    A bool array.

    >>> object_follows(["markets", "home", "the", "that", "28"],
    ...                np.array([NOUN, NOUN | ADVERB, 0, 0, NOUN])).tolist()
    [True, False, True, False, False]
    """
    return np.fromiter(
        (_starts_object(word, bits) for word, bits in zip(after, after_pos.tolist())),
        dtype=bool, count=len(after),
    )


def _starts_object(word: str, bits: int) -> bool:
    if word == "that" or word[:1].isdigit():
        return False
    return word in DETERMINERS or word in OBJECT_PRONOUNS or (
        bool(bits & NOUN) and not bits & ADVERB and word not in lexicon.FUNCTION_WORDS
    )


def modifier_participles(before: Sequence[str], replacements: Sequence[tuple[str, ...]]) -> np.ndarray:
    """Whether each replacement is a participle after a preposition or a determiner ("with
    trembling hands", "the wounded men"): an adjective there, not a verb wanting an object.
    A bool array.

    >>> modifier_participles(["with", "to"], [("trembling",), ("go", "away")]).tolist()
    [True, False]
    """
    return np.fromiter(
        (
            (word in PREPOSITIONS or word in DETERMINERS)
            and len(words) == 1 and words[0].endswith(("ing", "ed"))
            for word, words in zip(before, replacements)
        ),
        dtype=bool, count=len(before),
    )


def verb_frames(words: WordClasses, word_ids: np.ndarray) -> np.ndarray:
    """The union of WordNet verb frames over every verb sense of each word (rows of
    ``words``), as uint64 bits: bit k for frame k of WordNet 3.0's list; 0 for no verb.
    A verb that can take a direct object has a bit of TRANSITIVE_FRAMES set.

    >>> words = WordClasses.of(["go away", "leave", "nice"])
    >>> frames = verb_frames(words, words.ids(["go away", "leave", "nice"]))
    >>> [bool(f & TRANSITIVE_FRAMES) for f in frames.tolist()], int(frames[2])
    ([False, True, False], 0)
    """
    wordnet, senses = lexicon_wordnet(), _sense_data()
    first, stop = words.analysis_indptr[word_ids], words.analysis_indptr[word_ids + 1]
    token_index, row_of_token = range_indices(first, stop)
    tokens = words.analysis_tokens[token_index]
    verbs = tokens % 4 == 1
    entry, of_verb = range_indices(*_token_senses(wordnet, tokens[verbs]))
    frames = np.zeros(len(word_ids), dtype=np.uint64)
    np.bitwise_or.at(
        frames, row_of_token[verbs][of_verb], senses.verb_frames[wordnet.sense_synset[entry]]
    )
    return frames


# --------------------------------------------------------------------------- sense


def _lesk_choice(
    words: WordClasses, original_ids: np.ndarray, slot: np.ndarray, context_swap: np.ndarray,
    context_ids: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each swap: the synset Lesk chooses for the original among its senses the slot
    allows (-1 where it has none), and how many senses were in the running."""
    wordnet, senses = lexicon_wordnet(), _sense_data()
    count = len(original_ids)
    first = words.analysis_indptr[original_ids]
    stop = words.analysis_indptr[original_ids + 1]
    token_index, swap_of_token = range_indices(first, stop)
    tokens = words.analysis_tokens[token_index]
    fits = (slot[swap_of_token] >> (tokens % 4)) & 1 == 1
    tokens, swap_of_token = tokens[fits], swap_of_token[fits]
    entry, of_token = range_indices(*_token_senses(wordnet, tokens))
    entry_swap = swap_of_token[of_token]
    entry_synset = wordnet.sense_synset[entry]
    keep = ~senses.sense_capitalized[entry]
    entry, entry_swap, entry_synset = entry[keep], entry_swap[keep], entry_synset[keep]
    candidates = np.bincount(entry_swap, minlength=count)
    # Context lemmas of each swap: the base forms of its context words, as vocabulary ids.
    context_first = words.analysis_indptr[context_ids]
    context_stop = words.analysis_indptr[context_ids + 1]
    lemma_index, of_context = range_indices(context_first, context_stop)
    # Each swap's context is a set of lemmas: a word met twice, or a word whose analyses
    # share a lemma ("run" the noun and the verb), counts once.
    lemma_keys = np.unique(
        (context_swap[of_context].astype(np.uint64) << np.uint64(32))
        | (words.analysis_tokens[lemma_index] // 4).astype(np.uint64)
    )
    context_lemma = (lemma_keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
    context_lemma_swap = (lemma_keys >> np.uint64(32)).astype(np.int64)
    # Every (sense entry, context lemma) of the same swap, as signature keys.
    swap_order = np.argsort(context_lemma_swap, kind="stable")
    lemma_by_swap = context_lemma[swap_order]
    lemma_bounds = np.searchsorted(context_lemma_swap[swap_order], np.arange(count + 1))
    pair_index, entry_of_pair = range_indices(lemma_bounds[entry_swap], lemma_bounds[entry_swap + 1])
    keys = (entry_synset[entry_of_pair].astype(np.uint64) << np.uint64(32)) | (
        lemma_by_swap[pair_index].astype(np.uint64)
    )
    position = np.searchsorted(senses.signature_keys, keys)
    found = senses.signature_keys[np.minimum(position, senses.signature_keys.size - 1)] == keys
    overlap = np.bincount(
        entry_of_pair[found], weights=senses.word_weight[lemma_by_swap[pair_index[found]]],
        minlength=entry.size,
    )
    # The prior: the sense's SemCor share among all the candidates of its swap, whatever
    # their part of speech (add-one smoothed).
    counts = wordnet.sense_count[entry].astype(np.float64) + 1.0
    totals = np.bincount(entry_swap, weights=counts, minlength=count)
    score = LESK_OVERLAP_WEIGHT * overlap + np.log(counts / totals[entry_swap])
    # The best-scoring entry of each swap (ties: the more frequent sense, which comes first).
    order = np.lexsort((np.arange(entry.size), -score, entry_swap))
    first_of_swap = np.searchsorted(entry_swap[order], np.arange(count))
    chosen = np.full(count, -1, dtype=np.int64)
    has = candidates > 0
    chosen[has] = entry_synset[order[first_of_swap[has]]]
    return chosen, candidates


def _sense_verdicts(
    words: WordClasses, replacement_ids: np.ndarray, chosen: np.ndarray, candidates: np.ndarray,
    related: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """sense_fit and sense_blind of each swap: whether the replacement is in the synset Lesk
    chose for the original, or directly above, below or similar to it. ``related`` says
    where WordNet relates the two words in any sense (the lexical features'
    ``wordnet_synonym`` or ``wordnet_related``): only there is a verdict given."""
    wordnet = lexicon_wordnet()
    count = len(chosen)
    fit = np.full(count, np.nan)
    blind = np.zeros(count, dtype=np.float64)
    judged = np.flatnonzero((chosen >= 0) & (replacement_ids >= 0) & related)
    if judged.size == 0:
        return fit, blind
    first = words.analysis_indptr[replacement_ids[judged]]
    stop = words.analysis_indptr[replacement_ids[judged] + 1]
    token_index, row = range_indices(first, stop)
    tokens = words.analysis_tokens[token_index]
    entry, of_token = range_indices(*_token_senses(wordnet, tokens))
    replacement_synsets, row = wordnet.sense_synset[entry], row[of_token]
    target = chosen[judged][row]
    keys = (target.astype(np.uint64) << np.uint64(32)) | replacement_synsets.astype(np.uint64)
    relations = _synset_relations()
    position = np.minimum(np.searchsorted(relations, keys), relations.size - 1)
    near = (replacement_synsets == target) | (relations[position] == keys)
    fits = np.zeros(judged.size, dtype=bool)
    fits[row[near]] = True
    fit[judged] = fits.astype(np.float64)
    blind[judged] = (~fits & (candidates[judged] >= 2)).astype(np.float64)
    return fit, blind


def _synset_relations() -> np.ndarray:
    """Sorted keys ``a << 32 | b`` of every pair of synsets WordNet links directly, both
    ways: b is a's hypernym or hyponym, or similar to a (shipped in ``senses.table``)."""
    return _sense_data().synset_relations


def _token_senses(wordnet: WordNet, tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each token's sense entries begin and end in ``wordnet.table`` (int64)."""
    return (wordnet.token_indptr[tokens].astype(np.int64),
            wordnet.token_indptr[tokens + 1].astype(np.int64))


# --------------------------------------------------------------------------- habits


def function_habits(
    originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(function_expansion, function_swap, function_to_content, filler) of each swap, as
    float64 0/1: function words blown up into a longer phrase, swapped for other function
    words, replaced by content words only; filler words the replacement has more of than the
    original.

    >>> [values.tolist() for values in function_habits(
    ...     [("was",), ("in",), ("is", "not"), ("have",)],
    ...     [("used", "to", "be"), ("on",), ("is", "just", "not"), ("possess",)])]
    [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]]
    """
    count = len(originals)
    original_words, original_phrase = _flatten(originals)
    replacement_words, replacement_phrase = _flatten(replacements)

    def per_phrase(words: list[str], phrase: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        function_flags = np.fromiter(map(lexicon.FUNCTION_WORDS.__contains__, words), dtype=bool)
        filler_flags = np.fromiter(map(FILLER_WORDS.__contains__, words), dtype=bool)
        length = np.bincount(phrase, minlength=count)
        function = np.bincount(phrase, weights=function_flags, minlength=count)
        filler = np.bincount(phrase, weights=filler_flags, minlength=count)
        return length, function, filler

    original_length, original_function, original_filler = per_phrase(original_words, original_phrase)
    new_length, new_function, new_filler = per_phrase(replacement_words, replacement_phrase)
    both = (original_length > 0) & (new_length > 0)
    all_function = both & (original_function == original_length)
    expansion = all_function & (new_length > original_length)
    swap = all_function & (new_length == original_length) & (new_function == new_length)
    to_content = all_function & (new_function == 0)
    filler = both & (new_filler > original_filler)
    return (expansion.astype(np.float64), swap.astype(np.float64), to_content.astype(np.float64),
            filler.astype(np.float64))


def _flatten(phrases: Sequence[tuple[str, ...]]) -> tuple[list[str], np.ndarray]:
    """All words of ``phrases`` in one list, and the phrase of each word (int64)."""
    lengths = np.fromiter(map(len, phrases), dtype=np.int64, count=len(phrases))
    return list(chain.from_iterable(phrases)), np.repeat(np.arange(len(phrases), dtype=np.int64), lengths)


def inflections_lost(
    originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]],
    words: WordClasses, slot: np.ndarray,
) -> np.ndarray:
    """1.0 where a one-word original is an inflected noun or verb ("countries", "told",
    "walking": WordNet's base form in that part of speech is another word) and the
    replacement's head (a verb phrase's first word, a noun phrase's last) can be that part
    of speech only in its bare base form ("nation", "state", "stroll"), for every part of
    speech the slot allows the original to be; else 0.0."""
    count = len(originals)
    single = [words_[0] if len(words_) == 1 and words_[0] not in lexicon.FUNCTION_WORDS else ""
              for words_ in originals]
    first = [words_[0] if words_ else "" for words_ in replacements]
    last = [words_[-1] if words_ else "" for words_ in replacements]
    inflected = words.inflected_bits[words.ids(single)] & slot & (NOUN | VERB)
    lost = np.ones(count, dtype=bool)
    applies = np.zeros(count, dtype=bool)
    for pos, heads in ((VERB, first), (NOUN, last)):
        head_ids = words.ids(heads)
        function = np.fromiter((head in lexicon.FUNCTION_WORDS for head in heads), dtype=bool, count=count)
        wanted = (inflected & pos) > 0
        # A head that cannot be this part of speech leaves the verdict to the other one.
        can_be = (words.pos_bits[head_ids] & pos) > 0
        judged = wanted & (can_be | function)
        bare = ((words.base_only_bits[head_ids] & pos) > 0) & ~function
        lost &= ~judged | bare
        applies |= judged
    return (applies & lost).astype(np.float64)


def repeated_rules(
    originals: Sequence[tuple[str, ...]], replacements: Sequence[tuple[str, ...]],
    document: np.ndarray,
) -> np.ndarray:
    """For each substitution: how many other swaps of its document replace the same words
    with the same words, up to 3 (float64). One-sided edits get 0.

    >>> repeated_rules([("leave",), ("leave",), ("right",)], [("go", "away")] * 2 + [("proper",)],
    ...                np.array([0, 0, 0])).tolist()
    [1.0, 1.0, 0.0]
    """
    keys = [
        (int(doc), original, replacement) if original and replacement else None
        for doc, original, replacement in zip(document.tolist(), originals, replacements)
    ]
    counts: dict[object, int] = {}
    for key in keys:
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    return np.array(
        [min(counts[key] - 1, 3) if key is not None else 0 for key in keys], dtype=np.float64
    )


# --------------------------------------------------------------------------- collocation


def _collocations(swap_words: SwapWords) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left drop, right drop, sides lost) from the word-pair counts of the original with
    its reference neighbours and of the replacement with its article neighbours."""
    count = len(swap_words.originals)
    first_original = [words[0] if words else "" for words in swap_words.originals]
    last_original = [words[-1] if words else "" for words in swap_words.originals]
    first_replacement = [words[0] if words else "" for words in swap_words.replacements]
    last_replacement = [words[-1] if words else "" for words in swap_words.replacements]
    def pairs(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
        return bigrams.pair_counts(bigrams.word_ids(left), bigrams.word_ids(right))

    original_left = pairs(swap_words.reference_before, first_original)
    original_right = pairs(last_original, swap_words.reference_after)
    replacement_left = pairs(swap_words.article_before, first_replacement)
    replacement_right = pairs(last_replacement, swap_words.article_after)
    def present(items: Sequence[object]) -> np.ndarray:
        return np.fromiter(map(bool, items), dtype=bool, count=count)

    judged = present(swap_words.originals) & present(swap_words.replacements)
    has_left = judged & present(swap_words.reference_before) & present(swap_words.article_before)
    has_right = judged & present(swap_words.reference_after) & present(swap_words.article_after)
    floor = np.log10(bigrams.pair_floor())
    left_drop = np.where(
        has_left,
        np.maximum(np.log10(original_left + 1.0), floor) - np.maximum(np.log10(replacement_left + 1.0), floor),
        0.0,
    )
    right_drop = np.where(
        has_right,
        np.maximum(np.log10(original_right + 1.0), floor) - np.maximum(np.log10(replacement_right + 1.0), floor),
        0.0,
    )
    lost = (has_left & (original_left > 0) & (replacement_left == 0)).astype(np.float64) + (
        has_right & (original_right > 0) & (replacement_right == 0)
    )
    return left_drop, right_drop, lost


def fluency_drops(swap_words: SwapWords) -> np.ndarray:
    """How much less likely each swap's words read in the article than in the reference, in
    log10 units, by the bigram language model: log10 P(original and the word after | the
    word before) less the same of the replacement between its own neighbours. Positive: the
    replacement reads worse ("to leave markets" -> "to go away markets": 1.1)."""
    # Both sides in one pass: [reference phrases..., article phrases...].
    count = len(swap_words.originals)
    both = language_model.phrase_log10(
        [*swap_words.reference_before, *swap_words.article_before],
        [*swap_words.originals, *swap_words.replacements],
        [*swap_words.reference_after, *swap_words.article_after],
    )
    result: np.ndarray = both[:count] - both[count:]
    return result


# --------------------------------------------------------------------------- all


def context_evidence(
    swap_words: SwapWords, related: np.ndarray | None = None, common: np.ndarray | None = None
) -> ContextEvidence:
    """Every in-context signal of a batch of swaps. ``related`` (bools, one per swap) says
    where WordNet relates original and replacement in any sense (the lexical features'
    ``wordnet_synonym`` or ``wordnet_related``); without it no sense verdict is given.
    ``common`` (bools, default all) says which swaps are of common words; names, numbers and
    words in capitals get no sense or syntax verdict (NaN or 0: unknown), only collocation
    and habit evidence.

    >>> words = SwapWords(
    ...     originals=[("fine",)], replacements=[("nice",)],
    ...     reference_before=["a"], reference_after=["of"], article_before=["a"],
    ...     article_after=["of"], context_words=["penalty", "euros"],
    ...     context_swap=np.array([0, 0]), document=np.array([0]))
    >>> evidence = context_evidence(words)
    >>> float(evidence.pos_mismatch[0])
    1.0
    """
    count = len(swap_words.originals)
    single_original = [words[0] if len(words) == 1 else "" for words in swap_words.originals]
    replacement_phrase = [" ".join(words) for words in swap_words.replacements]
    heads = [word for words in swap_words.replacements for word in (words[:1] + words[-1:])]
    common = np.ones(count, dtype=bool) if common is None else common
    is_content = common & np.array(
        [bool(word) and word not in lexicon.FUNCTION_WORDS for word in single_original], dtype=bool
    )
    related = np.zeros(count, dtype=bool) if related is None else related
    # Lesk only where WordNet can give a verdict: a one-word original related to its
    # replacement in some sense.
    sense_rows = related & is_content
    keep = sense_rows[swap_words.context_swap]
    context_words = [word for word, kept in zip(swap_words.context_words, keep.tolist()) if kept]
    context_swap = swap_words.context_swap[keep]
    distinct = list(dict.fromkeys(
        ["", *single_original, *replacement_phrase, *heads, *swap_words.reference_after,
         *swap_words.reference_before, *context_words]
    ))
    words = WordClasses.of(distinct)
    original_ids = words.ids(single_original)
    replacement_ids = words.ids(replacement_phrase)
    original_pos = words.pos_bits[original_ids]
    replacement_pos = words.pos_bits[replacement_ids]
    after_ids = words.ids(swap_words.reference_after)
    before_ids = words.ids(swap_words.reference_before)
    after_pos, before_pos = words.pos_bits[after_ids], words.pos_bits[before_ids]
    slot = np.where(
        is_content,
        _slot_classes_of(words, before_ids, after_ids, original_pos, after_pos, before_pos),
        0,
    )
    replacement_known = (replacement_pos > 0) & np.array(
        [bool(phrase) and phrase not in lexicon.FUNCTION_WORDS for phrase in replacement_phrase]
    )
    judged = (slot > 0) & replacement_known
    pos_mismatch = np.where(judged, ((slot & replacement_pos) == 0).astype(np.float64), np.nan)
    # Valency: the original is a verb here, an object follows, the replacement verb takes none.
    verb_slot = judged & ((slot & VERB) > 0) & ((replacement_pos & VERB) > 0)
    frames_original = verb_frames(words, original_ids)
    frames_replacement = verb_frames(words, replacement_ids)
    transitive = np.uint64(TRANSITIVE_FRAMES)
    valency = (
        verb_slot & object_follows(swap_words.reference_after, after_pos)
        & ((frames_original & transitive) > 0) & ((frames_replacement & transitive) == 0)
        & (frames_replacement > 0) & ((frames_replacement & np.uint64(COPULAR_FRAMES)) == 0)
        & ~modifier_participles(swap_words.reference_before, swap_words.replacements)
    )
    chosen, candidates = _lesk_choice(
        words, np.where(sense_rows, original_ids, words.index[""]),
        np.where(slot > 0, slot, original_pos), context_swap, words.ids(context_words),
    )
    sense_fit, sense_blind = _sense_verdicts(words, replacement_ids, chosen, candidates, related)
    left_drop, right_drop, lost = _collocations(swap_words)
    expansion, function_swap, to_content, filler = function_habits(
        swap_words.originals, swap_words.replacements
    )
    return ContextEvidence(
        sense_fit=sense_fit,
        sense_blind=sense_blind,
        pos_mismatch=pos_mismatch,
        valency_break=valency.astype(np.float64),
        article_agreement=article_agreement(
            swap_words.article_before, swap_words.originals, swap_words.replacements
        ) * common,
        collocation_left=left_drop,
        collocation_right=right_drop,
        collocation_lost=lost,
        fluency_drop=fluency_drops(swap_words),
        function_expansion=expansion,
        function_swap=function_swap,
        function_to_content=to_content,
        inflection_lost=inflections_lost(
            swap_words.originals, swap_words.replacements, words,
            np.where(slot > 0, slot, original_pos) * common,
        ),
        filler=filler,
        repeated_rule=repeated_rules(swap_words.originals, swap_words.replacements, swap_words.document),
    )
