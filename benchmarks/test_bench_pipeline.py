"""Speed of the whole pipeline against the aligners people use today, on the same pairs.

Every group times, in the same run and on the same pairs: the floor (one regex tokenization
pass over both texts, which no aligner can beat), difflib's SequenceMatcher opcodes and
RapidFuzz's Levenshtein opcodes on the token lists (tokenization not timed: the baselines get
it for free), the same two from the raw texts (``-from-text``: tokenized by the floor's regex
pass, as a user of them would have to), a loop of ``compare``, ``compare_many`` (the
reports, whose ``Swap`` objects are made when first read), ``compare_many+swaps`` (every
report's swaps read too) and ``score_many`` (the document scores alone, no reports). The ``real-`` groups run the same on
real news text (the seed articles spun by the corpus generator's spinner) instead of generated
text. ``report.py`` turns the saved JSON into the ratios in docs/performance.md. Run (see
docs/performance.md)::

    python -m pytest benchmarks -m slow --benchmark-json=benchmarks/results.json
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

import pytest
from conftest import (
    MB,
    Workload,
    cold_start,
    corpus_workload,
    floor_pass,
    make_workload,
    real_sentence_workload,
    real_workload,
    sentence_workload,
    single_pair_workload,
)
from rapidfuzz.distance import Levenshtein

import corpus
import spindetect
from spindetect.pipeline import compare_many, score_many
from spindetect.tokens import TOKEN_PATTERN

pytestmark = pytest.mark.slow


def _difflib(workload: Workload) -> int:
    count = 0
    for article_tokens, reference_tokens in workload.token_lists:
        matcher = difflib.SequenceMatcher(None, article_tokens, reference_tokens, autojunk=False)
        count += len(matcher.get_opcodes())
    return count


def _rapidfuzz(workload: Workload) -> int:
    count = 0
    for article_tokens, reference_tokens in workload.token_lists:
        count += len(Levenshtein.opcodes(article_tokens, reference_tokens))
    return count


def _tokenized_by_floor(workload: Workload) -> list[tuple[list[str], list[str]]]:
    """Token lists as a user of difflib or RapidFuzz would make them: the floor's regex pass."""
    return [
        (TOKEN_PATTERN.findall(article), TOKEN_PATTERN.findall(reference))
        for article, reference in workload.pairs
    ]


def _difflib_from_text(workload: Workload) -> int:
    count = 0
    for article_tokens, reference_tokens in _tokenized_by_floor(workload):
        matcher = difflib.SequenceMatcher(None, article_tokens, reference_tokens, autojunk=False)
        count += len(matcher.get_opcodes())
    return count


def _rapidfuzz_from_text(workload: Workload) -> int:
    return sum(len(Levenshtein.opcodes(a, r)) for a, r in _tokenized_by_floor(workload))


def _compare_loop(workload: Workload) -> int:
    return sum(len(spindetect.compare(a, r).swaps) for a, r in workload.pairs)


def _compare_many(workload: Workload) -> int:
    return len(compare_many(workload.pairs))  # the reports; their swaps made when first read


def _compare_many_read(workload: Workload) -> int:
    return sum(len(report.swaps) for report in compare_many(workload.pairs))


def _score_many(workload: Workload) -> int:
    return int((score_many(workload.pairs) >= 0.5).sum())


METHODS: dict[str, Callable[[Workload], int]] = {
    "floor": lambda workload: floor_pass(workload.pairs),
    "difflib": _difflib,
    "rapidfuzz": _rapidfuzz,
    "difflib-from-text": _difflib_from_text,
    "rapidfuzz-from-text": _rapidfuzz_from_text,
    "compare": _compare_loop,
    "compare_many": _compare_many,
    "compare_many+swaps": _compare_many_read,
    "score_many": _score_many,
}


@pytest.fixture(scope="session", autouse=True)
def _warm_data() -> None:
    """Load the lexicon and model once, so no timing includes reading data files."""
    spindetect.compare("They paid a nice of 500 euros today.", "They paid a fine of 500 euros today.")


def _run(
    benchmark, method: str, workload: Workload, *, rounds: int, group: str | None = None,
    **extra: object,
) -> None:
    """Time ``method`` on ``workload``; every round starts with spindetect's word caches empty."""
    benchmark.group = group or workload.name
    benchmark.extra_info.update(workload.info(), method=method, **extra)
    function = METHODS[method]
    result = benchmark.pedantic(
        function, args=(workload,), setup=cold_start, rounds=rounds, iterations=1
    )
    assert result >= 0


# The corpora of generated text, and the same shapes of real news text (the seeds spun).
ARTICLE_CORPORA = {"generated": corpus_workload, "real": real_workload}
SENTENCE_CORPORA = {"generated": sentence_workload, "real": real_sentence_workload}


