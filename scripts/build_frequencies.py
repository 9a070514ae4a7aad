#!/usr/bin/env python3
"""Build ``data/frequencies.table``: wordfreq's English word frequencies, looked up without wordfreq.

wordfreq stays the source of truth: this script reads its English list (``large_en``, the
list ``wordfreq.get_frequency_dict("en")`` reads) and writes every word of it with its
frequency bin, so that the scorer looks words up in a mapped table instead of importing
wordfreq (and ftfy, langcodes and msgpack with it) and decoding 321,000 words in every
fresh process. Importing wordfreq is needed only here: it is a build-time dependency
(``pip install spindetect[build]``).

A word's frequency is exactly wordfreq's: the table stores the bin (wordfreq's centibel
index: the word occurs with probability ``10 ** (-bin / 100)``) and, per bin, the float
``wordfreq.cB_to_freq(-bin)`` that ``get_frequency_dict`` gives. Words the list does not
hold have no row; the lexicon reports 0.0 for them, as ``get_frequency_dict("en").get(w,
0.0)`` does. The input file is pinned by sha256, as the WordNet and Moby inputs are.

Usage::

    python scripts/build_frequencies.py            # (re)build src/spindetect/data/frequencies.table
    python scripts/build_frequencies.py --check    # rebuild in a temp dir, compare bytes
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shipped_file import with_section, write_or_check, write_or_check_file  # noqa: E402

from spindetect._tables import index_order, string_index_arrays, write_table  # noqa: E402
from spindetect.lexicon.loading import DATA_DIR, FORMAT_VERSION  # noqa: E402

BUILT_BY = "scripts/build_frequencies.py"
FREQUENCIES_PATH = DATA_DIR / "frequencies.table"
LICENSES_PATH = DATA_DIR / "LICENSES.md"

WORDFREQ_VERSION = "3.1.1"
WORDFREQ_SOURCE = "large_en.msgpack.gz"
WORDFREQ_SOURCE_SHA256 = "dffae8066b78dce0a6667cf5f58e567054f902674667090a7ac8a8a44628b05c"


def frequency_arrays(allow_other_wordfreq: bool = False) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """The arrays and header metadata of ``frequencies.table``, from the installed wordfreq."""
    import wordfreq  # a build-time dependency only

    source = Path(wordfreq.available_languages()["en"])
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if (source.name, digest) != (WORDFREQ_SOURCE, WORDFREQ_SOURCE_SHA256) and not allow_other_wordfreq:
        raise SystemExit(
            f"{source}: {source.name} with sha256 {digest} is not the pinned {WORDFREQ_SOURCE} of "
            f"wordfreq {WORDFREQ_VERSION} ({WORDFREQ_SOURCE_SHA256}); install wordfreq=="
            f"{WORDFREQ_VERSION} or pass --allow-other-wordfreq"
        )
    bins = wordfreq.read_cBpack(str(source))
    bin_of: dict[str, int] = {}
    for index, words in enumerate(bins):
        for word in words:
            bin_of[word] = index  # as get_frequency_dict: a later (rarer) bin would win
    words = index_order(bin_of)
    arrays = {
        **string_index_arrays(words),
        "bins": np.array([bin_of[word] for word in words], dtype=np.uint16),
        "bin_frequency": np.array(
            [wordfreq.cB_to_freq(-index) for index in range(len(bins))], dtype=np.float64
        ),
    }
    meta = {"words": len(words), "wordfreq_source": source.name, "wordfreq_source_sha256": digest}
    return arrays, meta


def write(path: Path, allow_other_wordfreq: bool = False) -> None:
    arrays, meta = frequency_arrays(allow_other_wordfreq)
    write_table(path, kind="frequencies", version=FORMAT_VERSION, arrays=arrays, meta=meta,
                built_by=BUILT_BY)


def frequencies_license() -> str:
    """This script's section of ``data/LICENSES.md``, on ``frequencies.table``."""
    return f"""## Word frequencies (`frequencies.table`)

* Source: the English word list of wordfreq {WORDFREQ_VERSION} by Robyn Speer
  (`wordfreq/data/{WORDFREQ_SOURCE}`, sha256 `{WORDFREQ_SOURCE_SHA256}`), read with
  `wordfreq.read_cBpack` by `scripts/build_frequencies.py`. `frequencies.table` holds every
  word of the list with its frequency bin and gives exactly wordfreq's frequency for it
  (`wordfreq.get_frequency_dict("en")`); words not in the list have frequency 0.
* License: wordfreq's code is Apache-2.0; its data, and so `frequencies.table`, which is
  derived from it, is redistributed under the Creative Commons Attribution-ShareAlike 4.0
  license (<https://creativecommons.org/licenses/by-sa/4.0/>). wordfreq's data is built from
  Google Books Ngrams (<http://books.google.com/ngrams>), the Leeds Internet Corpus
  (University of Leeds Centre for Translation Studies), Wikipedia, ParaCrawl, OPUS
  OpenSubtitles 2018 (from the OpenSubtitles project, <http://www.opensubtitles.org/>), the
  SUBTLEX word lists by Marc Brysbaert et al. (freely available data,
  <http://crr.ugent.be/programs-data/subtitle-frequencies>) and statistics of the streaming
  Twitter API. Cite wordfreq as: Robyn Speer (2022), rspeer/wordfreq: v3.0, Zenodo,
  <https://doi.org/10.5281/zenodo.7199437>.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild and compare with the shipped frequencies.table byte for byte")
    parser.add_argument("--allow-other-wordfreq", action="store_true",
                        help="do not insist on the pinned wordfreq input checksum")
    options = parser.parse_args(argv)
    licenses = with_section(LICENSES_PATH.read_text(encoding="utf-8"), "build_frequencies.py",
                            frequencies_license())
    table = write_or_check_file(
        FREQUENCIES_PATH, lambda path: write(path, options.allow_other_wordfreq),
        check=options.check,
    )
    return table | write_or_check(LICENSES_PATH, licenses, check=options.check)


if __name__ == "__main__":
    sys.exit(main())
