from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from spindetect import ReferenceIndex
from spindetect.cli import main

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


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["scan", "{articles}", "--index", "{tmp}/missing.npz"], "missing.npz: no such index file"),
        (["scan", "{articles}", "--index", "{articles}"], "not a spindetect index file"),
        (["scan", "{tmp}/none.jsonl", "--index", "{index}"], "none.jsonl: no such file or folder"),
        (["index", "build", "{tmp}/none", "-o", "{tmp}/i.npz"], "none: no such file or folder"),
        (["index", "build", "{articles}", "-o", "{tmp}/no/dir/i.npz"], "i.npz: cannot write"),
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
