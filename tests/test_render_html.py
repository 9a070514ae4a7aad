from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spindetect import compare
from spindetect.cli import main
from spindetect.index import Candidate
from spindetect.render_html import (
    HISTOGRAM_BINS,
    SCRIPT,
    ScanOverview,
    report_html,
    report_page_name,
    score_colour,
)
from spindetect.report import Report, Swap
from spindetect.scan import ScanResult

VOID_ELEMENTS = {"meta", "br", "img", "input", "link", "hr", "area", "base", "col", "embed",
                 "source", "track", "wbr"}
# Every element the renderer writes; anything else in a page came from the input.
RENDERER_ELEMENTS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
                     "b", "div", "span", "nav", "a", "main", "section", "script", "del", "ins",
                     "i", "table", "tr", "td", "th", "p", "svg", "rect", "line", "text"}

ARTICLE = "They said the charge carries a maximum penalty of ten years and a nice of 500,000 euros."
REFERENCE = "They said the charge carries a maximum penalty of ten years and a fine of 500,000 euros."
PAYLOADS = [
    "<script>document.title='pwned'</script>",
    "\"><img src=x onerror=alert(1)>",
    "' onmouseover='alert(1)' x='",
    "</textarea><svg onload=alert(1)>",
    "</style><style>body{display:none}</style>",
    "<!-- unclosed comment",
    "]]><![CDATA[ x",
    "&lt;already escaped&gt; &amp; &#60;script&#62;",
    "</span></a></div></section></main><a href=\"javascript:alert(1)\">x</a>",
]


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def find(self, **attrs: str) -> Element:
        (found,) = [element for element in self.walk()
                    if all(element.attrs.get(key) == value for key, value in attrs.items())]
        return found

    def text(self, skip: tuple[str, ...] = ()) -> str:
        """The text content, leaving out elements with any class in ``skip``."""
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not child.classes() & set(skip):
                parts.append(child.text(skip))
        return "".join(parts)


class TreeBuilder(HTMLParser):
    """Parse a page into Elements, failing on any end tag that does not close the open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_endtag(self, tag):
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def handle_comment(self, data):
        raise AssertionError(f"comment in page: {data!r}")


def parse(page: str) -> Element:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def column_text(document: Element, side: str) -> str:
    """What a reader sees in a column: the text without hover cards and passage numbers."""
    section = document.find(id=side)
    (text,) = [element for element in section.walk() if "text" in element.classes()]
    return text.text(skip=("tip", "pnum"))


def assert_safe_structure(document: Element, *, script: bool = True) -> None:
    """Only the renderer's elements, its one script (if any), no handlers, no fetches."""
    elements = list(document.walk())[1:]
    assert {element.tag for element in elements} <= RENDERER_ELEMENTS
    scripts = [element for element in elements if element.tag == "script"]
    assert [script.children for script in scripts] == ([[SCRIPT]] if script else [])
    for element in elements:
        assert not any(name.startswith("on") for name in element.attrs), element
        assert "src" not in element.attrs
        if script:
            assert (element.attrs.get("href") or "#").startswith("#"), element
        else:
            assert not re.match(r"[a-z]+:", element.attrs.get("href") or ""), element


def make_report(swaps: tuple, passages: tuple = ()) -> Report:
    flagged = sum(swap.flagged for swap in swaps)
    return Report(min(1.0, flagged / 4), swaps, 1.0, 0.5, 10, 10, passages)


def test_seed_report_marks_every_swap_in_both_columns(seed_spun, seed_reference):
    report = compare(seed_spun, seed_reference)
    document = parse(report.to_html(seed_spun, seed_reference))
    assert_safe_structure(document)
    assert column_text(document, "article") == seed_spun
    assert column_text(document, "reference") == seed_reference
    for number, swap in enumerate(report.swaps):
        for side, text in (("a", swap.article_text), ("r", swap.reference_text)):
            element = document.find(id=f"{side}-s{number}")
            assert ("flagged" in element.classes()) == swap.flagged
            assert element.attrs["href"] == f"#{'r' if side == 'a' else 'a'}-s{number}"
            assert element.attrs["data-score"] == f"{swap.score:.4f}"
            assert element.text(skip=("tip",)) == text
    assert document.find(id="document-score").text() == f"{report.score:.2f}"


