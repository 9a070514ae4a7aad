from __future__ import annotations

import functools
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spindetect import ReferenceIndex, compare
from spindetect.cli import json_text, main

ARTICLE = "They said the charge carries a maximum penalty of ten years and a nice of 500,000 euros."
REFERENCE = "They said the charge carries a maximum penalty of ten years and a fine of 500,000 euros."


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    article, reference = tmp_path / "article.txt", tmp_path / "reference.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    reference.write_text(REFERENCE, encoding="utf-8")
    return str(article), str(reference)


def test_human_output_shows_the_flagged_swaps_first(files, capsys):
    assert main(["compare", *files]) == 0
    first, last = capsys.readouterr().out.splitlines()
    assert first.endswith("  nice \u27e8fine\u27e9  [substitution, chars 66-70]")
    assert last.startswith("spin score ") and last.endswith("flagged 1 (threshold 0.5)")


def test_human_output_without_flagged_swaps_is_the_score_line(files, capsys):
    assert main(["compare", *files, "--threshold", "1"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("spin score ") and line.endswith("swaps 1   flagged 0 (threshold 1)")


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


@pytest.mark.parametrize(
    "article_bytes, reference_bytes",
    [
        # Saved by an editor that writes a byte-order mark (Notepad's "UTF-8 with BOM").
        (b"\xef\xbb\xbf" + ARTICLE.encode(), REFERENCE.encode()),
        (b"\xef\xbb\xbf" + ARTICLE.encode(), b"\xef\xbb\xbf" + REFERENCE.encode()),
        (ARTICLE.encode(), b"\xef\xbb\xbf" + REFERENCE.encode()),
        # Windows line ends: two characters each in the file as read.
        ((ARTICLE + "\r\n\r\n" + ARTICLE).encode(), (REFERENCE + "\r\n\r\n" + REFERENCE).encode()),
    ],
    ids=["article-bom", "both-bom", "reference-bom", "crlf"],
)
def test_offsets_index_the_files_as_read(article_bytes, reference_bytes, tmp_path, capsys):
    article, reference = tmp_path / "article.txt", tmp_path / "reference.txt"
    article.write_bytes(article_bytes)
    reference.write_bytes(reference_bytes)
    assert main(["compare", str(article), str(reference), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # The texts a user has: each file decoded as UTF-8, nothing dropped or translated.
    article_text = article.read_bytes().decode("utf-8")
    reference_text = reference.read_bytes().decode("utf-8")
    assert article_text == open(article, encoding="utf-8", newline="").read()
    swaps = report["swaps"]
    assert [swap["kind"] for swap in swaps] == ["substitution"] * article_text.count("nice")
    for swap in swaps:
        start, end = swap["article_span"]
        assert article_text[start:end] == swap["article_text"] == "nice"
        start, end = swap["reference_span"]
        assert reference_text[start:end] == swap["reference_text"] == "fine"


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


# spindetect index build / spindetect scan


SOURCE = (
    "The court imposed a fine of 500,000 euros on the company on Monday. The judge said the "
    "firm had broken the rules for years and ordered it to leave the country's market."
)
SPUN = SOURCE.replace("fine", "nice").replace("leave", "go away").replace("rules", "guidelines")


@pytest.fixture
def built_index(tmp_path: Path, capsys) -> str:
    references = tmp_path / "references"
    references.mkdir()
    (references / "court.txt").write_text(SOURCE, encoding="utf-8")
    (references / "recipe.txt").write_text("Mix flour, water and salt, then bake.", encoding="utf-8")
    output = tmp_path / "index.npz"
    assert main(["index", "build", str(references), "-o", str(output)]) == 0
    return str(output)


@pytest.fixture
def articles_jsonl(tmp_path: Path) -> str:
    path = tmp_path / "articles.jsonl"
    path.write_text(
        json.dumps({"id": "spun", "text": SPUN}) + "\n"
        + "{broken\n"
        + json.dumps({"id": "other", "text": "Rain is expected in the north tomorrow."}) + "\n",
        encoding="utf-8",
    )
    return str(path)


def test_index_build_summarises_on_stderr(built_index, capsys):
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("indexed 2 references (")
    assert "0 records skipped" in captured.err
    assert Path(built_index).stat().st_size > 0


def test_scan_json_lines_hold_each_result(built_index, articles_jsonl, capsys):
    capsys.readouterr()
    assert main(["scan", articles_jsonl, "--index", built_index, "--json"]) == 0
    captured = capsys.readouterr()
    spun, other = (json.loads(line) for line in captured.out.splitlines())
    assert spun["article_id"] == "spun" and spun["reference_id"] == "court"
    assert ("fine", "nice") in {
        (swap["reference_text"], swap["article_text"]) for swap in spun["report"]["swaps"]
    }
    assert spun["report"]["schema_version"] == 1
    assert other == {"article_id": "other", "reference_id": None, "candidates": [], "report": None}
    error_lines = captured.err.splitlines()
    assert error_lines[0].endswith("articles.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes at column 2)")
    assert error_lines[1].startswith("scanned 2 articles in ")
    assert "1 matched a reference, 1 with flagged swaps, 1 record skipped" in error_lines[1]
    assert "articles/s" in error_lines[1] and "MB/s" in error_lines[1]


def test_scan_scores_only_prints_id_reference_and_score(built_index, articles_jsonl, capsys):
    capsys.readouterr()
    assert main(["scan", articles_jsonl, "--index", built_index, "--scores-only"]) == 0
    captured = capsys.readouterr()
    spun, other = (json.loads(line) for line in captured.out.splitlines())
    assert spun == {"id": "spun", "reference_id": "court", "score": compare(SPUN, SOURCE).score}
    assert other == {"id": "other", "reference_id": None, "score": None}
    summary = captured.err.splitlines()[1]
    assert summary.startswith("scanned 2 articles in ")
    assert summary.endswith("1 matched a reference, 1 record skipped")
    html = str(Path(built_index).parent / "scan.html")
    assert main(["scan", articles_jsonl, "--index", built_index, "--scores-only",
                 "--html", html]) == 2
    assert "--scores-only builds no reports" in capsys.readouterr().err


def test_scan_prints_one_line_per_article_by_default(built_index, articles_jsonl, capsys):
    capsys.readouterr()
    assert main(["scan", articles_jsonl, "--index", built_index, "--min-similarity", "0.9"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["spun\tno source found", "other\tno source found"]


def test_scan_of_a_folder_names_articles_by_file(built_index, tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "page-17.txt").write_text(SPUN, encoding="utf-8")
    capsys.readouterr()
    assert main(["scan", str(folder), "--index", built_index, "-k", "2"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("page-17\tsource court (similarity ")
    assert "spin score " in line


def test_index_build_skips_a_repeated_id(tmp_path, capsys):
    references = tmp_path / "references.jsonl"
    references.write_text(
        json.dumps({"id": "r", "text": "one two"}) + "\n" + json.dumps({"id": "r", "text": "x y"}) + "\n"
    )
    assert main(["index", "build", str(references), "-o", str(tmp_path / "i.npz")]) == 0
    err = capsys.readouterr().err
    assert "skipped a second reference with id 'r'" in err and "1 record skipped" in err


def test_index_build_and_scan_skip_a_record_without_words_and_say_so(tmp_path, capsys):
    # They had indexed an empty reference and "scanned" an empty article, where compare and
    # screen refuse or skip a text with no words.
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in [
        {"id": "empty", "text": ""}, {"id": "dots", "text": " ... !"},
        {"id": "court", "text": "The court imposed a fine of 500,000 euros on the company."},
    ]) + "\n")
    index = str(tmp_path / "i.npz")
    assert main(["index", "build", str(records), "-o", index]) == 0
    err = capsys.readouterr().err
    assert "skipped reference 'empty': no words" in err and "skipped reference 'dots': no words" in err
    assert "indexed 1 reference" in err and "2 records skipped" in err
    assert main(["scan", str(records), "--index", index]) == 0
    captured = capsys.readouterr()
    assert [line.split("\t")[0] for line in captured.out.splitlines()] == ["court"]
    assert "skipped article 'empty': no words" in captured.err and "scanned 1 article" in captured.err
    only_empty = tmp_path / "empty.txt"
    only_empty.write_text("")
    assert main(["index", "build", str(only_empty), "-o", str(tmp_path / "e.npz")]) == 2
    assert "nothing indexed" in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["scan", "{articles}", "--index", "{tmp}/missing.npz"], "missing.npz: no such index file"),
        (["scan", "{articles}", "--index", "{articles}"], "not a spindetect index file"),
        (["scan", "{tmp}/none.jsonl", "--index", "{index}"], "none.jsonl: no such file or folder"),
        (["index", "build", "{tmp}/none", "-o", "{tmp}/i.npz"], "none: no such file or folder"),
        (["index", "build", "{articles}", "-o", "{tmp}/no/dir/i.npz"], "i.npz: cannot write"),
        (["scan", "{articles}", "--index", "{tmp}"], "is a directory, expected an index file"),
        (["scan", "{articles}", "--index", "/dev/zero"], "a character device, expected a regular file"),
        (["scan", "/dev/zero", "--index", "{index}"], "a character device, expected a regular file or a named pipe"),
    ],
)
def test_index_and_scan_usage_errors_exit_2(
    arguments, message, built_index, articles_jsonl, tmp_path, capsys
):
    capsys.readouterr()
    values = {"articles": articles_jsonl, "index": built_index, "tmp": str(tmp_path)}
    assert main([argument.format(**values) for argument in arguments]) == 2
    last_line = capsys.readouterr().err.splitlines()[-1]
    assert last_line.startswith("spindetect: ") and message in last_line


@pytest.mark.parametrize("option", [["-k", "0"], ["--min-similarity", "1.5"]])
def test_bad_scan_options_exit_2(option, built_index, articles_jsonl, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", articles_jsonl, "--index", built_index, *option])
    assert exit_info.value.code == 2
    assert option[0] in capsys.readouterr().err


def test_scan_shows_a_progress_bar_on_a_terminal(built_index, articles_jsonl, monkeypatch, capsys):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["scan", articles_jsonl, "--index", built_index]) == 0
    shown = terminal.getvalue()
    assert "scanning" in shown and "/3" in shown  # the bar counts records out of 3
    assert "articles.jsonl:2: not valid JSON" in shown
    assert "scanned 2 articles" in shown


def _hostile_records(path: Path) -> None:
    """A JSON Lines file of the records that once aborted scan and index build, and two good."""
    path.write_text(
        "\n".join([
            '{"id": ' + "7" * 5_000 + ', "text": "a 5,000-digit id"}',
            '{"id": "deep", "text": "x", "meta": ' + "[" * 50_000 + "]" * 50_000 + "}",
            '{"id": "surrogate text", "text": "caf\\ud800"}',
            '{"id": "surrogate \\udfff id", "text": "text"}',
            json.dumps({"id": "spun", "text": SPUN}),
            json.dumps({"id": "\u0149", "text": "\u0149 " + SOURCE}),
        ]) + "\n",
        encoding="utf-8",
    )


def test_hostile_records_are_skipped_and_counted_by_scan_and_index_build(tmp_path):
    records = tmp_path / "hostile.jsonl"
    _hostile_records(records)
    run = functools.partial(
        subprocess.run, capture_output=True, check=False, cwd=tmp_path
    )
    command = [sys.executable, "-m", "spindetect"]
    built = run([*command, "index", "build", str(records), "-o", "index.npz"])
    assert built.returncode == 0 and b"Traceback" not in built.stderr
    assert b"indexed 2 references" in built.stderr and b"4 records skipped" in built.stderr
    scanned = run([*command, "scan", str(records), "--index", "index.npz", "--json", "--html", "scan.html"])
    assert scanned.returncode == 0 and b"Traceback" not in scanned.stderr
    assert b"scanned 2 articles" in scanned.stderr and b"4 records skipped" in scanned.stderr
    results = [json.loads(line) for line in scanned.stdout.decode("utf-8").splitlines()]
    assert [(r["article_id"], r["reference_id"]) for r in results] == [("spun", "spun"), ("\u0149", "\u0149")]
    page = (tmp_path / "scan.html").read_bytes().decode("utf-8")
    assert "spun" in page and len(list((tmp_path / "scan_files").iterdir())) == 2


def test_plain_output_shows_control_characters_instead_of_obeying_them(tmp_path, capsys):
    article = tmp_path / "article.txt"
    reference = tmp_path / "reference.txt"
    article.write_text(ARTICLE.replace("nice", "ni\x1b[2Jce"), encoding="utf-8")
    reference.write_text(REFERENCE, encoding="utf-8")
    assert main(["compare", str(article), str(reference), "--threshold", "0"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "ni\u241b[2Jce" in out


def test_closed_pipe_ends_quietly(files):
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    result = subprocess.run(
        [sys.executable, "-m", "spindetect", "compare", *files, "--json"],
        stdout=write_end, stderr=subprocess.PIPE, text=True, check=False,
    )
    os.close(write_end)
    assert "Traceback" not in result.stderr and result.returncode in (0, 1)


# Input that cannot be read and output that cannot be written: one line, exit 2.


def test_an_endless_device_is_refused_after_the_size_cap(files, capsys):
    assert main(["compare", "/dev/zero", files[1]]) == 2
    assert capsys.readouterr().err == (
        "spindetect: /dev/zero: holds more than 8 MiB; spindetect reads at most 8 MiB of one text\n"
    )


def test_a_file_over_the_size_cap_is_refused_from_its_size(files, tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(3 * 2**30)  # sparse: nothing is read, the size alone refuses it
    assert main(["compare", str(big), files[1]]) == 2
    assert capsys.readouterr().err == (
        f"spindetect: {big}: is 3 GiB; spindetect reads at most 8 MiB of one text\n"
    )


@pytest.mark.parametrize(
    "arguments, unreadable",
    [
        (["compare", "{article}", "{reference}"], "article"),
        (["scan", "{articles}", "--index", "{index}"], "articles"),
        (["index", "build", "{articles}", "-o", "{tmp}/i.npz"], "articles"),
        (["scan", "{articles}", "--index", "{index}"], "index"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_2(
    arguments, unreadable, files, built_index, articles_jsonl, tmp_path, capsys, monkeypatch
):
    import spindetect._inputs as inputs_module

    values = {"article": files[0], "reference": files[1], "articles": articles_jsonl,
              "index": built_index, "tmp": str(tmp_path)}
    denied, real_open = values[unreadable], os.open

    def denying_open(path, flags, *rest):
        if os.fspath(path) == denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *rest)

    monkeypatch.setattr(inputs_module.os, "open", denying_open)
    capsys.readouterr()
    assert main([argument.format(**values) for argument in arguments]) == 2
    assert capsys.readouterr().err.splitlines() == [f"spindetect: {denied}: cannot read: Permission denied"]


def test_a_file_failing_while_read_is_one_line_and_exit_2_after_the_results_so_far(
    built_index, articles_jsonl, capsys, monkeypatch
):
    import importlib

    scan_module = importlib.import_module("spindetect.scan")

    def failing_lines(handle, *, limit):
        yield handle.readline()
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(scan_module, "read_lines", failing_lines)
    capsys.readouterr()
    assert main(["scan", articles_jsonl, "--index", built_index]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("spun\tsource court")
    assert captured.err.splitlines()[-1] == f"spindetect: {articles_jsonl}: Input/output error"


@pytest.mark.parametrize("output", [["--json"], []])
def test_a_full_disk_is_one_line_and_exit_2(files, output):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "spindetect", "compare", *files, *output],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )
    assert result.returncode == 2
    assert result.stderr == "spindetect: standard output: cannot write: No space left on device\n"


def test_a_full_disk_during_scan_is_one_line_and_exit_2(built_index, articles_jsonl):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "spindetect", "scan", articles_jsonl, "--index", built_index, "--json"],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "spindetect: standard output: cannot write: No space left on device"


def test_a_named_pipe_nobody_writes_to_is_waited_for_with_a_message(files, tmp_path):
    pipe = tmp_path / "article.pipe"
    os.mkfifo(pipe)
    process = subprocess.Popen(
        [sys.executable, "-m", "spindetect", "compare", str(pipe), files[1], "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        waiting = process.stderr.readline()  # blocks until spindetect says something
        assert waiting == f"spindetect: {pipe}: waiting for a program to write to this named pipe\n"
        with open(pipe, "w", encoding="utf-8") as writer:
            writer.write(ARTICLE)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0 and err == ""
    assert json.loads(out)["swaps"][0]["article_text"] == "nice"


# Everything printed from input goes through one sanitiser (one_line; json_text for JSON).

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m\r\x7f"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _hostile_names(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of articles whose names hold escapes (one not UTF-8, so it is reported),
    and a JSON Lines file of references whose ids and texts hold them."""
    folder = tmp_path / ("articles" + ESCAPES.replace("\x00", ""))
    folder.mkdir()
    (folder / f"spun{ESCAPES}.txt").write_text(SPUN + ESCAPES, encoding="utf-8")
    (folder / f"latin1{ESCAPES}.txt").write_bytes("caf\u00e9".encode("latin-1"))
    references = tmp_path / "references.jsonl"
    references.write_text(
        json.dumps({"id": f"court{ESCAPES}", "text": SOURCE + ESCAPES}) + "\n"
        + json.dumps({"id": f"court{ESCAPES}", "text": "again"}) + "\n"
        + "{broken" + ESCAPES + "\n",
        encoding="utf-8",
    )
    return folder, references


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_nothing_printed_from_input_reaches_the_terminal_raw(output, tmp_path, capsys):
    folder, references = _hostile_names(tmp_path)
    index = tmp_path / "index.npz"
    assert main(["index", "build", str(references), "-o", str(index)]) == 0
    assert main(["scan", str(folder), "--index", str(index), *output]) == 0
    article = next(folder.glob("spun*"))
    assert main(["compare", str(article), str(article), "--threshold", "0", *output]) == 0
    assert main(["screen", str(article), str(folder), *output]) == 0
    assert main(["compare", str(folder / ESCAPES), str(article)]) == 2
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert _CONTROL.findall(stream) == []
    assert "\u241b]0;pwned\u2407" in captured.err  # shown as symbols, not dropped
    if output:
        results = [json.loads(line) for line in captured.out.splitlines() if line.startswith('{"article_id"')]
        assert [result["article_id"] for result in results] == [f"spun{ESCAPES}"]
        screened = [json.loads(line) for line in captured.out.splitlines() if line.startswith('{"id"')]
        assert [result["id"] for result in screened] == [str(article), f"spun{ESCAPES}"]
        assert results[0]["reference_id"] == f"court{ESCAPES}"
    else:
        assert f"spun\u241b]0;pwned\u2407" in captured.out


def test_json_text_escapes_every_control_character_and_reads_back_the_same():
    data = {"text": "".join(map(chr, range(0xA0))) + "\u2028\u2029 é ❤"}
    text = json_text(data)
    assert _CONTROL.findall(text) == [] and "\u2028" not in text and "é ❤" in text
    assert json.loads(text) == data


def test_a_progress_count_never_drains_a_pipe_or_reads_a_device(tmp_path, monkeypatch):
    from spindetect.cli import _record_count

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    os.mkfifo(tmp_path / "pipe.jsonl")
    assert _record_count(str(tmp_path / "pipe.jsonl")) is None
    assert _record_count("/dev/zero") is None
    (tmp_path / "a.jsonl").write_text('{"id": "a", "text": "b"}\n\n{"id": "c", "text": "d"}\n')
    assert _record_count(str(tmp_path / "a.jsonl")) == 2


# Runs from a real terminal: standard error (and standard output, unless it is sent to a
# file as with "> results.jsonl") on a pseudo-terminal, as a shell gives them. In-process, so
# the data is loaded once for the whole suite.


def run_in_terminal(
    arguments: list[str], monkeypatch, *, stdout_file: Path | None = None
) -> tuple[int, str]:
    """``main(arguments)`` with standard error on a pseudo-terminal and standard output to
    ``stdout_file`` (or to the terminal too); its exit status and what the terminal showed."""
    pty = pytest.importorskip("pty")
    import threading

    control, terminal = pty.openpty()
    shown = bytearray()

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(control, 65536)
            except OSError:  # EIO: the terminal side was closed
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    for name in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    # rich caches each style's escape codes on the first console that renders it (Style.parse
    # is cached too): render in true colour, as test_render_terminal's consoles expect.
    monkeypatch.setenv("COLORTERM", "truecolor")
    with open(terminal, "w", encoding="utf-8") as terminal_file, (
        open(stdout_file, "w", encoding="utf-8") if stdout_file else terminal_file
    ) as stdout:
        monkeypatch.setattr(sys, "stderr", terminal_file)
        monkeypatch.setattr(sys, "stdout", stdout)
        try:
            status = main(arguments)
        finally:
            monkeypatch.undo()
    reader.join(timeout=30)
    os.close(control)
    return status, shown.decode("utf-8", "replace")


@pytest.fixture
def many_articles(tmp_path: Path) -> str:
    """A JSON Lines file of articles longer than a terminal line, enough to draw a bar."""
    path = tmp_path / "articles.jsonl"
    records = [{"id": f"spun-{n}", "text": SPUN + f" Case {n}."} for n in range(30)]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return str(path)


def test_scan_json_redirected_from_a_terminal_fills_the_file(
    built_index, many_articles, tmp_path, monkeypatch
):
    results = tmp_path / "results.jsonl"
    status, shown = run_in_terminal(
        ["scan", many_articles, "--index", built_index, "--json"], monkeypatch,
        stdout_file=results,
    )
    assert status == 0, shown
    lines = results.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["article_id"] for line in lines] == [f"spun-{n}" for n in range(30)]
    assert all(json.loads(line)["reference_id"] == "court" for line in lines)
    assert '"article_id"' not in shown  # the terminal got the bar and the summary only
    assert "scanned 30 articles" in shown


def test_scan_plain_output_redirected_from_a_terminal_fills_the_file(
    built_index, many_articles, tmp_path, monkeypatch
):
    results = tmp_path / "results.txt"
    status, shown = run_in_terminal(
        ["scan", many_articles, "--index", built_index], monkeypatch, stdout_file=results
    )
    assert status == 0, shown
    lines = results.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30 and lines[0].startswith("spun-0\tsource court (similarity ")
    assert "spun-0\t" not in shown


def test_scan_on_a_terminal_prints_whole_lines_without_a_bar(
    built_index, many_articles, monkeypatch
):
    status, shown = run_in_terminal(
        ["scan", many_articles, "--index", built_index, "--json"], monkeypatch
    )
    assert status == 0, shown
    lines = [line for line in shown.splitlines() if line.startswith("{")]
    assert [json.loads(line)["article_id"] for line in lines] == [f"spun-{n}" for n in range(30)]
    assert "\u2501" not in shown  # no bar drawn between the results


def test_compare_on_a_terminal_shows_the_flagged_swaps_first(files, monkeypatch):
    status, shown = run_in_terminal(["compare", *files], monkeypatch)
    assert status == 0, shown
    lines = [line for line in shown.splitlines() if line.strip()]
    assert "nice \u27e8fine\u27e9  [substitution, chars 66-70]" in lines[0]
    assert "spin score" in lines[1]


def test_index_build_on_a_terminal_draws_its_bar_on_standard_error(tmp_path, monkeypatch):
    references = tmp_path / "references.jsonl"
    references.write_text(
        "".join(json.dumps({"id": f"r{n}", "text": f"{SOURCE} {n}"}) + "\n" for n in range(5)),
        encoding="utf-8",
    )
    status, shown = run_in_terminal(
        ["index", "build", str(references), "-o", str(tmp_path / "i.npz")], monkeypatch
    )
    assert status == 0, shown
    assert "indexing" in shown and "indexed 5 references" in shown


# Input that gives nothing to work on is said so, never a silent success.


@pytest.mark.parametrize("empty", ["", "  \n", "... --- !"])
@pytest.mark.parametrize("side", ["article", "reference"])
def test_compare_of_a_text_without_words_exits_2_naming_it(empty, side, files, tmp_path, capsys):
    blank = tmp_path / "blank.txt"
    blank.write_text(empty, encoding="utf-8")
    arguments = [str(blank), files[1]] if side == "article" else [files[0], str(blank)]
    assert main(["compare", *arguments]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"spindetect: {blank}: no words to compare (empty, or only spaces and punctuation)\n"


def test_compare_of_unrelated_texts_says_nothing_lined_up(files, tmp_path, capsys):
    other = tmp_path / "other.txt"
    other.write_text("Bread needs flour, water and salt.", encoding="utf-8")
    assert main(["compare", str(other), files[1]]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("spin score 0.00")
    assert f"nothing in {other} lines up with {files[1]} (coverage 0%)" in captured.err


def test_index_build_of_an_empty_folder_exits_2_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    output = tmp_path / "index.npz"
    assert main(["index", "build", str(tmp_path / "empty"), "-o", str(output)]) == 2
    assert capsys.readouterr().err.startswith(f"spindetect: {tmp_path / 'empty'}: nothing indexed")
    assert not output.exists()


def test_index_build_says_which_entries_of_a_folder_it_skipped(tmp_path, capsys):
    folder = tmp_path / "references"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.TXT").write_text(SOURCE, encoding="utf-8")
    (folder / "b.md").write_text(SOURCE, encoding="utf-8")
    (folder / "sub" / "c.txt").write_text(SOURCE, encoding="utf-8")
    assert main(["index", "build", str(folder), "-o", str(tmp_path / "i.npz")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"spindetect: {folder / 'b.md'}: skipped, not a .txt file"
    assert err[1].startswith(f"spindetect: {folder / 'sub'}: skipped, a folder")
    assert err[2].startswith("indexed 1 reference (") and err[2].endswith("; 2 records skipped")


def test_index_build_of_one_text_file_indexes_it(tmp_path, capsys):
    reference = tmp_path / "court.txt"
    reference.write_text(SOURCE.replace(". ", ".\n"), encoding="utf-8")  # lines, none of them JSON
    assert main(["index", "build", str(reference), "-o", str(tmp_path / "i.npz")]) == 0
    (summary,) = capsys.readouterr().err.splitlines()
    assert summary.startswith("indexed 1 reference (") and summary.endswith("0 records skipped")
    assert ReferenceIndex.load(tmp_path / "i.npz").query(SPUN, k=1)[0].ref_id == "court"


def test_index_build_where_every_record_is_skipped_exits_2(tmp_path, capsys):
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nNot JSON at all.\n", encoding="utf-8")
    output = tmp_path / "i.npz"
    assert main(["index", "build", str(notes), "-o", str(output)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and ":1: not valid JSON" in err[0] and ":3: not valid JSON" in err[1]
    assert err[2].startswith(f"spindetect: {notes}: nothing indexed, no index written: all 2 records skipped")
    assert not output.exists()


def test_scan_of_nothing_exits_2(built_index, tmp_path, capsys):
    (tmp_path / "none").mkdir()
    capsys.readouterr()
    assert main(["scan", str(tmp_path / "none"), "--index", built_index, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"spindetect: {tmp_path / 'none'}: nothing scanned: no records")


def test_scan_where_no_article_has_a_source_says_so(built_index, articles_jsonl, capsys):
    capsys.readouterr()
    assert main(["scan", articles_jsonl, "--index", built_index, "--min-similarity", "0.9"]) == 0
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("spindetect: no article shares 90% of its word pairs with a reference")


# scan reads standard input, other field names, and in several processes.


def test_scan_dash_reads_json_lines_from_standard_input(built_index, articles_jsonl, capsys, monkeypatch):
    piped = io.BytesIO(Path(articles_jsonl).read_bytes())
    piped.name = "<stdin>"  # as sys.stdin.buffer is named
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(piped, encoding="utf-8"))
    capsys.readouterr()
    assert main(["scan", "-", "--index", built_index]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("spun\tsource court (similarity ")
    assert captured.out.splitlines()[1] == "other\tno source found"
    assert captured.err.startswith("spindetect: <stdin>:2: not valid JSON")


def test_index_and_scan_take_other_field_names(tmp_path, capsys):
    references = tmp_path / "references.jsonl"
    references.write_text(json.dumps({"url": "court", "body": SOURCE}) + "\n", encoding="utf-8")
    articles = tmp_path / "crawl.jsonl"
    articles.write_text(json.dumps({"url": "page-1", "body": SPUN}) + "\n", encoding="utf-8")
    fields = ["--id-field", "url", "--text-field", "body"]
    index = str(tmp_path / "i.npz")
    assert main(["index", "build", str(references), "-o", index, *fields]) == 0
    assert main(["scan", str(articles), "--index", index, "--json", *fields]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["article_id"] == "page-1"
    assert json.loads(line)["reference_id"] == "court"


def test_scan_of_standard_input_skips_hostile_records_and_prints_ids_through_the_sanitiser(
    built_index, capsys, monkeypatch
):
    # Issue 20's standard input and field names with issue 19's hostile records and sanitiser.
    lines = [
        json.dumps({"url": "\x1b]0;pwned\x07\x1b[2J", "body": SPUN}),
        '{"url": ' + "7" * 5_000 + ', "body": "a 5,000-digit id"}',
        '{"url": "deep", "body": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"url": "surrogate", "body": "caf\\ud800"}',
    ]
    piped = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))
    piped.name = "<stdin>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(piped, encoding="utf-8"))
    capsys.readouterr()
    fields = ["--id-field", "url", "--text-field", "body"]
    assert main(["scan", "-", "--index", built_index, *fields]) == 0
    captured = capsys.readouterr()
    (line,) = captured.out.splitlines()
    assert line.startswith("\u241b]0;pwned\u2407\u241b[2J\tsource court") and "\x1b" not in line
    assert [message.split(":", 3)[2] for message in captured.err.splitlines()[:3]] == [
        "2", "3", "4"
    ]
    assert "scanned 1 article " in captured.err and "3 records skipped" in captured.err
    piped = io.BytesIO(("\n".join(lines[1:]) + "\n").encode("utf-8"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(piped, encoding="utf-8"))
    assert main(["scan", "-", "--index", built_index, *fields]) == 2
    assert capsys.readouterr().err.endswith(
        "spindetect: standard input: nothing scanned: all 3 records skipped (why, above)\n"
    )


def test_messages_about_useless_input_go_through_the_sanitiser(tmp_path, capsys):
    empty = tmp_path / "empty\x1b[2J.txt"
    empty.write_text("", encoding="utf-8")
    (tmp_path / "reference.txt").write_text(REFERENCE, encoding="utf-8")
    assert main(["compare", str(empty), str(tmp_path / "reference.txt")]) == 2
    assert capsys.readouterr().err == (
        f"spindetect: {tmp_path}/empty\u241b[2J.txt: no words to compare "
        "(empty, or only spaces and punctuation)\n"
    )
    assert main(["screen", str(empty)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "empty\u241b[2J.txt: skipped, no words to screen" in err


def test_scan_workers_option_scans_in_that_many_processes(built_index, articles_jsonl, monkeypatch, capsys):
    import spindetect.cli

    asked = []

    def recording_scan(*args, **kwargs):
        asked.append(kwargs["workers"])
        return spindetect.scan(*args, **{**kwargs, "workers": 1})

    monkeypatch.setattr(spindetect.cli, "scan", recording_scan)
    assert main(["scan", articles_jsonl, "--index", built_index, "--workers", "2"]) == 0
    assert main(["scan", articles_jsonl, "--index", built_index]) == 0
    assert asked == [2, 1]
    with pytest.raises(SystemExit):
        main(["scan", articles_jsonl, "--index", built_index, "--workers", "0"])
    assert "--workers: must be at least 1, got '0'" in capsys.readouterr().err


def test_screen_skips_a_text_without_words_and_exits_2_when_none_had_any(tmp_path, capsys):
    blank, words = tmp_path / "blank.txt", tmp_path / "words.txt"
    blank.write_text(" \n", encoding="utf-8")
    words.write_text(ARTICLE, encoding="utf-8")
    assert main(["screen", str(blank), str(words)]) == 0
    captured = capsys.readouterr()
    assert [line.split(":")[0] for line in captured.out.splitlines()[:1]] == [str(words)]
    assert captured.err == (
        f"spindetect: {blank}: skipped, no words to screen (empty, or only spaces and punctuation)\n"
    )
    assert main(["screen", str(blank)]) == 2
    assert capsys.readouterr().err.endswith(f"spindetect: {blank}: nothing screened: no text had words\n")
    (tmp_path / "none").mkdir()
    assert main(["screen", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err == f"spindetect: {tmp_path / 'none'}: nothing screened: no texts in them\n"


def test_screen_reads_json_lines_on_standard_input_as_scan_does(monkeypatch, capsys):
    # It screened the JSON itself, braces and keys, as one text of prose (0.83, "spun").
    lines = [json.dumps({"id": "a", "text": "The court imposed a fine of 500 euros on the company."}),
             json.dumps({"id": "b", "text": "A plain sentence about the weather in the city."})]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(("\n".join(lines) + "\n").encode()),
                                                       encoding="utf-8"))
    assert main(["screen", "-", "--json"]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [result["id"] for result in results] == ["a", "b"]
    assert [result["tokens"] for result in results] == [11, 9]  # the texts, not the JSON
    # Plain text on standard input is still one text.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"A plain sentence about the weather.\n"),
                                                       encoding="utf-8"))
    assert main(["screen", "-", "--json"]) == 0
    (result,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert result["id"] == "standard input" and result["tokens"] == 6


def test_screen_streams_its_texts_instead_of_reading_them_all_first(tmp_path, monkeypatch, capsys):
    # It read every text into a list before screening the first: a JSON Lines file of any
    # size was held whole in memory. Now a result is printed while later texts are unread.
    from spindetect import cli

    text = "The court imposed a fine of 500 euros on the company. " * 10_000  # 550 KB: two make a batch
    read = []

    def inputs(files):
        for number in range(6):
            read.append(number)
            yield f"text {number}", text

    printed_after = []
    format_screening = cli.format_screening
    monkeypatch.setattr(cli, "_screen_inputs", inputs)
    monkeypatch.setattr(cli, "format_screening",
                        lambda name, screening: printed_after.append(len(read)) or format_screening(name, screening))
    assert main(["screen", "ignored"]) == 0
    assert capsys.readouterr().out.count("spun probability") == 6
    assert printed_after[0] < 6 and printed_after == sorted(printed_after)
    # One text: --html names the page as given; more: one page per text, numbered.
    monkeypatch.setattr(cli, "_screen_inputs", lambda files: iter([("only", "A plain sentence.")]))
    assert main(["screen", "ignored", "--html", str(tmp_path / "page.html")]) == 0
    assert (tmp_path / "page.html").exists()
