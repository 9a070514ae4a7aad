"""Time compare_many (or screen_many) for two source trees in one run: a refactor must not
cost speed.

    git archive main | (mkdir -p /tmp/main && tar -x -C /tmp/main)
    python benchmarks/compare_trees.py /tmp/main . --rounds 6 --workload corpus
    python benchmarks/compare_trees.py /tmp/main . --function screen_many

Each measurement is a fresh process that imports spindetect from one tree's ``src/``, loads
the lexicon and model with a warm-up on another corpus, then times one ``compare_many`` over
1 MB of text it has not seen (``corpus``: article-sized generated pairs; ``sentences``:
sentence pairs; ``pair``: one spun pair whose reference is 1 MB; ``--function
screen_many`` screens the articles of the pairs instead). The trees alternate round by
round, so load on a shared machine falls on both alike; the best and median CPU and wall
seconds of each tree are printed, with the spread, which says how noisy the machine was. Both trees run this repository's
``benchmarks/corpus.py``, so they see the same text.

``--count-calls`` counts the Python function calls of that ``compare_many`` instead
(cProfile): the same number on every run, so a change in per-item Python work shows however
loaded the machine is (numpy's own work is one call however long it takes).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CORPUS_BYTES = 1_000_000
WARM_UP_BYTES = 200_000


def prepared(tree: str, workload: str, function: str = "compare_many",
             ) -> tuple[Callable[[list[Any]], Any], list[Any]]:
    """spindetect's ``function`` imported from ``tree``, warmed up (lexicon and model
    loaded on another corpus), and the 1 MB of pairs (for screen_many, their articles) to
    time it on."""
    sys.path.insert(0, str(Path(tree).resolve() / "src"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import corpus
    import spindetect

    assert Path(spindetect.__file__).is_relative_to(Path(tree).resolve()), spindetect.__file__
    make = {
        "corpus": corpus.generate_pairs,
        "sentences": corpus.sentence_pairs,
        "pair": lambda size, seed: [corpus.huge_pair(size, seed=seed)],  # the 1 MB pair
    }[workload]
    run = getattr(spindetect, function)

    def inputs(pairs: list[tuple[str, str]]) -> list[Any]:
        return [article for article, _ in pairs] if function == "screen_many" else pairs

    run(inputs(list(make(WARM_UP_BYTES, seed=11))))
    items = inputs(list(make(CORPUS_BYTES, seed=0)))
    gc.collect()
    return run, items


def measure(tree: str, workload: str, function: str = "compare_many") -> str:
    """Wall and CPU seconds of one ``function`` call in this process, spindetect from ``tree``."""
    run, items = prepared(tree, workload, function)
    wall, cpu = time.perf_counter(), time.process_time()
    run(items)
    return f"{time.perf_counter() - wall} {time.process_time() - cpu}"


def count_calls(tree: str, workload: str, function: str = "compare_many") -> str:
    """The Python function calls of one ``function`` call in this process."""
    run, items = prepared(tree, workload, function)
    profile = cProfile.Profile()
    profile.runcall(run, items)
    calls: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]  # not in the stubs
    return str(calls)


def run_child(trees: list[str], workload: str, tree: str, *options: str) -> str:
    """What this script prints when run in a fresh process for one tree."""
    return subprocess.run(
        [sys.executable, __file__, *trees, "--workload", workload, *options, "--measure", tree],
        capture_output=True, text=True, check=True,
    ).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs=2, help="two checkouts, each with a src/spindetect")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workload", choices=["corpus", "sentences", "pair"], default="corpus")
    parser.add_argument("--function", choices=["compare_many", "screen_many"], default="compare_many")
    parser.add_argument("--count-calls", action="store_true",
                        help="count Python function calls instead of timing (one round)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a child process's tree
    options = parser.parse_args()
    if options.measure:
        run = count_calls if options.count_calls else measure
        print(run(options.measure, options.workload, options.function))
        return 0
    if options.count_calls:
        for tree in options.trees:
            calls = int(run_child(options.trees, options.workload, tree, "--function",
                                  options.function, "--count-calls"))
            print(f"{tree}: {calls:,} Python function calls")
        return 0
    seconds: dict[str, list[tuple[float, float]]] = {tree: [] for tree in options.trees}
    for round_number in range(1, options.rounds + 1):
        for tree in options.trees:
            wall, cpu = map(float, run_child(options.trees, options.workload, tree, "--function",
                                             options.function).split())
            seconds[tree].append((wall, cpu))
            print(f"round {round_number} {tree}: cpu {cpu:.3f} s, wall {wall:.3f} s", flush=True)
    for tree, values in seconds.items():
        cpus, walls = sorted(cpu for _, cpu in values), sorted(wall for wall, _ in values)
        print(f"{tree}: cpu best {cpus[0]:.3f} median {statistics.median(cpus):.3f} "
              f"(spread {cpus[-1] / cpus[0] - 1:.0%}); wall best {walls[0]:.3f} "
              f"median {statistics.median(walls):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
