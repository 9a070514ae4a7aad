#!/usr/bin/env python3
"""Build ``src/spindetect/data/bigrams.table``: how often English word pairs and words occur.

Source: the two frequency lists shipped in the PyPI wheel ``symspellpy-6.10.1`` (MIT; the
lists come from Wolf Garbe's SymSpell): ``frequency_bigramdictionary_en_243_342.txt``
(242,342 lines ``left right count``) and ``frequency_dictionary_en_82_765.txt`` (82,834 lines
``word count``), counts from the Google Books Ngram data (CC BY 3.0), the word list filtered
by SCOWL. The wheel is fetched at build time with
``pip download --no-deps --only-binary :all: symspellpy==6.10.1`` (or given by ``--wheel``)
and checked against pinned sha256s; nothing is downloaded by the package at run time.

Output: a mapped table (format version ``FORMAT_VERSION``; ``spindetect.bigrams`` reads it
and documents the layout): the sorted words as a string index (a word's id is its row), the
counts per word id and per pair, and the sorted pair keys ``left id << 32 | right id``.
Counts are kept to 1/16 of a doubling (within 2.2%), which is all a rarity signal needs.
The section of ``data/LICENSES.md`` that names the sources is written
too. Usage::

    python scripts/build_bigrams.py            # (re)build into src/spindetect/data
    python scripts/build_bigrams.py --check    # rebuild in a temp dir, compare with the shipped files
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shipped_file import write_or_check_table_and_section  # noqa: E402

from spindetect._tables import string_index_arrays, write_table  # noqa: E402
from spindetect.bigrams import FORMAT_VERSION  # noqa: E402

#: Counts are kept as 2 ** (round(COUNT_STEPS * log2(count)) / COUNT_STEPS).
COUNT_STEPS = 16

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "spindetect" / "data"
WHEEL = "symspellpy-6.10.1-py3-none-any.whl"
WHEEL_SHA256 = "a653a6c125839a21ada87c3e044d690fc3b39872efbd7b7270db3de9471315e1"
BIGRAM_MEMBER = "symspellpy/frequency_bigramdictionary_en_243_342.txt"
BIGRAM_SHA256 = "fd892a160184101dd7ae807ac5a302d01fcea1c47304181a8ed7ed9c94545bcd"
UNIGRAM_MEMBER = "symspellpy/frequency_dictionary_en_82_765.txt"
UNIGRAM_SHA256 = "68e9dc81c7e73bd7310b57e516ecaea0d8b6387ff71344a57c04174650a407a7"


def download_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "-d", str(folder), "symspellpy==6.10.1"],
        check=True, capture_output=True,
    )
    return folder / WHEEL


def read_member(archive: zipfile.ZipFile, name: str, sha256: str) -> list[list[str]]:
    """The whitespace-split lines of one list in the wheel, after checking its sha256."""
    raw = archive.read(name)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{name}: sha256 {digest} != pinned {sha256}")
    return [line.split() for line in raw.decode("ascii").splitlines() if line.strip()]


def rounded_counts(counts: list[int]) -> np.ndarray:
    """Counts rounded to 1/COUNT_STEPS of a doubling (int64): 2 ** (code / COUNT_STEPS) for the
    code round(COUNT_STEPS * log2(count)), which is all a rarity signal needs."""
    log_counts = np.log2(np.array(counts, dtype=np.float64))
    codes = np.round(COUNT_STEPS * log_counts).astype(np.uint16)
    return np.rint(np.exp2(codes.astype(np.float64) / float(COUNT_STEPS))).astype(np.int64)


def build_arrays(wheel: Path) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """The arrays of ``bigrams.table`` and the figures LICENSES.md gives."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel}: sha256 {digest} != pinned {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as archive:
        bigram_lines = read_member(archive, BIGRAM_MEMBER, BIGRAM_SHA256)
        unigram_lines = read_member(archive, UNIGRAM_MEMBER, UNIGRAM_SHA256)
    if any(len(fields) != 3 for fields in bigram_lines) or any(len(f) != 2 for f in unigram_lines):
        raise SystemExit("unexpected line format in the symspellpy frequency lists")
    # The lists are lower-case ASCII already (as spindetect's tokens of English words are).
    unigram_counts = {word: int(count) for word, count in unigram_lines}
    words = sorted(unigram_counts.keys() | {w for left, right, _ in bigram_lines for w in (left, right)})
    word_ids = {word: i for i, word in enumerate(words)}
    pairs = {(word_ids[left] << 32) | word_ids[right]: int(count) for left, right, count in bigram_lines}
    keys = sorted(pairs)
    arrays = {
        **string_index_arrays(words),
        # A word only in the bigram list would get count 1: the lists agree, so none does.
        "unigram_counts": rounded_counts([unigram_counts.get(word, 1) for word in words]),
        "bigram_keys": np.array(keys, dtype=np.uint64),
        "bigram_counts": rounded_counts([pairs[key] for key in keys]),
    }
    stats = {
        "words": len(words),
        "unigrams": len(unigram_counts),
        "bigram_lines": len(bigram_lines),
        "bigrams": len(keys),
        "min_bigram": min(pairs.values()),
    }
    return arrays, stats


