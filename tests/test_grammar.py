"""Tests of the grammar finder of screening (spindetect.screening.grammar): words that cannot
fill their slot, found in the text alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect import lexicon, screen
from spindetect.score import context
from spindetect.score.context import ADJECTIVE, ADVERB, NOUN, VERB
from spindetect.score.features import known_rules
from spindetect.screening import grammar
from spindetect.screening.detect import BROKEN_GRAMMAR, BatchWords, find_hits
from spindetect.screening.phrases import build_collocations, build_known_phrases
from spindetect.tokenize import tokenize, tokenize_batch

# No known phrases and no expressions: only the grammar finder speaks.
NO_PHRASES = build_known_phrases([])
# No expressions and no ways of writing a word, but the shipped rules, whose originals name
# the likely original of a grammar break ("nice" <- "fine").
NO_EXPRESSIONS = build_collocations([], known_rules(), sources_used=0, relations_used=0)


def candidates(text: str) -> list[tuple[str, str, str]]:
    """(text, check, expected) of every grammar candidate of ``text``, scored or not."""
    batch = tokenize_batch([text])
    hits = find_hits(batch, BatchWords.of(batch.vocabulary), NO_PHRASES, NO_EXPRESSIONS,
                     lambda matrix: np.zeros(len(matrix)))
    tokens = batch.tokens[0]
    return [
        (text[tokens.starts[hit.start]:tokens.ends[hit.stop - 1]], check_of(hit), hit.expected)
        for hit in hits.hits if hit.kind == BROKEN_GRAMMAR
    ]


def check_of(hit) -> str:  # type: ignore[no-untyped-def]
    """The check a grammar hit's features say fired."""
    return next(check for check, value in zip(grammar.CHECKS, hit.features) if value)


@pytest.mark.parametrize(("text", "found"), [
    # The slot between "a" and "of" needs a noun; "nice" can be none. A shipped spinner rule
    # turns "fine" into "nice", so that is the likely original.
    ("a maximum penalty of ten years and a nice of 500,000 euros.", ("nice", "after_determiner", "fine")),
    # "go away" takes no object (WordNet's frames); "leave" does and "to leave" is common.
    ("The company was ready to go away markets.", ("go away", "valency", "leave")),
    ("They anticipation it best to leave.", ("anticipation", "after_subject", "thought")),
    ("His aim is towards be a doctor.", ("towards be", "after_preposition", "")),
])
def test_words_that_cannot_fill_their_slot_are_found_with_a_fix(text, found):
    assert found in candidates(text)


def test_an_article_that_disagrees_is_found_with_a_word_that_agrees():
    [(text, check, expected)] = candidates("There is an sign of local irritation.")
    assert (text, check) == ("an sign", "article")
    article, word = expected.split()
    assert article == "an" and context.needs_an(word) and word in lexicon.thesaurus_synonyms("sign")


@pytest.mark.parametrize("text", [
    "The court imposed a fine of 500,000 euros on the company.",
    "The rich and the poor alike were at a loss.",  # an adjective standing for its people
    "All of a sudden, they went away.",  # a phrase-ending comma; no object after "went away"
    "They came back home last year and went away this morning.",
    "May sales rose by an estimated 3 percent.",  # "May" is a month, "estimated" a participle
    "He took an X-ray and a unicorn's horn.",  # capitals and a compound; "unicorn" starts with "you"
    "Me an' wife we watched it.",  # an elision, not an article
    "We priests need to be renewed.",  # a noun beside "we"
    "She was the beautiful in art, a legal and political problem.",
])
def test_ordinary_sentences_give_no_candidate(text):
    assert candidates(text) == []


def test_a_finding_says_which_check_fired_and_what_the_word_pairs_are():
    screening = screen("The company was ready to go away markets.")
    [finding] = [f for f in screening.findings if f.kind == BROKEN_GRAMMAR]
    names = [name for name, _ in finding.signals]
    assert names[0] == "valency" and "break_pair" in names and "article" not in names
    assert finding.expected == "leave" and finding.text == "go away"


# ---------------------------------------------------------------- array passes vs plain loops

_BREAK_FREE = set(" \t-'\u2019")


