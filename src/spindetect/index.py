"""Find the source of an article among many references: an inverted index of word pairs.

Sits before the pipeline (tokenize -> align -> ...): in a scraping job the reference is not
known, so each article is first matched to the references it most likely came from, then
compared with the best one. A spinner swaps about one word in five to ten and moves or drops
whole passages, so long shingles and document order are useless; short shingles survive.
Each text becomes the set of its word 2-grams (adjacent word pairs), hashed to uint64 from
the tokenizer's normalised forms. A swapped word breaks the two pairs it sits in, so with one
word in six or seven swapped about two thirds of an article's pairs are still found in its
source, wherever its passages were moved; between unrelated texts only a few common pairs
("of the") are shared.

The index is two parallel arrays sorted together: the shingle hash of every (shingle,
reference) posting and the reference's number. Most shingles of a real corpus occur in one
reference only, so this flat layout (12 bytes a posting) is smaller than CSR offsets (4 bytes
a posting plus 16 a distinct shingle). A query is two ``np.searchsorted`` over the keys, one
gather and one ``np.unique`` over the gathered reference numbers, so its cost grows with the
postings of the article's shingles and the logarithm of the index size, not with the number
of references.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import struct
import threading
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, BinaryIO

import numpy as np

from ._arrays import range_indices
from ._checks import check_iterable, check_pair, check_path, check_positive_int, check_text
from ._inputs import RefusedInput, json_too_deep, open_input
from .tokenize import tokenize

__all__ = [
    "FORMAT_VERSION",
    "MAX_SHINGLE_REFERENCES",
    "Candidate",
    "ReferenceIndex",
    "shingle_hashes",
]

# Version of the .npz layout written by ReferenceIndex.save; bump it whenever the arrays,
# the hashing or the shingle scheme change, so an old file fails loudly instead of matching
# nothing.
FORMAT_VERSION = 1
FORMAT_NAME = "spindetect.ReferenceIndex"
# The shingles: word pairs at these token distances (1 = adjacent, 2 = one word skipped).
# Measured on the benchmark corpus (benchmarks/index_choice.py, docs/scale.md): adjacent
# pairs alone give a spun article the highest similarity to its source; adding 1-skip-grams
# doubles the postings and lowers it slightly (a skip-gram dies with either end word, just
# as a pair does), and 3-grams lower it further.
SHINGLE_DISTANCES = (1,)
# A shingle found in more references than this is too common to point at a source ("of the",
# "in a"): queries skip it (it counts for neither the article nor any reference). Its postings
# would otherwise be gathered for every query, making query time grow with the corpus; a
# fixed cap bounds the work per query. Measured on the 100k-reference benchmark corpus
# (docs/scale.md): a cap of 1,000 gathers 72,000 postings per query (8 ms), 100 gathers a
# fraction of that (2.8 ms), and the least similarity of a spun article to its source only
# goes from 0.59 to 0.55 while the best other reference drops from 0.021 to 0.015.
MAX_SHINGLE_REFERENCES = 100
# The hash of a token is the first 8 bytes of its BLAKE2b digest: stable across processes,
# machines and PYTHONHASHSEED, which Python's hash() is not.
HASH_SALT = b"spindetect-idx-1"  # blake2b takes at most 16 bytes of salt
# A shingle's first token hash is multiplied by this (the 64-bit golden ratio) before mixing,
# so that (x, y) and (y, x) hash apart.
MIX_MULTIPLIER = 0x9E3779B97F4A7C15

_ARRAY_DTYPES = {
    "keys": np.uint64,
    "postings": np.int32,
    "shingle_counts": np.int32,
    "id_bytes": np.uint8,
    "id_offsets": np.int64,
    "text_bytes": np.uint8,
    "text_offsets": np.int64,
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reference that may be an article's source.

    ``similarity`` in [0, 1] is the fraction of the article's distinct shingles (adjacent word
    pairs, common ones excepted) that also occur in this reference: 1.0 when every pair of the
    article is in it, 0.0 when none is. A spun article scores about 0.4 to 0.9 against its
    source (docs/scale.md), an unrelated text under 0.05.
    """

    ref_id: str
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        """The candidate as JSON-serialisable plain values."""
        return {"ref_id": self.ref_id, "similarity": self.similarity}


