from __future__ import annotations

import io
import json
import os
import pickle
import random
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spindetect.index as index_module
from spindetect import Candidate, ReferenceIndex
from spindetect.index import FORMAT_VERSION, SHINGLE_DISTANCES, shingle_hashes
from spindetect.index_py import query_py, shingles_py
from spindetect.tokenize import tokenize

# Small generated texts: references over a made-up vocabulary, and a spin that swaps one
# word in six, drops 30% of the passages and shuffles the rest.


def make_reference(rng: np.random.Generator, passages: int = 10) -> str:
    return "\n\n".join(
        " ".join(f"w{word}" for word in rng.integers(0, 3_000, size=25)) for _ in range(passages)
    )


def spin_text(text: str, rng: np.random.Generator) -> str:
    passages = text.split("\n\n")
    kept = rng.permutation(len(passages))[: round(len(passages) * 0.7)]
    spun = []
    for number in kept:
        words = passages[number].split()
        for position in np.flatnonzero(rng.random(len(words)) < 1 / 6):
            words[position] = f"s{rng.integers(0, 3_000)}"
        spun.append(" ".join(words))
    return "\n\n".join(spun)


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    rng = np.random.default_rng(7)
    return [(f"ref{number}", make_reference(rng)) for number in range(200)]


@pytest.fixture(scope="module")
def corpus_index(corpus) -> ReferenceIndex:
    return ReferenceIndex(corpus)


def test_spun_articles_find_their_source_first(corpus, corpus_index):
    rng = np.random.default_rng(8)
    for number in range(0, 200, 10):
        article = spin_text(corpus[number][1], rng)
        best = corpus_index.query(article, k=3)
        assert best[0].ref_id == f"ref{number}"
        assert 0.3 < best[0].similarity <= 1.0
        assert len(best) < 2 or best[1].similarity < 0.1


def test_a_reference_queried_against_itself_has_similarity_one(corpus, corpus_index):
    assert corpus_index.query(corpus[3][1], k=1) == [Candidate("ref3", 1.0)]


def test_candidates_are_best_first_and_at_most_k():
    index = ReferenceIndex(
        [("half", "a b c d x y z"), ("all", "a b c d e f"), ("none", "p q r s")]
    )
    candidates = index.query("a b c d e f", k=5)
    assert [candidate.ref_id for candidate in candidates] == ["all", "half"]
    assert candidates[0].similarity == 1.0
    assert candidates[1].similarity == pytest.approx(3 / 5)  # "a b", "b c", "c d" of 5 pairs
    assert index.query("a b c d e f", k=1) == candidates[:1]


def test_ties_go_to_the_smaller_reference_then_the_first_added():
    index = ReferenceIndex(
        [("long", "one two three four five six"), ("short", "one two three"), ("copy", "one two three")]
    )
    assert [c.ref_id for c in index.query("one two three", k=3)] == ["short", "copy", "long"]


def test_texts_shorter_than_two_tokens_match_nothing():
    index = ReferenceIndex([("r", "one two three")])
    assert index.query("one", k=1) == []
    assert index.query("", k=1) == []
    assert ReferenceIndex().query("one two three") == []


def test_queries_see_through_every_invisible_character(invisible_characters: list[str]):
    reference = "The court imposed a fine of 500,000 euros on the company"
    index = ReferenceIndex([("court", reference), ("rain", "Rain is expected in the north.")])
    for character in invisible_characters:
        hidden = " ".join(word[0] + character + word[1:] for word in reference.split())
        assert index.query(hidden) == [Candidate("court", 1.0)]


def test_shingles_see_through_case_and_punctuation():
    assert np.array_equal(
        shingle_hashes(tokenize("The FINE, of 500 euros!").norms),
        shingle_hashes(tokenize("the fine of 500 euros").norms),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "fine", "nice", "été", "500"]), max_size=12))
