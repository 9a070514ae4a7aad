"""Fit spindetect's scoring models and write ``src/spindetect/data/model.json``.

    python scripts/fit_model.py            # refit, report validation figures, write the model
    python scripts/fit_model.py --check    # refit and fail if the shipped file differs

Only development data is used (held-out data is for ``benchmarks/context_quality.py
--heldout`` and ``benchmarks/quality.py``). Three logistic regressions:

* **lexical** (what replaced what, no context): spinner swaps = PPS tortured phrases from
  EVEN rows (reduced to the words that differ); human swaps = 1:1 and 2:2 word replacements
  in MRPC *train* paraphrase pairs with an even pair index, plus ETPC sense-preserving
  substitutions on MRPC train pairs.
* **swap** (the lexical logit and whether the replacement fits where it stands): every swap
  is seen inside its sentence, as the pipeline extracts it.
  Spinner swaps: PAN-PC-10 *train* rewrites labelled ``spinner`` by reading
  (``benchmarks/data/pan-train-labels-*.tsv``: all their swaps), the PAN swaps judged
  sense-blind, grammar-breaking or unnatural by reading, and one random thesaurus synonym
  written into each MRPC train sentence (a spinner blind to sense).
  Human swaps: people's ETPC substitutions and MRPC train word replacements, each written alone
  into its sentence, the swaps of PAN rewrites labelled ``human``, and the PAN swaps judged
  natural. Each source weighs the same in total within its class.
* **document** (the swaps' accumulated log-odds and the document's shape): spun = PAN
  ``spinner`` rewrites, MRPC train blocks of six sentences with 8% of content words swapped
  (light spin) and three-sentence blocks with every second one swapped (heavy), the single
  thesaurus swaps; human = PAN ``human`` rewrites, people's paraphrases of the same MRPC
  blocks and pairs, and single ETPC / MRPC human swaps in otherwise copied sentences.

Before the final fit on everything, each set is split by source (a fifth held back, by a hash
of the pair's id) and the figures of a model fitted on the rest are printed: those are the
development figures in docs/evaluation.md. Seed 003 is never used for fitting.

Nothing of MRPC, ETPC or PAN is written to the package: only fitted weights and counts. The
outside data is read from $SPINDETECT_EXTERNAL_DATA or ../shared/data/external.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import context_sets  # noqa: E402
import docs_section  # noqa: E402
import eval_data  # noqa: E402
from shipped_file import write_or_check  # noqa: E402

from spindetect.pipeline import batch_documents, pair_batches  # noqa: E402
from spindetect.score import DocumentSwaps, edit_evidence, prior_log_odds, swap_inputs  # noqa: E402
from spindetect.score.document import DOCUMENT_FEATURES  # noqa: E402
from spindetect.score.features import (  # noqa: E402
    CONTEXT_FEATURES,
    LEXICAL_FEATURES,
    SWAP_LEXICAL_FEATURES,
    swap_model_inputs,
    context_features,
    known_rule_hits,
    lexical_features,
    reduce_phrases,
    rules_of_pair,
)
from spindetect.screening.model import ScreenModel  # noqa: E402
from spindetect.score.model import (  # noqa: E402
    CONTEXT_INPUTS,
    MODEL_PATH,
    LogisticModel,
    ScoringModel,
    expand,
)
from spindetect.tokenize import tokenize  # noqa: E402

# L2 penalty of the logistic regressions (on standardised features).
RIDGE = 1.0
MAX_PHRASE_WORDS = 4
# Folds for giving each spinner training pair its rule feature from the other pairs' rules.
RULE_FOLDS = 5
# Quantile knots per continuous lexical feature (steps let the model bend each effect);
# 7 was the best of 0, 3, 7 and 11 in 5-fold cross-validation on the development pairs.
LEXICAL_KNOTS = 7
# Knots of the swap and document models' continuous inputs.
CONTEXT_KNOTS = 3
DOCUMENT_KNOTS = 3
# One example in VALIDATION_SHARE (by a hash of its source id) is held back for the
# validation figures printed before the final fit.
VALIDATION_SHARE = 5
BATCH = 256


def words_of(phrase: str) -> tuple[str, ...]:
    return tokenize(phrase).norms


def reduced(pair) -> tuple[tuple[str, ...], tuple[str, ...]]:  # type: ignore[no-untyped-def]
    return reduce_phrases(words_of(pair.original), words_of(pair.replacement))


def lexical_training_set() -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    spinner = [reduced(p) for p in eval_data.pps_pairs("dev")]
    human = [reduced(p) for p in eval_data.mrpc_human_swaps("dev") if p.source_row % 2 == 0]
    human += [reduced(p) for p in eval_data.etpc_human_swaps(reduce=True)]

    def usable(pair: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
        original, replacement = pair
        return (
            0 < len(original) <= MAX_PHRASE_WORDS
            and 0 < len(replacement) <= MAX_PHRASE_WORDS
            and original != replacement
        )

    spinner = [pair for pair in spinner if usable(pair)]
    human = [pair for pair in human if usable(pair)]
    pairs = spinner + human
    matrix = lexical_features([o for o, _ in pairs], [r for _, r in pairs])
    labels = np.concatenate([np.ones(len(spinner)), np.zeros(len(human))])
    # The shipped rules come from these very spinner pairs: give each its rule feature from a
    # dictionary built on the other folds, so the weight learns how rules generalise.
    rule_column = LEXICAL_FEATURES.index("known_spinner_rule")
    fold = np.arange(len(spinner)) % RULE_FOLDS
    for held in range(RULE_FOLDS):
        rules = frozenset(
            rule
            for index in np.flatnonzero(fold != held)
            for rule in rules_of_pair(*spinner[index])
        )
        members = np.flatnonzero(fold == held)
        matrix[members, rule_column] = known_rule_hits(
            [spinner[i][0] for i in members], [spinner[i][1] for i in members], rules
        )
    # PPS has more long phrases than the human sets: balance classes within each
    # (original words, replacement words) size so phrase length teaches nothing.
    strata = np.array([min(len(o), 3) * 4 + min(len(r), 3) for o, r in pairs])
    counts = {"spinner_pps_even": len(spinner), "human_mrpc_etpc": len(human)}
    return matrix, labels, balanced_weights(labels, strata), counts


def balanced_weights(labels: np.ndarray, strata: np.ndarray) -> np.ndarray:
    """Sample weights giving both classes equal weight within each stratum.

    Strata where one class is missing get weight 0: they would teach the model the stratum
    (say, the phrase length) instead of the difference between spinner and person.
    """
    weights = np.zeros(len(labels))
    for stratum in np.unique(strata):
        members = strata == stratum
        positives = members & (labels == 1)
        negatives = members & (labels == 0)
        if positives.any() and negatives.any():
            share = members.sum() / len(labels)
            weights[positives] = 0.5 * share / positives.sum()
            weights[negatives] = 0.5 * share / negatives.sum()
    return weights * len(labels) / weights.sum()


def quantile_knots(matrix: np.ndarray, count: int) -> tuple[tuple[float, ...], ...]:
    """Knots at inner quantiles of each column with more than three distinct values."""
    knots = []
    for column in matrix.T:
        if len(np.unique(column)) <= 3 or count == 0:
            knots.append(())
            continue
        inner = np.quantile(column, np.linspace(0, 1, count + 2)[1:-1])
        knots.append(tuple(float(round(k, 6)) for k in np.unique(inner) if k < column.max()))
    return tuple(knots)


def fit_logistic(
    matrix: np.ndarray,
    labels: np.ndarray,
    features: tuple[str, ...],
    weight: np.ndarray,
    knot_count: int = 0,
) -> LogisticModel:
    """Ridge logistic regression by Newton's method, with per-sample weights."""
    knots = quantile_knots(matrix, knot_count)
    matrix = expand(matrix, knots)
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    x = np.column_stack([(matrix - mean) / scale, np.ones(len(matrix))])
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], RIDGE)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        gradient = x.T @ (weight * (p - labels)) + penalty * beta
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return LogisticModel(features, knots, mean, scale, beta[:-1], float(beta[-1]))


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # average ranks of ties
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    ranks = (sums / counts)[inverse]
    positives = labels == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))



