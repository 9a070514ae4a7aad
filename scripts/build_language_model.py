#!/usr/bin/env python3
"""Build ``src/spindetect/data/language_model.table``: how likely each English word is after another.

Source: the generic US English language model of CMU Sphinx, ``en-us.lm.bin``: a trigram
model over 72,547 words (BSD-2-Clause, Carnegie Mellon University), as shipped in the PyPI
wheel of ``pocketsphinx`` 5.1.1 (``pocketsphinx/model/en-us/en-us.lm.bin``) and in Debian's
``pocketsphinx-en-us`` package (``/usr/share/pocketsphinx/model/en-us/en-us.lm.bin``): the
same file, checked against a pinned sha256. The wheel is fetched at build time with
``pip download --no-deps --only-binary :all: pocketsphinx==5.1.1`` (or the file is given by
``--model``); nothing is downloaded by the package at run time.

The file is CMU Sphinx's binary trie format (``src/lm/ngram_model_trie.c`` and
``lm_trie.c`` of pocketsphinx): a header, the n-gram counts, the quantisation tables, the
unigrams (log probability, backoff weight, first bigram) and the bigrams and trigrams as
bit-packed arrays, stored as a reversed-context trie (a bigram entry under word *w* names
the history word *h* of P(w | h)). This script reads it with numpy (pocketsphinx's own
ARPA writer fails on this file) and keeps the bigram model: on the development swaps of
issue 16 the trigrams added nothing the bigrams do not already say (AUC 0.830 with
trigrams against 0.835 without, natural swaps against wrong ones), at twice the size.

Output: a mapped table (format version ``FORMAT_VERSION``; ``spindetect.language_model``
reads it and documents the layout): the words as a string index (a word's id is its row),
each word's log10 probability and backoff weight, and the bigrams by history word
(CSR: ``bigram_starts`` per history row, the predicted words sorted within each row, their
log10 probabilities in steps of 1/``LOG10_STEPS``). Usage::

    python scripts/build_language_model.py            # (re)build into src/spindetect/data
    python scripts/build_language_model.py --check    # rebuild in a temp dir, compare
"""

from __future__ import annotations

import argparse
import hashlib
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shipped_file import write_or_check_table_and_section  # noqa: E402

from spindetect._tables import string_index_arrays, write_table  # noqa: E402
from spindetect.language_model import FORMAT_VERSION, LOG10_STEPS, SENTENCE_START  # noqa: E402
from spindetect.tokenize import tokenize  # noqa: E402

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "spindetect" / "data"
PACKAGE = "pocketsphinx==5.1.1"
MEMBER = "pocketsphinx/model/en-us/en-us.lm.bin"
MODEL_SHA256 = "db21d0642286677699e6dbc859d2e5395570222361999387ce60f6e1d01995d6"
HEADER = b"Trie Language Model"
# Sphinx keeps log probabilities in its logmath base 1.0001: log10 = value * LOG_UNIT.
LOG_UNIT = math.log10(1.0001)
QUANT_BITS = 16  # each of the probability and backoff codes of a middle entry


def download_model(folder: Path) -> bytes:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "-d", str(folder), PACKAGE],
        check=True, capture_output=True,
    )
    wheels = sorted(folder.glob("pocketsphinx-*.whl"))
    if not wheels:
        raise SystemExit(f"pip download {PACKAGE} gave no wheel in {folder}")
    with zipfile.ZipFile(wheels[0]) as archive:
        return archive.read(MEMBER)


def _bits(memory: np.ndarray, offsets: np.ndarray, width: int) -> np.ndarray:
    """The ``width``-bit little-endian fields that start at bit ``offsets`` of ``memory``
    (sphinx's ``bitarr_read_int25``), as int64."""
    padded = np.concatenate([memory, np.zeros(8, dtype=np.uint8)])
    byte = offsets >> 3
    value = np.zeros(len(offsets), dtype=np.uint64)
    for k in range(8):
        value |= padded[byte + k].astype(np.uint64) << np.uint64(8 * k)
    value >>= (offsets & 7).astype(np.uint64)
    return (value & np.uint64((1 << width) - 1)).astype(np.int64)


