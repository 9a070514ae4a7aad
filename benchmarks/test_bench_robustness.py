"""Pathological texts: time must grow linearly with their length (issues 8 and 19).

Each family is timed at 1x, 2x, 4x and 8x a base size, beside the regex tokenization floor
on the same text in the same run. ``python benchmarks/robustness.py`` reads the saved JSON
and reports the 8x/1x time ratio of each family in docs/robustness.md. Run::

    python -m pytest benchmarks/test_bench_robustness.py -m slow \
        --benchmark-json=benchmarks/robustness.json
"""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pytest
from conftest import floor_pass

import spindetect

pytestmark = pytest.mark.slow

BASE_CHARS = 250_000
SCALES = (1, 2, 4, 8)


def _repeated_token(size: int) -> tuple[str, str]:
    text = ("spin " * (size // 5 + 1))[:size]
    return text, text


def _no_whitespace(size: int) -> tuple[str, str]:
    rng = random.Random(size)
    letters = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(size))
    return letters, letters[: size // 2] + "x" + letters[size // 2 + 1 :]


def _punctuation(size: int) -> tuple[str, str]:
    text = ("!?.,;:-\u2014\u201c\u201d()[]" * (size // 13 + 1))[:size]
    return text, text[::-1]


def _tiny_lines(size: int) -> tuple[str, str]:
    rng = random.Random(size)
    lines = [rng.choice(["a", "b", "ok", "no", "1.", "-", "x y"]) for _ in range(size // 3)]
    article = "\n".join(lines)
    return article, "\n".join(reversed(lines))


def _mixed_scripts(size: int) -> tuple[str, str]:
    rng = random.Random(size)
    pieces = ["word ", "слово ", "λέξη ", "単語", "كلمة ", "😀 ", "\u200b", "1,000 ", "Zürich "]
    text = ""
    chunks = []
    total = 0
    while total < size:
        chunk = rng.choice(pieces)
        chunks.append(chunk)
        total += len(chunk)
    text = "".join(chunks)
    spun = text.replace("word", "w\u043erd", 50)  # a few Cyrillic homoglyphs
    return spun, text


def _long_token(size: int) -> tuple[str, str]:
    # One word of ``size`` random letters swapped for another: a single substitution whose
    # spelling similarity (Levenshtein, quadratic in the word) once took 36 s at 1M characters.
    rng = np.random.default_rng(size)
    article_word, reference_word = (
        rng.integers(ord("a"), ord("z") + 1, size, dtype=np.uint8).tobytes().decode("ascii")
        for _ in range(2)
    )
    frame = "The court imposed a {} of 500,000 euros on the company."
    return frame.format(article_word), frame.format(reference_word)


FAMILIES: dict[str, Callable[[int], tuple[str, str]]] = {
    "repeated-token": _repeated_token,
    "no-whitespace": _no_whitespace,
    "punctuation": _punctuation,
    "tiny-lines": _tiny_lines,
    "mixed-scripts": _mixed_scripts,
    "long-token": _long_token,
}
_cache: dict[tuple[str, int], tuple[str, str]] = {}


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("method", ["floor", "compare"])
@pytest.mark.parametrize("family", list(FAMILIES))
def test_pathological_scaling(benchmark, family: str, method: str, scale: int):
    key = (family, scale)
    if key not in _cache:
        _cache[key] = FAMILIES[family](BASE_CHARS * scale)
    pair = _cache[key]
    benchmark.group = f"robustness-{family}"
    benchmark.extra_info.update(
        {"family": family, "method": method, "scale": scale, "chars": len(pair[0])}
    )
    if method == "floor":
        benchmark.pedantic(floor_pass, args=([pair],), rounds=3, iterations=1)
    else:
        report = benchmark.pedantic(spindetect.compare, args=pair, rounds=3, iterations=1)
        assert 0.0 <= report.score <= 1.0
