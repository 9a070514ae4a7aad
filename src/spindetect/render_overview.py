"""The overview page of a scan: a histogram of document scores and the most spun articles.

Part of the report stage, beside ``render_html``: ``ScanOverview`` gathers ``ScanResult``s
one at a time (memory stays flat however many stream past) and writes one page that links
to a ``render_html`` report for each of the most spun articles. The page runs no script;
its extra style sheet is ``assets/overview.css``.
"""

from __future__ import annotations

import contextlib
import heapq
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ._checks import check_positive_int, check_text
from .render_html import escape, html_page, read_asset, score_colour, swap_label

if TYPE_CHECKING:
    from .scan import ScanResult

__all__ = ["ScanOverview", "report_folder", "report_page_name"]

OVERVIEW_STYLE = read_asset("overview.css")
# The scan overview's histogram: document scores in bins of width 1 / HISTOGRAM_BINS.
HISTOGRAM_BINS = 20
# Most spun articles listed (and given a report page) by default, and flagged swaps shown
# per article in that table: enough to triage a scan without writing a page per article.
DEFAULT_TOP = 100
TABLE_SWAPS = 3


class ScanOverview:
    """What a scan found, gathered one ``ScanResult`` at a time, as an overview page.

    Keeps the counts, a histogram of document scores and the ``top`` most spun results (by
    document score, then flagged swaps), so memory stays flat however many articles stream
    past. ``to_html()`` gives the overview page; ``write(path)`` writes it with a report page
    for each listed article in a folder beside it.

    >>> from spindetect.scan import ScanResult
    >>> from spindetect import compare
    >>> overview = ScanOverview(top=5)
    >>> reference = "The court imposed a fine of 500,000 euros on the company on Monday."
    >>> article = "The court imposed a nice of 500,000 euros on the company on Monday."
    >>> overview.add(ScanResult("a1", (), compare(article, reference)))
    >>> overview.add(ScanResult("a2", (), None))
    >>> overview.scanned, overview.matched, [r.article_id for r in overview.most_spun]
    (2, 1, ['a1'])
    >>> "<svg" in overview.to_html()
    True
    """

    def __init__(self, *, top: int = DEFAULT_TOP) -> None:
        self.top = check_positive_int(top, "top")
        self.scanned = 0
        self.matched = 0
        self.with_flagged = 0
        self.score_counts = [0] * HISTOGRAM_BINS
        # A min-heap of ((score, flagged swaps, -arrival), result): the weakest kept result
        # sits on top, ready to be replaced; -arrival keeps keys unique, earlier wins ties.
        self._kept: list[tuple[tuple[float, int, int], ScanResult]] = []

    def add(self, result: ScanResult) -> None:
        """Count ``result`` and keep it if it is among the ``top`` most spun so far."""
        self.scanned += 1
        report = result.report
        if report is None:
            return
        self.matched += 1
        self.with_flagged += bool(report.flagged)
        self.score_counts[_score_bin(report.score)] += 1
        entry = ((report.score, len(report.flagged), -self.scanned), result)
        if len(self._kept) < self.top:
            heapq.heappush(self._kept, entry)
        elif entry[0] > self._kept[0][0]:
            heapq.heapreplace(self._kept, entry)

    @property
    def most_spun(self) -> tuple[ScanResult, ...]:
        """The kept results, most spun first."""
        return tuple(result for _, result in sorted(self._kept, key=lambda entry: entry[0],
                                                      reverse=True))

    def to_html(self, *, report_folder: str | None = None) -> str:
        """The overview page; with ``report_folder``, each listed article links to its page there.

        The page has a summary bar, a histogram of document scores (inline SVG, a tooltip per
        bar) and a table of the most spun articles. It fetches nothing and runs no script.
        """
        if report_folder is not None:
            report_folder = check_text(report_folder, "report_folder")
        rows = [
            _overview_row(rank, result,
                          None if report_folder is None
                          else f"{quote(report_folder)}/{quote(report_page_name(rank, result))}")
            for rank, result in enumerate(self.most_spun, start=1)
        ]
        table = (
            "<table class=\"spun\"><tr><th>#</th><th>article</th><th>reference</th>"
            "<th>similarity</th><th>spin score</th><th>flagged</th><th>coverage</th>"
            f"<th>highest-scoring flagged swaps</th></tr>{''.join(rows)}</table>"
            if rows else "<p class=\"empty\">No article matched a reference.</p>"
        )
        listed = len(rows)
        body = (
            self._header()
            + "<div class=\"overview\">"
            "<section class=\"histogram\"><h2><span>Document spin scores of the "
            f"{self.matched:,} articles that matched a reference</span></h2>"
            f"<div>{self._histogram()}</div></section>"
            f"<section><h2><span>The {listed:,} most spun</span><span class=\"note\">"
            "click an article for its report</span></h2>"
            f"<div>{table}</div></section></div>"
        )
        return html_page(
            f"spindetect scan: {self.scanned:,} articles", body,
            extra_style=OVERVIEW_STYLE, script=False,
        )

    def write(self, path: str | Path) -> list[Path]:
        """Write the overview to ``path`` and the listed articles' reports to a folder beside it.

        The folder is ``report_folder(path)`` (``scan.html`` -> ``scan_files/``), as browsers
        save pages; nothing is written if it or ``path`` cannot be used (ValueError), no page
        is written through a symbolic link, and if writing fails the pages and folder made so
        far are removed. Returns the paths written, overview first.
        """
        overview_path = Path(path)
        folder = report_folder(overview_path)
        made_folder = not folder.exists()
        folder.mkdir(exist_ok=True)
        made: list[Path] = [folder] if made_folder else []
        written = []
        try:
            report_folder(overview_path)  # again: nothing swapped the folder for a link
            for rank, result in enumerate(self.most_spun, start=1):
                report = result.report
                assert report is not None  # only matched results are kept
                page_path = folder / report_page_name(rank, result)
                if not page_path.exists():
                    made.append(page_path)
                _replace_file(
                    page_path,
                    report.to_html(article_name=result.article_id,
                                   reference_name=result.reference_id or ""),
                )
                written.append(page_path)
            overview_path.write_text(self.to_html(report_folder=folder.name), encoding="utf-8")
        except BaseException:
            _remove(made)
            raise
        return [overview_path, *written]

    def _header(self) -> str:
        unmatched = self.scanned - self.matched
        stats = [
            (f"{self.scanned:,}", "articles scanned"),
            (f"{self.matched:,}", "matched a reference"),
            (f"{self.with_flagged:,}", "with flagged swaps"),
            (f"{unmatched:,}", "no reference found"),
        ]
        top_score = max((key[0] for key, _ in self._kept), default=0.0)
        return (
            "<header><h1>spindetect scan</h1>"
            "<div class=\"score\"><div><div class=\"label\">highest spin score</div>"
            f"<div class=\"value\">{top_score:.2f}</div></div></div>"
            "<div class=\"stats\">"
            + "".join(f"<div class=\"stat\"><b>{value}</b>{label}</div>" for value, label in stats)
            + "</div></header>"
        )

    def _histogram(self) -> str:
        """An inline SVG bar chart of ``score_counts``, a tooltip on each bar."""
        width, height, left, bottom, top_margin = 640, 200, 44, 26, 12
        plot_width, plot_height = width - left - 8, height - bottom - top_margin
        tallest = max(self.score_counts) or 1
        slot = plot_width / HISTOGRAM_BINS
        parts = [f"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" "
                 "aria-label=\"histogram of document spin scores\">"]
        for number, count in enumerate(self.score_counts):
            low, high = number / HISTOGRAM_BINS, (number + 1) / HISTOGRAM_BINS
            bar_height = plot_height * count / tallest
            x = left + number * slot + 1.5
            y = top_margin + plot_height - bar_height
            parts.append(
                f"<rect class=\"bar\" x=\"{x:.1f}\" y=\"{y:.1f}\" width=\"{slot - 3:.1f}\" "
                f"height=\"{max(bar_height, 0.0):.1f}\" fill=\"{score_colour((low + high) / 2)}\">"
                f"<title>score {low:.2f}\u2013{high:.2f}: {count:,} "
                f"article{'' if count == 1 else 's'}</title></rect>"
            )
        axis_y = top_margin + plot_height
        parts.append(f"<line x1=\"{left}\" y1=\"{axis_y}\" x2=\"{left + plot_width}\" "
                     f"y2=\"{axis_y}\" stroke=\"#9aa1a9\"/>")
        for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
            parts.append(f"<text x=\"{left + tick * plot_width:.1f}\" y=\"{height - 8}\" "
                         f"text-anchor=\"middle\">{tick:g}</text>")
        parts.append(f"<text x=\"{left - 6}\" y=\"{top_margin + 4}\" text-anchor=\"end\">"
                     f"{tallest:,}</text>")
        parts.append(f"<text x=\"{left - 6}\" y=\"{axis_y}\" text-anchor=\"end\">0</text>")
        parts.append("</svg>")
        return "".join(parts)


