"""A deterministic, seeded corpus of spun articles and their sources, made at run time.

The benchmarks (and the reference-index evaluation) need megabytes of article/reference pairs
that look like what a content farm publishes. Nothing here is committed as data: the same
seed and the same versions of wordfreq and of spindetect's shipped thesaurus give the same
text, byte for byte.

**Sources.** Each reference text is built from sentence-like templates over real English word
frequencies (``wordfreq.top_n_list("en", ...)``): a sentence is 3 to 7 phrases, each phrase a
function word (the 120 most frequent words, drawn by frequency) followed by 1 to 3 content
words (the next ~20,000 words, drawn by frequency), with a comma now and then, a number now
and then ("500,000"), a capital letter and a full stop. Paragraphs of 3 to 6 sentences are the
passages a rewriter moves or drops. The grammar is poor but the statistics that matter for
alignment are real: Zipfian word frequencies, about half the tokens function words, repeated
short n-grams such as "of the" and rare long ones.

**Spins** do what spinners do, using the thesaurus spindetect ships
(``spindetect.lexicon.thesaurus_synonyms``, Moby): each word with a thesaurus entry is replaced
with probability ``swap_rate`` by one of its listed synonyms, chosen blind to sense; with
probability ``phrase_fraction`` a multi-word entry is preferred where one exists ("leave" ->
"go away", 1:n phrase swaps). Then ``drop_fraction`` of the paragraphs are dropped (at least
one is kept), the rest are shuffled if ``reorder``, and ``commentary_fraction`` times as many
fresh paragraphs of commentary (text that is not in the source) are inserted at random places.

API::

    source_text(index, *, seed=0) -> str
        The index-th reference of the corpus, 2 to 10 KB. Deterministic in (seed, index)
        alone, so a reference index can build 10,000 references and spin any of them.
    spin(text, *, seed=0, swap_rate=0.15, phrase_fraction=0.2, drop_fraction=0.1,
         reorder=True, commentary_fraction=0.1) -> str
        Spin any text whose paragraphs are separated by blank lines.
    generate_pairs(total_bytes, *, seed=0, first_index=0, <spin knobs>)
            -> Iterator[tuple[str, str]]
        (article, reference) pairs: reference = source_text(first_index + i, seed=seed),
        article = its spin. Stops once the articles add up to ``total_bytes`` (UTF-8; the
        text is ASCII). Lazy, so 100 MB streams without being held in memory.
    long_text(total_bytes, *, seed=0) -> str
        One source text of about ``total_bytes``.
    huge_pair(total_bytes, *, seed=0, <spin knobs>) -> tuple[str, str]
        One (article, reference) pair whose reference is ``long_text(total_bytes)``.
    sentence_pairs(total_bytes, *, seed=0, swap_rate=0.15, phrase_fraction=0.2)
            -> Iterator[tuple[str, str]]
        (spun sentence, sentence) pairs, the shape of paraphrase corpora such as MRPC: each
        sentence of the references in turn, with synonym swaps only.
    real_sources() -> list[str]
        Real news text: the seed articles of ``seeds/`` that are not spinner output, and the
        reconstructed source of seed 003 (``data/seed003/source.txt``), as paragraphs
        separated by blank lines.
    real_pairs(total_bytes, *, seed=0, <spin knobs>) -> Iterator[tuple[str, str]]
        (article, reference) pairs of real text: seed 003 with its reconstructed source (real
        spinner output), then each real source in turn spun by ``spin``, with passages from the
        other sources as the commentary a content farm adds.
    real_sentence_pairs(total_bytes, *, seed=0, swap_rate=0.15, phrase_fraction=0.2)
        The sentences of the real sources in turn, each with its spin, as ``sentence_pairs``.
    preload_thesaurus() -> None
        Fill the synonym cache up front (for memory measurements).

Example: the corpus of issue 6 (sources among 10,000 references, 30% of each source's
passages dropped and the rest reordered)::

    references = [source_text(i, seed=1) for i in range(10_000)]
    articles = [spin(references[i], seed=i, drop_fraction=0.3, reorder=True)
                for i in range(0, 10_000, 10)]

>>> pairs = list(generate_pairs(20_000, seed=3))
>>> sum(len(article) for article, _ in pairs) >= 20_000
True
>>> pairs == list(generate_pairs(20_000, seed=3))
True
>>> pairs[0][1] == source_text(0, seed=3)
True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import wordfreq

__all__ = [
    "ARTICLE_BYTES",
    "generate_pairs",
    "huge_pair",
    "long_text",
    "preload_thesaurus",
    "real_pairs",
    "real_sentence_pairs",
    "real_sources",
    "source_text",
    "spin",
]

# Reference lengths in bytes, drawn uniformly: news articles run from 2 to 10 KB.
ARTICLE_BYTES = (2_000, 10_000)
# The most frequent words act as function words in the templates; the next ones as content.
FUNCTION_WORDS = 120
CONTENT_WORDS = 20_000
# Template shape: phrases per sentence, content words per phrase, sentences per paragraph.
PHRASES_PER_SENTENCE = (3, 8)  # [low, high)
CONTENT_PER_PHRASE = (1, 4)
SENTENCES_PER_PARAGRAPH = (3, 7)
# How often a phrase ends with a comma, and how often a content word is a number.
COMMA_RATE = 0.12
NUMBER_RATE = 0.02
PARAGRAPH_SEPARATOR = "\n\n"


class _Vocabulary:
    """Words and cumulative frequency tables for the templates, built once."""

    def __init__(self) -> None:
        words = [
            word
            for word in wordfreq.top_n_list("en", FUNCTION_WORDS + CONTENT_WORDS + 5_000)
            if word.isascii() and word.isalpha()
        ][: FUNCTION_WORDS + CONTENT_WORDS]
        frequencies = np.array(
            [wordfreq.word_frequency(word, "en") for word in words], dtype=np.float64
        )
        self.function_words = words[:FUNCTION_WORDS]
        self.content_words = words[FUNCTION_WORDS:]
        self.function_cdf = _cdf(frequencies[:FUNCTION_WORDS])
        self.content_cdf = _cdf(frequencies[FUNCTION_WORDS:])
        # wordfreq keeps what it read in lru_caches: 300,000 words in lists, which every full
        # garbage collection of the benchmark process would walk. spindetect does not keep
        # them, so neither does its benchmark.
        for cached in (wordfreq.top_n_list, wordfreq.get_frequency_list,
                       wordfreq.get_frequency_dict):
            cached.cache_clear()


def _cdf(weights: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(weights, dtype=np.float64)
    return cdf / cdf[-1]


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    return _Vocabulary()


def _draw(rng: np.random.Generator, cdf: np.ndarray, count: int) -> np.ndarray:
    """``count`` indices drawn with the probabilities whose cumulative sum is ``cdf``."""
    return np.minimum(
        np.searchsorted(cdf, rng.random(count), side="right"), len(cdf) - 1
    ).astype(np.int64)


def _paragraph(rng: np.random.Generator) -> str:
    """One paragraph of template sentences."""
    vocabulary = _vocabulary()
    sentence_count = int(rng.integers(*SENTENCES_PER_PARAGRAPH))
    phrases_per_sentence = rng.integers(*PHRASES_PER_SENTENCE, size=sentence_count)
    phrase_count = int(phrases_per_sentence.sum())
    content_counts = rng.integers(*CONTENT_PER_PHRASE, size=phrase_count)
    function_ids = _draw(rng, vocabulary.function_cdf, phrase_count)
    content_ids = _draw(rng, vocabulary.content_cdf, int(content_counts.sum()))
    numbers = rng.random(len(content_ids)) < NUMBER_RATE
    number_values = rng.integers(2, 1_000_000, size=len(content_ids))
    commas = rng.random(phrase_count) < COMMA_RATE

    function_words, content_words = vocabulary.function_words, vocabulary.content_words
    content = [
        f"{value:,}" if is_number else content_words[word_id]
        for word_id, is_number, value in zip(
            content_ids.tolist(), numbers.tolist(), number_values.tolist()
        )
    ]
    sentences = []
    phrase = 0
    content_used = 0
    for phrases in phrases_per_sentence.tolist():
        words: list[str] = []
        for _ in range(phrases):
            count = int(content_counts[phrase])
            words.append(function_words[function_ids[phrase]])
            words.extend(content[content_used : content_used + count])
            content_used += count
            if commas[phrase]:
                words[-1] += ","
            phrase += 1
        words[0] = words[0].capitalize()
        sentences.append(" ".join(words).rstrip(",") + ".")
    return " ".join(sentences)


def _paragraphs(rng: np.random.Generator, total_bytes: int) -> list[str]:
    """Paragraphs adding up to at least ``total_bytes`` with their separators."""
    paragraphs: list[str] = []
    size = 0
    while size < total_bytes:
        paragraph = _paragraph(rng)
        paragraphs.append(paragraph)
        size += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return paragraphs


def source_text(index: int, *, seed: int = 0) -> str:
    """The ``index``-th reference text of the corpus for ``seed``: 2 to 10 KB.

    >>> source_text(5, seed=1) == source_text(5, seed=1) != source_text(6, seed=1)
    True
    """
    rng = np.random.default_rng([seed, index, 0])
    size = int(rng.integers(ARTICLE_BYTES[0], ARTICLE_BYTES[1] + 1))
    return PARAGRAPH_SEPARATOR.join(_paragraphs(rng, size))


def long_text(total_bytes: int, *, seed: int = 0) -> str:
    """One source text of about ``total_bytes`` (a paragraph more at most)."""
    rng = np.random.default_rng([seed, 1 << 40, 0])
    return PARAGRAPH_SEPARATOR.join(_paragraphs(rng, total_bytes))


@lru_cache(maxsize=1 << 16)
def _synonyms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The thesaurus entries of ``word``: (single words, multi-word phrases), sorted."""
    from spindetect.lexicon import thesaurus_synonyms

    entries = sorted(thesaurus_synonyms(word))
    singles = tuple(entry for entry in entries if " " not in entry and entry != word)
    phrases = tuple(entry for entry in entries if " " in entry)
    return singles, phrases


