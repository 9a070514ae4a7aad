"""Golden reports: the full to_dict() of seed pairs and small pairs, one case a file in golden/.

Regenerate after a deliberate change of the reports: python scripts/golden_reports.py

A failure names the case and the first field that differs; if the change was meant, the
command above rewrites every case, and the diff of tests/golden/ is the change to review.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from spindetect import compare

GOLDEN = Path(__file__).resolve().parent / "golden"
SCRIPT = GOLDEN.parent.parent / "scripts" / "golden_reports.py"
CASES = sorted(GOLDEN.glob("*.json"))


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("golden_reports", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden_reports = _script()


def first_difference(expected: Any, actual: Any, path: str = "report") -> str | None:
    """Where two JSON values first differ, as a readable path with both values, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [key for key in actual if key not in expected]:
            found = first_difference(expected.get(key), actual.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        for number, (left, right) in enumerate(zip(expected, actual)):
            found = first_difference(left, right, f"{path}[{number}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items expected, {len(actual)} found"
        return None
    if expected != actual or type(expected) is not type(actual):
        return f"{path}: expected {expected!r}, found {actual!r}"
    return None


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_report_equals_its_golden_case(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    report = compare(*golden_reports.case_texts(case))
    difference = first_difference(case["report"], report.to_dict())
    assert difference is None, f"{path.name}: {difference}"


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_golden_case_files_are_as_the_script_writes_them(path: Path):
    # So that regenerating rewrites only what changed, and every case has a label.
    text = path.read_text(encoding="utf-8")
    case = json.loads(text)
    assert case["label"] and set(case) >= {"label", "report"}
    assert golden_reports.case_file_text(case) == text


def test_there_are_seed_cases_and_small_cases():
    names = [path.stem for path in CASES]
    assert sum(name.startswith("seed-") for name in names) >= 3
    assert sum(name.startswith("pair-") for name in names) >= 5


def test_first_difference_names_the_path():
    expected = {"score": 0.5, "swaps": [{"kind": "substitution", "flagged": True}]}
    actual = {"score": 0.5, "swaps": [{"kind": "substitution", "flagged": False}]}
    assert first_difference(expected, actual) == "report.swaps[0].flagged: expected True, found False"
    assert first_difference(expected, expected) is None
    assert first_difference([1], [1, 2]) == "report: 1 items expected, 2 found"
    assert first_difference({"score": 1}, {"score": 1.0}) == "report.score: expected 1, found 1.0"
