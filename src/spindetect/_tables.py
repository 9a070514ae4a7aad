"""Mapped array tables: the one file format of the lexical data shipped in ``spindetect/data``.

A table is built once by a script in ``scripts/`` and used as it lies on disk: ``load_table``
maps the file read-only and hands out numpy arrays that are views of the mapping, so
loading reads a few hundred bytes of header, a look-up touches only the pages it needs, and
processes on one machine share the pages through the operating system's cache. A table's
header names its kind and layout version; a stale or foreign file fails to load with a
message saying which script rebuilds it, never with a wrong score.

Tables whose rows are strings carry a ``StringIndex``: the strings grouped by length, each
group a sorted array of fixed-width records, binary-searched for a whole batch of words.

How a new table plugs in (e.g. bigram counts in a new score module)::

    # scripts/build_bigrams.py: build the arrays in their final form, then
    bigrams = index_order(counts_of)                 # the table's rows (no permutation kept)
    write_table(path, kind="bigrams", version=1, built_by="scripts/build_bigrams.py",
                arrays={**string_index_arrays(bigrams),
                        "counts": np.array([counts_of[b] for b in bigrams], dtype=np.int32)},
                meta={...})
    # the module that reads it:
    @lru_cache(maxsize=1)
    def _bigrams() -> MappedTable:
        return load_table(DATA_DIR / "bigrams.table", kind="bigrams", version=1)
    rows = StringIndex(_bigrams()).find(pairs)  # -1: not listed
    counts = np.where(rows >= 0, _bigrams()["counts"][rows], 0)

and its docstring documents the arrays, as ``spindetect.lexicon.loading`` does for its own.
"""

from __future__ import annotations

import json
import mmap
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "ALIGNMENT",
    "CONTAINER_VERSION",
    "DICT_AFTER_LOOKUPS",
    "MAGIC",
    "DataFileError",
    "EncodedStrings",
    "MappedTable",
    "StringIndex",
    "index_order",
    "load_table",
    "string_arrays",
    "string_index_arrays",
    "strings",
    "write_table",
]

#: First bytes of every table file.
MAGIC = b"SPDTABLE"
#: Version of the container layout below (the header and alignment), not of a table's arrays.
CONTAINER_VERSION = 1
#: Arrays start at multiples of this many bytes, so every view is aligned for its dtype.
ALIGNMENT = 64
#: A ``StringIndex`` asked about this many strings decodes them into a dict (see there):
#: the first compare of two articles asks about a few thousand, a stream of documents
#: reaches it within its first hundred articles or so.
DICT_AFTER_LOOKUPS = 1 << 15
# Bytes before the JSON header: magic, container version, header length.
_PREFIX_BYTES = 16



class DataFileError(RuntimeError):
    """A shipped data file is missing, stale (wrong layout version) or not the file expected."""


