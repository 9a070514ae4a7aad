"""Plain versions of the report stage's array passes, kept as the references they are tested
against (``tests/test_report.py``): one signal row, one token range at a time.

``report._signal_rows`` uses ``signal_pairs_py`` itself for a handful of rows, where a loop
is quicker than its column passes.
"""

from __future__ import annotations

from .score import SIGNAL_NAMES
from .tokenize import Tokens

__all__ = ["char_span_py", "signal_pairs_py"]


def signal_pairs_py(values: list[float]) -> tuple[tuple[str, float], ...]:
    """The (name, value) signal pairs of one row of signals, leaving out those that do not
    apply (NaN): ``report._signal_rows`` for one row, a row at a time.

    >>> signal_pairs_py([float("nan")] * (len(SIGNAL_NAMES) - 1) + [0.123456])[-1][1]
    0.1235
    """
    return tuple(
        (name, round(value, 4)) for name, value in zip(SIGNAL_NAMES, values) if value == value
    )


def char_span_py(tokens: Tokens, first: int, last: int) -> tuple[int, int]:
    """The character span of tokens [first, last) of ``tokens``: ``report._batch_char_span_arrays``
    for one range. An empty range sits after token first - 1 (at 0 before the first).

    >>> from spindetect.tokenize import tokenize
    >>> tokens = tokenize("a fine of 500")
    >>> char_span_py(tokens, 1, 3), char_span_py(tokens, 2, 2)
    ((2, 9), (6, 6))
    """
    if first < last:
        return int(tokens.starts[first]), int(tokens.ends[last - 1])
    position = int(tokens.ends[first - 1]) if first > 0 else 0
    return position, position
