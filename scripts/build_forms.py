#!/usr/bin/env python3
"""Build ``data/forms.table``: every word form WordNet's morphy can analyse, with its analyses.

Morphy maps an inflected word ("regulators", "went away", "credit cards") to WordNet lemmas
by suffix rules and exception lists, one POS at a time. Run per word at scoring time it was
the largest cost on text never seen before, so the analyses of every form that has any are
computed here once, from the shipped ``vocabulary.table`` and ``wordnet.table`` only, and
shipped as a mapped table (layout: ``spindetect.lexicon.loading.Forms``). At run time an
analysis is one binary search.

The forms are found in reverse: each lemma of each POS, its inflections by every suffix rule
read backwards (a rule turns ``suffix`` into ``replacement``, so a lemma ending in the
replacement has the inflection ending in the suffix), its exception sources ("went" for
"go"), and for collocations the same applied to the first or the last word (morphy inflects
only those). That is a superset of the forms morphy can analyse; each candidate is then
analysed by the reference morphy (``spindetect.lexicon.morphology.morphy_analyses``) and
kept when it has an analysis, so the table gives exactly what morphy gives. Every vocabulary
word has a row too (most are their own analysis), so that one probe of the vocabulary and
one of the other forms give any word's vocabulary id and analyses.

Usage::

    python scripts/build_forms.py            # (re)build src/spindetect/data/forms.table
    python scripts/build_forms.py --check    # rebuild in a temp dir, compare with the shipped file
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shipped_file import write_or_check_file  # noqa: E402

from spindetect._tables import index_order, string_index_arrays, write_table  # noqa: E402
from spindetect.lexicon import loading, morphology  # noqa: E402

BUILT_BY = "scripts/build_forms.py"
FORMS_PATH = loading.DATA_DIR / "forms.table"


def inflections(lemma: str, pos: int, sources: dict[str, list[str]]) -> set[str]:
    """Every form morphy could reduce to ``lemma`` under POS index ``pos`` in one step."""
    forms = {lemma, *sources.get(lemma, ())}
    for suffix, replacement in morphology.RULES[pos]:
        if lemma.endswith(replacement):
            forms.add(lemma[: len(lemma) - len(replacement)] + suffix)
    return forms


def candidate_forms(vocabulary: list[str]) -> set[str]:
    """A superset of the words and phrases morphy can analyse (see the module docstring)."""
    exception_sources: list[dict[str, list[str]]] = [{} for _ in morphology.RULES]
    for pos, exceptions in enumerate(loading.wordnet().exceptions):
        for source, targets in exceptions.items():
            for target in targets:
                exception_sources[pos].setdefault(target, []).append(source)
    candidates: set[str] = set()
    for lemma, mask in zip(vocabulary, morphology.pos_masks(), strict=True):
        for pos, sources in enumerate(exception_sources):
            if not (mask >> pos) & 1:
                continue
            candidates |= inflections(lemma, pos, sources)
            if " " in lemma:
                first, _, rest = lemma.partition(" ")
                head, _, last = lemma.rpartition(" ")
                candidates.update(form + " " + rest for form in inflections(first, pos, sources))
                candidates.update(head + " " + form for form in inflections(last, pos, sources))
    return candidates


def build_arrays() -> dict[str, np.ndarray]:
    """The forms table: the analyses of every vocabulary word, then of every other form that
    has any (in ``index_order``), as a CSR, and a string index over those other forms."""
    vocabulary = loading.vocabulary().strings()
    known = set(vocabulary)
    extra = index_order(
        form for form in candidate_forms(vocabulary)
        if form not in known and morphology.morphy_analyses(form)
    )
    analyses = [morphology.morphy_analyses(form) for form in vocabulary + extra]
    counts = np.fromiter(map(len, analyses), dtype=np.int64, count=len(analyses))
    indptr = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    tokens = np.fromiter(
        (token for row in analyses for token in row), dtype=np.int64, count=int(indptr[-1])
    )
    assert indptr[-1] < 2**31 and tokens.max(initial=0) < 2**31
    return {
        **string_index_arrays(extra, "extra_"),
        "analyses_indptr": indptr.astype(np.int32),
        "analyses_tokens": tokens.astype(np.int32),
    }


def write(path: Path) -> None:
    write_table(path, kind="forms", version=loading.FORMAT_VERSION, arrays=build_arrays(),
                meta={"vocabulary_sha256": loading.vocabulary().sha256}, built_by=BUILT_BY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild and compare with the shipped forms.table byte for byte")
    options = parser.parse_args(argv)
    return write_or_check_file(FORMS_PATH, write, check=options.check)


if __name__ == "__main__":
    sys.exit(main())
