"""The scan overview: a histogram of document scores and the most spun articles."""

from __future__ import annotations

import json

import pytest
from html_pages import PAYLOADS, assert_safe_structure, column_text, parse
from hypothesis import given
from hypothesis import strategies as st

from spindetect.cli import main
from spindetect.index import Candidate
from spindetect.render_overview import HISTOGRAM_BINS, ScanOverview, report_page_name
from spindetect.report import Report, Swap
from spindetect.scan import ScanResult

ARTICLE = "They said the charge carries a maximum penalty of ten years and a nice of 500,000 euros."
REFERENCE = "They said the charge carries a maximum penalty of ten years and a fine of 500,000 euros."


def scan_result(article_id: str, score: float, flagged: int = 1) -> ScanResult:
    swaps = tuple(Swap("substitution", (0, 4), (0, 4), "nice", "fine", 0.9, True)
                  for _ in range(flagged))
    report = Report(score, swaps, 1.0, 0.5, 4, 4, (((0, 4), (0, 4)),), "nice", "fine")
    return ScanResult(article_id, (Candidate(f"ref-{article_id}", 0.6),), report)


@given(st.lists(st.floats(0, 1), max_size=30), st.integers(1, 8))
def test_overview_keeps_the_most_spun_and_counts_every_score(scores, top):
    overview = ScanOverview(top=top)
    for number, score in enumerate(scores):
        overview.add(scan_result(f"a{number}", score))
    overview.add(ScanResult("lost", (), None))
    expected = sorted(range(len(scores)), key=lambda number: (-scores[number], number))[:top]
    assert [result.article_id for result in overview.most_spun] == [f"a{n}" for n in expected]
    assert (overview.scanned, overview.matched) == (len(scores) + 1, len(scores))
    assert sum(overview.score_counts) == len(scores)
    for score in scores:
        assert overview.score_counts[min(int(score * HISTOGRAM_BINS), HISTOGRAM_BINS - 1)] > 0


def test_overview_page_has_a_bar_per_bin_and_a_row_per_listed_article():
    overview = ScanOverview(top=2)
    for number, score in enumerate([0.1, 0.97, 0.5, 1.0]):
        overview.add(scan_result(f"a{number}", score, flagged=number))
    document = parse(overview.to_html(report_folder="scan files"))
    assert_safe_structure(document, script=False)
    bars = [element for element in document.walk() if element.tag == "rect"]
    assert len(bars) == HISTOGRAM_BINS
    assert [bar.text() for bar in bars][-1] == "score 0.95\u20131.00: 2 articles"
    links = [element.attrs["href"] for element in document.walk() if element.tag == "a"]
    assert links == ["scan%20files/001-a3.html", "scan%20files/002-a1.html"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_overview_escapes_article_and_reference_ids(payload):
    overview = ScanOverview()
    overview.add(scan_result(payload, 0.8))
    document = parse(overview.to_html(report_folder="files"))
    assert_safe_structure(document, script=False)
    cells = [element.text() for element in document.walk() if element.tag == "td"]
    assert cells[1:3] == [payload, f"ref-{payload}"]


def test_overview_write_puts_reports_beside_it(tmp_path):
    overview = ScanOverview(top=2)
    for number, score in enumerate([0.3, 0.8, 0.6]):
        overview.add(scan_result(f"../x/{number}", score))
    written = overview.write(tmp_path / "scan.html")
    assert written == [tmp_path / "scan.html", tmp_path / "scan_files" / "001-x-1.html",
                       tmp_path / "scan_files" / "002-x-2.html"]
    document = parse(written[0].read_text(encoding="utf-8"))
    for element in document.walk():
        if element.tag == "a":
            assert (tmp_path / element.attrs["href"]).is_file()
    page = parse(written[1].read_text(encoding="utf-8"))
    assert_safe_structure(page)
    assert column_text(page, "article") == "nice"


def test_overview_rejects_a_bad_top():
    with pytest.raises(ValueError, match="top must be at least 1, got 0"):
        ScanOverview(top=0)
    with pytest.raises(TypeError, match="top must be an int, got float"):
        ScanOverview(top=2.5)


def test_report_page_names_are_safe_file_names():
    assert report_page_name(12, scan_result("<script>/../é", 0.5)) == "012-script.html"
    assert report_page_name(1, scan_result("///", 0.5)) == "001-article.html"


def test_scan_html_option_writes_the_overview(tmp_path, capsys):
    references = tmp_path / "refs"
    references.mkdir()
    (references / "fine.txt").write_text(REFERENCE, encoding="utf-8")
    (references / "rain.txt").write_text(
        "Rain is expected in the north of the country tomorrow morning and evening.",
        encoding="utf-8")
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "spun", "text": ARTICLE}) + "\n"
                        + json.dumps({"id": "other", "text": "Bread needs flour and water."})
                        + "\n", encoding="utf-8")
    assert main(["index", "build", str(references), "-o", str(tmp_path / "index.npz")]) == 0
    out = tmp_path / "scan.html"
    assert main(["scan", str(articles), "--index", str(tmp_path / "index.npz"),
                 "--html", str(out)]) == 0
    capsys.readouterr()
    document = parse(out.read_text(encoding="utf-8"))
    (link,) = [element for element in document.walk() if element.tag == "a"]
    assert link.text() == "spun" and link.attrs["href"] == "scan_files/001-spun.html"
    page = parse((tmp_path / "scan_files" / "001-spun.html").read_text(encoding="utf-8"))
    assert column_text(page, "reference") == REFERENCE
    assert main(["scan", str(articles), "--index", str(tmp_path / "index.npz"),
                 "--html", str(tmp_path / "missing" / "scan.html")]) == 2
    assert "cannot write" in capsys.readouterr().err