def test_shingle_hashes_equal_the_plain_python_version(words):
    hashes = shingle_hashes(words)
    assert hashes.dtype == np.uint64
    assert hashes.tolist() == sorted(shingles_py(words))


def test_shingle_hashes_are_pinned():
    # Saved indexes hold these values: if this fails, bump FORMAT_VERSION.
    assert [hex(value) for value in shingle_hashes(["a", "fine", "of"]).tolist()] == [
        "0x8e9e31308a21934b", "0xd25c3a25edf0f6b7"
    ]


def test_shingle_hashes_do_not_depend_on_the_hash_seed():
    code = (
        "from spindetect.index import shingle_hashes;"
        "print(shingle_hashes(['a', 'fine', 'of', 'euros']).tolist())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


_words = st.sampled_from(["a", "b", "c", "d", "e", "f"])
_texts = st.lists(_words, max_size=10).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    references=st.lists(_texts, min_size=1, max_size=6),
    article=_texts,
    k=st.integers(1, 7),
    max_references=st.sampled_from([1, 2, 1_000]),
)
def test_query_equals_the_plain_python_version(references, article, k, max_references):
    pairs = [(f"r{number}", text) for number, text in enumerate(references)]
    expected = query_py(pairs, article, k=k, max_references=max_references)
    original = index_module.MAX_SHINGLE_REFERENCES
    index_module.MAX_SHINGLE_REFERENCES = max_references
    try:
        found = ReferenceIndex(pairs).query(article, k=k)
    finally:
        index_module.MAX_SHINGLE_REFERENCES = original
    assert [(c.ref_id, c.similarity) for c in found] == expected
    assert all(0.0 < c.similarity <= 1.0 for c in found)


def test_common_shingles_are_skipped(monkeypatch):
    references = [(f"r{n}", f"of the thing{n} here{n}") for n in range(5)]
    monkeypatch.setattr(index_module, "MAX_SHINGLE_REFERENCES", 3)
    index = ReferenceIndex(references)
    # "of the" is in all five references: it counts for nobody, so no candidate shares it.
    assert index.query("of the", k=5) == []
    assert [c.ref_id for c in index.query("of the thing2 here2", k=5)] == ["r2"]
    assert index.query("of the thing2 here2", k=1)[0].similarity == 1.0


def test_adding_after_a_query_merges_the_new_references(corpus):
    index = ReferenceIndex(corpus[:50])
    assert all(candidate.similarity < 0.05 for candidate in index.query(corpus[60][1], k=3))
    index.add(*corpus[60])
    assert index.query(corpus[60][1], k=1) == [Candidate("ref60", 1.0)]
    assert index.query(corpus[10][1], k=1) == [Candidate("ref10", 1.0)]
    assert len(index) == 51 and "ref60" in index and index.ref_ids[-1] == "ref60"


