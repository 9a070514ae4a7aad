from __future__ import annotations

import json
import math
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import spindetect.score.features as features_module
from spindetect import compare, lexicon
from spindetect.align import align, token_ids
from spindetect.extract import extract_edits
from spindetect.score import (
    SIGNAL_NAMES,
    score_edits,
    score_substitution,
)
from spindetect.score.features import (
    CONTEXT_FEATURES,
    LEXICAL_FEATURES,
    SWAP_LEXICAL_FEATURES,
    known_rules,
    lexical_features,
    reduce_phrases,
    _prefix_overlap,
)
from spindetect.score.model import MODEL_PATH, ModelDataError, load_model, parse_model
from spindetect.tokenize import tokenize


def document(article: str, reference: str):
    article_tokens, reference_tokens = tokenize(article), tokenize(reference)
    alignment = align(*token_ids(article_tokens.norms, reference_tokens.norms))
    return extract_edits(alignment, article_tokens.norms, reference_tokens.norms), article_tokens, reference_tokens


CONTEXT = "the charge carries a maximum penalty of ten years in prison and {} of 500,000 euros if found guilty"


@pytest.mark.parametrize(
    ("spun", "human"),
    [
        (("fine", "nice"), ("procedure", "technique")),
        (("neural network", "neural organization"), ("have dropped", "have fallen")),
        (("data mining", "information mining"), ("regulator", "regulators")),
        (("country", "rustic"), ("armor", "armour")),
    ],
)
def test_spinner_swaps_outscore_human_ones(spun, human):
    assert score_substitution(*spun) > score_substitution(*human)


def test_scores_are_probabilities():
    for original, replacement in [("a", "b"), ("fine", "nice"), ("x" * 50, "y")]:
        assert 0.0 <= score_substitution(original, replacement) <= 1.0


@pytest.mark.parametrize("original, replacement, side", [
    ("", "word", "original"), ("fine", "", "replacement"), ("...", "nice", "original"),
    ("fine", " \t", "replacement"),
])
def test_a_side_without_words_is_no_substitution(original, replacement, side):
    # It scored 0.61-0.85, as if likely spinner work; compare() judges it in context.
    with pytest.raises(ValueError, match=rf"^{side} has no words"):
        score_substitution(original, replacement)
    assert score_substitution("", "") == score_substitution("...", "!") == 0.0  # same tokens


def test_same_tokens_score_zero():
    assert score_substitution("We're", "we are") == 0.0
    assert score_substitution("Fine!", "fine") == 0.0


def test_score_substitution_rejects_non_str():
    with pytest.raises(TypeError, match="original must be str"):
        score_substitution(b"fine", "nice")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="replacement must be str"):
        score_substitution("fine", None)  # type: ignore[arg-type]


def test_lexical_features_matrix_shape_and_known_values():
    matrix = lexical_features([("fine",), ("regulator",)], [("nice",), ("regulators",)])
    assert matrix.shape == (2, len(LEXICAL_FEATURES)) and matrix.dtype == np.float64
    column = {name: matrix[:, i] for i, name in enumerate(LEXICAL_FEATURES)}
    assert column["moby_synonym"].tolist() == [1.0, 0.0]
    assert column["same_lemma"].tolist() == [0.0, 1.0]


def test_reduce_phrases_keeps_what_differs():
    assert reduce_phrases(("neural", "network"), ("neural", "organization")) == (("network",), ("organization",))
    assert reduce_phrases(("fine",), ("nice",)) == (("fine",), ("nice",))


def test_known_rules_are_loaded_from_the_shipped_file():
    rules = known_rules()
    assert len(rules) > 1000
    assert all(isinstance(a, str) and isinstance(b, str) for a, b in list(rules)[:50])


def test_scores_do_not_depend_on_the_batch():
    first = document(CONTEXT.format("a nice"), CONTEXT.format("a fine"))
    second = document("we were willing to go away the country at once today", "we were ready to leave that country at once today")
    alone = score_edits([first])
    together = score_edits([second, first, second])
    count = len(first[0].edits)
    offset = len(second[0].edits)
    assert alone.scores.tolist() == together.scores[offset : offset + count].tolist()
    assert np.array_equal(alone.signals, together.signals[offset : offset + count], equal_nan=True)
    assert alone.documents.tolist() == together.documents[1:2].tolist()


