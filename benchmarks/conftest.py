"""Shared corpora for the benchmarks, generated once per run (never committed).

pytest puts this folder on sys.path (it has no __init__.py), so ``import corpus`` works.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from functools import lru_cache

import pytest

import corpus
from spindetect.tokenize import tokenize
from spindetect.tokenize import TOKEN_PATTERN  # trees before issue 18 have it here only

MB = 1_000_000


@dataclass(frozen=True)
class Workload:
    """Pairs to benchmark on, with the token lists the alignment baselines get for free."""

    name: str
    pairs: list[tuple[str, str]]
    # tokenize(...).norms of each side. Tuples, not lists: the garbage collector stops
    # tracking a tuple of strings, so the cached workloads (tens of millions of tokens) do
    # not make every full collection in the benchmark process walk them.
    token_lists: list[tuple[tuple[str, ...], tuple[str, ...]]]

    @property
    def article_bytes(self) -> int:
        return sum(len(article.encode("utf-8")) for article, _ in self.pairs)

    @property
    def total_bytes(self) -> int:
        return sum(len(a.encode("utf-8")) + len(r.encode("utf-8")) for a, r in self.pairs)

    def info(self) -> dict[str, int | str]:
        """What pytest-benchmark stores beside the timings; report.py turns it into MB/s."""
        return {
            "workload": self.name,
            "articles": len(self.pairs),
            "article_bytes": self.article_bytes,
            "total_bytes": self.total_bytes,
        }


def make_workload(name: str, pairs: list[tuple[str, str]]) -> Workload:
    token_lists = [
        (tokenize(article).norms, tokenize(reference).norms) for article, reference in pairs
    ]
    return Workload(name=name, pairs=pairs, token_lists=token_lists)


@lru_cache(maxsize=None)
def corpus_workload(megabytes: int) -> Workload:
    """Article-sized spun pairs adding up to ``megabytes`` MB of article text."""
    return make_workload(f"corpus-{megabytes}MB", list(corpus.generate_pairs(megabytes * MB)))


@lru_cache(maxsize=None)
def sentence_workload(megabytes: int) -> Workload:
    """Sentence-sized spun pairs (about 95 characters each) adding up to ``megabytes`` MB."""
    return make_workload(
        f"sentences-{megabytes}MB", list(corpus.sentence_pairs(megabytes * MB))
    )


@lru_cache(maxsize=None)
def real_workload(megabytes: int) -> Workload:
    """Article-sized pairs of real news text (the seeds, spun by ``corpus.spin``) adding up
    to ``megabytes`` MB of article text."""
    return make_workload(f"real-{megabytes}MB", list(corpus.real_pairs(megabytes * MB)))


@lru_cache(maxsize=None)
def real_sentence_workload(megabytes: int) -> Workload:
    """Sentence pairs of real news text (each seed sentence with its spin), ``megabytes`` MB."""
    return make_workload(
        f"real-sentences-{megabytes}MB", list(corpus.real_sentence_pairs(megabytes * MB))
    )


@lru_cache(maxsize=None)
def single_pair_workload(kilobytes: int) -> Workload:
    """One long spun pair whose reference is ``kilobytes`` KB."""
    return make_workload(f"pair-{kilobytes}KB", [corpus.huge_pair(kilobytes * 1000)])


@pytest.fixture(scope="session")
def corpus_1mb() -> Workload:
    return corpus_workload(1)


def clear_word_caches() -> int:
    """Empty spindetect's per-word caches (every cache bigger than one entry: lru_caches and
    the lexicon's memoised table lookups, which clear the same way).

    Benchmark rounds repeat the same pairs; with the caches of the previous round still warm,
    the lexicon lookups of extract and score would cost far less than on text never seen
    before. Clearing them before each round times every round as the first batch of a new
    stream. The data-file loaders (maxsize 1) stay loaded. Returns how many were cleared.
    """
    cleared = 0
    for name, module in list(sys.modules.items()):
        if name != "spindetect" and not name.startswith("spindetect."):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, type):  # a cache class itself, not one of its caches
                continue
            parameters = getattr(value, "cache_parameters", None)
            if parameters is None or not hasattr(value, "cache_clear"):
                continue
            maxsize = parameters()["maxsize"]
            if maxsize is None or maxsize > 1:
                value.cache_clear()
                cleared += 1
    return cleared


def cold_start() -> None:
    """pytest-benchmark ``setup`` for each round: ``clear_word_caches``, then a full garbage
    collection, so that every round of every method starts from the same collector state
    (the collector stays on while timing)."""
    clear_word_caches()
    gc.collect()


def floor_pass(pairs: list[tuple[str, str]]) -> int:
    """The floor: one regex tokenization pass over both texts of every pair."""
    count = 0
    for article, reference in pairs:
        count += len(TOKEN_PATTERN.findall(article)) + len(TOKEN_PATTERN.findall(reference))
    return count
