"""The package ships py.typed, so its annotations must type-check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "spindetect"


@pytest.mark.slow  # 15 to 25 s: CI runs it (.ci/run), the everyday test command does not
def test_package_type_checks_with_mypy(tmp_path: Path):
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", str(PACKAGE), "--cache-dir", str(tmp_path)],
        capture_output=True, text=True, check=False, cwd=PACKAGE.parent.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_py_typed_marker_ships():
    assert (PACKAGE / "py.typed").exists()
