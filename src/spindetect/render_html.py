"""Render a Report as one self-contained HTML page: the article and its reference side by side.

Part of the report stage (tokenize -> align -> extract -> score -> report): it reads a
finished Report and the two texts and writes markup; it computes nothing new. Article and
reference are untrusted scraped content, so their text reaches the page only through
``html.escape``, and the page's Content-Security-Policy allows no fetch and no script but
its own few lines. ``ScanOverview`` gathers a scan's results into an overview page that
links to such a report for each of the most spun articles.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import hashlib
import html
import math
import heapq
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from .report import Report, Swap
    from .scan import ScanResult

__all__ = ["ScanOverview", "report_folder", "report_html", "report_page_name", "score_colour"]

# Hues of the score scale: a swap scored 0 is pale yellow, one scored 1 is red.
LOW_HUE, HIGH_HUE = 55, 0
# Lightness at the two ends: low scores stay faint, high scores stand out but keep dark text
# readable on them.
LOW_LIGHTNESS, HIGH_LIGHTNESS = 90, 62

ARTICLE, REFERENCE = "a", "r"

# The scan overview's histogram: document scores in bins of width 1 / HISTOGRAM_BINS.
HISTOGRAM_BINS = 20
# Most spun articles listed (and given a report page) by default, and flagged swaps shown
# per article in that table: enough to triage a scan without writing a page per article.
DEFAULT_TOP = 100
TABLE_SWAPS = 3

# Hovering (or tabbing to) a passage or swap lights up its counterpart in the other column
# and places the swap's card inside the window (CSS alone would clip it at the column's
# edge). On load, and when a link is followed, both columns scroll to the linked swap (by
# default the first flagged one, else the first shared passage), so a long article opens
# where the evidence is. Everything else is plain HTML and CSS.
SCRIPT = """\
(() => {
  const lit = [];
  const light = (link) => {
    for (const element of lit.splice(0)) element.classList.remove("lit");
    for (const element of document.querySelectorAll(`[data-link="${link}"]`)) {
      element.classList.add("lit");
      lit.push(element);
    }
  };
  const place = (swap) => {
    const tip = swap.querySelector(".tip");
    const box = swap.getBoundingClientRect();
    tip.style.position = "fixed";
    const below = box.bottom + 6 + tip.offsetHeight < innerHeight;
    tip.style.top = `${below ? box.bottom + 6 : box.top - 6 - tip.offsetHeight}px`;
    tip.style.left = `${Math.max(8, Math.min(box.left, innerWidth - tip.offsetWidth - 8))}px`;
  };
  const hover = (event) => {
    const target = event.target.closest("[data-link]");
    light(target ? target.dataset.link : "");
    if (target && target.classList.contains("swap")) place(target);
  };
  document.addEventListener("mouseover", hover);
  document.addEventListener("focusin", hover);
  const show = () => {
    const shown = (location.hash && document.getElementById(location.hash.slice(1)))
      || document.querySelector("#article .swap.flagged")
      || document.querySelector("#article .passage");
    if (!shown || !shown.dataset.link) return;
    for (const element of document.querySelectorAll(`[data-link="${shown.dataset.link}"]`)) {
      const column = element.closest(".text");
      column.scrollTop += element.getBoundingClientRect().top
        - column.getBoundingClientRect().top - column.clientHeight / 3;
    }
    light(shown.dataset.link);
    if (shown.classList.contains("swap")) place(shown);
  };
  addEventListener("hashchange", show);
  addEventListener("load", show);
})();
"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
# No fetches of any kind; inline styles and only the script above, by its hash, so even a
# payload that slipped through escaping could not run.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_HASH}'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
# The scan overview needs no script at all.
STATIC_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)

