"""Where the pipeline's time goes: CPU seconds per stage on a generated corpus.

    python benchmarks/stages.py --megabytes 1

Runs the stages exactly as ``compare_many`` strings them together (tokenize_batch,
align_batch, extract_edits_batch + with_evasions, score_edits, the report, its swaps read)
over the batches it makes (``pipeline.pair_batches``), after one warm-up pass that loads the data
files (its word caches are emptied again unless ``--warm``) and a full garbage collection,
and prints CPU seconds per stage beside the floor (one regex tokenization pass over both
texts). CPU time rather than wall time, so that other processes on a shared machine disturb
the split less. ``--workload`` picks the corpus: ``corpus`` (generated articles, the
default), ``sentences``, ``real`` or ``real-sentences`` (the seed articles spun).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from conftest import clear_word_caches  # noqa: E402

from spindetect.align import align_batch  # noqa: E402
from spindetect.extract import extract_edits_batch, with_evasions  # noqa: E402
from spindetect.pipeline import DEFAULT_BATCH_SIZE, pair_batches  # noqa: E402
from spindetect.report import assemble_reports  # noqa: E402
from spindetect.score import DEFAULT_THRESHOLD, score_edits  # noqa: E402
from spindetect.tokenize import tokenize_batch  # noqa: E402
from spindetect.tokens import TOKEN_PATTERN  # noqa: E402


def stage_seconds(pairs: list[tuple[str, str]]) -> dict[str, float]:
    seconds: dict[str, float] = defaultdict(float)
    clock = time.process_time

    started = clock()
    for article, reference in pairs:
        TOKEN_PATTERN.findall(article)
        TOKEN_PATTERN.findall(reference)
    seconds["floor (regex pass)"] = clock() - started

    for batch_pairs in pair_batches(iter(pairs), DEFAULT_BATCH_SIZE):
        started = clock()
        batch = tokenize_batch([text for pair in batch_pairs for text in pair])
        seconds["tokenize"] += clock() - started
        tokens, ids = batch.tokens, batch.ids

        started = clock()
        alignments = align_batch(list(zip(ids[0::2], ids[1::2])), vocabulary=batch.vocabulary)
        seconds["align"] += clock() - started

        started = clock()
        articles, references = tokens[0::2], tokens[1::2]
        extractions = extract_edits_batch(
            alignments, [a.norms for a in articles], [r.norms for r in references]
        )
        documents = [
            (with_evasions(extraction, article, reference), article, reference)
            for extraction, article, reference in zip(extractions, articles, references)
        ]
        seconds["extract"] += clock() - started

        started = clock()
        scored = score_edits(documents)
        seconds["score"] += clock() - started

        started = clock()
        reports = assemble_reports(documents, scored, DEFAULT_THRESHOLD)
        seconds["report"] += clock() - started

        started = clock()
        for report in reports:
            report.swaps  # made when first read
        seconds["swaps (when read)"] += clock() - started
    return dict(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=1)
    parser.add_argument("--workload", default="corpus",
                        choices=["corpus", "sentences", "real", "real-sentences"])
    parser.add_argument("--warm", action="store_true",
                        help="keep the word caches of the warm-up pass (default: empty them)")
    options = parser.parse_args()
    make = {
        "corpus": corpus.generate_pairs, "sentences": corpus.sentence_pairs,
        "real": corpus.real_pairs, "real-sentences": corpus.real_sentence_pairs,
    }[options.workload]
    pairs = list(make(options.megabytes * 1_000_000))
    stage_seconds(pairs)  # warm-up: data files, caches
    if not options.warm:
        clear_word_caches()
    gc.collect()  # as each benchmark round starts (conftest.cold_start)
    seconds = stage_seconds(pairs)
    floor = seconds.pop("floor (regex pass)")
    total = sum(seconds.values())
    caches = "warm" if options.warm else "empty"
    print(f"{options.workload}: {len(pairs)} pairs, {options.megabytes} MB of article text, "
          f"word caches {caches}; "
          "CPU seconds")
    print("| stage | CPU s | share of pipeline | x floor |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| floor (regex pass) | {floor:.3f} | | 1.00 |")
    for stage, value in seconds.items():
        print(f"| {stage} | {value:.3f} | {value / total:.0%} | {value / floor:.2f} |")
    print(f"| whole pipeline | {total:.3f} | 100% | {total / floor:.2f} |")


if __name__ == "__main__":
    main()
