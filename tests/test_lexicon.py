"""Tests for spindetect.lexicon: shipped Moby/WordNet data, morphy, scalar and batch lookups."""

from __future__ import annotations

import doctest
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spindetect import lexicon as L

SPINNER_SWAPS = [
    ("fine", "nice"),
    ("country", "rustic"),
    ("leave", "go away"),
    ("action", "motion"),
    ("network", "organization"),
    ("data", "information"),
]


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


# --------------------------------------------------------------------------- batch


PAIRS = SPINNER_SWAPS + [
    ("fines", "nices"), ("country", "nation"), ("data", "information"), ("dogs", "canine"),
    ("canine", "dogs"), ("hot", "warm"), ("Fine", "NICE"), ("was", "used to be"),
    ("xyzzyq", "fine"), ("", ""), ("fine", "fine"), ("better", "best"), ("leaves", "departs"),
    ("country", "land"), ("went away", "left"), ("fine", "banana"), ("fine", "nice"),
]


def scalar_features(a: str, b: str) -> dict[str, float]:
    rel = L.wordnet_relation(a, b)
    fa, fb = L._moby_forms(L.normalize(a)), L._moby_forms(L.normalize(b))
    forward = any(L._moby_has(x, y) for x in fa for y in fb)
    backward = any(L._moby_has(y, x) for x in fa for y in fb)
    return {
        "moby_forward": float(forward),
        "moby_backward": float(backward),
        "moby_synonym": float(L.are_thesaurus_synonyms(a, b)),
        "wn_known_a": float(rel.known_a),
        "wn_known_b": float(rel.known_b),
        "wn_shared_pos": float(rel.shared_pos),
        "wn_synonym": float(rel.synonym),
        "wn_rank_a": math.nan if rel.rank_a is None else float(rel.rank_a),
        "wn_rank_b": math.nan if rel.rank_b is None else float(rel.rank_b),
        "wn_share_a": rel.share_a,
        "wn_share_b": rel.share_b,
        "wn_hypernym": float(rel.hypernym),
        "wn_hyponym": float(rel.hyponym),
        "wn_similar": float(rel.similar),
        "vocabulary_a": float(L.in_vocabulary([a])[0]),
        "vocabulary_b": float(L.in_vocabulary([b])[0]),
        "same_base_form": float(
            bool(({a} | set(L.wordnet_lemmas(a))) & ({b} | set(L.wordnet_lemmas(b))))
        ),
    }


def test_pair_features_equal_scalar_functions() -> None:
    feats = L.pair_features([a for a, _ in PAIRS], np.array([b for _, b in PAIRS]))
    assert tuple(feats) == L.FEATURE_NAMES
    for values in feats.values():
        assert values.dtype == np.float64 and values.shape == (len(PAIRS),)
    for n, (a, b) in enumerate(PAIRS):
        expected = scalar_features(a, b)
        got = {name: float(feats[name][n]) for name in L.FEATURE_NAMES}
        for name in L.FEATURE_NAMES:
            assert got[name] == pytest.approx(expected[name], rel=1e-12, nan_ok=True), (a, b, name)


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


# --------------------------------------------------------------------------- data files


def _write_npz(path: Path, **arrays: np.ndarray) -> None:
    np.savez_compressed(path, **arrays)


def test_stale_format_version_raises_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "vocab.npz"
    _write_npz(path, format_version=np.array([L.FORMAT_VERSION + 1], dtype=np.int32),
               kind=np.array(["vocab"]), vocab_sha256=np.array(["0" * 64]))
    with pytest.raises(L.LexiconDataError, match=rf"format version {L.FORMAT_VERSION + 1}.*stale"):
        L._read_data_file(path, "vocab")


def test_wrong_kind_missing_header_and_missing_file_raise(tmp_path: Path) -> None:
    good = dict(format_version=np.array([L.FORMAT_VERSION], dtype=np.int32),
                kind=np.array(["moby"]), vocab_sha256=np.array(["a" * 64]))
    _write_npz(tmp_path / "moby.npz", **good)
    assert L._read_data_file(tmp_path / "moby.npz", "moby", "a" * 64)["kind"][0] == "moby"
    with pytest.raises(L.LexiconDataError, match="not 'wordnet'"):
        L._read_data_file(tmp_path / "moby.npz", "wordnet")
    with pytest.raises(L.LexiconDataError, match="another vocabulary"):
        L._read_data_file(tmp_path / "moby.npz", "moby", "b" * 64)
    _write_npz(tmp_path / "old.npz", words=np.arange(3))
    with pytest.raises(L.LexiconDataError, match="format version None"):
        L._read_data_file(tmp_path / "old.npz", "vocab")
    with pytest.raises(L.LexiconDataError, match="cannot read"):
        L._read_data_file(tmp_path / "absent.npz", "vocab")


