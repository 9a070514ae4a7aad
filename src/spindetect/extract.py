"""Turn the gaps of aligned passages into edits: substitutions, insertions and deletions.

Third stage (tokenize -> align -> extract -> score -> report). Inside a gap a small
longest-common-subsequence fill recovers single shared words the anchors were too short to
catch ("a nice of" / "a fine of" share "a" and "of"); what differs between those matches is
an edit. Edits of up to MAX_EDIT_TOKENS tokens a side are swaps; longer differing stretches
are rewritten clauses, not swaps, and are left out of both the swaps and the coverage.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain
from operator import attrgetter

import numpy as np
import regex

from . import lexicon
from ._arrays import first_indices, range_indices
from .align import MAX_EDIT_TOKENS, Alignment, Passage, common_subsequence
from .tokenize import INVISIBLE_CHARACTER, Tokens, fold_token

__all__ = [
    "EVASION_KINDS",
    "MAX_EDIT_TOKENS",
    "Edit",
    "Extraction",
    "edit_spans",
    "extract_edits",
    "extract_edits_batch",
    "find_evasions",
    "with_evasions",
]


SUBSTITUTION = "substitution"
INSERTION = "insertion"
DELETION = "deletion"
# Evasions: a matched word written with lookalike letters, or with invisible characters in it.
HOMOGLYPH = "homoglyph"
INVISIBLE = "invisible"
EVASION_KINDS = frozenset({HOMOGLYPH, INVISIBLE})

# Each chunk costs a little, so a split must pair related parts to beat the whole phrase.
CHUNK_COST = 0.1
# The words of one side of a multiword substitution.
_Phrase = tuple[str, ...]
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")


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
    """The edits of one alignment and how many article tokens the alignment accounts for.

    ``matches`` holds the exactly matched token pairs as rows (article index, reference
    index), int64, in article order.
    """

    edits: tuple[Edit, ...]
    aligned_tokens: int
    passages: tuple[Passage, ...]
    matches: np.ndarray = field(default_factory=lambda: np.empty((0, 2), dtype=np.int64))


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
    return extract_edits_batch([alignment], [article_norms], [reference_norms])[0]


def extract_edits_batch(
    alignments: Sequence[Alignment],
    article_norms: Sequence[tuple[str, ...]],
    reference_norms: Sequence[tuple[str, ...]],
) -> list[Extraction]:
    """``extract_edits`` of many documents, with one lexicon batch for all their multiword
    substitutions. Each document's extraction is the same as alone."""
    if not len(alignments) == len(article_norms) == len(reference_norms):
        raise ValueError(
            f"{len(alignments)} alignments, {len(article_norms)} article and "
            f"{len(reference_norms)} reference token sequences: one of each per document"
        )
    article_first = first_indices(article_norms)
    reference_first = first_indices(reference_norms)
    gap_edits, aligned, matches = _gap_edits(
        alignments, article_norms, reference_norms, article_first, reference_first
    )
    split = _split_substitutions(gap_edits, article_norms, reference_norms)
    # Matched article tokens are distinct, so sorting by them orders the batch by document.
    matches = matches[np.argsort(matches[:, 0], kind="stable")]
    match_bounds = np.searchsorted(matches[:, 0], article_first).tolist()
    offsets = np.column_stack((article_first, reference_first))
    for edits in split:
        edits.sort(key=lambda edit: (edit.article_tokens, edit.reference_tokens))
    split = _disjoint_batch(
        split, alignments, matches, article_first, reference_first, reference_norms
    )
    for edits, a_offset in zip(split, article_first.tolist()):
        for edit in edits:
            if edit.kind == SUBSTITUTION:
                aligned[a_offset + edit.article_tokens[0] : a_offset + edit.article_tokens[1]] = True
    aligned_before = np.concatenate(([0], np.cumsum(aligned, dtype=np.int64)))
    aligned_counts = (aligned_before[article_first[1:]] - aligned_before[article_first[:-1]])
    return [
        Extraction(
            edits=tuple(edits),
            aligned_tokens=aligned_count,
            passages=alignment.passages,
            matches=matches[low:high] - offset,
        )
        for alignment, edits, aligned_count, low, high, offset in zip(
            alignments, split, aligned_counts.tolist(), match_bounds, match_bounds[1:], offsets
        )
    ]