def read_trie(raw: bytes) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(words, unigram log10, backoff log10, bigram word ids, history ids, bigram log10)."""
    if not raw.startswith(HEADER):
        raise SystemExit("not a CMU Sphinx trie language model")
    pos = len(HEADER)
    order = raw[pos]
    pos += 1
    counts = np.frombuffer(raw, "<u4", order, pos).astype(np.int64)
    pos += 4 * order + 4  # the counts, then an unused quantisation-type field
    if order != 3:
        raise SystemExit(f"expected a trigram model, found order {order}")
    table = 1 << QUANT_BITS
    quant = np.frombuffer(raw, "<f4", 3 * table, pos)
    pos += 4 * 3 * table
    middle_prob = quant[:table]
    unigrams = np.frombuffer(
        raw, dtype=[("prob", "<f4"), ("bo", "<f4"), ("next", "<u4")], count=counts[0] + 1, offset=pos
    )
    pos += 12 * (counts[0] + 1)
    word_bits = int(counts[0]).bit_length()
    next_bits = int(counts[2]).bit_length()
    middle_bits = word_bits + 2 * QUANT_BITS + next_bits
    middle_size = ((1 + counts[1]) * middle_bits + 7) // 8 + 8
    longest_size = ((1 + counts[2]) * (word_bits + QUANT_BITS) + 7) // 8 + 8
    middle = np.frombuffer(raw, np.uint8, middle_size, pos)
    pos += middle_size + longest_size
    string_bytes = int(np.frombuffer(raw, "<i4", 1, pos)[0])
    pos += 4
    words = [w.decode("utf-8") for w in raw[pos : pos + string_bytes].split(b"\0")[:-1]]
    if len(words) != counts[0] or pos + string_bytes != len(raw):
        raise SystemExit("unexpected layout: the word strings do not end the file")
    # Bigrams under word w (the predicted word) are rows next[w] .. next[w + 1] of the middle
    # array; each names its history word and carries the codes of P(w | h) and a backoff.
    starts = unigrams["next"].astype(np.int64)
    entries = starts[-1]
    predicted = np.repeat(np.arange(counts[0], dtype=np.int64), np.diff(starts))
    offsets = np.arange(entries, dtype=np.int64) * middle_bits
    history = _bits(middle, offsets, word_bits)
    prob_code = _bits(middle, offsets + word_bits + QUANT_BITS, QUANT_BITS)
    bigram_log10 = middle_prob[prob_code].astype(np.float64) * LOG_UNIT
    return (
        words,
        unigrams["prob"][: counts[0]].astype(np.float64) * LOG_UNIT,
        unigrams["bo"][: counts[0]].astype(np.float64) * LOG_UNIT,
        predicted,
        history,
        bigram_log10,
    )


def build_arrays(raw: bytes) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """The arrays of ``language_model.table`` and the figures LICENSES.md gives."""
    digest = hashlib.sha256(raw).hexdigest()
    if digest != MODEL_SHA256:
        raise SystemExit(f"en-us.lm.bin: sha256 {digest} != pinned {MODEL_SHA256}")
    words, unigram, backoff, predicted, history, bigram = read_trie(raw)
    # Only words spindetect's tokenizer can give are ever looked up: not "company's" (it
    # gives "company" "'s") nor "u.s." (it gives "u" "s"). The rest are dropped, and the
    # words renumbered; a word's id is its row (the string index keeps the given order).
    reachable = np.array([word == SENTENCE_START or tokenize(word).norms == (word,) for word in words])
    new_id = np.cumsum(reachable) - 1
    # (Nothing predicts the start of a sentence: its bigrams, all at -99, are dropped too.)
    kept = reachable[predicted] & reachable[history] & (predicted != words.index(SENTENCE_START))
    words = [word for word, keep in zip(words, reachable.tolist()) if keep]
    unigram, backoff = unigram[reachable], backoff[reachable]
    history, predicted, bigram = new_id[history[kept]], new_id[predicted[kept]], bigram[kept]
    arrays = string_index_arrays(words)
    rows = len(words)
    order = np.lexsort((predicted, history))
    history_row, word_row, bigram = history[order], predicted[order], bigram[order]
    codes = np.clip(np.rint(-bigram * LOG10_STEPS), 0, 255).astype(np.uint8)
    arrays.update({
        "unigram_log10": unigram.astype(np.float32),
        "backoff_log10": backoff.astype(np.float32),
        "bigram_starts": np.searchsorted(history_row, np.arange(rows + 1)).astype(np.uint32),
        "bigram_words": word_row.astype(np.uint32),
        "bigram_codes": codes,
    })
    real = np.array([not w.startswith("<") for w in words])
    stats = {
        "source_words": len(reachable),
        "words": rows,
        "source_bigrams": len(kept),
        "bigrams": len(codes),
        "floor": round(float(unigram[real].min()), 2),
        "max_error": round(float(np.abs(-codes.astype(np.float64) / LOG10_STEPS - bigram).max()), 3),
    }
    return arrays, stats


def licenses_section(stats: dict[str, object], size: int) -> str:
    return f"""## Word-pair probabilities (`language_model.table`)

