"""Turn the gaps of aligned passages into edits: substitutions, insertions and deletions.

Third stage (tokenize -> align -> extract -> score -> report). Inside a gap a small
longest-common-subsequence fill recovers single shared words the anchors were too short to
catch ("a nice of" / "a fine of" share "a" and "of"); what differs between those matches is
an edit. Edits of up to MAX_EDIT_TOKENS tokens a side are swaps; longer differing stretches
are rewritten clauses, not swaps, and are left out of both the swaps and the coverage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import regex

from . import lexicon
from .align import MAX_EDIT_TOKENS, Alignment, Passage, common_subsequence
from .tokenize import Tokens, fold_token

__all__ = [
    "EVASION_KINDS",
    "MAX_EDIT_TOKENS",
    "Edit",
    "Extraction",
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

_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")
_FORMAT_CHARS = regex.compile(r"\p{Cf}")


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
    gaps = [
        _gap_edits(alignment, article, reference)
        for alignment, article, reference in zip(alignments, article_norms, reference_norms)
    ]
    split = _split_substitutions([edits for edits, _, _ in gaps], article_norms, reference_norms)
    extractions = []
    for alignment, edits, (_, aligned, matches) in zip(alignments, split, gaps):
        for edit in edits:
            if edit.kind == SUBSTITUTION:
                aligned[slice(*edit.article_tokens)] = True
        edits.sort(key=lambda edit: (edit.article_tokens, edit.reference_tokens))
        extractions.append(Extraction(
            edits=tuple(edits),
            aligned_tokens=int(np.count_nonzero(aligned)),
            passages=alignment.passages,
            matches=matches[np.argsort(matches[:, 0], kind="stable")],
        ))
    return extractions


def _gap_edits(
    alignment: Alignment,
    article_norms: tuple[str, ...],
    reference_norms: tuple[str, ...],
) -> tuple[list[Edit], np.ndarray, np.ndarray]:
    """The edits of one alignment's gaps (phrase insertions absorbed, not yet split), the
    article tokens accounted for so far (bool), and the matched token pairs (rows)."""
    edits: list[Edit] = []
    # Article tokens the alignment accounts for: exact matches and both sides of substitutions.
    aligned = np.zeros(len(article_norms), dtype=bool)
    blocks = [block for passage in alignment.passages for block in passage.blocks]
    matches: list[np.ndarray] = [_block_matches(blocks)]
    for a_start, _, length in blocks:
        aligned[a_start : a_start + length] = True
    for passage in alignment.passages:
        for a_start, a_end, r_start, r_end in passage.gaps():
            gap_edits, gap_matches = _fill_gap(
                alignment.article_ids[a_start:a_end],
                alignment.reference_ids[r_start:r_end],
            )
            if gap_matches:
                pairs = np.asarray(gap_matches, dtype=np.int64) + (a_start, r_start)
                aligned[pairs[:, 0]] = True
                matches.append(pairs)
            for a0, a1, r0, r1 in gap_edits:
                span = (a_start + a0, a_start + a1, r_start + r0, r_start + r1)
                if _same_letters(*span, article_norms, reference_norms):
                    aligned[span[0] : span[1]] = True
                elif a1 - a0 <= MAX_EDIT_TOKENS and r1 - r0 <= MAX_EDIT_TOKENS:
                    edits.append(_make_edit(*span))
    edits = _absorb_phrase_insertions(edits, article_norms, reference_norms)
    return edits, aligned, np.concatenate(matches)


def _block_matches(blocks: list[tuple[int, int, int]]) -> np.ndarray:
    """The (article index, reference index) rows of every token of exact-match blocks."""
    if not blocks:
        return np.empty((0, 2), dtype=np.int64)
    a_starts, r_starts, lengths = np.array(blocks, dtype=np.int64).reshape(-1, 3).T
    first = np.cumsum(lengths) - lengths
    within = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(first, lengths)
    return np.column_stack([np.repeat(a_starts, lengths) + within,
                            np.repeat(r_starts, lengths) + within])


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
    if len(_FORMAT_CHARS.findall(article_surface)) > len(_FORMAT_CHARS.findall(reference_surface)):
        return INVISIBLE
    return None


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
    up as related words; one relatedness batch for all documents."""
    phrases = {
        id(edit): (reference[slice(*edit.reference_tokens)], article[slice(*edit.article_tokens)])
        for edits, article, reference in zip(documents, article_norms, reference_norms)
        for edit in edits
        if edit.kind == SUBSTITUTION
        and (edit.article_tokens[1] - edit.article_tokens[0] > 1
             or edit.reference_tokens[1] - edit.reference_tokens[0] > 1)
    }
    if not phrases:
        return documents
    relatedness = _relatedness(
        {
            pair: None
            for original, replacement in phrases.values()
            for pair in _part_pairs(original, replacement)
        }
    )
    split = []
    for edits in documents:
        refined: list[Edit] = []
        for edit in edits:
            phrase = phrases.get(id(edit))
            if phrase is None:
                refined.append(edit)
                continue
            a0, r0 = edit.article_tokens[0], edit.reference_tokens[0]
            refined.extend(
                Edit(SUBSTITUTION, (a0 + i0, a0 + i1), (r0 + j0, r0 + j1))
                for (j0, j1), (i0, i1) in _best_chunks(*phrase, relatedness)
            )
        split.append(refined)
    return split


