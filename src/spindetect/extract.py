"""Turn the gaps of aligned passages into edits: substitutions, insertions and deletions.

Third stage (tokenize -> align -> extract -> score -> report). Inside a gap a small
longest-common-subsequence fill recovers single shared words the anchors were too short to
catch ("a nice of" / "a fine of" share "a" and "of"); what differs between those matches is
an edit. Edits of up to MAX_EDIT_TOKENS tokens a side are swaps; longer differing stretches
are rewritten clauses, not swaps, and are left out of both the swaps and the coverage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    """All edits inside the passages of ``alignment``, in article order."""
    edits: list[Edit] = []
    aligned = 0
    for passage in alignment.passages:
        aligned += passage.matched_tokens
        for a_start, a_end, r_start, r_end in passage.gaps():
            gap_edits, gap_matched = _fill_gap(
                alignment.article_ids[a_start:a_end],
                alignment.reference_ids[r_start:r_end],
            )
            aligned += gap_matched
            for a0, a1, r0, r1 in gap_edits:
                edit = _make_edit(
                    a_start + a0, a_start + a1, r_start + r0, r_start + r1,
                    article_norms, reference_norms,
                )
                if edit is None:
                    continue
                if edit.kind == SUBSTITUTION:
                    aligned += a1 - a0
                edits.append(edit)
    edits.sort(key=lambda edit: (edit.article_tokens, edit.reference_tokens))
    return Extraction(
        edits=tuple(edits), aligned_tokens=aligned, passages=alignment.passages
    )


def _make_edit(
    a0: int, a1: int, r0: int, r1: int,
    article_norms: tuple[str, ...],
    reference_norms: tuple[str, ...],
) -> Edit | None:
    if a1 - a0 > MAX_EDIT_TOKENS or r1 - r0 > MAX_EDIT_TOKENS:
        return None
    if a0 < a1 and r0 < r1:
        # "e-mail" / "email", "on line" / "online": the same letters, differently split.
        if "".join(article_norms[a0:a1]) == "".join(reference_norms[r0:r1]):
            return None
        kind = SUBSTITUTION
    else:
        kind = INSERTION if a0 < a1 else DELETION
    return Edit(kind=kind, article_tokens=(a0, a1), reference_tokens=(r0, r1))


def _fill_gap(
    article_ids: np.ndarray, reference_ids: np.ndarray
) -> tuple[list[tuple[int, int, int, int]], int]:
    """Edits (a0, a1, r0, r1) between the tokens a gap's two sides still share, and their count."""
    matches = common_subsequence(article_ids.tolist(), reference_ids.tolist())
    edits: list[tuple[int, int, int, int]] = []
    a_prev = r_prev = 0
    for a_pos, r_pos in matches + [(len(article_ids), len(reference_ids))]:
        if a_prev < a_pos or r_prev < r_pos:
            edits.append((a_prev, a_pos, r_prev, r_pos))
        a_prev, r_prev = a_pos + 1, r_pos + 1
    return edits, len(matches)
