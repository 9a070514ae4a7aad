"""The tokenizer alone: the fast batch tokenizer against its plain reference and the floor.

``tokenize_py`` is the obviously-correct loop over regex matches kept beside the fast
version; the floor is a bare ``findall`` with the same pattern.
"""

from __future__ import annotations

import pytest
from conftest import (
    Workload,
    cold_start,
    corpus_workload,
    floor_pass,
    single_pair_workload,
)

from spindetect.pipeline import DEFAULT_BATCH_SIZE, pair_batches
from spindetect.tokenize import tokenize, tokenize_batch
from spindetect.tokenize_py import tokenize_py

pytestmark = pytest.mark.slow


def _texts(workload: Workload) -> list[str]:
    return [text for pair in workload.pairs for text in pair]


def _loop(function) -> object:
    return lambda workload: sum(len(function(text)) for text in _texts(workload))


def _batches(workload: Workload) -> int:
    """``tokenize_batch`` over the batches ``compare_many`` makes of the pairs."""
    return sum(
        len(tokenize_batch([text for pair in batch for text in pair]).vocabulary)
        for batch in pair_batches(iter(workload.pairs), DEFAULT_BATCH_SIZE)
    )


METHODS = {
    "floor": lambda workload: floor_pass(workload.pairs),
    "tokenize_py": _loop(tokenize_py),
    "tokenize": _loop(tokenize),
    "tokenize_batch": _batches,
}


@pytest.mark.parametrize("workload_name", ["corpus-1MB", "pair-1000KB"])
@pytest.mark.parametrize("method", list(METHODS))
def test_tokenizers(benchmark, method: str, workload_name: str):
    workload = corpus_workload(1) if workload_name == "corpus-1MB" else single_pair_workload(1000)
    benchmark.group = f"tokenizer-{workload_name}"
    benchmark.extra_info.update(workload.info())
    benchmark.extra_info["method"] = method
    result = benchmark.pedantic(METHODS[method], args=(workload,), setup=cold_start,
                                rounds=5, iterations=1)
    assert result > 0
