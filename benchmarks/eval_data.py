"""Data loaders for the spindetect quality evaluation (loading only, no scoring).

The evaluation data is third-party and is NOT shipped with the package. It lives in
``$SPINDETECT_EXTERNAL_DATA`` or, when that variable is unset, in
``<repo>/../shared/data/external`` (each sub-folder has a ``SOURCE.md`` with provenance
and licence notes: MRPC is MSR-SSLA, non-commercial, evaluation use only).

Split discipline (project rule):

* PPS tortured phrases (``pps-tortured-csv/tortured.csv``): data rows are numbered from
  0 after the header. Even rows are ``"dev"`` (may be used to build, fit, pick
  thresholds); odd rows are ``"heldout"``. A reduced pair that occurs in both an even
  and an odd row is kept in heldout and removed from dev (no leakage).
* MRPC: ``msr_paraphrase_train.txt`` is ``"dev"``, ``msr_paraphrase_test.txt`` is
  ``"heldout"``.
* ETPC: only relations whose ``pair_id`` is in the MRPC train file (1..4076); dev only.
* PAN-PC-10 (mt-metrics): the train files only; dev only.

Public API (all return fresh plain lists, deterministic order, frozen dataclasses)::

    pps_pairs(split)            -> list[SwapPair]
    mrpc_sentence_pairs(split)  -> list[SentencePair]
    mrpc_human_swaps(split)     -> list[SwapPair]
    etpc_human_swaps()          -> list[SwapPair]
    pan_train_pairs()           -> list[SentencePair]
    pps_report(), mrpc_swap_report(split), etpc_report()  -> drop/cleaning counters

All word strings in ``SwapPair`` are produced by :func:`tokenize` (lower-cased,
punctuation dropped, hyphens and slashes split words, apostrophes inside words and
decimal numbers kept) and joined by single spaces.

Run ``python benchmarks/eval_data.py`` for a summary table.
"""

from __future__ import annotations

import csv
import difflib
import functools
import itertools
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Sequence

__all__ = [
    "Split",
    "SwapPair",
    "SentencePair",
    "PPSReport",
    "SwapReport",
    "data_dir",
    "tokenize",
    "reduce_pair",
    "pps_pairs",
    "pps_report",
    "mrpc_sentence_pairs",
    "mrpc_human_swaps",
    "mrpc_swap_report",
    "etpc_human_swaps",
    "etpc_relations",
    "EtpcRelation",
    "etpc_report",
    "pan_test_pairs",
    "pan_train_pairs",
]

Split = Literal["dev", "heldout"]
_SPLITS: tuple[str, ...] = ("dev", "heldout")

ENV_VAR = "SPINDETECT_EXTERNAL_DATA"
MRPC_TRAIN_PAIRS = 4076  # ETPC pair_id 1..4076 == MRPC train rows in file order


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class SwapPair:
    """A word substitution ``original -> replacement`` (lower-cased, tokenised words).

    ``source_row`` means: PPS = 0-based CSV data row; MRPC = 0-based data row of the
    split's file (== index into :func:`mrpc_sentence_pairs` of the same split);
    ETPC = ETPC ``pair_id`` (MRPC train row ``pair_id - 1``).
    """

    original: str
    replacement: str
    n_words_original: int
    n_words_replacement: int
    source_row: int
    source: str = ""  # "pps" | "mrpc" | "etpc"
    #: MRPC/ETPC: a word of the swap (either side) is capitalised in the raw sentence
    #: and is not sentence-initial (likely a named entity).
    proper_noun: bool = False
    #: 2:2 swaps (MRPC): the two sides share a word (e.g. "the company" -> "company the").
    shared_word: bool = False
    #: The unreduced phrases (PPS) or the full raw sentences (MRPC, ETPC).
    context_original: str = ""
    context_replacement: str = ""
    #: Extra markers, e.g. PPS "and_context", "not_context", "or_context",
    #: "proximity", "expected_cleaned"; ETPC the type ("habitual"/"contextual").
    flags: tuple[str, ...] = ()

    @classmethod
    def of(cls, original: Sequence[str], replacement: Sequence[str], **fields: object) -> SwapPair:
        """A pair from two word lists: joined by spaces, word counts filled in."""
        return cls(
            original=" ".join(original),
            replacement=" ".join(replacement),
            n_words_original=len(original),
            n_words_replacement=len(replacement),
            **fields,  # type: ignore[arg-type]
        )

    @property
    def kind(self) -> str:
        """``"1:1"``, ``"2:2"`` or ``"other"`` by word counts."""
        n, m = self.n_words_original, self.n_words_replacement
        if n == m and n in (1, 2):
            return f"{n}:{m}"
        return "other"

    @property
    def key(self) -> tuple[str, str]:
        return (self.original, self.replacement)


@dataclass(frozen=True)
class SentencePair:
    """A sentence pair. ``quality`` is the MRPC Quality / PAN label (1 = paraphrase)."""

    quality: int
    s1: str
    s2: str
    id1: str
    id2: str