def _gap_edits(
    alignments: Sequence[Alignment],
    article_norms: Sequence[tuple[str, ...]],
    reference_norms: Sequence[tuple[str, ...]],
    article_first: np.ndarray,
    reference_first: np.ndarray,
) -> tuple[list[list[Edit]], np.ndarray, np.ndarray]:
    """The edits of each document's gaps (phrase insertions absorbed, not yet split), and for
    the whole batch, in token indices of the documents joined (``article_first`` and
    ``reference_first`` say where each begins): the article tokens accounted for so far
    (bool) and the matched token pairs (rows).

    Most gaps share no token between their two sides: each is one edit, classified with
    array passes over the gaps of all documents at once. The others get a small
    common-subsequence fill (``fill_gap``).
    """
    blocks_per_passage = [
        len(passage.blocks) for alignment in alignments for passage in alignment.passages
    ]
    passages_per_document = [len(alignment.passages) for alignment in alignments]
    block_document = np.repeat(
        np.repeat(np.arange(len(alignments), dtype=np.int64), passages_per_document),
        blocks_per_passage,
    )
    block_rows = np.array(
        [block for alignment in alignments for passage in alignment.passages
         for block in passage.blocks],
        dtype=np.int64,
    ).reshape(-1, 3) + np.column_stack(
        (article_first[block_document], reference_first[block_document],
         np.zeros(len(block_document), dtype=np.int64))
    )
    gaps, gap_document = _gaps(block_rows, blocks_per_passage, block_document)
    all_article = list(chain.from_iterable(article_norms))
    all_reference = list(chain.from_iterable(reference_norms))
    article_ids = np.concatenate(
        [np.empty(0, dtype=np.int64)] + [alignment.article_ids for alignment in alignments]
    )
    reference_ids = np.concatenate(
        [np.empty(0, dtype=np.int64)] + [alignment.reference_ids for alignment in alignments]
    )
    shared, same_letters = _classify_gaps(
        article_ids, reference_ids, all_article, all_reference, gaps
    )
    block_matches = _block_matches(block_rows)
    # Article tokens the alignment accounts for: exact matches and both sides of substitutions.
    aligned = np.zeros(len(all_article), dtype=bool)
    aligned[block_matches[:, 0]] = True
    matches = [block_matches]
    a_start, a_end, r_start, r_end = gaps.T
    aligned[range_indices(a_start[same_letters], a_end[same_letters])[0]] = True
    # A gap without shared tokens is one edit, unless it is the same letters differently
    # split or too long for a swap.
    short = (a_end - a_start <= MAX_EDIT_TOKENS) & (r_end - r_start <= MAX_EDIT_TOKENS)
    single = ~shared & ~same_letters & short
    # Gaps in order, each one edit (single) or filled (shared); the rest give no edit. Edits
    # are made in each document's own token indices.
    edits: list[list[Edit]] = [[] for _ in alignments]
    visited = np.flatnonzero(single | shared)
    visited_document = gap_document[visited]
    local = gaps[visited] - np.column_stack((
        article_first[visited_document], article_first[visited_document],
        reference_first[visited_document], reference_first[visited_document],
    )).reshape(-1, 4)
    for document, is_shared, (a_start, a_end, r_start, r_end), (a_local, r_local) in zip(
        visited_document.tolist(), shared[visited].tolist(), gaps[visited].tolist(),
        local[:, ::2].tolist(),
    ):
        document_edits = edits[document]
        if not is_shared:
            document_edits.append(make_edit(
                a_local, a_local + a_end - a_start, r_local, r_local + r_end - r_start
            ))
            continue
        spans, gap_matches = fill_gap(
            article_ids[a_start:a_end], reference_ids[r_start:r_end]
        )
        pairs = np.asarray(gap_matches, dtype=np.int64) + (a_start, r_start)
        aligned[pairs[:, 0]] = True
        matches.append(pairs)
        for a0, a1, r0, r1 in spans:
            if differently_split(
                a_start + a0, a_start + a1, r_start + r0, r_start + r1, all_article, all_reference
            ):
                aligned[a_start + a0 : a_start + a1] = True
            elif a1 - a0 <= MAX_EDIT_TOKENS and r1 - r0 <= MAX_EDIT_TOKENS:
                document_edits.append(
                    make_edit(a_local + a0, a_local + a1, r_local + r0, r_local + r1)
                )
    absorbed = [
        absorb_phrase_insertions(document_edits, article, reference)
        for document_edits, article, reference in zip(edits, article_norms, reference_norms)
    ]
    return absorbed, aligned, np.concatenate(matches)


