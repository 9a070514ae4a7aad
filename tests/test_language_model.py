"""Tests of the shipped bigram language model (spindetect.language_model)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect import language_model
from spindetect.lexicon import LexiconDataError
from spindetect.score.context_py import _conditional_log10_py, _phrase_log10_py, text_fluency_py

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
DEBIAN_MODEL = Path("/usr/share/pocketsphinx/model/en-us/en-us.lm.bin")
WORDS = ["the", "of", "a", "to", "leave", "go", "away", "markets", "shares", "fell", "dipped",
         "united", "states", "fine", "nice", "qwzx", "über", ""]


def test_a_listed_bigram_is_read_back_and_an_unlisted_one_backs_off():
    ids = language_model.word_ids(["united", "states", "rustic"])
    listed, unlisted = language_model.conditional_log10(ids[[0, 0]], ids[[1, 2]])
    # CMU Sphinx's model: log10 P(states | united) = -0.128, P(rustic | united) backs off.
    assert abs(listed - -0.128) <= 1 / language_model.LOG10_STEPS
    assert unlisted < -6


def test_unknown_words_get_the_floor_and_blank_reads_as_a_sentence_start():
    ids = language_model.word_ids(["qwzx", "", "the"])
    assert ids[0] == -1 and ids[1] >= 0
    floor, after_start, alone = language_model.conditional_log10(ids[[2, 1, 0]], ids[[0, 2, 2]])
    assert floor == language_model._model().unknown_log10
    # "The" opens sentences more often than it follows an unknown word (its own probability).
    assert after_start > alone


def test_phrases_read_worse_where_a_spinner_broke_them():
    before = ["to", "to", "shares", "shares", "he", "he"]
    phrases = [("leave",), ("go", "away"), ("fell",), ("dipped",), ("stayed",), ("remained",)]
    after = ["markets", "markets", "on", "on", "in", "in"]
    scores = language_model.phrase_log10(before, phrases, after)
    assert scores[0] - scores[1] > 0.5  # "to go away markets"
    assert scores[4] - scores[5] < 1.0  # "he remained in" reads about as well as "he stayed in"


def test_empty_input_and_empty_phrases():
    assert language_model.phrase_log10([], [], []).shape == (0,)
    # An empty phrase scores the neighbours' own pair; nothing after adds no term.
    (pair,), (alone,) = (language_model.phrase_log10(["of"], [()], ["the"]),
                         language_model.phrase_log10(["of"], [("the",)], [""]))
    assert pair == pytest.approx(alone)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="before, phrases and after must have the same length"):
        language_model.phrase_log10(["a"], [("b",)], [])
    with pytest.raises(TypeError, match="phrases must hold sequences of words, got a str"):
        language_model.phrase_log10(["a"], ["fine"], ["of"])
    with pytest.raises(TypeError, match="texts must hold sequences of words, got a str"):
        language_model.text_fluency(["the firm is prepared"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.lists(st.sampled_from(WORDS[:-1]), max_size=3),
                          st.sampled_from(WORDS)), max_size=12))
def test_phrase_scores_equal_the_plain_reference(rows):
    before = [b for b, _, _ in rows]
    phrases = [tuple(words) for _, words, _ in rows]
    after = [a for _, _, a in rows]
    fast = language_model.phrase_log10(before, phrases, after)
    plain = [_phrase_log10_py(b, p, a) for b, p, a in zip(before, phrases, after)]
    np.testing.assert_allclose(fast, plain, rtol=0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS[:-1]), max_size=8), max_size=5))
def test_text_fluency_equals_the_plain_reference(texts):
    fast = language_model.text_fluency(texts)
    assert fast.shape == (len(texts), len(language_model.FLUENCY_STATISTICS))
    for row, text in zip(fast.tolist(), texts):
        assert row == pytest.approx(text_fluency_py(text), abs=1e-9)


def test_every_listed_bigram_of_a_sample_is_found():
    model = language_model._model()
    rng = np.random.default_rng(3)
    rows = rng.choice(len(model.bigram_words), 2000, replace=False)
    history = np.searchsorted(model.bigram_starts, rows, side="right") - 1
    word = model.bigram_words[rows].astype(np.int64)
    got = language_model.conditional_log10(history, word)
    np.testing.assert_array_equal(got, -model.bigram_codes[rows].astype(np.float64) / model.steps)
    words = model.index.strings()
    plain = [_conditional_log10_py(words[h], words[w]) for h, w in zip(history[:200], word[:200])]
    np.testing.assert_allclose(got[:200], plain, rtol=0, atol=1e-12)


def test_a_stale_file_fails_with_a_clear_message(tmp_path):
    from spindetect._tables import write_table

    path = tmp_path / "language_model.table"
    write_table(path, kind="language_model", version=language_model.FORMAT_VERSION + 1,
                built_by="scripts/build_language_model.py",
                arrays={"unigram_log10": np.zeros(1, dtype=np.float32)})
    with pytest.raises(LexiconDataError, match=r"the data is stale; rebuild it with "
                       r"`python scripts/build_language_model.py`"):
        language_model._model(path)


@pytest.mark.slow
@pytest.mark.skipif(not DEBIAN_MODEL.exists(), reason="needs Debian's pocketsphinx-en-us (the model file)")
def test_the_shipped_table_is_a_fresh_build():
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "build_language_model.py"), "--check", "--model", str(DEBIAN_MODEL)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0 and "check: OK" in result.stdout, result.stdout + result.stderr