def test_signals_have_one_column_per_name():
    scored = score_edits([document(CONTEXT.format("a nice"), CONTEXT.format("a fine"))])
    assert scored.signals.shape == (1, len(SIGNAL_NAMES))
    report = compare(CONTEXT.format("a nice"), CONTEXT.format("a fine"))
    signals = dict(report.swaps[0].signals)
    assert signals["thesaurus_synonym"] == 1.0
    # "a fine of" needs a noun; "nice" can be none.
    assert signals["part_of_speech_mismatch"] == 1.0
    assert signals["spun_document"] == round(report.score, 4)


def test_names_lower_a_swap_score():
    human = compare(
        "In a statement released on Monday, Smith told reporters the deal was done.",
        "In a statement released on Monday, Jones told reporters the deal was done.",
    )
    spun = compare(
        "In a statement released on Monday, she told reporters the nice was paid in full.",
        "In a statement released on Monday, she told reporters the fine was paid in full.",
    )
    assert dict(human.swaps[0].signals)["proper_noun"] == 1.0
    assert human.swaps[0].score < spun.swaps[0].score


def test_a_name_that_opens_a_sentence_is_a_name():
    # "John Smith" is a WordNet lemma and the thesaurus lists "john" and "paul": read as
    # words, the swap looked sense-blind and was flagged (0.84) before the capitalised word
    # after it marked the pair as a name.
    renamed = compare(
        "Paul Smith met the minister on Monday.", "John Smith met the minister on Monday."
    )
    assert dict(renamed.swaps[0].signals)["proper_noun"] == 1.0
    assert not renamed.swaps[0].flagged
    # A function word that opens a sentence before a capitalised word starts no name.
    sentence = compare("A Court fined the company on Monday.", "The Court fined the company on Monday.")
    assert dict(sentence.swaps[0].signals)["proper_noun"] == 0.0


def test_a_headline_in_title_case_is_judged_like_running_text():
    # Every word capitalised marks no name: "A Nice Of" is the same swap as "a nice of".
    headline = compare("Court Imposes A Nice Of 500,000 Euros On Telegram",
                       "Court Imposes A Fine Of 500,000 Euros On Telegram")
    sentence = compare("Court imposes a nice of 500,000 euros on Telegram",
                       "Court imposes a fine of 500,000 euros on Telegram")
    assert dict(headline.swaps[0].signals)["proper_noun"] == 0.0
    assert headline.swaps[0].flagged and sentence.swaps[0].flagged


def test_a_document_without_edits_scores_zero():
    text = "The court fined the company 500,000 euros on Monday for failing to moderate content."
    assert compare(text, text).score == 0.0
    scored = score_edits([document(text, text)])
    assert scored.scores.tolist() == [] and scored.documents.tolist() == [0.0]


def test_document_score_weighs_evidence_not_density():
    """Spinner swaps in a long faithful copy count; a score does not fall as the copy grows."""
    sentence = "The committee met on Tuesday and discussed the budget for the coming year in detail."
    spun = "The committee met on Tuesday and discussed the nice for the coming year in detail."
    reference = " ".join([sentence] * 3 + ["The fine was paid by the company."] + [sentence] * 3)
    article = " ".join([sentence] * 3 + ["The nice was paid by the company."] + [sentence] * 3)
    short = compare("The nice was paid by the company at once.", "The fine was paid by the company at once.")
    long = compare(article, reference)
    assert long.score >= short.score * 0.9
    many = compare(" ".join([spun] * 4), " ".join([sentence] * 4))
    assert many.score > 0.5


def test_model_file_matches_the_feature_code():
    model = load_model()
    assert model.lexical.features == LEXICAL_FEATURES
    assert model.context.features == ("lexical_logit", *SWAP_LEXICAL_FEATURES, *CONTEXT_FEATURES)
    from spindetect.score.document import DOCUMENT_FEATURES

    assert model.document.features == DOCUMENT_FEATURES


