"""How well reference-free screening works (issue 22): data sets, measures and the report.

    python benchmarks/screen_quality.py                # development figures
    python benchmarks/screen_quality.py --ablation     # ... with each kind of knowledge left out
    python benchmarks/screen_quality.py --heldout      # the held-out figures (run once, at the end)

The held-out document AUC needs benchmarks/data/heldout/pan-test-labels.tsv (PAN test
rewrites labelled by reading); without it that row is left out.

Data (third-party, not shipped; see benchmarks/eval_data.py for where it lives):

* Tortured phrases in ordinary sentences: each PPS (tortured, expected) phrase pair is put
  into one of ``FRAMES``, carrier sentences written for this purpose (chosen by row number,
  so the same pair always gets the same frame), once as tortured and once as expected. A
  finding overlapping the tortured phrase is a hit; one overlapping the expected phrase in
  the counterpart sentence is a false alarm. Development uses the EVEN rows in two folds,
  each screened with tables built from the other fold only (so every phrase is unlisted
  when it is screened); held out uses the ODD rows with the shipped tables.
* Clean sentences: development = MRPC train (news) and PAN train sources (books);
  held out = MRPC test and PAN test sources.
* Spinner output vs human rewrites, no reference: PAN train rewrites labelled by reading
  (benchmarks/data/pan-train-labels-*.tsv: spinner vs human), development only.
* Grammar breaks (``grammar_texts``, development only): spinner swaps located by reading in
  PAN train rewrites (benchmarks/data/pan-train-swaps-*.tsv, each alone in its source
  sentence, and the rewrites whole) and in seed 003 (benchmarks/data/seed003, whole), random
  thesaurus swaps judged by reading
  (thesaurus-judgements-*.tsv) and unjudged ones (the generator of
  ``context_sets.thesaurus_singles``) in MRPC train sentences. A broken_grammar finding on a
  swap is a hit; on a swap judged natural, or elsewhere in a whole rewrite, a false alarm.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import context_sets  # noqa: E402
import eval_data  # noqa: E402

from spindetect.score.features import reduce_phrases, rules_of_pair  # noqa: E402
from spindetect.score.model import LogisticModel  # noqa: E402
from spindetect.screening import Screening, document_matrix, screen_with  # noqa: E402
from spindetect.score.model import read_model_file  # noqa: E402
from spindetect.screening.model import ScreenModel, load_screen_model, parse_screen_model  # noqa: E402
from spindetect.screening.phrases import (  # noqa: E402
    FREQUENT,
    RULE,
    SPINNER_TARGET,
    THESAURUS,
    WORDNET,
    WORDNET_LEMMA,
    Collocations,
    KnownPhrases,
    build_collocations,
    build_known_phrases,
    collocations,
    known_phrases,
)
from spindetect.tokenize import tokenize  # noqa: E402

LABELS_DIR = Path(os.environ.get("SPINDETECT_LABELS_DIR", ROOT / "benchmarks" / "data"))
# PAN test rewrites labelled by reading (held out: the final evaluation only).
HELDOUT_LABELS = LABELS_DIR / "heldout" / "pan-test-labels.tsv"

# Carrier sentences: "{}" is where the phrase goes. Written for this evaluation, in the
# registers the PPS phrases come from (papers) and plain prose.
FRAMES: tuple[str, ...] = (
    "In this paper, we apply {} to the problem of large-scale text retrieval.",
    "The results show that {} improves the accuracy of the proposed model.",
    "Recent studies have focused on {} in clinical practice.",
    "We describe a new approach based on {} and evaluate it on three data sets.",
    "{} has received considerable attention over the past decade.",
    "Our experiments confirm the role of {} in the observed behaviour.",
    "The second section reviews previous work on {} and its limitations.",
    "A simple method for {} is presented in the following chapter.",
    "They measured {} in every sample collected during the trial.",
    "This report summarises what is known about {} today.",
    "Several authors have questioned whether {} can be measured reliably.",
    "The committee discussed {} at length before the vote.",
    "Finally, we compare {} with the methods used in earlier work.",
    "Table 2 lists the parameters of {} used in all experiments.",
    "The main contribution of this work is {} for noisy inputs.",
    "Students often find {} difficult to understand at first.",
    "The company plans to invest in {} next year.",
    "Further research on {} is needed to confirm these findings.",
    "We thank the reviewers for their comments on {}.",
    "The figure illustrates {} for a typical case.",
)


@dataclass(frozen=True)
class PhraseCase:
    """One phrase pair in its frame: the tortured and the expected sentence and spans."""

    row: int
    tortured: str
    tortured_span: tuple[int, int]
    expected: str
    expected_span: tuple[int, int]
    expected_phrase: str


def framed(text: str, frame: str) -> tuple[str, tuple[int, int]]:
    """``frame`` with ``text`` in it (capitalised at a sentence start) and the span of it."""
    start = frame.index("{}")
    if start == 0:
        text = text[:1].upper() + text[1:]
    return frame.replace("{}", text), (start, start + len(text))


def phrase_cases(pairs: Sequence[eval_data.SwapPair]) -> list[PhraseCase]:
    cases = []
    for pair in pairs:
        frame = FRAMES[pair.source_row % len(FRAMES)]
        tortured, tortured_span = framed(pair.context_replacement, frame)
        expected, expected_span = framed(pair.context_original, frame)
        cases.append(PhraseCase(pair.source_row, tortured, tortured_span, expected, expected_span,
                                pair.context_original))
    return cases


def words(text: str) -> str:
    return " ".join(tokenize(text).norms)


def fold_tables(pairs: Sequence[eval_data.SwapPair], **leave_out: int) -> tuple[KnownPhrases, Collocations]:
    """Known phrases, spinner targets and spinner rules built from ``pairs`` only, as the
    shipped tables are built from all even rows (``leave_out``: build_collocations'
    ``sources_used`` / ``relations_used``, for the ablation)."""
    entries = [(words(p.context_replacement), words(p.context_original), "pps") for p in pairs]
    entries = [entry for entry in entries if entry[0] and entry[1] and entry[0] != entry[1]]
    rules: set[tuple[str, str]] = set()
    for pair in pairs:
        original, replacement = reduce_phrases(
            tokenize(pair.original).norms, tokenize(pair.replacement).norms
        )
        rules.update(
            (a, b) for a, b in rules_of_pair(original, replacement)
            if len(a) > 1 and len(b) > 1 and "'s" not in (a, b)
        )
    return build_known_phrases(entries), build_collocations([e for _, e, _ in entries], rules, **leave_out)


@lru_cache(maxsize=1)
def dev_folds() -> tuple[list[eval_data.SwapPair], list[eval_data.SwapPair]]:
    """The PPS even rows in two folds (alternate rows)."""
    pairs = eval_data.pps_pairs("dev")
    return pairs[0::2], pairs[1::2]


def clean_sentences(heldout: bool) -> list[str]:
    """News (MRPC) and book (PAN sources) sentences written by people."""
    return list(clean_sentence_kinds(heldout))


def clean_sentence_kinds(heldout: bool) -> dict[str, str]:
    """``clean_sentences`` in the same order, each with its kind: ``"news"`` or ``"books"``
    (a sentence in both is news). Issue 22's target of 1% holds for each kind."""
    split = "heldout" if heldout else "dev"
    news = [s for pair in eval_data.mrpc_sentence_pairs(split) for s in (pair.s1, pair.s2)]
    kinds = dict.fromkeys(news, "news")
    for sentence in pan_sources(heldout):
        kinds.setdefault(sentence, "books")
    return kinds


