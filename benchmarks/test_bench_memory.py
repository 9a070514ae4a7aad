"""Streaming memory: the peak of an ``iter_compare`` run must not grow with the corpus.

Each size runs ``stream_memory.py`` in its own process (a process's peak never goes down, so
sizes cannot share one) and records resident memory after every tenth of the stream. The
100 MB run takes several minutes: generating the corpus is part of the stream.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SCRIPT = Path(__file__).resolve().parent / "stream_memory.py"
SIZES_MB = [1, 10, 100]


def _stream(megabytes: int) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--megabytes", str(megabytes)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(completed.stdout)


@pytest.mark.parametrize("megabytes", SIZES_MB)
def test_streaming_peak_memory(benchmark, megabytes: int):
    benchmark.group = "streaming-memory"
    result = benchmark.pedantic(_stream, args=(megabytes,), rounds=1, iterations=1)
    benchmark.extra_info.update(result)
    benchmark.extra_info["workload"] = f"stream-{megabytes}MB"
    benchmark.extra_info["method"] = "iter_compare"
    assert result["article_bytes"] >= megabytes * 1_000_000
    if megabytes == SIZES_MB[-1]:
        # Flat: the bounded caches of the lexicon and scorer (up to 2**18 entries each) fill
        # over the first tens of MB; after that, the second half of the stream may not raise
        # resident memory by more than 10% over what it was halfway.
        halfway_rss = result["rss_mb_by_streamed_mb"][4][1]
        assert result["peak_rss_mb"] <= 1.10 * halfway_rss, result