def test_aligned_passages_link_to_each_other(seed_spun, seed_reference):
    report = compare(seed_spun, seed_reference)
    document = parse(report.to_html(seed_spun, seed_reference))
    assert report.passages
    for number, (article_span, reference_span) in enumerate(report.passages):
        for side, text, (start, end) in (("a", seed_spun, article_span),
                                         ("r", seed_reference, reference_span)):
            passage = document.find(id=f"{side}-p{number}")
            parts = [element for element in document.walk()
                     if element.attrs.get("data-link") == f"p{number}"
                     and "passage" in element.classes()
                     and element in document.find(id="article" if side == "a" else "reference").walk()]
            assert passage in parts
            assert "".join(part.text(skip=("tip",)) for part in parts) == text[start:end]
    badges = [element for element in document.walk() if "pnum" in element.classes()]
    assert {badge.attrs["href"] for badge in badges} == {
        f"#{side}-p{number}" for number in range(len(report.passages)) for side in "ar"
    }


def test_hover_card_shows_original_replacement_score_and_signals():
    swap = Swap("substitution", (2, 6), (2, 6), "nice", "fine", 0.87, True,
                         signals=(("wordnet_sense_rank", 0.25), ("<b>zipf</b> drop", 1.5)))
    page = report_html(make_report((swap,), (((0, 10), (0, 10)),)), "a nice day", "a fine day")
    document = parse(page)
    (card,) = [element for element in document.find(id="a-s0").walk()
               if "tip" in element.classes()]
    assert card.text() == ("fine \u2192 nice"
                           "substitution \u00b7 score 0.87 \u00b7 flagged"
                           "wordnet_sense_rank0.25<b>zipf</b> drop1.5")


def test_swap_colour_follows_its_score():
    low = Swap("substitution", (0, 1), (0, 1), "a", "b", 0.1, False)
    high = Swap("substitution", (2, 3), (2, 3), "c", "d", 0.9, True)
    document = parse(report_html(make_report((low, high)), "a c", "b d"))
    assert document.find(id="a-s0").attrs["style"] == f"--c:{score_colour(0.1)}"
    assert document.find(id="a-s1").attrs["style"] == f"--c:{score_colour(0.9)}"


def test_insertion_and_deletion_get_markers_where_the_other_text_has_words():
    article, reference = "we went to the big market", "we went to market today"
    insertion = Swap("insertion", (11, 18), (11, 11), "the big", "", 0.2, False)
    deletion = Swap("deletion", (25, 25), (18, 23), "", "today", 0.6, True)
    document = parse(report_html(make_report((insertion, deletion)), article, reference))
    added = document.find(id="r-s0")
    assert "gap" in added.classes() and added.attrs["data-glyph"] == "+"
    dropped = document.find(id="a-s1")
    assert "gap" in dropped.classes() and dropped.attrs["data-glyph"] == "\u2212"
    assert document.find(id="a-s0").text(skip=("tip",)) == "the big"
    assert document.find(id="r-s1").text(skip=("tip",)) == "today"
    assert column_text(document, "article") == article
    assert column_text(document, "reference") == reference


@pytest.mark.parametrize("payload", PAYLOADS)
def test_untrusted_text_is_escaped_everywhere(payload):
    article = f"{payload} {ARTICLE} {payload}"
    reference = f"{REFERENCE} {payload}"
    report = compare(article, reference, threshold=0.0)
    assert report.swaps and report.passages
    page = report.to_html(article, reference, article_name=payload, reference_name=payload)
    document = parse(page)
    assert_safe_structure(document)
    assert column_text(document, "article") == article
    assert column_text(document, "reference") == reference
    (title,) = [element for element in document.walk() if element.tag == "title"]
    assert title.text() == f"spindetect: {payload} vs {payload}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_swaps_render_as_text_inside_their_cards(payload):
    article = f"{payload} x"
    swap = Swap("substitution", (0, len(payload)), (0, 4), payload, "fine", 0.9, True)
    report = make_report((swap,), (((0, len(article)), (0, 6)),))
    document = parse(report_html(report, article, "fine x"))
    assert_safe_structure(document)
    assert document.find(id="a-s0").text(skip=("tip",)) == payload
    (card,) = [element for element in document.find(id="a-s0").walk()
               if "tip" in element.classes()]
    assert card.text().startswith(f"fine \u2192 {payload}")
    (nav_link,) = [element for element in document.walk() if element.attrs.get("href") == "#a-s0"
                   and "swap" not in element.classes()]
    assert nav_link.text().startswith(" ".join(payload.split())[:39])