@dataclass(frozen=True)
class Example:
    """A document and which of its swaps are labelled: with ``span`` only the swap whose
    article span overlaps it, else every swap."""

    article: str
    reference: str
    label: int
    source: str
    group: str  # examples of a group weigh the same in total within their class
    span: tuple[int, int] | None = None


def held_back(source: str) -> bool:
    return zlib.crc32(source.encode("utf-8")) % VALIDATION_SHARE == 0


def documents(pairs: Sequence[tuple[str, str]]) -> list[DocumentSwaps]:
    """The pipeline's stages up to scoring, for (article, reference) pairs, batched as
    ``compare_many`` batches them."""
    return [
        document for batch in pair_batches(iter(pairs), BATCH) for document in batch_documents(batch)
    ]


def _overlaps(span: tuple[int, int], other: tuple[int, int]) -> bool:
    return span[0] < other[1] and other[0] < span[1]


@dataclass
class SwapTable:
    """The swap model's inputs of every labelled swap, with its example's index."""

    lexical: np.ndarray
    context: np.ndarray
    one_sided: np.ndarray
    example: np.ndarray


def swap_table(examples: Sequence[Example]) -> tuple[SwapTable, list[DocumentSwaps]]:
    docs = documents([(e.article, e.reference) for e in examples])
    lexical_rows, context_rows, one_sided, owner = [], [], [], []
    for low in range(0, len(docs), BATCH):
        batch = docs[low : low + BATCH]
        if not any(extraction.edits for extraction, _, _ in batch):
            continue
        inputs = swap_inputs(batch)
        keep = []
        row = 0
        for offset, (extraction, article, _) in enumerate(batch):
            example = examples[low + offset]
            for edit in extraction.edits:
                a0, a1 = edit.article_tokens
                if example.span is None:
                    keep.append((row, low + offset))
                elif a0 < a1 and _overlaps(
                    (int(article.starts[a0]), int(article.ends[a1 - 1])), example.span
                ):
                    keep.append((row, low + offset))
                row += 1
        if not keep:
            continue
        rows = np.array([r for r, _ in keep], dtype=np.int64)
        lexical_rows.append(inputs.lexical[rows])
        context_rows.append(context_features(inputs.context, inputs.evidence)[rows])
        one_sided.append(inputs.context.one_sided[rows])
        owner.append(np.array([e for _, e in keep], dtype=np.int64))
    return SwapTable(
        np.vstack(lexical_rows), np.vstack(context_rows), np.concatenate(one_sided),
        np.concatenate(owner),
    ), docs


