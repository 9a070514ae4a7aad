"""Group the token surfaces of a batch: each distinct surface once, in first-seen order.

Part of the tokenize stage. Most tokens are short words, which numpy groups by their
characters packed into one integer (an open-addressing hash table in array passes) without
making a Python string of each; the rest are cut out of the text and grouped by a dict.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["distinct_surfaces", "object_array"]

# The low k bytes of a uint64, for k = 0..8.
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def distinct_surfaces(
    text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """The distinct token surfaces ``text[start:end]`` in first-seen order, and the index of
    each token's surface among them (int64).

    Most tokens are short words, which numpy groups by their characters packed into one
    integer (``_short_keys``, ``_key_groups``) without making a string of each; the others
    are cut out of the text and grouped by a dict.
    """
    keys, short = _short_keys(codes, starts, ends)
    groups = np.full(len(starts), -1, dtype=np.int64)
    groups[short] = _key_groups(keys[short])
    # The short tokens whose keys took too long to place are grouped as strings.
    grouped = np.flatnonzero(groups >= 0)
    cut = np.flatnonzero(groups < 0)
    group_count = int(groups.max(initial=-1)) + 1
    first_of_group = np.full(group_count, len(starts), dtype=np.int64)
    np.minimum.at(first_of_group, groups[grouped], grouped)
    cut_surfaces = [text[start:end] for start, end in zip(starts[cut].tolist(), ends[cut].tolist())]
    cut_distinct, cut_ids, cut_firsts = _distinct(cut_surfaces)

    # Number all distinct surfaces in the order they first appear.
    firsts = np.concatenate((first_of_group, cut[cut_firsts]))
    order = np.argsort(firsts)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    surface_ids = np.empty(len(starts), dtype=np.int64)
    surface_ids[grouped] = rank[groups[grouped]]
    surface_ids[cut] = rank[group_count + cut_ids]
    distinct = object_array(_unpack(keys[first_of_group]) + cut_distinct)[order].tolist()
    return distinct, surface_ids


def _short_keys(
    codes: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each span's characters packed into a uint64 key, and whether the key stands for the
    span alone: up to 8 ASCII characters as the key's bytes (little-endian), or up to 3
    characters as 21-bit code points under a set top bit (an ASCII key's top bit is clear).

    Token characters are never NUL, so two such spans have the same key exactly when they
    hold the same text.
    """
    clipped = np.zeros(len(codes) + 8, dtype=np.uint8)
    clipped[: len(codes)] = np.minimum(codes, 255)  # anything not ASCII has its top bit set
    windows = np.ndarray((len(codes),), dtype="<u8", buffer=clipped, strides=(1,))
    lengths = ends - starts
    keys = (windows[starts] & _LOW_BYTES[np.minimum(lengths, 8)]).astype(np.uint64)
    short = (lengths <= 8) & ((keys & np.uint64(0x8080808080808080)) == 0)
    wide = np.flatnonzero(~short & (lengths <= 3))
    if len(wide):
        first, length = starts[wide], lengths[wide]
        keys[wide] = np.uint64(1 << 63)
        for k in range(3):
            code = codes[np.minimum(first + k, len(codes) - 1)].astype(np.uint64)
            keys[wide] |= np.where(length > k, code, np.uint64(0)) << np.uint64(21 * k)
        short[wide] = True
    return keys, short


def _key_groups(keys: np.ndarray, *, max_probes: int = 32) -> np.ndarray:
    """A group number (int64) for each nonzero key, the same for equal keys and different for
    different ones; -1 for the keys not placed within ``max_probes`` steps.

    An open-addressing hash table in numpy: every key still looking for its place tries its
    next slot at once; a free slot takes one of the keys that try it, and a key has found its
    place when its slot holds it. Equal keys move in step, so they end in the same slot. The
    step limit only matters for keys chosen to collide.
    """
    bits = max(4, (2 * len(keys)).bit_length())
    size = 1 << bits
    table = np.zeros(size, dtype=np.uint64)  # 0: free
    slots = (keys * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)  # Fibonacci hashing
    waiting = np.arange(len(keys), dtype=np.int64)
    for _ in range(max_probes):
        if not len(waiting):
            break
        slot = slots[waiting]
        free = table[slot] == 0
        table[slot[free]] = keys[waiting[free]]
        waiting = waiting[table[slot] != keys[waiting]]
        slots[waiting] = (slots[waiting] + np.uint64(1)) & np.uint64(size - 1)
    taken = table != 0
    groups = (np.cumsum(taken, dtype=np.int64) - 1)[slots]
    groups[waiting] = -1
    return groups


def _unpack(keys: np.ndarray) -> list[str]:
    """The words packed into ``keys`` by ``_short_keys``.

    Each word's characters with the unused (0) ones made spaces, and a space after each
    word: str.split then cuts the words apart (no token character is whitespace).
    """
    wide = (keys >> np.uint64(63)).astype(bool)
    words = np.empty(len(keys), dtype=object)
    ascii_keys = keys[~wide]
    spaced = np.full((len(ascii_keys), 9), ord(" "), dtype=np.uint8)
    spaced[:, :8] = ascii_keys.astype("<u8").view(np.uint8).reshape(-1, 8)
    spaced[spaced == 0] = ord(" ")
    words[~wide] = object_array(spaced.tobytes().decode("ascii").split())
    code_points = np.full((int(wide.sum()), 4), ord(" "), dtype="<u4")
    for k in range(3):
        code_points[:, k] = (keys[wide] >> np.uint64(21 * k)) & np.uint64(0x1FFFFF)
    code_points[code_points == 0] = ord(" ")
    words[wide] = object_array(code_points.tobytes().decode("utf-32-le").split())
    return words.tolist()


def _distinct(items: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The distinct items in first-seen order, the index of each item among them (int64), and
    where each distinct item is first seen (int64).

    One dict pass: ``setdefault`` gives each item the position where it was first seen.
    """
    first_seen: dict[str, int] = {}
    first = np.fromiter(
        map(first_seen.setdefault, items, itertools.count()), dtype=np.int64, count=len(items)
    )
    is_new = first == np.arange(len(items), dtype=np.int64)
    return list(first_seen), (np.cumsum(is_new, dtype=np.int64) - 1)[first], np.flatnonzero(is_new)



def object_array(items: list[str]) -> np.ndarray:
    """``items`` as a 1-d numpy array of objects (np.array would make a str array)."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array

