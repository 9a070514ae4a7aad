"""The argument checks every stage shares, at the public boundary: one definition of each.

A leaf module (it imports no other spindetect module), so any stage can check its arguments
without importing a later one to borrow its check. Each check returns the value it accepted,
normalised (a plain ``str``, an ``int``, a ``float``), or raises a TypeError or ValueError
that names the argument, says what was expected and what came, on one line. Inside the
pipeline the stages trust what these let through.

>>> check_threshold(0.5), check_positive_int(3, "k")
(0.5, 3)
>>> check_pair(["a fine", "a nice"], "pairs[0]", "article", "reference")
('a fine', 'a nice')
>>> check_text(b"fine", "article")
Traceback (most recent call last):
  ...
TypeError: article must be str, got bytes; decode it first (for example article.decode('utf-8'))
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "check_batch_size",
    "check_fraction",
    "check_iterable",
    "check_pair",
    "check_path",
    "check_positive_int",
    "check_text",
    "check_threshold",
    "lone_surrogate",
]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(value: object, name: str) -> str:
    """``value`` as a plain str if it is a str (or a str subclass, such as a NumPy string),
    else a TypeError that names the argument; bytes get a hint to decode them. A str holding
    a lone surrogate (U+D800 to U+DFFF, as a bad decode with ``surrogateescape`` leaves) is
    no text: a ValueError names the argument and the position.

    >>> check_text("fine", "article")
    'fine'
    """
    if isinstance(value, str):
        text = value if type(value) is str else str.__str__(value)
        position = lone_surrogate(text)
        if position is not None:
            raise ValueError(
                f"{name} holds a lone surrogate (U+{ord(text[position]):04X} at {position}), "
                "which is not a character and cannot be written as UTF-8"
            )
        return text
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"{name} must be str, got {type(value).__name__}; decode it first "
            f"(for example {name}.decode('utf-8'))"
        )
    raise TypeError(f"{name} must be str, got {type(value).__name__}")


def check_fraction(value: object, name: str) -> float:
    """``value`` as a float in [0, 1], else a TypeError or ValueError naming it.

    >>> check_fraction(1, "min_similarity")
    1.0
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value!r}")
    return float(value)


def check_threshold(threshold: object) -> float:
    """``threshold`` (the score at which a swap is flagged) as a float in [0, 1].

    >>> check_threshold(1.5)
    Traceback (most recent call last):
      ...
    ValueError: threshold must be in [0, 1], got 1.5
    """
    return check_fraction(threshold, "threshold")


def check_positive_int(value: object, name: str) -> int:
    """``value`` as an int of at least 1 (a NumPy integer is taken, a bool is not), else a
    TypeError or ValueError naming it.

    >>> check_positive_int(0, "k")
    Traceback (most recent call last):
      ...
    ValueError: k must be at least 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value!r}")
    return int(value)


def check_batch_size(batch_size: object) -> int:
    """``batch_size`` (pairs processed together) as a positive int.

    >>> check_batch_size(64)
    64
    """
    return check_positive_int(batch_size, "batch_size")


def check_iterable(value: object, name: str, items: str) -> Iterable[object]:
    """``value`` if it is an iterable other than a string, else a TypeError naming it;
    ``items`` says what it should hold, for the message.

    >>> check_iterable("text", "pairs", "(article, reference) pairs")
    Traceback (most recent call last):
      ...
    TypeError: pairs must be an iterable of (article, reference) pairs, got a string
    """
    if isinstance(value, (str, bytes, bytearray)):
        raise TypeError(f"{name} must be an iterable of {items}, got a string")
    if not isinstance(value, Iterable):
        raise TypeError(f"{name} must be an iterable of {items}, got {type(value).__name__}")
    return value


def check_path(value: object, name: str) -> str:
    """``value`` (a file's path) as a str if it is a str or an ``os.PathLike`` of one, else
    a TypeError naming it.

    >>> check_path(None, "path")
    Traceback (most recent call last):
      ...
    TypeError: path must be a str or os.PathLike, got NoneType
    """
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise TypeError(f"{name} must be a str or os.PathLike, got {type(value).__name__}")


def check_pair(pair: object, name: str, first: str, second: str) -> tuple[str, str]:
    """``pair`` as a tuple of two str: any sequence of two (a tuple, a list, a NumPy row),
    else a TypeError naming it (``name``) and the part that is wrong (``first`` or
    ``second``, the names of its two items).

    >>> check_pair(("a1", 7), "articles[0]", "article_id", "text")
    Traceback (most recent call last):
      ...
    TypeError: articles[0][1] (text) must be str, got int
    """
    if (type(pair) is tuple and len(pair) == 2 and type(pair[0]) is type(pair[1]) is str
            and lone_surrogate(pair[0]) is None and lone_surrogate(pair[1]) is None):
        return pair  # the usual case, checked without building a message: once per pair
    expected = f"{name} must be a pair of str ({first}, {second})"
    if isinstance(pair, (str, bytes, bytearray)) or not isinstance(pair, (Sequence, np.ndarray)):
        raise TypeError(f"{expected}, got {type(pair).__name__}")
    if isinstance(pair, np.ndarray) and pair.ndim != 1:
        raise TypeError(f"{expected}, got an ndarray of shape {pair.shape}")
    if len(pair) != 2:
        raise TypeError(f"{expected}, got {type(pair).__name__} of length {len(pair)}")
    return check_text(pair[0], f"{name}[0] ({first})"), check_text(pair[1], f"{name}[1] ({second})")


def lone_surrogate(text: str) -> int | None:
    """The position of the first lone surrogate in ``text`` (a code point U+D800 to U+DFFF,
    which is not a character and cannot be written as UTF-8), or None.

    >>> lone_surrogate("ok"), lone_surrogate("a\\ud800")
    (None, 1)
    """
    if text.isascii():
        return None
    found = _LONE_SURROGATE.search(text)
    return found.start() if found is not None else None