def _disjoint_batch(
    edits: list[list[Edit]],
    alignments: Sequence[Alignment],
    matches: np.ndarray,
    article_first: np.ndarray,
    reference_first: np.ndarray,
    reference_norms: Sequence[tuple[str, ...]],
) -> list[list[Edit]]:
    """``disjoint_in_reference`` of every document's ``edits`` (each sorted in article
    order), with array passes over the batch: ``matches`` are the batch's matched rows in
    joined token indices, sorted by article token.

    An edit is dropped when a reference word of it belongs to another passage's match; of
    the rest, an edit whose reference words an earlier kept edit reports is dropped too. That
    last rule depends on the order, so the documents where two remaining edits share a
    reference word (repetitive text: rare) go through the plain loop.
    """
    counts = [len(document_edits) for document_edits in edits]
    if not sum(counts):
        return edits
    document = np.repeat(np.arange(len(edits), dtype=np.int64), counts)
    rows = np.array(
        [(edit.article_tokens[0], *edit.reference_tokens)
         for document_edits in edits for edit in document_edits],
        dtype=np.int64,
    ).reshape(-1, 3)
    article_start = rows[:, 0] + article_first[document]
    reference_start = rows[:, 1] + reference_first[document]
    reference_end = rows[:, 2] + reference_first[document]
    # Passages numbered across the batch, by their first article token (joined indices).
    passages_per_document = np.array([len(a.passages) for a in alignments], dtype=np.int64)
    passage_starts = np.array(
        [passage.blocks[0][0] for alignment in alignments for passage in alignment.passages],
        dtype=np.int64,
    ) + np.repeat(article_first[:-1], passages_per_document)
    owner = np.full(int(reference_first[-1]), -1, dtype=np.int64)
    owner[matches[:, 1]] = np.searchsorted(passage_starts, matches[:, 0], side="right") - 1
    # (An edit before its document's first passage would get an earlier document's passage,
    # which owns none of this document's tokens: no mark is needed.)
    passage = np.searchsorted(passage_starts, article_start, side="right") - 1
    tokens, edit_of_token = range_indices(reference_start, reference_end)
    owners = owner[tokens]
    foreign = np.zeros(len(rows), dtype=bool)
    foreign[edit_of_token[(owners >= 0) & (owners != passage[edit_of_token])]] = True
    kept_token = ~foreign[edit_of_token]
    shared = np.bincount(tokens[kept_token], minlength=owner.size) > 1
    ordered = set(document[edit_of_token[kept_token & shared[tokens]]].tolist())
    keep = (~foreign).tolist()
    result = []
    start = 0
    for number, (document_edits, count) in enumerate(zip(edits, counts)):
        if number in ordered:
            alignment = alignments[number]
            low, high = np.searchsorted(matches[:, 0], article_first[number : number + 2])
            offset = (article_first[number], reference_first[number])
            result.append(disjoint_in_reference(
                document_edits, alignment.passages, matches[low:high] - offset,
                len(reference_norms[number]),
            ))
        else:
            result.append(
                [edit for edit, kept in zip(document_edits, keep[start : start + count]) if kept]
            )
        start += count
    return result


def disjoint_in_reference(
    edits: list[Edit],
    passages: Sequence[Passage],
    matches: np.ndarray,
    reference_length: int,
) -> list[Edit]:
    """``edits`` (in article order) without those whose reference words another passage
    matched or an earlier edit reports: each reference word is in one swap at most.

    Passages can overlap on the reference side in repetitive text ("a b a a b a ..."), and
    a gap of one then spans reference words another passage matched: a deletion of words
    the article still has elsewhere, overlapping that passage's swaps. ``matches`` are the
    document's matched (article, reference) token rows; an edit may take words matched in
    its own passage (a phrase swap absorbs the matched word it extends).
    """
    passage_starts = [passage.blocks[0][0] for passage in passages]
    owner = np.full(reference_length, -1, dtype=np.int64)
    owner[matches[:, 1]] = np.searchsorted(passage_starts, matches[:, 0], side="right") - 1
    claimed = np.zeros(reference_length, dtype=bool)
    kept = []
    for edit in edits:
        start, end = edit.reference_tokens
        passage = bisect.bisect_right(passage_starts, edit.article_tokens[0]) - 1
        owners = owner[start:end]
        if claimed[start:end].any() or ((owners >= 0) & (owners != passage)).any():
            continue
        claimed[start:end] = True
        kept.append(edit)
    return kept


