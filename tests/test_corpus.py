"""Tests for benchmarks/corpus.py, the seeded spun-corpus generator the benchmarks use."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from spindetect.lexicon import thesaurus_synonyms

_MODULE_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus.py"
_spec = importlib.util.spec_from_file_location("spindetect_bench_corpus", _MODULE_PATH)
corpus = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules[_spec.name] = corpus
_spec.loader.exec_module(corpus)  # type: ignore[union-attr]

NO_SPIN = dict(swap_rate=0.0, drop_fraction=0.0, reorder=False, commentary_fraction=0.0)


def test_pairs_are_deterministic_and_reach_the_size():
    pairs = list(corpus.generate_pairs(30_000, seed=7))
    assert pairs == list(corpus.generate_pairs(30_000, seed=7))
    assert pairs != list(corpus.generate_pairs(30_000, seed=8))
    sizes = [len(article) for article, _ in pairs]
    assert sum(sizes) >= 30_000 and sum(sizes[:-1]) < 30_000


def test_references_are_article_sized_and_independent_of_generation_order():
    low, high = corpus.ARTICLE_BYTES
    for index in range(20):
        reference = corpus.source_text(index, seed=2)
        assert low <= len(reference) <= high + 2_000  # at most one paragraph over
        assert reference.isascii()
    pairs = list(corpus.generate_pairs(10_000, seed=2, first_index=5))
    assert pairs[0][1] == corpus.source_text(5, seed=2)


def test_no_spin_returns_the_source():
    text = corpus.source_text(0)
    assert corpus.spin(text, **NO_SPIN) == text


def test_swaps_come_from_the_shipped_thesaurus():
    text = corpus.source_text(1)
    spun = corpus.spin(text, swap_rate=0.3, phrase_fraction=0.0, drop_fraction=0.0,
                       reorder=False, commentary_fraction=0.0)
    source_words, spun_words = text.split(), spun.split()
    assert len(source_words) == len(spun_words)  # single-word swaps only
    changed = [
        (old.strip(",.").lower(), new.strip(",.").lower())
        for old, new in zip(source_words, spun_words)
        if old != new
    ]
    assert len(changed) > 0.1 * len(source_words)
    assert all(new in thesaurus_synonyms(old) for old, new in changed)


def test_phrase_swaps_add_words():
    text = corpus.source_text(1)
    spun = corpus.spin(text, swap_rate=0.3, phrase_fraction=1.0, drop_fraction=0.0,
                       reorder=False, commentary_fraction=0.0)
    assert len(spun.split()) > len(text.split())


def test_drop_and_reorder_act_on_paragraphs():
    text = corpus.long_text(20_000, seed=4)
    paragraphs = text.split("\n\n")
    spun = corpus.spin(text, swap_rate=0.0, drop_fraction=0.3, reorder=True,
                       commentary_fraction=0.0)
    kept = spun.split("\n\n")
    assert len(kept) == len(paragraphs) - round(0.3 * len(paragraphs))
    assert set(kept) <= set(paragraphs)
    positions = [paragraphs.index(paragraph) for paragraph in kept]
    assert positions != sorted(positions)
    in_order = corpus.spin(text, swap_rate=0.0, drop_fraction=0.3, reorder=False,
                           commentary_fraction=0.0).split("\n\n")
    in_order_positions = [paragraphs.index(paragraph) for paragraph in in_order]
    assert in_order_positions == sorted(in_order_positions)


def test_commentary_inserts_new_paragraphs():
    text = corpus.long_text(20_000, seed=4)
    paragraphs = set(text.split("\n\n"))
    spun = corpus.spin(text, swap_rate=0.0, drop_fraction=0.0, reorder=False,
                       commentary_fraction=0.5).split("\n\n")
    new = [paragraph for paragraph in spun if paragraph not in paragraphs]
    assert len(new) == round(0.5 * len(paragraphs))


def test_huge_pair_has_the_requested_reference_size():
    article, reference = corpus.huge_pair(50_000, seed=1)
    assert 50_000 <= len(reference) < 52_000
    assert 0.8 * len(reference) < len(article) < 1.3 * len(reference)


@pytest.mark.parametrize("name", ["swap_rate", "phrase_fraction", "drop_fraction"])
def test_fractions_out_of_range_raise(name: str):
    with pytest.raises(ValueError, match=name):
        corpus.spin("text", **{name: 1.5})
