"""Tests for spindetect.lexicon: the shipped tables, morphy, and the scalar and batch APIs
(the batch functions against their plain references in ``lexicon.scalar``)."""

from __future__ import annotations

import doctest
import hashlib
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect import lexicon as L
from spindetect._tables import load_table
from spindetect.lexicon import batch, loading, morphology, scalar

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
SPINNER_SWAPS = [
    ("fine", "nice"),
    ("country", "rustic"),
    ("leave", "go away"),
    ("action", "motion"),
    ("network", "organization"),
    ("data", "information"),
]


def _vocabulary_words() -> list[str]:
    return loading.vocabulary().strings()


# --------------------------------------------------------------------------- Moby


@pytest.mark.parametrize(("a", "b"), SPINNER_SWAPS)
def test_spinner_swaps_are_thesaurus_synonyms(a: str, b: str) -> None:
    assert L.are_thesaurus_synonyms(a, b) is True


@pytest.mark.parametrize(("a", "b"), SPINNER_SWAPS)
def test_thesaurus_lookup_works_in_either_direction(a: str, b: str) -> None:
    assert L.are_thesaurus_synonyms(b, a) is True


def test_unrelated_words_are_not_thesaurus_synonyms() -> None:
    assert L.are_thesaurus_synonyms("fine", "banana") is False
    assert L.are_thesaurus_synonyms("xyzzyq", "fine") is False


def test_thesaurus_lookup_lemmatises_and_normalises() -> None:
    assert L.are_thesaurus_synonyms("fines", "nices") is True
    assert L.are_thesaurus_synonyms("Countries", "RUSTIC") is True
    assert L.are_thesaurus_synonyms("left", "go_away") is True


def test_thesaurus_synonyms_returns_lower_case_set() -> None:
    syns = L.thesaurus_synonyms("fine")
    assert isinstance(syns, frozenset)
    assert {"nice", "penalty", "excellent"} <= syns
    assert all(s == L.normalize(s) for s in syns)
    assert L.thesaurus_synonyms("xyzzyq") == frozenset()


# --------------------------------------------------------------------------- WordNet


def test_normalize() -> None:
    assert L.normalize("  Go_Away\tNow ") == "go away now"


def test_wordnet_lemmas_morphy() -> None:
    assert L.wordnet_lemmas("regulators") == ("regulator",)
    assert L.wordnet_lemmas("went away") == ("go away",)
    assert L.wordnet_lemmas("better") == ("better", "good", "well")
    assert L.wordnet_lemmas("leaves") == ("leaf", "leave")
    assert L.wordnet_lemmas("xyzzyq") == ()


def test_fine_has_a_noun_sense() -> None:
    senses = L.wordnet_senses("fine")
    assert {s.pos for s in senses} == {"n", "v", "a", "r"}
    noun = [s for s in senses if s.pos == "n"]
    assert len(noun) == 1 and noun[0].lemma == "fine" and noun[0].rank == 0


def test_most_common_noun_sense_of_country_is_the_nation() -> None:
    noun = [s for s in L.wordnet_senses("country") if s.pos == "n"]
    assert [s.rank for s in noun] == [0, 1, 2, 3, 4]
    # WordNet 3.0 synset 08168978-n: {state, nation, country, land, commonwealth, ...}
    assert noun[0].offset == 8168978
    assert noun[0].count == 68 and noun[0].count > noun[1].count
    rel = L.wordnet_relation("country", "nation")
    assert rel.synonym and rel.rank_a == 0 and rel.rank_b == 0


def test_wordnet_synonyms() -> None:
    syns = L.wordnet_synonyms("countries")
    assert {"nation", "state", "land"} <= syns
    assert "country" not in syns


def test_wordnet_relation_spinner_swap_is_not_a_synonym() -> None:
    rel = L.wordnet_relation("country", "rustic")
    assert rel.known_a and rel.known_b
    assert rel.synonym is False and rel.rank_a is None and rel.rank_b is None
    assert rel.share_a == 0.0 and rel.share_b == 0.0


