"""Reference-free screening against the floor: a bare regex tokenization pass, same texts, one run.

Issue 22 asks for at least 5 MB/s of text per core, "about the cost of tokenizing"; on a
shared machine only ratios to the floor measured in the same run mean anything. Each round
starts cold (``cold_start``): per-word caches emptied, the data tables (loaded once per
process, as in use) kept.

    python -m pytest benchmarks/test_bench_screen.py -m slow --benchmark-json=screen.json
"""

from __future__ import annotations

import pytest
from conftest import Workload, cold_start, corpus_workload, real_sentence_workload, real_workload

from spindetect import screen_many
from spindetect.tokenize import TOKEN_PATTERN

pytestmark = pytest.mark.slow


def _articles(workload: Workload) -> list[str]:
    return [article for article, _ in workload.pairs]


def _floor(workload: Workload) -> int:
    return sum(len(TOKEN_PATTERN.findall(article)) for article in _articles(workload))


def _screen(workload: Workload) -> int:
    return sum(len(screening.findings) for screening in screen_many(_articles(workload)))


METHODS = {"floor": _floor, "screen_many": _screen}


# The generated articles (the worst case: template grammar, every content-word pair rare),
# real news text spun as articles, and the same as sentences (per-batch work over many texts).
WORKLOADS = {"corpus-1MB": lambda: corpus_workload(1), "real-1MB": lambda: real_workload(1),
             "real-sentences-1MB": lambda: real_sentence_workload(1)}


@pytest.mark.parametrize("workload_name", list(WORKLOADS))
@pytest.mark.parametrize("method", list(METHODS))
def test_screen_against_the_floor(benchmark, method: str, workload_name: str):
    workload = WORKLOADS[workload_name]()
    screen_many(_articles(workload)[:2])  # load the tables outside the timing
    benchmark.group = f"screen-{workload_name}"
    benchmark.extra_info.update(workload.info())
    benchmark.extra_info["method"] = method
    benchmark.extra_info["article_bytes"] = sum(len(a.encode()) for a in _articles(workload))
    result = benchmark.pedantic(METHODS[method], args=(workload,), setup=cold_start,
                                rounds=5, iterations=1)
    assert result > 0
