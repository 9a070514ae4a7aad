"""Build ``src/spindetect/data/spinner_rules.tsv``: word swaps that real spinners made.

    python scripts/build_spinner_rules.py           # write the file
    python scripts/build_spinner_rules.py --check   # fail if the shipped file differs

Source: the Problematic Paper Screener's tortured-phrase list (Cabanac, Labbé & Magazinov;
CC BY 4.0), as ``pps-tortured-csv/tortured.csv`` in the shared external data. Only EVEN
rows are used (odd rows are held out for evaluation). Each (expected, tortured) phrase pair
is reduced to the words that differ; equal-length phrases give one rule per differing word
("neural network" -> "neural organization" gives network -> organization), and a one-word
side gives one phrase rule ("fact" -> "indisputable fact"). A spinner is a fixed dictionary,
so a rule seen in published spinner output is strong evidence wherever it recurs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import eval_data  # noqa: E402
from shipped_file import write_or_check  # noqa: E402

from spindetect.score.features import RULES_HEADER, RULES_PATH, reduce_phrases, rules_of_pair  # noqa: E402
from spindetect.tokenize import tokenize  # noqa: E402


def build() -> str:
    rules: set[tuple[str, str]] = set()
    for pair in eval_data.pps_pairs("dev"):
        original, replacement = reduce_phrases(
            tokenize(pair.original).norms, tokenize(pair.replacement).norms
        )
        rules.update(
            (a, b)
            for a, b in rules_of_pair(original, replacement)
            # "'s" and one-letter tokens are tokenisation debris, not vocabulary.
            if len(a) > 1 and len(b) > 1 and "'s" not in (a, b)
        )
    lines = [RULES_HEADER] + [f"{a}\t{b}" for a, b in sorted(rules)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    return write_or_check(RULES_PATH, build(), check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
