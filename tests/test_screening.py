"""Tests of reference-free screening (spindetect.screen and the screening package)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import spindetect
from spindetect import RecurringSwap, Screening, screen, screen_many
from spindetect.cli import main
from spindetect.screening import SCREENING_SCHEMA_VERSION, iter_screen
from spindetect.screening.detect import TEXT_STATISTICS, BatchWords, text_statistics
from spindetect.screening.phrases import canonical_form, known_phrases, ngram_hashes
from spindetect.tokenize import tokenize, tokenize_batch

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "docs" / "screening.schema.json").read_text("utf-8")
)
SPUN = "We apply counterfeit consciousness to bosom malignancy screening."
CLEAN = "The court imposed a fine of 500,000 euros on the company on Monday."


def found(text: str, **options) -> list[tuple[str, str | None, str]]:
    return [(f.text, f.expected, f.kind) for f in screen(text, **options).findings]


def test_known_phrases_are_found_with_what_they_replaced():
    assert found(SPUN) == [
        ("counterfeit consciousness", "artificial intelligence", "known_phrase"),
        ("bosom malignancy", "breast cancer", "known_phrase"),
    ]


def test_inflected_known_phrases_are_found():
    assert found("Two bosom malignancies were seen.") == [
        ("bosom malignancies", "breast cancer", "known_phrase")
    ]
    assert canonical_form("malignancies") == canonical_form("malignancy")


@pytest.mark.parametrize("text", [
    "We trained a neural network with supervised learning.",
    "Data mining and machine learning were used on big data.",
    "Feature extraction precedes the classification of images.",
    CLEAN,
])
def test_ordinary_phrases_do_not_fire(text):
    assert screen(text).findings == ()


def test_noisy_list_keys_are_not_known_phrases():
    table = known_phrases()
    listed = {tortured for tortured, _, _ in table.phrases}
    assert {"neural network", "supervised learning", "surface area"}.isdisjoint(listed)
    assert "counterfeit consciousness" in listed


def test_an_unlisted_tortured_collocation_names_the_expression():
    (finding,) = screen("Profound learning helps.").findings
    assert (finding.kind, finding.text, finding.expected) == (
        "tortured_collocation", "Profound learning", "deep learning")
    assert dict(finding.signals)["expected_target"] == 1.0
    # How the written pair reads by the bigram language model, as the model gives it.
    from spindetect import language_model

    ids = language_model.word_ids(["profound", "learning"])
    written, alone = language_model.conditional_log10(np.array([ids[0], -1]), ids[[1, 1]])
    signals = dict(finding.signals)
    assert signals["written_log10"] == pytest.approx(written)
    assert signals["written_association"] == pytest.approx(written - alone)


def test_rules_passed_in_are_matched_as_known_phrases():
    text = "He has a solid brain and a kind heart."
    assert found(text) == []
    rules = [RecurringSwap("sound mind", "solid brain", 3)]
    (finding,) = screen(text, rules=rules).findings
    assert (finding.text, finding.expected, dict(finding.signals)["from_rules"]) == (
        "solid brain", "sound mind", 1.0)
    assert found(text, rules=[("sound mind", "solid brain")]) == [
        ("solid brain", "sound mind", "known_phrase")]


def test_disguised_words_are_evasions():
    text = "He p\u0430id a fine of 500 eu\u200bros."
    assert [(f.text, f.kind) for f in screen(text).findings] == [
        ("p\u0430id", "homoglyph"), ("eu\u200bros", "invisible")]
    # A word wholly in another script is no disguise.
    assert screen("\u041c\u043e\u0441\u043a\u0432\u0430 \u0441\u043e\u0440").findings == ()


def test_every_invisible_character_inside_a_word_is_an_evasion(invisible_characters):
    # The class of U+200B (issue 19): variation selectors, Hangul fillers, tag characters...
    texts = [f"He paid a fine of 500 eu{c}ros." for c in invisible_characters]
    for c, screening in zip(invisible_characters, screen_many(texts)):
        assert [(f.text, f.kind) for f in screening.findings] == [(f"eu{c}ros", "invisible")]


def test_a_phrase_broken_by_punctuation_is_no_phrase():
    assert screen("Counterfeit. Consciousness matters.").findings == ()


def test_document_score_separates_spun_from_clean_and_ignores_the_threshold():
    spun, clean = screen(SPUN), screen(CLEAN)
    assert spun.score > 0.5 > clean.score
    assert screen(SPUN, threshold=0.99).score == spun.score
    assert screen(SPUN, threshold=0.99).findings == ()


@pytest.mark.parametrize("text", ["Bitcoin", "Zelensky", "NASA", "Paris", "Schwarzenegger wins.", "OK"])
def test_a_few_words_say_too_little_to_be_called_spun(text):
    # A name alone is a rare word in a very short text; its statistics are drawn towards
    # ordinary text's (``steady_statistics``), so it screens like ordinary text, not spun.
    assert screen(text).score < 0.5


@pytest.mark.parametrize("text", [
    "Der Hund bellt laut und lange, und die Nachbarn beschweren sich jeden Abend.",
    "Le chien aboie fort et longtemps dans la nuit.",
    "DE VOE, Colonel, THOMAS F., New York City.",
])
def test_a_text_that_cannot_be_read_as_english_gets_no_verdict(text):
    # Six tokens or more and not one English function word: another language, or a list
    # of names. The model knows English only, so it says nothing (0), as compare does.
    assert screen(text).score == 0.0
    assert screen("The dog barks loudly and for a long time at night.").score > 0.0


def test_letters_strung_at_random_get_no_verdict():
    # They scored 0.80-1.00 (a new user's audit): chance short words ("be", "he", "a") gave
    # them function words, and the rest read as a sentence of very rare words.
    rng = np.random.default_rng(0)
    for count in (6, 20, 2000):
        words = ["".join(rng.choice(list("abcdefghij"), rng.integers(2, 9))) for _ in range(count)]
        assert screen(" ".join(words)).score == 0.0
    # A spun sentence of rare English words keeps its verdict.
    assert screen("The enterprise is prepared to go away marketplaces wherein it is prohibited.").score > 0.0


def test_a_screening_model_without_its_statistics_prior_is_refused():
    from spindetect.score.model import ModelDataError
    from spindetect.screening.model import SCREEN_MODEL_PATH, parse_screen_model

    data = json.loads(SCREEN_MODEL_PATH.read_text(encoding="utf-8"))
    data["statistics_prior"] = data["statistics_prior"][:-1]
    with pytest.raises(ModelDataError, match="statistics_prior"):
        parse_screen_model(data)


def test_empty_text_scores_zero():
    assert screen("") == Screening(score=0.0, findings=(), threshold=0.5, tokens=0, text="")


def test_batches_give_what_one_text_gives():
    texts = [SPUN, CLEAN, "", "Profound learning helps.", "huge information"] * 3
    assert screen_many(texts, batch_size=4) == [screen(text) for text in texts]
    assert list(iter_screen(iter(texts), batch_size=1)) == screen_many(texts)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_is_screened_and_spans_slice_the_text(text):
    screening = screen(text)
    assert 0.0 <= screening.score <= 1.0
    for finding in screening.findings:
        assert text[finding.span[0]:finding.span[1]] == finding.text
        assert finding.score >= screening.threshold


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(
    ["counterfeit", "consciousness", "bosom", "malignancy", "the", "profound", "learning", ",", "."]
), max_size=20))
def test_findings_are_in_text_order_and_never_overlap(words):
    findings = screen(" ".join(words)).findings
    for before, after in zip(findings, findings[1:]):
        assert before.span[1] <= after.span[0]


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: screen(b"text"), TypeError, "text must be str, got bytes"),
    (lambda: screen("a", threshold=2), ValueError, "threshold must be in"),
    (lambda: screen_many("abc"), TypeError, "texts must be an iterable of str"),
    (lambda: screen_many(["a", 3]), TypeError, r"texts\[1\] must be str"),
    (lambda: screen_many(["a"], batch_size=0), ValueError, "batch_size must be at least 1"),
    (lambda: screen("a", rules=[("a",)]), TypeError, r"rules\[0\] must be a RecurringSwap"),
])
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_to_dict_follows_the_schema():
    Draft202012Validator.check_schema(SCHEMA)
    data = json.loads(screen(SPUN).to_json())
    assert data["schema_version"] == SCREENING_SCHEMA_VERSION == 1
    assert list(Draft202012Validator(SCHEMA).iter_errors(data)) == []
    assert data["findings"][0]["expected"] == "artificial intelligence"


def test_html_page_escapes_the_text_and_shows_each_finding():
    text = "<script>alert(1)</script> " + SPUN
    page = screen(text).to_html(name="<b>name</b>")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "&lt;b&gt;name&lt;/b&gt;" in page
    assert page.count('class="swap flagged"') == 2 and "breast cancer" in page
    with pytest.raises(ValueError, match="not the text this screening was made from"):
        screen(SPUN).to_html("another text entirely, long enough to hold the spans.")


def test_cli_screens_files_and_records(tmp_path, capsys):
    (tmp_path / "spun.txt").write_text(SPUN, encoding="utf-8")
    records = tmp_path / "texts.jsonl"
    records.write_text(json.dumps({"id": "clean", "text": CLEAN}) + "\nnot json\n", encoding="utf-8")
    assert main(["screen", str(tmp_path / "spun.txt"), str(records), "--json",
                 "--html", str(tmp_path / "out.html")]) == 0
    output, errors = capsys.readouterr()
    lines = [json.loads(line) for line in output.splitlines()]
    assert [(line["id"], len(line["findings"])) for line in lines] == [
        (str(tmp_path / "spun.txt"), 2), ("clean", 0)]
    assert "texts.jsonl:2: not valid JSON" in errors
    assert (tmp_path / "out-1.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["screen", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt: no such file" in capsys.readouterr().err


def test_public_names_are_exported():
    assert {"screen", "screen_many", "iter_screen", "Screening", "Finding"} <= set(spindetect.__all__)


# ---------------------------------------------------------------- array passes vs plain loops


def ngram_hashes_py(ids: list[int], length: int) -> tuple[list[int], list[bool]]:
    hashes, known = [], []
    for start in range(len(ids) - length + 1):
        value = length
        for token in ids[start : start + length]:
            value = (value * 0x9E3779B97F4A7C15 + token + 1) % 2**64
        hashes.append(value)
        known.append(all(token >= 0 for token in ids[start : start + length]))
    return hashes, known


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-1, 50), max_size=30), st.integers(1, 5))
def test_ngram_hashes_match_the_plain_loop(ids, length):
    hashes, known = ngram_hashes(np.array(ids, dtype=np.int64), length)
    expected_hashes, expected_known = ngram_hashes_py(ids, length)
    assert known.tolist() == expected_known
    assert [h for h, k in zip(hashes.tolist(), expected_known) if k] == [
        h for h, k in zip(expected_hashes, expected_known) if k]


def text_statistics_py(text: str) -> list[float]:
    from spindetect import bigrams
    from spindetect.lexicon import FUNCTION_WORDS
    from spindetect.score.context_py import text_fluency_py

    norms = list(tokenize(text).norms)
    pairs = [(a, b) for a, b in zip(norms, norms[1:])
             if bigrams.word_ids([a])[0] >= 0 and bigrams.word_ids([b])[0] >= 0]
    absent = [bigrams.bigram_counts([a], [b])[0] == 0 for a, b in pairs]
    function = [a in FUNCTION_WORDS or b in FUNCTION_WORDS for a, b in pairs]
    content = [w for w in norms if w.isalpha() and w not in FUNCTION_WORDS]
    rare = [bigrams.unigram_counts([w])[0] < 1_000_000 for w in content]

    def share(top: list[bool], bottom: list[bool]) -> float:
        return sum(t and b for t, b in zip(top, bottom)) / sum(bottom) if any(bottom) else 0.0

    return [share(absent, [True] * len(pairs)), share(absent, function),
            share(rare, [True] * len(content)), *text_fluency_py(norms)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(
    "the an a sign of stress onto on locally local irritation qwzx deep profound learning".split()
), max_size=12).map(" ".join), max_size=4))
def test_text_statistics_match_the_plain_loop(texts):
    batch = tokenize_batch(texts)
    statistics = text_statistics(batch, BatchWords.of(batch.vocabulary))
    assert statistics.shape == (len(texts), len(TEXT_STATISTICS))
    for row, text in zip(statistics.tolist(), texts):
        assert row == pytest.approx(text_statistics_py(text))


def test_every_signal_a_finding_or_swap_can_carry_is_documented():
    """docs/evaluation.md explains each signal by name: swaps' (SIGNAL_NAMES) and each
    screening finding kind's (the features of the collocation and grammar models)."""
    from pathlib import Path

    from spindetect.score import SIGNAL_NAMES
    from spindetect.screening.detect import FEATURES
    from spindetect.screening.grammar import GRAMMAR_FEATURES

    text = (Path(__file__).resolve().parents[1] / "docs" / "evaluation.md").read_text(encoding="utf-8")
    names = [*SIGNAL_NAMES, *FEATURES, *GRAMMAR_FEATURES, "listed", "from_rules", "words"]
    assert [name for name in names if f"`{name}`" not in text] == []