def preload_thesaurus() -> None:
    """Look up the synonyms of every template word now rather than on first use.

    The generator caches each word's thesaurus entries (a few hundred strings each); a
    memory measurement of a run that streams the corpus calls this first, so that the
    cache filling up is not mistaken for the pipeline's memory growing.
    """
    vocabulary = _vocabulary()
    for word in vocabulary.function_words + vocabulary.content_words:
        _synonyms(word)


def _swap_word(
    surface: str, rng: np.random.Generator, phrase_fraction: float
) -> str:
    """A thesaurus synonym for one written word, keeping its capital and punctuation."""
    core = surface.rstrip(",.")
    tail = surface[len(core) :]
    if not core.isalpha():
        return surface
    singles, phrases = _synonyms(core.lower())
    choices = phrases if phrases and (not singles or rng.random() < phrase_fraction) else singles
    if not choices:
        return surface
    replacement = choices[int(rng.integers(len(choices)))]
    if core[0].isupper():
        replacement = replacement[0].upper() + replacement[1:]
    return replacement + tail


def _spin_paragraph(
    paragraph: str, rng: np.random.Generator, swap_rate: float, phrase_fraction: float
) -> str:
    words = paragraph.split(" ")
    for position in np.flatnonzero(rng.random(len(words)) < swap_rate).tolist():
        words[position] = _swap_word(words[position], rng, phrase_fraction)
    return " ".join(words)