def report_folder(path: str | Path) -> Path:
    """The folder ``ScanOverview.write(path)`` puts report pages in: ``path``'s name without
    its suffix plus ``_files``, beside it.

    ValueError if ``path`` is a directory, or if the folder exists as anything but a real
    directory: a symbolic link, even to a directory, would take the pages outside it.

    >>> report_folder("out/scan.html").as_posix()
    'out/scan_files'
    """
    overview_path = Path(path)
    if overview_path.is_dir():
        raise ValueError(f"{overview_path}: is a directory, expected a file name")
    folder = overview_path.with_name(overview_path.stem + "_files")
    if folder.is_symlink():
        raise ValueError(
            f"{folder}: is a symbolic link; report pages are written only into a real folder "
            "(remove it or choose another name)"
        )
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder}: exists and is not a folder (remove it or choose another name)")
    return folder


def _remove(paths: list[Path]) -> None:
    """Remove what a failed ``write`` made: pages, then the (empty) folder listed first."""
    for path in reversed(paths):
        with contextlib.suppress(OSError):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()


def _replace_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 without following a link there: into a new file
    beside it (``"x"`` mode refuses any existing name, links included), then renamed over
    ``path``, which replaces a link itself rather than its target."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def report_page_name(rank: int, result: ScanResult) -> str:
    """The file name of a listed article's report: its rank and a file-safe form of its id.

    >>> from spindetect.scan import ScanResult
    >>> report_page_name(3, ScanResult("../news/Très bien?", (), None))
    '003-news-Tr-s-bien.html'
    """
    safe_id = re.sub(r"[^A-Za-z0-9_-]+", "-", result.article_id).strip("-")[:60]
    return f"{rank:03d}-{safe_id or 'article'}.html"