@dataclass(frozen=True)
class PPSReport:
    """Bookkeeping for :func:`pps_pairs` (counts are over CSV data rows)."""

    n_rows: int
    rows_per_split: dict[str, int]
    dropped: dict[str, int]  # reason -> rows
    dropped_examples: dict[str, tuple[tuple[int, str, str], ...]]
    cleaned: dict[str, int]  # cleaning action -> rows (rows kept after cleaning)
    duplicates_within: dict[str, int]  # split -> rows removed as duplicate
    cross_split_removed_from_dev: int  # dev rows whose reduced pair is also in heldout
    cross_split_examples: tuple[tuple[str, str], ...]
    cross_split_by_kind: dict[str, int]
    kept: dict[str, int]


@dataclass(frozen=True)
class SwapReport:
    """Bookkeeping for MRPC / ETPC swap extraction."""

    n_units: int  # MRPC: Quality-1 pairs; ETPC: relations of the wanted types
    dropped: dict[str, int]
    dropped_examples: dict[str, tuple[tuple[str, str], ...]]
    kept: int
    by_kind: dict[str, int]
    proper_noun: int
    shared_word_2to2: int


# --------------------------------------------------------------------------- utils


def data_dir() -> Path:
    """The external data directory (``$SPINDETECT_EXTERNAL_DATA`` or ``<repo>/../shared/data/external``)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "external"


# Every file of outside data the evaluations and fits read (none is shipped: licences in
# each folder's SOURCE.md): its path under ``data_dir()``, what it is, where it comes from.
EXTERNAL_DATA = (
    ("pps-tortured-csv/tortured.csv",
     "the Problematic Paper Screener's tortured phrases (Cabanac, Labbé & Magazinov; CC BY 4.0)",
     "https://github.com/hahuyhoang411/tortured-phrase, file data/tortured.csv"),
    ("mrpc/msr_paraphrase_train.txt",
     "the Microsoft Research Paraphrase Corpus, train split (MSR-SSLA: non-commercial use)",
     "https://github.com/wasiahmad/paraphrase_identification, folder dataset/msr-paraphrase-corpus/"),
    ("mrpc/msr_paraphrase_test.txt",
     "the Microsoft Research Paraphrase Corpus, test split (MSR-SSLA: non-commercial use)",
     "https://github.com/wasiahmad/paraphrase_identification, folder dataset/msr-paraphrase-corpus/"),
    ("etpc/textual_np_pos.xml",
     "the Extended Typology Paraphrase Corpus v0.95 over MRPC (non-commercial use)",
     "https://github.com/venelink/ETPC, folder Corpus/"),
    ("pan10-mtmetrics/pan-train_s1.txt",
     "PAN-PC-10 sentence pairs of Madnani, Tetreault & Chodorow (research use; all of "
     "pan-train_* and pan-test_*)",
     "https://github.com/wasiahmad/paraphrase_identification, folder "
     "dataset/mt-metrics-paraphrase-corpus/"),
)


def missing_data(script: str, required: Sequence[tuple[str, str, str]] = EXTERNAL_DATA) -> str | None:
    """What to fetch and where to put it, when outside data ``script`` reads is absent (None
    when all of ``required`` is there)."""
    folder = data_dir()
    missing = [entry for entry in required if not (folder / entry[0]).exists()]
    if not missing:
        return None
    lines = [
        f"{script}: this reads outside data that is not shipped; missing under {folder} "
        f"(set ${ENV_VAR} to use another folder):"
    ]
    lines += [f"  {path}: {what}; from {source}" for path, what, source in missing]
    return "\n".join(lines)


def require_data(script: str, required: Sequence[tuple[str, str, str]] = EXTERNAL_DATA) -> None:
    """Exit with status 2 and ``missing_data``'s message when outside data is absent."""
    problem = missing_data(script, required)
    if problem is not None:
        print(problem, file=sys.stderr)
        raise SystemExit(2)


def _path(*parts: str) -> Path:
    p = data_dir().joinpath(*parts)
    if not p.exists():
        raise FileNotFoundError(
            f"evaluation data file not found: {p} (set {ENV_VAR} to the external data dir)"
        )
    return p


def _check_split(split: str) -> None:
    if split not in _SPLITS:
        raise ValueError(f"split must be 'dev' or 'heldout', not {split!r}")


