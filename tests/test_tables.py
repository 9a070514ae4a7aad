"""Tests for spindetect._tables: the mapped table container and string indexes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect._tables import (
    DICT_AFTER_LOOKUPS,
    DataFileError,
    EncodedStrings,
    StringIndex,
    index_order,
    load_table,
    string_arrays,
    string_index_arrays,
    strings,
    write_table,
)

DTYPES = [np.uint8, np.int16, np.int32, np.int64, np.uint64, np.float64, np.bool_]


@st.composite
def named_arrays(draw) -> dict[str, np.ndarray]:
    names = draw(st.lists(st.text("abcxyz_", min_size=1, max_size=6), unique=True, max_size=4))
    arrays = {}
    for name in names:
        dtype = np.dtype(draw(st.sampled_from(DTYPES)))
        size = draw(st.integers(0, 40))
        raw = draw(st.binary(min_size=size * dtype.itemsize, max_size=size * dtype.itemsize))
        values = np.frombuffer(raw, dtype=np.uint8).view(dtype) if size else np.zeros(0, dtype)
        if dtype == np.bool_:
            values = values.view(np.uint8) % 2 == 1
        arrays[name] = values
    return arrays


@settings(deadline=None, max_examples=40)
@given(named_arrays(), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))
def test_a_written_table_loads_back_the_same_arrays_and_header(tmp_path_factory, arrays, meta):
    path = tmp_path_factory.mktemp("t") / "x.table"
    write_table(path, kind="test", version=3, arrays=arrays, meta=meta, built_by="tests")
    table = load_table(path, kind="test", version=3)
    assert set(table.arrays) == set(arrays)
    for name, values in arrays.items():
        assert table[name].dtype == values.dtype.newbyteorder("<")
        assert table[name].tobytes() == values.astype(table[name].dtype).tobytes()  # NaN too
        assert not table[name].flags.writeable
        assert table[name].ctypes.data % 64 == 0 or values.size == 0
    assert dict(table.meta) == {**meta, "built_by": "tests"}


def test_writing_is_deterministic(tmp_path: Path) -> None:
    arrays = {"b": np.arange(5, dtype=np.int32), "a": np.array([1.5], dtype=np.float64)}
    write_table(tmp_path / "1.table", kind="k", version=1, arrays=arrays, built_by="x")
    write_table(tmp_path / "2.table", kind="k", version=1, arrays=dict(reversed(arrays.items())),
                built_by="x")
    assert (tmp_path / "1.table").read_bytes() == (tmp_path / "2.table").read_bytes()


def test_header_is_json_before_the_first_array(tmp_path: Path) -> None:
    path = tmp_path / "h.table"
    write_table(path, kind="k", version=7, arrays={"v": np.array([3], dtype=np.int64)},
                meta={"n": 1}, built_by="scripts/x.py")
    raw = path.read_bytes()
    size = int.from_bytes(raw[12:16], "little")
    header = json.loads(raw[16 : 16 + size])
    assert header == {"arrays": {"v": {"dtype": "<i8", "offset": 16 + size, "shape": [1]}},
                      "kind": "k", "meta": {"built_by": "scripts/x.py", "n": 1}, "version": 7}
    assert raw[16 + size :] == (3).to_bytes(8, "little")


def test_load_errors_name_the_problem_and_the_script(tmp_path: Path) -> None:
    path = tmp_path / "w.table"
    write_table(path, kind="wordnet", version=2, arrays={"v": np.zeros(4, dtype=np.int32)},
                meta={"vocabulary_sha256": "a"}, built_by="scripts/build_lexicon.py")
    with pytest.raises(DataFileError, match=r"format version 2, but spindetect expects 3: the "
                       r"data is stale; rebuild it with `python scripts/build_lexicon.py`"):
        load_table(path, kind="wordnet", version=3)
    with pytest.raises(DataFileError, match="holds 'wordnet' data, not 'moby'"):
        load_table(path, kind="moby", version=2)
    with pytest.raises(DataFileError, match="built with vocabulary_sha256 'a', not 'b'"):
        load_table(path, kind="wordnet", version=2, expect={"vocabulary_sha256": "b"})
    with pytest.raises(DataFileError, match="cannot read data file"):
        load_table(tmp_path / "absent.table", kind="wordnet", version=2)
    (tmp_path / "old.npz").write_bytes(b"PK\x03\x04 an old zip file")
    with pytest.raises(DataFileError, match="is not a spindetect table"):
        load_table(tmp_path / "old.npz", kind="wordnet", version=2)
    (tmp_path / "cut.table").write_bytes(path.read_bytes()[:-4])
    with pytest.raises(DataFileError, match="is truncated"):
        load_table(tmp_path / "cut.table", kind="wordnet", version=2)
    table = load_table(path, kind="wordnet", version=2)
    with pytest.raises(DataFileError, match="has no array 'w'"):
        table["w"]


def test_load_raises_the_callers_error_class(tmp_path: Path) -> None:
    class OwnError(DataFileError):
        pass

    with pytest.raises(OwnError):
        load_table(tmp_path / "absent.table", kind="k", version=1, error=OwnError)


@st.composite
def tables_and_queries(draw) -> tuple[list[str], list[str]]:
    alphabet = list("ab é\u4e00\n\x7f") + ["\U0001f600"]
    stored = draw(st.lists(st.text(st.sampled_from(alphabet), min_size=1, max_size=5), unique=True,
                           max_size=40))
    # Queries may hold what no stored string does, NUL included.
    queries = draw(st.lists(st.text(st.sampled_from(alphabet + ["\x00"]), max_size=6), max_size=30))
    return stored, queries + stored[:10]


@settings(deadline=None)
@given(tables_and_queries())
def test_string_index_finds_what_a_dict_finds(tmp_path_factory, case) -> None:
    stored, queries = case  # rows in any order: a permutation is kept beside the records
    path = tmp_path_factory.mktemp("s") / "s.table"
    write_table(path, kind="s", version=1, arrays=string_index_arrays(stored, "p_"), built_by="t")
    index = StringIndex(load_table(path, kind="s", version=1), "p_")
    rows = {text: row for row, text in enumerate(stored)}
    assert index.search(EncodedStrings.of(queries)).tolist() == [rows.get(q, -1) for q in queries]
    assert index.find(queries).tolist() == [rows.get(q, -1) for q in queries]
    assert [index.find_one(q) for q in queries] == [rows.get(q, -1) for q in queries]
    index.build_dict()
    assert index.find(queries).tolist() == [rows.get(q, -1) for q in queries]
    assert [index.find_one(q) for q in queries] == [rows.get(q, -1) for q in queries]
    assert index.strings() == stored and [index[row] for row in range(len(index))] == stored


def test_string_index_decodes_into_a_dict_after_enough_lookups(tmp_path: Path) -> None:
    path = tmp_path / "w.table"
    write_table(path, kind="w", version=1, built_by="t",
                arrays=string_index_arrays(["fine", "nice", "né"]))
    index = StringIndex(load_table(path, kind="w", version=1))
    assert index.find(["né", "x"]).tolist() == [2, -1] and index._dict is None
    assert index.find(["nice"] * DICT_AFTER_LOOKUPS).tolist() == [1] * DICT_AFTER_LOOKUPS
    assert index._dict == {"fine": 0, "nice": 1, "né": 2}
    assert index.find(["né", "x"]).tolist() == [2, -1] and index.find_one("fine") == 0


@settings(deadline=None, max_examples=30)
@given(tables_and_queries(), st.integers(0, 40))
def test_a_joined_index_numbers_its_parts_one_after_another(tmp_path_factory, case, cut) -> None:
    stored, queries = case
    first, second = stored[:cut], index_order(stored[cut:])
    folder = tmp_path_factory.mktemp("j")
    write_table(folder / "j.table", kind="j", version=1, built_by="t",
                arrays={**string_index_arrays(first, "a_"), **string_index_arrays(second, "b_")})
    table = load_table(folder / "j.table", kind="j", version=1)
    if not first:
        return  # a part holds at least one string
    index = StringIndex.joined([(table, "a_"), (table, "b_")] if second else [(table, "a_")])
    rows = {text: row for row, text in enumerate(first + second)}
    assert index.strings() == first + second and len(index) == len(rows)
    assert index.find(queries).tolist() == [rows.get(q, -1) for q in queries]
    assert [index.find_one(q) for q in queries] == [rows.get(q, -1) for q in queries]
    assert [index[row] for row in range(len(index))] == first + second


def test_string_index_rejects_repeated_empty_or_nul_strings() -> None:
    for texts in (["a", "b", "a"], ["", "a"], ["a\x00"]):
        with pytest.raises(ValueError, match="distinct, non-empty and without NUL"):
            string_index_arrays(texts)
    assert index_order(["ab", "c", "é", "b"]) == ["b", "c", "ab", "é"]
    assert "row_of_record" not in string_index_arrays(["b", "c", "ab"])
    assert string_index_arrays(["ab", "b"])["row_of_record"].tolist() == [1, 0]


def test_string_lists_round_trip(tmp_path: Path) -> None:
    texts = ["went", "go", "", "né", "go"]
    write_table(tmp_path / "l.table", kind="l", version=1, arrays=string_arrays(texts, "x_"),
                built_by="t")
    assert strings(load_table(tmp_path / "l.table", kind="l", version=1), "x_") == texts
