#!/usr/bin/env python3
"""Build ``data/forms.npz``: every word form WordNet's morphy can analyse, with its analyses.

Morphy maps an inflected word ("regulators", "went away", "credit cards") to WordNet lemmas
by suffix rules and exception lists, one POS at a time. Run per word at scoring time it was
the largest cost on text never seen before, so the analyses of every form that has any are
computed here once, from the shipped ``vocab.npz`` and ``wordnet.npz`` only, and shipped as
a table. At run time an analysis is one dictionary lookup.

The forms are found in reverse: each lemma of each POS, its inflections by every suffix rule
read backwards (a rule turns ``suffix`` into ``replacement``, so a lemma ending in the
replacement has the inflection ending in the suffix), its exception sources ("went" for
"go"), and for collocations the same applied to the first or the last word (morphy inflects
only those). That is a superset of the forms morphy can analyse; each candidate is then
analysed by the reference morphy (``lexicon._morphy_analyses``) and kept when it has an
analysis, so the table gives exactly what morphy gives.

Usage::

    python scripts/build_forms.py            # (re)build src/spindetect/data/forms.npz
    python scripts/build_forms.py --check    # rebuild in memory, compare with the shipped file
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_lexicon import header, sha256_file, string_table, write_npz  # noqa: E402

from spindetect import lexicon  # noqa: E402

FORMS_PATH = lexicon.DATA_DIR / "forms.npz"


def inflections(lemma: str, pos: int, sources: dict[str, list[str]]) -> set[str]:
    """Every form morphy could reduce to ``lemma`` under POS index ``pos`` in one step."""
    forms = {lemma, *sources.get(lemma, ())}
    for suffix, replacement in lexicon._RULES[pos]:
        if lemma.endswith(replacement):
            forms.add(lemma[: len(lemma) - len(replacement)] + suffix)
    return forms


def candidate_forms() -> set[str]:
    """A superset of the words and phrases morphy can analyse (see the module docstring)."""
    wordnet, vocabulary = lexicon._wordnet(), lexicon._vocab()
    exception_sources: list[dict[str, list[str]]] = [{} for _ in lexicon._RULES]
    for pos, exceptions in enumerate(wordnet.exceptions):
        for source, targets in exceptions.items():
            for target in targets:
                exception_sources[pos].setdefault(target, []).append(source)
    candidates: set[str] = set()
    for lemma, mask in zip(vocabulary.words, wordnet.pos_mask.tolist(), strict=True):
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
    """The forms table: sorted forms with an analysis, and their analyses as a CSR."""
    forms: list[str] = []
    analyses: list[tuple[int, ...]] = []
    for form in sorted(candidate_forms()):
        tokens = lexicon._morphy_analyses(form)
        if tokens:
            forms.append(form)
            analyses.append(tokens)
    counts = np.fromiter(map(len, analyses), dtype=np.int64, count=len(analyses))
    flat = np.fromiter(
        (token for tokens in analyses for token in tokens), dtype=np.int64, count=int(counts.sum())
    )
    # The blob's newlines delimit the forms and the counts delimit the analyses, so neither
    # needs an offsets array (those deflate badly).
    blob, _ = string_table(forms)
    assert counts.max() < 256
    return {
        **header("forms", lexicon._vocab().sha256),
        "forms_blob": blob,
        "analyses_counts": counts.astype(np.uint8),
        "analyses_tokens": flat.astype(np.int32),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild and compare with the shipped forms.npz byte for byte")
    options = parser.parse_args(argv)
    arrays = build_arrays()
    if options.check:
        with tempfile.TemporaryDirectory() as tmp:
            built = Path(tmp) / FORMS_PATH.name
            write_npz(built, arrays)
            same = FORMS_PATH.exists() and sha256_file(built) == sha256_file(FORMS_PATH)
        print(f"{FORMS_PATH.name} is up to date" if same else
              f"{FORMS_PATH.name} differs from a fresh build")
        return 0 if same else 1
    write_npz(FORMS_PATH, arrays)
    forms = arrays["analyses_counts"].size
    print(f"wrote {FORMS_PATH} ({forms} forms, {FORMS_PATH.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
