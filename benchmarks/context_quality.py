"""Judge swaps in context and documents by their evidence: the figures of issue 16.

    python benchmarks/context_quality.py              # development data, printed
    python benchmarks/context_quality.py --heldout    # held-out data (final report only)

Development data (``--dev``, the default) may be used to fit and tune; held-out data
(``--heldout``: MRPC test, ETPC relations on MRPC test pairs) is for the final report. PAN
train labels and seed 003's reconstructed source exist only as development data: the
held-out PAN test file has no spinner/human labels of ours.

Figures:

* swaps in context: the share flagged of people's substitutions (ETPC, must be low), of
  PAN rewriters' swaps judged sense-blind, grammar-breaking or unnatural by reading (must be
  high) and of those judged natural; the share of each that alignment reports at all.
* seed 003 against its reconstructed source: precision, recall and F1 of the flagged swaps
  against the gold spinner swaps (overlap of article spans).
* documents: AUC of ``report.score`` for spun against human rewrites, and the share of each
  at or over the default threshold: PAN train spinner vs human rewrites; light spin
  (8% of content words) vs people's paraphrases of the same MRPC blocks; and as baseline the
  AUC of the largest swap score alone.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import context_sets  # noqa: E402
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
    """AUC and rates at the default threshold of spun (1) against human (0) documents."""
    reports = spindetect.compare_many([(pair.article, pair.reference) for pair in pairs])
    labels = np.array([pair.label for pair in pairs])
    scores = np.array([report.score for report in reports])
    top_swap = np.array([max((s.score for s in report.swaps), default=0.0) for report in reports])
    threshold = spindetect.DEFAULT_THRESHOLD
    return {
        "spun": int(labels.sum()),
        "human": int((labels == 0).sum()),
        "AUC": auc(scores[labels == 1], scores[labels == 0]),
        "AUC of max swap score": auc(top_swap[labels == 1], top_swap[labels == 0]),
        "spun flagged": float(np.mean(scores[labels == 1] >= threshold)),
        "human flagged": float(np.mean(scores[labels == 0] >= threshold)),
        "mean spun": float(scores[labels == 1].mean()),
        "mean human": float(scores[labels == 0].mean()),
    }


def evaluate(split: str) -> dict[str, object]:
    results: dict[str, object] = {}
    swaps = context_sets.etpc_in_context(split)  # type: ignore[arg-type]
    if split == "dev":
        for source in (context_sets.pan_swaps_in_context, context_sets.seed003_swaps):
            try:
                swaps = swaps + source()
            except FileNotFoundError:
                pass
    results["swaps in context"] = swap_rates(swaps)
    if split == "dev":
        try:
            results["seed 003"] = seed003_scores()
        except FileNotFoundError:
            pass
        pan = context_sets.pan_documents()
        if pan:
            results["PAN train: spinner vs human rewrites"] = document_scores(pan)
    results["light spin vs human paraphrase"] = document_scores(
        context_sets.light_spin_blocks(split)  # type: ignore[arg-type]
    )
    return results


def markdown(results: dict[str, object]) -> str:
    lines = []
    for name, value in results.items():
        lines.append(f"### {name}\n")
        rows = value if isinstance(next(iter(value.values())), dict) else {"": value}  # type: ignore[union-attr]
        header = list(next(iter(rows.values())))
        lines.append("| | " + " | ".join(header) + " |")
        lines.append("|---|" + "---|" * len(header))
        for label, row in rows.items():
            cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row.values()]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--heldout", action="store_true", help="evaluate on held-out data")
    args = parser.parse_args()
    print(markdown(evaluate("heldout" if args.heldout else "dev")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