@pytest.mark.parametrize("text", list(ARTICLE_CORPORA))
@pytest.mark.parametrize("method", list(METHODS))
def test_corpus_1mb(benchmark, method: str, text: str):
    """Article-sized spun pairs, 1 MB of article text: ~150 of generated text
    (corpus-1MB), ~220 of real news text (real-1MB)."""
    _run(benchmark, method, ARTICLE_CORPORA[text](1), rounds=5)


@pytest.mark.parametrize("method", list(METHODS))
def test_corpus_10mb(benchmark, method: str):
    """~1,500 article-sized spun pairs, 10 MB of article text."""
    _run(benchmark, method, corpus_workload(10), rounds=1)


@pytest.mark.parametrize("megabytes", [1, 2, 4, 8])
@pytest.mark.parametrize("method", ["floor", "compare_many"])
def test_corpus_scaling(benchmark, method: str, megabytes: int):
    """1x, 2x, 4x, 8x the number of pairs."""
    # Three rounds each: on a shared machine one round of a series can land on a busy moment.
    _run(benchmark, method, corpus_workload(megabytes), rounds=3, group="corpus-scaling",
         scale=megabytes)


@pytest.mark.parametrize("text", list(SENTENCE_CORPORA))
@pytest.mark.parametrize("method", list(METHODS))
def test_sentences_1mb(benchmark, method: str, text: str):
    """1 MB of sentence-sized pairs, what is paid per pair, not per token: about 10,600 of
    generated text (sentences-1MB), 7,700 of real news text (real-sentences-1MB)."""
    _run(benchmark, method, SENTENCE_CORPORA[text](1), rounds=3)


# One long pair: the aligner must not be quadratic in document length. difflib and RapidFuzz
# are quadratic here; each runs only up to the size where it finishes in reasonable time.
PAIR_SIZES_KB = [125, 250, 500, 1000]
PAIR_LIMITS_KB = {"difflib": 1000, "rapidfuzz": 1000}


@pytest.mark.parametrize("kilobytes", PAIR_SIZES_KB)
@pytest.mark.parametrize("method", ["floor", "difflib", "rapidfuzz", "compare"])
def test_single_pair_scaling(benchmark, method: str, kilobytes: int):
    """One spun pair whose reference is 125 KB to 1 MB (1x, 2x, 4x, 8x)."""
    if kilobytes > PAIR_LIMITS_KB.get(method, kilobytes):
        pytest.skip(f"{method} is quadratic: not run on {kilobytes} KB")
    workload = single_pair_workload(kilobytes)
    _run(benchmark, method, workload, rounds=5 if method in ("floor", "compare") else 1)


def _one_pair(name: str, article: str, reference: str) -> Workload:
    return make_workload(name, [(article, reference)])


def _repeated_sentence() -> Workload:
    sentence = corpus.source_text(0).split(". ")[0] + ". "
    spun = corpus.spin(sentence, seed=1, swap_rate=0.3, drop_fraction=0.0,
                       commentary_fraction=0.0)
    return _one_pair("pathological-repeated-sentence",
                     (spun.strip() + " ") * (MB // len(spun)), sentence * (MB // len(sentence)))


def _unrelated() -> Workload:
    article, _ = corpus.huge_pair(MB, seed=0)
    return _one_pair("pathological-unrelated", article, corpus.long_text(MB, seed=99))


def _no_whitespace() -> Workload:
    article, reference = corpus.huge_pair(MB, seed=0)
    return _one_pair("pathological-no-whitespace", "".join(article.split()),
                         "".join(reference.split()))


def _one_token() -> Workload:
    letters = (corpus.long_text(MB, seed=5).replace(" ", "").replace(".", "").replace(",", "")
               .replace("\n", ""))
    return _one_pair("pathological-one-token", letters[: MB // 2] + "x" + letters[MB // 2 :],
                         letters)


PATHOLOGICAL = {
    "repeated-sentence": _repeated_sentence,
    "unrelated": _unrelated,
    "no-whitespace": _no_whitespace,
    "one-token": _one_token,
}
_pathological_cache: dict[str, Workload] = {}


@pytest.mark.parametrize("case", list(PATHOLOGICAL))
@pytest.mark.parametrize("method", ["floor", "compare"])
def test_pathological(benchmark, method: str, case: str):
    """1 MB inputs built to be hard: repeated text, nothing shared, no whitespace."""
    if case not in _pathological_cache:
        _pathological_cache[case] = PATHOLOGICAL[case]()
    _run(benchmark, method, _pathological_cache[case], rounds=2)
