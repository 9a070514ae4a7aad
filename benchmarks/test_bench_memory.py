"""Streaming memory: the peak of an ``iter_compare`` run must not grow with the corpus.

Each size runs ``stream_memory.py`` in its own process (a process's peak never goes down, so
sizes cannot share one). The 100 MB run takes a few minutes: generating the corpus is part
of the stream.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPT = Path(__file__).resolve().parent / "stream_memory.py"
_results: dict[int, dict[str, float]] = {}


def _stream(megabytes: int) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--megabytes", str(megabytes)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(completed.stdout)


@pytest.mark.parametrize("megabytes", [1, 10, 100])
def test_streaming_peak_memory(benchmark, megabytes: int):
    benchmark.group = "streaming-memory"
    result = benchmark.pedantic(_stream, args=(megabytes,), rounds=1, iterations=1)
    _results[megabytes] = result
    benchmark.extra_info.update(result)
    benchmark.extra_info["workload"] = f"stream-{megabytes}MB"
    benchmark.extra_info["method"] = "iter_compare"
    assert result["article_bytes"] >= megabytes * 1_000_000
    if 1 in _results and megabytes > 1:
        # Flat: streaming 10x or 100x more text may not raise the peak by more than 10%.
        assert result["peak_rss_mb"] <= 1.10 * _results[1]["peak_rss_mb"], _results