@lru_cache(maxsize=1 << 20)
def _token_hash(norm: str) -> int:
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8, salt=HASH_SALT)
    return int.from_bytes(digest.digest(), "little")


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: spreads every input bit over the whole uint64."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def shingle_hashes(norms: Sequence[str]) -> np.ndarray:
    """The distinct shingle hashes of a token sequence, sorted, as uint64.

    ``norms`` are matching forms from ``tokenize``. Fewer than two tokens give no shingles.

    >>> from spindetect.tokenize import tokenize
    >>> len(shingle_hashes(tokenize("a fine of 500 euros").norms))  # 4 word pairs
    4
    >>> bool((shingle_hashes(tokenize("A FINE").norms) == shingle_hashes(["a", "fine"])).all())
    True
    """
    token_hashes = np.fromiter(
        (_token_hash(norm) for norm in norms), dtype=np.uint64, count=len(norms)
    )
    parts = []
    for distance in SHINGLE_DISTANCES:
        if len(token_hashes) > distance:
            first, second = token_hashes[:-distance], token_hashes[distance:]
            combined = _mix(first * np.uint64(MIX_MULTIPLIER) + np.uint64(distance)) ^ second
            parts.append(_mix(combined))
    if not parts:
        return np.zeros(0, dtype=np.uint64)
    return np.unique(np.concatenate(parts))