STYLE = """\
:root { --ink: #1d232b; --muted: #6b7480; --line: #dde1e6; --paper: #fbfaf7;
  --link: #dbe9ff; --font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --serif: Georgia, "Times New Roman", serif; }
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 15px/1.5 var(--font); color: var(--ink);
  background: #eef0f3; }
header { padding: 14px 22px 12px; background: #fff; border-bottom: 1px solid var(--line);
  display: flex; flex-wrap: wrap; gap: 10px 28px; align-items: center; }
header h1 { font-size: 15px; font-weight: 600; margin: 0; color: var(--muted);
  flex-basis: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
header h1 b { color: var(--ink); }
.score { display: flex; align-items: center; gap: 12px; }
.score .value { font-size: 34px; font-weight: 700; line-height: 1; font-variant-numeric: tabular-nums; }
.score .label { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.meter { width: 160px; height: 10px; border-radius: 5px; background: #e6e8ec; overflow: hidden; }
.meter span { display: block; height: 100%; border-radius: 5px; }
.stats { display: flex; gap: 22px; flex-wrap: wrap; }
.stat b { display: block; font-size: 18px; font-variant-numeric: tabular-nums; }
.stat { font-size: 12px; color: var(--muted); }
.legend { font-size: 12px; color: var(--muted); display: flex; align-items: center; gap: 8px;
  margin-left: auto; }
.legend .scale { position: relative; width: 150px; height: 12px; border-radius: 3px;
  border: 1px solid var(--line); }
.legend .tick { position: absolute; top: -4px; bottom: -4px; width: 2px; background: var(--ink); }
nav { padding: 8px 22px; background: #fff; border-bottom: 1px solid var(--line);
  font-size: 13px; max-height: 5.6em; overflow-y: auto; }
nav .label { color: var(--muted); margin-right: 6px; }
nav a { display: inline-block; margin: 2px 3px; padding: 1px 8px; border-radius: 10px;
  color: var(--ink); text-decoration: none; background: var(--c); }
nav a:hover { outline: 2px solid var(--ink); }
nav a .was { color: #5a3a00; }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: 1fr 1fr; gap: 14px;
  padding: 14px 22px 18px; }
section { display: flex; flex-direction: column; min-height: 0; background: var(--paper);
  border: 1px solid var(--line); border-radius: 8px; }
section h2 { margin: 0; padding: 9px 18px; font-size: 13px; font-weight: 600;
  border-bottom: 1px solid var(--line); display: flex; justify-content: space-between; gap: 12px; }
section h2 .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
section h2 .note { font-weight: 400; color: var(--muted); white-space: nowrap; }
.text { flex: 1; overflow-x: hidden; overflow-y: auto; padding: 14px 20px 40vh; white-space: pre-wrap;
  overflow-wrap: anywhere; font: 16px/1.65 var(--serif); color: #9aa1a9; }
.passage { color: var(--ink); border-radius: 3px; }
.passage.lit, .passage:target { background: var(--link); }
.pnum { display: inline-block; font: 600 10px/1 var(--font); color: #3b5b8c;
  background: var(--link); border-radius: 7px; padding: 2px 5px; margin-right: 3px;
  vertical-align: 2px; text-decoration: none; }
.pnum::before { content: attr(data-n); }
.swap { position: relative; color: var(--ink); text-decoration: none; border-radius: 3px;
  padding: 0 2px; background: var(--c); border-bottom: 2px dotted rgba(0, 0, 0, .25); }
.swap.flagged { border-bottom: 2px solid rgba(120, 0, 0, .55); font-weight: 600; }
.swap.gap { padding: 0 1px; font: 600 12px/1 var(--font); vertical-align: 1px; }
.swap.gap::before { content: attr(data-glyph); }
.swap.lit, .swap:target { outline: 2px solid var(--ink); outline-offset: 1px; }
.tip { display: none; position: absolute; z-index: 10; left: 0; top: calc(100% + 6px);
  width: max-content; max-width: 320px; padding: 8px 11px; border-radius: 6px;
  background: #1d232b; color: #f4f5f7; font: 400 13px/1.45 var(--font); white-space: normal;
  text-decoration: none; box-shadow: 0 4px 14px rgba(0, 0, 0, .25); user-select: none; }
.swap:hover .tip, .swap:focus .tip, .swap:target .tip { display: block; }
.tip .change { display: block; font-size: 15px; margin-bottom: 3px; }
.tip del { color: #ffb4a8; text-decoration: line-through; }
.tip ins { color: #b6f0b0; text-decoration: none; font-weight: 600; }
.tip .meta { color: #b8bec7; }
.tip table { margin-top: 5px; border-collapse: collapse; font-size: 12px; }
.tip td { padding: 0 10px 0 0; color: #d4d8de; }
.tip td + td { text-align: right; font-variant-numeric: tabular-nums; }
@media (max-width: 800px) { main { grid-template-columns: 1fr; } }
"""
OVERVIEW_STYLE = """\
.overview { flex: 1; overflow-y: auto; padding: 16px 22px 30px; }
.overview section { margin-bottom: 16px; }
.overview section > div { padding: 12px 18px; }
.histogram svg { display: block; width: 100%; max-width: 900px; height: auto; }
.histogram .bar:hover { stroke: var(--ink); stroke-width: 1.5; }
.histogram text { font: 11px var(--font); fill: var(--muted); }
table.spun { border-collapse: collapse; width: 100%; font-size: 14px; }
.spun th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px;
  border-bottom: 1px solid var(--line); padding: 6px 10px; }
.spun td { border-bottom: 1px solid var(--line); padding: 6px 10px; vertical-align: top; }
.spun td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.spun a { color: #1f4f99; }
.spun .badge { display: inline-block; min-width: 3.2em; text-align: center; border-radius: 4px;
  padding: 0 6px; font-weight: 700; background: var(--c); color: var(--ink); }
.spun .examples span.chip { display: inline-block; margin: 1px 4px 1px 0; padding: 0 7px;
  border-radius: 9px; background: var(--c); font-size: 13px; }
.spun .examples .was { color: #5a3a00; }
.empty { color: var(--muted); }
"""