def spin(
    text: str,
    *,
    seed: int = 0,
    swap_rate: float = 0.15,
    phrase_fraction: float = 0.2,
    drop_fraction: float = 0.1,
    reorder: bool = True,
    commentary_fraction: float = 0.1,
    commentary: Sequence[str] = (),
) -> str:
    """``text`` spun: synonym swaps, dropped and shuffled paragraphs, inserted commentary.

    Paragraphs are separated by blank lines. ``drop_fraction`` of them (rounded, at least one
    kept) are dropped; ``commentary_fraction`` times the number kept (rounded) of new
    paragraphs are inserted: drawn from ``commentary`` when it is given, else generated.

    >>> spin("The fine was paid.", seed=0, swap_rate=0.0)
    'The fine was paid.'
    >>> spin("One.\\n\\nTwo.\\n\\nThree.", swap_rate=0.0, drop_fraction=0.0, reorder=False,
    ...      commentary_fraction=0.0)
    'One.\\n\\nTwo.\\n\\nThree.'
    """
    for name, value in (
        ("swap_rate", swap_rate),
        ("phrase_fraction", phrase_fraction),
        ("drop_fraction", drop_fraction),
    ):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {value!r}")
    if commentary_fraction < 0.0:
        raise ValueError(f"commentary_fraction must be >= 0, got {commentary_fraction!r}")
    rng = np.random.default_rng([seed, 1])
    paragraphs = text.split(PARAGRAPH_SEPARATOR)
    drop_count = min(round(drop_fraction * len(paragraphs)), len(paragraphs) - 1)
    kept = np.sort(rng.permutation(len(paragraphs))[drop_count:])
    if reorder:
        kept = rng.permutation(kept)
    spun = [
        _spin_paragraph(paragraphs[position], rng, swap_rate, phrase_fraction)
        for position in kept.tolist()
    ]
    commentary_rng = np.random.default_rng([seed, 2])
    for _ in range(round(commentary_fraction * len(spun))):
        paragraph = (
            commentary[int(commentary_rng.integers(len(commentary)))] if commentary
            else _paragraph(commentary_rng)
        )
        spun.insert(int(rng.integers(len(spun) + 1)), paragraph)
    return PARAGRAPH_SEPARATOR.join(spun)


