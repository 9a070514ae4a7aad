"""benchmarks/quality.py without its outside data says what it needs, not a traceback."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

QUALITY = Path(__file__).resolve().parent.parent / "benchmarks" / "quality.py"


def load_quality():
    spec = importlib.util.spec_from_file_location("spindetect_quality", QUALITY)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_missing_outside_data_is_named_with_its_source(tmp_path, monkeypatch, capsys):
    quality = load_quality()
    monkeypatch.setenv("SPINDETECT_EXTERNAL_DATA", str(tmp_path))
    assert quality.main(["--no-write"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0].startswith("quality.py: this reads outside data that is not shipped")
    assert str(tmp_path) in lines[0] and "SPINDETECT_EXTERNAL_DATA" in lines[0]
    assert lines[1].startswith("  pps-tortured-csv/tortured.csv: the Problematic Paper Screener")
    assert "https://github.com/hahuyhoang411/tortured-phrase" in lines[1]
    assert lines[2].startswith("  mrpc/msr_paraphrase_test.txt: the Microsoft Research Paraphrase")
    assert "https://github.com/wasiahmad/paraphrase_identification" in lines[2]


def test_only_what_is_missing_is_listed(tmp_path, monkeypatch, capsys):
    quality = load_quality()
    (tmp_path / "mrpc").mkdir()
    (tmp_path / "mrpc" / "msr_paraphrase_test.txt").write_text("", encoding="utf-8")
    monkeypatch.setenv("SPINDETECT_EXTERNAL_DATA", str(tmp_path))
    assert quality.main(["--no-write"]) == 2
    assert [line.split(":")[0].strip() for line in capsys.readouterr().err.splitlines()[1:]] == [
        "pps-tortured-csv/tortured.csv"
    ]


@pytest.mark.parametrize("script", [
    "benchmarks/context_quality.py", "benchmarks/screen_quality.py",
    "benchmarks/alignment_recall.py", "scripts/fit_model.py", "scripts/fit_screen_model.py",
])
def test_every_script_that_reads_outside_data_names_what_is_missing(script, tmp_path):
    # They stopped with a traceback naming one file and no source.
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, str(root / script)], capture_output=True, text=True,
                          env={**os.environ, "SPINDETECT_EXTERNAL_DATA": str(tmp_path)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{Path(script).name}: this reads outside data that is not shipped")
    assert "mrpc/msr_paraphrase_train.txt" in done.stderr and "github.com" in done.stderr
