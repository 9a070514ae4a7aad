"""The extract stage the plain way: one document, one gap, one edit at a time.

The reference that ``extract.extract_edits_batch`` is tested against (``tests/test_extract.py``).
The batch classifies the gaps of all its documents with array passes over joined token
indices, finds the multiword substitutions worth splitting, and looks up the relatedness of
all their parts in one lexicon batch; here each step is written out as its definition:

- a gap (differing tokens between two exact-match blocks of a passage) that shares no token
  between its sides is one edit, unless both sides spell the same letters ("e-mail" /
  "email": no edit, aligned) or a side is longer than ``MAX_EDIT_TOKENS`` (a rewritten
  clause: no edit, not aligned);
- a gap that does share tokens is filled with their longest common subsequence, and each
  stretch between the shared tokens is judged the same way;
- an insertion next to a matched word that turns it into one of its thesaurus phrases
  becomes a substitution (``extract.absorb_phrase_insertions``, the same plain loop the batch
  runs);
- every substitution is split into the chunks that pair the most related parts
  (``best_chunks_py``), relatedness looked up word pair by word pair;
- an edit over reference words another passage matched, or that an earlier edit reports,
  is dropped (``extract.disjoint_in_reference``, the same plain loop the batch runs): each
  reference word is in one swap at most.

Steps that are already one gap or one edit at a time in ``extract`` (``fill_gap``,
``differently_split``, ``make_edit``, ``absorb_phrase_insertions``,
``disjoint_in_reference``) are shared, not copied.
"""

from __future__ import annotations

import numpy as np

from . import lexicon
from .align import MAX_EDIT_TOKENS, Alignment
from .extract import (
    CHUNK_COST,
    SUBSTITUTION,
    Edit,
    Extraction,
    absorb_phrase_insertions,
    differently_split,
    disjoint_in_reference,
    fill_gap,
    make_edit,
    phrase_parts,
)

__all__ = [
    "best_chunks_py",
    "extract_edits_py",
    "gap_edits_py",
    "gap_shares_a_token_py",
    "relatedness_py",
    "split_substitution_py",
]

# A gap as (article start, article end, reference start, reference end) token indices.
_Gap = tuple[int, int, int, int]
# The chunks of a split substitution: ((original start, end), (replacement start, end)), in
# phrase-relative word indices.
_Chunks = list[tuple[tuple[int, int], tuple[int, int]]]


def extract_edits_py(
    alignment: Alignment,
    article_norms: tuple[str, ...],
    reference_norms: tuple[str, ...],
) -> Extraction:
    """``extract.extract_edits`` of one document, a passage and a gap at a time.

    >>> from spindetect.align import align, token_ids
    >>> article = "the court said a nice of 500 euros was paid".split()
    >>> reference = "the court said a fine of 500 euros was paid".split()
    >>> extraction = extract_edits_py(align(*token_ids(article, reference)), article, reference)
    >>> extraction.edits, extraction.aligned_tokens
    ((Edit(kind='substitution', article_tokens=(4, 5), reference_tokens=(4, 5)),), 10)
    """
    edits: list[Edit] = []
    matches: list[tuple[int, int]] = []
    aligned: set[int] = set()
    for passage in alignment.passages:
        for article_start, reference_start, length in passage.blocks:
            matches.extend((article_start + k, reference_start + k) for k in range(length))
        for gap in passage.gaps():
            gap_edits, gap_matches, gap_aligned = gap_edits_py(
                gap, alignment.article_ids, alignment.reference_ids, article_norms, reference_norms
            )
            edits.extend(gap_edits)
            matches.extend(gap_matches)
            aligned.update(gap_aligned)
    # Absorption reads the edits in gap order: a matched word extends the first phrase only.
    edits = absorb_phrase_insertions(edits, article_norms, reference_norms)
    split = sorted(
        (part for edit in edits for part in split_substitution_py(edit, article_norms, reference_norms)),
        key=lambda edit: (edit.article_tokens, edit.reference_tokens),
    )
    matched = np.array(sorted(matches), dtype=np.int64).reshape(-1, 2)
    kept = disjoint_in_reference(split, alignment.passages, matched, len(reference_norms))
    aligned.update(article for article, _ in matches)
    aligned.update(
        article for edit in kept if edit.kind == SUBSTITUTION for article in range(*edit.article_tokens)
    )
    return Extraction(
        edits=tuple(kept),
        aligned_tokens=len(aligned),
        passages=alignment.passages,
        matches=matched,
    )


def gap_edits_py(
    gap: _Gap,
    article_ids: np.ndarray,
    reference_ids: np.ndarray,
    article_norms: tuple[str, ...],
    reference_norms: tuple[str, ...],
) -> tuple[list[Edit], list[tuple[int, int]], list[int]]:
    """The edits of one gap, the token pairs it still matches, and the article tokens it
    accounts for without an edit (the same letters, differently split).

    >>> ids = np.array([0, 1, 2], dtype=np.int64)
    >>> gap_edits_py((0, 3, 0, 3), ids, np.array([0, 3, 2]), ("a", "nice", "of"), ("a", "fine", "of"))
    ([Edit(kind='substitution', article_tokens=(1, 2), reference_tokens=(1, 2))], [(0, 0), (2, 2)], [])
    """
    article_start, _, reference_start, _ = gap
    if gap_shares_a_token_py(gap, article_ids, reference_ids):
        stretches, shared = fill_gap(
            article_ids[gap[0] : gap[1]], reference_ids[gap[2] : gap[3]]
        )
        matches = [(article_start + a, reference_start + r) for a, r in shared]
        pieces = [
            (article_start + a0, article_start + a1, reference_start + r0, reference_start + r1)
            for a0, a1, r0, r1 in stretches
        ]
    else:
        matches, pieces = [], [gap]
    edits: list[Edit] = []
    aligned: list[int] = []
    for a0, a1, r0, r1 in pieces:
        if differently_split(a0, a1, r0, r1, article_norms, reference_norms):
            aligned.extend(range(a0, a1))
        elif a1 - a0 <= MAX_EDIT_TOKENS and r1 - r0 <= MAX_EDIT_TOKENS:
            edits.append(make_edit(a0, a1, r0, r1))
    return edits, matches, aligned


