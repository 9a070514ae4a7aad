from __future__ import annotations

import importlib
import io
import itertools
import json
import logging
import os
from unittest import mock

import pytest

import spindetect._inputs as inputs_module
from spindetect import Candidate, ReferenceIndex, ScanResult, compare, scan
from spindetect.scan import DEFAULT_MIN_SIMILARITY, MAX_ID_CHARACTERS, read_records, scan_scores

COURT = (
    "The court imposed a fine of 500,000 euros on the company on Monday. The judge said the "
    "firm had broken the rules for years and ordered it to leave the country's market."
)
WEATHER = (
    "Rain is expected in the north of the country tomorrow morning, with strong winds along "
    "the coast and snow on the higher ground by the evening."
)
SPUN_COURT = (
    "The court imposed a nice of 500,000 euros on the company on Monday. The judge said the "
    "firm had broken the guidelines for years and ordered it to go away the rustic's market."
)
scan_module = importlib.import_module("spindetect.scan")
UNRELATED = "A recipe for bread: mix flour, water, yeast and salt, knead, rest and bake it."


@pytest.fixture
def index() -> ReferenceIndex:
    return ReferenceIndex([("court", COURT), ("weather", WEATHER)])


def test_a_spun_article_is_compared_with_its_source(index):
    (result,) = scan([("a1", SPUN_COURT)], index)
    assert result.article_id == "a1"
    assert result.reference_id == "court"
    assert [candidate.ref_id for candidate in result.candidates] == ["court"]
    assert result.candidates[0].similarity >= DEFAULT_MIN_SIMILARITY
    assert result.report == compare(SPUN_COURT, COURT)
    assert ("fine", "nice") in {
        (swap.reference_text, swap.article_text) for swap in result.report.swaps
    }


def test_an_article_without_a_source_gets_no_report(index):
    (result,) = scan([("bread", UNRELATED)], index)
    assert result == ScanResult("bread", (), None)
    assert result.reference_id is None


def test_min_similarity_decides_what_is_a_candidate(index):
    (loose,) = scan([("w", "snow on the higher ground and a fine")], index, min_similarity=0.0)
    (strict,) = scan([("w", "snow on the higher ground and a fine")], index, min_similarity=1.0)
    assert loose.reference_id == "weather" and loose.report is not None
    assert strict.report is None and strict.candidates == ()


def test_k_lists_more_candidates_but_compares_with_the_best(index):
    article = COURT + " " + WEATHER[:60]
    (result,) = scan([("mix", article)], index, k=2, min_similarity=0.0)
    assert [candidate.ref_id for candidate in result.candidates] == ["court", "weather"]
    assert result.report == compare(article, COURT)


def test_threshold_is_passed_to_the_comparison(index):
    (result,) = scan([("a1", SPUN_COURT)], index, threshold=1.0)
    assert result.report.threshold == 1.0
    assert result.report == compare(SPUN_COURT, COURT, threshold=1.0)


def test_articles_may_be_lists_or_numpy_rows(index):
    import numpy as np

    (as_tuple,) = scan([("a1", SPUN_COURT)], index)
    (as_list,) = scan([["a1", SPUN_COURT]], index)
    (as_row,) = scan(np.array([["a1", SPUN_COURT]]), index)
    assert as_list == as_tuple == as_row


def test_scan_is_lazy_and_keeps_input_order(index):
    articles = itertools.cycle([("a", SPUN_COURT), ("b", UNRELATED)])
    results = list(itertools.islice(scan(articles, index), 5))
    assert [result.article_id for result in results] == ["a", "b", "a", "b", "a"]


def test_references_mapping_for_an_index_without_texts():
    index = ReferenceIndex([("court", COURT)], store_texts=False)
    (result,) = scan([("a1", SPUN_COURT)], index, references={"court": COURT})
    assert result.report == compare(SPUN_COURT, COURT)
    with pytest.raises(ValueError, match="pass references="):
        scan([], index)


