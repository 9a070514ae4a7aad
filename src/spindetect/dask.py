"""Scan on Dask: the same ``spindetect.scan``, spread over the workers of a cluster.

Install with ``pip install 'spindetect[dask]'``. Articles come in as a Dask bag of
``(article_id, text)`` tuples or a Dask dataframe with id and text columns; results go out
as a bag of ``ScanResult``. With a ``dask.distributed`` client the index is scattered to
every worker once (``client.scatter(..., broadcast=True)``) and each task refers to that
copy, so a large index crosses the network once per worker, not once per task. Without a
client (the local threaded scheduler) the index is shared in memory. For an index too large
to send from the client, pass a future of it instead, loaded on a worker from shared storage:
``client.submit(ReferenceIndex.load, "/shared/index.npz")``; each worker then fetches it
once, from its peers, the first time one of its tasks needs it.

This module is named after the library it wraps; the imports below are absolute, so
``import dask`` here is the real Dask, not this file.
"""

from __future__ import annotations

from typing import Any

import dask
import dask.bag

from ._checks import check_fraction, check_positive_int, check_threshold
from .index import ReferenceIndex
from .scan import DEFAULT_MIN_SIMILARITY, ScanResult
from .scan import scan as scan_locally  # what each task runs on its partition
from .score import DEFAULT_THRESHOLD

__all__ = ["scan"]


def scan(
    articles: Any,
    index: ReferenceIndex | Any,
    *,
    k: int = 1,
    threshold: float = DEFAULT_THRESHOLD,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    id_column: str = "id",
    text_column: str = "text",
    client: Any = None,
) -> dask.bag.Bag:
    """A Dask bag of ``ScanResult``, one per article, as ``spindetect.scan`` would give.

    ``articles`` is a ``dask.bag.Bag`` of ``(article_id, text)`` tuples, or a
    ``dask.dataframe.DataFrame`` whose ``id_column`` and ``text_column`` hold them. The
    index is scattered to all workers of ``client`` (default: the current
    ``dask.distributed`` client, if there is one); ``index`` may also be a
    ``distributed.Future`` of a ``ReferenceIndex`` already on the cluster. Nothing runs until the bag is computed;
    results keep the order of the input partitions. ``k``, ``threshold`` and
    ``min_similarity`` are as for ``spindetect.scan``.

    >>> import dask.bag
    >>> from spindetect import ReferenceIndex
    >>> index = ReferenceIndex([("court", "The court imposed a fine of 500,000 euros today.")])
    >>> articles = dask.bag.from_sequence(
    ...     [("a1", "The court imposed a nice of 500,000 euros today."), ("a2", "Bread.")])
    >>> [(r.article_id, r.reference_id) for r in scan(articles, index).compute()]
    [('a1', 'court'), ('a2', None)]
    """
    if _is_future(index):
        pass  # checked on the workers, where it lives
    elif not isinstance(index, ReferenceIndex):
        raise TypeError(
            f"index must be a ReferenceIndex or a Future of one, got {type(index).__name__}"
        )
    elif not index.stores_texts:
        raise ValueError("index must store its texts (built with store_texts=True) to scan on Dask")
    options = {
        "k": check_positive_int(k, "k"),
        "threshold": check_threshold(threshold),
        "min_similarity": check_fraction(min_similarity, "min_similarity"),
    }
    bag = _as_bag(articles, id_column, text_column)
    shared_index = index if _is_future(index) else _share(index, client)
    return bag.map_partitions(_scan_partition, shared_index, **options)


def _as_bag(articles: Any, id_column: str, text_column: str) -> dask.bag.Bag:
    """The articles as a bag of (article_id, text) tuples."""
    if isinstance(articles, dask.bag.Bag):
        return articles
    if _is_dask_dataframe(articles):
        for name, column in (("id_column", id_column), ("text_column", text_column)):
            if column not in articles.columns:
                raise ValueError(
                    f"{name} {column!r} is not a column of the dataframe "
                    f"(columns: {list(articles.columns)!r})"
                )
        return articles[[id_column, text_column]].to_bag(index=False, format="tuple")
    raise TypeError(
        f"articles must be a dask.bag.Bag or dask.dataframe.DataFrame, got {type(articles).__name__}"
    )


def _is_dask_dataframe(value: Any) -> bool:
    try:
        import dask.dataframe
    except ImportError:  # pandas missing: no dataframe can have been made
        return False
    return isinstance(value, dask.dataframe.DataFrame)


def _share(index: ReferenceIndex, client: Any) -> Any:
    """A reference to ``index`` that tasks can take as an argument without copying it."""
    if client is None:
        client = _current_client()
    if client is None:
        return index
    # hash=False: tokenising a large index to name it would cost a full pass over it.
    return client.scatter(index, broadcast=True, hash=False)


def _is_future(value: Any) -> bool:
    try:
        from distributed import Future
    except ImportError:
        return False
    return isinstance(value, Future)


def _current_client() -> Any:
    try:
        from distributed import get_client
    except ImportError:
        return None
    try:
        return get_client()
    except ValueError:  # no client running
        return None


def _scan_partition(
    records: Any, index: ReferenceIndex, *, k: int, threshold: float, min_similarity: float
) -> list[ScanResult]:
    if not isinstance(index, ReferenceIndex):  # a future resolved to something else
        raise TypeError(f"index future must hold a ReferenceIndex, got {type(index).__name__}")
    return list(
        scan_locally(records, index, k=k, threshold=threshold, min_similarity=min_similarity)
    )
