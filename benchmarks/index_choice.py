"""Which shingles and which index structure find a spun article's source: a measurement.

Run: ``python benchmarks/index_choice.py [--references 10000] [--articles 1000]``

Builds the issue-6 corpus (``corpus.source_text`` references; every tenth spun with 30% of
its passages dropped and the rest reordered) and, for each candidate design, reports the
share of articles whose source is ranked first, the similarity of the source and of the best
other reference, postings per reference, index bytes per reference and query time. The
designs: the shipped inverted index with word 2-grams, the same with 2-grams and
1-skip-grams, with skips up to 2, with 3-grams, and MinHash (128 permutations) with LSH (64 bands of
2 rows) over the shipped shingles. The table is in docs/scale.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import source_text, spin

import spindetect.index as index_module
from spindetect.index import ReferenceIndex, _mix, _token_hash, shingle_hashes
from spindetect.tokenize import tokenize

MINHASH_PERMUTATIONS = 128
LSH_BANDS = 64


def sampled_hashes(norms: Sequence[str]) -> np.ndarray:
    """The shipped word pairs, keeping one in four (by hash, so the same pairs everywhere)."""
    hashes = shingle_hashes(norms)
    return hashes[(hashes >> np.uint64(62)) == 0]


def trigram_hashes(norms: Sequence[str]) -> np.ndarray:
    hashes = np.fromiter((_token_hash(norm) for norm in norms), dtype=np.uint64, count=len(norms))
    if len(hashes) < 3:
        return np.zeros(0, dtype=np.uint64)
    combined = _mix(_mix(hashes[:-2] * np.uint64(3)) ^ hashes[1:-1]) ^ hashes[2:]
    return np.unique(_mix(combined))


class MinHashLSH:
    """MinHash signatures of the shipped shingles, banded for LSH; ranked by signature match."""

    def __init__(self, references: Sequence[tuple[str, str]]) -> None:
        rng = np.random.default_rng(0)
        self.salts = rng.integers(0, 2**63, size=MINHASH_PERMUTATIONS, dtype=np.uint64)
        self.ref_ids = [ref_id for ref_id, _ in references]
        self.signatures = np.stack(
            [self.signature(text) for _, text in references]
        )  # (references, permutations) uint64
        bands = self.band_keys(self.signatures)  # (references, bands)
        band_numbers = np.tile(np.arange(LSH_BANDS, dtype=np.uint64), len(references))
        keys = _mix(bands.ravel() ^ band_numbers)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.postings = np.repeat(np.arange(len(references), dtype=np.int32), LSH_BANDS)[order]

    def signature(self, text: str) -> np.ndarray:
        shingles = shingle_hashes(tokenize(text).norms)
        if len(shingles) == 0:
            return np.full(MINHASH_PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
        return _mix(shingles[:, None] ^ self.salts[None, :]).min(axis=0)

    @staticmethod
    def band_keys(signatures: np.ndarray) -> np.ndarray:
        rows = MINHASH_PERMUTATIONS // LSH_BANDS
        banded = signatures.reshape(len(signatures), LSH_BANDS, rows)
        keys = np.zeros(banded.shape[:2], dtype=np.uint64)
        for row in range(rows):
            keys = _mix(keys ^ banded[:, :, row])
        return keys

    @property
    def nbytes(self) -> int:
        return self.signatures.nbytes + self.keys.nbytes + self.postings.nbytes

    def query(self, text: str, k: int) -> list[tuple[str, float]]:
        signature = self.signature(text)
        keys = _mix(self.band_keys(signature[None, :])[0] ^ np.arange(LSH_BANDS, dtype=np.uint64))
        starts = np.searchsorted(self.keys, keys, side="left")
        ends = np.searchsorted(self.keys, keys, side="right")
        candidates = np.unique(
            np.concatenate([self.postings[s:e] for s, e in zip(starts, ends)] or [np.zeros(0, np.int32)])
        )
        if len(candidates) == 0:
            return []
        agreement = (self.signatures[candidates] == signature[None, :]).mean(axis=1)
        order = np.argsort(-agreement, kind="stable")[:k]
        return [(self.ref_ids[candidates[i]], float(agreement[i])) for i in order]


def measure(
    name: str,
    build: Callable[[], object],
    query: Callable[[object, str], list[tuple[str, float]]],
    postings: Callable[[object], int],
    nbytes: Callable[[object], int],
    references: Sequence[tuple[str, str]],
    articles: Sequence[tuple[int, str]],
) -> None:
    index = build()
    sources, others = [], []
    right = 0
    started = time.perf_counter()
    for source_number, article in articles:
        ranked = query(index, article)
        right += bool(ranked) and ranked[0][0] == references[source_number][0]
        sources.append(next((sim for ref_id, sim in ranked if ref_id == references[source_number][0]), 0.0))
        others.append(next((sim for ref_id, sim in ranked if ref_id != references[source_number][0]), 0.0))
    seconds = (time.perf_counter() - started) / len(articles)
    count = len(references)
    print(
        f"| {name} | {right / len(articles):.2%} | {np.mean(sources):.3f} "
        f"({np.min(sources):.3f}) | {np.max(others):.3f} | {postings(index) / count:,.0f} | "
        f"{nbytes(index) / count / 1e3:.1f} | {seconds * 1e3:.1f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--references", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--swap-rate", type=float, default=0.15)
    parser.add_argument("--drop-fraction", type=float, default=0.3)
    args = parser.parse_args()
    references = [(f"ref{n}", source_text(n, seed=1)) for n in range(args.references)]
    step = max(1, args.references // args.articles)
    articles = [
        (n, spin(references[n][1], seed=n, swap_rate=args.swap_rate, drop_fraction=args.drop_fraction,
              reorder=True))
        for n in range(0, args.references, step)
    ][: args.articles]
    print(f"{args.references:,} references, {len(articles):,} spun articles "
          f"(swap rate {args.swap_rate}, {args.drop_fraction:.0%} of passages dropped, "
          "the rest reordered)\n")
    print("| design | source first | source similarity mean (min) | best other (max) | "
          "postings per reference | index KB per reference (no texts) | query ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")

    def inverted(
        distances: tuple[int, ...] | None, shingles: Callable[[Sequence[str]], np.ndarray] | None
    ) -> Callable[[], object]:
        def build() -> ReferenceIndex:
            if distances is not None:
                index_module.SHINGLE_DISTANCES = distances
            if shingles is not None:
                index_module.shingle_hashes = shingles
            return ReferenceIndex(references, store_texts=False)
        return build

    def inverted_query(index: object, text: str) -> list[tuple[str, float]]:
        return [(c.ref_id, c.similarity) for c in index.query(text, k=2)]  # type: ignore[attr-defined]

    shipped_distances, shipped_shingles = index_module.SHINGLE_DISTANCES, index_module.shingle_hashes
    designs = [
        ("inverted, 2-grams (shipped)", shipped_distances, None),
        ("inverted, 2-grams, 1 in 4 kept by hash", shipped_distances, sampled_hashes),
        ("inverted, 2-grams + 1-skip-grams", (1, 2), None),
        ("inverted, 2-grams + 1- and 2-skip-grams", (1, 2, 3), None),
        ("inverted, 3-grams", None, trigram_hashes),
    ]
    for name, distances, shingles in designs:
        try:
            measure(
                name, inverted(distances, shingles), inverted_query,
                lambda index: len(index._snapshot.postings), lambda index: index.nbytes,
                references, articles,
            )
        finally:
            index_module.SHINGLE_DISTANCES = shipped_distances
            index_module.shingle_hashes = shipped_shingles
    measure(
        f"MinHash {MINHASH_PERMUTATIONS} + LSH {LSH_BANDS}x{MINHASH_PERMUTATIONS // LSH_BANDS}",
        lambda: MinHashLSH(references),
        lambda index, text: index.query(text, k=2),  # type: ignore[attr-defined]
        lambda index: LSH_BANDS * len(references), lambda index: index.nbytes,  # type: ignore[attr-defined]
        references, articles,
    )


if __name__ == "__main__":
    main()