def test_wordnet_relation_ranks_and_shares() -> None:
    rel = L.wordnet_relation("data", "information")
    assert rel.synonym and rel.rank_a == 0 and rel.rank_b == 3
    assert rel.share_a == pytest.approx(1.0)  # "data" has a single noun sense
    assert 0.0 < rel.share_b < 0.05  # ... but it is a rare sense of "information"


def test_wordnet_hypernym_hyponym_similar() -> None:
    assert L.wordnet_relation("dogs", "canine").hypernym is True
    assert L.wordnet_relation("dogs", "canine").hyponym is False
    assert L.wordnet_relation("canine", "dog").hyponym is True
    assert L.wordnet_relation("hot", "warm").similar is True
    assert L.wordnet_relation("hot", "banana").similar is False


def test_wordnet_relation_pos_awareness() -> None:
    # "fines" can be a noun or a verb but never an adjective
    assert {s.pos for s in L.wordnet_senses("fines")} == {"n", "v"}
    assert L.wordnet_relation("fine", "excellent").shared_pos is True
    assert L.wordnet_relation("xyzzyq", "fine").known_a is False


def test_are_wordnet_synonyms_agrees_with_wordnet_relation() -> None:
    pairs = [("country", "nation"), ("fine", "nice"), ("leave", "go away"), ("regulators", "regulator"),
             ("data", "information"), ("network", "organization"), ("qwzx", "nation")]
    assert [L.are_wordnet_synonyms(a, b) for a, b in pairs] == [L.wordnet_relation(a, b).synonym for a, b in pairs]
    assert L.are_wordnet_synonyms("country", "nation") and not L.are_wordnet_synonyms("fine", "nice")


# --------------------------------------------------------------------------- batch against the scalar references


PAIRS = SPINNER_SWAPS + [
    ("fines", "nices"), ("country", "nation"), ("data", "information"), ("dogs", "canine"),
    ("canine", "dogs"), ("hot", "warm"), ("Fine", "NICE"), ("was", "used to be"),
    ("xyzzyq", "fine"), ("", ""), ("fine", "fine"), ("better", "best"), ("leaves", "departs"),
    ("country", "land"), ("went away", "left"), ("fine", "banana"), ("fine", "nice"),
]
# Words with every kind of lookup: vocabulary words and phrases, inflections, irregular
# forms, capitals and "_", words outside the lexicon, the empty word.
PROBE_WORDS = sorted({w for pair in PAIRS for w in pair} | {
    "regulators", "regulator", "went", "go", "gone", "leaf", "left", "Went_Away", "credit cards",
    "legal action", "legal actions", "mice", "bigger", "hot", "warm", "penalty", "excellent",
    "canines", "rustic", "indisputable fact", "qwzx", "é", "data", "datum", "nations", "the",
})


def _assert_pair_features_equal_references(originals: list[str], replacements: list[str]) -> None:
    features = L.pair_features(originals, np.array(replacements))
    assert tuple(features) == L.FEATURE_NAMES
    for values in features.values():
        assert values.dtype == np.float64 and values.shape == (len(originals),)
    for row, (a, b) in enumerate(zip(originals, replacements)):
        expected = scalar.pair_feature_values(a, b)
        for name in L.FEATURE_NAMES:
            assert features[name][row] == pytest.approx(expected[name], rel=1e-12, nan_ok=True), (a, b, name)


def test_pair_features_equal_the_scalar_reference() -> None:
    _assert_pair_features_equal_references([a for a, _ in PAIRS], [b for _, b in PAIRS])


