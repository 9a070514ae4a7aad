"""The in-context evidence of score/context.py against its plain reference, context_py.py.

Generated batches draw their words from a small vocabulary where every rule has something to
find: nouns and verbs that inflect, words with one part of speech or several, phrasal verbs
without objects, function words and fillers, names written as WordNet writes them, words no
list holds, and empty neighbours at the ends of documents.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect.score.context import (
    ADJECTIVE,
    ANY_POS,
    DEGREE_ADVERBS,
    DETERMINERS,
    FORMS_OF_BE,
    MODALS,
    NOUN,
    PHRASE_ENDERS,
    SwapWords,
    _slot_classes_of,
    WordClasses,
    context_evidence,
    slot_classes,
)
from spindetect.score.context_py import context_evidence_py

WORDS = (
    "fine nice country rustic leave go away markets hard difficult abuse misuse the a an of to "
    "was used be in within is just not some few told state countries nation troops soldiers "
    "stayed remained said stated sign indication money cash block dam right proper daily "
    "action motion legal very enough technology develop tools new recent we they he it "
    "hour unique apple qwzx schnell nice quickly run running ran reach achieve threat specter "
    "that 28 with shaking trembling secret rose gained points arrive invited "
    # Senses a context can choose between, and the gloss words that choose them.
    "penalty pay euros court government state rural land effort solid surface people "
    # Words inflected as a noun and as a verb, for slots that allow only one.
    "leaves walks runs plans plan walk"
).split()
PHRASES = [("go", "away"), ("used", "to", "be"), ("day", "by", "day"), ("a", "few"),
           ("at", "all", "times"), ("is", "just", "not"), ("legal", "motion")]

# Pairs WordNet relates in one sense of the original and not in another, so that which sense
# the context chooses decides the verdict.
SENSE_PAIRS = [("fine", "penalty"), ("fine", "good"), ("country", "state"), ("country", "land"),
               ("hard", "difficult"), ("hard", "solid"), ("state", "country"), ("land", "country")]

word = st.sampled_from(WORDS)
neighbour = st.one_of(st.just(""), word)
phrase = st.one_of(
    st.just(()), word.map(lambda w: (w,)), st.sampled_from(PHRASES),
    st.lists(word, min_size=2, max_size=3).map(tuple),
)
sense_pair = st.sampled_from(SENSE_PAIRS).map(lambda pair: ((pair[0],), (pair[1],)))


@st.composite
def batches(draw):
    count = draw(st.integers(1, 12))
    pairs = [draw(st.one_of(st.tuples(phrase, phrase), sense_pair)) for _ in range(count)]
    originals = [original for original, _ in pairs]
    replacements = [replacement for _, replacement in pairs]
    context_words, context_swap = [], []
    for row in range(count):
        for context_word in draw(st.lists(word, max_size=10)):
            context_words.append(context_word)
            context_swap.append(row)
    documents = sorted(draw(st.lists(st.integers(0, 2), min_size=count, max_size=count)))
    words = SwapWords(
        originals=originals,
        replacements=replacements,
        reference_before=[draw(neighbour) for _ in range(count)],
        reference_after=[draw(neighbour) for _ in range(count)],
        article_before=[draw(neighbour) for _ in range(count)],
        article_after=[draw(neighbour) for _ in range(count)],
        context_words=context_words,
        context_swap=np.array(context_swap, dtype=np.int64),
        document=np.array(documents, dtype=np.int64),
    )
    related = np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)), dtype=bool)
    common = np.array(draw(st.lists(st.booleans(), min_size=count, max_size=count)), dtype=bool)
    return words, related, common


def _same(fast: np.ndarray, plain: np.ndarray) -> bool:
    return all(
        (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        for a, b in zip(fast.tolist(), plain.tolist())
    )


@settings(max_examples=300, deadline=None)
@given(batches())
def test_context_evidence_equals_the_plain_reference(batch):
    words, related, common = batch
    fast = context_evidence(words, related, common)
    plain = context_evidence_py(words, related, common)
    for name in fast.__dataclass_fields__:
        assert _same(getattr(fast, name), getattr(plain, name)), name


def test_the_examples_of_issue_16():
    words = SwapWords(
        originals=[("fine",), ("leave",), ("was",), ("country",)],
        replacements=[("nice",), ("go", "away"), ("used", "to", "be"), ("rustic",)],
        reference_before=["a", "to", "i", "a"],
        reference_after=["of", "markets", "questioned", "is"],
        article_before=["a", "to", "i", "a"],
        article_after=["of", "markets", "questioned", "is"],
        context_words=[], context_swap=np.zeros(0, dtype=np.int64),
        document=np.zeros(4, dtype=np.int64),
    )
    evidence = context_evidence(words)
    assert evidence.pos_mismatch[0] == 1.0  # "a fine of" needs a noun
    assert evidence.valency_break[1] == 1.0  # "go away" takes no object
    assert evidence.function_expansion[2] == 1.0  # "was" blown up into "used to be"
    assert evidence.collocation_lost[3] >= 1.0  # "country is" is common, "rustic is" not listed


def test_a_valency_break_needs_an_object_a_verb_without_one_cannot_take():
    # Each original takes an object, each replacement none; what follows decides.
    words = SwapWords(
        originals=[("leave",), ("stayed",), ("gained",), ("shaking",), ("say",), ("invited",)],
        replacements=[("go", "away"), ("remained",), ("rose",), ("trembling",), ("complain",),
                      ("arrive",)],
        reference_before=["to", "have", "index", "with", "who", "them"],
        reference_after=["markets", "secret", "28", "hands", "that", "the"],
        article_before=["to", "have", "index", "with", "who", "them"],
        article_after=["markets", "secret", "28", "hands", "that", "the"],
        context_words=[], context_swap=np.zeros(0, dtype=np.int64),
        document=np.zeros(6, dtype=np.int64),
    )
    breaks = context_evidence(words).valency_break.tolist()
    assert breaks == context_evidence_py(words).valency_break.tolist()
    # "go away markets" and "arrive the Son" break; a linking verb before an adjective
    # ("remained secret"), a measure ("rose 28 points"), a participle as adjective ("with
    # trembling hands") and a clause ("complain that ...") do not.
    assert breaks == [1.0, 0.0, 0.0, 0.0, 0.0, 1.0]


# The slot a neighbour reads, from ids into the batch's distinct words (context_evidence's
# path) and from the words themselves (slot_classes, one distinct context at a time).
SLOT_WORDS = sorted(
    {"", "that", "to", "very", "was", "and", "markets", "fine", "quickly", "the"}
    | DETERMINERS | MODALS | DEGREE_ADVERBS | FORMS_OF_BE | set(list(PHRASE_ENDERS)[:20])
)
POS_BITS = st.sampled_from([0, NOUN, ADJECTIVE, NOUN | ADJECTIVE, 2, 2 | NOUN, ANY_POS])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SLOT_WORDS), st.sampled_from(SLOT_WORDS), POS_BITS,
                          POS_BITS, POS_BITS), max_size=20))
def test_slot_classes_of_ids_equal_slot_classes(rows):
    before = [row[0] for row in rows]
    after = [row[1] for row in rows]
    original_pos, after_pos, before_pos = (
        np.array([row[k] for row in rows], dtype=np.int64) for k in (2, 3, 4)
    )
    words = WordClasses.of(list(dict.fromkeys(["", *before, *after])))
    fast = _slot_classes_of(words, words.ids(before), words.ids(after), original_pos, after_pos,
                            before_pos)
    plain = slot_classes(before, after, original_pos, after_pos, before_pos)
    assert fast.tolist() == plain.tolist()