# A token is a run of letters/digits, optionally with inner apostrophes ("don't",
# "alzheimer's") and decimal/thousands parts for numbers ("4.56", "1,000").
# Hyphens, slashes and all other punctuation separate tokens / are dropped.
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*(?:[.,]\d+)*")
_NUMERIC_RE = re.compile(r"\d+(?:[.,]\d+)*")
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def _token_spans(text: str) -> list[tuple[str, int, int]]:
    text = text.translate(_APOS)
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; punctuation dropped, numbers kept."""
    return [t.lower() for t, _, _ in _token_spans(text)]


def _is_numeric(tok: str) -> bool:
    return _NUMERIC_RE.fullmatch(tok) is not None


def _common_affix(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """Lengths (prefix, suffix) of the common token affixes, non-overlapping."""
    p = 0
    while p < len(a) and p < len(b) and a[p] == b[p]:
        p += 1
    s = 0
    while s < len(a) - p and s < len(b) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    return p, s


def reduce_pair(a: Sequence[str], b: Sequence[str]) -> tuple[list[str], list[str]]:
    """Strip the common prefix/suffix tokens: (neural network, neural organization) -> (network, organization)."""
    p, s = _common_affix(a, b)
    return list(a[p : len(a) - s]), list(b[p : len(b) - s])


def _contains(hay: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(list(hay[i : i + n]) == list(needle) for i in range(len(hay) - n + 1))


# --------------------------------------------------------------------------- PPS

_QUERY_RE = re.compile(r'\s*"([^"]*)"\s*(~\s*\d+)?(.*)$', re.S)
_PAREN_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_URL_RE = re.compile(r"https?://|www\.", re.I)
#: Where a curator note that carries a URL starts: ", see ...", "(see ...", or the URL itself.
_URL_NOTE_START_RE = re.compile(r"\s*[,;(\[]\s*(?:see|cf)\b|\s*\b(?:see|cf)\b\.?\s+(?=\S*\s*(?:https?://|www\.))|\s*(?:https?://|www\.)", re.I)
_UNCERTAIN_RE = re.compile(r"\?|\bunclear\b|\bunknown\b", re.I)

# PPS drop reasons
NO_EXPECTED = "no_expected ('???', '(?)', '-')"
UNCERTAIN = "uncertain_expected ('?' / 'unclear' curator mark)"
PROXIMITY = "proximity_query (~N: words not contiguous, context words inside quotes)"
EXPLANATION = "explanation_not_term"

#: Expected phrases whose (best) cleaned form has more words than this, and more than
#: the tortured phrase + 3, are treated as explanations, not terms.
_MAX_EXPECTED_WORDS = 6


def _expected_variants(expected: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """Candidate clean forms of a PPS expected phrase: (text, cleaning actions, is_weak).

    * parentheticals/brackets removed ("deep learning (DL)" -> "deep learning"); and, when
      every parenthetical is short (<= 3 words, no quotes), also unwrapped, marked weak
      ("artificial intelligence (AI)" -> "artificial intelligence ai", which wins against
      the tortured "synthetic intelligence (AI)");
    * "/" alternatives, word-level first ("infected/affected individuals" ->
      "infected individuals", "affected individuals"), then whole-string splits
      ("economic development/profit growth" -> "economic development");
    * "," parts ("structure, structural features" -> "structural features"), marked weak:
      commas usually separate list items.
    A weak variant only wins when it shares strictly more affix words with the tortured phrase.
    Order breaks ties.
    """
    out: list[tuple[str, tuple[str, ...], bool]] = []
    seen: set[str] = set()

    def add(text: str, acts: tuple[str, ...], weak: bool = False) -> None:
        text = re.sub(r"\s+", " ", text).strip(" ,;:")
        if text and text not in seen:
            seen.add(text)
            out.append((text, acts, weak))

    bases: list[tuple[str, tuple[str, ...], bool]] = []
    stripped = expected
    for _ in range(3):  # nested parentheses
        stripped = _PAREN_RE.sub(" ", stripped)
    if stripped != expected:
        bases.append((stripped, ("parenthetical_removed",), False))
        inner = re.findall(r"[(\[]([^()\[\]]*)[)\]]", expected)
        if all(len(tokenize(x)) <= 3 and not re.search(r"[\"']", x) for x in inner):
            bases.append((re.sub(r"[()\[\]]", " ", expected), ("brackets_unwrapped",), True))
    else:
        bases.append((expected, (), False))
    for text, acts, weak in bases:
        add(text, acts, weak)
    for text, acts, weak in bases:
        if "/" in text:
            words = text.split()
            choices = [w.split("/") if "/" in w else [w] for w in words]
            for combo in itertools.islice(itertools.product(*choices), 16):
                add(" ".join(combo), acts + ("slash_alternative",), weak)
            for part in text.split("/"):
                add(part, acts + ("slash_alternative",), weak)
    for text, acts, _weak in bases:
        if "," in text:
            for part in text.split(","):
                add(part, acts + ("comma_alternative",), True)
    return out


def _pick_variant(
    variants: list[tuple[str, tuple[str, ...], bool]], tortured: list[str]
) -> tuple[str, tuple[str, ...], list[str]]:
    """The variant that leaves a usable pair (non-empty reduction, no containment); then
    shares most affix words with the tortured phrase; then non-weak; then closest in
    length; then first."""
    best = None
    for i, (text, acts, weak) in enumerate(variants):
        toks = tokenize(text)
        if not toks:
            continue
        p, s = _common_affix(toks, tortured)
        ro, rr = reduce_pair(toks, tortured)
        usable = bool(ro and rr) and not _contains(tortured, toks) and not _contains(toks, tortured)
        score = (not usable, -(p + s), weak, abs(len(toks) - len(tortured)), i)
        if best is None or score < best[0]:
            best = (score, text, acts, toks)
    if best is None:
        return "", (), []
    return best[1], best[2], best[3]


@dataclass(frozen=True)
class _PPSRow:
    row: int
    query: str
    expected_raw: str
    num_papers: int


def _read_pps_rows() -> list[_PPSRow]:
    with open(_path("pps-tortured-csv", "tortured.csv"), encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = []
        for i, r in enumerate(reader):
            n = r.get("num_papers", "").replace(",", "").strip()
            rows.append(_PPSRow(i, r["tortured_phrase"], r["expected_phrase"], int(n) if n.isdigit() else 0))
    return rows


def _pps_clean_row(r: _PPSRow) -> tuple[SwapPair | None, str, tuple[str, ...]]:
    """(pair, drop_reason, cleaning_actions). ``pair`` is None when dropped."""
    m = _QUERY_RE.match(r.query)
    if not m or not m.group(1).strip():
        return None, "unparsable_query", ()
    tortured_text = m.group(1).strip()
    flags: list[str] = []
    if m.group(2):
        flags.append("proximity")
    rest = m.group(3)
    for op in ("AND", "NOT", "OR"):
        if re.search(rf"\b{op}\b", rest):
            flags.append(f"{op.lower()}_context")
    if rest.strip() and not re.search(r"\b(AND|NOT|OR)\b", rest):
        flags.append("other_context")  # e.g. a typo "ADN"

    e = r.expected_raw.replace("\u00a0", " ").replace('\\"', '"').translate(_APOS)
    e = re.sub(r"\s+", " ", e).strip().strip('"').strip()
    acts: list[str] = []
    if not re.search(r"[^\W_]", e):
        return None, NO_EXPECTED, ()
    if m.group(2):
        return None, PROXIMITY, ()
    if _UNCERTAIN_RE.search(e):
        return None, UNCERTAIN, ()
    if _URL_RE.search(e):
        e = e[: _URL_NOTE_START_RE.search(e).start()].strip()  # type: ignore[union-attr]
        acts.append("url_note_removed")
    # quote marks are markup ('\"No Free Lunch\" theorem'); inner apostrophes stay
    e = re.sub(r"\"|(?<![^\W_])'|'(?![^\W_])", " ", e)
    tortured = tokenize(tortured_text)
    if not tortured:
        return None, "unparsable_query", ()
    text, vacts, exp = _pick_variant(_expected_variants(e), tortured)
    acts.extend(vacts)
    if not exp:
        return None, NO_EXPECTED, ()
    if len(exp) > _MAX_EXPECTED_WORDS and len(exp) > len(tortured) + 3:
        return None, EXPLANATION, ()
    if exp == tortured:
        return None, "identical_after_normalisation", ()
    if _contains(tortured, exp):
        return None, "tortured_contains_expected", ()
    if _contains(exp, tortured):
        return None, "expected_contains_tortured", ()
    ro, rr = reduce_pair(exp, tortured)
    if not ro or not rr:  # e.g. insertion only: "data" -> "data information"
        return None, "empty_reduction", ()
    if all(_is_numeric(t) for t in ro) and all(_is_numeric(t) for t in rr):
        return None, "number_only", ()
    if acts:
        flags.append("expected_cleaned")
    pair = SwapPair.of(
        ro,
        rr,
        source_row=r.row,
        source="pps",
        context_original=text,
        context_replacement=tortured_text,
        flags=tuple(flags),
    )
    return pair, "", tuple(acts)


@functools.lru_cache(maxsize=None)
def _pps_build() -> tuple[dict[str, tuple[SwapPair, ...]], PPSReport]:
    rows = _read_pps_rows()
    dropped: Counter[str] = Counter()
    examples: dict[str, list[tuple[int, str, str]]] = {}
    cleaned: Counter[str] = Counter()
    cand: dict[str, list[SwapPair]] = {"dev": [], "heldout": []}
    for r in rows:
        pair, reason, acts = _pps_clean_row(r)
        if pair is None:
            dropped[reason] += 1
            examples.setdefault(reason, [])
            if len(examples[reason]) < 3:
                examples[reason].append((r.row, r.query, r.expected_raw))
            continue
        for a in sorted(set(acts)):
            cleaned[a] += 1
        cand["dev" if r.row % 2 == 0 else "heldout"].append(pair)

    dups: dict[str, int] = {}
    final: dict[str, list[SwapPair]] = {}
    for split in _SPLITS:
        seen: set[tuple[str, str]] = set()
        kept = []
        for p in cand[split]:  # ascending row order: first occurrence wins
            if p.key in seen:
                continue
            seen.add(p.key)
            kept.append(p)
        dups[split] = len(cand[split]) - len(kept)
        final[split] = kept
    held_keys = {p.key for p in final["heldout"]}
    leak = [p for p in final["dev"] if p.key in held_keys]
    final["dev"] = [p for p in final["dev"] if p.key not in held_keys]

    report = PPSReport(
        n_rows=len(rows),
        rows_per_split={"dev": (len(rows) + 1) // 2, "heldout": len(rows) // 2},
        dropped=dict(sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))),
        dropped_examples={k: tuple(v) for k, v in sorted(examples.items())},
        cleaned=dict(sorted(cleaned.items())),
        duplicates_within=dups,
        cross_split_removed_from_dev=len(leak),
        cross_split_examples=tuple(p.key for p in leak[:5]),
        cross_split_by_kind=dict(sorted(Counter(p.kind for p in leak).items())),
        kept={s: len(final[s]) for s in _SPLITS},
    )
    return {s: tuple(final[s]) for s in _SPLITS}, report


def pps_pairs(split: Split) -> list[SwapPair]:
    """Reduced (expected -> tortured) word swaps from the PPS tortured-phrase CSV.

    ``original`` is the correct term, ``replacement`` the spinner's word(s), both reduced to
    the differing words (``neural network`` / ``neural organization`` -> ``network`` /
    ``organization``). ``dev`` = even data rows, ``heldout`` = odd rows. Pairs are unique
    within a split (first row wins) and a pair present in heldout is removed from dev.
    Sorted by ``source_row``. See :func:`pps_report` for what was dropped and why.
    """
    _check_split(split)
    return list(_pps_build()[0][split])


def pps_report() -> PPSReport:
    """Drop / cleaning / dedup counts behind :func:`pps_pairs`."""
    return _pps_build()[1]


# --------------------------------------------------------------------------- MRPC

_MRPC_FILES = {"dev": "msr_paraphrase_train.txt", "heldout": "msr_paraphrase_test.txt"}


@functools.lru_cache(maxsize=None)
def _mrpc_pairs(split: str) -> tuple[SentencePair, ...]:
    out = []
    with open(_path("mrpc", _MRPC_FILES[split]), encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if [h.strip() for h in header] != ["Quality", "#1 ID", "#2 ID", "#1 String", "#2 String"]:
            raise ValueError(f"unexpected MRPC header: {header}")
        for row in reader:
            if not row or not "".join(row).strip():
                continue
            if len(row) != 5:
                raise ValueError(f"malformed MRPC row ({len(row)} fields): {row}")
            q, i1, i2, s1, s2 = row
            out.append(SentencePair(int(q), s1, s2, i1, i2))
    return tuple(out)


def mrpc_sentence_pairs(split: Split) -> list[SentencePair]:
    """MRPC pairs in file order: ``dev`` = train file (4,076), ``heldout`` = test file (1,725)."""
    _check_split(split)
    return list(_mrpc_pairs(split))


_SENT_START_RE = re.compile(r"[.!?:;]['\"\u201d)]*\s*$")


def _word_info(text: str) -> list[tuple[str, bool]]:
    """(lower-cased token, looks_like_proper_noun) for each token of a raw sentence."""
    out = []
    t = text.translate(_APOS)
    for k, (tok, start, _end) in enumerate(_token_spans(t)):
        initial = k == 0 or _SENT_START_RE.search(t[:start]) is not None
        # a leading quote/bracket before the first word keeps it sentence-initial
        cap = tok[:1].isupper()
        out.append((tok.lower(), cap and not initial))
    return out


def _swaps_from_pair(
    w1: list[tuple[str, bool]], w2: list[tuple[str, bool]]
) -> list[tuple[list[str], list[str], bool]]:
    a = [w for w, _ in w1]
    b = [w for w, _ in w2]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "replace":
            continue
        n, m = i2 - i1, j2 - j1
        if (n, m) not in ((1, 1), (2, 2)):
            continue
        prop = any(p for _, p in w1[i1:i2]) or any(p for _, p in w2[j1:j2])
        out.append((a[i1:i2], b[j1:j2], prop))
    return out


def _swap_filter(o: list[str], r: list[str]) -> str:
    """Drop reason for a candidate swap, or '' to keep."""
    if re.sub(r"[\W_]", "", "".join(o)) == re.sub(r"[\W_]", "", "".join(r)):
        return "case_or_punctuation_only"
    if all(_is_numeric(t) for t in o) or all(_is_numeric(t) for t in r):
        return "number_only"
    return ""


def _make_report(n_units, dropped, examples, pairs: Sequence[SwapPair]) -> SwapReport:
    return SwapReport(
        n_units=n_units,
        dropped=dict(sorted(dropped.items(), key=lambda kv: (-kv[1], kv[0]))),
        dropped_examples={k: tuple(v) for k, v in sorted(examples.items())},
        kept=len(pairs),
        by_kind=dict(sorted(Counter(p.kind for p in pairs).items())),
        proper_noun=sum(p.proper_noun for p in pairs),
        shared_word_2to2=sum(p.shared_word for p in pairs),
    )


@functools.lru_cache(maxsize=None)
def _mrpc_swaps(split: str) -> tuple[tuple[SwapPair, ...], SwapReport]:
    pairs = _mrpc_pairs(split)
    dropped: Counter[str] = Counter()
    examples: dict[str, list[tuple[str, str]]] = {}
    out: list[SwapPair] = []
    n_units = 0
    for row, sp in enumerate(pairs):
        if sp.quality != 1:
            continue
        n_units += 1
        for o, r, prop in _swaps_from_pair(_word_info(sp.s1), _word_info(sp.s2)):
            reason = _swap_filter(o, r)
            if reason:
                dropped[reason] += 1
                ex = examples.setdefault(reason, [])
                if len(ex) < 3:
                    ex.append((" ".join(o), " ".join(r)))
                continue
            out.append(
                SwapPair.of(
                    o,
                    r,
                    source_row=row,
                    source="mrpc",
                    proper_noun=prop,
                    shared_word=len(o) == 2 and bool(set(o) & set(r)),
                    context_original=sp.s1,
                    context_replacement=sp.s2,
                )
            )
    return tuple(out), _make_report(n_units, dropped, examples, out)


def mrpc_human_swaps(split: Split) -> list[SwapPair]:
    """Human 1:1 and 2:2 word replacements in MRPC paraphrase pairs (Quality 1).

    Both sentences are tokenised (:func:`tokenize`), aligned with
    ``difflib.SequenceMatcher(autojunk=False)``; ``replace`` opcodes of exactly 1:1 or
    2:2 words are kept as (sentence-1 words -> sentence-2 words). Swaps differing only
    by case/punctuation and swaps where either side is only numbers are dropped.
    ``proper_noun`` marks swaps with a capitalised, non-sentence-initial word on either
    side; ``shared_word`` marks 2:2 swaps whose sides share a word. Every occurrence is
    kept (no dedup), in file order then sentence order.
    """
    _check_split(split)
    return list(_mrpc_swaps(split)[0])


def mrpc_swap_report(split: Split) -> SwapReport:
    _check_split(split)
    return _mrpc_swaps(split)[1]


# --------------------------------------------------------------------------- ETPC

_ETPC_TYPES = {
    "Same Polarity Substitution (habitual)": "habitual",
    "Same Polarity Substitution (contextual)": "contextual",
}
_NLTK_CLITIC_RE = re.compile(r"\s+(?=(?:'(?:s|re|ve|ll|d|m)|n't)\b)", re.I)


def _detok(text: str) -> str:
    """Undo the nltk splits that matter for our tokenizer: "Dominick 's" -> "Dominick's"."""
    text = text.replace("``", '"').replace("''", '"')
    return _NLTK_CLITIC_RE.sub("", text)


@functools.lru_cache(maxsize=None)
def _etpc_swaps(reduce: bool) -> tuple[tuple[SwapPair, ...], SwapReport]:
    train = _mrpc_pairs("dev")
    files = sorted(p for p in _path("etpc").glob("*.xml") if p.name != "paraphrase_types.xml")
    dropped: Counter[str] = Counter()
    examples: dict[str, list[tuple[str, str]]] = {}
    rows: list[tuple[int, str, int, SwapPair]] = []
    n_units = 0

    def drop(reason: str, o: str, r: str) -> None:
        dropped[reason] += 1
        ex = examples.setdefault(reason, [])
        if len(ex) < 3:
            ex.append((o, r))

    for f in files:
        for k, rel in enumerate(ET.parse(f).getroot().iter("relation")):
            kind = _ETPC_TYPES.get((rel.findtext("type_name") or "").strip())
            if kind is None:
                continue
            n_units += 1
            s1 = rel.findtext("s1_text") or ""
            s2 = rel.findtext("s2_text") or ""
            if (rel.findtext("sense_preserving") or "").strip().lower() not in ("yes", "true", "1"):
                drop("not_sense_preserving", s1, s2)
                continue
            pid = int((rel.findtext("pair_id") or "0").strip())
            if not 1 <= pid <= MRPC_TRAIN_PAIRS:
                drop("not_in_mrpc_train", s1, s2)
                continue
            o, r = tokenize(_detok(s1)), tokenize(_detok(s2))
            if not o or not r:
                drop("empty_side", s1, s2)
                continue
            if reduce:
                o, r = reduce_pair(o, r)
                if not o or not r:
                    drop("empty_reduction", s1, s2)
                    continue
            reason = _swap_filter(o, r)
            if reason:
                drop(reason, s1, s2)
                continue
            sp = train[pid - 1]
            info = {w: p for w, p in _word_info(sp.s1) + _word_info(sp.s2) if p}
            rows.append(
                (
                    pid,
                    f.name,
                    k,
                    SwapPair.of(
                        o,
                        r,
                        source_row=pid,
                        source="etpc",
                        proper_noun=any(w in info for w in o + r),
                        shared_word=len(o) == 2 == len(r) and bool(set(o) & set(r)),
                        context_original=sp.s1,
                        context_replacement=sp.s2,
                        flags=(kind,),
                    ),
                )
            )
    rows.sort(key=lambda t: t[:3])
    out = tuple(t[3] for t in rows)
    return out, _make_report(n_units, dropped, examples, out)


def etpc_human_swaps(reduce: bool = False) -> list[SwapPair]:
    """ETPC sense-preserving "Same Polarity Substitution" (habitual, contextual) spans, s1 -> s2.

    Dev only: restricted to pair_id 1..4076 (MRPC train). Note: the available ETPC files
    annotate MRPC *non*-paraphrase pairs (Quality 0); the substitutions themselves are
    annotated as sense-preserving. With ``reduce=True`` the common prefix/suffix words are
    stripped ("have dropped" -> "have fallen" becomes "dropped" -> "fallen"). Spans that
    differ only by case/punctuation or are number-only are dropped. The proper_noun flag
    here means a swap word appears capitalised mid-sentence in the MRPC sentences.
    Sorted by (pair_id, file, relation order).
    """
    return list(_etpc_swaps(bool(reduce))[0])


def etpc_report(reduce: bool = False) -> SwapReport:
    return _etpc_swaps(bool(reduce))[1]


@dataclass(frozen=True)
class EtpcRelation:
    """One ETPC "Same Polarity Substitution" relation with its MRPC sentences, raw.

    ``s1_text`` / ``s2_text`` are ETPC's (nltk-tokenised) spans, un-split by :func:`_detok`;
    ``sentence1`` / ``sentence2`` the MRPC sentences they come from; ``kind`` is
    ``"habitual"`` or ``"contextual"``.
    """

    pair_id: int
    kind: str
    sense_preserving: bool
    s1_text: str
    s2_text: str
    sentence1: str
    sentence2: str


@functools.lru_cache(maxsize=None)
def _etpc_relations() -> tuple[EtpcRelation, ...]:
    train, test = _mrpc_pairs("dev"), _mrpc_pairs("heldout")
    files = sorted(p for p in _path("etpc").glob("*.xml") if p.name != "paraphrase_types.xml")
    rows: list[tuple[int, str, int, EtpcRelation]] = []
    for f in files:
        for k, rel in enumerate(ET.parse(f).getroot().iter("relation")):
            kind = _ETPC_TYPES.get((rel.findtext("type_name") or "").strip())
            if kind is None:
                continue
            pid = int((rel.findtext("pair_id") or "0").strip())
            pairs, row = (train, pid - 1) if pid <= MRPC_TRAIN_PAIRS else (test, pid - 1 - MRPC_TRAIN_PAIRS)
            if not 0 <= row < len(pairs):
                continue
            sense = (rel.findtext("sense_preserving") or "").strip().lower() in ("yes", "true", "1")
            relation = EtpcRelation(
                pid, kind, sense, _detok(rel.findtext("s1_text") or ""),
                _detok(rel.findtext("s2_text") or ""), pairs[row].s1, pairs[row].s2,
            )
            rows.append((pid, f.name, k, relation))
    rows.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in rows)


def etpc_relations(split: Split) -> list[EtpcRelation]:
    """ETPC substitution relations with their MRPC sentences: ``dev`` = pairs of the MRPC
    train file, ``heldout`` = pairs of the MRPC test file (held out: final evaluation only)."""
    _check_split(split)
    heldout = split == "heldout"
    return [r for r in _etpc_relations() if (r.pair_id > MRPC_TRAIN_PAIRS) == heldout]


# --------------------------------------------------------------------------- PAN


@functools.lru_cache(maxsize=None)
def _pan(split: str) -> tuple[SentencePair, ...]:
    """The PAN-PC-10 pairs of ``split`` ("pan-train" or "pan-test"), line order."""
    def lines(name: str) -> list[str]:
        with open(_path("pan10-mtmetrics", f"{split}{name}"), encoding="utf-8", newline="") as fh:
            return fh.read().splitlines()

    s1, s2, lab = lines("_s1.txt"), lines("_s2.txt"), lines(".labels")
    if not len(s1) == len(s2) == len(lab):
        raise ValueError(
            f"PAN {split} files are not line-aligned: {len(s1)}, {len(s2)}, {len(lab)}"
        )
    return tuple(
        SentencePair(int(l.strip()), a, b, f"{split}:{i}", f"{split}:{i}")
        for i, (a, b, l) in enumerate(zip(s1, s2, lab))
    )


def pan_test_pairs() -> list[SentencePair]:
    """PAN-PC-10 test pairs, line order. HELD OUT: the final evaluation only."""
    return list(_pan("pan-test"))


def pan_train_pairs() -> list[SentencePair]:
    """PAN-PC-10 train pairs (label, source s1, suspicious s2), line order; dev only.

    ``id1 == id2 == "pan-train:<0-based line>"``. Label 1 = plagiarised paraphrase (a mix of
    human rewrites and synonym-spinner output, unlabelled), 0 = non-paraphrase.
    """
    return list(_pan("pan-train"))


# --------------------------------------------------------------------------- summary


def _summary(out=sys.stdout) -> None:
    def w(s: str = "") -> None:
        print(s, file=out)

    def ex(pairs: Sequence[SwapPair], kind: str, n: int = 4) -> str:
        sel = [p for p in pairs if p.kind == kind][:n]
        return "; ".join(f"{p.original} -> {p.replacement}" for p in sel)

    w(f"data dir: {data_dir()}")
    w()
    w("== PPS tortured phrases (pps-tortured-csv/tortured.csv); original = expected, replacement = tortured")
    rep = pps_report()
    w(f"rows: {rep.n_rows}  (dev = even rows: {rep.rows_per_split['dev']}, heldout = odd rows: {rep.rows_per_split['heldout']})")
    w(f"dropped rows: {sum(rep.dropped.values())}")
    for reason, n in rep.dropped.items():
        w(f"  {n:5d}  {reason}")
        for row, q, e in rep.dropped_examples[reason][:2]:
            w(f"           row {row}: {q!r} -> {e[:70]!r}")
    w("cleaned expected phrases (rows kept, by action):")
    for a, n in rep.cleaned.items():
        w(f"  {n:5d}  {a}")
    w(f"duplicate reduced pairs removed within split: dev {rep.duplicates_within['dev']}, heldout {rep.duplicates_within['heldout']}")
    w(
        f"dev pairs also in heldout (removed from dev): {rep.cross_split_removed_from_dev} "
        f"{rep.cross_split_by_kind}  e.g. {list(rep.cross_split_examples[:3])}"
    )
    w(f"{'split':8s} {'total':>6s} {'1:1':>6s} {'2:2':>6s} {'other':>6s}")
    for s in _SPLITS:
        ps = pps_pairs(s)  # type: ignore[arg-type]
        c = Counter(p.kind for p in ps)
        w(f"{s:8s} {len(ps):6d} {c['1:1']:6d} {c['2:2']:6d} {c['other']:6d}")
    dev = pps_pairs("dev")
    for k in ("1:1", "2:2", "other"):
        w(f"  dev {k:5s} e.g. {ex(dev, k)}")
    fl = Counter(f for s in _SPLITS for p in pps_pairs(s) for f in p.flags)  # type: ignore[arg-type]
    w(f"  flags (both splits): {dict(sorted(fl.items()))}")
    w()
    w("== MRPC sentence pairs")
    w(f"{'split':8s} {'pairs':>6s} {'Q=1':>6s} {'Q=0':>6s}")
    for s in _SPLITS:
        sp = mrpc_sentence_pairs(s)  # type: ignore[arg-type]
        q = Counter(p.quality for p in sp)
        w(f"{s:8s} {len(sp):6d} {q[1]:6d} {q[0]:6d}")
    w()
    w("== MRPC human swaps (Quality 1, difflib replace opcodes 1:1 / 2:2), original = sentence 1")
    w(f"{'split':8s} {'pairs':>6s} {'swaps':>6s} {'1:1':>6s} {'2:2':>6s} {'proper':>7s} {'2:2shared':>9s} {'unique':>7s}  dropped")
    for s in _SPLITS:
        r = mrpc_swap_report(s)  # type: ignore[arg-type]
        ps = mrpc_human_swaps(s)  # type: ignore[arg-type]
        w(
            f"{s:8s} {r.n_units:6d} {r.kept:6d} {r.by_kind.get('1:1', 0):6d} {r.by_kind.get('2:2', 0):6d}"
            f" {r.proper_noun:7d} {r.shared_word_2to2:9d} {len({p.key for p in ps}):7d}  {r.dropped}"
        )
    r = mrpc_swap_report("dev")
    for reason, exs in r.dropped_examples.items():
        w(f"  dropped {reason} e.g. {list(exs)}")
    dev = mrpc_human_swaps("dev")
    w(f"  dev 1:1 e.g. {ex(dev, '1:1', 6)}")
    w(f"  dev 2:2 e.g. {ex(dev, '2:2', 4)}")
    prop = [f"{p.original} -> {p.replacement}" for p in dev if p.proper_noun][:4]
    w(f"  dev proper-noun e.g. {'; '.join(prop)}")
    hk = {p.key for p in mrpc_human_swaps('heldout')}
    w(f"  distinct swap types shared by dev and heldout: {len({p.key for p in dev} & hk)} (not removed: natural overlap)")
    w()
    w("== ETPC human swaps (Same Polarity Substitution habitual+contextual, sense-preserving, MRPC train only; dev only)")
    for red in (False, True):
        r = etpc_report(red)
        ps = etpc_human_swaps(red)
        fl = Counter(p.flags[0] for p in ps)
        w(
            f"reduce={red!s:5s} relations={r.n_units} kept={r.kept} by_kind={r.by_kind} "
            f"habitual={fl['habitual']} contextual={fl['contextual']} proper={r.proper_noun} dropped={r.dropped}"
        )
    ps = etpc_human_swaps()
    w(f"  1:1 e.g. {ex(ps, '1:1', 6)}")
    w(f"  other e.g. {ex(ps, 'other', 4)}")
    w()
    w("== PAN-PC-10 train pairs (dev only)")
    pan = pan_train_pairs()
    q = Counter(p.quality for p in pan)
    w(f"pairs={len(pan)}  label1={q[1]}  label0={q[0]}")
    w(f"  e.g. [{pan[0].quality}] {pan[0].s1[:70]!r} || {pan[0].s2[:70]!r}")


if __name__ == "__main__":
    _summary()
