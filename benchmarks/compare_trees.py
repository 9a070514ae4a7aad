"""Time compare_many (or screen_many) for two source trees in one run: a refactor must not
cost speed.

    git archive main | (mkdir -p /tmp/main && tar -x -C /tmp/main)
    python benchmarks/compare_trees.py /tmp/main . --rounds 6 --workload corpus
    python benchmarks/compare_trees.py /tmp/main:screen_many .:screen_many

Each measurement is a fresh process that imports spindetect from one tree's ``src/``, loads
the lexicon and model with a warm-up on another corpus (0.2 MB; ``--warm-up 1`` also passes
the point where today's string indexes build their dicts, about 0.4 s once per process, so
the timed MB is what a long stream pays per MB), empties spindetect's word caches (as
each benchmark round starts), then times one ``compare_many`` over 1 MB of text it has not
seen (``corpus``: article-sized generated pairs; ``sentences``: sentence pairs; ``real`` and
``real-sentences``: the same shapes of real news text, the seeds spun; ``pair``: one spun
pair whose reference is 1 MB). ``tree:function`` times another function of the tree's
package instead, e.g. ``/tmp/main:compare_many .:score_many``; ``compare_many+swaps`` reads
every report's swaps as well, and ``screen_many`` screens the pairs' articles. The trees
alternate round by round, so load on a shared machine falls on both alike; the best and
median CPU and wall seconds of each tree are printed, with the spread, which says how noisy
the machine was. Both trees run this
repository's ``benchmarks/corpus.py``, so they see the same text. Each process also times
the floor (the regex pass of the benchmarks) on the same pairs, so each round prints the
CPU ratio to the floor as well.

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


WORKLOADS = ("corpus", "sentences", "real", "real-sentences", "pair")


def prepared(
    tree: str, workload: str, warm_up_bytes: int = WARM_UP_BYTES
) -> tuple[Callable[[list[Any]], Any], list[Any]]:
    """spindetect's compare_many (or the function ``tree:function`` names) imported from
    ``tree``, warmed up (lexicon and model loaded on another corpus), and the 1 MB of pairs
    to time it on."""
    tree, _, function = tree.partition(":")
    sys.path.insert(0, str(Path(tree).resolve() / "src"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import corpus
    import spindetect

    assert Path(spindetect.__file__).is_relative_to(Path(tree).resolve()), spindetect.__file__
    make = {
        "corpus": corpus.generate_pairs, "sentences": corpus.sentence_pairs,
        "real": corpus.real_pairs, "real-sentences": corpus.real_sentence_pairs,
        "pair": lambda size, seed: [corpus.huge_pair(size, seed=seed)],  # the 1 MB pair
    }[workload]
    spindetect.compare_many(list(make(warm_up_bytes, seed=11)))
    pairs = list(make(CORPUS_BYTES, seed=0))
    # As each benchmark round starts: the real corpora reuse the warm-up's words.
    from conftest import clear_word_caches

    clear_word_caches()
    gc.collect()
    if function == "compare_many+swaps":  # every report's swaps read, as a caller would
        def compare_many_read(pairs: list[Any]) -> Any:
            return [report.swaps for report in spindetect.compare_many(pairs)]

        return compare_many_read, pairs
    if function == "screen_many":  # screening reads the articles alone
        def screen_articles(pairs: list[Any]) -> Any:
            return spindetect.screen_many([article for article, _ in pairs])

        return screen_articles, pairs
    return getattr(spindetect, function or "compare_many"), pairs


def floor_seconds(pairs: list[tuple[str, str]]) -> float:
    """CPU seconds of the benchmarks' floor (``conftest.floor_pass``) over ``pairs``."""
    from conftest import floor_pass

    cpu = time.process_time()
    floor_pass(pairs)
    return time.process_time() - cpu


def measure(tree: str, workload: str, warm_up_bytes: int = WARM_UP_BYTES) -> str:
    """Wall and CPU seconds of one compare_many in this process, spindetect from ``tree``,
    and the CPU seconds of the floor on the same pairs."""
    compare_many, pairs = prepared(tree, workload, warm_up_bytes)
    floor = floor_seconds(pairs)
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    compare_many(pairs)
    return f"{time.perf_counter() - wall} {time.process_time() - cpu} {floor}"


def count_calls(tree: str, workload: str, warm_up_bytes: int = WARM_UP_BYTES) -> str:
    """The Python function calls of one compare_many (or ``tree:function``) call in this
    process."""
    run, items = prepared(tree, workload, warm_up_bytes)
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
    parser.add_argument("trees", nargs=2,
                        help="two checkouts, each with a src/spindetect (tree:function to time "
                        "another function than compare_many)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workload", choices=WORKLOADS, default="corpus")
    parser.add_argument("--count-calls", action="store_true",
                        help="count Python function calls instead of timing (one round)")
    parser.add_argument(
        "--warm-up", type=float, default=WARM_UP_BYTES / 1e6, metavar="MB",
        help="MB of other pairs each process compares before the timed one (default "
        f"{WARM_UP_BYTES / 1e6}); 1 or more passes the point where the string indexes build "
        "their dicts (after 32,768 lookups), so both trees are timed as a long stream is",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a child process's tree
    options = parser.parse_args()
    if options.measure:
        run = count_calls if options.count_calls else measure
        print(run(options.measure, options.workload, int(options.warm_up * 1e6)))
        return 0
    if options.count_calls:
        for tree in options.trees:
            calls = int(run_child(options.trees, options.workload, tree, "--count-calls",
                                  "--warm-up", str(options.warm_up)))
            print(f"{tree}: {calls:,} Python function calls")
        return 0
    seconds: dict[str, list[tuple[float, float, float]]] = {tree: [] for tree in options.trees}
    for round_number in range(1, options.rounds + 1):
        for tree in options.trees:
            wall, cpu, floor = map(float, run_child(
                options.trees, options.workload, tree, "--warm-up", str(options.warm_up)
            ).split())
            seconds[tree].append((wall, cpu, floor))
            print(f"round {round_number} {tree}: cpu {cpu:.3f} s, wall {wall:.3f} s, "
                  f"floor cpu {floor:.3f} s ({cpu / floor:.2f}x)", flush=True)
    floors = sorted(floor for values in seconds.values() for _, _, floor in values)
    for tree, values in seconds.items():
        cpus, walls = sorted(cpu for _, cpu, _ in values), sorted(wall for wall, _, _ in values)
        print(f"{tree}: cpu best {cpus[0]:.3f} median {statistics.median(cpus):.3f} "
              f"(spread {cpus[-1] / cpus[0] - 1:.0%}); wall best {walls[0]:.3f} "
              f"median {statistics.median(walls):.3f}; best cpu / best floor cpu "
              f"{cpus[0] / floors[0]:.2f}x")
    print(f"floor cpu best {floors[0]:.3f} median {statistics.median(floors):.3f} "
          f"(spread {floors[-1] / floors[0] - 1:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