def candidates_py(text: str) -> list[tuple[int, int, str]]:
    """The candidates of one text, one token at a time: (first token, one past the last,
    check), as grammar.py states its rules."""
    tokens = tokenize(text)
    norms = list(tokens.norms)
    count = len(norms)
    starts, ends = tokens.starts.tolist(), tokens.ends.tolist()
    classes = context.WordClasses.of(list(dict.fromkeys(norms + [""])))

    def pos(word: str) -> int:
        return int(classes.pos_bits[classes.index[word]])

    def inflected(word: str) -> int:
        return int(classes.inflected_bits[classes.index[word]])

    def linked(i: int) -> bool:  # no phrase-ending character between token i and i + 1
        gap = text[ends[i]:starts[i + 1]]
        return all(c.isalnum() or c in _BREAK_FREE for c in gap)

    lower = [text[start].isascii() and text[start].islower() for start in starts]
    attached = [(start > 0 and text[start - 1] in "-'\u2019\u2010\u2011")
                or (end < len(text) and text[end] in "-'\u2019\u2010\u2011")
                for start, end in zip(starts, ends)]
    left = ["" if i == 0 or not linked(i - 1) else norms[i - 1] for i in range(count)]
    right = ["" if i == count - 1 or not linked(i) else norms[i + 1] for i in range(count)]

    def content(word: str) -> bool:
        return word.isalpha() and word.isascii() and word not in lexicon.FUNCTION_WORDS

    def plain(i: int) -> bool:  # not attached, nor its left neighbour
        return not attached[i] and (i == 0 or not attached[i - 1])

    def left_plain(i: int) -> bool:
        return bool(left[i]) and (lower[i - 1] or left[i - 1] == "")

    found = []
    for i, word in enumerate(norms):
        ok = content(word) and lower[i] and plain(i)
        bits = pos(word)
        judgeable = (ok and bits > 0 and not bits & ADVERB and not inflected(word) & (VERB | ADJECTIVE)
                     and len(word) >= grammar.MIN_WORD)
        if (ok and left[i] in ("a", "an") and bits & (NOUN | ADJECTIVE)
                and context.needs_an(word) != (left[i] == "an")):
            found.append((i - 1, i + 1, "article"))
        slot = (context.narrowed_slot(left[i], right[i], pos(left[i]), pos(right[i]), bool(bits & VERB))
                if left[i] else 0)
        if (judgeable and left_plain(i) and left[i] in grammar.ARTICLES_AND_POSSESSIVES
                and not bits & NOUN and not (left[i] == "the" and bits & ADJECTIVE)
                and right[i] and right[i] not in grammar.COORDINATORS and not slot & bits):
            found.append((i, i + 1, "after_determiner"))
        if (judgeable and left_plain(i) and left[i] in grammar.SUBJECTS and not bits & VERB
                and (left[i] not in grammar.MODALS or lower[i - 1]) and not slot & bits):
            found.append((i, i + 1, "after_subject"))
        bare_verb = (content(word) and bits == VERB and not inflected(word) & VERB) or word == "be"
        if (lower[i] and plain(i) and bare_verb and left_plain(i)
                and left[i] in grammar.NOUN_PHRASE_PREPOSITIONS):
            found.append((i - 1, i + 1, "after_preposition"))
        if (ok and bits & VERB and i + 2 < count and linked(i) and linked(i + 1)
                and lower[i + 1] and lower[i + 2]):
            particle, after = norms[i + 1], norms[i + 2]
            phrase = f"{word} {particle}"
            phrase_classes = context.WordClasses.of([phrase])
            frames = int(context.verb_frames(phrase_classes, np.array([0]))[0])
            noun_only = pos(after) & (NOUN | ADVERB) == NOUN and content(after)
            if (pos(particle) & ADVERB
                    and particle not in grammar.PARTICLE_PREPOSITIONS | grammar.PREPOSITIONS
                    and (after in grammar.OBJECT_STARTS or noun_only)
                    and phrase_classes.pos_bits[0] & VERB and frames
                    and not frames & (context.TRANSITIVE_FRAMES | grammar.COPULAR_FRAMES)
                    and context.object_follows([after], np.array([pos(after)]))[0]
                    and context.narrowed_slot(left[i], after, pos(left[i]), pos(after), True) & VERB):
                found.append((i, i + 2, "valency"))
    return sorted(found, key=lambda item: (item[0], grammar.CHECKS.index(item[2])))


WORDS = ("a an the my they would towards of to go went away markets the nice sign fine "
         "anticipation it be an' X-ray , . leave create rich we").split()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join))
def test_the_array_passes_match_the_plain_loop(text):
    batch = tokenize_batch([text])
    hits = find_hits(batch, BatchWords.of(batch.vocabulary), NO_PHRASES, NO_EXPRESSIONS,
                     lambda matrix: np.zeros(len(matrix)))
    found = [(hit.start, hit.stop, check_of(hit)) for hit in hits.hits if hit.kind == BROKEN_GRAMMAR]
    assert found == candidates_py(text)


def test_a_headline_in_title_case_is_read_like_running_text():
    running = screen("The firm was ready to go away markets, and there is an sign of panic.")
    title = screen("The Firm Was Ready To Go Away Markets, And There Is An Sign Of Panic")
    capitals = screen("THE FIRM WAS READY TO GO AWAY MARKETS, AND THERE IS AN SIGN OF PANIC")
    assert [f.expected for f in title.findings] == [f.expected for f in running.findings]
    assert [f.text for f in title.findings] == ["Go Away", "An Sign"]
    # Words in capitals only are no more read than names are.
    assert not capitals.findings


def test_a_users_rule_names_the_likely_original_of_a_grammar_break():
    text = "The company was ready to go away markets."
    assert [(f.text, f.expected) for f in screen(text).findings] == [("go away", "leave")]
    # A rule passed in ("exit" written as "go away") is what the spinner did: its original wins.
    assert [(f.text, f.expected) for f in screen(text, rules=[("exit", "go away")]).findings] == [
        ("go away", "exit")]
