"""The HTML report as a person sees it: opened in real headless Chromium.

Skipped where no chromium binary is installed (Debian: ``apt-get install chromium``); CI
installs it and sets SPINDETECT_REQUIRE_BROWSER, so there they run or fail. Each test starts
a fresh browser profile and reads back the DOM after the page's own script ran
(``--dump-dom``), or a screenshot.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from spindetect import compare
from spindetect.index import Candidate
from spindetect.render_overview import HISTOGRAM_BINS, ScanOverview
from spindetect.render_terminal import score_rgb
from spindetect.scan import ScanResult

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1400, 1000)
# CI sets this so a missing browser fails the run instead of quietly skipping these tests.
REQUIRE_BROWSER = bool(os.environ.get("SPINDETECT_REQUIRE_BROWSER"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None and not REQUIRE_BROWSER, reason="no chromium on PATH"),
]

PAYLOADS = [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "\"><svg onload=\"document.title='pwned'\">",
    "' onmouseover='document.title=1' data-x='",
    "</textarea></style></span></a></div><script>document.body.dataset.xss = 1</script>",
    "<iframe src=\"javascript:parent.document.title='pwned'\"></iframe>",
]


def open_in_chromium(url: str, tmp_path: Path, *options: str) -> str:
    """Chromium's standard output for ``url`` with ``options`` (``--dump-dom``, ``--screenshot``)."""
    assert CHROMIUM is not None, "SPINDETECT_REQUIRE_BROWSER is set but chromium is not on PATH"
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    result = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}", *options, url,
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class Elements(HTMLParser):
    """Every element's tag and attributes, and the page's title, from a DOM dump."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        # The document's <title> comes first; later ones are SVG tooltips.
        self._in_title = tag == "title" and not self.title

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def by_id(self, element_id: str) -> dict[str, str]:
        (found,) = [attrs for _, attrs in self.elements if attrs.get("id") == element_id]
        return found

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory, seed_spun, seed_source):
    report = compare(seed_spun, seed_source)
    path = tmp_path_factory.mktemp("seed") / "report.html"
    path.write_text(report.to_html(seed_spun, seed_source), encoding="utf-8")
    return report, path


def test_seed_report_opens_at_its_first_flagged_swap(seed_page, tmp_path):
    report, path = seed_page
    dom = Elements(open_in_chromium(path.as_uri(), tmp_path, "--dump-dom"))
    flagged = [number for number, swap in enumerate(report.swaps) if swap.flagged]
    assert flagged, "the seed example must flag swaps"
    for number, swap in enumerate(report.swaps):
        assert ("flagged" in dom.by_id(f"a-s{number}")["class"].split()) == swap.flagged
    # The page's own script ran under its Content-Security-Policy: it lit up the first
    # flagged swap in both columns and placed its card inside the window.
    first = flagged[0]
    assert "lit" in dom.by_id(f"a-s{first}")["class"].split()
    assert "lit" in dom.by_id(f"r-s{first}")["class"].split()


def test_screenshot_shows_the_highlighted_swaps(seed_page, tmp_path):
    report, path = seed_page
    screenshot = tmp_path / "report.png"
    open_in_chromium(path.as_uri(), tmp_path, f"--screenshot={screenshot}")
    image = Image.open(screenshot).convert("RGB")
    assert image.size == WINDOW
    first = next(swap for swap in report.swaps if swap.flagged)
    colour = tuple(int(score_rgb(first.score)[i:i + 2], 16) for i in (1, 3, 5))
    width, height = image.size
    for left, right in ((0, width // 2), (width // 2, width)):
        half = image.crop((left, 0, right, height))
        matching = sum(count for count, pixel in half.getcolors(width * height)
                       if max(abs(a - b) for a, b in zip(pixel, colour)) <= 3)
        # A highlighted word is a box of some hundreds of pixels in each column.
        assert matching >= 150, (left, matching)


def test_a_link_to_a_swap_opens_its_card(seed_page, tmp_path):
    report, path = seed_page
    number = max(range(len(report.swaps)), key=lambda index: report.swaps[index].score)
    dom = Elements(open_in_chromium(f"{path.as_uri()}#r-s{number}", tmp_path, "--dump-dom"))
    assert "lit" in dom.by_id(f"a-s{number}")["class"].split()
    tips = [attrs for _, attrs in dom.elements if "position: fixed" in attrs.get("style", "")]
    assert len(tips) == 1 and "top:" in tips[0]["style"]


def test_hostile_text_does_not_run_or_break_out(tmp_path):
    filler = "They said the charge carries a maximum penalty of ten years and a {} of 500,000 euros."
    article = " ".join([*PAYLOADS, filler.format("nice"), *PAYLOADS])
    reference = " ".join([filler.format("fine"), *PAYLOADS])
    report = compare(article, reference, threshold=0.0)
    assert report.swaps
    path = tmp_path / "hostile.html"
    path.write_text(report.to_html(article, reference, article_name=PAYLOADS[0],
                                   reference_name=PAYLOADS[1]), encoding="utf-8")
    dump = open_in_chromium(path.as_uri(), tmp_path, "--dump-dom")
    dom = Elements(dump)
    assert dom.title == f"spindetect: {PAYLOADS[0]} vs {PAYLOADS[1]}"
    assert not dom.tags() & {"img", "svg", "iframe", "textarea"}
    assert [tag for tag, _ in dom.elements].count("script") == 1
    assert not any(name.startswith("on") or name == "data-xss"
                   for _, attrs in dom.elements for name in attrs)
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dump
    # The page's own script still ran: escaping did not cost the page its behaviour.
    assert any("lit" in attrs.get("class", "").split() for _, attrs in dom.elements)


def test_scan_overview_links_to_reports_that_open(tmp_path, seed_spun, seed_source):
    overview = ScanOverview(top=3)
    report = compare(seed_spun, seed_source)
    for number in range(3):
        overview.add(ScanResult(f"seed-{number}", (Candidate("seed-003-source", 0.5),), report))
    overview_path, *pages = overview.write(tmp_path / "scan.html")
    dom = Elements(open_in_chromium(overview_path.as_uri(), tmp_path, "--dump-dom"))
    assert dom.title == "spindetect scan: 3 articles"
    assert [tag for tag, _ in dom.elements].count("rect") == HISTOGRAM_BINS
    links = [attrs["href"] for tag, attrs in dom.elements if tag == "a"]
    assert [tmp_path / link for link in links] == pages
    page = Elements(open_in_chromium(pages[0].as_uri(), tmp_path, "--dump-dom"))
    first = next(number for number, swap in enumerate(report.swaps) if swap.flagged)
    assert "lit" in page.by_id(f"a-s{first}")["class"].split()