def gap_shares_a_token_py(gap: _Gap, article_ids: np.ndarray, reference_ids: np.ndarray) -> bool:
    """Whether some token id occurs on both sides of ``gap``.

    >>> ids = np.array([4, 5, 6], dtype=np.int64)
    >>> gap_shares_a_token_py((0, 2, 1, 3), ids, ids), gap_shares_a_token_py((0, 1, 1, 3), ids, ids)
    (True, False)
    """
    a0, a1, r0, r1 = gap
    return bool(set(article_ids[a0:a1].tolist()) & set(reference_ids[r0:r1].tolist()))


def split_substitution_py(
    edit: Edit, article_norms: tuple[str, ...], reference_norms: tuple[str, ...]
) -> list[Edit]:
    """``edit`` split into the parts that pair up as related words, or ``[edit]``.

    Every substitution is searched, whatever its length: the batch searches only those with
    two or more words a side, and comparing with this checks that nothing else can split.

    >>> split_substitution_py(
    ...     Edit("substitution", (0, 3), (0, 2)), ("go", "away", "the"), ("leave", "that"))
    [Edit(kind='substitution', article_tokens=(0, 2), reference_tokens=(0, 1)), \
Edit(kind='substitution', article_tokens=(2, 3), reference_tokens=(1, 2))]
    """
    if edit.kind != SUBSTITUTION:
        return [edit]
    (a0, a1), (r0, r1) = edit.article_tokens, edit.reference_tokens
    original, replacement = reference_norms[r0:r1], article_norms[a0:a1]
    relatedness = {
        (original_part, replacement_part): relatedness_py(
            original[slice(*original_part)], replacement[slice(*replacement_part)]
        )
        for original_part in phrase_parts(len(original))
        for replacement_part in phrase_parts(len(replacement))
    }
    return [
        Edit(SUBSTITUTION, (a0 + j0, a0 + j1), (r0 + i0, r0 + i1))
        for (i0, i1), (j0, j1) in best_chunks_py(len(original), len(replacement), relatedness)
    ]


def relatedness_py(original: tuple[str, ...], replacement: tuple[str, ...]) -> float:
    """How related two parts of a swap are: 2 for synonyms in the thesaurus or WordNet or
    forms of one word, 1 when both are function words only, else 0.

    >>> relatedness_py(("leave",), ("go", "away")), relatedness_py(("the",), ("that",))
    (2.0, 1.0)
    """
    a, b = " ".join(original), " ".join(replacement)
    if (
        lexicon.are_thesaurus_synonyms(a, b)
        or lexicon.are_wordnet_synonyms(a, b)
        or set(lexicon.wordnet_lemmas(a)) & set(lexicon.wordnet_lemmas(b))
    ):
        return 2.0
    if all(word in lexicon.FUNCTION_WORDS for word in original + replacement):
        return 1.0
    return 0.0


def best_chunks_py(
    original_length: int,
    replacement_length: int,
    relatedness: dict[tuple[tuple[int, int], tuple[int, int]], float],
) -> _Chunks:
    """The monotone pairing of non-empty chunks of two phrases that pairs the most related
    parts, each chunk costing ``CHUNK_COST``; the whole phrase unless a split scores more.

    ``relatedness[(i0, i1), (j0, j1)]`` is how related the original's words [i0, i1) and the
    replacement's [j0, j1) are. Each prefix pair keeps its best pairing with the chunks that
    make it; among equal scores the first found, in order of where the last chunk starts,
    wins (as ``extract._best_chunks`` picks it).

    >>> related = {(i, j): 0.0 for i in [(0, 1), (1, 2), (0, 2)] for j in [(0, 1), (1, 2), (0, 2)]}
    >>> related[(0, 1), (0, 1)] = related[(1, 2), (1, 2)] = 2.0
    >>> best_chunks_py(2, 2, related)
    [((0, 1), (0, 1)), ((1, 2), (1, 2))]
    """
    n, m = original_length, replacement_length
    best: dict[tuple[int, int], tuple[float, _Chunks]] = {(0, 0): (0.0, [])}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = []
            for i0 in range(i):
                for j0 in range(j):
                    if (i0, j0) in best:  # a chunking starts at (0, 0), then at i0, j0 > 0
                        score, chunks = best[(i0, j0)]
                        gain = relatedness[(i0, i), (j0, j)] - CHUNK_COST
                        options.append((score + gain, chunks + [((i0, i), (j0, j))]))
            best[(i, j)] = max(options, key=lambda option: option[0])
    whole = relatedness[(0, n), (0, m)] - CHUNK_COST
    score, chunks = best[(n, m)]
    return chunks if score > whole + 1e-9 else [((0, n), (0, m))]
