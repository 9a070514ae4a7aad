"""Scan many articles: find each one's source in a ReferenceIndex, then compare with it.

Wraps the whole pipeline for a scraping job where the reference is not known: the index
proposes candidates, the best one at or over ``min_similarity`` is compared with the
article (tokenize -> align -> extract -> score -> report). Also reads articles and
references from disk (a folder of ``.txt`` files or a JSON Lines file), skipping and
reporting malformed records instead of stopping the run.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ._checks import (
    check_batch_size,
    check_fraction,
    check_iterable,
    check_pair,
    check_positive_int,
    check_threshold,
)
from ._inputs import (
    MAX_JSON_DEPTH,
    MAX_TEXT_BYTES,
    RefusedInput,
    json_too_deep,
    lone_surrogate,
    open_input,
    read_limited,
    read_lines,
    size_text,
)
from .index import Candidate, ReferenceIndex
from .pipeline import DEFAULT_BATCH_SIZE, batches, compare_batch, score_batch
from .report import Report
from .score import DEFAULT_THRESHOLD

__all__ = [
    "DEFAULT_MIN_SIMILARITY",
    "MAX_ID_CHARACTERS",
    "ScanResult",
    "read_records",
    "scan",
    "scan_scores",
]

logger = logging.getLogger(__name__)

# A candidate must share at least this fraction of the article's shingles to be compared.
# Among 10,000 references of the benchmark corpus (docs/scale.md) a spun article shares at
# least 0.38 with its source, even at twice the usual swap rate or spun from a fifth of it,
# while unrelated texts share at most 0.016 with any reference and the runner-up to a source
# at most 0.07; 0.2 sits between with a wide margin on both sides.
DEFAULT_MIN_SIMILARITY = 0.2


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What scanning one article found.

    ``candidates`` are the references at or over the scan's ``min_similarity``, best first
    (at most ``k``); ``report`` compares the article with the first of them, and is None
    when there is no candidate: no source found is not the same as a clean article.
    """

    article_id: str
    candidates: tuple[Candidate, ...]
    report: Report | None

    @property
    def reference_id(self) -> str | None:
        """The id of the reference the report compares against, or None."""
        return self.candidates[0].ref_id if self.candidates else None

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-serialisable plain values; ``report`` is ``to_dict()`` or None."""
        return {
            "article_id": self.article_id,
            "reference_id": self.reference_id,
            "candidates": [candidate.to_dict() for candidate in self.candidates],
            "report": self.report.to_dict() if self.report is not None else None,
        }


def scan(
    articles: Iterable[Sequence[str]],
    index: ReferenceIndex,
    *,
    k: int = 1,
    threshold: float = DEFAULT_THRESHOLD,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    references: Mapping[str, str] | None = None,
    workers: int = 1,
) -> Iterator[ScanResult]:
    """A ``ScanResult`` for each ``(article_id, text)`` pair, lazily, in input order.

    Each article is queried against ``index``; the ``k`` best references with similarity at
    or over ``min_similarity`` (default ``DEFAULT_MIN_SIMILARITY``, 0.2; see
    ``Candidate.similarity``) become its candidates, and the first is compared with it at
    ``threshold``. A pair is any sequence of two str (a tuple, a list, a NumPy row).
    Reference texts come from the index, or from ``references`` (a mapping
    from ref_id to text) for an index built with ``store_texts=False``. Arguments are
    checked when ``scan`` is called; each article when its batch is read. Articles are read
    and compared a batch at a time, as ``compare_many`` batches pairs (up to
    ``DEFAULT_BATCH_SIZE`` articles, fewer once they hold 1 MiB of text).

    ``workers`` above 1 scans in that many processes (the index is sent to each once), with
    the same results in the same order, reading at most a few chunks of articles ahead.
    Each process first loads the package and its data (about 1.5 s of CPU), so it pays off
    on scans of several MB. Processes are spawned, so a script that asks for workers needs
    the usual ``if __name__ == "__main__":`` guard.

    >>> index = ReferenceIndex([
    ...     ("court", "The court imposed a fine of 500,000 euros on the company on Monday."),
    ...     ("rain", "Rain is expected in the north of the country tomorrow morning."),
    ... ])
    >>> articles = [("a1", "The court imposed a nice of 500,000 euros on the company on Monday."),
    ...             ("a2", "A recipe for bread with flour, water and salt.")]
    >>> [(r.article_id, r.reference_id, r.report is not None) for r in scan(articles, index)]
    [('a1', 'court', True), ('a2', None, False)]
    """
    # (the reference texts are checked here, and read by each chunk's scan)
    records, min_similarity, _ = _scan_arguments(articles, index, min_similarity, references)
    k = check_positive_int(k, "k")
    threshold = check_threshold(threshold)
    workers = check_positive_int(workers, "workers")
    settings = _ScanSettings(index, references, k, threshold, min_similarity)
    if workers > 1:
        return _scan_in_processes(_checked_articles(records), settings, workers)
    return _scan(records, settings)


def scan_scores(
    articles: Iterable[Sequence[str]],
    index: ReferenceIndex,
    *,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    references: Mapping[str, str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[tuple[str, str | None, float | None]]:
    """``(article_id, reference_id, score)`` for each ``(article_id, text)`` pair, lazily, in
    input order: ``scan`` with ``k=1`` reduced to the document score, computed as
    ``score_many`` computes it (no report is built), in batches as ``iter_compare`` makes them (a
    bad article raises when its batch is read). An article with no reference at or over
    ``min_similarity`` gets ``(article_id, None, None)``: no source found, not a score of 0.
    One process: ``scan``'s ``workers`` are not offered here.

    >>> index = ReferenceIndex([
    ...     ("court", "The court imposed a fine of 500,000 euros on the company on Monday."),
    ...     ("rain", "Rain is expected in the north of the country tomorrow morning."),
    ... ])
    >>> articles = [("a1", "The court imposed a nice of 500,000 euros on the company on Monday."),
    ...             ("a2", "A recipe for bread with flour, water and salt.")]
    >>> [(article_id, reference_id, score is not None)
    ...  for article_id, reference_id, score in scan_scores(articles, index)]
    [('a1', 'court', True), ('a2', None, False)]
    """
    records, min_similarity, texts = _scan_arguments(articles, index, min_similarity, references)
    batch_size = check_batch_size(batch_size)
    return _scan_scores(_checked_articles(records), index, min_similarity, texts, batch_size)


def _scan_arguments(
    articles: Iterable[Sequence[str]],
    index: ReferenceIndex,
    min_similarity: float,
    references: Mapping[str, str] | None,
) -> tuple[Iterable[object], float, Mapping[str, str] | _IndexTexts]:
    """The arguments ``scan`` and ``scan_scores`` share, checked: the articles (each checked
    when read), ``min_similarity`` and where the reference texts come from."""
    if not isinstance(index, ReferenceIndex):
        raise TypeError(f"index must be a ReferenceIndex, got {type(index).__name__}")
    records = check_iterable(articles, "articles", "(article_id, text) pairs")
    min_similarity = check_fraction(min_similarity, "min_similarity")
    return records, min_similarity, _reference_texts(index, references)


def _reference_texts(
    index: ReferenceIndex, references: Mapping[str, str] | None
) -> Mapping[str, str] | _IndexTexts:
    """Where the reference texts come from: ``references``, or the texts the index stores."""
    if references is None and not index.stores_texts:
        raise ValueError(
            "index was built with store_texts=False; pass references= (ref_id -> text)"
        )
    if references is not None and not isinstance(references, Mapping):
        raise TypeError(f"references must be a mapping, got {type(references).__name__}")
    return references if references is not None else _IndexTexts(index)


class _IndexTexts:
    """The index's stored texts, looked up like a mapping."""

    def __init__(self, index: ReferenceIndex) -> None:
        self._index = index

    def __getitem__(self, ref_id: str) -> str:
        return self._index.text(ref_id)


