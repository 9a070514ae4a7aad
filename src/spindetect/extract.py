"""Turn the gaps of aligned passages into edits: substitutions, insertions and deletions.

Third stage (tokenize -> align -> extract -> score -> report). Inside a gap a small
longest-common-subsequence fill recovers single shared words the anchors were too short to
catch ("a nice of" / "a fine of" share "a" and "of"); what differs between those matches is
an edit. Edits of up to MAX_EDIT_TOKENS tokens a side are swaps; longer differing stretches
are rewritten clauses, not swaps, and are left out of both the swaps and the coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import lexicon
from .align import MAX_EDIT_TOKENS, Alignment, Passage, common_subsequence

__all__ = ["Edit", "MAX_EDIT_TOKENS", "extract_edits"]


SUBSTITUTION = "substitution"
INSERTION = "insertion"
DELETION = "deletion"


@dataclass(frozen=True, slots=True)
class Edit:
    """One difference inside a passage, as half-open token ranges on each side.

    An insertion has an empty reference range, a deletion an empty article range; the empty
    range sits where the missing tokens would be.
    """

    kind: str
    article_tokens: tuple[int, int]
    reference_tokens: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Extraction:
    """The edits of one alignment and how many article tokens the alignment accounts for."""

    edits: tuple[Edit, ...]
    aligned_tokens: int
    passages: tuple[Passage, ...]


def extract_edits(
    alignment: Alignment,
    article_norms: tuple[str, ...],
    reference_norms: tuple[str, ...],
) -> Extraction:
    """All edits inside the passages of ``alignment``, in article order.

    Multiword substitutions are split where their parts pair up as synonyms ("go away the" /
    "leave that" -> "go away" / "leave" and "the" / "that"), and a short insertion that turns a
    word into one of its thesaurus phrases ("fact" -> "indisputable fact") is reported as that
    substitution.
    """
    edits: list[Edit] = []
    # Article tokens the alignment accounts for: exact matches and both sides of substitutions.
    aligned = np.zeros(len(article_norms), dtype=bool)
    for passage in alignment.passages:
        for a_start, _, length in passage.blocks:
            aligned[a_start : a_start + length] = True
        for a_start, a_end, r_start, r_end in passage.gaps():
            gap_edits, gap_matches = _fill_gap(
                alignment.article_ids[a_start:a_end],
                alignment.reference_ids[r_start:r_end],
            )
            aligned[[a_start + a_pos for a_pos, _ in gap_matches]] = True
            for a0, a1, r0, r1 in gap_edits:
                span = (a_start + a0, a_start + a1, r_start + r0, r_start + r1)
                if _same_letters(*span, article_norms, reference_norms):
                    aligned[span[0] : span[1]] = True
                elif a1 - a0 <= MAX_EDIT_TOKENS and r1 - r0 <= MAX_EDIT_TOKENS:
                    edits.append(_make_edit(*span))
    edits = _absorb_phrase_insertions(edits, article_norms, reference_norms)
    edits = _split_substitutions(edits, article_norms, reference_norms)
    for edit in edits:
        if edit.kind == SUBSTITUTION:
            aligned[slice(*edit.article_tokens)] = True
    edits.sort(key=lambda edit: (edit.article_tokens, edit.reference_tokens))
    return Extraction(
        edits=tuple(edits),
        aligned_tokens=int(np.count_nonzero(aligned)),
        passages=alignment.passages,
    )


def _same_letters(
    a0: int, a1: int, r0: int, r1: int,
    article_norms: tuple[str, ...],
    reference_norms: tuple[str, ...],
) -> bool:
    """"e-mail" / "email", "on line" / "online": the same letters, differently split."""
    return (
        a0 < a1
        and r0 < r1
        and "".join(article_norms[a0:a1]) == "".join(reference_norms[r0:r1])
    )


def _make_edit(a0: int, a1: int, r0: int, r1: int) -> Edit:
    if a0 < a1 and r0 < r1:
        kind = SUBSTITUTION
    else:
        kind = INSERTION if a0 < a1 else DELETION
    return Edit(kind=kind, article_tokens=(a0, a1), reference_tokens=(r0, r1))


def _absorb_phrase_insertions(
    edits: list[Edit], article_norms: tuple[str, ...], reference_norms: tuple[str, ...]
) -> list[Edit]:
    """Turn "fact" -> "indisputable fact" (an insertion next to a kept word) into a substitution.

    An insertion (or deletion) sits between exactly matched tokens; when the inserted words
    together with the matched word on one side form a thesaurus phrase for that word, the
    spinner replaced the word with the phrase.
    """
    refined = []
    for edit in edits:
        refined.append(_absorbed(edit, article_norms, reference_norms) or edit)
    return refined


def _absorbed(
    edit: Edit, article_norms: tuple[str, ...], reference_norms: tuple[str, ...]
) -> Edit | None:
    (a0, a1), (r0, r1) = edit.article_tokens, edit.reference_tokens
    if edit.kind == SUBSTITUTION or max(a1 - a0, r1 - r0) >= MAX_EDIT_TOKENS:
        return None
    # The matched neighbours: (a1, r1) after the edit, (a0 - 1, r0 - 1) before it.
    for a_lo, a_hi, r_lo, r_hi in ((a0, a1 + 1, r0, r1 + 1), (a0 - 1, a1, r0 - 1, r1)):
        if a_lo < 0 or r_lo < 0 or a_hi > len(article_norms) or r_hi > len(reference_norms):
            continue
        if lexicon.are_thesaurus_synonyms(
            " ".join(reference_norms[r_lo:r_hi]), " ".join(article_norms[a_lo:a_hi])
        ):
            return Edit(SUBSTITUTION, (a_lo, a_hi), (r_lo, r_hi))
    return None


def _split_substitutions(
    edits: list[Edit], article_norms: tuple[str, ...], reference_norms: tuple[str, ...]
) -> list[Edit]:
    """Split multiword substitutions into the parts that pair up as related words."""
    refined: list[Edit] = []
    for edit in edits:
        (a0, a1), (r0, r1) = edit.article_tokens, edit.reference_tokens
        if edit.kind != SUBSTITUTION or (a1 - a0 == 1 and r1 - r0 == 1):
            refined.append(edit)
            continue
        chunks = _best_chunks(reference_norms[r0:r1], article_norms[a0:a1])
        refined.extend(
            Edit(SUBSTITUTION, (a0 + i0, a0 + i1), (r0 + j0, r0 + j1))
            for (j0, j1), (i0, i1) in chunks
        )
    return refined


def _best_chunks(
    original: tuple[str, ...], replacement: tuple[str, ...]
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The monotone pairing of chunks of two short phrases that pairs the most related parts.

    Related: synonyms in the thesaurus or WordNet, or forms of one word, score 2; two
    function-word chunks score 1. The whole phrase stays one chunk unless splitting scores
    strictly more.
    """
    n, m = len(original), len(replacement)
    # best[(i, j)]: (score, chunks) for the prefixes original[:i], replacement[:j].
    best: dict[tuple[int, int], tuple[float, list[tuple[tuple[int, int], tuple[int, int]]]]]
    best = {(0, 0): (0.0, [])}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = []
            for i0 in range(i):
                for j0 in range(j):
                    if (i0, j0) not in best:
                        continue
                    score, chunks = best[(i0, j0)]
                    gain = _relatedness(original[i0:i], replacement[j0:j]) - CHUNK_COST
                    options.append((score + gain, chunks + [((i0, i), (j0, j))]))
            if options:
                best[(i, j)] = max(options, key=lambda option: option[0])
    whole = _relatedness(original, replacement) - CHUNK_COST
    score, chunks = best[(n, m)]
    if score > whole + 1e-9:
        return chunks
    return [((0, n), (0, m))]