def test_shipped_files_have_current_headers_and_are_small() -> None:
    files = {p.name for p in L.DATA_DIR.iterdir()}
    assert {"LICENSES.md", "forms.npz", "moby.npz", "vocab.npz", "wordnet.npz"} <= files
    sha = L._vocab().sha256
    for name in ("forms", "moby", "vocab", "wordnet", "senses"):
        arrays = L._read_data_file(L.DATA_DIR / f"{name}.npz", name, sha)
        assert all(a.dtype != object for a in arrays.values())
    # WordNet, Moby, morphy forms, sense signatures, word-pair counts, spinner rules, model.
    assert sum(p.stat().st_size for p in L.DATA_DIR.iterdir()) < 12 * 1024 * 1024


def _morphy_probes() -> list[str]:
    """Words and phrases to look up: lemmas, their inflections, word pairs and non-words."""
    rng = np.random.default_rng(5)
    words = L._vocab().words
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
    analysed = [word for word in probes if L._morphy_analyses(word)]
    assert len(analysed) > 3000  # the probes reach the table, not only its misses
    assert [L._analyses(word) for word in probes] == [L._morphy_analyses(w) for w in probes]


@pytest.mark.slow  # rebuilds the table from WordNet (10 to 30 s); CI runs it (.ci/run)
def test_shipped_morphy_table_is_a_fresh_build() -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_forms.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "forms.npz is up to date" in result.stdout


def test_licenses_file_names_sources_and_checksums() -> None:
    text = (L.DATA_DIR / "LICENSES.md").read_text(encoding="utf-8")
    assert "WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved." in text
    assert "THIS SOFTWARE AND DATABASE IS PROVIDED \"AS IS\"" in text
    assert "public domain" in text and "Grady Ward" in text
    assert "d9646fa2f22f1c07e0add61e59a503148185b88dd3d3dcc2983ba9c52f598fec" in text


def test_module_doctests_pass() -> None:
    result = doctest.testmod(L)
    assert result.attempted >= 10 and result.failed == 0


def test_import_does_not_load_data() -> None:
    code = ("import spindetect.lexicon as L; "
            "print(L._vocab.cache_info().currsize, L._wordnet.cache_info().currsize, "
            "L._moby.cache_info().currsize)")
    src = str(Path(L.__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"})
    assert out.stdout.split() == ["0", "0", "0"]


def test_are_wordnet_synonyms_agrees_with_wordnet_relation():
    from spindetect.lexicon import are_wordnet_synonyms, wordnet_relation

    pairs = [("country", "nation"), ("fine", "nice"), ("leave", "go away"), ("regulators", "regulator"),
             ("data", "information"), ("network", "organization"), ("qwzx", "nation")]
    assert [are_wordnet_synonyms(a, b) for a, b in pairs] == [wordnet_relation(a, b).synonym for a, b in pairs]
    assert are_wordnet_synonyms("country", "nation") and not are_wordnet_synonyms("fine", "nice")


def test_related_pairs_equals_the_scalar_functions() -> None:
    rng = np.random.default_rng(11)
    words = L._vocab().words
    picks = [words[i] for i in rng.choice(len(words), 600, replace=False)]
    originals = [a for a, _ in SPINNER_SWAPS] + picks[:300] + ["regulators", "went", "the"]
    replacements = [b for _, b in SPINNER_SWAPS] + picks[300:] + ["regulator", "go", "that"]
    # Synonyms of the picks too, so that the related answers are not all spinner swaps.
    rooted = [w for w in picks if L.thesaurus_synonyms(w)][:100]
    originals += rooted
    replacements += [min(L.thesaurus_synonyms(w)) for w in rooted]
    expected = [
        L.are_thesaurus_synonyms(a, b)
        or L.are_wordnet_synonyms(a, b)
        or bool(set(L.wordnet_lemmas(a)) & set(L.wordnet_lemmas(b)))
        for a, b in zip(originals, replacements)
    ]
    assert sum(expected) > 50
    assert L.related_pairs(originals, replacements).tolist() == expected
    assert L.related_pairs([], []).tolist() == []


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(" _\t\nAZaz09'"), max_size=12))
def test_normalize_fast_path_equals_the_full_rule(word: str) -> None:
    assert L.normalize(word) == L._normalize(word)