def score_colour(score: float) -> str:
    """The CSS colour for a swap scored ``score``: pale yellow at 0 through orange to red at 1.

    Scores outside [0, 1] are clamped, NaN counts as 0.

    >>> score_colour(0.0), score_colour(1.0)
    ('hsl(55 95% 90%)', 'hsl(0 95% 62%)')
    """
    fraction = 0.0 if math.isnan(score) else min(max(score, 0.0), 1.0)
    hue = LOW_HUE + (HIGH_HUE - LOW_HUE) * fraction
    lightness = LOW_LIGHTNESS + (HIGH_LIGHTNESS - LOW_LIGHTNESS) * fraction
    return f"hsl({hue:.0f} 95% {lightness:.0f}%)"


def report_html(
    report: Report,
    article: str,
    reference: str,
    *,
    article_name: str = "article",
    reference_name: str = "reference",
) -> str:
    """One self-contained HTML page showing ``report`` over the two texts it was made from.

    The article and reference sit side by side; aligned passages are numbered and linked
    (click a number to jump to its counterpart, hover to light both up); every swap is
    highlighted in a colour set by its score, and hovering it shows original -> replacement,
    its score and its signals. A bar at the top gives the document score. The page fetches
    nothing and all text from the inputs is HTML-escaped. ``article_name`` and
    ``reference_name`` label the columns (file names, ids).

    A ValueError is raised if the texts are not the ones the report was made from.

    >>> from spindetect import compare
    >>> reference = "They paid a fine of 500 euros. <script>alert(1)</script>"
    >>> article = "They paid a nice of 500 euros. <script>alert(1)</script>"
    >>> page = report_html(compare(article, reference), article, reference)
    >>> 'id="a-s0"' in page, "<script>alert" in page, "&lt;script&gt;alert" in page
    (True, False, True)
    """
    _check_text(article, "article")
    _check_text(reference, "reference")
    _check_text(article_name, "article_name")
    _check_text(reference_name, "reference_name")
    _check_matches(report, article, reference)
    passages = sorted(report.passages)
    article_marks = _side_marks(ARTICLE, passages, report.swaps)
    reference_marks = _side_marks(REFERENCE, passages, report.swaps)
    title = f"spindetect: {article_name} vs {reference_name}"
    body = "".join(
        [
            _header(report, article_name, reference_name),
            _flagged_nav(report.swaps),
            "<main>",
            _column("article", "Article", article_name, article, article_marks,
                    f"{report.aligned_tokens:,} of {report.article_tokens:,} words aligned"),
            _column("reference", "Reference", reference_name, reference, reference_marks,
                    f"{len(passages)} shared passage{'' if len(passages) == 1 else 's'}"),
            "</main>",
        ]
    )
    return _page(title, body)


def _page(title: str, body: str, *, script: bool = True) -> str:
    policy = CONTENT_SECURITY_POLICY if script else STATIC_CONTENT_SECURITY_POLICY
    style = STYLE if script else STYLE + OVERVIEW_STYLE
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_escape(title)}</title>\n<style>\n{style}</style>\n</head>\n<body>\n"
        f"{body}\n" + (f"<script>{SCRIPT}</script>\n" if script else "") + "</body>\n</html>\n"
    )