def test_stale_model_file_fails_clearly(tmp_path: Path):
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["format"] = "spindetect-model/0"
    with pytest.raises(ModelDataError, match="refit"):
        parse_model(data)
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["lexical"]["features"] = data["lexical"]["features"][:-1]
    with pytest.raises(ModelDataError, match="do not match"):
        parse_model(data)


@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=20))
def test_prefix_overlap_equals_the_plain_shared_prefix(pairs: list[tuple[str, str]]):
    originals = [a for a, _ in pairs]
    replacements = [b for _, b in pairs]
    expected = []
    for a, b in pairs:
        shared = 0
        while shared < min(len(a), len(b)) and a[shared] == b[shared]:
            shared += 1
        expected.append(shared / max(len(a), len(b), 1))
    assert _prefix_overlap(originals, replacements).tolist() == expected


_long_pairs = st.lists(st.tuples(st.text("abc", max_size=12), st.text("abc", max_size=12)), max_size=20)


@given(_long_pairs)
def test_prefix_overlap_counts_at_most_the_cap(pairs: list[tuple[str, str]]):
    # With a cap of 5, strings of up to 12 characters reach past it.
    cap = 5
    originals = [a for a, _ in pairs]
    replacements = [b for _, b in pairs]
    with mock.patch.object(features_module, "MAX_SPELLING_CHARACTERS", cap):
        overlaps = _prefix_overlap(originals, replacements).tolist()
    for (a, b), overlap in zip(pairs, overlaps):
        shared = 0
        while shared < min(len(a), len(b), cap) and a[shared] == b[shared]:
            shared += 1
        assert overlap == shared / max(len(a), len(b), 1)


def test_a_swap_of_huge_tokens_reads_a_bounded_number_of_characters():
    # Issue 19: a Levenshtein distance over one 1M-character token took 36 s, and
    # score_substitution("x" * 10**7, "y" * 10**7) never finished. What RapidFuzz compares
    # of a swap is capped.
    seen: list[int] = []
    real_cpdist = features_module.cpdist

    def recording_cpdist(originals, replacements, **options):
        seen.extend(map(len, [*originals, *replacements]))
        return real_cpdist(originals, replacements, **options)

    with mock.patch.object(features_module, "cpdist", recording_cpdist):
        score = score_substitution("x" * 10**6, "x" * 10**6 + "y")
    assert seen and max(seen) == features_module.MAX_SPELLING_CHARACTERS
    assert 0.0 <= score <= 1.0