def test_the_shipped_tables_are_what_the_builders_make():
    # known_phrases() and collocations() without user rules read data/screen_tables.table
    # (built ahead: building them cost every fresh process about 3 s); the same objects as a
    # fresh build, whose arrays were narrowed to store them and widened back on load.
    from spindetect.lexicon.loading import vocabulary
    from spindetect.score.features import known_rules
    from spindetect.screening import phrases

    shipped, built = phrases.known_phrases(), phrases.build_known_phrases(phrases._phrase_entries(()))
    assert shipped.word_ids == built.word_ids and shipped.phrases == built.phrases
    assert sorted(shipped.keys) == sorted(built.keys)
    for length in built.keys:
        assert np.array_equal(shipped.keys[length], built.keys[length])
        assert shipped.keys[length].dtype == built.keys[length].dtype == np.uint64
        assert np.array_equal(shipped.rows[length], built.rows[length])
    tables = phrases.collocations()
    fresh = phrases.build_collocations([e for _, e in phrases.shipped_phrases()], known_rules())
    for name in ("keys", "counts", "sources", "pmis", "word_counts", "origins_indptr",
                 "origins_ids", "origins_relations", "first_words", "second_words"):
        mine, theirs = getattr(tables, name), getattr(fresh, name)
        assert mine.dtype == theirs.dtype and np.array_equal(mine, theirs), name
    for name in ("first_origins", "second_origins", "strong_first_origins", "strong_second_origins"):
        mine, theirs = getattr(tables, name), getattr(fresh, name)
        assert all(np.array_equal(getattr(mine, part), getattr(theirs, part))
                   for part in ("indptr", "ids", "relations")), name
    assert tables.phrases == fresh.phrases and tables.rule_originals == fresh.rule_originals
    assert len(tables.word_counts) == len(vocabulary())


@pytest.mark.slow  # rebuilds the table (about 4 s): CI runs it, the everyday command does not
def test_the_shipped_screen_tables_are_a_fresh_build():
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_screen_tables.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check: OK" in result.stdout


def test_a_stale_screen_table_is_an_error_naming_the_file(monkeypatch):
    # Built against other lists (or another vocabulary) its ids would mean other words.
    from spindetect.lexicon import LexiconDataError
    from spindetect.screening import phrases

    stale = {**phrases.table_sources(), "spinner_rules_sha256": "0" * 64}
    monkeypatch.setattr(phrases, "table_sources", lambda: stale)
    with pytest.raises(LexiconDataError, match="screen_tables.table"):
        phrases._shipped_tables.__wrapped__(phrases.TABLES_PATH)