_Phrase = tuple[str, ...]


def _part_pairs(original: _Phrase, replacement: _Phrase) -> list[tuple[_Phrase, _Phrase]]:
    """Every (part of original, part of replacement) pair ``_best_chunks`` may weigh."""
    n, m = len(original), len(replacement)
    return [
        (original[i0:i], replacement[j0:j])
        for i in range(1, n + 1)
        for i0 in range(i)
        for j in range(1, m + 1)
        for j0 in range(j)
    ]


def _best_chunks(
    original: _Phrase,
    replacement: _Phrase,
    relatedness: dict[tuple[_Phrase, _Phrase], float],
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The monotone pairing of chunks of two short phrases that pairs the most related parts.

    ``relatedness`` holds every pair of parts (``_relatedness``). The whole phrase stays one
    chunk unless splitting scores strictly more.
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
                    gain = relatedness[(original[i0:i], replacement[j0:j])] - CHUNK_COST
                    options.append((score + gain, chunks + [((i0, i), (j0, j))]))
            if options:
                best[(i, j)] = max(options, key=lambda option: option[0])
    whole = relatedness[(original, replacement)] - CHUNK_COST
    score, chunks = best[(n, m)]
    if score > whole + 1e-9:
        return chunks
    return [((0, n), (0, m))]


# Each chunk costs a little, so a split must pair related parts to beat the whole phrase.
CHUNK_COST = 0.1


def _relatedness(
    pairs: dict[tuple[_Phrase, _Phrase], None],
) -> dict[tuple[_Phrase, _Phrase], float]:
    """How related the two parts of each pair are: 2 for synonyms in the thesaurus or
    WordNet or forms of one word (``lexicon.related_pairs``, one batch for all pairs), 1 for
    two function-word parts, else 0."""
    related = lexicon.related_pairs(
        [" ".join(original) for original, _ in pairs],
        [" ".join(replacement) for _, replacement in pairs],
    ).tolist()
    return {
        (original, replacement): 2.0 if is_related
        else 1.0 if all(word in lexicon.FUNCTION_WORDS for word in original + replacement)
        else 0.0
        for (original, replacement), is_related in zip(pairs, related)
    }


def _fill_gap(
    article_ids: np.ndarray, reference_ids: np.ndarray
) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int]]]:
    """Edits (a0, a1, r0, r1) between the tokens a gap's two sides still share, and the shared."""
    left, right = article_ids.tolist(), reference_ids.tolist()
    if set(left).isdisjoint(right):  # most gaps: one edit, nothing shared
        return [(0, len(left), 0, len(right))] if left or right else [], []
    matches = common_subsequence(left, right)
    edits: list[tuple[int, int, int, int]] = []
    a_prev = r_prev = 0
    for a_pos, r_pos in matches + [(len(article_ids), len(reference_ids))]:
        if a_prev < a_pos or r_prev < r_pos:
            edits.append((a_prev, a_pos, r_prev, r_pos))
        a_prev, r_prev = a_pos + 1, r_pos + 1
    return edits, matches