def test_readers_never_see_a_half_added_reference():
    # One thread adds 2,500 references while four query those already added: each query
    # must find its reference whole (similarity 1.0) and its stored text, never new keys
    # with old postings or an IndexError.
    def text_of(number: int) -> str:
        return f"reference {number} says w{number}a w{number}b w{number}c w{number}d"

    index = ReferenceIndex([("r0", text_of(0))])
    added = [0]
    problems: list[object] = []
    writing = threading.Event()
    writing.set()

    def writer() -> None:
        try:
            for number in range(1, 2_500):
                index.add(f"r{number}", text_of(number))
                added.append(number)
        finally:
            writing.clear()

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        try:
            while writing.is_set() and not problems:
                number = added[rng.randrange(len(added))]
                found = index.query(text_of(number), k=1)
                if found != [Candidate(f"r{number}", 1.0)] or index.text(f"r{number}") != text_of(number):
                    problems.append((number, found))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            problems.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=writer)]
        threads += [threading.Thread(target=reader, args=(seed,)) for seed in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert problems == []
    assert len(index) == 2_500
    assert index.query(text_of(2_499), k=1) == [Candidate("r2499", 1.0)]


def test_index_arrays_are_read_only():
    index = ReferenceIndex([("a", "one two three")])
    index.query("one two")
    with pytest.raises(ValueError, match="read-only"):
        index._snapshot.keys[0] = 0


def test_text_returns_the_stored_reference(corpus, corpus_index):
    assert corpus_index.text("ref42") == corpus[42][1]
    with pytest.raises(KeyError):
        corpus_index.text("missing")


def test_without_stored_texts_text_is_refused_and_memory_is_smaller(corpus, corpus_index):
    index = ReferenceIndex(corpus, store_texts=False)
    assert not index.stores_texts
    assert index.query(corpus[5][1], k=1) == [Candidate("ref5", 1.0)]
    with pytest.raises(ValueError, match="store_texts=False"):
        index.text("ref5")
    text_bytes = sum(len(text) for _, text in corpus)
    assert index.nbytes < corpus_index.nbytes - text_bytes + 100


def test_nbytes_counts_twelve_bytes_per_posting_plus_texts():
    index = ReferenceIndex([("r", "one two three")])  # 2 pairs
    assert index.nbytes == 2 * 12 + 4 + len("one two three") + 16 + len("r") + 8


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda index: index.add(1, "text"), TypeError, "ref_id must be str, got int"),
        (lambda index: index.add("r", b"text"), TypeError, "text must be str, got bytes; decode"),
        (lambda index: index.add("r", None), TypeError, "text must be str, got NoneType"),
        (lambda index: index.add("r0", "again"), ValueError, "'r0' is already in the index"),
        (lambda index: index.query(b"x"), TypeError, "article must be str, got bytes"),
        (lambda index: index.query("x", k=0), ValueError, "k must be at least 1, got 0"),
        (lambda index: index.query("x", k=1.5), TypeError, "k must be an int, got float"),
        (lambda index: index.query("x", k=True), TypeError, "k must be an int, got bool"),
    ],
)
def test_bad_arguments_name_the_argument(call, error, message):
    index = ReferenceIndex([("r0", "some text")])
    with pytest.raises(error, match=message):
        call(index)


def test_add_refuses_a_lone_surrogate_that_save_could_not_write():
    index = ReferenceIndex()
    with pytest.raises(ValueError, match=r"ref_id holds a lone surrogate \(U\+D800 at 1\)"):
        index.add("r\ud800", "one two")
    with pytest.raises(ValueError, match=r"text holds a lone surrogate \(U\+DFFF at 3\)"):
        index.add("r", "one\udfff two")
    assert len(index) == 0
    # Not text at all, stored or not (as compare and screen refuse it).
    without_texts = ReferenceIndex(store_texts=False)
    with pytest.raises(ValueError, match=r"text holds a lone surrogate \(U\+DFFF at 3\)"):
        without_texts.add("r", "one\udfff two three")
    assert len(without_texts) == 0


def test_bad_constructor_arguments():
    with pytest.raises(TypeError, match="got a string"):
        ReferenceIndex("not pairs")
    with pytest.raises(TypeError, match=r"references\[0\] must be a pair of str \(ref_id, text\)"):
        ReferenceIndex(["r"])
    with pytest.raises(TypeError, match="store_texts must be a bool"):
        ReferenceIndex(store_texts=1)


def test_save_and_load_give_the_same_answers(tmp_path, corpus, corpus_index):
    path = tmp_path / "index.bin"  # any name: no ".npz" is appended
    corpus_index.save(path)
    loaded = ReferenceIndex.load(path)
    assert len(loaded) == len(corpus_index) and loaded.ref_ids == corpus_index.ref_ids
    rng = np.random.default_rng(3)
    for number in (0, 57, 199):
        article = spin_text(corpus[number][1], rng)
        assert loaded.query(article, k=5) == corpus_index.query(article, k=5)
    assert loaded.text("ref57") == corpus[57][1]
    assert loaded.nbytes == corpus_index.nbytes
    loaded.add("new", "a brand new reference text")
    assert loaded.query("a brand new reference text", k=1) == [Candidate("new", 1.0)]
    with pytest.raises(ValueError, match="already in the index"):
        loaded.add("ref1", "duplicate id")