def _encode_strings(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte array and int64 offsets (len + 1), a pickle-free layout."""
    encoded = [string.encode("utf-8") for string in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(data) for data in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), offsets


def _decode_string(data: np.ndarray, offsets: np.ndarray, number: int) -> str:
    return data[offsets[number] : offsets[number + 1]].tobytes().decode("utf-8")


# The arrays of a _Snapshot, by name (as in _ARRAY_DTYPES and in saved files).
_SNAPSHOT_ARRAYS = ("keys", "postings", "shingle_counts", "text_bytes", "text_offsets")


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """The arrays of an index at one moment, never changed once made.

    Adding references builds a new snapshot and swaps it in with one assignment, so a query
    that took one reads a consistent state (keys, postings and counts of the same moment),
    however many references another thread adds meanwhile. The arrays are read-only.
    """

    ref_ids: tuple[str, ...]
    keys: np.ndarray  # uint64, sorted: the shingle of each posting
    postings: np.ndarray  # int32: the reference number of each posting
    shingle_counts: np.ndarray  # int32: distinct shingles of each reference
    text_bytes: np.ndarray  # uint8: the stored texts, UTF-8, one after another
    text_offsets: np.ndarray  # int64: where each text starts in text_bytes, and the end

    def __post_init__(self) -> None:
        for name in _SNAPSHOT_ARRAYS:
            getattr(self, name).flags.writeable = False

    @classmethod
    def empty(cls) -> _Snapshot:
        return cls(
            ref_ids=(),
            keys=np.zeros(0, dtype=np.uint64),
            postings=np.zeros(0, dtype=np.int32),
            shingle_counts=np.zeros(0, dtype=np.int32),
            text_bytes=np.zeros(0, dtype=np.uint8),
            text_offsets=np.zeros(1, dtype=np.int64),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by name."""
        return {name: getattr(self, name) for name in _SNAPSHOT_ARRAYS}

    def merged(
        self, ref_ids: Sequence[str], shingles: Sequence[np.ndarray], texts: Sequence[str]
    ) -> _Snapshot:
        """A new snapshot with the references ``ref_ids`` (their ``shingles`` and, when
        ``texts`` is not empty, their texts) after these."""
        first_new = len(self.shingle_counts)
        new_counts = np.array([len(each) for each in shingles], dtype=np.int32)
        new_numbers = np.repeat(
            np.arange(first_new, first_new + len(new_counts), dtype=np.int32), new_counts
        )
        all_keys = np.concatenate([self.keys, *shingles])
        all_numbers = np.concatenate([self.postings, new_numbers])
        # Stable, so each shingle's postings stay in increasing reference order.
        order = np.argsort(all_keys, kind="stable")
        text_bytes, text_offsets = self.text_bytes, self.text_offsets
        if texts:
            new_bytes, new_offsets = _encode_strings(texts)
            text_offsets = np.concatenate([text_offsets, new_offsets[1:] + text_offsets[-1]])
            text_bytes = np.concatenate([text_bytes, new_bytes])
        return _Snapshot(
            ref_ids=self.ref_ids + tuple(ref_ids),
            keys=all_keys[order],
            postings=all_numbers[order],
            shingle_counts=np.concatenate([self.shingle_counts, new_counts]),
            text_bytes=text_bytes,
            text_offsets=text_offsets,
        )


class ReferenceIndex:
    """An index of reference texts that finds the ones an article was most likely spun from.

    Build it from ``(ref_id, text)`` pairs, or ``add`` them one by one; then ``query`` an
    article for its best candidates. References are kept in insertion order. Adding is
    cheap; the arrays are rebuilt once, on the first query after a batch of additions, so add
    everything first and query afterwards. With ``store_texts=True`` (the default) the index
    keeps each reference's text for ``scan`` to compare against (``text(ref_id)``); without
    it, pass the texts to ``scan(..., references=...)``.

    Threads: any number may query while others add references. Each query reads one
    consistent state of the index, holding every reference whose ``add`` returned before the
    query began, and never part of a reference being added.

    Memory: 12 bytes per posting (a distinct word pair of a reference), about one posting per
    token: some 12 KB for a 1,000-word reference, plus its text (``nbytes``; measured figures
    in docs/scale.md). ``save`` writes a pickle-free ``.npz``.

    >>> index = ReferenceIndex([
    ...     ("fine", "The court imposed a fine of 500,000 euros on the company."),
    ...     ("weather", "Rain is expected in the north of the country tomorrow."),
    ... ])
    >>> best = index.query("The court imposed a nice of 500,000 euros on the firm.")[0]
    >>> best.ref_id, round(best.similarity, 2)
    ('fine', 0.7)
    >>> index.query("Completely unrelated words here.")
    []
    """

    def __init__(
        self, references: Iterable[tuple[str, str]] = (), *, store_texts: bool = True
    ) -> None:
        if not isinstance(store_texts, bool):
            raise TypeError(f"store_texts must be a bool, got {type(store_texts).__name__}")
        self._store_texts = store_texts
        # Every reference added, in order; the snapshot holds those merged so far, the
        # pending lists those added since (appended and consumed under the lock).
        self._ref_ids: list[str] = []
        self._numbers: dict[str, int] = {}
        self._snapshot = _Snapshot.empty()
        self._pending_shingles: list[np.ndarray] = []
        self._pending_texts: list[str] = []
        self._lock = threading.Lock()
        pairs = check_iterable(references, "references", "(ref_id, text) pairs")
        for number, pair in enumerate(pairs):
            self.add(*check_pair(pair, f"references[{number}]", "ref_id", "text"))

    def __len__(self) -> int:
        return len(self._ref_ids)

    def __contains__(self, ref_id: object) -> bool:
        return ref_id in self._numbers

    def __repr__(self) -> str:
        return f"<ReferenceIndex of {len(self)} references>"

    @property
    def ref_ids(self) -> tuple[str, ...]:
        """The reference ids in insertion order."""
        return tuple(self._ref_ids)

    @property
    def stores_texts(self) -> bool:
        """Whether the index keeps the reference texts (``text(ref_id)``)."""
        return self._store_texts

    @property
    def nbytes(self) -> int:
        """Bytes held by the index arrays and stored texts (not Python object overhead)."""
        arrays = self._current().arrays().values()
        return sum(array.nbytes for array in arrays) + sum(
            len(ref_id.encode("utf-8")) + 8 for ref_id in self._ref_ids
        )

    def add(self, ref_id: str, text: str) -> None:
        """Add one reference; ``ref_id`` must be a str not already in the index.

        >>> index = ReferenceIndex()
        >>> index.add("r1", "a fine of 500 euros")
        >>> len(index), "r1" in index
        (1, True)
        """
        ref_id = check_text(ref_id, "ref_id")
        text = check_text(text, "text")
        if ref_id in self._numbers:
            raise ValueError(f"ref_id {ref_id!r} is already in the index")
        shingles = shingle_hashes(tokenize(text).norms)
        with self._lock:
            if ref_id in self._numbers:  # added by another thread meanwhile
                raise ValueError(f"ref_id {ref_id!r} is already in the index")
            self._numbers[ref_id] = len(self._ref_ids)
            self._ref_ids.append(ref_id)
            self._pending_shingles.append(shingles)
            if self._store_texts:
                self._pending_texts.append(text)

    def text(self, ref_id: str) -> str:
        """The stored text of reference ``ref_id`` (KeyError if unknown).

        >>> ReferenceIndex([("r1", "a fine of 500 euros")]).text("r1")
        'a fine of 500 euros'
        """
        if not self._store_texts:
            raise ValueError(
                "this index was built with store_texts=False; look the text up in your own store"
            )
        number = self._numbers.get(ref_id)
        if number is None:
            raise KeyError(ref_id)
        snapshot = self._current()  # added before this call, so merged into it
        return _decode_string(snapshot.text_bytes, snapshot.text_offsets, number)

    def query(self, article: str, *, k: int = 5) -> list[Candidate]:
        """The ``k`` references sharing the most of ``article``'s shingles, best first.

        Only references sharing at least one shingle are returned, so the list may be
        shorter than ``k`` or empty. Ties in similarity go to the reference with fewer
        shingles (the closer in size), then to the one added first.

        >>> index = ReferenceIndex([("a", "one two three four"), ("b", "one two five six")])
        >>> [(c.ref_id, c.similarity) for c in index.query("one two three four", k=2)]
        [('a', 1.0), ('b', 0.3333333333333333)]
        """
        article = check_text(article, "article")
        k = check_positive_int(k, "k")
        return self.query_shingles(shingle_hashes(tokenize(article).norms), k=k)

    def query_shingles(self, shingles: np.ndarray, *, k: int) -> list[Candidate]:
        """``query`` for an article already turned into ``shingle_hashes`` (unique, sorted)."""
        snapshot = self._current()
        numbers, similarities = _scores(snapshot, shingles)
        if len(numbers) == 0:
            return []
        # Best first: higher similarity, then fewer shingles, then earlier added.
        order = np.lexsort((numbers, snapshot.shingle_counts[numbers], -similarities))[:k]
        return [
            Candidate(snapshot.ref_ids[number], float(similarity))
            for number, similarity in zip(
                numbers[order].tolist(), similarities[order].tolist()
            )
        ]

    def _current(self) -> _Snapshot:
        """The snapshot with every reference added so far merged in."""
        if self._pending_shingles:
            with self._lock:
                if self._pending_shingles:
                    self._snapshot = self._snapshot.merged(
                        self._ref_ids[len(self._snapshot.ref_ids) :],
                        self._pending_shingles,
                        self._pending_texts,
                    )
                    self._pending_shingles = []
                    self._pending_texts = []
        return self._snapshot

    def __getstate__(self) -> dict[str, Any]:
        # Pickling is for sending the index to Dask workers, never for files (see save).
        snapshot = self._current()
        return {
            "store_texts": self._store_texts,
            "ref_ids": list(snapshot.ref_ids),
            "arrays": snapshot.arrays(),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Arrays unpickled from out-of-band buffers (as Dask sends them) can sit at unaligned
        # addresses, and numpy's searchsorted then copies the whole key array on every call:
        # queries ran 100x slower on Dask workers. Copy such arrays once, here.
        arrays = {
            name: np.require(array, dtype=_ARRAY_DTYPES[name], requirements=["A", "C"])
            for name, array in state["arrays"].items()
        }
        self._restore(state["store_texts"], state["ref_ids"], arrays)

    def _restore(
        self, store_texts: bool, ref_ids: list[str], arrays: dict[str, np.ndarray]
    ) -> None:
        """Set up a new index (``__init__`` not run) holding ``ref_ids`` and their ``arrays``."""
        self._store_texts = store_texts
        self._ref_ids = ref_ids
        self._numbers = {ref_id: number for number, ref_id in enumerate(ref_ids)}
        self._snapshot = _Snapshot(ref_ids=tuple(ref_ids), **arrays)
        self._pending_shingles = []
        self._pending_texts = []
        self._lock = threading.Lock()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index to ``path`` as an ``.npz`` archive (no pickled objects).

        The archive holds a JSON header (format name and version, shingle settings) and
        plain numeric arrays; ``ReferenceIndex.load`` documents the layout and checks it.
        """
        snapshot = self._current()
        id_bytes, id_offsets = _encode_strings(snapshot.ref_ids)
        header = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "shingle_distances": list(SHINGLE_DISTANCES),
            "references": len(snapshot.ref_ids),
            "store_texts": self._store_texts,
        }
        arrays: dict[str, np.ndarray] = {
            "header": np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8),
            **snapshot.arrays(),
            "id_bytes": id_bytes,
            "id_offsets": id_offsets,
        }
        # A file object, so numpy does not append ".npz" to a path that lacks it.
        with open(check_path(path, "path"), "wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]  # numpy stubs mistype **kwds

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ReferenceIndex:
        """Read an index written by ``save``; ValueError if the file is not one.

        Nothing in the file is executed or trusted. It must be a regular file holding
        exactly the members ``save`` writes, stored uncompressed; each member's size and
        declared dtype and shape are checked against the file before anything is read, so
        a hostile file costs no more memory than its own size. Then the header, offsets,
        postings and the UTF-8 of ids and texts are checked before use; arrays are read with
        ``allow_pickle=False``. A directory raises IsADirectoryError, an unreadable file
        PermissionError.

        The file is an ``.npz`` (a zip of ``.npy`` arrays, each stored, not compressed),
        every array one-dimensional:

        - ``header`` (uint8): UTF-8 JSON ``{"format": FORMAT_NAME, "version":
          FORMAT_VERSION, "shingle_distances": [...], "references": n, "store_texts":
          bool}``; a file whose format, version or shingle settings differ is refused,
          since its hashes would match nothing.
        - ``keys`` (uint64) and ``postings`` (int32), parallel: one entry per (shingle,
          reference) pair, the shingle's hash (``shingle_hashes``) and the reference's
          number (insertion order), sorted by hash, then number, with no pair twice.
        - ``shingle_counts`` (int32): the number of distinct shingles of each reference (it
          breaks ties between equally similar references).
        - ``id_bytes`` (uint8) and ``id_offsets`` (int64, n + 1 entries from 0): the ids
          as UTF-8, one after another; id i is ``id_bytes[id_offsets[i]:id_offsets[i + 1]]``.
        - ``text_bytes`` and ``text_offsets``: the texts the same way, or empty (offsets
          ``[0]``) when the index was built with ``store_texts=False``.

        For example, "a fine of" and "a fine" share the shingle "a fine":

        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "index.npz")
        >>> ReferenceIndex([("r1", "a fine of"), ("r2", "a fine")]).save(path)
        >>> with np.load(path) as archive:
        ...     arrays = {name: archive[name] for name in archive.files}
        >>> sorted(arrays)  # doctest: +NORMALIZE_WHITESPACE
        ['header', 'id_bytes', 'id_offsets', 'keys', 'postings', 'shingle_counts',
         'text_bytes', 'text_offsets']
        >>> a_fine = shingle_hashes(["a", "fine"])[0]
        >>> int((arrays["keys"] == a_fine).sum()), arrays["shingle_counts"].tolist()
        (2, [2, 1])
        >>> arrays["id_bytes"].tobytes(), arrays["id_offsets"].tolist()
        (b'r1r2', [0, 2, 4])
        >>> arrays["text_bytes"].tobytes(), arrays["text_offsets"].tolist()
        (b'a fine ofa fine', [0, 9, 15])
        >>> ReferenceIndex.load(path).query("a fine", k=2)
        [Candidate(ref_id='r2', similarity=1.0), Candidate(ref_id='r1', similarity=1.0)]
        """
        name = check_path(path, "path")
        try:
            handle = open_input(name, pipes=False, devices=False)
        except FileNotFoundError:
            raise FileNotFoundError(f"{name}: no such index file") from None
        except RefusedInput as error:
            raise ValueError(f"{name}: not a spindetect index file ({error})") from None
        with handle:
            arrays = _read_archive(name, handle)
        header = _check_header(name, arrays.pop("header"))
        references, store_texts = header["references"], header["store_texts"]
        _check_arrays(name, arrays, references, store_texts)
        ref_ids = [
            _decode_string(arrays["id_bytes"], arrays["id_offsets"], number)
            for number in range(references)
        ]
        if len(set(ref_ids)) != len(ref_ids):
            raise ValueError(f"{name}: corrupted index file (duplicate reference ids)")
        index = cls.__new__(cls)
        index._restore(store_texts, ref_ids, {key: arrays[key] for key in _SNAPSHOT_ARRAYS})
        return index


def _scores(snapshot: _Snapshot, shingles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reference numbers sharing a shingle with the article, and their similarities."""
    empty = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    if len(shingles) == 0 or len(snapshot.keys) == 0:
        return empty
    starts = np.searchsorted(snapshot.keys, shingles, side="left")
    lengths = np.searchsorted(snapshot.keys, shingles, side="right") - starts
    common = lengths > MAX_SHINGLE_REFERENCES
    counted = len(shingles) - int(np.count_nonzero(common))
    lengths[common] = 0
    total = int(lengths.sum())
    if total == 0 or counted == 0:
        return empty
    # Gather postings[starts[i]:starts[i] + lengths[i]] for every shingle at once.
    used = lengths > 0
    starts, lengths = starts[used], lengths[used]
    positions = range_indices(starts, starts + lengths)[0]
    numbers, counts = np.unique(snapshot.postings[positions], return_counts=True)
    return numbers.astype(np.int64), counts.astype(np.float64) / counted


# The members an index file holds, as np.savez names them, and the dtype of each.
_MEMBER_DTYPES = {f"{key}.npy": np.dtype(dtype) for key, dtype in _ARRAY_DTYPES.items()}
_MEMBER_DTYPES["header.npy"] = np.dtype(np.uint8)
# The JSON header written by save is about 150 bytes.
MAX_HEADER_BYTES = 64 * 2**10
# The end of a ZIP archive: its central directory's entry count and size (APPNOTE 4.3.16).
# An index's directory lists 8 members in under 1 KiB; one far larger is refused unread.
_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_MAX_DIRECTORY_ENTRIES = 64
_MAX_DIRECTORY_BYTES = 64 * 2**10


def _read_archive(name: str, handle: BinaryIO) -> dict[str, np.ndarray]:
    """The arrays of the index file open in ``handle``, by key ("header", "keys", ...).

    Before anything is read, the archive's directory, member names, compression, sizes and
    each member's declared dtype and shape are checked; nothing is unpickled.
    """
    if handle.read(2) != b"PK":
        raise ValueError(
            f"{name}: not a spindetect index file (not an .npz archive); "
            "build one with `spindetect index build`"
        )
    try:
        _check_directory(name, handle)
        with zipfile.ZipFile(handle) as archive:
            members = _check_members(name, archive)
            for info in members:
                _check_layout(name, archive, info)
            _check_complete(name, members)
            return {info.filename[: -len(".npy")]: _read_data(archive, info) for info in members}
    except (OSError, EOFError, zipfile.BadZipFile, struct.error) as error:
        raise ValueError(f"{name}: corrupted index file ({error})") from None


def _check_directory(name: str, handle: BinaryIO) -> None:
    """ValueError unless the archive ends with a central directory small enough for the
    members an index has: a huge one would be read whole by ``zipfile``."""
    size = handle.seek(0, os.SEEK_END)
    handle.seek(max(0, size - _END_OF_DIRECTORY.size - 0xFFFF))  # the end and its comment
    tail = handle.read()
    found = tail.rfind(_END_SIGNATURE)
    if found < 0 or found + _END_OF_DIRECTORY.size > len(tail):
        raise ValueError(f"{name}: corrupted index file (no ZIP directory at its end)")
    entries, directory_bytes = _END_OF_DIRECTORY.unpack_from(tail, found)[4:6]
    if entries > _MAX_DIRECTORY_ENTRIES or directory_bytes > _MAX_DIRECTORY_BYTES:
        raise ValueError(
            f"{name}: not a spindetect index file ({entries:,} members in a directory of "
            f"{directory_bytes:,} bytes)"
        )
    handle.seek(0)


def _check_members(name: str, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's members, after checking they are the ones ``save`` writes, stored."""
    members = archive.infolist()
    names = [info.filename for info in members]
    if "header.npy" not in names:
        raise ValueError(f"{name}: not a spindetect index file (no spindetect header)")
    unknown = sorted(set(names) - _MEMBER_DTYPES.keys())
    if unknown:
        raise ValueError(f"{name}: not a spindetect index file (it holds {unknown[0]!r})")
    if len(set(names)) != len(names):
        raise ValueError(f"{name}: corrupted index file (a member is repeated)")
    for info in members:
        if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
            raise ValueError(
                f"{name}: corrupted index file ({info.filename} is compressed; "
                "spindetect writes its members stored)"
            )
    header = members[names.index("header.npy")]
    if header.file_size > MAX_HEADER_BYTES:
        raise ValueError(f"{name}: corrupted index file (a header of {header.file_size:,} bytes)")
    return members


def _check_layout(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """ValueError unless a member's .npy header declares the dtype its key needs, one
    dimension, and as many values as its size holds; nothing past the header is read."""
    key, expected = info.filename[: -len(".npy")], _MEMBER_DTYPES[info.filename]
    with archive.open(info) as member:
        try:
            version = np.lib.format.read_magic(member)
            if version not in ((1, 0), (2, 0)):
                raise ValueError(f"array format version {version}")
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0) else np.lib.format.read_array_header_2_0
            )
            shape, _, dtype = read_header(member)
        except ValueError as error:
            raise ValueError(f"{name}: corrupted index file ({key}: {error})") from None
        data_bytes = info.file_size - member.tell()
    if dtype.hasobject:
        raise ValueError(
            f"{name}: not a spindetect index file (it holds pickled objects, which are never loaded)"
        )
    if dtype != expected or len(shape) != 1:
        raise ValueError(
            f"{name}: corrupted index file (array {key!r} is {dtype}[{len(shape)}d], "
            f"expected {expected})"
        )
    if shape[0] * dtype.itemsize != data_bytes:
        raise ValueError(
            f"{name}: corrupted index file (array {key!r} declares {shape[0]:,} values "
            f"in {data_bytes:,} bytes)"
        )


def _read_data(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    """A member's array (its layout already checked), never unpickling anything."""
    with archive.open(info) as member:
        array: np.ndarray = np.lib.format.read_array(member, allow_pickle=False)
    return array


def _check_complete(name: str, members: list[zipfile.ZipInfo]) -> None:
    missing = sorted(_MEMBER_DTYPES.keys() - {info.filename for info in members})
    if missing:
        raise ValueError(f"{name}: corrupted index file (missing array {missing[0][:-4]!r})")


def _check_header(name: str, header_array: np.ndarray) -> dict[str, Any]:
    """The JSON header of an index file, checked; "references" is an int, "store_texts" a bool."""
    data = header_array.tobytes()
    if json_too_deep(data):
        raise ValueError(f"{name}: corrupted index file (unreadable header)")
    try:
        header = json.loads(data.decode("utf-8"))
    except ValueError:  # not UTF-8, not JSON, or a number past what int() converts
        raise ValueError(f"{name}: corrupted index file (unreadable header)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise ValueError(f"{name}: not a spindetect index file (header names another format)")
    if header.get("version") != FORMAT_VERSION:
        raise ValueError(
            f"{name}: index format version {header.get('version')!r}, but this spindetect "
            f"reads version {FORMAT_VERSION}; rebuild it with `spindetect index build`"
        )
    if header.get("shingle_distances") != list(SHINGLE_DISTANCES):
        raise ValueError(f"{name}: index built with other shingle settings; rebuild it")
    references = header.get("references")
    if isinstance(references, bool) or not isinstance(references, int) or references < 0:
        raise ValueError(f"{name}: corrupted index file (bad reference count in header)")
    if not isinstance(header.get("store_texts"), bool):
        raise ValueError(f"{name}: corrupted index file (bad store_texts in header)")
    return header


def _check_arrays(
    name: str, arrays: dict[str, np.ndarray], references: int, store_texts: bool
) -> None:
    """Raise ValueError unless the arrays (dtypes already checked) are consistent enough to
    query safely: postings sorted, in range and counted per reference as the counts say;
    ids and texts cut at character boundaries of valid UTF-8."""

    def corrupted(what: str) -> ValueError:
        return ValueError(f"{name}: corrupted index file ({what})")

    keys, postings = arrays["keys"], arrays["postings"]
    if len(keys) != len(postings):
        raise corrupted("shingle keys and postings differ in length")
    if len(postings) and (postings.min() < 0 or postings.max() >= references):
        raise corrupted("a posting names a reference that is not in the index")
    # Sorted by (key, reference) with no repeats: a repeat would count a shared shingle twice
    # and push a similarity over 1.
    same_key = keys[1:] == keys[:-1]
    if np.any(keys[1:] < keys[:-1]) or np.any(same_key & (postings[1:] <= postings[:-1])):
        raise corrupted("shingle keys are not sorted or a shingle lists a reference twice")
    if len(arrays["shingle_counts"]) != references:
        raise corrupted("shingle counts do not match the reference count")
    if not np.array_equal(np.bincount(postings, minlength=references), arrays["shingle_counts"]):
        raise corrupted("shingle counts do not match the postings")
    for prefix, expected in (("id", references), ("text", references if store_texts else 0)):
        data, string_offsets = arrays[f"{prefix}_bytes"], arrays[f"{prefix}_offsets"]
        if (
            len(string_offsets) != expected + 1
            or string_offsets[0] != 0
            or string_offsets[-1] != len(data)
            or np.any(np.diff(string_offsets) < 0)
        ):
            raise corrupted(f"{prefix} offsets do not match the stored {prefix}s")
        if not _utf8_strings(data, string_offsets):
            raise corrupted(f"{prefix}s are not UTF-8")


# Bytes of stored text decoded at a time when checking it is UTF-8.
_UTF8_CHUNK = 16 * 2**20


def _utf8_strings(data: np.ndarray, offsets: np.ndarray) -> bool:
    """Whether each string ``data[offsets[i]:offsets[i + 1]]`` is valid UTF-8: the whole is,
    a chunk at a time, and no string starts inside a character (on a continuation byte)."""
    starts = offsets[:-1][offsets[:-1] < len(data)]
    if np.any((data[starts] & 0xC0) == 0x80):
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for low in range(0, len(data), _UTF8_CHUNK):
            decoder.decode(data[low : low + _UTF8_CHUNK].tobytes())
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