@dataclass(frozen=True)
class MappedTable:
    """A loaded table: its header (``kind``, ``version``, ``meta``) and its arrays by name.

    ``table[name]`` is a read-only numpy view of the mapped file.
    """

    path: Path
    kind: str
    version: int
    meta: Mapping[str, Any]
    arrays: Mapping[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.arrays[name]
        except KeyError:
            raise DataFileError(
                f"data file {self.path} has no array {name!r}; {_rebuild_hint(self.meta)}"
            ) from None


def write_table(
    path: Path,
    *,
    kind: str,
    version: int,
    arrays: Mapping[str, np.ndarray],
    meta: Mapping[str, Any] | None = None,
    built_by: str,
) -> None:
    """Write ``arrays`` as a table file, byte for byte the same for the same input.

    The layout, which ``load_table`` reads:

    ========  ==========================================================================
    bytes     content
    ========  ==========================================================================
    0-7       ``MAGIC``, ``b"SPDTABLE"``
    8-11      ``CONTAINER_VERSION``, little-endian uint32
    12-15     H, the length of the header, little-endian uint32
    16-16+H   the header: JSON (sorted keys, no spaces) padded with spaces to a multiple
              of ``ALIGNMENT`` bytes from the start of the file
    then      each array's bytes in C order at its ``offset`` (a multiple of ALIGNMENT),
              in the order of their names, zero bytes between them
    ========  ==========================================================================

    The header holds ``kind``, ``version`` (the layout version of that kind of table),
    ``meta`` (including ``built_by``, the script that rebuilds the file) and, for each
    array, its ``dtype`` (with byte order, e.g. ``"<i4"``), ``shape`` and ``offset``. A
    table of kind "example" with one array, ``values = [7, 8]`` as int16, is 196 bytes::

        0-7      SPDTABLE
        8-11     01 00 00 00      container version 1
        12-15    b0 00 00 00      a header of 176 bytes
        16-191   {"arrays":{"values":{"dtype":"<i2","offset":192,"shape":[2]}},"kind":
                 "example","meta":{"built_by":"doc"},"version":1}   and 59 spaces
        192-195  07 00 08 00      values

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "example.table"
    >>> write_table(path, kind="example", version=1, built_by="doc",
    ...             arrays={"values": np.array([7, 8], dtype=np.int16)})
    >>> raw = path.read_bytes()
    >>> raw[:8], int.from_bytes(raw[8:12], "little"), int.from_bytes(raw[12:16], "little")
    (b'SPDTABLE', 1, 176)
    >>> json.loads(raw[16:192])["arrays"], raw[192:], len(raw)
    ({'values': {'dtype': '<i2', 'offset': 192, 'shape': [2]}}, b'\\x07\\x00\\x08\\x00', 196)
    """
    ordered = {name: np.ascontiguousarray(arrays[name]) for name in sorted(arrays)}
    for name, array in ordered.items():
        if array.dtype.hasobject:
            raise TypeError(f"array {name!r} has dtype {array.dtype}; tables hold plain values")
    placed: dict[str, dict[str, Any]] = {}
    header = b""
    # The header's length depends on the offsets it lists and they on its length: lay the
    # arrays out after a guess and grow the guess until the header fits.
    data_start = ALIGNMENT
    while True:
        offset = data_start
        for name, array in ordered.items():
            dtype = array.dtype.newbyteorder("<")
            placed[name] = {"dtype": dtype.str, "offset": offset, "shape": list(array.shape)}
            offset = _aligned(offset + array.nbytes)
        document = {"arrays": placed, "kind": kind, "meta": {**(meta or {}), "built_by": built_by},
                    "version": version}
        header = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
        if _PREFIX_BYTES + len(header) <= data_start:
            break
        data_start = _aligned(_PREFIX_BYTES + len(header))
    header += b" " * (data_start - _PREFIX_BYTES - len(header))
    with open(path, "wb") as out:
        out.write(MAGIC + CONTAINER_VERSION.to_bytes(4, "little") + len(header).to_bytes(4, "little"))
        out.write(header)
        position = data_start
        for name, array in ordered.items():
            out.write(b"\0" * (placed[name]["offset"] - position))
            out.write(array.astype(placed[name]["dtype"], copy=False).tobytes())
            position = placed[name]["offset"] + array.nbytes


def load_table(
    path: Path,
    *,
    kind: str,
    version: int,
    expect: Mapping[str, Any] | None = None,
    error: type[DataFileError] = DataFileError,
) -> MappedTable:
    """Map the table file ``path`` (read-only), after checking that its header says ``kind``
    and ``version`` and holds every ``expect`` item in its ``meta`` (e.g. the vocabulary the
    table was built against); raises ``error`` (a ``DataFileError``) naming what is wrong.

    See ``write_table`` for the layout. The arrays are views of the mapping: nothing is
    copied, and pages are read from disk the first time a look-up touches them.

    >>> load_table(Path("absent.table"), kind="example", version=1)
    Traceback (most recent call last):
    ...
    spindetect._tables.DataFileError: cannot read data file absent.table: ...
    """
    try:
        with open(path, "rb") as source:
            prefix = source.read(_PREFIX_BYTES)
            if len(prefix) < _PREFIX_BYTES or prefix[:8] != MAGIC:
                raise error(f"data file {path} is not a spindetect table (no {MAGIC!r} at its start);"
                            f" {_rebuild_hint({})}")
            container = int.from_bytes(prefix[8:12], "little")
            if container != CONTAINER_VERSION:
                raise error(f"data file {path} has container version {container}, but spindetect "
                            f"reads {CONTAINER_VERSION}; {_rebuild_hint({})}")
            header = json.loads(source.read(int.from_bytes(prefix[12:16], "little")))
            mapping = mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:
        raise error(f"cannot read data file {path}: {exc}; {_rebuild_hint({})}") from exc
    meta = header.get("meta", {})
    if header.get("kind") != kind:
        raise error(f"data file {path} holds {header.get('kind')!r} data, not {kind!r}; "
                    f"{_rebuild_hint(meta)}")
    if header.get("version") != version:
        raise error(f"data file {path} has format version {header.get('version')}, but spindetect "
                    f"expects {version}: the data is stale; {_rebuild_hint(meta)}")
    for key, value in (expect or {}).items():
        if meta.get(key) != value:
            raise error(f"data file {path} was built with {key} {meta.get(key)!r}, not {value!r} "
                        f"as the other data files; {_rebuild_hint(meta)}")
    arrays = {}
    for name, place in header["arrays"].items():
        dtype = np.dtype(place["dtype"])
        shape = tuple(place["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        if place["offset"] + count * dtype.itemsize > len(mapping):
            raise error(f"data file {path} is truncated (array {name!r}); {_rebuild_hint(meta)}")
        arrays[name] = np.frombuffer(mapping, dtype=dtype, count=count,
                                     offset=place["offset"]).reshape(shape)
    return MappedTable(Path(path), kind, version, meta, arrays)


def _aligned(offset: int) -> int:
    return -(-offset // ALIGNMENT) * ALIGNMENT


def _rebuild_hint(meta: Mapping[str, Any]) -> str:
    script = meta.get("built_by", "the scripts in scripts/")
    return f"rebuild it with `python {script}` or reinstall spindetect"


# --------------------------------------------------------------------------- strings


@dataclass(frozen=True)
class EncodedStrings:
    """Strings as one UTF-8 buffer (uint8), with where each starts and how many bytes it has
    (int64): what ``StringIndex.search`` searches with, built in one encode.

    >>> EncodedStrings.of(["fine", "", "né"]).lengths.tolist()
    [4, 0, 3]
    """

    buffer: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> EncodedStrings:
        joined = "".join(texts)
        buffer = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
        if buffer.size == len(joined):  # ASCII: a character is a byte
            lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        else:
            lengths = np.fromiter((len(text.encode("utf-8")) for text in texts),
                                  dtype=np.int64, count=len(texts))
        return cls(buffer, np.cumsum(lengths) - lengths, lengths)

    def records(self, indices: np.ndarray, width: int) -> np.ndarray:
        """The strings at ``indices``, all ``width`` bytes long, as one ``S{width}`` array."""
        columns = np.arange(width, dtype=np.int64)
        matrix = self.buffer[self.starts[indices][:, None] + columns]
        return np.ascontiguousarray(matrix).view(f"S{width}").reshape(-1)


def string_arrays(texts: Sequence[str], prefix: str = "") -> dict[str, np.ndarray]:
    """A list of strings as table arrays: ``{prefix}blob`` (uint8) holds their UTF-8 bytes back
    to back and ``{prefix}offsets`` (int32, one more than strings) where each begins, so
    string ``r`` is ``blob[offsets[r]:offsets[r + 1]]``.

    >>> arrays = string_arrays(["went", "go", "né"])
    >>> arrays["blob"].tobytes(), arrays["offsets"].tolist()
    (b'wentgon\\xc3\\xa9', [0, 4, 6, 9])
    """
    encoded = EncodedStrings.of(texts)
    offsets = np.append(encoded.starts, encoded.buffer.size)
    if offsets[-1] >= 2**31:
        raise ValueError("strings of a table must add up to under 2 GiB")
    return {f"{prefix}blob": encoded.buffer.copy(), f"{prefix}offsets": offsets.astype(np.int32)}


def strings(table: MappedTable | Mapping[str, np.ndarray], prefix: str = "") -> list[str]:
    """All the strings of ``string_arrays``' layout in ``table``, decoded (for small lists).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "list.table"
    >>> write_table(path, kind="list", version=1, built_by="doc", arrays=string_arrays(["a", "bc"]))
    >>> strings(load_table(path, kind="list", version=1))
    ['a', 'bc']
    """
    data = table[f"{prefix}blob"].tobytes()
    bounds = table[f"{prefix}offsets"].tolist()
    return [data[start:end].decode("utf-8") for start, end in zip(bounds[:-1], bounds[1:])]


def index_order(texts: Iterable[str]) -> list[str]:
    """``texts`` in the order a ``StringIndex`` keeps its records: by UTF-8 length, then
    bytewise. A table whose rows follow this order needs no permutation arrays.

    >>> index_order(["nice", "go", "fine", "went"])
    ['go', 'fine', 'nice', 'went']
    """
    return sorted(texts, key=_index_key)


def _index_key(text: str) -> tuple[int, bytes]:
    encoded = text.encode("utf-8")
    return len(encoded), encoded


def string_index_arrays(texts: Sequence[str], prefix: str = "") -> dict[str, np.ndarray]:
    """The arrays of a ``StringIndex`` whose rows are ``texts``, in that order (distinct,
    non-empty, without NUL).

    The strings are kept as records grouped by UTF-8 length, so that each group is a sorted
    table of fixed-width records, searched by numpy's binary search; record k is the k-th
    string in ``index_order``:

    - ``{prefix}blob`` (uint8): the groups back to back, shortest strings first, each group
      sorted bytewise, no separators;
    - ``{prefix}lengths`` (int32): the byte length of each group's strings, ascending;
    - ``{prefix}group_starts`` (int64, one more than groups): the record number of each
      group's first string, then the number of strings;
    - ``{prefix}offsets`` (int64, one more than groups): where each group begins in the blob;
    - only when the rows are not in ``index_order``: ``{prefix}row_of_record`` and
      ``{prefix}record_of_row`` (int32), the two directions of the permutation.

    Record k of group g is ``blob[offsets[g] + (k - group_starts[g]) * lengths[g]:]
    [:lengths[g]]``. For rows ``["nice", "go", "fine"]``::

        blob            b"gofinenice"
        lengths         [2, 4]
        group_starts    [0, 1, 3]
        offsets         [0, 2, 10]
        row_of_record   [1, 2, 0]          ("go" is row 1, "fine" row 2, "nice" row 0)
        record_of_row   [2, 0, 1]

    >>> arrays = string_index_arrays(["nice", "go", "fine"])
    >>> [arrays[name].tolist() for name in ("lengths", "group_starts", "offsets", "row_of_record")]
    [[2, 4], [0, 1, 3], [0, 2, 10], [1, 2, 0]]
    """
    encoded = [text.encode("utf-8") for text in texts]
    # (NUL would be lost: numpy reads fixed-width records without their trailing NULs)
    if len(set(encoded)) != len(encoded) or b"" in encoded or any(b"\0" in data for data in encoded):
        raise ValueError("strings of an index must be distinct, non-empty and without NUL")
    row_of_record = sorted(range(len(encoded)), key=lambda row: (len(encoded[row]), encoded[row]))
    records = [encoded[row] for row in row_of_record]
    lengths = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    group_lengths, group_starts, counts = np.unique(lengths, return_index=True, return_counts=True)
    arrays = {
        f"{prefix}blob": np.frombuffer(b"".join(records), dtype=np.uint8).copy(),
        f"{prefix}lengths": group_lengths.astype(np.int32),
        f"{prefix}group_starts": np.append(group_starts, len(records)).astype(np.int64),
        f"{prefix}offsets": np.append(0, np.cumsum(group_lengths * counts)).astype(np.int64),
    }
    if row_of_record != list(range(len(records))):
        permutation = np.array(row_of_record, dtype=np.int64)
        inverse = np.empty_like(permutation)
        inverse[permutation] = np.arange(permutation.size, dtype=np.int64)
        arrays[f"{prefix}row_of_record"] = permutation.astype(np.int32)
        arrays[f"{prefix}record_of_row"] = inverse.astype(np.int32)
    return arrays


class StringIndex:
    """The strings of a table and the row of any string, by ``string_index_arrays``' layout.

    One index may span the string indexes of several tables, numbered one after another
    (``StringIndex.joined``): the rows of the first, then those of the second, and so on.

    A process that looks words up only for a document or two searches the mapped records
    (``search``). One that streams documents asks about tens of thousands of words, a few
    at a time, where a Python dict answers in a fraction of the array passes' fixed cost: so
    once an index has been asked about ``DICT_AFTER_LOOKUPS`` strings, it decodes its
    strings into a dict, once (about 0.1 s per 300,000 strings), and answers from it. Both
    give the same rows.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "words.table"
    >>> write_table(path, kind="words", version=1, built_by="doc",
    ...             arrays=string_index_arrays(["fine", "nice", "penalty"]))
    >>> index = StringIndex(load_table(path, kind="words", version=1))
    >>> index.find(["nice", "banana", "fine"]).tolist(), index[2]
    ([1, -1, 0], 'penalty')
    """

    def __init__(self, table: MappedTable, prefix: str = "") -> None:
        self._parts: list[_IndexPart] = []
        self._size = 0
        self._add(table, prefix)
        self.looked_up = 0
        self._dict: dict[str, int] | None = None

    @classmethod
    def joined(cls, parts: Sequence[tuple[MappedTable, str]]) -> StringIndex:
        """One index over the string indexes of ``(table, prefix)`` parts, numbered one after
        another."""
        index = cls(*parts[0])
        for table, prefix in parts[1:]:
            index._add(table, prefix)
        return index

    def _add(self, table: MappedTable, prefix: str) -> None:
        part = _IndexPart(table, prefix, self._size)
        self._parts.append(part)
        self._size += part.size
        self._bases = np.array([part.base for part in self._parts], dtype=np.int64)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, row: int) -> str:
        part = self._parts[int(np.searchsorted(self._bases, row, side="right")) - 1]
        return part.record(part.record_of(row - part.base)).decode("utf-8")

    def strings(self) -> list[str]:
        """Every string, in row order (decodes the whole table: for builders and references)."""
        return [text for part in self._parts for text in part.strings()]

    def find(self, texts: Sequence[str]) -> np.ndarray:
        """The row of each string (int64), -1 for strings not in the table."""
        if self._dict is None:
            self.looked_up += len(texts)
            if self.looked_up < DICT_AFTER_LOOKUPS:
                return self.search(EncodedStrings.of(texts))
            self.build_dict()
        assert self._dict is not None
        return np.fromiter(map(self._dict.get, texts, repeat(-1)), dtype=np.int64,
                           count=len(texts))

    def find_one(self, text: str) -> int:
        """``find`` of one string, without the array passes (a few microseconds)."""
        if self._dict is not None:
            return self._dict.get(text, -1)
        encoded = text.encode("utf-8")
        for part in self._parts:
            row = part.find_one(encoded)
            if row >= 0:
                return part.base + row
        return -1

    def build_dict(self) -> None:
        """Decode the strings into the dict ``find`` answers from from now on."""
        self._dict = dict(zip(self.strings(), range(len(self))))

    def search(self, texts: EncodedStrings) -> np.ndarray:
        """``find`` in the mapped records: one binary search per length present among the
        strings (and part of the index holding strings of that length)."""
        found = np.full(texts.lengths.size, -1, dtype=np.int64)
        if not found.size:
            return found
        order = np.argsort(texts.lengths, kind="stable")
        lengths = texts.lengths[order]
        bounds = np.flatnonzero(np.r_[True, lengths[1:] != lengths[:-1], True]).tolist()
        for start, end in zip(bounds[:-1], bounds[1:]):
            width = int(lengths[start])
            queries, wanted = order[start:end], None
            for part in self._parts:
                group = part.group_of_length.get(width)
                if group is None:
                    continue
                if wanted is None:
                    wanted = texts.records(queries, width)
                records = part.groups[group]
                positions = np.minimum(np.searchsorted(records, wanted), records.size - 1)
                hit = records[positions] == wanted
                found[queries[hit]] = part.base + part.rows_of(part.group_starts[group] + positions[hit])
        return found


class _IndexPart:
    """One table's string index inside a ``StringIndex``: its groups of records (views of the
    mapped blob) and the permutation between records and rows, if any."""

    def __init__(self, table: MappedTable, prefix: str, base: int) -> None:
        blob = table[f"{prefix}blob"]
        offsets = table[f"{prefix}offsets"].tolist()
        widths = table[f"{prefix}lengths"].tolist()
        self.groups = [blob[start:end].view(f"S{width}")
                       for start, end, width in zip(offsets[:-1], offsets[1:], widths)]
        self.group_starts = table[f"{prefix}group_starts"].tolist()
        self.group_of_length = {width: group for group, width in enumerate(widths)}
        self.size = self.group_starts[-1]
        self.base = base
        permuted = f"{prefix}row_of_record" in table.arrays
        self.row_of_record = table[f"{prefix}row_of_record"] if permuted else None
        self.record_of_row = table[f"{prefix}record_of_row"] if permuted else None

    def rows_of(self, records: np.ndarray) -> np.ndarray:
        rows: np.ndarray = records if self.row_of_record is None else self.row_of_record[records]
        return rows

    def record_of(self, row: int) -> int:
        return row if self.record_of_row is None else int(self.record_of_row[row])

    def record(self, number: int) -> bytes:
        group = bisect_right(self.group_starts, number) - 1
        record: bytes = self.groups[group][number - self.group_starts[group]]
        return record

    def find_one(self, encoded: bytes) -> int:
        group = self.group_of_length.get(len(encoded))
        if group is None:
            return -1
        records = self.groups[group]
        position = int(np.searchsorted(records, encoded))
        if position < records.size and records[position] == encoded:
            return int(self.rows_of(np.array([self.group_starts[group] + position]))[0])
        return -1

    def strings(self) -> list[str]:
        """The strings in row order."""
        by_record = [record.decode("utf-8") for group in self.groups for record in group.tolist()]
        if self.record_of_row is None:
            return by_record
        return [by_record[record] for record in self.record_of_row.tolist()]