def test_save_and_load_without_texts_and_empty(tmp_path):
    for index in (ReferenceIndex(), ReferenceIndex([("é", "ünïcode ids work")], store_texts=False)):
        index.save(tmp_path / "index.npz")
        loaded = ReferenceIndex.load(tmp_path / "index.npz")
        assert loaded.ref_ids == index.ref_ids
        assert loaded.stores_texts == index.stores_texts


def test_pickling_for_dask_workers_keeps_the_answers(corpus, corpus_index):
    copy = pickle.loads(pickle.dumps(corpus_index))
    assert copy.query(corpus[9][1], k=2) == corpus_index.query(corpus[9][1], k=2)
    with pytest.raises(ValueError, match="already in the index"):
        copy.add("ref9", "x")


def test_unpickled_unaligned_arrays_are_realigned(corpus, corpus_index):
    # Dask hands arrays over in out-of-band buffers that may start at any byte.
    state = corpus_index.__getstate__()
    keys = state["arrays"]["keys"]
    unaligned = np.zeros(len(keys) * 8 + 1, dtype=np.uint8)[1:].view(np.uint64)
    unaligned[:] = keys
    assert not unaligned.flags.aligned
    copy = ReferenceIndex.__new__(ReferenceIndex)
    copy.__setstate__({**state, "arrays": {**state["arrays"], "keys": unaligned}})
    assert copy._snapshot.keys.flags.aligned and copy._snapshot.keys.dtype == np.uint64
    assert copy.query(corpus[4][1], k=3) == corpus_index.query(corpus[4][1], k=3)


# Corrupted and foreign files: a clear ValueError, never code execution.


def _archive(tmp_path: Path, **arrays: np.ndarray) -> Path:
    path = tmp_path / "index.npz"
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    return path


def _saved_arrays(tmp_path: Path) -> dict[str, np.ndarray]:
    ReferenceIndex([("a", "one two three"), ("b", "four five six")]).save(tmp_path / "good.npz")
    with np.load(tmp_path / "good.npz") as archive:
        return {key: archive[key] for key in archive.files}


def _header(**changes: object) -> np.ndarray:
    header = {
        "format": "spindetect.ReferenceIndex", "version": FORMAT_VERSION,
        "shingle_distances": list(SHINGLE_DISTANCES), "references": 2, "store_texts": True,
    }
    header.update(changes)
    return np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)


def test_load_refuses_a_text_file(tmp_path):
    path = tmp_path / "refs.jsonl"
    path.write_text('{"id": "a", "text": "b"}\n')
    with pytest.raises(ValueError, match=r"refs.jsonl: not a spindetect index file \(not an .npz"):
        ReferenceIndex.load(path)


def test_load_refuses_a_pickle_without_running_it(tmp_path):
    marker = tmp_path / "executed"

    class Exploit:
        def __reduce__(self):
            return (Path.touch, (marker,))

    # A .npz whose member is an object array: loading it would unpickle Exploit.
    path = tmp_path / "evil.npz"
    with zipfile.ZipFile(path, "w") as archive:
        member = io.BytesIO()
        np.save(member, np.array([Exploit()], dtype=object), allow_pickle=True)
        archive.writestr("header.npy", member.getvalue())
    with pytest.raises(ValueError, match="pickled objects, which are never loaded"):
        ReferenceIndex.load(path)
    plain_pickle = tmp_path / "evil.pkl"
    plain_pickle.write_bytes(pickle.dumps(Exploit()))
    with pytest.raises(ValueError, match="not a spindetect index file"):
        ReferenceIndex.load(plain_pickle)
    assert not marker.exists()


