"""Quality evaluation of spindetect's scoring on outside data; writes docs/evaluation.md.

    python benchmarks/quality.py            # print the tables and rewrite docs/evaluation.md
    python benchmarks/quality.py --no-write # print only

It reads outside data that is not shipped (``REQUIRED_DATA``: PPS tortured phrases and
the MRPC test split) from ``$SPINDETECT_EXTERNAL_DATA`` or ``../shared/data/external``
beside the repository; without it, it says what is missing and where it comes from.

Held-out data only (nothing here was used to fit or tune):

* context-free: AUC of ``score_substitution(original, replacement)`` for PPS tortured phrases
  from ODD rows (spinner output found in published papers, reduced to the words that differ)
  against the 1:1 and 2:2 word replacements people made in MRPC *test* paraphrase pairs;
  1-word and 2-word swaps separately. Baseline in the same table: the Zipf frequency shift
  alone (original minus replacement, mean over words, wordfreq).
* document level: the share of MRPC test paraphrase pairs (quality 1) whose
  ``compare(sentence2, sentence1).score`` reaches the default threshold; and every seed
  article against seed 002, which quotes the same statement, and seed 003 (real spinner
  output) against its reconstructed source: seed 003 must score highest, the human seeds
  under the threshold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED_SOURCE = ROOT / "benchmarks" / "data" / "seed003" / "source.txt"
sys.path.insert(0, str(ROOT / "benchmarks"))

import docs_section  # noqa: E402
import eval_data  # noqa: E402

import spindetect  # noqa: E402
from spindetect.score.features import LEXICAL_FEATURES, lexical_features  # noqa: E402
from spindetect.tokenize import tokenize  # noqa: E402

AUC_TARGET = 0.90
DOCUMENT_FALSE_POSITIVE_TARGET = 0.05
COMMAND = "python benchmarks/quality.py"
# The outside data this evaluation reads, which is not shipped (licences; see the SOURCE.md
# of each folder): its path under the data directory, what it is, and where it comes from.
REQUIRED_DATA = tuple(
    entry for entry in eval_data.EXTERNAL_DATA
    if entry[0] in ("pps-tortured-csv/tortured.csv", "mrpc/msr_paraphrase_test.txt")
)


def auc(positive_scores: np.ndarray, negative_scores: np.ndarray) -> float:
    """Probability a random positive outscores a random negative (ties count half)."""
    scores = np.concatenate([positive_scores, negative_scores])
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    order_ranks = np.cumsum(counts) - (counts - 1) / 2.0  # average rank of each tie group
    ranks = order_ranks[inverse]
    n_pos, n_neg = len(positive_scores), len(negative_scores)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def zipf_shift_scores(pairs: list[tuple[str, str]]) -> np.ndarray:
    """The baseline: mean Zipf frequency of the original minus that of the replacement."""
    matrix = lexical_features(
        [tokenize(o).norms for o, _ in pairs], [tokenize(r).norms for _, r in pairs]
    )
    return matrix[:, LEXICAL_FEATURES.index("zipf_shift")]


def ours(pairs: list[tuple[str, str]]) -> np.ndarray:
    return np.array([spindetect.score_substitution(o, r) for o, r in pairs])


def context_free_rows() -> list[dict[str, object]]:
    spinner = eval_data.pps_pairs("heldout")
    human = eval_data.mrpc_human_swaps("heldout")
    rows = []
    for kind, words in (("1-word", "1:1"), ("2-word", "2:2")):
        positives = [(p.original, p.replacement) for p in spinner if p.kind == words]
        negatives = [(p.original, p.replacement) for p in human if p.kind == words]
        rows.append(
            {
                "swaps": kind,
                "spinner (PPS odd rows)": len(positives),
                "human (MRPC test)": len(negatives),
                "baseline AUC (Zipf shift)": auc(
                    zipf_shift_scores(positives), zipf_shift_scores(negatives)
                ),
                "spindetect AUC": auc(ours(positives), ours(negatives)),
            }
        )
    return rows


def document_rows() -> tuple[dict[str, object], list[dict[str, object]]]:
    pairs = [p for p in eval_data.mrpc_sentence_pairs("heldout") if p.quality == 1]
    reports = spindetect.compare_many([(p.s2, p.s1) for p in pairs])
    scores = np.array([report.score for report in reports])
    swaps = sum(len(report.swaps) for report in reports)
    flagged_swaps = sum(len(report.flagged) for report in reports)
    mrpc = {
        "pairs": len(pairs),
        "swaps found": swaps,
        "swaps flagged": flagged_swaps,
        "documents at score >= threshold": int(np.sum(scores >= spindetect.DEFAULT_THRESHOLD)),
        "share flagged": float(np.mean(scores >= spindetect.DEFAULT_THRESHOLD)),
        "mean score": float(scores.mean()),
    }
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    reference_path = next(path for path in seeds if path.name.startswith("002_"))
    comparisons = [
        (f"{path.name[:3]} against 002", path, reference_path)
        for path in seeds if path != reference_path
    ]
    comparisons.append(
        ("003 against its reconstructed source", next(p for p in seeds if p.name.startswith("003_")),
         SEED_SOURCE)
    )
    seed_rows = []
    for name, article_path, reference_path in comparisons:
        report = spindetect.compare(
            article_path.read_text(encoding="utf-8"), reference_path.read_text(encoding="utf-8")
        )
        seed_rows.append(
            {
                "seeds": name,
                "score": report.score,
                "coverage": report.coverage,
                "swaps": len(report.swaps),
                "flagged": len(report.flagged),
            }
        )
    return mrpc, seed_rows


def markdown_table(rows: list[dict[str, object]]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [f"{value:.3f}" if isinstance(value, float) else str(value) for value in row.values()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def missing_data() -> str | None:
    """What to fetch and where to put it, when outside data the evaluation reads is absent."""
    return eval_data.missing_data("quality.py", REQUIRED_DATA)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    problem = missing_data()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    context_free = context_free_rows()
    mrpc, seed_rows = document_rows()
    spun_first = max(seed_rows, key=lambda row: row["score"])["seeds"].startswith("003")
    human_low = all(
        row["score"] < spindetect.DEFAULT_THRESHOLD  # type: ignore[operator]
        for row in seed_rows if not str(row["seeds"]).startswith("003")
    )
    checks = [
        (
            f"{row['swaps']} AUC >= {AUC_TARGET}",
            row["spindetect AUC"] >= AUC_TARGET,  # type: ignore[operator]
        )
        for row in context_free
    ]
    checks.append(
        (
            f"MRPC test paraphrases flagged <= {DOCUMENT_FALSE_POSITIVE_TARGET:.0%}",
            mrpc["share flagged"] <= DOCUMENT_FALSE_POSITIVE_TARGET,  # type: ignore[operator]
        )
    )
    checks.append(("seed 003 (spinner output) scores highest", spun_first))
    checks.append(("the human seeds score under the threshold against seed 002", human_low))
    sections = [
        "### Context-free swap scoring (held out)",
        markdown_table(context_free),
        "### Document level: human paraphrases (MRPC test, quality 1, held out)",
        markdown_table([mrpc]),
        "### Document level: the seeds (development)",
        markdown_table(seed_rows),
        "### Targets",
        "\n".join(f"- [{'x' if ok else ' '}] {name}" for name, ok in checks),
    ]
    body = "\n\n".join(sections)
    print(body)
    if not args.no_write:
        write_docs(body)
    return 0


def write_docs(body: str) -> None:
    docs_section.write("quality", f"Produced by `{COMMAND}`.\n\n{body}")


if __name__ == "__main__":
    raise SystemExit(main())
