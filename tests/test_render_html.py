from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from html_pages import PAYLOADS, assert_safe_structure, column_text, parse
from hypothesis import given
from hypothesis import strategies as st

from spindetect import compare
from spindetect.cli import main
from spindetect.render_html import SCRIPT, report_html, score_colour
from spindetect.report import Report, Swap

ARTICLE = "They said the charge carries a maximum penalty of ten years and a nice of 500,000 euros."
REFERENCE = "They said the charge carries a maximum penalty of ten years and a fine of 500,000 euros."


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
    # Pale yellow for a low score, near red for a high one (hue 55 at 0 to 0 at 1).
    assert document.find(id="a-s0").attrs["style"] == "--c:hsl(50 95% 87%)"
    assert document.find(id="a-s1").attrs["style"] == "--c:hsl(6 95% 65%)"


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