Built by `scripts/build_language_model.py` (format version {FORMAT_VERSION}); rebuild with
`python scripts/build_language_model.py`, verify with `python scripts/build_language_model.py --check`.

* Source: the generic US English language model of CMU Sphinx, `en-us.lm.bin` (sha256
  `{MODEL_SHA256}`), a trigram model, as shipped in the PyPI wheel of `{PACKAGE}`
  (`{MEMBER}`) and in Debian's `pocketsphinx-en-us` package.
* What is used: its unigram log probabilities and backoff weights and its bigram log
  probabilities, for the {stats['words']} of its {stats['source_words']} words that
  spindetect's tokenizer can give ("company's" and "u.s." it never does) and the
  {stats['bigrams']} of its {stats['source_bigrams']} bigrams between them; the trigrams
  are left out. Changed from the source: read from the binary trie into arrays, bigrams
  sorted by history word, bigram log10 probabilities kept to 1/{LOG10_STEPS} (at most
  {stats['max_error']} off).
* License (BSD-2-Clause, as the wheel's `LICENSE` and Debian's copyright file give it):

```text
Copyright (c) 1999-2016 Carnegie Mellon University.  All rights
reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions
are met:

1. Redistributions of source code must retain the above copyright
   notice, this list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright
   notice, this list of conditions and the following disclaimer in
   the documentation and/or other materials provided with the
   distribution.

This work was supported in part by funding from the Defense Advanced
Research Projects Agency and the National Science Foundation of the
United States of America, and the CMU Sphinx Speech Consortium.

THIS SOFTWARE IS PROVIDED BY CARNEGIE MELLON UNIVERSITY ``AS IS'' AND
ANY EXPRESSED OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO,
THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR
PURPOSE ARE DISCLAIMED.  IN NO EVENT SHALL CARNEGIE MELLON UNIVERSITY
NOR ITS EMPLOYEES BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
```

* Format: a mapped table (layout documented in `spindetect/language_model.py`); {size} bytes.
  A word the model does not know is given its rarest word's probability ({stats['floor']}).
"""


def write(out: Path, raw: bytes) -> tuple[Path, str]:
    """Write language_model.table into ``out``; return its path and the LICENSES.md section."""
    arrays, stats = build_arrays(raw)
    path = out / "language_model.table"
    write_table(path, kind="language_model", version=FORMAT_VERSION, arrays=arrays,
                meta={"log10_steps": LOG10_STEPS, "unknown_log10": stats["floor"]},
                built_by="scripts/build_language_model.py")
    return path, licenses_section(stats, path.stat().st_size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="a local en-us.lm.bin (default: from the pip wheel)")
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a temp dir and compare with the shipped files")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        raw = args.model.read_bytes() if args.model else download_model(Path(tmp))
        return write_or_check_table_and_section(
            DATA_DIR, "build_language_model.py", lambda folder: write(folder, raw), check=args.check
        )


if __name__ == "__main__":
    sys.exit(main())
