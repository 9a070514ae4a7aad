"""Build ``src/spindetect/data/tortured_phrases.tsv``: whole tortured phrases and what they replaced.

    python scripts/build_tortured_phrases.py           # write the file
    python scripts/build_tortured_phrases.py --check   # fail if the shipped file differs

Source: the Problematic Paper Screener's tortured-phrase list (Cabanac, Labbé & Magazinov;
CC BY 4.0), as ``pps-tortured-csv/tortured.csv`` in the shared external data, read through
``benchmarks/eval_data.pps_pairs("dev")``: EVEN rows only (odd rows are held out for
evaluation), cleaned there (curator notes, proximity queries and explanations dropped).
``spinner_rules.tsv`` keeps the words that differ; screening text with no reference needs
the whole phrase ("counterfeit consciousness" -> "artificial intelligence"), so this file
keeps both phrases as spindetect's tokenizer normalises them. Only the first quoted phrase
of a PPS query is the fingerprint: AND/NOT clauses ("neural network" in
``"brain organization" AND "neural network"``) are context, never listed here.
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

from spindetect.screening.phrases import PHRASES_HEADER, PHRASES_PATH  # noqa: E402
from spindetect.tokenize import tokenize  # noqa: E402


def build() -> str:
    phrases: set[tuple[str, str]] = set()
    for pair in eval_data.pps_pairs("dev"):
        tortured = " ".join(tokenize(pair.context_replacement).norms)
        expected = " ".join(tokenize(pair.context_original).norms)
        if tortured and expected and tortured != expected:
            phrases.add((tortured, expected))
    lines = [PHRASES_HEADER] + [f"{tortured}\t{expected}" for tortured, expected in sorted(phrases)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    return write_or_check(PHRASES_PATH, build(), check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
