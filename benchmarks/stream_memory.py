"""Peak memory of a streaming ``iter_compare`` run over a generated corpus, in a fresh process.

Run as a script so each size gets its own process and its own peak::

    python benchmarks/stream_memory.py --megabytes 100

prints one JSON object: peak resident memory of the process (VmHWM) before the
stream starts (after loading the lexicon and model, and the generator's thesaurus cache) and
at the end, the seconds the stream
took, and how many articles and article bytes went through. The corpus is generated lazily
while streaming, so neither the pairs nor the reports are ever all in memory: if peak memory
grows with ``--megabytes``, something in the pipeline keeps what it has seen.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

import spindetect  # noqa: E402

MB = 1_000_000


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    VmHWM from /proc, not ``ru_maxrss``: Linux carries ``ru_maxrss`` over an exec from the
    forking parent, so a subprocess of a big pytest process would report the parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / MB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB


def current_rss_mb() -> float:
    """Resident set size of this process now, in MB (from /proc; 0 where there is none)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
    except OSError:
        return 0.0
    return pages * resource.getpagesize() / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, required=True, help="article text to stream")
    parser.add_argument("--batch-size", type=int, default=spindetect.pipeline.DEFAULT_BATCH_SIZE)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()

    spindetect.compare("They paid a nice of 500 euros today.", "They paid a fine of 500 euros today.")
    corpus.preload_thesaurus()
    before = peak_rss_mb()
    articles = article_bytes = swaps = 0

    def pairs():
        nonlocal articles, article_bytes
        for article, reference in corpus.generate_pairs(options.megabytes * MB, seed=options.seed):
            articles += 1
            article_bytes += len(article.encode("utf-8"))
            yield article, reference

    # Resident memory after every tenth of the corpus: a curve that rises while the bounded
    # caches fill, then stays flat.
    checkpoints: list[tuple[float, float]] = []
    step = options.megabytes * MB / 10
    started = time.perf_counter()
    for report in spindetect.iter_compare(pairs(), batch_size=options.batch_size):
        swaps += len(report.swaps)
        if article_bytes >= (len(checkpoints) + 1) * step:
            checkpoints.append((round(article_bytes / MB, 1), round(current_rss_mb(), 1)))
    seconds = time.perf_counter() - started
    print(json.dumps({
        "megabytes": options.megabytes,
        "batch_size": options.batch_size,
        "articles": articles,
        "article_bytes": article_bytes,
        "swaps": swaps,
        "seconds": round(seconds, 2),
        "peak_rss_mb_before_stream": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_mb_by_streamed_mb": checkpoints,
    }))


if __name__ == "__main__":
    main()
