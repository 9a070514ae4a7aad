"""Render a Report as one self-contained HTML page: the article and its reference side by side.

Part of the report stage (tokenize -> align -> extract -> score -> report): it reads a
finished Report and the two texts and writes markup; it computes nothing new. Article and
reference are untrusted scraped content, so their text reaches the page only through
``html.escape``, and the page's Content-Security-Policy allows no fetch and no script but
its own few lines. The page's script and style sheet are ``assets/report.js`` and
``assets/report.css``, inlined. ``render_overview.ScanOverview`` links a scan's overview
page to such a report for each of the most spun articles.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ._checks import check_text

if TYPE_CHECKING:
    from .report import Report, Swap

__all__ = ["report_html", "score_colour"]

ASSETS = Path(__file__).resolve().parent / "assets"

# Hues of the score scale: a swap scored 0 is pale yellow, one scored 1 is red.
LOW_HUE, HIGH_HUE = 55, 0
# Lightness at the two ends: low scores stay faint, high scores stand out but keep dark text
# readable on them.
LOW_LIGHTNESS, HIGH_LIGHTNESS = 90, 62

ARTICLE, REFERENCE = "a", "r"


def read_asset(name: str) -> str:
    """The text of one of the pages' script and style files in ``assets/``."""
    return (ASSETS / name).read_text(encoding="utf-8")


# Hovering (or tabbing to) a passage or swap lights up its counterpart in the other column
# and places the swap's card inside the window (CSS alone would clip it at the column's
# edge). On load, and when a link is followed, both columns scroll to the linked swap (by
# default the first flagged one, else the first shared passage), so a long article opens
# where the evidence is. Everything else is plain HTML and CSS.
SCRIPT = read_asset("report.js")
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

STYLE = read_asset("report.css")


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
    article = check_text(article, "article")
    reference = check_text(reference, "reference")
    article_name = check_text(article_name, "article_name")
    reference_name = check_text(reference_name, "reference_name")
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
    return html_page(title, body)


def html_page(title: str, body: str, *, extra_style: str = "", script: bool = True) -> str:
    """A whole page around ``body``: the report style sheet (and ``extra_style``), the
    report script unless ``script`` is False, and the policy that allows nothing else."""
    policy = CONTENT_SECURITY_POLICY if script else STATIC_CONTENT_SECURITY_POLICY
    style = STYLE + extra_style
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{escape(title)}</title>\n<style>\n{style}</style>\n</head>\n<body>\n"
        f"{body}\n" + (f"<script>{SCRIPT}</script>\n" if script else "") + "</body>\n</html>\n"
    )


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


def escape(text: str) -> str:
    """``text`` made safe for element content and quoted attributes."""
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
        f"<h1>spindetect report: <b>{escape(article_name)}</b> compared with "
        f"<b>{escape(reference_name)}</b></h1>"
        "<div class=\"score\"><div><div class=\"label\">spin score</div>"
        f"<div class=\"value\" id=\"document-score\">{report.score:.2f}</div></div>"
        f"<div class=\"meter\" title=\"document spin score {report.score:.2f} of 1\">"
        f"<span style=\"width:{css_percent(report.score)};background:{score_colour(report.score)}\">"
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


def css_percent(fraction: float) -> str:
    value = 0.0 if math.isnan(fraction) else min(max(fraction, 0.0), 1.0)
    return f"{value * 100:.1f}%"


def _flagged_nav(swaps: Sequence[Swap]) -> str:
    links = [
        f"<a href=\"#a-s{number}\" style=\"--c:{score_colour(swap.score)}\" "
        f"title=\"score {swap.score:.2f}\">{swap_label(swap)}</a>"
        for number, swap in enumerate(swaps)
        if swap.flagged
    ]
    if not links:
        return "<nav><span class=\"label\">No swap is flagged.</span></nav>"
    return f"<nav><span class=\"label\">Flagged swaps:</span>{''.join(links)}</nav>"


def swap_label(swap: Swap) -> str:
    """``replacement ⟨original⟩``, escaped; an empty side shows as ∅."""
    replacement = escape(_short(swap.article_text)) or "\u2205"
    original = escape(_short(swap.reference_text)) or "\u2205"
    return f"{replacement} <span class=\"was\">\u27e8{original}\u27e9</span>"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _column(
    side_id: str, heading: str, name: str, text: str, marks: _Marks, note: str
) -> str:
    return (
        f"<section id=\"{side_id}\" aria-label=\"{heading}\">"
        f"<h2><span class=\"name\">{heading}: {escape(name)}</span>"
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
        out.append(escape(text[start:end]))
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
    original = escape(swap.reference_text) or "<i>nothing</i>"
    replacement = escape(swap.article_text) or "<i>nothing</i>"
    verdict = "flagged" if swap.flagged else "not flagged"
    rows = "".join(
        f"<tr><td>{escape(str(name))}</td><td>{format_signal(value)}</td></tr>"
        for name, value in swap.signals.items()
    )
    table = f"<table>{rows}</table>" if rows else ""
    return (
        "<span class=\"tip\" role=\"tooltip\">"
        f"<span class=\"change\"><del>{original}</del> \u2192 <ins>{replacement}</ins></span>"
        f"<span class=\"meta\">{escape(swap.kind)} \u00b7 score {swap.score:.2f} \u00b7 {verdict}</span>"
        f"{table}</span>"
    )


def format_signal(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return escape(str(value))
