"""Render a Screening as one self-contained HTML page, in the style of the report page.

The page, its style, its script and its escaping are the report page's
(``spindetect.render_html``): one column instead of two, each finding highlighted like a
swap, with its kind, likely original, score and signals on hover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..render_html import css_percent, escape, format_signal, html_page, score_colour

if TYPE_CHECKING:
    from .result import Finding, Screening

__all__ = ["screening_html"]


def screening_html(screening: Screening, text: str, *, name: str = "text") -> str:
    """The page of ``screening`` over ``text`` (the text it was made from).

    >>> from spindetect import screen
    >>> page = screening_html(screen("We study huge information <b>."), "We study huge information <b>.")
    >>> "&lt;b&gt;" in page and "<b>." not in page
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    for number, finding in enumerate(screening.findings):
        start, end = finding.span
        if not 0 <= start <= end <= len(text) or text[start:end] != finding.text:
            raise ValueError(
                f"text is not the text this screening was made from: finding {number} expects "
                f"{finding.text!r} at characters {start}-{end}, the text has {text[start:end]!r}"
            )
    body = "\n".join([
        _header(screening, name),
        _nav(screening.findings),
        "<main style=\"grid-template-columns:1fr\">",
        "<section><h2><span class=\"name\">" + escape(name) + "</span>"
        f"<span class=\"note\">{screening.tokens} words</span></h2>",
        f"<div class=\"text\" id=\"article\">{_marked(text, screening.findings)}</div></section>",
        "</main>",
    ])
    return html_page(f"spindetect screening: {name}", body)


def _header(screening: Screening, name: str) -> str:
    stats = [
        (f"{len(screening.findings)}", "findings"),
        (f"{screening.tokens}", "words read"),
        (f"{screening.threshold:g}", "finding threshold"),
    ]
    return (
        "<header>"
        f"<h1>spindetect screening, no reference: <b>{escape(name)}</b></h1>"
        "<div class=\"score\"><div><div class=\"label\">spun probability</div>"
        f"<div class=\"value\" id=\"document-score\">{screening.score:.2f}</div></div>"
        f"<div class=\"meter\" title=\"probability the text is spun: {screening.score:.2f}\">"
        f"<span style=\"width:{css_percent(screening.score)};background:{score_colour(screening.score)}\">"
        "</span></div></div><div class=\"stats\">"
        + "".join(f"<div class=\"stat\"><b>{value}</b>{label}</div>" for value, label in stats)
        + "</div></header>"
    )


def _nav(findings: tuple[Finding, ...]) -> str:
    links = [
        f"<a href=\"#a-s{number}\" style=\"--c:{score_colour(finding.score)}\" "
        f"title=\"score {finding.score:.2f}\">{escape(finding.text)}"
        + (f" <span class=\"was\">\u27e8{escape(finding.expected)}\u27e9</span>" if finding.expected else "")
        + "</a>"
        for number, finding in enumerate(findings)
    ]
    if not links:
        return "<nav><span class=\"label\">Nothing found.</span></nav>"
    return f"<nav><span class=\"label\">Findings:</span>{''.join(links)}</nav>"


def _marked(text: str, findings: tuple[Finding, ...]) -> str:
    """The text, escaped, with each finding wrapped in a highlighted span and its card."""
    parts, position = [], 0
    for number, finding in enumerate(findings):
        start, end = finding.span
        if start < position:  # findings never overlap; keep the page valid if they did
            continue
        parts.append(escape(text[position:start]))
        parts.append(
            f"<span class=\"swap flagged\" id=\"a-s{number}\" data-link=\"s{number}\" tabindex=\"0\" "
            f"style=\"--c:{score_colour(finding.score)}\">{escape(text[start:end])}{_tip(finding)}</span>"
        )
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def _tip(finding: Finding) -> str:
    expected = (
        f"<span class=\"change\"><del>{escape(finding.text)}</del> \u2190 "
        f"<ins>{escape(finding.expected)}</ins></span>" if finding.expected else ""
    )
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{format_signal(value)}</td></tr>"
        for name, value in finding.signals
    )
    return (
        f"<span class=\"tip\" role=\"tooltip\">{expected}"
        f"<span class=\"meta\">{escape(finding.kind)} \u00b7 score {finding.score:.2f}</span>"
        f"{f'<table>{rows}</table>' if rows else ''}</span>"
    )
