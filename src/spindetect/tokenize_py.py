"""The plain tokenizer: a loop over ``TOKEN_PATTERN``'s regex matches, kept as the reference
that the array passes of ``tokenize_batch`` are tested against (``tests/test_tokenize.py``).

``tokenize`` and ``tokenize_batch`` themselves use these for short texts, where setting up
the arrays costs more than the loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .tokens import TOKEN_PATTERN, TokenBatch, Tokens, split_surface, without_byte_order_mark

__all__ = ["tokenize_batch_py", "tokenize_py"]


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
    for match in TOKEN_PATTERN.finditer(without_byte_order_mark(text)):
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


def tokenize_batch_py(texts: Sequence[str]) -> TokenBatch:
    """``tokenize_batch`` the plain way: ``tokenize_py`` each text, then number the matching
    forms in order of first appearance across the texts.

    >>> batch = tokenize_batch_py(["a fine", "A nice"])
    >>> batch.vocabulary, [ids.tolist() for ids in batch.ids]
    (('a', 'fine', 'nice'), [[0, 1], [0, 2]])
    """
    tokens = tuple(map(tokenize_py, texts))
    vocabulary: dict[str, int] = {}
    ids = tuple(
        np.array([vocabulary.setdefault(norm, len(vocabulary)) for norm in text_tokens.norms],
                 dtype=np.int64)
        for text_tokens in tokens
    )
    return TokenBatch(tokens=tokens, ids=ids, vocabulary=tuple(vocabulary))