def licenses_section(stats: dict[str, int], size: int) -> str:
    return f"""## Word and word-pair counts (`bigrams.table`)

Built by `scripts/build_bigrams.py` (format version {FORMAT_VERSION}); rebuild with
`python scripts/build_bigrams.py`, verify with `python scripts/build_bigrams.py --check`.

* Source: the English frequency lists of SymSpell (Wolf Garbe) as shipped in the PyPI wheel
  `{WHEEL}` (sha256 `{WHEEL_SHA256}`):
  `frequency_bigramdictionary_en_243_342.txt` (sha256 `{BIGRAM_SHA256}`,
  {stats['bigram_lines']} word pairs with counts, the rarest {stats['min_bigram']}) and
  `frequency_dictionary_en_82_765.txt` (sha256 `{UNIGRAM_SHA256}`, {stats['unigrams']} words
  with counts).
* What the packages say of their terms: symspellpy's wheel carries the MIT license only
  ("Copyright (c) 2025 mmb L (Python port), Copyright (c) 2021 Wolf Garbe (Original C#
  implementation)"), with no separate note on the lists. SymSpell's README says the word
  list was made by intersecting the Google Books Ngram data (license linked there:
  Creative Commons Attribution 3.0, https://creativecommons.org/licenses/by/3.0/), which
  gives the counts, with SCOWL (Spell Checker Oriented Word Lists, Kevin Atkinson), which
  keeps genuine English words; of the pair list it says only that an English bigram list is
  included (release 6.5). We take the pair counts to be derived from the same Google Books
  Ngram data and treat both lists as such.
* Attribution (CC BY 3.0): word and word-pair counts derived from the Google Books Ngram
  data (Google Books Ngram Viewer, http://books.google.com/ngrams; Michel et al., Science
  2011), via SymSpell (MIT, (c) Wolf Garbe) and symspellpy (MIT, (c) mmb L). Changed from
  the source: counts rounded to 1/{COUNT_STEPS} of a doubling and stored as binary arrays.
* SCOWL's notice, as Debian's `wamerican` package quotes it: "Copyright 2000-2011 by Kevin
  Atkinson. Permission to use, copy, modify, distribute and sell these word lists, the
  associated scripts, the output created from the scripts, and its documentation for any
  purpose is hereby granted without fee, provided that the above copyright notice appears
  in all copies and that both that copyright notice and this permission notice appear in
  supporting documentation. Kevin Atkinson makes no representations about the suitability
  of this array for any purpose. It is provided "as is" without express or implied
  warranty."
* Format: a mapped table (layout documented in `spindetect/bigrams.py`): {stats['words']}
  words, {stats['bigrams']} word-pair keys, counts rounded to 1/{COUNT_STEPS} of a doubling;
  {size} bytes.
"""


def write(out: Path, wheel: Path) -> tuple[Path, str]:
    """Write bigrams.table into ``out``; return its path and the LICENSES.md section."""
    arrays, stats = build_arrays(wheel)
    path = out / "bigrams.table"
    write_table(path, kind="bigrams", version=FORMAT_VERSION, arrays=arrays,
                meta={"count_steps": COUNT_STEPS}, built_by="scripts/build_bigrams.py")
    return path, licenses_section(stats, path.stat().st_size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help=f"a local {WHEEL} (default: pip download)")
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a temp dir and compare with the shipped files")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        return write_or_check_table_and_section(
            DATA_DIR, "build_bigrams.py", lambda folder: write(folder, wheel), check=args.check
        )


if __name__ == "__main__":
    sys.exit(main())
