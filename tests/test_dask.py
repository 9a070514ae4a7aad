"""spindetect.dask on a real two-process LocalCluster: same results as the in-process scan."""

from __future__ import annotations

import pickle

import dask.bag
import numpy as np
import pytest
from distributed import Client, LocalCluster, get_client

import spindetect
import spindetect.dask
from spindetect import ReferenceIndex


def _text(rng: np.random.Generator, words: int = 120) -> str:
    return " ".join(f"w{word}" for word in rng.integers(0, 2_000, size=words))


def _spin(text: str, rng: np.random.Generator) -> str:
    words = text.split()
    for position in np.flatnonzero(rng.random(len(words)) < 0.15):
        words[position] = f"s{rng.integers(0, 2_000)}"
    return " ".join(words[len(words) // 4 :])


@pytest.fixture(scope="module")
def references() -> list[tuple[str, str]]:
    rng = np.random.default_rng(11)
    return [(f"ref{number}", _text(rng)) for number in range(300)]


@pytest.fixture(scope="module")
def index(references) -> ReferenceIndex:
    return ReferenceIndex(references)


@pytest.fixture(scope="module")
def articles(references) -> list[tuple[str, str]]:
    rng = np.random.default_rng(12)
    spun = [(f"a{number}", _spin(references[number][1], rng)) for number in range(0, 300, 7)]
    unrelated = [(f"u{number}", _text(rng)) for number in range(5)]
    return spun + unrelated


# First in the file: the module's cluster fixture below is not running yet.
def test_without_a_client_the_local_scheduler_gives_the_same_results(index, articles):
    with pytest.raises(ValueError):
        get_client()  # no client: the index is passed in memory, not scattered
    bag = dask.bag.from_sequence(articles, npartitions=3)
    found = spindetect.dask.scan(bag, index, min_similarity=0.5).compute(scheduler="sync")
    assert found == list(spindetect.scan(articles, index, min_similarity=0.5))


@pytest.fixture(scope="module")
def client():
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster, Client(cluster) as cluster_client:
        yield cluster_client


def test_cluster_results_equal_the_single_process_scan(client, index, articles):
    expected = list(spindetect.scan(articles, index, k=2))
    bag = dask.bag.from_sequence(articles, npartitions=6)
    found = spindetect.dask.scan(bag, index, k=2).compute()
    assert found == expected
    assert sum(result.report is not None for result in found) == 43  # the spun ones


def test_the_index_is_sent_to_each_worker_once(client, index, articles):
    bag = dask.bag.from_sequence(articles, npartitions=6)
    results = spindetect.dask.scan(bag, index)
    tasks = dict(results.__dask_graph__())
    scan_tasks = [task for key, task in tasks.items() if "_scan_partition" in str(key)]
    # Every scan task depends on one and the same scattered index, held by both workers.
    index_keys = {
        dependency
        for task in scan_tasks
        for dependency in task.dependencies
        if str(dependency).startswith("ReferenceIndex-")
    }
    assert len(scan_tasks) == 6 and len(index_keys) == 1
    assert all(index_keys <= task.dependencies for task in scan_tasks)
    (index_key,) = index_keys
    assert len(client.who_has()[index_key]) == 2
    # The tasks name the index by key: none of them carries the index itself.
    task_bytes = [len(pickle.dumps(task)) for task in scan_tasks]
    assert max(task_bytes) < len(pickle.dumps(index)) / 10
    assert results.compute() == list(spindetect.scan(articles, index))


def test_an_index_loaded_on_the_cluster_gives_the_same_results(client, index, articles, tmp_path):
    index.save(tmp_path / "index.npz")
    index_future = client.submit(ReferenceIndex.load, str(tmp_path / "index.npz"))
    bag = dask.bag.from_sequence(articles, npartitions=4)
    assert spindetect.dask.scan(bag, index_future).compute() == list(spindetect.scan(articles, index))


def test_a_dataframe_of_articles_gives_the_same_results(client, index, articles):
    pandas = pytest.importorskip("pandas")
    import dask.dataframe

    frame = pandas.DataFrame(
        {"url": [article_id for article_id, _ in articles], "body": [text for _, text in articles]}
    )
    dataframe = dask.dataframe.from_pandas(frame, npartitions=3)
    found = spindetect.dask.scan(
        dataframe, index, id_column="url", text_column="body"
    ).compute()
    assert found == list(spindetect.scan(articles, index))
    with pytest.raises(ValueError, match="text_column 'text' is not a column"):
        spindetect.dask.scan(dataframe, index, id_column="url")


def test_the_module_named_dask_imports_the_real_dask():
    import dask

    assert spindetect.dask.__name__ == "spindetect.dask"
    assert spindetect.dask.dask is dask and spindetect.dask.dask.bag is dask.bag


def test_bad_arguments_raise_before_anything_runs(index):
    bag = dask.bag.from_sequence([("a", "text")])
    with pytest.raises(TypeError, match="articles must be a dask.bag.Bag or dask.dataframe"):
        spindetect.dask.scan([("a", "text")], index)
    with pytest.raises(TypeError, match="index must be a ReferenceIndex or a Future of one"):
        spindetect.dask.scan(bag, "index.npz")
    with pytest.raises(ValueError, match="k must be at least 1"):
        spindetect.dask.scan(bag, index, k=0)
    with pytest.raises(ValueError, match="must store its texts"):
        spindetect.dask.scan(bag, ReferenceIndex([("r", "x y")], store_texts=False))
