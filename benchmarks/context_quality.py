"""Judge swaps in context and documents by their evidence: the figures of issue 16.

    python benchmarks/context_quality.py                    # development data, printed
    python benchmarks/context_quality.py --heldout --json now.json
    python benchmarks/context_quality.py --heldout --previous before.json --write

Development data (the default) may be used to fit and tune; held-out data (``--heldout``: MRPC
test, ETPC relations on MRPC test pairs, the PAN test rewrites labelled by reading in
``benchmarks/data/heldout/``) is for the final report only. ``--json`` saves the figures;
``--previous`` puts the figures of another version (saved by this script run against that
version's code, e.g. ``PYTHONPATH=<old tree>/src``) beside them; ``--write`` writes the table
into docs/evaluation.md.

Figures:

* swaps in context: the share flagged of people's substitutions (ETPC, must be low), of
  swaps judged sense-blind, grammar-breaking or unnatural by reading (must be high), of random
  thesaurus swaps (97% of which read as wrong when judged on development data), and of those
  judged natural; the share of each that alignment reports at all.
* seed 003 against its reconstructed source (development): precision, recall and F1 of the
  flagged swaps against the gold spinner swaps (overlap of article spans).
* documents: AUC of ``report.score`` for spun against human rewrites, and the share of each
  at or over the default threshold: PAN spinner vs human rewrites (labelled by reading);
  light spin (8% of content words) vs people's paraphrases of the same MRPC blocks; reused
  passages among other sentences; and as baseline the AUC of the largest swap score alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import context_sets  # noqa: E402
import docs_section  # noqa: E402
import eval_data  # noqa: E402
from quality import auc  # noqa: E402

import spindetect  # noqa: E402

COMMAND = "python benchmarks/context_quality.py"


def _overlaps(span: tuple[int, int], other: tuple[int, int]) -> bool:
    if span[0] == span[1] or other[0] == other[1]:
        return span[0] <= other[1] and other[0] <= span[1]
    return span[0] < other[1] and other[0] < span[1]


def swap_rates(swaps: Sequence[context_sets.InContextSwap]) -> dict[str, dict[str, float]]:
    """Per label: how many swaps, the share reported by alignment, the share flagged."""
    reports = spindetect.compare_many([(swap.article, swap.reference) for swap in swaps])
    found: dict[str, list[bool]] = defaultdict(list)
    flagged: dict[str, list[bool]] = defaultdict(list)
    for swap, report in zip(swaps, reports):
        hits = [s for s in report.swaps if _overlaps(s.article_span, swap.article_span)]
        found[swap.label].append(bool(hits))
        flagged[swap.label].append(any(s.flagged for s in hits))
    return {
        label: {
            "swaps": len(found[label]),
            "reported": float(np.mean(found[label])),
            "flagged": float(np.mean(flagged[label])),
        }
        for label in sorted(found)
    }


def seed003_scores() -> dict[str, float]:
    """Swap-level precision, recall and F1 of seed 003's flagged swaps against the gold."""
    article, source, gold = context_sets.seed003()
    report = spindetect.compare(article, source)
    gold_spans = [tuple(swap["article_span"]) for swap in gold if swap["kind"] == "spinner"]
    flagged = [swap.article_span for swap in report.flagged]
    true_flags = sum(any(_overlaps(span, g) for g in gold_spans) for span in flagged)
    caught = sum(any(_overlaps(g, span) for span in flagged) for g in gold_spans)
    reported = sum(any(_overlaps(g, s.article_span) for s in report.swaps) for g in gold_spans)
    precision = true_flags / len(flagged) if flagged else 0.0
    recall = caught / len(gold_spans) if gold_spans else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold swaps": len(gold_spans),
        "reported": reported / len(gold_spans),
        "flagged": len(flagged),
        "precision": precision,
        "recall": recall,
        "F1": f1,
        "document score": report.score,
    }