# Each chunk costs a little, so a split must pair related parts to beat the whole phrase.
CHUNK_COST = 0.1


@lru_cache(maxsize=1 << 16)
def _relatedness(original: tuple[str, ...], replacement: tuple[str, ...]) -> float:
    left, right = " ".join(original), " ".join(replacement)
    if lexicon.are_thesaurus_synonyms(left, right) or lexicon.wordnet_relation(left, right).synonym:
        return 2.0
    if set(lexicon.wordnet_lemmas(left)) & set(lexicon.wordnet_lemmas(right)):
        return 2.0
    if all(word in lexicon.FUNCTION_WORDS for word in original + replacement):
        return 1.0
    return 0.0


def _fill_gap(
    article_ids: np.ndarray, reference_ids: np.ndarray
) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int]]]:
    """Edits (a0, a1, r0, r1) between the tokens a gap's two sides still share, and the shared."""
    matches = common_subsequence(article_ids.tolist(), reference_ids.tolist())
    edits: list[tuple[int, int, int, int]] = []
    a_prev = r_prev = 0
    for a_pos, r_pos in matches + [(len(article_ids), len(reference_ids))]:
        if a_prev < a_pos or r_prev < r_pos:
            edits.append((a_prev, a_pos, r_prev, r_pos))
        a_prev, r_prev = a_pos + 1, r_pos + 1
    return edits, matches