def _score_bin(score: float) -> int:
    if math.isnan(score):
        return 0
    return min(max(int(score * HISTOGRAM_BINS), 0), HISTOGRAM_BINS - 1)


def _overview_row(rank: int, result: ScanResult, link: str | None) -> str:
    report = result.report
    assert report is not None  # only matched results are listed
    article = escape(result.article_id)
    article_cell = f"<a href=\"{escape(link)}\">{article}</a>" if link else article
    similarity = f"{result.candidates[0].similarity:.2f}" if result.candidates else ""
    strongest = sorted(report.flagged, key=lambda swap: swap.score, reverse=True)[:TABLE_SWAPS]
    examples = "".join(
        f"<span class=\"chip\" style=\"--c:{score_colour(swap.score)}\">{swap_label(swap)}</span>"
        for swap in strongest
    )
    return (
        f"<tr><td class=\"number\">{rank}</td><td>{article_cell}</td>"
        f"<td>{escape(result.reference_id or '')}</td><td class=\"number\">{similarity}</td>"
        f"<td class=\"number\"><span class=\"badge\" style=\"--c:{score_colour(report.score)}\">"
        f"{report.score:.2f}</span></td>"
        f"<td class=\"number\">{len(report.flagged)} of {len(report.swaps)}</td>"
        f"<td class=\"number\">{report.coverage:.0%}</td>"
        f"<td class=\"examples\">{examples}</td></tr>"
    )
