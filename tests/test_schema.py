"""The JSON format is documented by docs/report.schema.json, and the code keeps to it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from spindetect import compare
from spindetect.cli import main
from spindetect.report import SCHEMA_VERSION, Report, Swap

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "docs" / "report.schema.json").read_text("utf-8")
)
VALIDATOR = Draft202012Validator(SCHEMA)
ARTICLE = "They said the charge carries a maximum penalty of ten years and a nice of 500,000 euros."
REFERENCE = "They said the charge carries a maximum penalty of ten years and a fine of 500,000 euros."


def validator_for(definition: str) -> Draft202012Validator:
    return Draft202012Validator({**SCHEMA, "$ref": f"#/$defs/{definition}"})


def errors(instance, validator=VALIDATOR) -> list[str]:
    return [error.message for error in validator.iter_errors(instance)]


def test_schema_is_valid_and_names_the_current_version():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$defs"]["report"]["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert f"schema version {SCHEMA_VERSION}" in SCHEMA["title"]


def test_seed_report_validates(seed_spun, seed_reference):
    data = json.loads(compare(seed_spun, seed_reference).to_json())
    assert data["swaps"] and data["passages"]
    assert errors(data) == []


def test_every_field_the_code_writes_is_documented(seed_spun, seed_reference):
    data = compare(seed_spun, seed_reference).to_dict()
    definitions = SCHEMA["$defs"]
    assert set(data) <= set(definitions["report"]["properties"])
    for swap in data["swaps"]:
        assert set(swap) <= set(definitions["swap"]["properties"])
    for passage in data["passages"]:
        assert set(passage) <= set(definitions["passage"]["properties"])


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema_version",), 2),
        (("score",), 1.5),
        (("flagged_count",), -1),
        (("swaps", 0, "kind"), "rewording"),
        (("swaps", 0, "article_span"), [3]),
        (("swaps", 0, "article_span"), [3, 4, 5]),
        (("swaps", 0, "reference_span"), [-1, 4]),
        (("swaps", 0, "flagged"), "yes"),
        (("swaps", 0, "signals"), [["zipf_shift", 0.4]]),
        (("passages", 0, "article_span"), "0-10"),
    ],
)
def test_schema_rejects_malformed_reports(path, value):
    data = compare(ARTICLE, REFERENCE).to_dict()
    assert errors(data) == []
    broken = copy.deepcopy(data)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert errors(broken)


def test_missing_fields_are_rejected():
    data = compare(ARTICLE, REFERENCE).to_dict()
    for field in data:
        assert errors({key: value for key, value in data.items() if key != field}), field


def test_signals_map_names_to_numbers():
    data = compare(ARTICLE, REFERENCE).to_dict()
    data["swaps"][0]["signals"] = {"zipf_shift": 1.25, "wordnet_synonym": 0.0}
    assert errors(data) == []
    data["swaps"][0]["signals"] = {"zipf_shift": "high"}
    assert errors(data)


def test_report_built_by_hand_validates_with_every_swap_kind():
    swaps = (
        Swap("substitution", (0, 4), (0, 4), "nice", "fine", 0.9, True),
        Swap("insertion", (5, 8), (5, 5), "big", "", 0.2, False),
        Swap("deletion", (9, 9), (6, 11), "", "today", 0.6, True),
    )
    report = Report(0.5, swaps, 0.75, 0.5, 4, 3, (((0, 9), (0, 11)),))
    assert errors(json.loads(report.to_json())) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["the", "fine", "nice", "of", "country", "rustic", "a", "we",
                                 "left", "paid", "500", "euros", ".", "\u00e9t\u00e9", "\u201cso\u201d"]),
                max_size=40),
       st.lists(st.integers(0, 39), max_size=4), st.floats(0, 1))
def test_any_comparison_validates(words, edits, threshold):
    reference = " ".join(words)
    spun = list(words)
    for position in edits:
        if position < len(spun):
            spun[position] = "rustic" if spun[position] != "rustic" else "nice"
    data = json.loads(compare(" ".join(spun), reference, threshold=threshold).to_json())
    assert errors(data) == []


def test_scan_lines_validate_as_scan_results():
    scan_module = pytest.importorskip("spindetect.scan")
    index_module = pytest.importorskip("spindetect.index")
    validator = validator_for("scan_result")
    report = compare(ARTICLE, REFERENCE)
    found = scan_module.ScanResult("a1", (index_module.Candidate("r1", 0.8),), report)
    missing = scan_module.ScanResult("a2", (), None)
    for result in (found, missing):
        assert errors(json.loads(json.dumps(result.to_dict())), validator) == []
    bad = found.to_dict() | {"report": {"score": 0.5}}
    assert errors(bad, validator)


def test_scan_json_lines_from_the_command_line_validate(tmp_path, capsys):
    references = tmp_path / "refs"
    references.mkdir()
    (references / "court.txt").write_text(REFERENCE, encoding="utf-8")
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "spun", "text": ARTICLE}) + "\n"
                        + json.dumps({"id": "other", "text": "Bread needs flour."}) + "\n",
                        encoding="utf-8")
    assert main(["index", "build", str(references), "-o", str(tmp_path / "index.npz")]) == 0
    capsys.readouterr()
    assert main(["scan", str(articles), "--index", str(tmp_path / "index.npz"), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["report"] is not None for line in lines] == [True, False]
    validator = validator_for("scan_result")
    for line in lines:
        assert errors(line, validator) == []
