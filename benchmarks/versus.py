"""Time this checkout's spindetect against another (main, say) in one run, turn by turn.

Each turn runs one version in a fresh process (``PYTHONPATH`` pointing at its ``src``),
builds the workload, warms up with one pair, then times ``compare_many`` on the workload a
few times, each from cold word caches and after a full garbage collection (as the
pytest-benchmark groups do), and reports its best. Turns alternate between the versions,
so a busy moment on a shared machine lands on both; the table gives each version's best
and median turn, CPU and wall-clock, and the ratio of the bests. Workloads are those of
``benchmarks/test_bench_pipeline.py``: ``corpus-1MB``, ``pair-1000KB`` and ``sentences-1MB``.

    git worktree add /tmp/main-tree main        # or: git archive main | tar -x -C DIR
    python benchmarks/versus.py --base /tmp/main-tree/src --turns 6
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
THIS_SOURCE = HERE.parent / "src"
WORKLOADS = ("corpus-1MB", "pair-1000KB", "sentences-1MB")


def _workload_pairs(name: str) -> list[tuple[str, str]]:
    from conftest import corpus_workload, sentence_workload, single_pair_workload

    if name == "corpus-1MB":
        return corpus_workload(1).pairs
    if name == "pair-1000KB":
        return single_pair_workload(1000).pairs
    if name == "sentences-1MB":
        return sentence_workload(1).pairs
    raise ValueError(f"workload must be one of {WORKLOADS}, got {name!r}")


def worker(name: str, repeats: int) -> dict[str, float]:
    """Best CPU and wall-clock seconds of ``repeats`` runs of compare_many on a workload."""
    import gc

    from conftest import cold_start

    import spindetect

    pairs = _workload_pairs(name)
    spindetect.compare("They paid a nice of 500 euros today.", "They paid a fine of 500 euros.")
    cpu, wall = [], []
    for _ in range(repeats):
        cold_start()
        gc.collect()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        spindetect.compare_many(pairs)
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    return {"cpu": min(cpu), "wall": min(wall), "source": spindetect.__file__}


def _turn(source: Path, name: str, repeats: int) -> dict[str, float]:
    environment = {
        **os.environ, "PYTHONPATH": os.pathsep.join([str(source), str(HERE)]),
        "PYTHONHASHSEED": "0",
    }
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", name,
         "--repeats", str(repeats)],
        capture_output=True, text=True, env=environment, check=True,
    )
    measured: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    if not str(measured["source"]).startswith(str(source)):
        raise RuntimeError(f"the turn imported {measured['source']}, not {source}")
    return measured


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="the other version's src folder")
    parser.add_argument("--turns", type=int, default=6, help="turns per version (default 6)")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per turn")
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.worker:
        print(json.dumps(worker(arguments.worker, arguments.repeats)))
        return 0
    if arguments.base is None:
        parser.error("--base is required")
    versions = {"base": arguments.base.resolve(), "this": THIS_SOURCE}
    print(f"base: {versions['base']}\nthis: {versions['this']}\n")
    print("| workload | version | best CPU (s) | median CPU (s) | best wall (s) | median wall (s) |")
    print("|---|---|---|---|---|---|")
    for name in arguments.workloads:
        turns: dict[str, list[dict[str, float]]] = {"base": [], "this": []}
        for turn in range(arguments.turns):
            order = ("base", "this") if turn % 2 == 0 else ("this", "base")
            for version in order:
                turns[version].append(_turn(versions[version], name, arguments.repeats))
        for version in ("base", "this"):
            cpu = [measured["cpu"] for measured in turns[version]]
            wall = [measured["wall"] for measured in turns[version]]
            print(f"| {name} | {version} | {min(cpu):.3f} | {statistics.median(cpu):.3f} "
                  f"| {min(wall):.3f} | {statistics.median(wall):.3f} |")
        ratio_cpu = min(m["cpu"] for m in turns["this"]) / min(m["cpu"] for m in turns["base"])
        ratio_wall = min(m["wall"] for m in turns["this"]) / min(m["wall"] for m in turns["base"])
        print(f"| {name} | this / base | {ratio_cpu:.3f} | | {ratio_wall:.3f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
