"""Fit ``src/spindetect/data/screen_model.json``, the screening model, on development data only.

    python scripts/fit_screen_model.py           # fit and write the model
    python scripts/fit_screen_model.py --check   # fail if the shipped file differs from a fresh fit
    python scripts/fit_screen_model.py --without-grammar --output /tmp/m.json  # the ablation

Data (benchmarks/screen_quality.py builds it; nothing held out is read):

* Tortured-collocation hits: the PPS even rows in carrier sentences, in two folds, each
  screened with tables built from the other fold, so every phrase is unlisted when seen. A
  hit on the tortured phrase is a positive; hits elsewhere, on the expected phrase of the
  counterpart sentence and in clean development sentences (MRPC train, PAN train sources,
  half with each fold's tables) are negatives. A ridge logistic regression with class
  weights balanced; then its bias is lowered until at most ``CLEAN_TARGET`` of the clean
  sentences of each kind (news, books), screened with the shipped tables, have a
  collocation or grammar finding scored 0.5 or more (issue 22's target for clean text, which
  holds for news and books each: calibrated on the two pooled, as until stop 24, the news
  left room for 1.3% of the books).
* Grammar candidates (``grammar.py``): in the development texts with located swaps
  (``screen_quality.grammar_texts``), a candidate on a spinner swap is a positive, one on a
  swap judged natural or on unchanged words of a whole rewrite a negative, and every
  candidate in the clean development sentences a negative. A ridge logistic regression,
  unweighted: a candidate is rare in clean text (one in about 500 sentences) and common in
  spinner output, and weighing the few negatives up to the positives would make every
  check look like chance; then its bias is lowered until at most ``GRAMMAR_CLEAN_SHARE`` of
  the clean sentences of each kind have a grammar finding at 0.5 (the rest of
  ``CLEAN_TARGET`` is left to the collocations).
* Known phrases and evasions: the share of their hits that are not in clean sentences
  (Laplace-smoothed), which is what their score claims.
* The document model: a logistic regression on ``DOCUMENT_FEATURES`` of two kinds of
  development documents, each kind given half the weight and its two classes balanced, so
  0.5 is even odds in both: the PAN train rewrites labelled by reading
  (benchmarks/data/pan-train-labels-*.tsv: real spinner output against people's rewrites,
  sentences of old books), and news (the even-numbered blocks of 1, 3, 8 and 20 MRPC train
  paraphrase pairs: the people's sentences of a block against the other sentences of the
  block with ``NEWS_SPIN_RATE`` of their content words swapped for thesaurus synonyms).
  Fitted on the books alone, the model read modern news, with its names and rarer word
  pairs, as spun (every human seed article scored 0.55 to 0.75). The 5-fold AUC of each
  kind is kept in the model's provenance; the odd-numbered news blocks are left for
  checking.
  The text statistics enter as ``model.steady_statistics`` gives them: drawn towards their
  means over the clean side of these documents (``statistics_prior``), so that a text of a
  few words (a name alone) reads as ordinary text, not as a sentence of rare words.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import context_sets  # noqa: E402
import eval_data  # noqa: E402
import screen_quality as quality  # noqa: E402
from fit_model import fit_logistic, model_json  # noqa: E402
from shipped_file import write_or_check  # noqa: E402

from spindetect.score.model import LogisticModel  # noqa: E402
from spindetect.screening.detect import (  # noqa: E402
    BROKEN_GRAMMAR,
    FEATURES,
    GRAMMAR_FEATURES,
    KNOWN_PHRASE,
    TORTURED_COLLOCATION,
    BatchWords,
    _no_scores,
    find_hits,
)
from spindetect.screening.model import (  # noqa: E402
    DOCUMENT_FEATURES,
    SCREEN_MODEL_PATH,
    ScreenModel,
)
from spindetect.screening.phrases import Collocations, KnownPhrases  # noqa: E402
from spindetect.tokenize import tokenize_batch  # noqa: E402

# Issue 22: at most 1% of clean sentences of each kind (news, books) with any finding at the
# default threshold.
CLEAN_TARGET = 0.01
# The most of it grammar findings may take, per kind. The fitted grammar model flags about
# one clean development sentence in 500 before any shift, more of the books (dialect and
# archaic spelling: "an' wife", "my cozen", "they staid") than of the news; the collocations
# get the rest.
GRAMMAR_CLEAN_SHARE = 0.002
BATCH = 256
# DOCUMENT_FEATURES read from the findings; the rest are whole-text statistics.
FINDING_COLUMNS = DOCUMENT_FEATURES.index("grammar_evidence") + 1


def token_span(tokens, span: tuple[int, int]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The tokens [first, last) overlapping a character span."""
    inside = np.flatnonzero((tokens.starts < span[1]) & (tokens.ends > span[0]))
    return (int(inside[0]), int(inside[-1]) + 1) if len(inside) else (0, 0)


