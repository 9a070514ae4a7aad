"""Shared fixtures: the seed articles shipped in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_SOURCE = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "seed003" / "source.txt"


def read_seed(number: str) -> str:
    """The text of seed article ``number`` ("000" to "004")."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_spun() -> str:
    """Seed 003: real spinner output (a translation of Durov's statement, spun)."""
    return read_seed("003")


@pytest.fixture(scope="session")
def seed_reference() -> str:
    """Seed 002: a human article quoting the same statement in another translation."""
    return read_seed("002")


@pytest.fixture(scope="session")
def seed_source() -> str:
    """Seed 003's source, reconstructed by reading (benchmarks/data/seed003): the text the
    spinner was given, so that the seed's swaps are the spinner's."""
    return SEED_SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def invisible_characters() -> list[str]:
    """Every character that renders as nothing, in code point order: spindetect's invisible
    class, format characters (\\p{Cf}) and every Default_Ignorable_Code_Point."""
    from spindetect.tokenize import INVISIBLE_CHARACTER

    return [
        chr(code) for code in range(0x110000)
        if not 0xD800 <= code < 0xE000 and INVISIBLE_CHARACTER.fullmatch(chr(code))
    ]