def test_load_refuses_a_truncated_file(tmp_path):
    ReferenceIndex([("a", "one two three")]).save(tmp_path / "index.npz")
    data = (tmp_path / "index.npz").read_bytes()
    (tmp_path / "index.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="corrupted index file"):
        ReferenceIndex.load(tmp_path / "index.npz")


def test_load_refuses_a_foreign_npz(tmp_path):
    path = _archive(tmp_path, weights=np.zeros(3, dtype=np.float64))
    with pytest.raises(ValueError, match="not a spindetect index file .no spindetect header"):
        ReferenceIndex.load(path)


@pytest.mark.parametrize(
    "header, message",
    [
        (_header(version=FORMAT_VERSION + 1), "format version 2, but this spindetect reads version 1"),
        (_header(format="other"), "header names another format"),
        (_header(shingle_distances=[1, 5]), "other shingle settings"),
        (_header(references=-1), "bad reference count"),
        (np.frombuffer(b"\xff{", dtype=np.uint8), "unreadable header"),
    ],
)
def test_load_checks_the_header(tmp_path, header, message):
    arrays = _saved_arrays(tmp_path)
    arrays["header"] = header
    with pytest.raises(ValueError, match=message):
        ReferenceIndex.load(_archive(tmp_path, **arrays))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda a: a.pop("postings"), "missing array 'postings'"),
        (lambda a: a.update(postings=a["postings"].astype(np.int64)), "'postings' is int64"),
        (lambda a: a.update(postings=a["postings"] + 5), "names a reference that is not"),
        (lambda a: a.update(keys=a["keys"][::-1].copy()), "not sorted"),
        (lambda a: a.update(postings=a["postings"][:-1]), "differ in length"),
        (lambda a: a.update(shingle_counts=a["shingle_counts"][:1]), "shingle counts"),
        (lambda a: a.update(id_offsets=a["id_offsets"] + 1), "id offsets"),
        (lambda a: a.update(text_offsets=a["text_offsets"][:2]), "text offsets"),
        (lambda a: a.update(text_bytes=np.frombuffer(b"\xff" * len(a["text_bytes"]), dtype=np.uint8)),
         "texts are not UTF-8"),
        # "é" split between two texts: each half is invalid, though the whole is not.
        (lambda a: a.update(text_bytes=np.frombuffer("one two thré".encode() + "four five six".encode(), dtype=np.uint8),
                            text_offsets=np.array([0, 12, 26], dtype=np.int64)), "texts are not UTF-8"),
        (lambda a: a.update(id_bytes=np.frombuffer(b"\xc3\xa9", dtype=np.uint8),
                            id_offsets=np.array([0, 1, 2], dtype=np.int64)), "ids are not UTF-8"),
        (lambda a: a.update(shingle_counts=a["shingle_counts"][::-1].copy() + np.array([1, -1], dtype=np.int32)),
         "shingle counts do not match the postings"),
    ],
)
def test_load_checks_the_arrays(tmp_path, change, message):
    arrays = _saved_arrays(tmp_path)
    change(arrays)
    with pytest.raises(ValueError, match=message):
        ReferenceIndex.load(_archive(tmp_path, **arrays))


def test_load_refuses_a_repeated_posting(tmp_path):
    arrays = _saved_arrays(tmp_path)
    keys, postings = arrays["keys"], arrays["postings"]
    arrays["keys"] = np.insert(keys, 0, keys[0])
    arrays["postings"] = np.insert(postings, 0, postings[0])
    with pytest.raises(ValueError, match="lists a reference twice"):
        ReferenceIndex.load(_archive(tmp_path, **arrays))


def test_load_of_a_missing_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.npz: no such index file"):
        ReferenceIndex.load(tmp_path / "nothing.npz")


# Hostile files: refused from their sizes and names before their contents are read.


