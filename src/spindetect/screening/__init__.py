"""Screen text for spinner output with no reference: where, what it probably said, how sure.

A stage of its own beside compare (tokenize -> screen): it reads one text, finds listed
tortured phrases ("counterfeit consciousness"), unlisted ones whose words are near-synonyms
of a common fixed expression ("profound learning" for "deep learning"), and disguised words,
scores each finding, and gives the text a calibrated probability of being spun.

- ``phrases.py``: the shipped phrase knowledge as token-id tables (built once);
- ``detect.py``: the finders, array passes over a batch (``grammar.py``: words that cannot
  fill their slot);
- ``model.py``: the shipped weights (``data/screen_model.json``);
- ``result.py``: the ``Screening`` and ``Finding`` types; ``render.py``: the HTML page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from .._checks import check_batch_size, check_text, check_threshold
from ..pipeline import batches
from ..tokenize import TokenBatch, Tokens, tokenize_batch
from .detect import (
    BROKEN_GRAMMAR,
    FEATURES,
    GRAMMAR_FEATURES,
    KNOWN_PHRASE,
    TORTURED_COLLOCATION,
    BatchWords,
    Hit,
    find_hits,
    reads_as_english,
    text_statistics,
)
from .grammar import CHECKS
from .model import ScreenModel, document_features, load_screen_model, sigmoid, steady_statistics
from .phrases import Collocations, KnownPhrases, Rule, collocations, known_phrases, rule_pairs
from .result import SCREENING_SCHEMA_VERSION, Finding, Screening

__all__ = [
    "DEFAULT_SCREEN_BATCH_SIZE",
    "DEFAULT_SCREEN_THRESHOLD",
    "SCREENING_SCHEMA_VERSION",
    "Finding",
    "Rule",
    "Screening",
    "iter_screen",
    "screen",
    "screen_many",
]

#: Findings scored at or over this are reported.
DEFAULT_SCREEN_THRESHOLD = 0.5
#: The most texts screened together by default. A batch also closes at
#: ``pipeline.BATCH_CHARACTERS`` (1 MiB) of text, which is what bounds batches of articles;
#: sentences fill it only by the thousands, and the per-batch work (the lexicon look-ups of
#: the batch's words, one pass of each finder) is spread over all of them: 1 MB of real
#: sentences screened at 4.0 MB/s in batches of 1,024, 5.4 MB/s in batches of 8,192.
DEFAULT_SCREEN_BATCH_SIZE = 8192


def screen(
    text: str, *, threshold: float = DEFAULT_SCREEN_THRESHOLD, rules: Iterable[Rule] = ()
) -> Screening:
    """Screen one text for spinner output, with no reference to compare it with.

    ``threshold`` (default 0.5) sets which findings are reported; the document score does
    not depend on it. ``rules`` adds spinner rules to the shipped ones: ``RecurringSwap``s
    from ``recurring_swaps`` or ``(original, replacement)`` pairs; a rule whose replacement
    has two or more words is matched as a known phrase, a one-word rule helps name
    tortured collocations, and a rule's original is named first as the likely original of
    a grammar break in its replacement ("exit" for "go away markets").

    The models know English only: a text of six tokens or more without a single English
    function word (another language, a list of names) is not read as English and scores
    0.0, no verdict, as ``compare`` gives a pair it cannot judge; its findings, if any, are
    still reported. A text of a few words scores near what ordinary text scores.

    >>> screening = screen("We apply counterfeit consciousness to bosom malignancy screening.")
    >>> [(f.text, f.expected) for f in screening.findings]
    [('counterfeit consciousness', 'artificial intelligence'), ('bosom malignancy', 'breast cancer')]
    >>> screen("The court imposed a fine of 500,000 euros on the company.").findings
    ()
    """
    check_text(text, "text")
    (screening,) = _screen_batch([text], check_threshold(threshold), rule_pairs(rules))
    return screening


def screen_many(
    texts: Iterable[str],
    *,
    threshold: float = DEFAULT_SCREEN_THRESHOLD,
    batch_size: int = DEFAULT_SCREEN_BATCH_SIZE,
    rules: Iterable[Rule] = (),
) -> list[Screening]:
    """``screen(text)`` for each text, in order, in batches of ``batch_size`` texts at most
    (see ``iter_screen``): the same screenings, computed with one pass per batch.

    >>> [len(s.findings) for s in screen_many(["huge information", "big data"])]
    [1, 0]
    """
    return list(iter_screen(texts, threshold=threshold, batch_size=batch_size, rules=rules))


def iter_screen(
    texts: Iterable[str],
    *,
    threshold: float = DEFAULT_SCREEN_THRESHOLD,
    batch_size: int = DEFAULT_SCREEN_BATCH_SIZE,
    rules: Iterable[Rule] = (),
) -> Iterator[Screening]:
    """Screenings of ``texts`` as they are read, in batches (memory stays bounded by the
    batch): ``batch_size`` texts (default ``DEFAULT_SCREEN_BATCH_SIZE``, 8,192) or fewer, as a batch
    also closes once its texts hold ``pipeline.BATCH_CHARACTERS`` (1 MiB). Bad arguments
    raise at once; a bad text when its batch is read.

    >>> [s.tokens for s in iter_screen(iter(["one two", "three"]), batch_size=1)]
    [2, 1]
    """
    cutoff = check_threshold(threshold)
    size = check_batch_size(batch_size)
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be an iterable of str, got a single string; wrap it in a list")
    if not isinstance(texts, Iterable):
        raise TypeError(f"texts must be an iterable of str, got {type(texts).__name__}")
    return _iter_batches(iter(texts), cutoff, size, rule_pairs(rules))


def _iter_batches(
    texts: Iterator[object], threshold: float, batch_size: int,
    rules: tuple[tuple[str, str], ...],
) -> Iterator[Screening]:
    checked = (check_text(text, f"texts[{number}]") for number, text in enumerate(texts))
    for batch in batches(checked, batch_size, len):
        yield from _screen_batch(batch, threshold, rules)


def _screen_batch(
    texts: Sequence[str], threshold: float, rules: tuple[tuple[str, str], ...]
) -> list[Screening]:
    return screen_with(
        texts, threshold, known_phrases(rules), collocations(rules), load_screen_model()
    )


def screen_with(
    texts: Sequence[str], threshold: float, known: KnownPhrases, tables: Collocations,
    model: ScreenModel,
) -> list[Screening]:
    """Screen a batch with the given tables and model (the evaluation builds its own): one
    tokenization, one pass of each finder, one scoring pass."""
    batch, per_document, matrix, english = _evidence(texts, known, tables, model, threshold)
    # A text that cannot be read as English (``reads_as_english``) gets no verdict: 0.
    document_scores = np.where(english, sigmoid(model.document.logits(matrix)), 0.0)
    return [
        Screening(
            score=float(document_scores[number]) if len(tokens) else 0.0,
            findings=_findings(tokens, found),
            threshold=threshold,
            tokens=len(tokens),
            text=tokens.text,
        )
        for number, (tokens, found) in enumerate(zip(batch.tokens, per_document))
    ]


def document_matrix(
    texts: Sequence[str], known: KnownPhrases, tables: Collocations, model: ScreenModel
) -> np.ndarray:
    """The DOCUMENT_FEATURES of each text (what the document model reads), for fitting it."""
    return _evidence(texts, known, tables, model)[2]


def _evidence(
    texts: Sequence[str], known: KnownPhrases, tables: Collocations, model: ScreenModel,
    threshold: float = DEFAULT_SCREEN_THRESHOLD,
) -> tuple[TokenBatch, list[list[tuple[Hit, float]]], np.ndarray, np.ndarray]:
    """The batch's tokens, each text's hits scored at or over ``threshold`` (with their
    scores), every text's document features and whether it reads as English."""
    batch = tokenize_batch(texts)
    words = BatchWords.of(batch.vocabulary)
    found = find_hits(batch, words, known, tables, model.collocation_scores, keep=threshold,
                      grammar_score=model.grammar_scores)
    per_document: list[list[tuple[Hit, float]]] = [[] for _ in texts]
    other_documents, other_scores = [], []
    for hit in found.hits:
        hit_score = _hit_score(hit, model.kind_scores)
        if hit.kind not in (TORTURED_COLLOCATION, BROKEN_GRAMMAR):
            other_documents.append(hit.document)
            other_scores.append(hit_score)
        if hit_score >= threshold:
            per_document[hit.document].append((hit, hit_score))
    token_counts = np.fromiter(map(len, batch.tokens), dtype=np.int64, count=len(texts))
    matrix = document_features(
        np.concatenate([found.collocation_documents, found.grammar_documents,
                        np.array(other_documents, dtype=np.int64)]),
        np.concatenate([found.collocation_scores, found.grammar_scores,
                        np.array(other_scores, dtype=np.float64)]),
        token_counts,
        steady_statistics(text_statistics(batch, words), token_counts, model.statistics_prior),
        found.grammar_documents,
        found.grammar_scores,
    )
    return batch, per_document, matrix, reads_as_english(batch, words)