def _check_text(value: object, name: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, got {type(value).__name__}")


def _check_matches(report: Report, article: str, reference: str) -> None:
    """A ValueError unless every swap's text sits at its span in the given texts."""
    for number, swap in enumerate(report.swaps):
        for name, text, span, expected in (
            ("article", article, swap.article_span, swap.article_text),
            ("reference", reference, swap.reference_span, swap.reference_text),
        ):
            start, end = span
            if not 0 <= start <= end <= len(text) or text[start:end] != expected:
                raise ValueError(
                    f"{name} is not the text this report was made from: swap {number} "
                    f"expects {expected!r} at characters {start}-{end}, the {name} has "
                    f"{text[start:end]!r} there"
                )
    for number, (article_span, reference_span) in enumerate(report.passages):
        for name, text, (start, end) in (
            ("article", article, article_span),
            ("reference", reference, reference_span),
        ):
            if not 0 <= start <= end <= len(text):
                raise ValueError(
                    f"{name} is not the text this report was made from: passage {number} "
                    f"spans characters {start}-{end}, the {name} has {len(text)}"
                )


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _header(report: Report, article_name: str, reference_name: str) -> str:
    flagged = len(report.flagged)
    threshold_left = f"{min(max(report.threshold, 0.0), 1.0) * 100:.1f}%"
    stats = [
        (f"{flagged}", f"flagged of {len(report.swaps)} swaps"),
        (f"{report.coverage:.0%}", "of the article aligned"),
        (f"{len(report.passages)}", "shared passages"),
        (f"{report.threshold:g}", "flag threshold"),
    ]
    return (
        "<header>"
        f"<h1>spindetect report: <b>{_escape(article_name)}</b> compared with "
        f"<b>{_escape(reference_name)}</b></h1>"
        "<div class=\"score\"><div><div class=\"label\">spin score</div>"
        f"<div class=\"value\" id=\"document-score\">{report.score:.2f}</div></div>"
        f"<div class=\"meter\" title=\"document spin score {report.score:.2f} of 1\">"
        f"<span style=\"width:{_percent(report.score)};background:{score_colour(report.score)}\">"
        "</span></div></div>"
        "<div class=\"stats\">"
        + "".join(f"<div class=\"stat\"><b>{value}</b>{label}</div>" for value, label in stats)
        + "</div>"
        "<div class=\"legend\">swap score 0"
        f"<span class=\"scale\" style=\"background:linear-gradient(to right, {score_colour(0)}, "
        f"{score_colour(0.5)}, {score_colour(1)})\">"
        f"<span class=\"tick\" style=\"left:{threshold_left}\" title=\"flag threshold\"></span>"
        "</span>1</div>"
        "</header>"
    )


def _percent(fraction: float) -> str:
    value = 0.0 if math.isnan(fraction) else min(max(fraction, 0.0), 1.0)
    return f"{value * 100:.1f}%"


def _flagged_nav(swaps: Sequence[Swap]) -> str:
    links = [
        f"<a href=\"#a-s{number}\" style=\"--c:{score_colour(swap.score)}\" "
        f"title=\"score {swap.score:.2f}\">{_swap_label(swap)}</a>"
        for number, swap in enumerate(swaps)
        if swap.flagged
    ]
    if not links:
        return "<nav><span class=\"label\">No swap is flagged.</span></nav>"
    return f"<nav><span class=\"label\">Flagged swaps:</span>{''.join(links)}</nav>"


def _swap_label(swap: Swap) -> str:
    """``replacement ⟨original⟩``, escaped; an empty side shows as ∅."""
    replacement = _escape(_short(swap.article_text)) or "\u2205"
    original = _escape(_short(swap.reference_text)) or "\u2205"
    return f"{replacement} <span class=\"was\">\u27e8{original}\u27e9</span>"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _column(
    side_id: str, heading: str, name: str, text: str, marks: _Marks, note: str
) -> str:
    return (
        f"<section id=\"{side_id}\" aria-label=\"{heading}\">"
        f"<h2><span class=\"name\">{heading}: {_escape(name)}</span>"
        f"<span class=\"note\">{note}</span></h2>"
        f"<div class=\"text\">{_render_text(text, marks)}</div></section>"
    )


@dataclass(frozen=True, slots=True)
class _Span:
    """A marked stretch of one text: passage ``number``, or swap ``number`` when ``swap`` is set."""

    start: int
    end: int
    number: int
    swap: Swap | None = None


@dataclass(frozen=True, slots=True)
class _Marks:
    """What to highlight in one text: passages and swaps as sorted, non-overlapping spans."""

    side: str
    passages: tuple[_Span, ...]
    swaps: tuple[_Span, ...]  # swaps with a non-empty span on this side
    gaps: dict[int, list[tuple[int, Swap]]]  # position -> (number, swap) with an empty span


def _side_marks(
    side: str,
    passages: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    swaps: Sequence[Swap],
) -> _Marks:
    index = 0 if side == ARTICLE else 1
    passage_spans = [_Span(pair[index][0], pair[index][1], number)
                     for number, pair in enumerate(passages)]
    swap_spans = []
    gaps: dict[int, list[tuple[int, Swap]]] = {}
    for number, swap in enumerate(swaps):
        start, end = swap.article_span if side == ARTICLE else swap.reference_span
        if start == end:
            gaps.setdefault(start, []).append((number, swap))
        else:
            swap_spans.append(_Span(start, end, number, swap))
    return _Marks(side, _disjoint(passage_spans), _disjoint(swap_spans), gaps)


def _disjoint(spans: Iterable[_Span]) -> tuple[_Span, ...]:
    """Spans sorted by start, each clipped to begin where the previous one ended.

    Reports from the pipeline never overlap; this keeps a hand-made or foreign report from
    producing crossed elements.
    """
    kept: list[_Span] = []
    last_end = 0
    for span in sorted(spans, key=lambda item: (item.start, item.end)):
        start = max(span.start, last_end)
        if start < span.end:
            kept.append(_Span(start, span.end, span.number, span.swap))
            last_end = span.end
    return tuple(kept)


def _covering(spans: Sequence[_Span], starts: Sequence[int], position: int) -> _Span | None:
    """The span containing ``position``, if any (spans sorted and disjoint)."""
    found = bisect.bisect_right(starts, position) - 1
    if found >= 0 and spans[found].start <= position < spans[found].end:
        return spans[found]
    return None


def _render_text(text: str, marks: _Marks) -> str:
    """``text`` escaped, with passage and swap elements around the marked stretches.

    The text is cut at every span boundary; each piece is written inside the passage and
    swap covering it, closing and opening elements as those change, so the markup nests.
    """
    bounds = {0, len(text), *marks.gaps}
    for span in (*marks.passages, *marks.swaps):
        bounds.update((span.start, span.end))
    ordered = sorted(position for position in bounds if 0 <= position <= len(text))
    passage_starts = [span.start for span in marks.passages]
    swap_starts = [span.start for span in marks.swaps]
    written_ids: set[str] = set()
    out: list[str] = []
    open_passage: _Span | None = None
    open_swap: _Span | None = None
    for start, end in zip(ordered, ordered[1:]):
        passage = _covering(marks.passages, passage_starts, start)
        swap = _covering(marks.swaps, swap_starts, start)
        if open_swap is not None and (swap is not open_swap or start in marks.gaps
                                      or passage is not open_passage):
            out.append("</a>")
            open_swap = None
        if open_passage is not None and passage is not open_passage:
            out.append("</span>")
            open_passage = None
        out.extend(_gap(marks.side, number, gap_swap, written_ids)
                   for number, gap_swap in marks.gaps.get(start, ()))
        if passage is not None and open_passage is None:
            out.append(_open_passage(marks.side, passage.number, written_ids))
            open_passage = passage
        if swap is not None and swap.swap is not None and open_swap is None:
            out.append(_open_swap(marks.side, swap.number, swap.swap, written_ids))
            open_swap = swap
        out.append(_escape(text[start:end]))
        if open_swap is not None and open_swap.swap is not None and end == open_swap.end:
            out.append(_tip(open_swap.swap) + "</a>")
            open_swap = None
    if open_swap is not None:
        out.append("</a>")
    # Segments start before len(text), so markers at the very end are written here.
    out.extend(_gap(marks.side, number, gap_swap, written_ids)
               for number, gap_swap in marks.gaps.get(len(text), ()))
    if open_passage is not None:
        out.append("</span>")
    return "".join(out)


def _other(side: str) -> str:
    return REFERENCE if side == ARTICLE else ARTICLE


def _id_attribute(element_id: str, written_ids: set[str]) -> str:
    """`` id="..."`` the first time an element id is used; a split element's later parts get none."""
    if element_id in written_ids:
        return ""
    written_ids.add(element_id)
    return f" id=\"{element_id}\""


def _open_passage(side: str, number: int, written_ids: set[str]) -> str:
    link = f"p{number}"
    element_id = f"{side}-{link}"
    badge = ""
    if element_id not in written_ids:
        badge = (f"<a class=\"pnum\" href=\"#{_other(side)}-{link}\" data-n=\"{number + 1}\" "
                 f"title=\"passage {number + 1}: jump to the other text\"></a>")
    return f"{badge}<span class=\"passage\" data-link=\"{link}\"{_id_attribute(element_id, written_ids)}>"


def _swap_attributes(
    side: str, number: int, swap: Swap, written_ids: set[str], *, gap: bool = False
) -> str:
    link = f"s{number}"
    classes = "swap" + (" gap" if gap else "") + (" flagged" if swap.flagged else "")
    return (
        f"class=\"{classes}\" href=\"#{_other(side)}-{link}\" data-link=\"{link}\" "
        f"data-score=\"{swap.score:.4f}\" style=\"--c:{score_colour(swap.score)}\""
        f"{_id_attribute(f'{side}-{link}', written_ids)}"
    )


def _open_swap(side: str, number: int, swap: Swap, written_ids: set[str]) -> str:
    return f"<a {_swap_attributes(side, number, swap, written_ids)}>"


def _gap(side: str, number: int, swap: Swap, written_ids: set[str]) -> str:
    """A marker where the other text has words this one lacks."""
    glyph = "+" if side == REFERENCE else "\u2212"
    label = "words added by the article" if side == REFERENCE else "words dropped by the article"
    return (
        f"<a {_swap_attributes(side, number, swap, written_ids, gap=True)}"
        f" data-glyph=\"{glyph}\" aria-label=\"{label}\">{_tip(swap)}</a>"
    )


def _tip(swap: Swap) -> str:
    """The hover card: original -> replacement, the score and the scorer's signals."""
    original = _escape(swap.reference_text) or "<i>nothing</i>"
    replacement = _escape(swap.article_text) or "<i>nothing</i>"
    verdict = "flagged" if swap.flagged else "not flagged"
    signals = getattr(swap, "signals", ())
    rows = "".join(
        f"<tr><td>{_escape(str(name))}</td><td>{_format_signal(value)}</td></tr>"
        for name, value in signals
    )
    table = f"<table>{rows}</table>" if rows else ""
    return (
        "<span class=\"tip\" role=\"tooltip\">"
        f"<span class=\"change\"><del>{original}</del> \u2192 <ins>{replacement}</ins></span>"
        f"<span class=\"meta\">{_escape(swap.kind)} \u00b7 score {swap.score:.2f} \u00b7 {verdict}</span>"
        f"{table}</span>"
    )


def _format_signal(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return _escape(str(value))


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
        if isinstance(top, bool) or not isinstance(top, int):
            raise TypeError(f"top must be an int, got {type(top).__name__}")
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top!r}")
        self.top = top
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
            _check_text(report_folder, "report_folder")
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
        return _page(f"spindetect scan: {self.scanned:,} articles", body, script=False)

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
    article = _escape(result.article_id)
    article_cell = f"<a href=\"{_escape(link)}\">{article}</a>" if link else article
    similarity = f"{result.candidates[0].similarity:.2f}" if result.candidates else ""
    strongest = sorted(report.flagged, key=lambda swap: swap.score, reverse=True)[:TABLE_SWAPS]
    examples = "".join(
        f"<span class=\"chip\" style=\"--c:{score_colour(swap.score)}\">{_swap_label(swap)}</span>"
        for swap in strongest
    )
    return (
        f"<tr><td class=\"number\">{rank}</td><td>{article_cell}</td>"
        f"<td>{_escape(result.reference_id or '')}</td><td class=\"number\">{similarity}</td>"
        f"<td class=\"number\"><span class=\"badge\" style=\"--c:{score_colour(report.score)}\">"
        f"{report.score:.2f}</span></td>"
        f"<td class=\"number\">{len(report.flagged)} of {len(report.swaps)}</td>"
        f"<td class=\"number\">{report.coverage:.0%}</td>"
        f"<td class=\"examples\">{examples}</td></tr>"
    )