def generate_pairs(
    total_bytes: int, *, seed: int = 0, first_index: int = 0, **spin_options: Any
) -> Iterator[tuple[str, str]]:
    """(article, reference) pairs, made lazily, until the articles add up to ``total_bytes``.

    ``spin_options`` (swap_rate, phrase_fraction, drop_fraction, reorder,
    commentary_fraction) go to ``spin``, whose defaults apply.
    """
    size = 0
    index = first_index
    while size < total_bytes:
        reference = source_text(index, seed=seed)
        article = spin(reference, seed=seed * 1_000_003 + index, **spin_options)
        size += len(article)
        index += 1
        yield article, reference


def huge_pair(total_bytes: int, *, seed: int = 0, **spin_options: Any) -> tuple[str, str]:
    """One (article, reference) pair; the reference is ``long_text(total_bytes, seed=seed)``.

    ``spin_options`` go to ``spin``, as for ``generate_pairs``.
    """
    reference = long_text(total_bytes, seed=seed)
    return spin(reference, seed=seed, **spin_options), reference


_SENTENCE_BREAK = re.compile(r"(?<=\.) ")


def sentence_pairs(
    total_bytes: int, *, seed: int = 0, swap_rate: float = 0.15, phrase_fraction: float = 0.2
) -> Iterator[tuple[str, str]]:
    """(spun sentence, sentence) pairs until the spun sentences add up to ``total_bytes``:
    every sentence of ``source_text(0, seed=seed)``, ``source_text(1, ...)``, ... in turn,
    with ``spin``'s synonym swaps and nothing dropped, moved or added.

    >>> pairs = list(sentence_pairs(2_000, seed=3))
    >>> all(reference.endswith(".") and " " in article for article, reference in pairs)
    True
    """
    def sentences() -> Iterator[str]:
        index = 0
        while True:
            for paragraph in source_text(index, seed=seed).split(PARAGRAPH_SEPARATOR):
                yield from _SENTENCE_BREAK.split(paragraph)
            index += 1

    return _spun_sentences(sentences(), total_bytes, seed, swap_rate, phrase_fraction)