# The share of its class each group of swap examples weighs (1 unless named). The swaps judged
# by reading are the cleanest evidence of what does not fit; whole spinner rewrites and random
# thesaurus swaps also hold swaps that happen to fit, so they weigh less.
GROUP_SHARES = {"pan-judged-1": 2.0, "pan-1": 0.5, "pan-0": 0.5}


def group_weights(labels: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """Weights giving each class half the total and each group of a class its share
    (``GROUP_SHARES``, else 1) of that half."""
    groups_array = np.asarray(groups)
    weights = np.zeros(len(labels), dtype=np.float64)
    for label in (0, 1):
        names = sorted(set(groups_array[labels == label]))
        total = sum(GROUP_SHARES.get(name, 1.0) for name in names)
        for name in names:
            members = (labels == label) & (groups_array == name)
            weights[members] = 0.5 * GROUP_SHARES.get(name, 1.0) / total / members.sum()
    return weights * len(labels) / weights.sum()


def swap_examples() -> list[Example]:
    examples = []
    for swap in context_sets.etpc_in_context("dev", kinds=("habitual", "contextual")):
        examples.append(Example(swap.article, swap.reference, 0, swap.source, "etpc", swap.article_span))
    for swap in context_sets.mrpc_swaps_in_context("dev"):
        examples.append(Example(swap.article, swap.reference, 0, swap.source, "mrpc", swap.article_span))
    for swap in context_sets.judged_thesaurus_swaps():
        label = int(swap.label != "natural")
        examples.append(Example(swap.article, swap.reference, label, swap.source, f"thesaurus-judged-{label}", swap.article_span))
    for swap in context_sets.pan_swaps_in_context():
        label = int(swap.label != "natural")
        examples.append(Example(swap.article, swap.reference, label, swap.source, f"pan-judged-{label}", swap.article_span))
    for document in context_sets.pan_documents():
        examples.append(Example(document.article, document.reference, document.label, document.source, f"pan-{document.label}"))
    return examples


def document_examples() -> list[Example]:
    examples = []
    for document in context_sets.pan_documents():
        examples.append(Example(document.article, document.reference, document.label, document.source, f"pan-{document.label}"))
    for document in context_sets.light_spin_blocks("dev"):
        examples.append(Example(document.article, document.reference, document.label, document.source, f"light-{document.label}"))
    for document in context_sets.commentary_blocks("dev"):
        examples.append(Example(document.article, document.reference, document.label, document.source, f"commentary-{document.label}"))
    for document in context_sets.long_articles("dev"):
        examples.append(Example(document.article, document.reference, document.label, document.source, f"long-{document.label}"))
    for document in context_sets.heavy_spin_blocks("dev"):
        examples.append(Example(document.article, document.reference, 1, document.source, "heavy"))
    for pair in eval_data.mrpc_sentence_pairs("dev"):
        if pair.quality == 1:
            examples.append(Example(pair.s2, pair.s1, 0, f"mrpc-pair:{pair.id1}", "mrpc-pair"))
    for swap in context_sets.thesaurus_singles("dev", seed=1):
        examples.append(Example(swap.article, swap.reference, 1, swap.source, "thesaurus-single"))
    for swap in context_sets.etpc_in_context("dev") + context_sets.mrpc_swaps_in_context("dev"):
        examples.append(Example(swap.article, swap.reference, 0, swap.source, "human-single"))
    return examples


def swap_inputs_matrix(table: SwapTable, lexical: LogisticModel) -> np.ndarray:
    logit = lexical.logits(table.lexical)
    logit[table.one_sided] = 0.0
    return swap_model_inputs(table.lexical, logit, table.context)


def document_matrix(
    docs: Sequence[DocumentSwaps], lexical: LogisticModel, context: LogisticModel
) -> tuple[np.ndarray, np.ndarray]:
    """The document model's inputs of ``docs`` under the given lexical and swap models, and
    whether each document has an edit that can be judged."""
    model = ScoringModel(lexical, context, context, {})  # the document model is not used
    rows, judged = [], []
    for low in range(0, len(docs), BATCH):
        evidence = edit_evidence(docs[low : low + BATCH], model, signals=False)
        rows.append(evidence.document_features)
        judged.append(evidence.judged_documents)
    return np.vstack(rows), np.concatenate(judged)


def rates(scores: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    return {
        "auc": round(auc(scores, labels), 4),
        "spun_flagged": round(float(np.mean(scores[labels == 1] >= 0.0)), 4),
        "human_flagged": round(float(np.mean(scores[labels == 0] >= 0.0)), 4),
    }


@dataclass
class TrainingData:
    """Everything the models are fitted on, computed once (the pipeline's features)."""

    lexical: LogisticModel
    lexical_counts: dict[str, int]
    lexical_auc: float
    swap_table: SwapTable
    swap_docs: list[DocumentSwaps]
    swap_matrix: np.ndarray
    swap_labels: np.ndarray
    swap_groups: np.ndarray
    swap_held: np.ndarray
    docs: list[DocumentSwaps]
    doc_labels: np.ndarray
    doc_groups: np.ndarray
    doc_held: np.ndarray


def training_data() -> TrainingData:
    lexical_matrix, lexical_labels, lexical_weights, lexical_counts = lexical_training_set()
    lexical = fit_logistic(
        lexical_matrix, lexical_labels, LEXICAL_FEATURES, lexical_weights, LEXICAL_KNOTS
    )
    swaps = swap_examples()
    table, swap_docs = swap_table(swaps)
    docs_examples = document_examples()
    return TrainingData(
        lexical=lexical,
        lexical_counts=lexical_counts,
        lexical_auc=round(auc(lexical.logits(lexical_matrix), lexical_labels), 4),
        swap_table=table,
        swap_docs=swap_docs,
        swap_matrix=swap_inputs_matrix(table, lexical),
        swap_labels=np.array([swaps[i].label for i in table.example], dtype=np.float64),
        swap_groups=np.array([swaps[i].group for i in table.example]),
        swap_held=np.array([held_back(swaps[i].source) for i in table.example]),
        docs=documents([(e.article, e.reference) for e in docs_examples]),
        doc_labels=np.array([e.label for e in docs_examples], dtype=np.float64),
        doc_groups=np.array([e.group for e in docs_examples]),
        doc_held=np.array([held_back(e.source) for e in docs_examples]),
    )


def fit_models(
    data: TrainingData, final: bool, drop_swap: frozenset[str] = frozenset(),
    drop_document: frozenset[str] = frozenset(),
) -> tuple[LogisticModel, LogisticModel, dict[str, object]]:
    """The swap and document models fitted on everything (``final``) or on all but the
    held-back fifth, then the validation figures on that fifth (empty when ``final``).
    Inputs named in ``drop_swap`` / ``drop_document`` are held constant: the ablation."""
    swap_matrix = _without(data.swap_matrix, CONTEXT_INPUTS, drop_swap)
    train = np.ones(len(data.swap_labels), dtype=bool) if final else ~data.swap_held
    context = fit_logistic(
        swap_matrix[train], data.swap_labels[train], CONTEXT_INPUTS,
        group_weights(data.swap_labels[train], list(data.swap_groups[train])), CONTEXT_KNOTS,
    )
    doc_matrix, doc_judged = document_matrix(data.docs, data.lexical, context)
    doc_matrix = _without(doc_matrix, DOCUMENT_FEATURES, drop_document)
    # A document without an edit that can be judged scores 0 whatever the model says.
    doc_train = (np.ones(len(data.doc_labels), dtype=bool) if final else ~data.doc_held) & doc_judged
    document = fit_logistic(
        doc_matrix[doc_train], data.doc_labels[doc_train], DOCUMENT_FEATURES,
        group_weights(data.doc_labels[doc_train], list(data.doc_groups[doc_train])),
        DOCUMENT_KNOTS,
    )
    if final:
        return context, document, {}
    # Scores as score_edits gives them: each swap's evidence plus the prior of its
    # document's score; a document with nothing to judge scores 0.
    doc_logits = np.where(doc_judged, document.logits(doc_matrix), -np.inf)
    example_matrix, example_judged = document_matrix(data.swap_docs, data.lexical, context)
    example_matrix = _without(example_matrix, DOCUMENT_FEATURES, drop_document)
    example_scores = np.where(
        example_judged, 1.0 / (1.0 + np.exp(-document.logits(example_matrix))), 0.0
    )
    evidence = context.logits(swap_matrix)
    swap_logits = evidence + prior_log_odds(example_scores)[data.swap_table.example]
    held, groups = data.swap_held, data.swap_groups
    validation: dict[str, object] = {}
    for name in sorted(set(groups)):
        members = held & (groups == name)
        if members.any():
            validation[f"swaps {name}: flagged"] = round(float(np.mean(swap_logits[members] >= 0)), 4)
    clean = held & np.isin(groups, ["etpc", "mrpc", "pan-judged-0", "thesaurus-judged-0",
                                    "pan-judged-1", "thesaurus-judged-1"])
    validation["swap evidence: auc, fits or not (judged and people's swaps)"] = round(
        auc(evidence[clean], data.swap_labels[clean]), 4
    )
    for prefix in ("pan", "light", "commentary", "long"):
        members = data.doc_held & np.char.startswith(data.doc_groups, prefix)
        validation[f"documents {prefix}"] = rates(doc_logits[members], data.doc_labels[members])
    for name in ("heavy", "mrpc-pair", "thesaurus-single", "human-single"):
        members = data.doc_held & (data.doc_groups == name)
        validation[f"documents {name}: flagged"] = round(float(np.mean(doc_logits[members] >= 0)), 4)
    return context, document, validation


def _without(matrix: np.ndarray, names: tuple[str, ...], drop: frozenset[str]) -> np.ndarray:
    """``matrix`` with the columns named in ``drop`` replaced by their mean (no information)."""
    if not drop:
        return matrix
    matrix = matrix.copy()
    for column, name in enumerate(names):
        if name in drop:
            matrix[:, column] = matrix[:, column].mean()
    return matrix


# Signal groups for the ablation: each is held constant in turn.
ABLATION_GROUPS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "sense (Lesk, SemCor)": (frozenset({"sense_fits", "sense_misfit", "sense_blind"}), frozenset()),
    "syntax (slot POS, valency, a/an, inflection)": (
        frozenset({"pos_mismatch", "valency_break", "article_agreement", "inflection_lost"}), frozenset()),
    "collocation (word pairs, WordNet phrases)": (
        frozenset({"collocation_left", "collocation_right", "collocation_lost", "broken_collocation"}),
        frozenset()),
    "fluency (bigram language model)": (frozenset({"fluency_drop"}), frozenset()),
    "spinner habits": (
        frozenset({"function_expansion", "function_swap", "function_to_content", "filler",
                   "repeated_rule"}), frozenset()),
    "all in-context signals (lexical only)": (frozenset(CONTEXT_FEATURES), frozenset()),
    "lexical columns beside the lexical logit": (frozenset(SWAP_LEXICAL_FEATURES), frozenset()),
    "document shape": (frozenset(), frozenset(
        {"coverage", "reference_coverage", "length_change", "substitution_share",
         "one_for_one_share", "edit_rate", "fragmentation"})),
    "document evidence (swap log-odds)": (frozenset(), frozenset(
        {"evidence", "strongest_swap", "strong_swaps", "flagged_density", "expected_density"})),
}


def ablation(data: TrainingData) -> str:
    """A markdown table of the validation figures with each signal group held constant."""
    rows = [("all signals", fit_models(data, final=False)[2])]
    for name, (drop_swap, drop_document) in ABLATION_GROUPS.items():
        rows.append((f"without {name}", fit_models(data, False, drop_swap, drop_document)[2]))
    header = ("| model | swap AUC (fits or not) | people's swaps flagged (ETPC) | thesaurus swaps "
              "judged wrong, flagged | PAN spinner vs human AUC | light spin AUC | commentary AUC |")
    lines = [header, "|---|---|---|---|---|---|---|"]
    for name, figures in rows:
        lines.append("| {} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} |".format(
            name,
            figures["swap evidence: auc, fits or not (judged and people's swaps)"],
            figures["swaps etpc: flagged"],
            figures["swaps thesaurus-judged-1: flagged"],
            figures["documents pan"]["auc"],
            figures["documents light"]["auc"],
            figures["documents commentary"]["auc"],
        ))
    return "\n".join(lines)


def fit(report: bool = True) -> ScoringModel:
    data = training_data()
    _, _, validation = fit_models(data, final=False)
    if report:
        print(json.dumps(validation, indent=1))
    context, document, _ = fit_models(data, final=True)
    provenance = {
        "script": "scripts/fit_model.py",
        "ridge": RIDGE,
        "lexical_training": data.lexical_counts,
        "lexical_training_auc": data.lexical_auc,
        "swap_training": {name: int((data.swap_groups == name).sum()) for name in sorted(set(data.swap_groups))},
        "document_training": {name: int((data.doc_groups == name).sum()) for name in sorted(set(data.doc_groups))},
        "validation_one_fifth_held_back": validation,
    }
    return ScoringModel(data.lexical, context, document, provenance)


def model_json(model: ScoringModel | ScreenModel) -> str:
    """A fitted model's JSON form, floats rounded, keys sorted: a deterministic file."""
    def rounded(value: object) -> object:
        if isinstance(value, float):
            return round(value, 10)
        if isinstance(value, list):
            return [rounded(item) for item in value]
        if isinstance(value, dict):
            return {key: rounded(item) for key, item in value.items()}
        return value

    return json.dumps(rounded(model.to_json()), indent=1, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the shipped model differs")
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--ablation", action="store_true",
        help="print the validation figures with each signal group held constant and write "
        "them into docs/evaluation.md (the model is not written)",
    )
    args = parser.parse_args()
    eval_data.require_data("fit_model.py")
    if args.ablation:
        table = ablation(training_data())
        print(table)
        docs_section.write(
            "ablation",
            "Produced by `python scripts/fit_model.py --ablation`: each signal group held "
            "constant in turn, both models refitted on four fifths of the development data "
            f"and measured on the fifth held back.\n\n{table}",
        )
        return 0
    text = model_json(fit(report=not args.check))
    return write_or_check(args.output, text, check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