def _word_statistics_plain(word: str) -> tuple[float, float, float]:
    """word_statistics of one word, one sense entry at a time: the reference for the arrays."""
    wn, moby = L._wordnet(), L._moby()
    normal = L.normalize(word)
    entries = [e for token in L._analyses(normal) for e in wn.token_entries(token)]
    rows = [int(moby.indptr[f + 1] - moby.indptr[f]) for f in L._moby_forms(normal)]
    tagged = sum(int(wn.sense_count[e]) for e in entries)
    return float(len(entries)), float(max(rows, default=0)), float(tagged)


def test_word_statistics_equal_the_plain_sums() -> None:
    rng = np.random.default_rng(12)
    words = L._vocab().words
    probes = [words[i] for i in rng.choice(len(words), 2000, replace=False)]
    probes += [w + "s" for w in probes[:500]] + ["Fine", "went away", "qwzx", "", "fine"]
    stats = L.word_statistics(probes)
    got = list(zip(stats["senses"].tolist(), stats["thesaurus"].tolist(), stats["tagged"].tolist()))
    assert got == [_word_statistics_plain(word) for word in probes]
    assert sum(senses > 0 for senses, _, _ in got) > 500


@given(st.lists(st.text(alphabet=st.sampled_from(" _\t\nAZaz09'-é"), max_size=6), max_size=8))
def test_normalize_all_equals_normalize_of_each(words: list[str]) -> None:
    assert L._normalize_all(words) == [L.normalize(word) for word in words]


def test_form_tables_equal_the_scalar_lookups() -> None:
    rng = np.random.default_rng(13)
    words = L._vocab().words
    probes = [words[i] for i in rng.choice(len(words), 1000, replace=False)]
    probes += [w + "s" for w in probes[:300]] + ["Fine", "went away", "qwzx", "", "Went_Away"]
    t_ptr, tokens = L._analysis_csr(L._normalize_all(probes))
    lookups = L._WordLookups.of(probes)
    assert all((x == y).all() for x, y in zip(lookups.analyses, (t_ptr, tokens)))
    m_ptr, forms = lookups.moby_forms
    for row, word in enumerate(probes):
        normal = L.normalize(word)
        assert tuple(tokens[t_ptr[row] : t_ptr[row + 1]].tolist()) == L._analyses(normal)
        assert forms[m_ptr[row] : m_ptr[row + 1]].tolist() == sorted(L._moby_forms(normal))


def test_share_base_form_equals_the_lemma_sets() -> None:
    rng = np.random.default_rng(14)
    words = L._vocab().words
    picks = [words[i] for i in rng.choice(len(words), 400, replace=False)]
    originals = picks[:200] + ["regulators", "went", "fine", "Fine", "qwzx", "qwzx", "", "data"]
    replacements = picks[200:] + ["regulator", "gone", "nice", "fine", "qwzx", "Qwzx", "", "datum"]
    originals += picks[:50]
    replacements += [L.wordnet_lemmas(w)[0] if L.wordnet_lemmas(w) else w + "s" for w in picks[:50]]
    expected = [
        bool(({a} | set(L.wordnet_lemmas(a))) & ({b} | set(L.wordnet_lemmas(b))))
        for a, b in zip(originals, replacements)
    ]
    assert sum(expected) > 40
    assert L.share_base_form(originals, replacements).tolist() == expected
    assert L.share_base_form([], []).tolist() == []
    with pytest.raises(ValueError, match="1 originals but 2 replacements"):
        L.share_base_form(["a"], ["a", "b"])


@given(st.lists(st.text(alphabet=st.sampled_from(" _\t\n\rAZaz09'-é"), max_size=5), max_size=10))
def test_normalized_mask_equals_the_one_word_match(words: list[str]) -> None:
    expected = [L._NORMALIZED.fullmatch(word) is not None for word in words]
    assert L._normalized_mask(words).tolist() == expected


@given(
    st.lists(st.integers(0, 2**40), max_size=300, unique=True),
    st.lists(st.integers(0, 2**40), max_size=100),
)
def test_key_set_finds_what_a_binary_search_finds(keys, extra):
    from spindetect.lexicon import _KeySet, _lookup

    table = np.array(sorted(keys), dtype=np.uint64)
    query = np.array(keys[:50] + extra, dtype=np.uint64)
    positions, hits = _KeySet(table).find(query)
    expected_positions, expected_hits = _lookup(table, query)
    assert hits.tolist() == expected_hits.tolist()
    assert positions[hits].tolist() == expected_positions[expected_hits].tolist()
    assert hits[: min(50, len(keys))].all()
