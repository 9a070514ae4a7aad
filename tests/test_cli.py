from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from spindetect.cli import main

ARTICLE = "They said the charge carries a maximum penalty of ten years and a nice of 500,000 euros."
REFERENCE = "They said the charge carries a maximum penalty of ten years and a fine of 500,000 euros."


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    article, reference = tmp_path / "article.txt", tmp_path / "reference.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    reference.write_text(REFERENCE, encoding="utf-8")
    return str(article), str(reference)


def test_human_output(files, capsys):
    assert main(["compare", *files, "--threshold", "0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("spin score ")
    assert "nice \u27e8fine\u27e9" in out


def test_json_output_is_to_dict(files, capsys):
    assert main(["compare", *files, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["swaps"][0]["article_text"] == "nice"
    assert data["schema_version"] == 1


def test_dash_reads_standard_input(files, capsys, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["compare", "-", files[1], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["swaps"][0]["reference_text"] == "fine"


def test_missing_file_exits_2_with_one_line(files, capsys):
    assert main(["compare", "nowhere.txt", files[1]]) == 2
    err = capsys.readouterr().err
    assert err == "spindetect: nowhere.txt: no such file\n"


def test_invalid_utf8_exits_2_naming_the_file(files, tmp_path, capsys):
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    assert main(["compare", str(binary), files[1]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(binary) in err and "not UTF-8" in err


def test_directory_exits_2(files, tmp_path, capsys):
    assert main(["compare", str(tmp_path), files[1]]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_both_stdin_is_a_usage_error(capsys):
    assert main(["compare", "-", "-"]) == 2
    assert "only one of" in capsys.readouterr().err


@pytest.mark.parametrize("threshold", ["2", "abc"])
def test_bad_threshold_exits_2(files, threshold, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", *files, "--threshold", threshold])
    assert exit_info.value.code == 2
    assert "--threshold" in capsys.readouterr().err


def test_python_dash_m_runs_the_cli(files):
    result = subprocess.run(
        [sys.executable, "-m", "spindetect", "compare", *files, "--json"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["swaps"][0]["article_text"] == "nice"
