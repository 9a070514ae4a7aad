"""The README's quick start and score guidance match what the code does.

The README's Python examples run as doctests (pyproject's --doctest-glob); this file checks
what a doctest cannot: the quick-start command line and its printed output, and the table
of document scores. When scoring changes, these fail until the README is refreshed.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from spindetect import compare
from spindetect.cli import main
from spindetect.score import document_score

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


def test_quick_start_unflagged_swap_is_unflagged():
    assert "`go away ⟨leave⟩` scores under the threshold" in section("Quick start")
    report = compare(
        (ROOT / "docs/examples/durov-spun.txt").read_text(encoding="utf-8"),
        (ROOT / "docs/examples/durov-unspun.txt").read_text(encoding="utf-8"),
    )
    go_away = [swap for swap in report.swaps if (swap.article_text, swap.reference_text) == ("go away", "leave")]
    assert go_away and not any(swap.flagged for swap in go_away)


def score_table() -> list[list[str]]:
    rows = [line for line in section("What the score means").splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def test_score_table_rows_are_what_the_score_formula_gives():
    for _, flagged, aligned, score in score_table():
        assert f"{document_score(int(flagged), int(aligned)):.2f}" == score


PYTHON_EXAMPLE = (  # the README's first Python example
    "The charge carries a maximum penalty of ten years and a nice of 500,000 euros.",
    "The charge carries a maximum penalty of ten years and a fine of 500,000 euros.",
)


def test_score_table_row_of_the_python_example_is_its_report():
    assert all(f'"{text}"' in README for text in PYTHON_EXAMPLE)
    _, flagged, aligned, score = score_table()[0]
    report = compare(*PYTHON_EXAMPLE)
    assert (len(report.flagged), report.aligned_tokens, f"{report.score:.2f}") == (
        int(flagged), int(aligned), score
    )


@pytest.mark.parametrize(
    "row, article, reference",
    [
        (2, "docs/examples/durov-spun.txt", "docs/examples/durov-unspun.txt"),
        (3, "seeds/003_bb4a5452aebe63e9.txt", "seeds/002_9bc901dc3b6c5084.txt"),
    ],
)
def test_score_table_rows_of_real_texts_are_their_reports(row, article, reference):
    _, flagged, aligned, score = score_table()[row]
    report = compare(
        (ROOT / article).read_text(encoding="utf-8"), (ROOT / reference).read_text(encoding="utf-8")
    )
    assert (len(report.flagged), report.aligned_tokens, f"{report.score:.2f}") == (
        int(flagged), int(aligned), score
    )
