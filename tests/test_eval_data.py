"""Tests for benchmarks/eval_data.py (evaluation data loaders).

Tests that read the external data are skipped when the data directory is absent
(``$SPINDETECT_EXTERNAL_DATA`` or ``<repo>/../shared/data/external``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parent.parent
_MODULE_PATH = _REPO / "benchmarks" / "eval_data.py"

if not _MODULE_PATH.exists():  # pragma: no cover
    pytest.skip("benchmarks/eval_data.py not present", allow_module_level=True)

_spec = importlib.util.spec_from_file_location("spindetect_eval_data", _MODULE_PATH)
E = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules[_spec.name] = E  # dataclasses resolve string annotations through sys.modules
_spec.loader.exec_module(E)  # type: ignore[union-attr]

_DATA = Path(os.environ.get("SPINDETECT_EXTERNAL_DATA") or _REPO.parent / "shared" / "data" / "external")


def _need(*rel: str):
    missing = [r for r in rel if not (_DATA / r).exists()]
    return pytest.mark.skipif(bool(missing), reason=f"evaluation data missing under {_DATA}: {missing}")


needs_pps = _need("pps-tortured-csv/tortured.csv")
needs_mrpc = _need("mrpc/msr_paraphrase_train.txt", "mrpc/msr_paraphrase_test.txt")
needs_etpc = _need("etpc/textual_np_pos.xml", "mrpc/msr_paraphrase_train.txt")
needs_pan = _need("pan10-mtmetrics/pan-train_s1.txt")


# ------------------------------------------------------------------ data-free helpers


def test_tokenize_lowercases_drops_punctuation_keeps_numbers():
    assert E.tokenize("Around 0335 GMT, Tab shares were up 19 cents, or 4.4%, at A$4.56.") == [
        "around", "0335", "gmt", "tab", "shares", "were", "up", "19", "cents", "or", "4.4", "at", "a", "4.56",
    ]
    assert E.tokenize("Dominick’s K-nearest (AI) don't") == ["dominick's", "k", "nearest", "ai", "don't"]


def test_reduce_pair_strips_common_affixes():
    assert E.reduce_pair(["neural", "network"], ["neural", "organization"]) == (["network"], ["organization"])
    assert E.reduce_pair(["big", "data"], ["huge", "information"]) == (["big", "data"], ["huge", "information"])
    # prefix and suffix never overlap; insertion-only gives an empty side
    assert E.reduce_pair(["lung", "cancer"], ["lung", "most", "cancer"]) == ([], ["most"])
    assert E.reduce_pair(["a", "a"], ["a"]) == (["a"], [])


def test_split_validation():
    with pytest.raises(ValueError):
        E.pps_pairs("test")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        E.mrpc_sentence_pairs("train")  # type: ignore[arg-type]


def test_swap_kind():
    mk = lambda n, m: E.SwapPair("x", "y", n, m, 0)  # noqa: E731
    assert (mk(1, 1).kind, mk(2, 2).kind, mk(1, 2).kind, mk(3, 3).kind) == ("1:1", "2:2", "other", "other")


# ------------------------------------------------------------------ PPS


@needs_pps
def test_pps_split_is_by_row_parity():
    dev, held = E.pps_pairs("dev"), E.pps_pairs("heldout")
    assert dev and held
    assert all(p.source_row % 2 == 0 for p in dev)
    assert all(p.source_row % 2 == 1 for p in held)
    rep = E.pps_report()
    assert rep.n_rows == 7644
    assert rep.rows_per_split == {"dev": 3822, "heldout": 3822}


@needs_pps
def test_pps_no_leakage_and_unique_within_split():
    dev, held = E.pps_pairs("dev"), E.pps_pairs("heldout")
    dk, hk = [p.key for p in dev], [p.key for p in held]
    assert len(dk) == len(set(dk))
    assert len(hk) == len(set(hk))
    assert not set(dk) & set(hk)
    # ordering is deterministic: by source row
    assert [p.source_row for p in dev] == sorted(p.source_row for p in dev)
    assert E.pps_pairs("dev") == dev


@needs_pps
def test_pps_known_rows_reduce_as_expected():
    dev = {p.source_row: p for p in E.pps_pairs("dev")}
    held = {p.source_row: p for p in E.pps_pairs("heldout")}
    # row 5: "neural organization" / neural network (odd -> heldout)
    p = held[5]
    assert (p.original, p.replacement, p.n_words_original, p.n_words_replacement) == ("network", "organization", 1, 1)
    assert p.context_original == "neural network" and p.context_replacement == "neural organization"
    assert 5 not in dev
    # row 0: "surface region" AND "surface area" -> the AND clause is context only
    assert dev[0].key == ("area", "region") and "and_context" in dev[0].flags
    # row 30: [neural network] layer outputs -> bracketed context removed
    assert dev[30].key == ("outputs", "yields") and "expected_cleaned" in dev[30].flags
    # row 372: artificial intelligence (AI) vs synthetic intelligence (AI)
    assert dev[372].key == ("artificial", "synthetic")
    # row 4 ("malignant growth" AND "cancer", even) reduces to the 1:2 swap
    # cancer -> malignant growth, which also occurs in an odd row: kept in heldout only
    assert 4 not in dev
    assert ("cancer", "malignant growth") not in {p.key for p in dev.values()}
    (h,) = [p for p in held.values() if p.key == ("cancer", "malignant growth")]
    assert h.source_row % 2 == 1 and h.kind == "other"
    assert E.pps_report().cross_split_removed_from_dev > 0


@needs_pps
def test_pps_drops_are_counted_with_reasons():
    rep = E.pps_report()
    ex = {r: {row for row, _, _ in v} for r, v in rep.dropped_examples.items()}
    assert 9 in ex[E.UNCERTAIN]  # "rythm pattern (?)"
    assert 319 in ex[E.NO_EXPECTED]  # "???"
    assert 22 in ex[E.PROXIMITY]  # "gatherings clustering"~10
    dropped_rows = {row for v in rep.dropped_examples.values() for row, _, _ in v}
    kept_rows = {p.source_row for s in ("dev", "heldout") for p in E.pps_pairs(s)}
    assert not dropped_rows & kept_rows
    # every row is accounted for exactly once
    total = (
        sum(rep.dropped.values())
        + sum(rep.duplicates_within.values())
        + rep.cross_split_removed_from_dev
        + sum(rep.kept.values())
    )
    assert total == rep.n_rows
    assert rep.kept == {"dev": len(E.pps_pairs("dev")), "heldout": len(E.pps_pairs("heldout"))}
    # regression values for the current cleaning rules
    assert rep.dropped[E.NO_EXPECTED] == 202
    assert rep.kept == {"dev": 2909, "heldout": 3180}


@needs_pps
def test_pps_pairs_are_clean():
    for s in ("dev", "heldout"):
        for p in E.pps_pairs(s):
            o, r = p.original.split(), p.replacement.split()
            assert o and r and o != r
            assert (len(o), len(r)) == (p.n_words_original, p.n_words_replacement)
            assert o[0] != r[0] and o[-1] != r[-1]  # common affixes removed
            assert p.original == p.original.lower() and "?" not in p.original
            assert "proximity" not in p.flags


# ------------------------------------------------------------------ MRPC


@needs_mrpc
def test_mrpc_sentence_pairs_counts_and_first_rows():
    dev, held = E.mrpc_sentence_pairs("dev"), E.mrpc_sentence_pairs("heldout")
    assert (len(dev), len(held)) == (4076, 1725)
    assert Counter(p.quality for p in dev) == {1: 2753, 0: 1323}
    assert Counter(p.quality for p in held) == {1: 1147, 0: 578}
    assert (dev[0].quality, dev[0].id1, dev[0].id2) == (1, "702876", "702977")
    assert dev[0].s1.startswith('Amrozi accused his brother, whom he called "the witness"')  # quotes kept
    assert held[0].id1 == "1089874"
    assert not {(p.id1, p.id2) for p in dev} & {(p.id1, p.id2) for p in held}


@needs_mrpc
def test_mrpc_human_swaps():
    for split in ("dev", "heldout"):
        pairs = E.mrpc_sentence_pairs(split)
        swaps = E.mrpc_human_swaps(split)
        assert swaps
        for p in swaps:
            assert p.kind in ("1:1", "2:2")
            assert pairs[p.source_row].quality == 1
            assert pairs[p.source_row].s1 == p.context_original
            assert not all(E._is_numeric(t) for t in p.original.split())
            assert not all(E._is_numeric(t) for t in p.replacement.split())
            assert p.original.replace("'", "") != p.replacement.replace("'", "")
    dev = E.mrpc_human_swaps("dev")
    assert any(p.source_row == 2 and p.key == ("cargo", "explosives") and not p.proper_noun for p in dev)
    assert any(p.source_row == 77 and p.key == ("today", "monday") and p.proper_noun for p in dev)
    rep = E.mrpc_swap_report("dev")
    assert rep.n_units == 2753 and rep.kept == len(dev)
    assert rep.by_kind == {"1:1": 1167, "2:2": 266}
    # difflib 'replace' blocks never share a word (it would have been matched)
    assert rep.shared_word_2to2 == 0


# ------------------------------------------------------------------ ETPC


@needs_etpc
def test_etpc_human_swaps_dev_only():
    swaps = E.etpc_human_swaps()
    assert swaps
    assert all(1 <= p.source_row <= E.MRPC_TRAIN_PAIRS for p in swaps)
    assert all(p.flags[0] in ("habitual", "contextual") for p in swaps)
    assert any(p.source_row == 4 and p.key == ("were up", "jumped") and p.flags == ("habitual",) for p in swaps)
    train = E.mrpc_sentence_pairs("dev")
    assert swaps[0].context_original == train[swaps[0].source_row - 1].s1
    reduced = E.etpc_human_swaps(reduce=True)
    assert any(p.source_row == 55 and p.key == ("dropped", "fallen") for p in reduced)
    rep = E.etpc_report()
    assert rep.n_units == 1546 and rep.dropped["not_sense_preserving"] == 316
    assert rep.dropped["not_in_mrpc_train"] == 377


# ------------------------------------------------------------------ PAN


@needs_pan
def test_pan_train_pairs():
    pan = E.pan_train_pairs()
    assert len(pan) == 10000
    assert Counter(p.quality for p in pan) == {1: 5000, 0: 5000}
    assert pan[0].s2.startswith("Hare lays great stress onto the necessity")
    assert pan[1].id1 == pan[1].id2 == "pan-train:1"
