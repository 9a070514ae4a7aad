"""The reference index the plain way: shingles as Python sets, a query as set intersections.

The reference that ``index.shingle_hashes`` (numpy hashing of all word pairs at once) and
``ReferenceIndex.query`` (binary searches over sorted posting arrays) are tested against
(``tests/test_index.py``). The hashes are the index file's format, so both sides read the
same constants from ``index``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from .index import HASH_SALT, MAX_SHINGLE_REFERENCES, MIX_MULTIPLIER, SHINGLE_DISTANCES
from .tokenize import tokenize

__all__ = ["mix_py", "query_py", "shingles_py", "token_hash_py"]

_MASK = (1 << 64) - 1  # Python ints do not wrap at 64 bits; numpy's uint64 does


def token_hash_py(norm: str) -> int:
    """The 64-bit hash of one token's matching form: the first 8 bytes of its salted BLAKE2b
    digest, little-endian.

    >>> hex(token_hash_py("fine"))
    '0x5ac3f6056f916cd9'
    """
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8, salt=HASH_SALT)
    return int.from_bytes(digest.digest(), "little")


def mix_py(value: int) -> int:
    """SplitMix64's finaliser of a 64-bit value, as ``index._mix`` does it on arrays.

    >>> mix_py(0), hex(mix_py(1))
    (0, '0x5692161d100b05e5')
    """
    value ^= value >> 30
    value = (value * 0xBF58476D1CE4E5B9) & _MASK
    value ^= value >> 27
    value = (value * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def shingles_py(norms: Sequence[str]) -> set[int]:
    """The shingle hashes of a token sequence: each pair of tokens ``distance`` apart, for
    every distance in ``SHINGLE_DISTANCES``, hashed from the two token hashes.

    >>> len(shingles_py(["a", "fine", "of", "a", "fine"]))  # "a fine" counts once
    3
    """
    hashes = [token_hash_py(norm) for norm in norms]
    shingles = set()
    for distance in SHINGLE_DISTANCES:
        for first, second in zip(hashes, hashes[distance:]):
            combined = mix_py((first * MIX_MULTIPLIER + distance) & _MASK) ^ second
            shingles.add(mix_py(combined))
    return shingles


def query_py(
    references: Sequence[tuple[str, str]],
    article: str,
    *,
    k: int,
    max_references: int = MAX_SHINGLE_REFERENCES,
) -> list[tuple[str, float]]:
    """``ReferenceIndex(references).query(article, k=k)`` as ``(ref_id, similarity)`` pairs.

    Shingles found in more than ``max_references`` references count for nobody. Similarity
    is the share of the article's counted shingles a reference holds; best first, ties to
    the reference with fewer shingles, then to the one given first.

    >>> query_py([("a", "one two three four"), ("b", "one two five six")], "one two three four", k=2)
    [('a', 1.0), ('b', 0.3333333333333333)]
    """
    reference_sets = [shingles_py(tokenize(text).norms) for _, text in references]
    frequency: dict[int, int] = {}
    for shingles in reference_sets:
        for shingle in shingles:
            frequency[shingle] = frequency.get(shingle, 0) + 1
    article_set = {
        shingle
        for shingle in shingles_py(tokenize(article).norms)
        if frequency.get(shingle, 0) <= max_references
    }
    ranked = []
    for number, ((ref_id, _), shingles) in enumerate(zip(references, reference_sets)):
        shared = len(article_set & shingles)
        if shared:
            ranked.append((-shared / len(article_set), len(shingles), number, ref_id))
    ranked.sort()
    return [(ref_id, -negative) for negative, _, _, ref_id in ranked[:k]]