def test_to_dict_is_json_with_the_report_schema(index):
    results = list(scan([("a1", SPUN_COURT), ("bread", UNRELATED)], index))
    matched, unmatched = (json.loads(json.dumps(result.to_dict())) for result in results)
    assert matched["article_id"] == "a1" and matched["reference_id"] == "court"
    assert matched["candidates"][0]["ref_id"] == "court"
    assert matched["report"] == results[0].report.to_dict()
    assert unmatched == {
        "article_id": "bread", "reference_id": None, "candidates": [], "report": None
    }


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"k": 0}, ValueError, "k must be at least 1"),
        ({"threshold": 2}, ValueError, "threshold must be in"),
        ({"min_similarity": -0.1}, ValueError, r"min_similarity must be in \[0, 1\], got -0.1"),
        ({"min_similarity": "0.2"}, TypeError, "min_similarity must be a number, got str"),
        ({"references": [("court", COURT)]}, TypeError, "references must be a mapping"),
        ({"workers": 0}, ValueError, "workers must be at least 1, got 0"),
        ({"workers": 2.0}, TypeError, "workers must be an int, got float"),
    ],
)
def test_bad_arguments_raise_when_scan_is_called(index, kwargs, error, message):
    with pytest.raises(error, match=message):
        scan([("a", "text")], index, **kwargs)  # no iteration needed


def test_bad_index_and_articles_raise_when_scan_is_called(index):
    with pytest.raises(TypeError, match="index must be a ReferenceIndex, got dict"):
        scan([], {})
    with pytest.raises(TypeError, match="got a string"):
        scan("articles", index)


@pytest.mark.parametrize(
    "item, message",
    [
        ("text only", r"articles\[1\] must be a pair of str \(article_id, text\), got str"),
        ((1, "text"), r"articles\[1\]\[0\] \(article_id\) must be str, got int"),
        (("b", b"bytes"), r"articles\[1\]\[1\] \(text\) must be str, got bytes; decode it first"),
    ],
)
def test_bad_articles_raise_when_reached(index, item, message):
    results = scan([("a", SPUN_COURT), item], index)
    assert next(results).article_id == "a"
    with pytest.raises(TypeError, match=message):
        next(results)


def test_scan_scores_are_the_scan_reports_scores_in_input_order(index):
    articles = [("a", SPUN_COURT), ("b", UNRELATED), ("c", COURT), ("d", SPUN_COURT + " More.")]
    expected = [
        (result.article_id, result.reference_id,
         None if result.report is None else result.report.score)
        for result in scan(articles, index)
    ]
    for batch_size in (1, 2, 64):
        assert list(scan_scores(articles, index, batch_size=batch_size)) == expected
    assert expected[1] == ("b", None, None) and expected[0][2] > expected[2][2] == 0.0


def test_scan_scores_is_lazy_and_checks_as_scan_does(index):
    articles = itertools.cycle([("a", SPUN_COURT), ("b", UNRELATED)])
    scores = list(itertools.islice(scan_scores(articles, index, batch_size=3), 5))
    assert [article_id for article_id, _, _ in scores] == ["a", "b", "a", "b", "a"]
    (loose,) = scan_scores([("w", "snow on the higher ground and a fine")], index,
                           min_similarity=0.0)
    assert loose[1] == "weather"
    with pytest.raises(TypeError, match="index must be a ReferenceIndex, got dict"):
        scan_scores([], {})
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        scan_scores([], index, batch_size=0)
    with pytest.raises(ValueError, match="pass references="):
        scan_scores([], ReferenceIndex([("court", COURT)], store_texts=False))
    with pytest.raises(TypeError, match=r"articles\[1\]\[1\] \(text\) must be str, got bytes"):
        list(scan_scores([("a", SPUN_COURT), ("b", b"bytes")], index))


def test_scan_result_names_the_reference_of_its_first_candidate():
    result = ScanResult("a", (Candidate("r", 0.5), Candidate("s", 0.25)), None)
    assert result.reference_id == "r"
    assert result.to_dict() == {
        "article_id": "a", "reference_id": "r", "report": None,
        "candidates": [{"ref_id": "r", "similarity": 0.5}, {"ref_id": "s", "similarity": 0.25}],
    }
    assert ScanResult("b", (), None).reference_id is None