def _spun_sentences(
    sentences: Iterator[str], total_bytes: int, seed: int, swap_rate: float,
    phrase_fraction: float,
) -> Iterator[tuple[str, str]]:
    """(spun sentence, sentence) for ``sentences`` in turn, with synonym swaps only, until
    the spun sentences add up to ``total_bytes``."""
    size = 0
    for number, sentence in enumerate(sentences):
        if size >= total_bytes:
            return
        article = spin(
            sentence, seed=seed * 1_000_003 + number, swap_rate=swap_rate,
            phrase_fraction=phrase_fraction, drop_fraction=0.0, reorder=False,
            commentary_fraction=0.0,
        )
        size += len(article)
        yield article, sentence


# Real text: news articles shipped with the repository (the seeds) and the reconstructed
# source of the one seed that is real spinner output (see data/seed003/README.md).
_REPOSITORY = Path(__file__).resolve().parent.parent
_SEED_ARTICLES = ("000_a19f7ff82c5a8723", "001_816952affa0813b7", "002_9bc901dc3b6c5084",
                  "004_33a7b5f190a1e618")
_SPUN_SEED = _REPOSITORY / "seeds" / "003_bb4a5452aebe63e9.txt"
_SPUN_SEED_SOURCE = _REPOSITORY / "benchmarks" / "data" / "seed003" / "source.txt"


def _as_paragraphs(text: str) -> str:
    """``text`` with its non-blank lines as paragraphs separated by blank lines."""
    return PARAGRAPH_SEPARATOR.join(line.strip() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def _real_sources() -> tuple[str, ...]:
    paths = [_REPOSITORY / "seeds" / f"{name}.txt" for name in _SEED_ARTICLES]
    return tuple(
        _as_paragraphs(path.read_text(encoding="utf-8")) for path in [*paths, _SPUN_SEED_SOURCE]
    )


def real_sources() -> list[str]:
    """The real news texts the real corpus is spun from (about 22 KB in all).

    >>> sources = real_sources()
    >>> len(sources), all(PARAGRAPH_SEPARATOR in text for text in sources)
    (5, True)
    """
    return list(_real_sources())


def real_pairs(total_bytes: int, *, seed: int = 0, **spin_options: Any) -> Iterator[tuple[str, str]]:
    """(article, reference) pairs of real text until the articles add up to ``total_bytes``.

    The first pair is seed 003 (spinner output found in the wild) with its reconstructed
    source; then each real source in turn, spun by ``spin`` (``spin_options`` as for
    ``generate_pairs``) with a new seed each time, its inserted commentary drawn from the
    other sources' paragraphs. A source recurs about every 22 KB, spun differently each time.

    >>> pairs = list(real_pairs(30_000))
    >>> pairs[0][0].startswith("The head of messaging platform") and pairs[1][1] == real_sources()[0]
    True
    """
    sources = _real_sources()
    article = _SPUN_SEED.read_text(encoding="utf-8")
    yield article, _SPUN_SEED_SOURCE.read_text(encoding="utf-8")
    size = len(article)
    number = 0
    while size < total_bytes:
        position = number % len(sources)
        others = [
            paragraph for other, text in enumerate(sources) if other != position
            for paragraph in text.split(PARAGRAPH_SEPARATOR)
        ]
        article = spin(sources[position], seed=seed * 1_000_003 + number, commentary=others,
                       **spin_options)
        size += len(article)
        number += 1
        yield article, sources[position]


def real_sentence_pairs(
    total_bytes: int, *, seed: int = 0, swap_rate: float = 0.15, phrase_fraction: float = 0.2
) -> Iterator[tuple[str, str]]:
    """(spun sentence, sentence) pairs of real text until the spun sentences add up to
    ``total_bytes``: every sentence of the real sources in turn (again and again, spun
    differently each time), with ``spin``'s synonym swaps only.

    >>> pairs = list(real_sentence_pairs(3_000))
    >>> all(article and reference for article, reference in pairs)
    True
    """
    sentences = [
        sentence
        for text in _real_sources()
        for paragraph in text.split(PARAGRAPH_SEPARATOR)
        for sentence in _SENTENCE_BREAK.split(paragraph)
        if sentence.strip()
    ]
    return _spun_sentences(itertools.cycle(sentences), total_bytes, seed, swap_rate,
                           phrase_fraction)
