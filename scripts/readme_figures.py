"""Refresh the README's figures that follow the shipped model, after a refit.

    python scripts/readme_figures.py          # rewrite them in README.md
    python scripts/readme_figures.py --check  # exit 1 if README.md is out of date

The README shows the quick start's first flagged swaps and score line, the scores of its
examples, and the development figures stored in ``data/model.json`` (its provenance, written
by ``scripts/fit_model.py``). ``tests/test_readme.py`` checks all three; this writes them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from spindetect import compare  # noqa: E402
from spindetect.cli import main as cli_main  # noqa: E402
from spindetect.score.model import MODEL_PATH  # noqa: E402

README = ROOT / "README.md"
QUICK_START_LINES = 6  # flagged swaps shown before the "..."
EXAMPLES = (
    ("The charge carries a maximum penalty of ten years and a nice of 500,000 euros.",
     "The charge carries a maximum penalty of ten years and a fine of 500,000 euros."),
    ("docs/examples/durov-spun.txt", "docs/examples/durov-unspun.txt"),
    ("seeds/003_bb4a5452aebe63e9.txt", "benchmarks/data/seed003/source.txt"),
)


def quick_start_block() -> str:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        cli_main(["compare", "docs/examples/durov-spun.txt", "docs/examples/durov-unspun.txt"])
    lines = output.getvalue().rstrip("\n").splitlines()
    return "\n".join(lines[:QUICK_START_LINES] + ["  ..."] + lines[-1:])


def example_rows(text: str) -> str:
    """The README's example table with each row's flagged count and score refreshed."""
    rows = iter(EXAMPLES)

    def refresh(match: re.Match[str]) -> str:
        article, reference = next(rows)
        if article.endswith(".txt"):
            article = (ROOT / article).read_text(encoding="utf-8")
            reference = (ROOT / reference).read_text(encoding="utf-8")
        report = compare(article, reference)
        return f"{match.group(1)}| {len(report.flagged)} | {report.score:.2f} |"

    head, table = text.split("The examples of this README:", 1)
    table_end = table.index("\n\n", table.index("| ---"))
    body = re.sub(r"^(\| [^|]+ )\| \d+ \| [0-9.]+ \|$", refresh, table[:table_end], flags=re.M)
    return f"{head}The examples of this README:{body}{table[table_end:]}"


def development_rows(text: str) -> str:
    validation = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["provenance"][
        "validation_one_fifth_held_back"
    ]
    pan, light = validation["documents pan"], validation["documents light"]
    figures = {
        "PAN-PC-10 rewrites a reader labelled spinner output": f"{pan['spun_flagged']:.0%}",
        "PAN-PC-10 rewrites a reader labelled human": f"{pan['human_flagged']:.1%}",
        "MRPC news blocks with 8% of content words thesaurus-swapped / the same blocks as "
        "people paraphrased them": f"{light['spun_flagged']:.0%} / {light['human_flagged']:.0%}",
        "MRPC human paraphrase pairs": f"{validation['documents mrpc-pair: flagged']:.1%}",
        "a copied sentence with one thesaurus swap / with one person's word change":
            f"{validation['documents thesaurus-single: flagged']:.0%} / "
            f"{validation['documents human-single: flagged']:.0%}",
    }
    for label, value in figures.items():
        text = re.sub(rf"^\| {re.escape(label)} \| [^|]+ \|$", f"| {label} | {value} |", text, flags=re.M)
    return text


def refreshed(text: str) -> str:
    text = re.sub(
        r"(<!-- quick-start output[^\n]*\n```text\n).*?(\n```)",
        lambda match: f"{match.group(1)}{quick_start_block()}{match.group(2)}",
        text, count=1, flags=re.S,
    )
    return development_rows(example_rows(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is out of date")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    new = refreshed(text)
    if args.check:
        print("README.md is up to date" if new == text else "README.md figures are out of date")
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    print("README.md figures refreshed" if new != text else "README.md was up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