# Reading records from disk.


def test_a_folder_gives_one_record_per_txt_file_in_name_order(tmp_path):
    (tmp_path / "b.txt").write_text("second", encoding="utf-8")
    (tmp_path / "a.txt").write_text("\ufefffirst", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"\xff\xfe binary")
    skipped: list[str] = []
    records = list(read_records(tmp_path, on_skip=skipped.append))
    assert records == [("a", "\ufefffirst"), ("b", "second")]  # the text as stored
    assert skipped == [f"{tmp_path / 'c.txt'}: skipped, not UTF-8 text (invalid byte at offset 0)"]


def test_a_folder_reports_every_entry_it_does_not_read(tmp_path):
    # What a new user had: nothing indexed and nothing said about why.
    (tmp_path / "a.TXT").write_text("upper-case suffix", encoding="utf-8")
    (tmp_path / "b.md").write_text("markdown", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("one level down", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    skipped: list[str] = []
    assert list(read_records(tmp_path, on_skip=skipped.append)) == [("a", "upper-case suffix")]
    assert skipped == [
        f"{tmp_path / 'b.md'}: skipped, not a .txt file",
        f"{tmp_path / 'sub'}: skipped, a folder (only files directly in {tmp_path} are read)",
    ]


def test_a_txt_file_is_one_record(tmp_path):
    path = tmp_path / "Court Report.txt"
    path.write_text('He said: "a fine".\n{"id": "not", "text": "json lines"}\n', encoding="utf-8")
    skipped: list[str] = []
    assert list(read_records(path, on_skip=skipped.append)) == [
        ("Court Report", path.read_text(encoding="utf-8"))
    ]
    assert skipped == []


def test_offsets_of_a_scanned_file_index_it_as_stored(tmp_path, index):
    (tmp_path / "spun.txt").write_bytes(b"\xef\xbb\xbf" + SPUN_COURT.encode("utf-8"))
    (result,) = scan(read_records(tmp_path), index)
    stored = (tmp_path / "spun.txt").read_bytes().decode("utf-8")
    swap = next(swap for swap in result.report.swaps if swap.reference_text == "fine")
    assert stored[slice(*swap.article_span)] == "nice"
    assert "invisible" not in {swap.kind for swap in result.report.swaps}


def test_json_lines_skip_malformed_records_with_their_line_number(tmp_path):
    path = tmp_path / "articles.jsonl"
    lines = [
        '{"id": "a", "text": "first"}',
        "",
        "{not json",
        '["id", "text"]',
        '{"text": "no id"}',
        '{"id": true, "text": "bool id"}',
        '{"id": 7, "text": "integer id"}',
        '{"id": "c"}',
        '{"id": "d", "text": 5}',
        '{"id": "e", "text": "caf\\u00e9"}',
    ]
    path.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe\n")
    skipped: list[str] = []
    records = list(read_records(path, on_skip=skipped.append))
    assert records == [("a", "first"), ("7", "integer id"), ("e", "café")]
    assert [message.split(": ", 1)[0].rsplit(":", 1)[1] for message in skipped] == [
        "3", "4", "5", "6", "8", "9", "11"
    ]
    assert skipped[0].endswith("articles.jsonl:3: not valid JSON (Expecting property name enclosed in double quotes at column 2)")
    assert skipped[1].endswith(":4: expected a JSON object with id and text, got list")
    assert skipped[4].endswith(":8: record 'c': missing or non-string \"text\"")
    assert skipped[6].endswith(":11: not UTF-8 (invalid byte at column 1)")


def test_hostile_records_are_skipped_with_a_reason(tmp_path):
    # Each once aborted scan and index build with a traceback.
    path = tmp_path / "hostile.jsonl"
    lines = [
        '{"id": ' + "7" * 5_000 + ', "text": "a 5,000-digit integer id"}',
        '{"id": "deep", "text": "x", "meta": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"id": "surrogate text", "text": "caf\\ud800"}',
        '{"id": "surrogate \\udfff id", "text": "text"}',
        json.dumps({"id": "x" * (MAX_ID_CHARACTERS + 1), "text": "a long id"}),
        json.dumps({"id": "\u0149", "text": "\u0149 fine"}),  # U+0149 passes
        '{"id": "brackets in text", "text": "' + "[" * 100 + '"}',
        json.dumps({"id": 12, "text": "an integer id"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    skipped: list[str] = []
    records = list(read_records(path, on_skip=skipped.append))
    assert records == [("\u0149", "\u0149 fine"), ("brackets in text", "[" * 100), ("12", "an integer id")]
    reasons = [message.split(".jsonl:", 1)[1] for message in skipped]
    assert reasons == [
        "1: id of 5,000 characters, over the 1,000 allowed",
        "2: not valid JSON (nested more than 64 deep)",
        "3: record 'surrogate text': the text holds a lone surrogate (U+D800 at 3), which is not a character",
        "4: id holds a lone surrogate (U+DFFF at 10), which is not a character",
        "5: id of 1,001 characters, over the 1,000 allowed",
    ]


def test_a_line_over_the_size_cap_is_skipped_without_being_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(scan_module, "MAX_TEXT_BYTES", 100)
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "big", "text": "x" * 500}) + "\n" + json.dumps({"id": "ok", "text": "y"}) + "\n",
        encoding="utf-8",
    )
    with path.open("rb") as handle:
        lines = list(inputs_module.read_lines(handle, limit=100))
    assert lines[0] is None and json.loads(lines[1]) == {"id": "ok", "text": "y"}
    skipped: list[str] = []
    assert list(read_records(path, on_skip=skipped.append)) == [("ok", "y")]
    assert skipped == [f"{path}:1: longer than 100 bytes, the most spindetect reads of one record"]


def test_a_folder_skips_files_that_are_not_regular_too_large_or_badly_named(tmp_path, monkeypatch):
    monkeypatch.setattr(scan_module, "MAX_TEXT_BYTES", 100)
    (tmp_path / "good.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "big.txt").write_text("x" * 101, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    (tmp_path / os.fsdecode(b"bad\xff.txt")).write_text("x", encoding="utf-8")
    skipped: list[str] = []
    assert list(read_records(tmp_path, on_skip=skipped.append)) == [("good", "fine")]
    assert sorted(message.split(": skipped, ", 1)[1] for message in skipped) == [
        "a character device, expected a regular file",
        "a named pipe, expected a regular file",
        "is 101 bytes; spindetect reads at most 100 bytes of one text",
        "the file name is not UTF-8",
    ]


def test_a_stream_with_other_field_names_skips_hostile_records_too(monkeypatch):
    # Issue 20's streams and field names read by issue 19's bounded, record-checking reader.
    monkeypatch.setattr(scan_module, "MAX_TEXT_BYTES", 6_000)
    lines = [
        json.dumps({"key": 7, "body": "an integer id"}),
        '{"key": ' + "7" * 5_000 + ', "body": "a 5,000-digit integer id"}',
        '{"key": "deep", "body": ' + "[" * 70 + "]" * 70 + "}",
        '{"key": "surrogate", "body": "caf\\ud800"}',
        json.dumps({"key": "big", "body": "x" * 6_000}),
        json.dumps({"key": "ok", "body": "fine"}),
    ]
    stream = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))
    skipped: list[str] = []
    records = read_records(stream, on_skip=skipped.append, id_field="key", text_field="body")
    assert list(records) == [("7", "an integer id"), ("ok", "fine")]
    assert skipped == [
        "<stream>:2: id of 5,000 characters, over the 1,000 allowed",
        "<stream>:3: not valid JSON (nested more than 64 deep)",
        "<stream>:4: record 'surrogate': the text holds a lone surrogate (U+D800 at 3), "
        "which is not a character",
        "<stream>:5: longer than 5.9 KiB, the most spindetect reads of one record",
    ]
    assert not stream.closed  # the caller's to close


def test_a_txt_file_named_directly_keeps_its_mark_and_is_read_within_the_cap(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(scan_module, "MAX_TEXT_BYTES", 100)
    marked, big = tmp_path / "marked.TXT", tmp_path / "big.txt"
    marked.write_bytes(b"\xef\xbb\xbfthe text")
    big.write_text("x" * 101, encoding="utf-8")
    skipped: list[str] = []
    assert list(read_records(marked, on_skip=skipped.append)) == [("marked", "\ufeffthe text")]
    assert list(read_records(big, on_skip=skipped.append)) == []
    assert skipped == [f"{big}: skipped, is 101 bytes; spindetect reads at most 100 bytes of one text"]


def test_an_unreadable_path_raises_at_once(tmp_path):
    denied = PermissionError(13, "Permission denied")
    with mock.patch.object(scan_module.os, "scandir", side_effect=denied):
        with pytest.raises(PermissionError):
            read_records(tmp_path)
    (tmp_path / "a.jsonl").touch()
    with mock.patch.object(scan_module, "open_input", side_effect=denied):
        with pytest.raises(PermissionError):
            read_records(tmp_path / "a.jsonl")
    with pytest.raises(ValueError, match="zero: a character device, expected a regular file or a named pipe"):
        read_records("/dev/zero")


def test_skipped_records_are_logged_without_a_callback(tmp_path, caplog):
    path = tmp_path / "articles.jsonl"
    path.write_text('oops\n{"id": "a", "text": "fine"}\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="spindetect.scan"):
        assert list(read_records(path)) == [("a", "fine")]
    assert "articles.jsonl:1: not valid JSON" in caplog.text


def test_a_missing_path_raises_at_once(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.jsonl: no such file or folder"):
        read_records(tmp_path / "missing.jsonl")


def test_json_lines_field_names_can_be_set(tmp_path):
    path = tmp_path / "crawl.jsonl"
    path.write_text(
        json.dumps({"url": "https://a.example/1", "body": "first", "id": 9}) + "\n"
        + json.dumps({"url": "https://a.example/2", "content": "no body"}) + "\n",
        encoding="utf-8",
    )
    skipped: list[str] = []
    records = read_records(path, on_skip=skipped.append, id_field="url", text_field="body")
    assert list(records) == [("https://a.example/1", "first")]
    assert skipped == [
        f"{path}:2: record 'https://a.example/2': missing or non-string \"body\""
    ]


def test_json_lines_are_read_from_a_binary_stream():
    import io

    stream = io.BytesIO(b'{"id": "a", "text": "one"}\n\n{"id": "b"}\n{"id": "c", "text": "two"}\n')
    stream.name = "<stdin>"
    skipped: list[str] = []
    assert list(read_records(stream, on_skip=skipped.append)) == [("a", "one"), ("c", "two")]
    assert skipped == ["<stdin>:3: record 'b': missing or non-string \"text\""]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"source": io.StringIO("{}")}, TypeError, "source must be a path or a binary stream"),
        ({"source": 5}, TypeError, "source must be a path or a binary stream such as sys.stdin.buffer, got int"),
        ({"id_field": None}, TypeError, "id_field must be str, got NoneType"),
        ({"text_field": b"text"}, TypeError, "text_field must be str, got bytes"),
    ],
)
def test_read_records_names_a_bad_argument(tmp_path, kwargs, error, message):
    arguments = {"source": tmp_path, **kwargs}
    with pytest.raises(error, match=message):
        read_records(arguments.pop("source"), **arguments)


@pytest.mark.slow  # starts two processes that each load the package's data
def test_workers_give_the_same_results_in_order_reading_a_bounded_way_ahead(index):
    from spindetect.scan import _CHUNK_ARTICLES, _CHUNKS_PER_WORKER

    articles = [(f"a{n}", SPUN_COURT if n % 3 else UNRELATED + f" {n}") for n in range(80)]
    expected = list(scan(articles, index))
    read = 0

    def endless():  # a crawl that never ends: the scan must not try to read it all
        nonlocal read
        for article in itertools.cycle(articles):
            read += 1
            yield article

    results = scan(endless(), index, workers=2)
    assert list(itertools.islice(results, 80)) == expected
    results.close()  # stops the worker processes
    assert read <= 80 + (2 * _CHUNKS_PER_WORKER + 1) * _CHUNK_ARTICLES