def pan_sources(heldout: bool) -> list[str]:
    name = "pan-test_s1.txt" if heldout else "pan-train_s1.txt"
    path = eval_data.data_dir() / "pan10-mtmetrics" / name
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def pan_labelled_rewrites(heldout: bool = False) -> tuple[list[str], np.ndarray]:
    """PAN train rewrites (s2) labelled ``spinner`` (1) or ``human`` (0) by reading; with
    ``heldout``, the PAN test rewrites labelled in HELDOUT_LABELS (none if not there)."""
    name = "pan-test_s2.txt" if heldout else "pan-train_s2.txt"
    path = eval_data.data_dir() / "pan10-mtmetrics" / name
    rewrites = path.read_text(encoding="utf-8").splitlines()
    texts, labels = [], []
    label_files = ([HELDOUT_LABELS] if HELDOUT_LABELS.exists() else []) if heldout else sorted(
        LABELS_DIR.glob("pan-train-labels-*.tsv"))
    for label_file in label_files:
        with open(label_file, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t"):
                if not row or row[0].startswith("#") or row[1] not in ("spinner", "human"):
                    continue
                texts.append(rewrites[int(row[0]) - 1])
                labels.append(1 if row[1] == "spinner" else 0)
    return texts, np.array(labels, dtype=np.int64)


@dataclass(frozen=True)
class LocatedText:
    """A text with the spans a spinner changed (``spun``) and those changed in a way a
    reader judged natural; ``rest`` says what the other words are: ``"clean"`` (unchanged
    text, a finding there is a false alarm) or ``"unknown"`` (not looked at)."""

    text: str
    spun: tuple[tuple[int, int], ...]
    natural: tuple[tuple[int, int], ...]
    rest: str
    source: str
    label: str  # the judgement of a single swap, or "rewrite"


def grammar_texts() -> list[LocatedText]:
    """The development texts with located swaps (see the module docstring). Single swaps
    leave ``rest`` unknown: the sentence around them is in ``clean_sentences`` already."""
    out = []
    singles = (context_sets.pan_swaps_in_context() + context_sets.judged_thesaurus_swaps()
               + context_sets.thesaurus_singles("dev"))
    for swap in singles:
        spans = (swap.article_span,)
        natural = swap.label == "natural"
        out.append(LocatedText(swap.article, () if natural else spans, spans if natural else (),
                               "unknown", swap.source, swap.label))
    rewrites = {pair_number: pair for pair_number, pair in enumerate(eval_data.pan_train_pairs(), 1)}
    located: dict[int, list[tuple[int, int, str]]] = {}
    for row in context_sets._read_tsv("pan-train-swaps-*.tsv"):
        located.setdefault(int(row[0]), []).append((int(row[4]), int(row[5]), row[7].strip()))
    for line, swaps in sorted(located.items()):
        out.append(LocatedText(
            rewrites[line].s2,
            tuple((a, b) for a, b, judgement in swaps if judgement != "natural"),
            tuple((a, b) for a, b, judgement in swaps if judgement == "natural"),
            "clean", f"pan-train:{line}:rewrite", "rewrite",
        ))
    seed, _, seed_swaps = context_sets.seed003()
    out.append(LocatedText(seed, tuple(tuple(swap["article_span"]) for swap in seed_swaps), (),
                           "clean", "seed003", "rewrite"))
    return out


def overlaps(screening: Screening, span: tuple[int, int]) -> bool:
    return any(f.span[0] < span[1] and span[0] < f.span[1] for f in screening.findings)


@dataclass(frozen=True)
class PhraseFigures:
    found: float  # share of tortured phrases with a finding on them
    counterpart_flagged: float  # share of expected phrases with a finding on them
    cases: int


def phrase_figures(cases: Sequence[PhraseCase], known: KnownPhrases, tables: Collocations,
                   model: ScreenModel, threshold: float = 0.5) -> PhraseFigures:
    tortured = screen_with([c.tortured for c in cases], threshold, known, tables, model)
    expected = screen_with([c.expected for c in cases], threshold, known, tables, model)
    found = np.mean([overlaps(s, c.tortured_span) for s, c in zip(tortured, cases)])
    flagged = np.mean([overlaps(s, c.expected_span) for s, c in zip(expected, cases)])
    return PhraseFigures(float(found), float(flagged), len(cases))


def dev_phrase_figures(model: ScreenModel, threshold: float = 0.5, **leave_out: int) -> PhraseFigures:
    """Both folds, each screened with the other fold's tables."""
    fold_a, fold_b = dev_folds()
    results = []
    for screened, built_from in ((fold_a, fold_b), (fold_b, fold_a)):
        known, tables = fold_tables(built_from, **leave_out)
        results.append(phrase_figures(phrase_cases(screened), known, tables, model, threshold))
    cases = sum(r.cases for r in results)
    return PhraseFigures(
        sum(r.found * r.cases for r in results) / cases,
        sum(r.counterpart_flagged * r.cases for r in results) / cases,
        cases,
    )


@dataclass(frozen=True)
class GrammarFigures:
    found: dict[str, tuple[int, int]]  # judgement -> (swaps with a finding on them, swaps)
    rewrite_swaps: tuple[int, int]  # spinner swaps of whole rewrites with a finding, all
    rewrite_findings: tuple[int, int]  # findings in whole rewrites on no swap, all


def grammar_figures(model: ScreenModel, threshold: float = 0.5, kind: str = "broken_grammar") -> GrammarFigures:
    """How many located swaps ``kind`` findings overlap (``grammar_texts``), by judgement,
    and in the whole PAN spinner rewrites how many findings touch no swap."""
    texts = grammar_texts()
    screenings = screen_with([t.text for t in texts], threshold, known_phrases(), collocations(), model)
    found: dict[str, list[int]] = {}
    swaps_found = swaps = off = findings = 0
    for text, screening in zip(texts, screenings):
        spans = [f.span for f in screening.findings if f.kind == kind]
        def touched(span: tuple[int, int]) -> bool:
            return any(a < span[1] and span[0] < b for a, b in spans)
        if text.label == "rewrite":
            swaps += len(text.spun)
            swaps_found += sum(map(touched, text.spun))
            findings += len(spans)
            off += sum(not any(a < e and s < b for s, e in text.spun + text.natural) for a, b in spans)
            continue
        counts = found.setdefault(text.label, [0, 0])
        counts[0] += any(map(touched, text.spun + text.natural))
        counts[1] += 1
    return GrammarFigures({label: (a, b) for label, (a, b) in found.items()}, (swaps_found, swaps),
                          (off, findings))


def flagged_share(texts: Sequence[str], known: KnownPhrases, tables: Collocations,
                  model: ScreenModel, threshold: float = 0.5) -> float:
    screenings = screen_with(texts, threshold, known, tables, model)
    return float(np.mean([bool(s.findings) for s in screenings]))


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (ties count half)."""
    positives, negatives = scores[labels == 1], scores[labels == 0]
    greater = (positives[:, None] > negatives[None, :]).sum()
    ties = (positives[:, None] == negatives[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(positives) * len(negatives)))


def short_clean_texts() -> dict[str, list[str]]:
    """Texts of a few words from development news (MRPC train): the first one, two and three
    words of every third people's sentence of the first 3,000 pairs, and the single
    capitalised words (names, mostly) of their first sentences, after the first word."""
    pairs = eval_data.mrpc_sentence_pairs("dev")[:3000]
    openings = [" ".join(pair.s2.split()[:size]) for pair in pairs[::3] for size in (1, 2, 3)]
    capitalised = {
        word.strip(".,;:\"'()") for pair in pairs for word in pair.s1.split()[1:]
    }
    names = sorted(w for w in capitalised if len(w) > 3 and w[0].isupper() and w[1:].islower())
    return {"first 1-3 words of people's sentences": openings, "single capitalised words": names[:600]}


def scored_share(texts: Sequence[str], known: KnownPhrases, tables: Collocations,
                 model: ScreenModel, threshold: float = 0.5) -> float:
    screenings = screen_with(texts, threshold, known, tables, model)
    return float(np.mean([s.score >= threshold for s in screenings]))


def document_auc(texts: Sequence[str], labels: np.ndarray, known: KnownPhrases,
                 tables: Collocations, model: ScreenModel) -> float:
    screenings = screen_with(texts, 0.5, known, tables, model)
    return auc(np.array([s.score for s in screenings], dtype=np.float64), labels)


def development_report(model: ScreenModel) -> list[tuple[str, str]]:
    known, tables = known_phrases(), collocations()
    phrases = dev_phrase_figures(model)
    clean = clean_sentences(heldout=False)
    texts, labels = pan_labelled_rewrites()
    rows = [
        ("unlisted tortured phrases found (PPS even rows, 2 folds)", f"{phrases.found:.1%} of {phrases.cases}"),
        ("their expected counterparts flagged", f"{phrases.counterpart_flagged:.1%}"),
        ("clean sentences with any finding (MRPC train, PAN train sources)",
         f"{flagged_share(clean, known, tables, model):.2%} of {len(clean)}"),
    ]
    kinds = clean_sentence_kinds(heldout=False)
    for kind, source in (("news", "MRPC train"), ("books", "PAN train sources")):
        sentences = [sentence for sentence, of in kinds.items() if of == kind]
        rows.append((f"... {kind} ({source})",
                     f"{flagged_share(sentences, known, tables, model):.2%} of {len(sentences)}"))
    if len(labels):
        rows.append((f"document AUC, PAN train spinner ({labels.sum()}) vs human "
                     f"({len(labels) - labels.sum()}) rewrites",
                     f"{document_auc(texts, labels, known, tables, model):.3f}"))
    for name, short in short_clean_texts().items():
        rows.append((f"short clean texts scored 0.5 or more: {name} (MRPC train)",
                     f"{scored_share(short, known, tables, model):.1%} of {len(short)}"))
    rows += grammar_rows(model)
    return rows


def grammar_rows(model: ScreenModel) -> list[tuple[str, str]]:
    grammar = grammar_figures(model)
    names = {"grammar_breaking": "judged grammar-breaking", "sense_blind": "judged sense-blind",
             "unnatural": "judged unnatural", "natural": "judged natural (must stay low)",
             "spinner": "random thesaurus swaps in MRPC train, unjudged"}
    rows = [(f"broken_grammar on single swaps, {names[label]}", f"{a / b:.1%} of {b}")
            for label, (a, b) in sorted(grammar.found.items())]
    (a, b), (off, total) = grammar.rewrite_swaps, grammar.rewrite_findings
    rows.append(("broken_grammar on the spinner swaps of whole PAN spinner rewrites and seed 003",
                 f"{a / b:.1%} of {b}"))
    rows.append(("... its findings there on no swap", f"{off} of {total}"))
    return rows


def heldout_report(model: ScreenModel) -> list[tuple[str, str]]:
    known, tables = known_phrases(), collocations()
    phrases = phrase_figures(phrase_cases(eval_data.pps_pairs("heldout")), known, tables, model)
    news = [s for pair in eval_data.mrpc_sentence_pairs("heldout") for s in (pair.s1, pair.s2)]
    books = pan_sources(heldout=True)
    texts, labels = pan_labelled_rewrites(heldout=True)
    spun = ([(f"document AUC, PAN test spinner ({labels.sum()}) vs human "
              f"({len(labels) - labels.sum()}) rewrites (labels by reading)",
              f"{document_auc(texts, labels, known, tables, model):.3f}")]
            if len(labels) and 0 < labels.sum() < len(labels) else [])
    return [
        ("unlisted tortured phrases found (PPS odd rows)", f"{phrases.found:.1%} of {phrases.cases}"),
        ("their expected counterparts flagged", f"{phrases.counterpart_flagged:.1%}"),
        ("MRPC test sentences (news) with any finding",
         f"{flagged_share(news, known, tables, model):.2%} of {len(news)}"),
        ("PAN test source sentences (books) with any finding",
         f"{flagged_share(books, known, tables, model):.2%} of {len(books)}"),
    ] + spun


def ablation_report(model: ScreenModel) -> list[tuple[str, str]]:
    """Development figures with one kind of knowledge left out at a time (the model is not
    refitted: this shows what each part contributes to the shipped one)."""
    everything = {"sources_used": FREQUENT | WORDNET_LEMMA | SPINNER_TARGET,
                  "relations_used": THESAURUS | WORDNET | RULE}
    variants = [
        ("all (shipped)", {}),
        ("without frequent high-PMI pairs", {"sources_used": WORDNET_LEMMA | SPINNER_TARGET}),
        ("without WordNet two-word lemmas", {"sources_used": FREQUENT | SPINNER_TARGET}),
        ("without spinner targets (PPS expected phrases)", {"sources_used": FREQUENT | WORDNET_LEMMA}),
        ("without the Moby thesaurus", {"relations_used": WORDNET | RULE}),
        ("without WordNet synonyms", {"relations_used": THESAURUS | RULE}),
        ("without spinner rules", {"relations_used": THESAURUS | WORDNET}),
    ]
    rows = []
    for name, leave_out in variants:
        figures = dev_phrase_figures(model, **{**everything, **leave_out})
        rows.append((name, f"{figures.found:.1%} found, counterparts {figures.counterpart_flagged:.1%}"))
    return rows


def without_grammar(model: ScreenModel) -> ScreenModel:
    """``model`` with every grammar candidate scored 0: no broken_grammar finding, and no
    grammar evidence for the document score."""
    silent = LogisticModel(model.grammar.features, model.grammar.knots, model.grammar.mean,
                           model.grammar.scale, model.grammar.weights, -1e9)
    return dataclasses.replace(model, grammar=silent)


def finder_ablation_report(model: ScreenModel) -> list[tuple[str, str]]:
    """The development figures with and without the grammar finder (the finding models
    kept; the document model refitted in 5 folds either way)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import fit_screen_model as fitting

    known, tables = known_phrases(), collocations()
    clean = clean_sentences(heldout=False)
    texts, labels = pan_labelled_rewrites()
    rows = []
    for name, variant in (("all (shipped)", model), ("without broken_grammar", without_grammar(model))):
        matrix = np.concatenate([
            document_matrix(texts[low : low + 256], known, tables, variant)
            for low in range(0, len(texts), 256)
        ])
        grammar = grammar_figures(variant, kind="broken_grammar")
        breaking = grammar.found.get("grammar_breaking", (0, 1))
        kinds = np.zeros(len(labels), dtype=np.int64)  # the PAN rewrites alone
        findings_only = fitting.cross_validated_auc(
            matrix, labels, kinds, 0, columns=range(fitting.FINDING_COLUMNS)
        )
        whole = fitting.cross_validated_auc(matrix, labels, kinds, 0)
        rows.append((name, f"clean {flagged_share(clean, known, tables, variant):.2%}, "
                           f"document AUC (5-fold) {whole:.3f}, "
                           f"findings only {findings_only:.3f}, "
                           f"grammar-breaking swaps found {breaking[0] / breaking[1]:.1%}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="the held-out figures")
    parser.add_argument("--ablation", action="store_true", help="development ablation")
    parser.add_argument("--model", type=Path, help="a screening model file other than the shipped one")
    args = parser.parse_args(argv)
    eval_data.require_data("screen_quality.py")
    model = parse_screen_model(read_model_file(args.model, "screening model")) if args.model else load_screen_model()
    if args.ablation:
        rows = ablation_report(model) + finder_ablation_report(model)
    else:
        rows = heldout_report(model) if args.heldout else development_report(model)
    print("| measure | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