def _scan(articles: Iterable[object], settings: _ScanSettings) -> Iterator[ScanResult]:
    for batch in batches(_checked_articles(articles), DEFAULT_BATCH_SIZE, _article_characters):
        yield from settings.scan_chunk(batch)


def _sourced(
    batch: Sequence[tuple[str, str]],
    index: ReferenceIndex,
    k: int,
    min_similarity: float,
    texts: Mapping[str, str] | _IndexTexts,
) -> tuple[list[tuple[Candidate, ...]], list[tuple[str, str]]]:
    """The candidates of each checked article of ``batch``, and the (article, best
    reference's text) pair of each that has one, in order: what scanning compares."""
    candidates = [_candidates(text, index, k, min_similarity) for _, text in batch]
    pairs = [(text, texts[found[0].ref_id]) for (_, text), found in zip(batch, candidates) if found]
    return candidates, pairs




def _checked_articles(articles: Iterable[object]) -> Iterator[tuple[str, str]]:
    """Each ``(article_id, text)`` of ``articles`` once checked (any sequence of two str), or
    a TypeError naming it."""
    for number, item in enumerate(articles):
        yield check_pair(item, f"articles[{number}]", "article_id", "text")


def _scan_scores(
    articles: Iterator[tuple[str, str]],
    index: ReferenceIndex,
    min_similarity: float,
    texts: Mapping[str, str] | _IndexTexts,
    batch_size: int,
) -> Iterator[tuple[str, str | None, float | None]]:
    for batch in batches(articles, batch_size, _article_characters):
        candidates, pairs = _sourced(batch, index, 1, min_similarity, texts)
        scores = iter(score_batch(pairs).tolist())
        for (article_id, _), found in zip(batch, candidates):
            yield (article_id, found[0].ref_id, next(scores)) if found else (article_id, None, None)