def _hit_score(hit: Hit, kind_scores: dict[str, float]) -> float:
    if hit.kind in (TORTURED_COLLOCATION, BROKEN_GRAMMAR):
        return hit.score
    if hit.kind == KNOWN_PHRASE and hit.features[0]:
        return kind_scores["rule_phrase"]
    return kind_scores[hit.kind]


def _signals(hit: Hit) -> tuple[tuple[str, float], ...]:
    if hit.kind == TORTURED_COLLOCATION:
        return tuple(zip(FEATURES, hit.features))
    if hit.kind == BROKEN_GRAMMAR:
        # The check that fired (not the others' zeros), then the word pairs' evidence.
        evidence = dict(zip(GRAMMAR_FEATURES, hit.features))
        fired = [(check, 1.0) for check in CHECKS if evidence[check]]
        measured = [name for name in GRAMMAR_FEATURES[len(CHECKS):]
                    if name != "other_article_pair" or evidence["article"]]
        return (*fired, *((name, evidence[name]) for name in measured))
    if hit.kind == KNOWN_PHRASE:
        return (("listed", 1.0), ("from_rules", hit.features[0]), ("words", hit.features[1]))
    return ((hit.kind, 1.0),)


def _findings(tokens: Tokens, found: list[tuple[Hit, float]]) -> tuple[Finding, ...]:
    """Scored hits as Findings in text order; overlapping tortured collocations ("profound
    learning calculations") become one finding; of other overlapping hits ("an nice of":
    an article that disagrees, before a word that fits no slot) the higher scored is kept."""
    kept = sorted(found, key=lambda pair: pair[0].start)
    merged: list[list[tuple[Hit, float]]] = []
    for hit, score in kept:
        previous = merged[-1][-1][0] if merged else None
        if (previous is not None and hit.kind == previous.kind == TORTURED_COLLOCATION
                and hit.start < previous.stop):
            merged[-1].append((hit, score))
        else:
            merged.append([(hit, score)])
    separate: list[list[tuple[Hit, float]]] = []
    for group in merged:
        if separate and group[0][0].start < max(hit.stop for hit, _ in separate[-1]):
            if max(score for _, score in group) > max(score for _, score in separate[-1]):
                separate[-1] = group
            continue
        separate.append(group)
    findings = []
    for group in separate:
        first_hit, last_hit = group[0][0], group[-1][0]
        start, end = int(tokens.starts[first_hit.start]), int(tokens.ends[last_hit.stop - 1])
        best_hit, best_score = max(group, key=lambda pair: pair[1])
        findings.append(Finding(
            kind=first_hit.kind,
            span=(start, end),
            text=tokens.text[start:end],
            expected=_merged_expected(tokens, [hit for hit, _ in group]) or None,
            score=best_score,
            signals=_signals(best_hit),
        ))
    return tuple(findings)


def _merged_expected(tokens: Tokens, hits: list[Hit]) -> str:
    """The likely original of overlapping hits: at each token, the word a hit expects
    there where it differs from the written one, else the written one."""
    if len(hits) == 1:
        return hits[0].expected
    words: dict[int, str] = {}
    for hit in hits:
        for offset, word in enumerate(hit.expected.split()):
            position = hit.start + offset
            if position not in words or words[position] == tokens.norms[position]:
                words[position] = word
    return " ".join(words[position] for position in sorted(words))