def _classify_gaps(
    article_ids: np.ndarray,
    reference_ids: np.ndarray,
    article_norms: Sequence[str],
    reference_norms: Sequence[str],
    gaps: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """For each gap: whether a token id is on both sides (``shared``), and whether a gap that
    shares none has the same letters on both sides, differently split ("e-mail" / "email").
    Array passes over the gaps of all documents together."""
    shared = _sharing_gaps(article_ids, reference_ids, gaps)
    a_start, a_end, r_start, r_end = gaps.T
    # Only where both sides have as many characters can the letters be the same.
    candidates = np.flatnonzero(~shared & (a_start < a_end) & (r_start < r_end))
    same_length = candidates[
        _range_characters(article_norms, a_start[candidates], a_end[candidates])
        == _range_characters(reference_norms, r_start[candidates], r_end[candidates])
    ]
    same_letters = np.zeros(len(gaps), dtype=bool)
    for gap, (a0, a1, r0, r1) in zip(same_length.tolist(), gaps[same_length].tolist()):
        same_letters[gap] = differently_split(a0, a1, r0, r1, article_norms, reference_norms)
    return shared, same_letters


def _gaps(
    block_rows: np.ndarray, blocks_per_passage: Sequence[int], block_document: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``passage.gaps()`` of every passage, in order, as rows (a_start, a_end, r_start, r_end)
    of an int64 array, and the document of each gap; ``block_rows`` are the passages'
    blocks, one after another, ``blocks_per_passage`` how many each has."""
    passage_of_block = np.repeat(
        np.arange(len(blocks_per_passage), dtype=np.int64), blocks_per_passage
    )
    before, after = block_rows[:-1], block_rows[1:]
    gaps = np.column_stack([
        before[:, 0] + before[:, 2], after[:, 0], before[:, 1] + before[:, 2], after[:, 1]
    ]).reshape(-1, 4)
    keep = (passage_of_block[1:] == passage_of_block[:-1]) & (
        (gaps[:, 0] < gaps[:, 1]) | (gaps[:, 2] < gaps[:, 3])
    )
    return gaps[keep], block_document[:-1][keep]


def _sharing_gaps(article_ids: np.ndarray, reference_ids: np.ndarray, gaps: np.ndarray) -> np.ndarray:
    """Whether each gap has a token id on both of its sides, as bools."""
    a_index, a_gap = range_indices(gaps[:, 0], gaps[:, 1])
    r_index, r_gap = range_indices(gaps[:, 2], gaps[:, 3])
    if len(a_index) == 0 or len(r_index) == 0:
        return np.zeros(len(gaps), dtype=bool)
    article_gap_ids, reference_gap_ids = article_ids[a_index], reference_ids[r_index]
    width = int(max(article_gap_ids.max(), reference_gap_ids.max())) + 1
    on_both = np.isin(a_gap * width + article_gap_ids, r_gap * width + reference_gap_ids)
    shared = np.zeros(len(gaps), dtype=bool)
    shared[a_gap[on_both]] = True
    return shared


def _range_characters(norms: Sequence[str], first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The number of characters of the tokens in each range [first, last), int64."""
    index, owner = range_indices(first, last)
    lengths = np.fromiter(
        map(len, map(norms.__getitem__, index.tolist())), dtype=np.int64, count=len(index)
    )
    return np.bincount(owner, weights=lengths, minlength=len(first)).astype(np.int64)


def _block_matches(block_rows: np.ndarray) -> np.ndarray:
    """The (article index, reference index) rows of every token of exact-match blocks
    (rows: article start, reference start, length)."""
    a_starts, r_starts, lengths = block_rows.T
    a_index, block = range_indices(a_starts, a_starts + lengths)
    return np.column_stack([a_index, r_starts[block] + (a_index - a_starts[block])]).reshape(-1, 2)


def edit_spans(edits: Sequence[Edit]) -> np.ndarray:
    """The token ranges of ``edits`` as an (edits x 4) int64 array: article start, article
    end, reference start, reference end.

    >>> edit_spans([Edit("substitution", (3, 4), (3, 5))]).tolist()
    [[3, 4, 3, 5]]
    """
    flat = chain.from_iterable(
        chain.from_iterable(map(attrgetter("article_tokens", "reference_tokens"), edits))
    )
    return np.fromiter(flat, dtype=np.int64, count=4 * len(edits)).reshape(len(edits), 4)


def with_evasions(extraction: Extraction, article: Tokens, reference: Tokens) -> Extraction:
    """``extraction`` with the article's disguised tokens added as edits, in article order."""
    evasions = find_evasions(extraction, article, reference)
    if not evasions:
        return extraction
    edits = sorted(
        extraction.edits + evasions,
        key=lambda edit: (edit.article_tokens, edit.reference_tokens),
    )
    return replace(extraction, edits=tuple(edits))


def find_evasions(extraction: Extraction, article: Tokens, reference: Tokens) -> tuple[Edit, ...]:
    """Matched tokens the article disguised: homoglyphs or invisible characters inside a word.

    A token matches its reference token by its normalised form, which sees through both
    tricks; where the written forms differ by them, the article gets a ``"homoglyph"`` or
    ``"invisible"`` edit over that token. Only tokens with a non-ASCII character are looked
    at, so plain ASCII text costs one scan.
    """
    suspects = _non_ascii_tokens(article)
    if len(suspects) == 0 or len(extraction.matches) == 0:
        return ()
    rows = np.searchsorted(extraction.matches[:, 0], suspects)
    rows = rows[rows < len(extraction.matches)]
    rows = rows[np.isin(extraction.matches[rows, 0], suspects)]
    evasions = []
    for a_index, r_index in extraction.matches[rows].tolist():
        kind = _evasion_kind(
            article.text[article.starts[a_index] : article.ends[a_index]],
            reference.text[reference.starts[r_index] : reference.ends[r_index]],
        )
        if kind is not None:
            evasions.append(Edit(kind, (a_index, a_index + 1), (r_index, r_index + 1)))
    return tuple(evasions)


def _non_ascii_tokens(tokens: Tokens) -> np.ndarray:
    """Indices of tokens with at least one non-ASCII character, int64."""
    if tokens.text.isascii():  # a flag of the str object: no scan
        return np.empty(0, dtype=np.int64)
    positions = np.fromiter(
        (match.start() for match in _NON_ASCII.finditer(tokens.text)), dtype=np.int64
    )
    if len(positions) == 0:
        return positions
    token_of = np.searchsorted(tokens.ends, positions, side="right")
    within_text = token_of < len(tokens)
    token_of, positions = token_of[within_text], positions[within_text]
    inside = tokens.starts[token_of] <= positions
    return np.unique(token_of[inside])


def _evasion_kind(article_surface: str, reference_surface: str) -> str | None:
    if fold_token(article_surface) != fold_token(reference_surface):
        return HOMOGLYPH
    hidden = len(INVISIBLE_CHARACTER.findall(article_surface))
    if hidden > len(INVISIBLE_CHARACTER.findall(reference_surface)):
        return INVISIBLE
    return None


def differently_split(
    a0: int, a1: int, r0: int, r1: int,
    article_norms: Sequence[str],
    reference_norms: Sequence[str],
) -> bool:
    """"e-mail" / "email", "on line" / "online": the same letters, differently split."""
    return (
        a0 < a1
        and r0 < r1
        and "".join(article_norms[a0:a1]) == "".join(reference_norms[r0:r1])
    )


def make_edit(a0: int, a1: int, r0: int, r1: int) -> Edit:
    if a0 < a1 and r0 < r1:
        kind = SUBSTITUTION
    else:
        kind = INSERTION if a0 < a1 else DELETION
    return Edit(kind=kind, article_tokens=(a0, a1), reference_tokens=(r0, r1))


def absorb_phrase_insertions(
    edits: list[Edit], article_norms: tuple[str, ...], reference_norms: tuple[str, ...]
) -> list[Edit]:
    """Turn "fact" -> "indisputable fact" (an insertion next to a kept word) into a substitution.

    An insertion (or deletion) sits between exactly matched tokens; when the inserted words
    together with the matched word on one side form a thesaurus phrase for that word, the
    spinner replaced the word with the phrase.
    """
    refined = []
    # A matched word can extend one phrase only: "the say so" / "say" is not two swaps of "say".
    absorbed_words: set[int] = set()
    for edit in edits:
        merged = _absorbed(edit, article_norms, reference_norms, absorbed_words)
        if merged is not None:
            absorbed_words.update(range(*merged.article_tokens))
        refined.append(merged or edit)
    return refined


def _absorbed(
    edit: Edit,
    article_norms: tuple[str, ...],
    reference_norms: tuple[str, ...],
    absorbed_words: set[int],
) -> Edit | None:
    (a0, a1), (r0, r1) = edit.article_tokens, edit.reference_tokens
    if edit.kind == SUBSTITUTION or max(a1 - a0, r1 - r0) >= MAX_EDIT_TOKENS:
        return None
    # The matched neighbours: (a1, r1) after the edit, (a0 - 1, r0 - 1) before it.
    for neighbour, (a_lo, a_hi, r_lo, r_hi) in (
        (a1, (a0, a1 + 1, r0, r1 + 1)),
        (a0 - 1, (a0 - 1, a1, r0 - 1, r1)),
    ):
        if a_lo < 0 or r_lo < 0 or a_hi > len(article_norms) or r_hi > len(reference_norms):
            continue
        if neighbour in absorbed_words:
            continue
        if lexicon.are_thesaurus_synonyms(
            " ".join(reference_norms[r_lo:r_hi]), " ".join(article_norms[a_lo:a_hi])
        ):
            return Edit(SUBSTITUTION, (a_lo, a_hi), (r_lo, r_hi))
    return None


def _split_substitutions(
    documents: list[list[Edit]],
    article_norms: Sequence[tuple[str, ...]],
    reference_norms: Sequence[tuple[str, ...]],
) -> list[list[Edit]]:
    """Split the multiword substitutions of each document's edits into the parts that pair
    up as related words; one relatedness batch for all documents, and one chunk search per
    distinct (original, replacement) pair: a split depends on the two phrases only.

    Only edits with two or more tokens on both sides are searched: chunks pair non-empty
    parts in order, so a phrase against one word ("leave" / "go away") is always one chunk.
    """
    pair_numbers: dict[tuple[_Phrase, _Phrase], int] = {}
    pair_of_edit = {
        id(edit): pair_numbers.setdefault(
            (reference[slice(*edit.reference_tokens)], article[slice(*edit.article_tokens)]),
            len(pair_numbers),
        )
        for edits, article, reference in zip(documents, article_norms, reference_norms)
        for edit in edits
        if edit.kind == SUBSTITUTION
        and edit.article_tokens[1] - edit.article_tokens[0] > 1
        and edit.reference_tokens[1] - edit.reference_tokens[0] > 1
    }
    if not pair_of_edit:
        return documents
    chunks = [
        _best_chunks(len(original), len(replacement), relatedness)
        for (original, replacement), relatedness in zip(
            pair_numbers, _relatedness(list(pair_numbers))
        )
    ]
    split = []
    for edits in documents:
        refined: list[Edit] = []
        for edit in edits:
            pair = pair_of_edit.get(id(edit))
            if pair is None:
                refined.append(edit)
                continue
            a0, r0 = edit.article_tokens[0], edit.reference_tokens[0]
            refined.extend(
                Edit(SUBSTITUTION, (a0 + i0, a0 + i1), (r0 + j0, r0 + j1))
                for (j0, j1), (i0, i1) in chunks[pair]
            )
        split.append(refined)
    return split



@lru_cache(maxsize=None)
def phrase_parts(length: int) -> tuple[tuple[int, int], ...]:
    """The (start, end) word ranges of every part of a phrase of ``length`` words: by end,
    then start, so the part (start, end) is number ``end * (end - 1) // 2 + start``."""
    return tuple((start, end) for end in range(1, length + 1) for start in range(end))


def part_number(start: int, end: int) -> int:
    return end * (end - 1) // 2 + start


def _best_chunks(
    original_length: int, replacement_length: int, relatedness: list[list[float]]
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The monotone pairing of chunks of two short phrases that pairs the most related parts.

    ``relatedness[p][q]`` is how related part ``p`` of the original and part ``q`` of the
    replacement are (parts numbered as by ``phrase_parts``). The whole phrase stays one chunk
    unless splitting scores strictly more.
    """
    n, m = original_length, replacement_length
    # score[(i, j)], previous[(i, j)]: the best pairing of the prefixes original[:i] and
    # replacement[:j], and where its last chunk starts. Chunks pair non-empty parts, so a
    # pairing starts at (0, 0) and then only at (i0, j0) with both i0, j0 > 0.
    score = {(0, 0): 0.0}
    previous: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best_score, best_start = -math.inf, (0, 0)
            for i0 in range(i):
                related = relatedness[part_number(i0, i)]
                for j0 in range(1 if i0 else 0, j if i0 else 1):
                    option = score[(i0, j0)] + (related[part_number(j0, j)] - CHUNK_COST)
                    if option > best_score:  # the first best, as max() would pick
                        best_score, best_start = option, (i0, j0)
            score[(i, j)], previous[(i, j)] = best_score, best_start
    whole = relatedness[part_number(0, n)][part_number(0, m)] - CHUNK_COST
    if score[(n, m)] > whole + 1e-9:
        chunks = []
        end = (n, m)
        while end != (0, 0):
            start = previous[end]
            chunks.append(((start[0], end[0]), (start[1], end[1])))
            end = start
        return chunks[::-1]
    return [((0, n), (0, m))]



def _relatedness(phrases: list[tuple[_Phrase, _Phrase]]) -> list[list[list[float]]]:
    """For each (original, replacement) phrase pair, how related each part of the original is
    to each part of the replacement (rows: the original's ``phrase_parts``): 2 for synonyms in the
    thesaurus or WordNet or forms of one word (``lexicon.related_pairs``, one batch for all
    pairs, each distinct pair of parts looked up once), 1 for two function-word parts, else 0."""
    original_texts: list[str] = []
    replacement_texts: list[str] = []
    original_function: list[bool] = []
    replacement_function: list[bool] = []
    shapes = []
    for original, replacement in phrases:
        original_parts, replacement_parts = phrase_parts(len(original)), phrase_parts(len(replacement))
        original_texts.extend(" ".join(original[start:end]) for start, end in original_parts)
        replacement_texts.extend(" ".join(replacement[start:end]) for start, end in replacement_parts)
        original_function.extend(_function_parts(original))
        replacement_function.extend(_function_parts(replacement))
        shapes.append((len(original_parts), len(replacement_parts)))
    # Each pair's part numbers among all originals' and all replacements' parts.
    rows, columns = np.array(shapes, dtype=np.int64).reshape(-1, 2).T
    sizes = rows * columns
    within, pair = range_indices(np.zeros_like(sizes), sizes)
    original_part = (np.cumsum(rows) - rows)[pair] + within // columns[pair]
    replacement_part = (np.cumsum(columns) - columns)[pair] + within % columns[pair]
    related = lexicon.related_pairs(
        [original_texts[i] for i in original_part.tolist()],
        [replacement_texts[i] for i in replacement_part.tolist()],
    )
    both_function = (
        np.array(original_function, dtype=bool)[original_part]
        & np.array(replacement_function, dtype=bool)[replacement_part]
    )
    values = np.where(related, 2.0, np.where(both_function, 1.0, 0.0))
    matrices = []
    first = 0
    for rows, columns in shapes:
        matrices.append(values[first : first + rows * columns].reshape(rows, columns).tolist())
        first += rows * columns
    return matrices


def _function_parts(phrase: _Phrase) -> list[bool]:
    """Whether each part of ``phrase`` (as ``phrase_parts``) is function words only."""
    function = [word in lexicon.FUNCTION_WORDS for word in phrase]
    return [all(function[start:end]) for start, end in phrase_parts(len(phrase))]


def fill_gap(
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