@settings(deadline=None, max_examples=30)
@given(st.lists(st.tuples(st.sampled_from(PROBE_WORDS), st.sampled_from(PROBE_WORDS)), max_size=12))
def test_batch_functions_equal_their_references_on_any_pairs(pairs) -> None:
    originals = [a for a, _ in pairs]
    replacements = [b for _, b in pairs]
    _assert_pair_features_equal_references(originals, replacements)
    assert L.related_pairs(originals, replacements).tolist() == [
        scalar.is_related(a, b) for a, b in pairs]
    assert L.share_base_form(originals, replacements).tolist() == [
        scalar.shares_base_form(a, b) for a, b in pairs]
    assert L.in_vocabulary(originals).tolist() == [scalar.is_in_vocabulary(a) for a in originals]
    assert L.in_wordnet(originals).tolist() == [scalar.is_in_wordnet(a) for a in originals]
    statistics = L.word_statistics(originals)
    assert [{name: float(statistics[name][row]) for name in statistics}
            for row in range(len(originals))] == [scalar.word_statistics_of(a) for a in originals]
    assert L.word_frequencies(originals).tolist() == [scalar.word_frequency(a) for a in originals]


def test_pair_features_known_values() -> None:
    feats = L.pair_features(["fine", "country", "dogs", "fine"], ["nice", "nation", "canine", "banana"])
    assert feats["moby_synonym"].tolist() == [1.0, 1.0, 1.0, 0.0]
    assert feats["wn_synonym"].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert feats["wn_hypernym"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert np.isnan(feats["wn_rank_a"][[0, 2, 3]]).all() and feats["wn_rank_a"][1] == 0.0


def test_in_vocabulary_and_in_wordnet() -> None:
    assert L.in_vocabulary(["Rustic", "go_away", "xyzzyq", ""]).tolist() == [True, True, False, False]
    assert L.in_wordnet(["regulators", "went away", "xyzzyq"]).tolist() == [True, True, False]
    assert L.in_vocabulary([]).shape == (0,) and L.in_wordnet([]).shape == (0,)


def test_pair_features_edge_cases() -> None:
    empty = L.pair_features([], [])
    assert set(empty) == set(L.FEATURE_NAMES) and all(v.shape == (0,) for v in empty.values())
    with pytest.raises(ValueError, match="2 originals but 1 replacements"):
        L.pair_features(["a", "b"], ["c"])


def test_related_pairs_equals_the_scalar_reference() -> None:
    rng = np.random.default_rng(11)
    words = _vocabulary_words()
    picks = [words[i] for i in rng.choice(len(words), 600, replace=False)]
    originals = [a for a, _ in SPINNER_SWAPS] + picks[:300] + ["regulators", "went", "the"]
    replacements = [b for _, b in SPINNER_SWAPS] + picks[300:] + ["regulator", "go", "that"]
    # Synonyms of the picks too, so that the related answers are not all spinner swaps.
    rooted = [w for w in picks if L.thesaurus_synonyms(w)][:100]
    originals += rooted
    replacements += [min(L.thesaurus_synonyms(w)) for w in rooted]
    expected = [scalar.is_related(a, b) for a, b in zip(originals, replacements)]
    assert sum(expected) > 50
    assert L.related_pairs(originals, replacements).tolist() == expected
    assert L.related_pairs([], []).tolist() == []


def test_word_statistics_equal_the_scalar_reference() -> None:
    rng = np.random.default_rng(12)
    words = _vocabulary_words()
    probes = [words[i] for i in rng.choice(len(words), 2000, replace=False)]
    probes += [w + "s" for w in probes[:500]] + ["Fine", "went away", "qwzx", "", "fine"]
    stats = L.word_statistics(probes)
    got = [{name: float(stats[name][row]) for name in stats} for row in range(len(probes))]
    assert got == [scalar.word_statistics_of(word) for word in probes]
    assert sum(row["senses"] > 0 for row in got) > 500


def test_share_base_form_equals_the_scalar_reference() -> None:
    rng = np.random.default_rng(14)
    words = _vocabulary_words()
    picks = [words[i] for i in rng.choice(len(words), 400, replace=False)]
    originals = picks[:200] + ["regulators", "went", "fine", "Fine", "qwzx", "qwzx", "", "data"]
    replacements = picks[200:] + ["regulator", "gone", "nice", "fine", "qwzx", "Qwzx", "", "datum"]
    originals += picks[:50]
    replacements += [L.wordnet_lemmas(w)[0] if L.wordnet_lemmas(w) else w + "s" for w in picks[:50]]
    expected = [scalar.shares_base_form(a, b) for a, b in zip(originals, replacements)]
    assert sum(expected) > 40
    assert L.share_base_form(originals, replacements).tolist() == expected
    assert L.share_base_form([], []).tolist() == []
    with pytest.raises(ValueError, match="1 originals but 2 replacements"):
        L.share_base_form(["a"], ["a", "b"])


def test_form_tables_equal_the_scalar_lookups() -> None:
    rng = np.random.default_rng(13)
    words = _vocabulary_words()
    probes = [words[i] for i in rng.choice(len(words), 1000, replace=False)]
    probes += [w + "s" for w in probes[:300]] + ["Fine", "went away", "qwzx", "", "Went_Away"]
    lookups = batch.WordLookups.of(probes)
    token_indptr, tokens = lookups.analyses
    form_indptr, forms = lookups.moby_forms
    for row, word in enumerate(probes):
        normal = L.normalize(word)
        assert tuple(tokens[token_indptr[row] : token_indptr[row + 1]].tolist()) == morphology.analyses(normal)
        assert forms[form_indptr[row] : form_indptr[row + 1]].tolist() == sorted(scalar.thesaurus_forms(normal))


def test_word_frequencies_are_wordfreqs_for_every_listed_word() -> None:
    wordfreq = pytest.importorskip("wordfreq")
    source = Path(wordfreq.available_languages()["en"])
    if hashlib.sha256(source.read_bytes()).hexdigest() != loading.frequencies().source_sha256:
        pytest.skip("the installed wordfreq is not the one frequencies.table was built from")
    listed = wordfreq.get_frequency_dict("en")
    words = list(listed)
    assert L.word_frequencies(words).tolist() == [listed[word] for word in words]
    assert L.word_frequencies(["qwzx", "", "The"]).tolist() == [0.0, 0.0, 0.0]
    assert len(words) == len(loading.frequencies().words) > 300_000


# --------------------------------------------------------------------------- data files


def test_shipped_tables_load_with_current_headers() -> None:
    sha = loading.vocabulary().sha256
    from spindetect.score.context import SENSES_VERSION

    for name, version in (("forms", L.FORMAT_VERSION), ("moby", L.FORMAT_VERSION),
                          ("wordnet", L.FORMAT_VERSION), ("senses", SENSES_VERSION)):
        table = load_table(loading.DATA_DIR / f"{name}.table", kind=name, version=version)
        assert table.meta["vocabulary_sha256"] == sha
        assert all(array.dtype != object for array in table.arrays.values())
    assert loading.frequencies().words.find(["the"])[0] >= 0


def test_shipped_data_compresses_to_the_budget() -> None:
    """The data files, deflated as in the wheel, stay within the budget docs/performance.md
    explains ("Cold start", Size: what the mapped tables cost over the files they replaced;
    the language model of stop 25, 6.1 MB deflated; screening's tables of stop 27, 3.0 MB
    deflated for about 3 s and 340 MB saved by every process that screens)."""
    compressed = sum(len(zlib.compress(path.read_bytes(), 6)) for path in loading.DATA_DIR.iterdir())
    assert compressed < 28 * 1024 * 1024


def test_a_stale_table_fails_with_the_lexicon_error(tmp_path: Path, monkeypatch) -> None:
    for path in loading.DATA_DIR.glob("*.table"):
        (tmp_path / path.name).symlink_to(path)
    (tmp_path / "moby.table").unlink()
    (tmp_path / "moby.table").write_bytes(b"SPDTABLE" + b"\0" * 8)
    monkeypatch.setattr(loading, "DATA_DIR", tmp_path)
    loading.moby.cache_clear()
    try:
        with pytest.raises(L.LexiconDataError, match="moby.table"):
            loading.moby()
    finally:
        loading.moby.cache_clear()


def _morphy_probes() -> list[str]:
    """Words and phrases to look up: lemmas, their inflections, word pairs and non-words."""
    rng = np.random.default_rng(5)
    words = _vocabulary_words()
    lemmas = [words[i] for i in rng.choice(len(words), 3000, replace=False)]
    endings = ["s", "es", "ed", "ing", "er", "est", "ies", "men"]
    inflected = [f"{w}{endings[i % len(endings)]}" for i, w in enumerate(lemmas)]
    inflected += [f"{w.rpartition(' ')[0]} {w.rpartition(' ')[2]}s" for w in lemmas if " " in w]
    heads = [w.partition(" ")[0] for w in lemmas]
    pairs = [f"{a} {b}" for a, b in zip(heads, reversed(heads))]
    irregular = ["went", "went away", "mice", "took off", "bigger", "credit cards", "is",
                 "frederick william is", "fast dying", "ss", "as", "qwzx", "legal motions"]
    return lemmas + inflected + pairs + irregular


def test_shipped_morphy_table_gives_what_morphy_gives() -> None:
    probes = _morphy_probes()
    analysed = [word for word in probes if morphology.morphy_analyses(word)]
    assert len(analysed) > 3000  # the probes reach the table, not only its misses
    assert [morphology.analyses(word) for word in probes] == [
        morphology.morphy_analyses(word) for word in probes]


@pytest.mark.slow  # rebuilds three tables (about 22 s): CI runs it, the everyday command does not
@pytest.mark.parametrize("script", ["build_forms.py", "build_frequencies.py", "build_senses.py"])
def test_shipped_tables_are_fresh_builds(script: str) -> None:
    if script != "build_forms.py":
        pytest.importorskip("wordfreq")
    result = subprocess.run([sys.executable, str(SCRIPTS / script), "--check"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is up to date" in result.stdout


def test_licenses_file_names_sources_and_checksums() -> None:
    text = (loading.DATA_DIR / "LICENSES.md").read_text(encoding="utf-8")
    assert "WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved." in text
    assert "THIS SOFTWARE AND DATABASE IS PROVIDED \"AS IS\"" in text
    assert "public domain" in text and "Grady Ward" in text
    assert "d9646fa2f22f1c07e0add61e59a503148185b88dd3d3dcc2983ba9c52f598fec" in text
    assert "Attribution-ShareAlike 4.0" in text and "wordfreq 3.1.1 by Robyn Speer" in text
    for path in loading.DATA_DIR.glob("*.table"):
        assert f"`{path.name}`" in text


@pytest.mark.parametrize("module", [L, loading, morphology, scalar, batch])
def test_module_doctests_pass(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted >= 1 and result.failed == 0


def test_import_maps_no_data() -> None:
    code = ("import spindetect, spindetect.lexicon.loading as T; "
            "print(*[f.cache_info().currsize for f in (T.vocabulary, T.wordnet, T.moby, T.forms, "
            "T.frequencies)], 'wordfreq' in __import__('sys').modules)")
    src = str(Path(L.__file__).resolve().parents[2])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"})
    assert out.stdout.split() == ["0", "0", "0", "0", "0", "False"]


def test_scoring_imports_no_wordfreq() -> None:
    code = ("import sys, spindetect; spindetect.compare('They paid a nice of 500.', "
            "'They paid a fine of 500.'); print('wordfreq' in sys.modules)")
    src = str(Path(L.__file__).resolve().parents[2])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"})
    assert out.stdout.split() == ["False"]


# --------------------------------------------------------------------------- small parts


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(" _\t\nAZaz09'"), max_size=12))
def test_normalize_fast_path_equals_the_full_rule(word: str) -> None:
    assert L.normalize(word) == morphology._normalize(word)


@given(st.lists(st.text(alphabet=st.sampled_from(" _\t\nAZaz09'-é"), max_size=6), max_size=8))
def test_normalize_all_equals_normalize_of_each(words: list[str]) -> None:
    assert morphology.normalize_all(words) == [L.normalize(word) for word in words]


@given(st.lists(st.text(alphabet=st.sampled_from(" _\t\n\rAZaz09'-é"), max_size=5), max_size=10))
def test_normalized_mask_equals_the_one_word_match(words: list[str]) -> None:
    expected = [morphology._NORMALIZED.fullmatch(word) is not None for word in words]
    assert morphology.normalized_mask(words).tolist() == expected


@given(
    st.lists(st.integers(0, 2**40), max_size=300, unique=True),
    st.lists(st.integers(0, 2**40), max_size=100),
    st.booleans(),
)
def test_key_set_finds_what_a_binary_search_finds(keys, extra, filtered) -> None:
    table = np.array(sorted(keys), dtype=np.uint64)
    query = np.array(keys[:50] + extra, dtype=np.uint64)
    key_set = loading.KeySet(table)
    if filtered:
        key_set.filter.build()
    positions, hits = key_set.find(query)
    expected_positions, expected_hits = loading.sorted_lookup(table, query)
    assert hits.tolist() == expected_hits.tolist()
    assert positions[hits].tolist() == expected_positions[expected_hits].tolist()
    assert hits[: min(50, len(keys))].all()


def test_key_set_builds_its_filter_after_enough_queries() -> None:
    key_set = loading.KeySet(np.arange(0, 3000, 3, dtype=np.uint64))
    key_set.find(np.arange(100, dtype=np.uint64))
    assert not key_set.filter.built
    positions, hits = key_set.find(np.arange(loading.FILTER_AFTER_QUERIES, dtype=np.uint64))
    assert key_set.filter.built
    assert np.flatnonzero(hits).tolist() == list(range(0, 3000, 3))
    assert positions[hits].tolist() == list(range(1000))


@settings(deadline=None, max_examples=30)
@given(st.lists(st.integers(0, 199_999), min_size=1, max_size=40), st.booleans())
def test_moby_search_finds_what_its_rows_list(ids, filtered) -> None:
    """The batch search of the thesaurus (behind its filter or not) against the plain rows."""
    words = len(loading.vocabulary())
    thesaurus = loading.Moby(load_table(loading.DATA_DIR / "moby.table", kind="moby",
                                        version=L.FORMAT_VERSION))
    if filtered:
        thesaurus.filter.build()
    roots = np.array([i % words for i in ids], dtype=np.int64)
    fine = loading.vocabulary().find_one("fine")
    listed = thesaurus.synonyms(fine)
    # half the queries are entries of "fine", the rest arbitrary pairs
    roots = np.concatenate([roots, np.full(len(ids), fine, dtype=np.int64)])
    synonyms = np.concatenate([roots[::-1][: len(ids)], listed[np.array(ids) % listed.size]])
    expected = [int(s) in set(thesaurus.synonyms(int(r)).tolist()) for r, s in zip(roots, synonyms)]
    assert thesaurus.contains(roots, synonyms).tolist() == expected
    assert [thesaurus.lists(int(r), int(s)) for r, s in zip(roots, synonyms)] == expected
    assert all(expected[len(ids):])


def test_moby_rows_are_the_sorted_synonyms() -> None:
    thesaurus, words = loading.moby(), loading.vocabulary()
    fine = words.find_one("fine")
    synonyms = thesaurus.synonyms(fine)
    assert synonyms.tolist() == sorted(synonyms.tolist())
    assert {"nice", "penalty"} <= {words[i] for i in synonyms.tolist()}
    assert thesaurus.row_lengths(np.array([fine])).tolist() == [synonyms.size] == [512]


def test_memo_lookup_remembers_until_full() -> None:
    calls: list[list[str]] = []

    def lengths(words: list[str]) -> np.ndarray:
        calls.append(list(words))
        return np.array([len(word) for word in words], dtype=np.int64)

    memo = batch.MemoLookup(lengths, maxsize=3)
    assert memo(["ab", "c", "ab"]).tolist() == [2, 1, 2]
    assert memo(["c", "ab"]).tolist() == [1, 2] and len(calls) == 1
    assert memo(["dddd", "ee"]).tolist() == [4, 2] and calls[-1] == ["dddd", "ee"]
    assert len(memo._memo) == 2  # emptied when the new words would not fit
    memo.cache_clear()
    assert memo(["c"]).tolist() == [1] and calls[-1] == ["c"]