def test_known_rule_hits_equal_the_plain_rule_sets():
    from spindetect.score.features import known_rule_hits, rules_of_pair

    rules = frozenset({("fine", "nice"), ("same", "same"), ("legal action", "legal motion"),
                       ("action", "motion"), ("was", "used to be")})
    originals = [("fine",), ("same",), ("legal", "action"), ("was",), (), ("fine",), ("big", "data"),
                 ("fine",)]
    replacements = [("nice",), ("same",), ("legal", "motion"), ("used", "to", "be"), ("x",),
                    ("good",), ("large", "information"), ()]
    expected = [
        float(bool(rules_of_pair(*reduce_phrases(o, r)) & rules))
        for o, r in zip(originals, replacements)
    ]
    assert expected == [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    assert known_rule_hits(originals, replacements, rules).tolist() == expected
    assert known_rule_hits([], [], rules).tolist() == []


def test_context_features_compute_exactly_the_declared_columns():
    from spindetect.score.document import DOCUMENT_COLUMNS, DOCUMENT_FEATURES
    from spindetect.score.features import CONTEXT_COLUMNS

    assert CONTEXT_FEATURES == tuple(CONTEXT_COLUMNS)
    assert DOCUMENT_FEATURES == tuple(DOCUMENT_COLUMNS)
    assert all(description for description, _ in CONTEXT_COLUMNS.values())
    assert all(description for description, _ in DOCUMENT_COLUMNS.values())


def test_zipf_of_words_is_wordfreqs_zipf_with_a_floor_for_unlisted_words():
    import wordfreq

    from spindetect.score.features import UNKNOWN_ZIPF, _zipf_of_words

    words = ["the", "regulator", "fine", "qwzx", "don't", "500", "the"]
    listed = wordfreq.get_frequency_dict("en")
    expected = [math.log10(listed[w]) + 9.0 if w in listed else UNKNOWN_ZIPF for w in words]
    assert _zipf_of_words(words).tolist() == expected
    assert expected[3] == UNKNOWN_ZIPF and expected[0] > 7.0


@given(st.lists(st.text(alphabet=st.sampled_from("ab 7\n\u00b2\u0663\u00bd\u00e9x"), max_size=6),
                max_size=8))
def test_has_digit_is_any_isdigit(texts):
    from spindetect.score.features import _has_digit

    expected = [any(map(str.isdigit, text)) for text in texts]
    assert _has_digit(texts).tolist() == expected


@given(st.lists(st.lists(st.sampled_from(["a", "bb", "c d"]), max_size=3).map(tuple), max_size=6))
def test_flatten_lists_every_word_with_its_phrase(phrases):
    from spindetect.score.features import _flatten

    words, phrase_of_word = _flatten(phrases)
    assert words == [word for phrase in phrases for word in phrase]
    assert phrase_of_word.tolist() == [row for row, phrase in enumerate(phrases) for _ in phrase]


def _plain_has_name(tokens, first, last):
    """The scan _capitalised does for all ranges at once (its names), for one range."""
    from spindetect.score import _SENTENCE_OPENERS
    from spindetect.score.context import TITLE_CASE_SHARE, TITLE_CASE_WORDS

    text = tokens.text
    # Title case (a headline; words beginning with A to Z counted): capitals mark no names.
    initials = [text[int(start)] for start in tokens.starts]
    initials = [initial for initial in initials if initial.isascii() and initial.isalpha()]
    capitals = [initial for initial in initials if initial.isupper()]
    if len(initials) >= TITLE_CASE_WORDS and len(capitals) >= TITLE_CASE_SHARE * len(initials):
        return False
    for index in range(first, last):
        start = int(tokens.starts[index])
        if not text[start].isupper():
            continue
        position = start - 1
        while position >= 0 and text[position] in " \t":
            position -= 1
        if position >= 0 and text[position] not in _SENTENCE_OPENERS:
            return True
        # It opens a sentence: a name if a capitalised word follows after spaces only, and
        # it is no function word.
        if index + 1 < len(tokens.norms) and tokens.norms[index] not in lexicon.FUNCTION_WORDS:
            end, following = int(tokens.ends[index]), int(tokens.starts[index + 1])
            if set(text[end:following]) <= {" ", "\t"} and text[following].isupper():
                return True
    return False


@given(
    st.lists(st.sampled_from(["Anna", "met", "the", "EU", ".", "\u201cSo", "\u00c9mile", "-", "x"]),
             min_size=1, max_size=12),
    st.data(),
)
def test_has_names_is_the_plain_scan_of_each_range(words, data):
    from spindetect.score import _capitalised
    from spindetect.tokenize import tokenize

    tokens = tokenize(data.draw(st.sampled_from([" ", "  ", "\t", "\n"])).join(words))
    count = len(tokens)
    ranges = data.draw(st.lists(
        st.tuples(st.integers(0, count), st.integers(0, count)).map(sorted), max_size=6
    ))
    first = np.array([r[0] for r in ranges], dtype=np.int64)
    last = np.array([r[1] for r in ranges], dtype=np.int64)
    expected = [_plain_has_name(tokens, a, b) for a, b in ranges]
    assert _capitalised(tokens, first, last)[0].tolist() == expected


def test_lexical_features_compute_exactly_the_declared_columns():
    from spindetect.score.features import LEXICAL_COLUMNS

    assert LEXICAL_FEATURES == tuple(LEXICAL_COLUMNS)
    assert lexical_features([], []).shape == (0, len(LEXICAL_COLUMNS))
    assert all(description for description, _ in LEXICAL_COLUMNS.values())