def test_page_is_self_contained_under_a_strict_policy():
    page = report_html(compare(ARTICLE, REFERENCE), ARTICLE, REFERENCE)
    document = parse(page)
    (policy,) = [element.attrs["content"] for element in document.walk()
                 if element.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in policy
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    (style,) = [element for element in document.walk() if element.tag == "style"]
    assert not re.search(r"url\(|@import|https?:", style.text())
    assert not re.search(r"https?://", page)


def test_texts_the_report_was_not_made_from_are_refused():
    report = compare(ARTICLE, REFERENCE)
    assert report.swaps
    with pytest.raises(ValueError, match="article is not the text this report was made from"):
        report.to_html(ARTICLE.replace("nice", "good"), REFERENCE)
    with pytest.raises(ValueError, match="reference is not the text this report was made from"):
        report.to_html(ARTICLE, REFERENCE[:20])
    with pytest.raises(TypeError, match="reference must be str, got bytes"):
        report.to_html(ARTICLE, REFERENCE.encode())


def test_score_colour_runs_from_yellow_to_red():
    hues = [int(score_colour(score / 10)[4:].split()[0]) for score in range(11)]
    assert hues == sorted(hues, reverse=True) and hues[0] > hues[-1] == 0
    assert score_colour(float("nan")) == score_colour(0.0)
    assert score_colour(7.0) == score_colour(1.0)


@st.composite
def texts_with_marks(draw):
    """Arbitrary texts with arbitrary (possibly overlapping) passages and swaps on them."""
    alphabet = st.characters(blacklist_categories=("Cs",))
    article = draw(st.text(alphabet, max_size=40))
    reference = draw(st.text(alphabet, max_size=40))

    def span(text):
        start = draw(st.integers(0, len(text)))
        return start, draw(st.integers(start, len(text)))

    swaps = []
    for _ in range(draw(st.integers(0, 4))):
        a_span, r_span = span(article), span(reference)
        swaps.append(Swap("substitution", a_span, r_span, article[slice(*a_span)],
                          reference[slice(*r_span)], draw(st.floats(0, 1)), draw(st.booleans())))
    swaps.sort(key=lambda swap: swap.article_span)
    passages = tuple((span(article), span(reference)) for _ in range(draw(st.integers(0, 3))))
    return article, reference, make_report(tuple(swaps), passages)


@given(texts_with_marks())
def test_any_text_and_marks_give_a_well_formed_lossless_page(case):
    article, reference, report = case
    document = parse(report_html(report, article, reference))
    assert_safe_structure(document)
    assert column_text(document, "article") == article
    assert column_text(document, "reference") == reference
    ids = [element.attrs["id"] for element in document.walk() if "id" in element.attrs]
    assert len(ids) == len(set(ids))


def test_compare_html_option_writes_the_page(tmp_path, capsys):
    article, reference = tmp_path / "article.txt", tmp_path / "reference.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    reference.write_text(REFERENCE, encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["compare", str(article), str(reference), "--html", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["swaps"][0]["article_text"] == "nice"
    document = parse(out.read_text(encoding="utf-8"))
    assert_safe_structure(document)
    assert column_text(document, "article") == ARTICLE
    assert document.find(id="a-s0").text(skip=("tip",)) == "nice"
    (title,) = [element for element in document.walk() if element.tag == "title"]
    assert title.text() == f"spindetect: {article} vs {reference}"


def test_compare_html_into_a_missing_folder_exits_2(tmp_path, capsys):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / "nowhere" / "report.html"
    assert main(["compare", str(article), str(article), "--html", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"spindetect: {target}: cannot write: No such file or directory\n"
    assert captured.out == ""


# The scan overview: a histogram of document scores and the most spun articles.


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