def document_scores(pairs: Sequence[context_sets.DocumentPair]) -> dict[str, float]:
    """AUC and rates at the default threshold of spun (1) against human (0) documents; for a
    set of one class only, the share at or over the threshold."""
    reports = spindetect.compare_many([(pair.article, pair.reference) for pair in pairs])
    labels = np.array([pair.label for pair in pairs])
    scores = np.array([report.score for report in reports])
    top_swap = np.array([max((s.score for s in report.swaps), default=0.0) for report in reports])
    threshold = spindetect.DEFAULT_THRESHOLD
    figures: dict[str, float] = {"spun": int(labels.sum()), "human": int((labels == 0).sum())}
    if labels.any() and not labels.all():
        figures["AUC"] = auc(scores[labels == 1], scores[labels == 0])
        figures["AUC of max swap score"] = auc(top_swap[labels == 1], top_swap[labels == 0])
    if labels.any():
        figures["spun flagged"] = float(np.mean(scores[labels == 1] >= threshold))
    if not labels.all():
        figures["human flagged"] = float(np.mean(scores[labels == 0] >= threshold))
    return figures


def evaluate(split: str) -> dict[str, dict[str, dict[str, float]]]:
    """Every table of figures for ``split`` ("dev" or "heldout")."""
    swaps = context_sets.etpc_in_context(split)  # type: ignore[arg-type]
    swaps += context_sets.thesaurus_singles(split, seed=11)  # type: ignore[arg-type]
    if split == "dev":
        swaps += context_sets.pan_swaps_in_context() + context_sets.seed003_swaps()
        swaps += context_sets.judged_thesaurus_swaps()
    results: dict[str, dict[str, dict[str, float]]] = {"swaps in context": swap_rates(swaps)}
    results["seed 003 against its reconstructed source (development)"] = {"": seed003_scores()}
    documents: dict[str, dict[str, float]] = {}
    pan = context_sets.pan_documents(split)  # type: ignore[arg-type]
    if pan:
        documents["PAN spinner vs human rewrites"] = document_scores(pan)
    documents["light spin vs people's paraphrases (MRPC blocks)"] = document_scores(
        context_sets.light_spin_blocks(split)  # type: ignore[arg-type]
    )
    documents["reused passages among other sentences"] = document_scores(
        context_sets.commentary_blocks(split)  # type: ignore[arg-type]
    )
    documents["article-length reuse among other sentences"] = document_scores(
        context_sets.long_articles(split)  # type: ignore[arg-type]
    )
    documents["heavy spin (every second content word)"] = document_scores(
        context_sets.heavy_spin_blocks(split)  # type: ignore[arg-type]
    )
    paraphrases = [
        context_sets.DocumentPair(pair.s2, pair.s1, 0, pair.id1)
        for pair in context_sets.eval_data.mrpc_sentence_pairs(split)  # type: ignore[arg-type]
        if pair.quality == 1
    ]
    documents["people's paraphrase pairs (MRPC)"] = document_scores(paraphrases)
    results["documents"] = documents
    return results


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def markdown(results: dict[str, dict[str, dict[str, float]]],
             previous: dict[str, dict[str, dict[str, float]]] | None = None) -> str:
    """The tables; with ``previous``, each figure as ``previous -> now``."""
    lines = []
    for name, rows in results.items():
        lines.append(f"#### {name}\n")
        header = list(dict.fromkeys(key for row in rows.values() for key in row))
        lines.append("| | " + " | ".join(header) + " |")
        lines.append("|---|" + "---|" * len(header))
        for label, row in rows.items():
            before = (previous or {}).get(name, {}).get(label, {})
            cells = []
            for key in header:
                now = _cell(row.get(key, ""))
                if key in before and before[key] != row.get(key):
                    now = f"{_cell(before[key])} → {now}"
                cells.append(now)
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--heldout", action="store_true", help="evaluate on held-out data")
    parser.add_argument("--json", type=Path, help="save the figures as JSON")
    parser.add_argument("--previous", type=Path, help="JSON of another version, shown beside")
    parser.add_argument("--write", action="store_true", help="write the tables into docs/evaluation.md")
    args = parser.parse_args()
    eval_data.require_data("context_quality.py")
    split = "heldout" if args.heldout else "dev"
    results = evaluate(split)
    previous = json.loads(args.previous.read_text()) if args.previous else None
    body = markdown(results, previous)
    print(body)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.write:
        command = f"{COMMAND}{' --heldout' if args.heldout else ''}"
        docs_section.write(f"context-{split}", f"Produced by `{command}`"
                           + (" (before → now: the previous figure is that of the model of stop 14, "
                              "run through the same script)" if previous else "") + f".\n\n{body}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
