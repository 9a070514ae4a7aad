from __future__ import annotations

import io
import json
import re
import sys

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from spindetect import compare
from spindetect.cli import main
from spindetect.render_terminal import report_text, score_rgb, visible
from spindetect.report import Report, Swap

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def styles_at(text, start: int, end: int) -> list[str]:
    return [str(span.style) for span in text.spans if span.start <= start and end <= span.end]


def test_flagged_swaps_show_replacement_then_original():
    article, reference = "we paid a nice and left the rustic today", "we paid a fine and left the country today"
    swaps = (
        Swap("substitution", (10, 14), (10, 14), "nice", "fine", 0.9, True),
        Swap("substitution", (28, 34), (28, 35), "rustic", "country", 0.3, False),
    )
    report = Report(0.4, swaps, 1.0, 0.5, 9, 9, (((0, len(article)), (0, len(reference))),))
    text = report_text(report, article)
    summary, body = str(text).split("\n\n")
    assert summary == "spin score  0.40    coverage 100%   swaps 2   flagged 1 (threshold 0.5)"
    assert body == "we paid a nice \u27e8fine\u27e9 and left the rustic today"
    start = len(summary) + 2 + 10
    assert styles_at(text, start, start + 4) == ["bold black on #fb6251"]  # hsl(6 95% 65%)


def test_insertions_and_deletions_are_marked_where_they_happen():
    article = "we went to the big market"
    insertion = Swap("insertion", (11, 18), (11, 11), "the big", "", 0.8, True)
    deletion = Swap("deletion", (25, 25), (18, 23), "", "today", 0.7, True)
    report = Report(0.5, (insertion, deletion), 1.0, 0.5, 6, 6, (((0, 25), (0, 23)),))
    body = str(report_text(report, article)).split("\n\n")[1]
    assert body == "we went to the big \u27e8+\u27e9 market\u27e8\u2212today\u27e9"


def test_text_outside_the_aligned_passages_is_dimmed():
    article = "Intro words. Shared part here."
    report = Report(0.0, (), 0.5, 0.5, 5, 3, (((13, 30), (0, 17)),))
    text = report_text(report, article)
    offset = str(text).index("\n\n") + 2
    assert text.style == "" and styles_at(text, offset, offset + 13) == ["dim"]
    assert styles_at(text, offset + 13, offset + 30) == []


def test_seed_report_lists_every_flagged_swap_in_article_order(seed_spun, seed_source):
    report = compare(seed_spun, seed_source)
    body = str(report_text(report, seed_spun)).split("\n\n", 1)[1]
    # Each flagged swap's mark is found after the previous one's: in article order, even
    # where the same original comes back ("leave" -> "go away" three times).
    position = 0
    marks = 0
    for swap in report.flagged:
        if swap.article_text and swap.reference_text:
            position = body.index(f"{swap.article_text} \u27e8{swap.reference_text}\u27e9", position) + 1
            marks += 1
    assert marks >= 1
    unmarked = re.sub(r" ?\u27e8[^\u27e9]*\u27e9", "", body)
    assert unmarked == seed_spun


def test_rendered_on_a_colour_terminal_it_carries_colour_codes():
    article = "They said the charge carries a maximum penalty of ten years and a nice of 500,000 euros."
    reference = article.replace("nice", "fine")
    report = compare(article, reference, threshold=0.0)
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=200,
            highlight=False).print(report_text(report, article))
    rendered = out.getvalue()
    red, green, blue = (int(score_rgb(report.swaps[0].score)[i:i + 2], 16) for i in (1, 3, 5))
    assert f"48;2;{red};{green};{blue}" in rendered
    assert ANSI.sub("", rendered).rstrip("\n") == str(report_text(report, article))


def test_score_rgb_reddens_with_score():
    greens = [int(score_rgb(score / 10)[3:5], 16) for score in range(11)]
    assert greens == sorted(greens, reverse=True)
    assert re.fullmatch(r"#[0-9a-f]{6}", score_rgb(0.37))


@given(st.text(max_size=60), st.data())
def test_unmarked_text_is_the_article(article, data):
    """Dropping the ⟨…⟩ notes from the rendering gives back the article, for any flagged spans."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(article)), max_size=6)))
    swaps = tuple(
        Swap("substitution", (start, end), (0, 1), article[start:end], "\u27e8x\u27e9"[1], 0.9, True)
        for start, end in zip(cuts[::2], cuts[1::2]) if start < end
    )
    report = Report(0.5, swaps, 1.0, 0.5, 1, 1)
    body = str(report_text(report, article)).split("\n\n", 1)[1]
    assert body.replace(" \u27e8x\u27e9", "") == visible(article)


def test_control_characters_never_reach_the_terminal():
    article = "safe \x1b[2J\x1b]0;pwned\x07 text\r\x9b31m end\n"
    report = Report(0.0, (Swap("substitution", (5, 9), (0, 1), article[5:9], "\x1b", 0.9, True),),
                    1.0, 0.5, 3, 3, (((0, len(article)), (0, 1)),))
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=200,
            highlight=False).print(report_text(report, article))
    plain = ANSI.sub("", out.getvalue())
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", plain)
    assert "\u241b[2J" in plain and "\u2407" in plain and "text\ufffd31m" in plain


# The command line prints this view on a terminal and plain text when piped.
CLI_ARTICLE = "They said the charge carries a maximum penalty of ten years and a nice of 500,000 euros."
CLI_REFERENCE = CLI_ARTICLE.replace("nice", "fine")


def run_compare(tmp_path, capsys, *options: str) -> str:
    article, reference = tmp_path / "article.txt", tmp_path / "reference.txt"
    article.write_text(CLI_ARTICLE, encoding="utf-8")
    reference.write_text(CLI_REFERENCE, encoding="utf-8")
    assert main(["compare", str(article), str(reference), "--threshold", "0", *options]) == 0
    return capsys.readouterr().out


def test_compare_on_a_terminal_prints_the_coloured_article(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = run_compare(tmp_path, capsys)
    assert ANSI.search(out)
    report = compare(CLI_ARTICLE, CLI_REFERENCE, threshold=0.0)
    swap_line, blank, *view = ANSI.sub("", out).splitlines()
    # The flagged swaps come first, then this view.
    assert swap_line.endswith("  nice \u27e8fine\u27e9  [substitution, chars 66-70]")
    assert blank == ""
    assert " ".join(" ".join(view).split()) == " ".join(str(report_text(report, CLI_ARTICLE)).split())
    assert "a nice \u27e8fine\u27e9 of 500,000 euros." in " ".join(" ".join(view).split())


def test_compare_piped_prints_plain_text(tmp_path, capsys):
    out = run_compare(tmp_path, capsys)
    assert not ANSI.search(out) and "\x1b" not in out
    swap_line, score_line = out.splitlines()
    assert "nice \u27e8fine\u27e9" in swap_line and score_line.startswith("spin score ")


def test_compare_json_is_unchanged_on_a_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    out = run_compare(tmp_path, capsys, "--json")
    assert json.loads(out) == compare(CLI_ARTICLE, CLI_REFERENCE, threshold=0.0).to_dict()