def _article_characters(article: tuple[str, str]) -> int:
    return len(article[1])


def _candidates(
    text: str, index: ReferenceIndex, k: int, min_similarity: float
) -> tuple[Candidate, ...]:
    """The ``k`` best references of ``text`` at or over ``min_similarity``, best first."""
    return tuple(
        candidate
        for candidate in index.query(text, k=k)
        if candidate.similarity >= min_similarity
    )


# Articles sent to a worker process at a time, and chunks in flight per worker: enough that
# the cost of sending a chunk (tens of microseconds) is small beside scanning it (an
# article-sized comparison takes milliseconds), few enough that results come in order soon.
_CHUNK_ARTICLES = 16
_CHUNKS_PER_WORKER = 2


@dataclass(frozen=True)
class _ScanSettings:
    """What scanning an article needs, checked: in one process, or sent to each worker once."""

    index: ReferenceIndex
    references: Mapping[str, str] | None
    k: int
    threshold: float
    min_similarity: float

    def scan_chunk(self, articles: Sequence[tuple[str, str]]) -> list[ScanResult]:
        """The ScanResults of checked articles: each queried, the ones with a source
        compared in one batch (``pipeline.compare_batch``)."""
        texts = self.references if self.references is not None else _IndexTexts(self.index)
        candidates, pairs = _sourced(articles, self.index, self.k, self.min_similarity, texts)
        reports = iter(compare_batch(pairs, self.threshold))
        return [
            ScanResult(article_id, found, next(reports) if found else None)
            for (article_id, _), found in zip(articles, candidates)
        ]


_worker_settings: _ScanSettings | None = None


