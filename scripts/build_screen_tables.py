#!/usr/bin/env python3
"""Build ``src/spindetect/data/screen_tables.table``: what screening matches text against, built ahead.

``spindetect.screen`` matches a text against two tables (``spindetect.screening.phrases``):
the known tortured phrases keyed by their canonical words, and the fixed two-word
expressions with the words a spinner may write for each of their words. Both are made from
data the package already ships (``tortured_phrases.tsv``, ``spinner_rules.tsv``,
``bigrams.table``, ``vocabulary.table``, ``wordnet.table``, ``moby.table``, ``forms.table``),
and making them took about 3 s and 500 MB in every fresh process that screened a text: every
``spindetect screen`` call paid it. This script makes them once, with the package's own
builders (``build_known_phrases``, and what ``build_collocations`` computes), and writes the
arrays as a mapped table; ``known_phrases()`` and ``collocations()`` read it when no user
rules are given, and build afresh, as before, when they are.

Ids, bit sets and lengths are stored in the narrowest type that holds them exactly
(``SHIPPED_DTYPES``; checked here), and widened back on load, so that screening reads exactly
what the build gives (``--check``, and ``tests/test_screening.py`` compares the two).

Usage::

    python scripts/build_screen_tables.py            # (re)build into src/spindetect/data
    python scripts/build_screen_tables.py --check    # rebuild in a temp dir, compare bytes
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shipped_file import write_or_check_table_and_section  # noqa: E402

from spindetect._tables import write_table  # noqa: E402
from spindetect.screening.phrases import (  # noqa: E402
    SHIPPED_DTYPES,
    TABLES_PATH,
    TABLES_VERSION,
    table_arrays,
    table_sources,
)

BUILT_BY = "scripts/build_screen_tables.py"


def shipped_arrays() -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """The table's arrays, narrowed to ``SHIPPED_DTYPES``, and the figures of its header."""
    arrays = table_arrays()
    for name, dtype in SHIPPED_DTYPES.items():
        narrow = arrays[name].astype(dtype)
        if not np.array_equal(narrow.astype(arrays[name].dtype), arrays[name]):
            raise SystemExit(f"{name}: its values do not fit {np.dtype(dtype).name}")
        arrays[name] = narrow
    meta = {
        **table_sources(),
        "known_phrases": int(arrays["known_keys"].size),
        "expression_keys": int(arrays["keys"].size),
        "origins": int(arrays["origins_ids"].size),
    }
    return arrays, meta


def licenses_section(meta: dict[str, object], size: int) -> str:
    return f"""## Screening tables (`screen_tables.table`)

* Built by `scripts/build_screen_tables.py` ({size:,} bytes) from files shipped beside it, and
  holding nothing else: {meta['known_phrases']:,} known tortured phrases keyed by their
  canonical words (from `tortured_phrases.tsv`: the even rows of the Problematic Paper
  Screener's tortured-phrase list, Cabanac, Labbe & Magazinov, CC BY 4.0, as its header
  says), {meta['expression_keys']:,} keys of fixed two-word expressions (frequent, strongly
  associated pairs of `bigrams.table`, WordNet 3.0's two-word lemmas, and the expected
  phrases of `tortured_phrases.tsv`) and {meta['origins']:,} links from a word to the
  expression words it may stand for (the Moby thesaurus, WordNet 3.0 synonyms, and the
  one-word rules of `spinner_rules.tsv`, derived from the same PPS rows).
* License: as its sources above: the PPS-derived parts under CC BY 4.0
  (<https://creativecommons.org/licenses/by/4.0/>), the word-pair counts as `bigrams.table`
  (CC BY 3.0), WordNet 3.0 under its license, the Moby thesaurus in the public domain.
"""


def write(folder: Path) -> tuple[Path, str]:
    arrays, meta = shipped_arrays()
    path = folder / TABLES_PATH.name
    write_table(path, kind="screen_tables", version=TABLES_VERSION, arrays=arrays, meta=meta,
                built_by=BUILT_BY)
    return path, licenses_section(meta, path.stat().st_size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild and compare with the shipped table and LICENSES.md section")
    options = parser.parse_args(argv)
    return write_or_check_table_and_section(
        TABLES_PATH.parent, "build_screen_tables.py", write, check=options.check
    )


if __name__ == "__main__":
    sys.exit(main())