def _npy(array: np.ndarray, *, shape: tuple[int, ...] | None = None) -> bytes:
    """The .npy bytes of ``array``, with its header declaring ``shape`` instead if given."""
    header = {"descr": np.lib.format.dtype_to_descr(array.dtype), "fortran_order": False,
              "shape": shape if shape is not None else array.shape}
    out = io.BytesIO()
    np.lib.format.write_array_header_1_0(out, header)
    return out.getvalue() + array.tobytes()


def _zip(path: Path, members: dict[str, bytes], *, compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def _good_members(tmp_path: Path) -> dict[str, bytes]:
    return {f"{key}.npy": _npy(array) for key, array in _saved_arrays(tmp_path).items()}


def test_load_refuses_an_extra_member_without_reading_it(tmp_path):
    members = _good_members(tmp_path)
    members["padding.npy"] = _npy(np.zeros(1 << 20, dtype=np.uint8))
    path = _zip(tmp_path / "extra.npz", members, compression=zipfile.ZIP_DEFLATED)
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def recording_open(archive, member, *args, **kwargs):
        opened.append(getattr(member, "filename", member))
        return real_open(archive, member, *args, **kwargs)

    with mock.patch.object(zipfile.ZipFile, "open", recording_open):
        with pytest.raises(ValueError, match=r"not a spindetect index file \(it holds 'padding.npy'\)"):
            ReferenceIndex.load(path)
    assert opened == []


def test_load_refuses_compressed_members(tmp_path):
    path = _zip(tmp_path / "deflated.npz", _good_members(tmp_path), compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(ValueError, match="is compressed; spindetect writes its members stored"):
        ReferenceIndex.load(path)


def test_load_refuses_a_declared_shape_its_size_cannot_hold(tmp_path):
    members = _good_members(tmp_path)
    keys = _saved_arrays(tmp_path)["keys"]
    members["keys.npy"] = _npy(keys, shape=(10**13,))
    with pytest.raises(ValueError, match=rf"array 'keys' declares 10,000,000,000,000 values in {8 * len(keys)} bytes"):
        ReferenceIndex.load(_zip(tmp_path / "shape.npz", members))


@pytest.mark.parametrize(
    "header, message",
    [
        (b"[" * 60_000 + b"]" * 4_000, "unreadable header"),  # nested deeper than any JSON parser recurses
        (b"[" * 100_000, "a header of 100,1.. bytes"),
        (b'{"references": ' + b"9" * 5_000 + b"}", "unreadable header"),  # past int()
    ],
)
def test_load_refuses_a_hostile_header(tmp_path, header, message):
    members = _good_members(tmp_path)
    members["header.npy"] = _npy(np.frombuffer(header, dtype=np.uint8))
    with pytest.raises(ValueError, match=message):
        ReferenceIndex.load(_zip(tmp_path / "header.npz", members))


def test_load_refuses_what_is_not_a_regular_file_without_reading_it(tmp_path):
    sparse = tmp_path / "sparse.npz"
    with open(sparse, "wb") as handle:
        handle.write(b"PK")
        handle.truncate(3 * 2**30)  # 3 GiB of zeros that take no disk space
    with pytest.raises(ValueError, match="sparse.npz: corrupted index file .no ZIP directory at its end."):
        ReferenceIndex.load(sparse)
    for device in ("/dev/zero", "/dev/urandom"):
        with pytest.raises(ValueError, match=f"{device}: not a spindetect index file .a character device, expected a regular file."):
            ReferenceIndex.load(device)
    os.mkfifo(tmp_path / "pipe.npz")
    with pytest.raises(ValueError, match="a named pipe, expected a regular file"):
        ReferenceIndex.load(tmp_path / "pipe.npz")
    with pytest.raises(IsADirectoryError):
        ReferenceIndex.load(tmp_path)


def test_load_refuses_an_archive_with_a_huge_directory(tmp_path):
    members = {f"m{number}.npy": b"" for number in range(100)}
    with pytest.raises(ValueError, match=r"not a spindetect index file \(100 members in a directory of"):
        ReferenceIndex.load(_zip(tmp_path / "many.npz", members))
