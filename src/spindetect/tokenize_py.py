"""The plain tokenizer: a loop over ``TOKEN_PATTERN``'s regex matches, kept as the reference
that the array passes of ``tokenize_batch`` are tested against (``tests/test_tokenize.py``).

``tokenize`` itself uses ``tokenize_py`` for short texts, where setting up the arrays costs
more than the loop.
"""

from __future__ import annotations

import numpy as np

from .tokens import TOKEN_PATTERN, Tokens, split_surface

__all__ = ["tokenize_py"]


def tokenize_py(text: str) -> Tokens:
    """``tokenize`` as a plain loop over regex matches: the reference the fast one is tested on.

    >>> tokens = tokenize_py("We're fined 500,000 euros.")
    >>> tokens.norms
    ('we', 'are', 'fined', '500,000', 'euros')
    >>> [tokens.text[s:e] for s, e in zip(tokens.starts, tokens.ends)][:2]
    ['We', "'re"]
    """
    starts: list[int] = []
    ends: list[int] = []
    norms: list[str] = []
    for match in TOKEN_PATTERN.finditer(text):
        offset = match.start()
        for norm, piece_start, piece_end in split_surface(match.group()):
            norms.append(norm)
            starts.append(offset + piece_start)
            ends.append(offset + piece_end)
    return Tokens(
        text=text,
        starts=np.asarray(starts, dtype=np.int64),
        ends=np.asarray(ends, dtype=np.int64),
        norms=tuple(norms),
    )

