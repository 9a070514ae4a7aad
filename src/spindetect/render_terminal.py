"""Render a Report for a terminal with rich: the score, then the article with its swaps marked.

Part of the report stage (tokenize -> align -> extract -> score -> report), beside
``render_html``: it reads a finished Report and the article it was made from and returns a
``rich.text.Text``; printing is left to the caller (the command line prints it when standard
output is a terminal and plain text otherwise).
"""

from __future__ import annotations

import colorsys
from typing import TYPE_CHECKING

from rich.text import Text

from ._checks import check_text
from .render_html import score_colour

if TYPE_CHECKING:
    from .report import Report, Swap

__all__ = ["report_text", "score_rgb", "visible"]

# Text never found in the reference is dimmed, so the aligned passages, where swaps can be
# seen, stand out.
UNALIGNED_STYLE = "dim"
ORIGINAL_STYLE = "italic"
# A flagged insertion adds words the reference lacks; a flagged deletion drops words.
ADDED_MARK, DROPPED_MARK = "+", "\u2212"
# Scraped text may carry escape sequences that would drive the terminal (clear the screen,
# set the title, fake output). Every control character but newline and tab is shown as its
# Unicode "control picture" (ESC as \u241b) or, for C1 controls, as \ufffd; carriage returns
# are dropped, so Windows line ends read as plain ones.
VISIBLE_CONTROLS: dict[int, int | None] = {
    **{code: 0x2400 + code for code in range(0x20) if chr(code) not in "\n\t\r"},
    ord("\r"): None,
    0x7F: 0x2421,
    **{code: 0xFFFD for code in range(0x80, 0xA0)},
}


def score_rgb(score: float) -> str:
    """The swap colour of ``render_html.score_colour`` as a ``#rrggbb`` string for rich.

    >>> score_rgb(1.0)
    '#fa4242'
    """
    hue, saturation, lightness = (
        float(part.rstrip("%")) for part in score_colour(score)[4:-1].split()
    )
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness / 100, saturation / 100)
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in (red, green, blue))


def report_text(report: Report, article: str) -> Text:
    """The report as rich Text: a summary line, then ``article`` with flagged swaps marked.

    Each flagged swap shows as ``replacement ⟨original⟩``, the replacement on a background
    coloured by its score (pale yellow to red); a flagged insertion shows as
    ``added words ⟨+⟩`` and a deletion as ``⟨−dropped words⟩`` where the words were.
    Article text outside the aligned passages is dimmed. Control characters other than
    newline and tab are shown as visible symbols, never sent to the terminal. ``str()`` of
    the result is the same text without colours.

    >>> from spindetect import compare
    >>> reference = "They paid a fine of 500 euros and left the country on Friday."
    >>> article = "They paid a nice of 500 euros and left the rustic on Friday."
    >>> print(report_text(compare(article, reference, threshold=0.0), article))  # doctest: +ELLIPSIS
    spin score ... flagged 2 (threshold 0)
    <BLANKLINE>
    They paid a nice ⟨fine⟩ of 500 euros and left the rustic ⟨country⟩ on Friday.
    """
    article = check_text(article, "article")
    text = _summary(report)
    text.append("\n\n")
    text.append_text(_article(report, article))
    return text


def visible(text: str) -> str:
    """``text`` with control characters (but newline and tab) made visible; ``\\r`` dropped.

    >>> visible("a\\x1b[2Jb\\tc")
    'a␛[2Jb\\tc'
    """
    return text.translate(VISIBLE_CONTROLS)


def _summary(report: Report) -> Text:
    text = Text()
    text.append("spin score ", style="bold")
    text.append(f" {report.score:.2f} ", style=f"bold black on {score_rgb(report.score)}")
    text.append(
        f"   coverage {report.coverage:.0%}   swaps {len(report.swaps)}   "
        f"flagged {len(report.flagged)} (threshold {report.threshold:g})"
    )
    return text


def _article(report: Report, article: str) -> Text:
    text = Text()
    aligned = sorted(span for span, _ in report.passages)
    position = 0
    for swap in report.flagged:
        start, end = swap.article_span
        if start < position or end > len(article):
            continue  # overlapping or foreign swaps are skipped rather than drawn wrong
        _append_plain(text, article, position, start, aligned)
        _append_swap(text, swap)
        position = end
    _append_plain(text, article, position, len(article), aligned)
    return text


def _append_plain(
    text: Text, article: str, start: int, end: int, aligned: list[tuple[int, int]]
) -> None:
    """``article[start:end]``, dimmed where no passage covers it."""
    position = start
    for passage_start, passage_end in aligned:
        if passage_end <= position or passage_start >= end:
            continue
        if passage_start > position:
            text.append(visible(article[position:passage_start]), style=UNALIGNED_STYLE)
        position = max(position, passage_start)
        stop = min(passage_end, end)
        text.append(visible(article[position:stop]))
        position = stop
    if position < end:
        text.append(visible(article[position:end]), style=UNALIGNED_STYLE)


def _append_swap(text: Text, swap: Swap) -> None:
    colour = f"bold black on {score_rgb(swap.score)}"
    original = visible(swap.reference_text)
    if swap.article_text:
        text.append(visible(swap.article_text), style=colour)
        text.append(f" \u27e8{original or ADDED_MARK}\u27e9", style=ORIGINAL_STYLE)
    else:
        text.append(f"\u27e8{DROPPED_MARK}{original}\u27e9", style=colour)
