"""The README's quick start and score guidance match what the code does.

The README's Python examples run as doctests (pyproject's --doctest-glob); this file checks
what a doctest cannot: the quick-start command line and its printed output, and the table
of document scores. When scoring changes, these fail until the README is refreshed
(`python scripts/readme_figures.py` rewrites its figures from the shipped model).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from spindetect import compare
from spindetect.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text of the README section headed ``## title``."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def fenced_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def quick_start_arguments() -> tuple[str, list[str]]:
    """The pip install spec and the spindetect arguments of the quick-start command."""
    (command,) = fenced_blocks(section("Quick start"), "sh")
    steps = [shlex.split(step) for step in command.strip().split("&&")]
    (install,) = [step for step in steps if "install" in step]
    (run,) = [step for step in steps if step[0].endswith("bin/spindetect")]
    return install[-1], run[1:]


def test_quick_start_installs_no_extras():
    spec, _ = quick_start_arguments()
    assert spec == "."  # the test extras (mypy, Dask, ...) are for the test command


def test_quick_start_output_is_what_the_command_prints(capsys, monkeypatch):
    _, arguments = quick_start_arguments()
    monkeypatch.chdir(ROOT)
    assert main(arguments) == 0
    printed = capsys.readouterr().out.splitlines()
    (shown,) = fenced_blocks(section("Quick start"), "text")
    shown_lines = shown.rstrip("\n").splitlines()
    assert shown_lines[-1] == printed[-1]  # the score line
    head = [line for line in shown_lines[:-1] if line.strip() != "..."]
    assert printed[: len(head)] == head  # the first flagged swaps, in order


def test_quick_start_unflagged_differences_are_unflagged():
    text = section("Quick start")
    assert "the added `just` and\n`would like ⟨want your⟩` read as ordinary rewording" in text
    report = compare(
        (ROOT / "docs/examples/durov-spun.txt").read_text(encoding="utf-8"),
        (ROOT / "docs/examples/durov-unspun.txt").read_text(encoding="utf-8"),
    )
    shown = {("just", ""), ("would like", "want your")}
    unflagged = {
        (swap.article_text, swap.reference_text) for swap in report.swaps if not swap.flagged
    }
    assert shown <= unflagged


def example_table() -> list[list[str]]:
    """The rows of the table of the README's examples (the last table of the section)."""
    lines = section("What the score means").split("The examples of this README:")[1]
    rows = [line for line in lines.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


PYTHON_EXAMPLE = (  # the README's first Python example
    "The charge carries a maximum penalty of ten years and a nice of 500,000 euros.",
    "The charge carries a maximum penalty of ten years and a fine of 500,000 euros.",
)


@pytest.mark.parametrize(
    "row, texts",
    [
        (0, PYTHON_EXAMPLE),
        (1, ("docs/examples/durov-spun.txt", "docs/examples/durov-unspun.txt")),
        (2, ("seeds/003_bb4a5452aebe63e9.txt", "benchmarks/data/seed003/source.txt")),
    ],
)
def test_example_rows_are_their_reports(row, texts):
    if row == 0:
        assert all(f'"{text}"' in README for text in texts)
        article, reference = texts
    else:
        article, reference = ((ROOT / path).read_text(encoding="utf-8") for path in texts)
    _, flagged, score = example_table()[row]
    report = compare(article, reference)
    assert (len(report.flagged), f"{report.score:.2f}") == (int(flagged), score)


def test_development_figures_are_the_shipped_models():
    import json

    from spindetect.score.model import MODEL_PATH

    validation = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["provenance"][
        "validation_one_fifth_held_back"
    ]
    text = section("What the score means")
    pan = validation["documents pan"]
    assert f"labelled spinner output | {pan['spun_flagged']:.0%} |" in text
    assert f"labelled human | {pan['human_flagged']:.1%} |" in text
    light = validation["documents light"]
    assert f"| {light['spun_flagged']:.0%} / {light['human_flagged']:.0%} |" in text
    assert f"paraphrase pairs | {validation['documents mrpc-pair: flagged']:.1%} |" in text
    single = (validation["documents thesaurus-single: flagged"],
              validation["documents human-single: flagged"])
    assert f"| {single[0]:.0%} / {single[1]:.0%} |" in text