def _start_worker(settings: _ScanSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _scan_chunk_in_worker(articles: list[tuple[str, str]]) -> list[ScanResult]:
    assert _worker_settings is not None, "started without _start_worker"
    return _worker_settings.scan_chunk(articles)


def _scan_in_processes(
    articles: Iterator[tuple[str, str]], settings: _ScanSettings, workers: int
) -> Iterator[ScanResult]:
    """``_scan`` in ``workers`` processes: chunks of articles go out as they are read and
    their results come back in input order, with a bounded number of chunks in flight."""
    # "spawn" on every platform: the same behaviour everywhere, and no fork of a process
    # that runs threads (the command line's progress bar).
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(settings,),
    )
    pending: deque[Future[list[ScanResult]]] = deque()
    try:
        while chunk := list(itertools.islice(articles, _CHUNK_ARTICLES)):
            pending.append(pool.submit(_scan_chunk_in_worker, chunk))
            if len(pending) >= workers * _CHUNKS_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def read_records(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    on_skip: Callable[[str], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    id_field: str = "id",
    text_field: str = "text",
) -> Iterator[tuple[str, str]]:
    """``(id, text)`` records from a folder of ``.txt`` files, a ``.txt`` file or JSON Lines,
    lazily.

    A folder gives one record per ``.txt`` file directly inside it (any case: ``a.TXT``), in
    name order, with the file name without its suffix as id; a ``.txt`` file gives one such
    record. Texts are as stored (a byte-order mark is kept, so offsets index the file). Any
    other file, or a binary stream such as ``sys.stdin.buffer``, is JSON Lines: one record per
    non-blank line, each a JSON object with a string ``id_field`` (default ``"id"``; an
    integer is taken as its decimal string) and a string ``text_field`` (default ``"text"``).

    Whatever is not read is reported, never dropped silently: a record that cannot be read
    (bad JSON or JSON nested deeper than ``MAX_JSON_DEPTH``, a missing or mistyped field, an
    id longer than ``MAX_ID_CHARACTERS``, an id or text holding a lone surrogate, which no
    UTF-8 output can hold, a text or line over ``MAX_TEXT_BYTES``), and in a folder each file
    that is not UTF-8, not a regular file or unreadable, each other file and each subfolder
    (hidden entries, named ``.*``, are passed over unreported). ``on_skip`` is called with a
    one-line message naming the file (and line), or the message is logged as a warning when
    ``on_skip`` is None. A missing or unreadable path raises OSError at once
    (FileNotFoundError, PermissionError), a device or socket ValueError; a named pipe that
    nobody writes to within a second is waited for after calling ``on_wait`` (default: a
    logged warning) with a message.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.jsonl").write_text('{"id": "x", "text": "hi"}\\nnot json\\n')
    >>> skipped = []
    >>> list(read_records(folder / "a.jsonl", on_skip=skipped.append))
    [('x', 'hi')]
    >>> skipped[0].endswith("a.jsonl:2: not valid JSON (Expecting value at column 1)")
    True
    >>> list(read_records(folder, on_skip=skipped.append))  # the folder has no .txt file
    []
    >>> skipped[-1].endswith("a.jsonl: skipped, not a .txt file")
    True
    """
    for name, field in (("id_field", id_field), ("text_field", text_field)):
        if not isinstance(field, str):
            raise TypeError(f"{name} must be str, got {type(field).__name__}")
    report = on_skip if on_skip is not None else logger.warning
    fields = (id_field, text_field)
    if not isinstance(source, (str, os.PathLike)):
        if isinstance(source, io.TextIOBase) or not hasattr(source, "readline"):
            raise TypeError(
                "source must be a path or a binary stream such as sys.stdin.buffer, "
                f"got {type(source).__name__}"
            )
        name = str(getattr(source, "name", "<stream>"))
        return _read_json_lines(source, name, report, fields, close=False)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        return _read_folder(path, report)  # lists the folder now: an unreadable one raises
    try:
        handle = open_input(path, devices=False, on_wait=on_wait or logger.warning)
    except RefusedInput as error:
        raise ValueError(f"{path}: {error}") from None
    if _is_text_file(path):
        return _read_text_files([(path, handle)], report)
    return _read_json_lines(handle, str(path), report, fields, close=True)


# An id longer than this is refused: ids name articles in output lines and file names, and
# one of thousands of characters (a 5,000-digit number) is not a name.
MAX_ID_CHARACTERS = 1_000


def _is_text_file(path: Path) -> bool:
    return path.suffix.lower() == ".txt"


def _read_folder(folder: Path, report: Callable[[str], None]) -> Iterator[tuple[str, str]]:
    """The ``.txt`` files directly in ``folder``; every other entry reported as skipped."""
    with os.scandir(folder) as listing:  # an unreadable folder raises here, at once
        names = sorted(entry.name for entry in listing if not entry.name.startswith("."))
    text_files: list[tuple[Path, BinaryIO | None]] = []
    for name in names:
        entry = folder / name
        if entry.is_dir():
            report(f"{entry}: skipped, a folder (only files directly in {folder} are read)")
        elif not _is_text_file(entry):
            report(f"{entry}: skipped, not a .txt file")
        else:
            text_files.append((entry, None))
    return _read_text_files(text_files, report)


def _read_text_files(
    files: Iterable[tuple[Path, BinaryIO | None]], report: Callable[[str], None]
) -> Iterator[tuple[str, str]]:
    """One record per file, named by its stem; ``None`` for a handle opens the file here, as
    a regular file only (a folder's entries), where a problem skips the file."""
    for file, handle in files:
        if lone_surrogate(file.stem) is not None:
            report(f"{file}: skipped, the file name is not UTF-8")
            if handle is not None:
                handle.close()
            continue
        try:
            if handle is None:
                handle = open_input(file, pipes=False, devices=False)
            with handle:
                data = read_limited(handle, limit=MAX_TEXT_BYTES)
            # As stored, byte-order mark included, so offsets index the file (see cli.read_text).
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            report(f"{file}: skipped, not UTF-8 text (invalid byte at offset {error.start})")
            continue
        except RefusedInput as error:
            report(f"{file}: skipped, {error}")
            continue
        except OSError as error:
            report(f"{file}: skipped, cannot read ({error.strerror or error})")
            continue
        problem = _id_problem(file.stem)
        if problem:
            report(f"{file}: skipped, {problem}")
            continue
        yield file.stem, text


def _read_json_lines(
    handle: BinaryIO,
    name: str,
    report: Callable[[str], None],
    fields: tuple[str, str],
    *,
    close: bool,
) -> Iterator[tuple[str, str]]:
    """The records of a JSON Lines stream, a line at a time; ``close`` closes ``handle``
    when done (a file opened here, not a stream passed in)."""
    try:
        lines = read_lines(handle, limit=MAX_TEXT_BYTES)
        for line_number, raw_line in enumerate(lines, start=1):
            if raw_line is None:
                report(
                    f"{name}:{line_number}: longer than {size_text(MAX_TEXT_BYTES)}, "
                    "the most spindetect reads of one record"
                )
                continue
            if not raw_line.strip():
                continue
            record, problem = _parse_record(raw_line, *fields)
            if record is None:
                report(f"{name}:{line_number}: {problem}")
                continue
            yield record
    except OSError as error:
        raise OSError(error.errno, error.strerror, name) from None
    finally:
        if close:
            handle.close()


def _parse_record(
    raw_line: bytes, id_field: str = "id", text_field: str = "text"
) -> tuple[tuple[str, str] | None, str]:
    """The ``(id, text)`` of one JSON Lines record, or None and why it was skipped."""
    try:
        line = raw_line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, f"not UTF-8 (invalid byte at column {error.start + 1})"
    if json_too_deep(raw_line):
        return None, f"not valid JSON (nested more than {MAX_JSON_DEPTH} deep)"
    try:
        data = json.loads(line, parse_int=_JsonInteger)
    except json.JSONDecodeError as error:
        return None, f"not valid JSON ({error.msg} at column {error.colno})"
    if not isinstance(data, dict):
        return None, (
            f"expected a JSON object with {id_field} and {text_field}, got {type(data).__name__}"
        )
    record_id, text = data.get(id_field), data.get(text_field)
    if isinstance(record_id, _JsonInteger):
        record_id = record_id.digits
    if not isinstance(record_id, str):
        return None, f"missing or non-string {json.dumps(id_field)}"
    problem = _id_problem(record_id)
    if problem:
        return None, problem
    if not isinstance(text, str):
        return None, f"record {record_id!r}: missing or non-string {json.dumps(text_field)}"
    surrogate = lone_surrogate(text)
    if surrogate is not None:
        return None, (
            f"record {record_id!r}: the text holds a lone surrogate "
            f"(U+{ord(text[surrogate]):04X} at {surrogate}), which is not a character"
        )
    return (record_id, text), ""


@dataclass(frozen=True, slots=True)
class _JsonInteger:
    """An integer of a JSON record as its decimal text: an id of 5,000 digits is past what
    ``int()`` converts, and only ids use integers."""

    digits: str


def _id_problem(record_id: str) -> str:
    """Why ``record_id`` cannot name a record, or "" when it can."""
    if len(record_id) > MAX_ID_CHARACTERS:
        return f"id of {len(record_id):,} characters, over the {MAX_ID_CHARACTERS:,} allowed"
    surrogate = lone_surrogate(record_id)
    if surrogate is not None:
        return (
            f"id holds a lone surrogate (U+{ord(record_id[surrogate]):04X} at {surrogate}), "
            "which is not a character"
        )
    return ""