# Item 10 of issue 19: the pages stay inside the folder beside the overview.


def _two_results() -> ScanOverview:
    overview = ScanOverview(top=2)
    for number, score in enumerate([0.3, 0.8]):
        overview.add(scan_result(f"a{number}", score))
    return overview


def test_overview_refuses_a_symbolic_link_in_place_of_its_folder(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "scan_files").symlink_to(elsewhere)
    with pytest.raises(ValueError, match=r"scan_files: is a symbolic link; report pages are written only into a real folder"):
        _two_results().write(tmp_path / "scan.html")
    assert list(elsewhere.iterdir()) == [] and not (tmp_path / "scan.html").exists()
    (tmp_path / "other_files").write_text("a file", encoding="utf-8")
    with pytest.raises(ValueError, match="other_files: exists and is not a folder"):
        _two_results().write(tmp_path / "other.html")


def test_overview_pointed_at_a_directory_leaves_nothing_behind(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(ValueError, match="out: is a directory, expected a file name"):
        _two_results().write(tmp_path / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_overview_replaces_a_link_at_a_page_name_instead_of_writing_through_it(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "scan_files"
    folder.mkdir()
    (folder / "001-a1.html").symlink_to(target)
    written = _two_results().write(tmp_path / "scan.html")
    assert target.read_text(encoding="utf-8") == "keep me"
    assert not written[1].is_symlink() and "<!DOCTYPE html>" in written[1].read_text(encoding="utf-8")
    assert sorted(path.name for path in folder.iterdir()) == ["001-a1.html", "002-a0.html"]


def test_a_failed_write_removes_the_pages_and_folder_it_made(tmp_path, monkeypatch):
    def full_disk(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(tmp_path), "write_text", full_disk)
    with pytest.raises(OSError, match="No space left"):
        _two_results().write(tmp_path / "scan.html")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("make, message", [
    (lambda tmp: (tmp / "scan_files").symlink_to(tmp), "scan_files: is a symbolic link"),
    (lambda tmp: (tmp / "scan.html").mkdir(), "scan.html: is a directory, expected a file name"),
])
def test_scan_html_refuses_a_bad_destination_before_scanning(make, message, tmp_path, capsys):
    references = tmp_path / "refs.jsonl"
    references.write_text(json.dumps({"id": "fine", "text": REFERENCE}) + "\n", encoding="utf-8")
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "spun", "text": ARTICLE}) + "\n", encoding="utf-8")
    assert main(["index", "build", str(references), "-o", str(tmp_path / "index.npz")]) == 0
    make(tmp_path)
    before = sorted(path.name for path in tmp_path.iterdir())
    capsys.readouterr()
    assert main(["scan", str(articles), "--index", str(tmp_path / "index.npz"),
                 "--html", str(tmp_path / "scan.html")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and message in captured.err
    assert sorted(path.name for path in tmp_path.iterdir()) == before