def collocation_rows(texts: Sequence[str], spans: Sequence[tuple[int, int] | None],
                     known: KnownPhrases, tables: Collocations, model: ScreenModel,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """Features, labels (1: on the given span) and text number of every collocation hit,
    and the texts with a known-phrase hit."""
    features, labels, owners, known_texts = [], [], [], []
    for low in range(0, len(texts), BATCH):
        batch = tokenize_batch(texts[low : low + BATCH])
        words = BatchWords.of(batch.vocabulary)
        for hit in find_hits(batch, words, known, tables, model.collocation_scores).hits:
            number = low + hit.document
            if hit.kind == KNOWN_PHRASE:
                known_texts.append(number)
            if hit.kind != TORTURED_COLLOCATION:
                continue
            span = spans[number]
            target = token_span(batch.tokens[hit.document], span) if span else (0, 0)
            features.append(hit.features)
            labels.append(int(hit.start < target[1] and target[0] < hit.stop))
            owners.append(number)
    return (np.array(features, dtype=np.float64).reshape(-1, len(FEATURES)),
            np.array(labels, dtype=np.int64), np.array(owners, dtype=np.int64), known_texts)


def char_span(tokens, start: int, stop: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return int(tokens.starts[start]), int(tokens.ends[stop - 1])


def grammar_candidate_rows(texts: Sequence[str]) -> list[tuple[int, tuple[int, int], tuple[float, ...]]]:
    """(text number, character span, GRAMMAR_FEATURES) of every grammar candidate."""
    known, tables = quality.known_phrases(), quality.collocations()
    rows = []
    for low in range(0, len(texts), BATCH):
        batch = tokenize_batch(texts[low : low + BATCH])
        words = BatchWords.of(batch.vocabulary)
        for hit in find_hits(batch, words, known, tables, _no_scores).hits:
            if hit.kind == BROKEN_GRAMMAR:
                span = char_span(batch.tokens[hit.document], hit.start, hit.stop)
                rows.append((low + hit.document, span, hit.features))
    return rows


def _touches(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < other[1] and other[0] < span[1] for other in spans)


def grammar_rows() -> dict[str, np.ndarray]:
    """Features and labels of the grammar candidates (see the module docstring), and the
    clean sentences' candidates with the sentence each is in, for the bias."""
    located = quality.grammar_texts()
    features, labels = [], []
    for number, span, row in grammar_candidate_rows([text.text for text in located]):
        text = located[number]
        if _touches(span, text.spun):
            labels.append(1)
        elif _touches(span, text.natural) or text.rest == "clean":
            labels.append(0)
        else:
            continue
        features.append(row)
    clean, _ = clean_kinds()
    clean_rows = grammar_candidate_rows(clean)
    clean_features = [row for _, _, row in clean_rows]
    shape = (-1, len(GRAMMAR_FEATURES))
    return {
        "x": np.array(features + clean_features, dtype=np.float64).reshape(shape),
        "y": np.array(labels + [0] * len(clean_features), dtype=np.int64),
        "clean_x": np.array(clean_features, dtype=np.float64).reshape(shape),
        "clean_owner": np.array([number for number, _, _ in clean_rows], dtype=np.int64),
        "clean_count": np.array(len(clean)),
    }


def best_per_owner(logits: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct owners and the highest logit of each."""
    if len(logits) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    order = np.argsort(owners, kind="stable")
    distinct, first = np.unique(owners[order], return_index=True)
    return distinct, np.maximum.reduceat(logits[order], first)


def bias_shift(best: np.ndarray, allowed: int) -> float:
    """How much to lower a bias so that at most ``allowed`` of the ``best`` logits (one per
    sentence) stay at or over 0."""
    if len(best) <= allowed:
        return 0.0
    cut = np.sort(best)[::-1][allowed]
    return max(0.0, float(cut) + 1e-6)


def lowered_per_kind(model: LogisticModel, best: np.ndarray, kinds: np.ndarray,
                     allowed: dict[str, int]) -> tuple[LogisticModel, float]:
    """``model`` with its bias lowered until every kind of clean text has at most
    ``allowed[kind]`` of its ``best`` logits at or over 0 (``kinds`` names each logit's
    kind), so that no kind pays for another's margin; and the shift."""
    shift = max(bias_shift(best[kinds == kind], count) for kind, count in allowed.items())
    return dataclasses.replace(model, bias=model.bias - shift), shift


def clean_kinds() -> tuple[list[str], np.ndarray]:
    """The clean development sentences and the kind of each (``"news"``, ``"books"``)."""
    kinds = quality.clean_sentence_kinds(heldout=False)
    return list(kinds), np.array(list(kinds.values()))


def allowed_per_kind(kinds: np.ndarray, share: float, flagged: Collection[int] = ()) -> dict[str, int]:
    """How many sentences of each kind may be flagged at ``share`` of that kind, less those
    of it that are ``flagged`` already (indices into ``kinds``)."""
    taken = kinds[np.array(sorted(flagged), dtype=np.int64)] if flagged else np.array([])
    return {str(kind): max(0, int(share * int((kinds == kind).sum())) - int((taken == kind).sum()))
            for kind in np.unique(kinds)}


def fit_grammar(rows: dict[str, np.ndarray]) -> tuple[LogisticModel, dict[str, object], set[int]]:
    """The grammar model, its statistics and the clean sentences it flags at 0.5."""
    x, y = rows["x"], rows["y"]
    fitted = fit_logistic(x, y, GRAMMAR_FEATURES, np.ones(len(y)))
    owners, best = best_per_owner(fitted.logits(rows["clean_x"]), rows["clean_owner"])
    _, kinds = clean_kinds()
    model, shift = lowered_per_kind(fitted, best, kinds[owners],
                                    allowed_per_kind(kinds, GRAMMAR_CLEAN_SHARE))
    flagged = set(owners[best - shift >= 0].tolist())
    positives = model.logits(x[y == 1]) >= 0
    return model, {"bias_shift": shift, "positives_kept": float(positives.mean()),
                   "positives": int(y.sum()), "negatives": int((1 - y).sum()),
                   "clean_sentences_flagged": len(flagged)}, flagged


def training_rows(model: ScreenModel) -> dict[str, object]:
    fold_a, fold_b = quality.dev_folds()
    clean = quality.clean_sentences(heldout=False)
    halves = (clean[0::2], clean[1::2])
    parts = []
    known_hits = {"phrases": 0, "clean": 0}
    for number, (screened, built_from) in enumerate(((fold_a, fold_b), (fold_b, fold_a))):
        known, tables = quality.fold_tables(built_from)
        cases = quality.phrase_cases(screened)
        texts = [c.tortured for c in cases] + [c.expected for c in cases]
        spans: list[tuple[int, int] | None] = [c.tortured_span for c in cases] + [None] * len(cases)
        x, y, _, found = collocation_rows(texts, spans, known, tables, model)
        parts.append((x, y, np.zeros(len(y), dtype=np.int64), "phrases"))
        known_hits["phrases"] += sum(1 for t in found if t < len(cases))
        x, y, owners, found = collocation_rows(halves[number], [None] * len(halves[number]),
                                               known, tables, model)
        parts.append((x, y, owners + number * 10**7, "clean"))
        known_hits["clean"] += len(found)
    # The bias is set on the clean sentences as the shipped tables see them (more targets
    # than either fold's), which is what users get.
    x, _, owners, found = collocation_rows(clean, [None] * len(clean), quality.known_phrases(),
                                           quality.collocations(), model)
    calibration = (x, owners)
    return {"parts": parts, "known_hits": known_hits, "clean_count": len(clean),
            "calibration": calibration}


def fit_collocation(parts: list, clean_count: int,  # type: ignore[type-arg]
                    calibration: tuple[np.ndarray, np.ndarray],
                    already_flagged: set[int]) -> tuple[LogisticModel, dict[str, float]]:
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    fitted = fit_logistic(x, y, FEATURES, balanced(y), knot_count=3)
    # Lower the bias until clean sentences meet the target at 0.5, counting those that a
    # grammar finding flags already.
    clean_x, clean_owner = calibration
    owners, best = best_per_owner(fitted.logits(clean_x), clean_owner)
    unflagged = ~np.isin(owners, np.array(sorted(already_flagged), dtype=np.int64))
    _, kinds = clean_kinds()
    assert len(kinds) == clean_count
    model, shift = lowered_per_kind(fitted, best[unflagged], kinds[owners[unflagged]],
                                    allowed_per_kind(kinds, CLEAN_TARGET, already_flagged))
    positives = model.logits(x[y == 1]) >= 0
    return model, {"bias_shift": shift, "positives_kept": float(positives.mean()),
                   "positives": int(y.sum()), "negatives": int((1 - y).sum())}


# Share of a news block's content words a thesaurus spinner swaps (seed 003, real spinner
# output, has about one in five of its content words swapped).
NEWS_SPIN_RATE = 0.2
NEWS_BLOCK_SIZES = (1, 3, 8, 20)


def news_documents() -> tuple[list[str], np.ndarray]:
    """News documents (MRPC train, even-numbered blocks of each size) and labels (1: spun):
    people's sentences, and the block's other sentences thesaurus-spun."""
    texts: list[str] = []
    labels: list[int] = []
    for size in NEWS_BLOCK_SIZES:
        for number, block in enumerate(context_sets.mrpc_blocks("dev", size)):
            if number % 2:
                continue
            spun, swaps = context_sets.thesaurus_spin(
                " ".join(pair.s1 for pair in block), rate=NEWS_SPIN_RATE, seed=size * 100_000 + number
            )
            if swaps:
                texts += [" ".join(pair.s2 for pair in block), spun]
                labels += [0, 1]
    return texts, np.array(labels, dtype=np.int64)


def document_rows(model: ScreenModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """DOCUMENT_FEATURES, labels (1: spinner) and kind (0: PAN book rewrites labelled by
    reading, 1: news) of the documents the document model is fitted on, screened with the
    shipped tables."""
    rewrites, labels = quality.pan_labelled_rewrites()
    news, news_labels = news_documents()
    matrix = _document_matrix(list(rewrites) + news, quality.known_phrases(),
                              quality.collocations(), model)
    kinds = np.r_[np.zeros(len(labels), dtype=np.int64), np.ones(len(news_labels), dtype=np.int64)]
    return matrix, np.r_[labels, news_labels], kinds


def cross_validated_auc(matrix: np.ndarray, labels: np.ndarray, kinds: np.ndarray,
                        kind: int, folds: int = 5, columns: Sequence[int] | None = None) -> float:
    """AUC on the documents of ``kind`` of the document model fitted on the other folds (all
    kinds), for an honest development figure; ``columns`` keeps only those
    DOCUMENT_FEATURES (the others set to 0)."""
    if columns is not None:
        kept = np.zeros(matrix.shape[1], dtype=bool)
        kept[list(columns)] = True
        matrix = np.where(kept, matrix, 0.0)
    scores = np.zeros(len(labels), dtype=np.float64)
    fold_of = np.arange(len(labels)) % folds
    for fold in range(folds):
        train = fold_of != fold
        fitted = fit_logistic(matrix[train], labels[train], DOCUMENT_FEATURES,
                              balanced(labels[train], kinds[train]))
        scores[~train] = fitted.logits(matrix[~train])
    return quality.auc(scores[kinds == kind], labels[kinds == kind])


def balanced(labels: np.ndarray, kinds: np.ndarray | None = None) -> np.ndarray:
    """Sample weights giving each kind of document equal total weight, and both classes
    within a kind equal weight."""
    kinds = np.zeros(len(labels), dtype=np.int64) if kinds is None else kinds
    weights = np.zeros(len(labels), dtype=np.float64)
    present = np.unique(kinds)
    for kind in present.tolist():
        for label in (0, 1):
            members = (kinds == kind) & (labels == label)
            if members.any():
                weights[members] = len(labels) / (2 * len(present) * int(members.sum()))
    return weights


def _document_matrix(texts: Sequence[str], known: KnownPhrases, tables: Collocations,
                     model: ScreenModel) -> np.ndarray:
    from spindetect.screening import document_matrix

    return np.concatenate([
        document_matrix(texts[low : low + BATCH], known, tables, model)
        for low in range(0, len(texts), BATCH)
    ])


# Which expression a rare pair tortures is chosen by the collocation model itself; the fit
# starts from these hand-set weights (a spinner target, a known rule and a WordNet synonym
# count most) and refits once with its own first result, so a fresh fit never depends on
# the model file it replaces.
PRIOR_WEIGHTS = {"expected_target": 2.5, "via_rule": 2.0, "via_wordnet": 1.0,
                 "expected_wordnet": 1.0, "two_words_changed": -1.0}
FIT_ROUNDS = 2


def prior_model() -> ScreenModel:
    weights = np.array([PRIOR_WEIGHTS.get(name, 0.0) for name in FEATURES], dtype=np.float64)
    zeros, ones = np.zeros(len(FEATURES)), np.ones(len(FEATURES))
    collocation = LogisticModel(FEATURES, tuple(() for _ in FEATURES), zeros, ones, weights, -3.0)
    return ScreenModel(collocation, collocation, collocation, {}, {})


def fit(with_grammar: bool = True) -> ScreenModel:
    """The screening model; ``with_grammar=False`` fits it without the grammar finder (its
    candidates all scored 0, the whole clean-text allowance left to the collocations)."""
    grammar, grammar_stats, grammar_flagged = fit_grammar(grammar_rows())
    if not with_grammar:
        grammar = dataclasses.replace(grammar, bias=-1e9)
        grammar_stats, grammar_flagged = {"left_out": True}, set()
    start = prior_model()
    for _ in range(FIT_ROUNDS):
        rows = training_rows(start)
        collocation, stats = fit_collocation(rows["parts"], rows["clean_count"],  # type: ignore[arg-type]
                                             rows["calibration"], grammar_flagged)  # type: ignore[arg-type]
        start = ScreenModel(collocation, grammar, start.document, start.kind_scores, {})
    known_hits = rows["known_hits"]
    assert isinstance(known_hits, dict)
    known_score = (known_hits["phrases"] + 1) / (known_hits["phrases"] + known_hits["clean"] + 2)
    kind_scores = {"known_phrase": round(known_score, 4), "rule_phrase": round(known_score, 4),
                   "homoglyph": 0.99, "invisible": 0.95}
    partial = ScreenModel(collocation, grammar, start.document, kind_scores, {})
    prior = statistics_prior(*document_rows(partial))
    partial = dataclasses.replace(partial, statistics_prior=prior)
    matrix, labels, kinds = document_rows(partial)
    if not with_grammar:  # (scores of 1e-13, not 0: a column of rounding noise otherwise)
        matrix[:, DOCUMENT_FEATURES.index("grammar_evidence")] = 0.0
    document = fit_logistic(matrix, labels, DOCUMENT_FEATURES, balanced(labels, kinds))
    pan, news = kinds == 0, kinds == 1
    provenance = {
        "fitted_by": "scripts/fit_screen_model.py",
        "data": "development only: PPS even rows (2 folds) in carrier sentences, MRPC train, "
                "PAN train sources, the PAN train rewrites labelled by reading and MRPC train "
                "news blocks (even-numbered), people's and thesaurus-spun",
        "collocation_hits": {k: v for k, v in stats.items()},
        "grammar_candidates": grammar_stats,
        "known_phrase_hits": known_hits,
        "documents": {"spinner": int(labels[pan].sum()), "human": int(pan.sum() - labels[pan].sum()),
                      "news_spun": int(labels[news].sum()),
                      "news_human": int(news.sum() - labels[news].sum()),
                      "auc_5_fold": round(cross_validated_auc(matrix, labels, kinds, 0), 4),
                      "auc_5_fold_news": round(cross_validated_auc(matrix, labels, kinds, 1), 4),
                      "auc_5_fold_findings_only": round(cross_validated_auc(
                          matrix, labels, kinds, 0, columns=range(FINDING_COLUMNS)), 4),
                      "auc_5_fold_text_statistics_only": round(cross_validated_auc(
                          matrix, labels, kinds, 0,
                          columns=range(FINDING_COLUMNS, matrix.shape[1])), 4)},
    }
    return ScreenModel(collocation, grammar, document, kind_scores, provenance, prior)


def statistics_prior(matrix: np.ndarray, labels: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """TEXT_STATISTICS' means over the clean documents (people's rewrites and news), each
    kind weighing the same, rounded as the model file keeps them: what a short text's
    statistics are drawn towards."""
    clean = labels == 0
    columns = matrix[clean, FINDING_COLUMNS:]
    prior = np.average(columns, axis=0, weights=balanced(labels, kinds)[clean])
    return np.round(prior, 10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--without-grammar", action="store_true",
                        help="fit with the grammar finder left out (for the ablation)")
    parser.add_argument("--output", type=Path, default=SCREEN_MODEL_PATH,
                        help="where to write the model (default: the shipped file)")
    args = parser.parse_args()
    eval_data.require_data("fit_screen_model.py")
    return write_or_check(args.output, model_json(fit(not args.without_grammar)), check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
