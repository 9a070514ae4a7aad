"""Evaluation sets for scoring swaps in context and documents by their evidence (issue 16).

Built at run time from outside data (``eval_data``) and spindetect's own thesaurus; nothing of
MRPC, ETPC or PAN is written anywhere. Every builder takes a split: ``"dev"`` data may be used
to fit and tune, ``"heldout"`` data only for the final report (``benchmarks/context_quality.py
--heldout``).

Swap sets (one swap inside an otherwise identical sentence, so the only question is whether
the swap is flagged):

* ``etpc_in_context(split)``: a person's substitution (ETPC "Same Polarity Substitution",
  sense-preserving, up to 4 words a side) written into the other sentence of its MRPC pair in
  place of what it replaced. These must NOT be flagged.
* ``pan_swaps_in_context()``: swaps that PAN-PC-10 train rewriters made, judged by reading
  (``benchmarks/data/pan-train-swaps-*.tsv``: sense-blind, grammar-breaking, unnatural or
  natural), each written alone into its source sentence. Dev only.
* ``seed003_swaps()``: seed 003's spinner swaps against the reconstructed source, each alone
  in its sentence (``benchmarks/data/seed003``).

Document sets (``DocumentPair(article, reference, label)``, label 1 = spun):

* ``light_spin_blocks(split)``: six consecutive MRPC paraphrase pairs form a block; the
  reference is their first sentences, the human article their second sentences (label 0), the
  spun article the reference with ``LIGHT_RATE`` of its content words swapped for random
  thesaurus synonyms (label 1).
* ``heavy_spin_blocks(split)``: three-sentence blocks with every second content word swapped.
* ``pan_documents()``: PAN-PC-10 train rewrites labelled ``spinner`` (1) or ``human`` (0) by
  reading (``benchmarks/data/pan-train-labels-*.tsv``). Dev only.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import eval_data

from spindetect import lexicon
from spindetect.tokenize import tokenize

__all__ = [
    "DocumentPair",
    "InContextSwap",
    "LIGHT_RATE",
    "commentary_blocks",
    "etpc_in_context",
    "heavy_spin_blocks",
    "judged_thesaurus_swaps",
    "light_spin_blocks",
    "mrpc_blocks",
    "long_articles",
    "mrpc_swaps_in_context",
    "pan_documents",
    "pan_swaps_in_context",
    "seed003_swaps",
    "thesaurus_singles",
    "thesaurus_spin",
]

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent
# The light spin of issue 16: 8% of content words swapped, in blocks of six news sentences.
LIGHT_RATE = 0.08
LIGHT_BLOCK = 6
HEAVY_BLOCK = 3
MAX_SWAP_WORDS = 4


@dataclass(frozen=True)
class InContextSwap:
    """One swap written into a sentence: ``article`` is ``reference`` with
    ``reference[reference_span]`` replaced by ``article[article_span]``."""

    article: str
    reference: str
    article_span: tuple[int, int]
    reference_span: tuple[int, int]
    label: str  # "human", "sense_blind", "grammar_breaking", "unnatural", "natural", "spinner"
    source: str


@dataclass(frozen=True)
class DocumentPair:
    article: str
    reference: str
    label: int  # 1 = spun, 0 = human
    source: str


def _words(text: str) -> tuple[str, ...]:
    return tokenize(text).norms


def _find_words(sentence: str, phrase: str) -> tuple[int, int] | None:
    """Character span of ``phrase``'s words in ``sentence`` (whitespace and punctuation
    between them as the sentence has it), or None."""
    words = [re.escape(word) for word in re.findall(r"\w+(?:['\u2019]\w+)*", phrase)]
    if not words:
        return None
    pattern = r"(?<!\w)" + r"\W{0,3}".join(words) + r"(?!\w)"
    match = re.search(pattern, sentence, flags=re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def _write_in(sentence: str, span: tuple[int, int], replacement: str) -> tuple[str, tuple[int, int]]:
    """``sentence`` with ``span`` replaced (capitalised like the original), and the new span."""
    original = sentence[span[0] : span[1]]
    if original[:1].isupper() and replacement[:1].islower():
        replacement = replacement[0].upper() + replacement[1:]
    elif original[:1].islower() and replacement[:1].isupper() and not replacement.isupper():
        first = replacement.split(" ", 1)[0]
        if lexicon.in_vocabulary([first.lower()])[0]:
            replacement = replacement[0].lower() + replacement[1:]
    article = sentence[: span[0]] + replacement + sentence[span[1] :]
    return article, (span[0], span[0] + len(replacement))


def _people_swap(
    sentence: str, original: str, other: str, replacement: str
) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """``sentence`` with the words ``original`` replaced by ``replacement`` as the other
    sentence of the pair writes it: (article, its span, the original's span in ``sentence``),
    or None where either is not found."""
    span = _find_words(sentence, original)
    surface = _find_words(other, replacement)
    if span is None or surface is None:
        return None
    article, article_span = _write_in(sentence, span, other[surface[0] : surface[1]])
    return article, article_span, span


def _swap_ok(original: str, replacement: str) -> bool:
    o, r = _words(original), _words(replacement)
    return 0 < len(o) <= MAX_SWAP_WORDS and 0 < len(r) <= MAX_SWAP_WORDS and o != r and not (
        all(w.replace(",", "").replace(".", "").isdigit() for w in o + r)
    )


def etpc_in_context(split: eval_data.Split, kinds: Sequence[str] = ("habitual",)) -> list[InContextSwap]:
    """People's sense-preserving substitutions, each alone in its sentence (must not flag)."""
    out = []
    seen = set()
    for relation in eval_data.etpc_relations(split):
        if not relation.sense_preserving or relation.kind not in kinds:
            continue
        if not _swap_ok(relation.s1_text, relation.s2_text):
            continue
        written = _people_swap(
            relation.sentence1, relation.s1_text, relation.sentence2, relation.s2_text
        )
        if written is None:
            continue
        article, article_span, span = written
        key = (article, relation.sentence1)
        if key in seen:
            continue
        seen.add(key)
        out.append(InContextSwap(article, relation.sentence1, article_span, span, "human",
                                 f"etpc:{relation.pair_id}:{relation.kind}"))
    return out


def mrpc_swaps_in_context(split: eval_data.Split) -> list[InContextSwap]:
    """People's 1:1 and 2:2 word replacements in MRPC paraphrase pairs, each written alone
    into the first sentence (must not flag)."""
    out = []
    for pair in eval_data.mrpc_human_swaps(split):
        if pair.proper_noun or not _swap_ok(pair.original, pair.replacement):
            continue
        written = _people_swap(
            pair.context_original, pair.original, pair.context_replacement, pair.replacement
        )
        if written is None:
            continue
        article, article_span, span = written
        out.append(InContextSwap(article, pair.context_original, article_span, span, "human",
                                 f"mrpc-{split}:{pair.source_row}"))
    return out


def thesaurus_singles(split: eval_data.Split, seed: int = 0) -> list[InContextSwap]:
    """One content word of each MRPC sentence swapped for a random thesaurus synonym, as a
    spinner blind to sense does (label "spinner"; some such swaps happen to fit)."""
    rng = random.Random(seed)
    out = []
    for number, pair in enumerate(eval_data.mrpc_sentence_pairs(split)):
        sentence = pair.s1
        tokens = tokenize(sentence)
        candidates = []
        for start, end, norm in zip(tokens.starts.tolist(), tokens.ends.tolist(), tokens.norms):
            surface = sentence[start:end]
            if surface.isalpha() and surface.islower() and norm not in lexicon.FUNCTION_WORDS:
                synonyms = sorted(lexicon.thesaurus_synonyms(norm) - {norm})
                if synonyms:
                    candidates.append((start, end, synonyms))
        if not candidates:
            continue
        start, end, synonyms = rng.choice(candidates)
        article, article_span = _write_in(sentence, (start, end), rng.choice(synonyms))
        out.append(InContextSwap(article, sentence, article_span, (start, end), "spinner",
                                 f"mrpc-{split}:{number}:thesaurus"))
    return out


def judged_thesaurus_swaps() -> list[InContextSwap]:
    """Random thesaurus swaps written into MRPC train and PAN train source sentences, each
    judged by reading (``benchmarks/data/thesaurus-judgements-*.tsv``): label is the
    judgement (natural, sense_blind, grammar_breaking, unnatural). Dev only."""
    mrpc = eval_data.mrpc_sentence_pairs("dev")
    pan = eval_data.pan_train_pairs()
    out = []
    for row in _read_tsv("thesaurus-judgements-*.tsv"):
        if row[0] == "source":
            continue
        source, number, start, end, original, replacement, judgement = row[:7]
        sentence = mrpc[int(number)].s1 if source == "mrpc-train-s1" else pan[int(number) - 1].s1
        span = (int(start), int(end))
        if sentence[span[0] : span[1]] != original:
            raise ValueError(f"judged thesaurus swap {source}:{number} does not match its sentence")
        article, article_span = _write_in(sentence, span, replacement)
        out.append(InContextSwap(article, sentence, article_span, span, judgement.strip(),
                                 f"{source}:{number}:judged"))
    return out


def _read_tsv(pattern: str) -> Iterator[list[str]]:
    for path in sorted(DATA.glob(pattern)):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row and not row[0].startswith("#"):
                    yield row


def pan_labels(split: eval_data.Split = "dev") -> dict[int, str]:
    """1-based PAN line -> label read by a person: the train files' labels
    (``benchmarks/data/pan-train-labels-*.tsv``), or for ``"heldout"`` the test files'
    (``benchmarks/data/heldout/pan-test-labels.tsv``, final evaluation only)."""
    pattern = "pan-train-labels-*.tsv" if split == "dev" else "heldout/pan-test-labels.tsv"
    return {int(row[0]): row[1].strip() for row in _read_tsv(pattern)}


def pan_documents(
    split: eval_data.Split = "dev", labels: Sequence[str] = ("spinner", "human")
) -> list[DocumentPair]:
    """Labelled PAN rewrites as (rewrite, source) pairs: spinner = 1, human = 0. ``"dev"``:
    the train files; ``"heldout"``: the test files (final evaluation only)."""
    pairs = eval_data.pan_train_pairs() if split == "dev" else eval_data.pan_test_pairs()
    name = "pan-train" if split == "dev" else "pan-test"
    out = []
    for line, label in sorted(pan_labels(split).items()):
        if label not in labels:
            continue
        pair = pairs[line - 1]
        out.append(DocumentPair(pair.s2, pair.s1, int(label == "spinner"), f"{name}:{line}:{label}"))
    return out


def pan_swaps_in_context() -> list[InContextSwap]:
    """Judged PAN train swaps, each written alone into its source sentence."""
    pairs = eval_data.pan_train_pairs()
    out = []
    for row in _read_tsv("pan-train-swaps-*.tsv"):
        line, s_start, s_end, s_text, r_start, r_end, r_text, judgement = row[:8]
        pair = pairs[int(line) - 1]
        span = (int(s_start), int(s_end))
        if pair.s1[span[0] : span[1]] != s_text or not _swap_ok(s_text, r_text):
            continue
        article, article_span = _write_in(pair.s1, span, pair.s2[int(r_start) : int(r_end)])
        out.append(InContextSwap(article, pair.s1, article_span, span, judgement.strip(),
                                 f"pan-train:{line}"))
    return out


@lru_cache(maxsize=1)
def seed003() -> tuple[str, str, list[dict[str, object]]]:
    """(seed 003 text, its reconstructed source, the gold swaps)."""
    article = next((ROOT / "seeds").glob("003_*.txt")).read_text(encoding="utf-8")
    folder = DATA / "seed003"
    source = (folder / "source.txt").read_text(encoding="utf-8")
    swaps = json.loads((folder / "swaps.json").read_text(encoding="utf-8"))
    return article, source, swaps


def seed003_swaps() -> list[InContextSwap]:
    """Seed 003's gold spinner swaps, each written alone into its source sentence."""
    _, source, swaps = seed003()
    out = []
    for swap in swaps:
        start, end = swap["source_span"]
        if swap["kind"] != "spinner" or not _swap_ok(swap["source_text"], swap["article_text"]):
            continue
        low = max(source.rfind("\n", 0, start), source.rfind(". ", 0, start) + 1) + 1
        high_candidates = [i for i in (source.find("\n", end), source.find(". ", end)) if i >= 0]
        high = min(high_candidates) + 1 if high_candidates else len(source)
        sentence = source[low:high].strip()
        offset = source.index(sentence, low)
        span = (start - offset, end - offset)
        article, article_span = _write_in(sentence, span, str(swap["article_text"]))
        out.append(InContextSwap(article, sentence, article_span, span, "spinner", "seed003"))
    return out


def thesaurus_spin(
    text: str, *, rate: float, seed: int, every_second: bool = False
) -> tuple[str, int]:
    """``text`` with content words swapped for random thesaurus synonyms, as a spinner
    blind to sense does, and the number of swaps made.

    A content word is an alphabetic, lower-case token that is not a function word and has
    thesaurus entries. With ``every_second`` every second content word is swapped; otherwise
    each with probability ``rate``.
    """
    rng = random.Random(seed)
    tokens = tokenize(text)
    pieces: list[str] = []
    position = 0
    swaps = 0
    content = 0
    for start, end, norm in zip(tokens.starts.tolist(), tokens.ends.tolist(), tokens.norms):
        surface = text[start:end]
        if not surface.isalpha() or not surface.islower() or norm in lexicon.FUNCTION_WORDS:
            continue
        synonyms = sorted(lexicon.thesaurus_synonyms(norm) - {norm})
        if not synonyms:
            continue
        content += 1
        chosen = content % 2 == 0 if every_second else rng.random() < rate
        if not chosen:
            continue
        pieces += [text[position:start], rng.choice(synonyms)]
        position = end
        swaps += 1
    pieces.append(text[position:])
    return "".join(pieces), swaps


def mrpc_blocks(split: eval_data.Split, size: int) -> list[list[eval_data.SentencePair]]:
    """Consecutive MRPC paraphrase pairs of quality 1 of ``split``, ``size`` to a block."""
    pairs = [pair for pair in eval_data.mrpc_sentence_pairs(split) if pair.quality == 1]
    return [pairs[i : i + size] for i in range(0, len(pairs) - size + 1, size)]


def light_spin_blocks(split: eval_data.Split, rate: float = LIGHT_RATE) -> list[DocumentPair]:
    """Lightly spun blocks (label 1) and people's paraphrases of the same blocks (label 0)."""
    out = []
    for number, block in enumerate(mrpc_blocks(split, LIGHT_BLOCK)):
        reference = " ".join(pair.s1 for pair in block)
        human = " ".join(pair.s2 for pair in block)
        spun, swaps = thesaurus_spin(reference, rate=rate, seed=number)
        if swaps == 0:  # nothing to find: not a spun document
            continue
        out.append(DocumentPair(spun, reference, 1, f"mrpc-{split}:light:{number}"))
        out.append(DocumentPair(human, reference, 0, f"mrpc-{split}:human:{number}"))
    return out


def commentary_blocks(split: eval_data.Split) -> list[DocumentPair]:
    """Articles that reuse part of a reference among sentences of their own, as scraped pages
    do: from each block of six MRPC paraphrase pairs, three to six sentences are kept in a
    shuffled order and two to five unrelated sentences (from other blocks) are mixed in.
    Spun (label 1): the kept first sentences with 12% of their content words swapped for
    thesaurus synonyms. Human (label 0): people's paraphrases of the same sentences."""
    blocks = mrpc_blocks(split, LIGHT_BLOCK)
    out = []
    for number, block in enumerate(blocks):
        rng = random.Random(number)
        kept = rng.sample(range(len(block)), rng.randint(3, len(block)))
        others = [pair.s2 for other in rng.sample(blocks, 3) if other is not block for pair in other]
        commentary = rng.sample(others, min(len(others), rng.randint(2, 5)))
        reference = " ".join(pair.s1 for pair in block)
        spun = [thesaurus_spin(block[k].s1, rate=0.12, seed=number * 10 + k)[0] for k in kept]
        for label, sentences in ((1, spun), (0, [block[k].s2 for k in kept])):
            mixed = sentences + commentary
            rng.shuffle(mixed)
            out.append(DocumentPair(" ".join(mixed), reference, label,
                                    f"mrpc-{split}:commentary:{number}:{label}"))
    return out


LONG_BLOCK = 30


def long_articles(split: eval_data.Split) -> list[DocumentPair]:
    """Article-length pairs: thirty MRPC paraphrase pairs make a reference of six paragraphs;
    an article keeps a random half or more of its sentences, paragraphs shuffled, among
    sentences of its own (another block's). Spun (label 1): the kept sentences with 10% of
    their content words swapped for thesaurus synonyms. Human (label 0): people's
    paraphrases of the same sentences, as a journalist quoting and rewording a report."""
    blocks = mrpc_blocks(split, LONG_BLOCK)
    out = []
    for number, block in enumerate(blocks):
        rng = random.Random(1000 + number)
        kept = sorted(rng.sample(range(len(block)), rng.randint(len(block) // 2, len(block))))
        other = blocks[(number + 1) % len(blocks)]
        commentary = [pair.s2 for pair in rng.sample(other, rng.randint(3, 12))]
        reference = "\n\n".join(
            " ".join(pair.s1 for pair in block[i : i + 5]) for i in range(0, len(block), 5)
        )
        spun = [thesaurus_spin(block[k].s1, rate=0.10, seed=number * 100 + k)[0] for k in kept]
        for label, sentences in ((1, spun), (0, [block[k].s2 for k in kept])):
            units = sentences + commentary
            rng.shuffle(units)
            paragraphs = [" ".join(units[i : i + 4]) for i in range(0, len(units), 4)]
            out.append(DocumentPair("\n\n".join(paragraphs), reference, label,
                                    f"mrpc-{split}:long:{number}:{label}"))
    return out


def heavy_spin_blocks(split: eval_data.Split) -> list[DocumentPair]:
    """Three-sentence blocks with every second content word swapped (all label 1)."""
    out = []
    for number, block in enumerate(mrpc_blocks(split, HEAVY_BLOCK)):
        reference = " ".join(pair.s1 for pair in block)
        spun, _ = thesaurus_spin(reference, rate=1.0, seed=number, every_second=True)
        out.append(DocumentPair(spun, reference, 1, f"mrpc-{split}:heavy:{number}"))
    return out
