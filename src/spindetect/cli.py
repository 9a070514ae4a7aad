"""Command line: argument parsing and printing only; the work is done by the public API.

    spindetect compare ARTICLE REFERENCE [--json] [--html OUT.html] [--threshold T]

``-`` for a file reads standard input. Exit status 0 on success, 2 on bad usage or input
(including input with nothing to work on: a text without words, no records at all), with one
line on standard error naming the problem.

    spindetect screen FILE... [--json] [--html OUT.html] [--threshold T]

``screen`` reads each FILE with no reference: a text file, ``-`` (standard input), a folder
of ``.txt`` files or a ``.jsonl`` file of records (as ``scan`` takes).

    spindetect index build REFERENCES -o INDEX.npz [--id-field NAME] [--text-field NAME]
    spindetect scan ARTICLES --index INDEX.npz [--json] [--html OUT.html] [--threshold T]
                    [--min-similarity S] [-k K] [--workers N] [--id-field NAME]
                    [--text-field NAME] [--scores-only]

REFERENCES and ARTICLES are a folder of ``.txt`` files (id = file name without ``.txt``), one
``.txt`` file, or a JSON Lines file of ``{"id": ..., "text": ...}`` records; whatever is not
read (a malformed or hostile record with its line number, a folder entry that is not a
``.txt`` file) is reported on standard error and skipped; ``-`` reads JSON Lines from
standard input. Progress and a summary go to standard error, results to standard output,
untouched. ``scan --scores-only`` prints one JSON line per article, ``{"id": ...,
"reference_id": ..., "score": ...}`` (both null when no source is found), computed without
building reports.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any, NoReturn, TextIO, cast

from . import __version__
from ._inputs import RefusedInput, open_input, read_limited
from .index import ReferenceIndex
from .pipeline import compare
from .render_overview import ScanOverview, report_folder
from .report import Report, Swap
from .scan import DEFAULT_MIN_SIMILARITY, ScanResult, read_records, scan, scan_scores
from .score import DEFAULT_THRESHOLD
from .screening import DEFAULT_SCREEN_THRESHOLD, Screening, iter_screen
from .tokenize import TOKEN_PATTERN, tokenize

__all__ = ["main"]

USAGE_ERROR = 2
NO_WORDS = "empty, or only spaces and punctuation"


class UsageError(Exception):
    """A mistake the user can fix: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"spindetect: error: {message}\n")


def _threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1], got {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in [0, 1], got {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="spindetect",
        description="Find spun (synonym-swapped) text by comparing an article with its source.",
    )
    parser.add_argument("--version", action="version", version=f"spindetect {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    compare_parser = commands.add_parser(
        "compare", help="compare one article with its reference text"
    )
    compare_parser.add_argument("article", help="article file (UTF-8), or - for standard input")
    compare_parser.add_argument(
        "reference", help="reference file (UTF-8), or - for standard input"
    )
    compare_parser.add_argument(
        "--json", action="store_true", help="print the report as JSON"
    )
    compare_parser.add_argument(
        "--html", metavar="OUT.html",
        help="also write a self-contained HTML report (article and reference side by side)",
    )
    compare_parser.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=f"score at which a swap is flagged (default {DEFAULT_THRESHOLD})",
    )
    _add_index_commands(commands)
    _add_screen_command(commands)
    return parser


def _add_screen_command(commands: Any) -> None:
    screen_parser = commands.add_parser(
        "screen",
        help="screen texts for spinner output with no reference",
        description="FILE: a UTF-8 text file, - for standard input, a folder of .txt files or "
        'a JSON Lines file of {"id": ..., "text": ...} records. Standard input is read as '
        "JSON Lines records, as scan reads it, when its first non-blank character is {; "
        "else as one text.",
    )
    screen_parser.add_argument("files", nargs="+", metavar="FILE", help="texts to screen")
    screen_parser.add_argument(
        "--json", action="store_true", help="print one JSON object per text (JSON Lines)"
    )
    screen_parser.add_argument(
        "--html", metavar="OUT.html",
        help="also write the screening as a self-contained HTML page (with several texts, "
        "OUT-1.html, OUT-2.html, ...)",
    )
    screen_parser.add_argument(
        "--threshold", type=_threshold, default=DEFAULT_SCREEN_THRESHOLD,
        help=f"score at which a finding is reported (default {DEFAULT_SCREEN_THRESHOLD})",
    )


def _add_index_commands(commands: Any) -> None:
    """The ``index build`` and ``scan`` subcommands."""
    records_help = (
        "a folder of .txt files (id = file name without .txt), one .txt file, or a JSON Lines "
        'file of {"id": ..., "text": ...} records'
    )
    index_parser = commands.add_parser("index", help="build a reference index for scan")
    index_commands = index_parser.add_subparsers(
        dest="index_command", required=True, parser_class=_Parser
    )
    build_parser = index_commands.add_parser(
        "build", help="index reference texts", description=f"REFERENCES: {records_help}."
    )
    build_parser.add_argument(
        "references", help="the reference texts: " + records_help + "; - for standard input"
    )
    build_parser.add_argument(
        "-o", "--output", required=True, metavar="INDEX.npz", help="index file to write"
    )
    _add_record_options(build_parser)
    scan_parser = commands.add_parser(
        "scan",
        help="find each article's source in an index and compare the article with it",
        description=f"ARTICLES: {records_help}.",
    )
    scan_parser.add_argument(
        "articles",
        help="the articles: " + records_help + "; - for JSON Lines on standard input",
    )
    scan_parser.add_argument(
        "--index", required=True, metavar="INDEX.npz", help="index from `spindetect index build`"
    )
    scan_parser.add_argument(
        "--json", action="store_true", help="print one JSON object per article (JSON Lines)"
    )
    scan_parser.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=f"score at which a swap is flagged (default {DEFAULT_THRESHOLD})",
    )
    scan_parser.add_argument(
        "--min-similarity",
        type=_threshold,
        default=DEFAULT_MIN_SIMILARITY,
        help="least share of an article's word pairs a reference must contain to be compared "
        f"(default {DEFAULT_MIN_SIMILARITY})",
    )
    scan_parser.add_argument(
        "-k", type=_positive_int, default=1, help="candidates to list per article (default 1)"
    )
    scan_parser.add_argument(
        "--html", metavar="OUT.html",
        help="also write an overview page (histogram of spin scores, the most spun articles) "
        "and those articles' reports in OUT_files/",
    )
    scan_parser.add_argument(
        "--workers", type=_positive_int, default=1, metavar="N",
        help="scan in N processes, results in input order (default 1; each process first "
        "loads the data, so it pays off on scans of several MB)",
    )
    scan_parser.add_argument(
        "--scores-only", action="store_true",
        help='print only {"id", "reference_id", "score"} per article (JSON Lines), '
        "computed without building reports: the fastest scan (one process; -k, --threshold "
        "and --json change nothing here: the score depends on neither, the output is JSON)",
    )
    _add_record_options(scan_parser)


def _add_record_options(parser: argparse.ArgumentParser) -> None:
    """The JSON Lines field names, as text-reuse tools let them be set."""
    parser.add_argument(
        "--id-field", default="id", metavar="NAME",
        help="JSON Lines field holding each record's id (default id)",
    )
    parser.add_argument(
        "--text-field", default="text", metavar="NAME",
        help="JSON Lines field holding each record's text (default text)",
    )


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value!r}")
    return number


def read_text(path: str, stdin: TextIO) -> str:
    """The UTF-8 text of ``path`` (``-``: standard input), or a UsageError naming the file.

    Decoded exactly as stored, so the report's offsets index the file as the user reads it:
    a byte-order mark stays (U+FEFF, character 0; the tokenizer skips it) and line ends are
    not translated. At most ``MAX_TEXT_BYTES`` are read (``/dev/zero`` is refused, not read
    until memory runs out); a named pipe nobody writes to is waited for after a message on
    standard error.
    """
    try:
        if path == "-":
            data = read_limited(stdin.buffer) if hasattr(stdin, "buffer") else stdin.read().encode()
        else:
            with open_input(path, on_wait=_say) as handle:
                data = read_limited(handle)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, expected a text file") from None
    except RefusedInput as error:
        raise UsageError(f"{_display_name(path)}: {error}") from None
    except OSError as error:
        raise UsageError(f"{_display_name(path)}: cannot read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{_display_name(path)}: not UTF-8 text (invalid byte 0x{data[error.start]:02x} at offset "
            f"{error.start})"
        ) from None


def format_report(report: Report) -> str:
    """A short human-readable summary: each flagged swap first, then the score line.

    The swaps are the finding (what was replaced, with what, where); the score only sums
    them up, so it comes last.
    """
    lines = [f"  {swap.score:.2f}  {_swap_line(swap)}" for swap in report.flagged]
    return "\n".join([*lines, _score_line(report)])


def _score_line(report: Report) -> str:
    return (
        f"spin score {report.score:.2f}   coverage {report.coverage:.0%}   "
        f"swaps {len(report.swaps)}   flagged {len(report.flagged)} "
        f"(threshold {report.threshold:g})"
    )


def _swap_line(swap: Swap) -> str:
    """``replacement ⟨original⟩  [kind, chars start-end]``, on one line."""
    start, end = swap.article_span
    return (
        f"{one_line(swap.article_text)} \u27e8{one_line(swap.reference_text)}\u27e9  "
        f"[{swap.kind}, chars {start}-{end}]"
    )


def one_line(text: str) -> str:
    """``text`` safe to print as part of one line: every line printed from input goes
    through here. Scraped text, ids and file names may carry terminal escape codes (to set
    the title, clear the screen, fake output) and line breaks: they are shown as symbols
    (``render_terminal.visible``), line breaks and tabs as spaces.

    >>> one_line("a\\x1b]0;pwned\\x07\\tb\\nc")
    'a␛]0;pwned␇ b c'
    """
    from .render_terminal import visible

    return visible(text).replace("\n", " ").replace("\t", " ")


# Characters JSON leaves raw that a terminal may obey (DEL, the C1 controls, among them the
# 8-bit CSI) or that end a line in JavaScript: written as \u escapes, which JSON reads back
# as the same characters.
_JSON_RAW_CONTROLS = re.compile("[\x7f-\x9f\u2028\u2029]")


def json_text(data: object, *, indent: int | None = None) -> str:
    """``data`` as JSON for standard output: non-ASCII text kept readable, every control
    character escaped.

    >>> json_text({"id": "a\\x1b[2J\\x9b"})
    '{"id": "a\\\\u001b[2J\\\\u009b"}'
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_RAW_CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _say(message: str) -> None:
    """One line on standard error, from spindetect."""
    print(f"spindetect: {one_line(message)}", file=sys.stderr)


class _Feedback:
    """Progress bar and messages on standard error; the bar only when it is a terminal.

    Standard output is never touched: results printed while the bar runs go straight to it,
    so ``scan --json > results.jsonl`` from a terminal fills the file. ``results_on_terminal``
    (results are printed to the terminal the bar would be drawn on) turns the bar off: the
    results scrolling by show the progress, and a bar redrawn between them would garble both.
    """

    def __init__(
        self, label: str, total: int | None, *, results_on_terminal: bool = False
    ) -> None:
        # rich is imported only here, so a plain compare starts without it.
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.skipped = 0
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            disable=not sys.stderr.isatty() or results_on_terminal,
            transient=True,
            # rich's default would capture standard output and draw it on the bar's console
            # (standard error), cropped to the terminal's width.
            redirect_stdout=False,
        )
        self._task = self._progress.add_task(label, total=total)

    def __enter__(self) -> _Feedback:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def advance(self) -> None:
        self._progress.advance(self._task)

    def skip(self, message: str) -> None:
        """Report a skipped record (one line on standard error), count it and move on."""
        self.skipped += 1
        self.say(f"spindetect: {message}")
        self.advance()

    def say(self, message: str) -> None:
        message = one_line(message)
        if self._progress.disable:
            print(message, file=sys.stderr)
        else:
            self._progress.console.print(message, markup=False, highlight=False, soft_wrap=True)


def _record_count(path: str) -> int | None:
    """How many records ``path`` holds, for the progress bar; None when it cannot tell cheaply."""
    if not sys.stderr.isatty() or path == "-":
        return None
    try:
        source = Path(path)
        if source.is_dir():  # each entry is read or reported skipped (scan.read_records)
            return sum(1 for entry in source.iterdir() if not entry.name.startswith("."))
        if not source.is_file():  # a pipe would be drained, a device read without end
            return None
        if source.suffix.lower() == ".txt":
            return 1
        with open(source, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None


def _open_records(
    path: str,
    on_skip: Callable[[str], None],
    on_wait: Callable[[str], None],
    fields: tuple[str, str] = ("id", "text"),
) -> Iterator[tuple[str, str]]:
    """The records of ``path`` (``-``: JSON Lines on standard input), skips reported, or a
    UsageError naming the path when it cannot be read."""
    id_field, text_field = fields
    source = sys.stdin.buffer if path == "-" else path
    try:
        return read_records(
            source, on_skip=on_skip, on_wait=on_wait, id_field=id_field, text_field=text_field
        )
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file or folder") from None
    except ValueError as error:  # a device or a socket
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None


def _has_words(text: str) -> bool:
    """Whether ``text`` has a word token: a record without one is skipped, and said, by
    ``index build`` and ``scan``, as ``compare`` and ``screen`` refuse or skip it."""
    return TOKEN_PATTERN.search(text) is not None


def run_index_build(
    references: str, output: str, *, fields: tuple[str, str] = ("id", "text")
) -> int:
    """``spindetect index build``: index the references and save the index."""
    started = time.perf_counter()
    index = ReferenceIndex()
    text_bytes = 0
    with _Feedback("indexing", _record_count(references)) as feedback:
        for ref_id, text in _open_records(references, feedback.skip, feedback.say, fields):
            if ref_id in index:
                feedback.skip(f"{references}: skipped a second reference with id {ref_id!r}")
                continue
            if not _has_words(text):
                feedback.skip(f"{references}: skipped reference {ref_id!r}: no words ({NO_WORDS})")
                continue
            index.add(ref_id, text)
            text_bytes += len(text.encode("utf-8"))
            feedback.advance()
        if len(index) == 0:
            raise _nothing_read(references, feedback.skipped, "indexed, no index written")
        try:
            index.save(output)
        except OSError as error:
            raise UsageError(f"{output}: cannot write: {error.strerror or error}") from None
    seconds = time.perf_counter() - started
    size = Path(output).stat().st_size
    per_reference = f", {size / len(index) / 1e3:.1f} KB per reference"
    print(
        f"indexed {_plural(len(index), 'reference')} ({text_bytes / 1e6:.1f} MB of text) in "
        f"{seconds:.1f} s; wrote {one_line(output)} ({size / 1e6:.1f} MB{per_reference}); "
        f"{_plural(feedback.skipped, 'record')} skipped",
        file=sys.stderr,
    )
    return 0


def _nothing_read(path: str, skipped: int, outcome: str) -> UsageError:
    """The error for a run that found no record in ``path``: nothing at all was done. Where
    records were found and all skipped, the messages above say why each was; the expected
    forms are named only where no record was found at all."""
    if skipped:
        return UsageError(
            f"{_display_name(path)}: nothing {outcome}: all {_plural(skipped, 'record')} "
            "skipped (why, above)"
        )
    return UsageError(
        f"{_display_name(path)}: nothing {outcome}: no records in it; expected a folder of .txt "
        "files, a .txt file or a JSON Lines file"
    )


def format_scan_result(result: ScanResult) -> str:
    """One line per article: its best source and what the comparison found."""
    article_id = one_line(result.article_id)
    if result.report is None:
        return f"{article_id}\tno source found"
    best = result.candidates[0]
    report = result.report
    return (
        f"{article_id}\tsource {one_line(best.ref_id)} (similarity {best.similarity:.2f})\t"
        f"spin score {report.score:.2f}\tcoverage {report.coverage:.0%}\t"
        f"flagged {len(report.flagged)} of {len(report.swaps)} swaps"
    )


def run_scan(
    articles: str, index_path: str, *, json_lines: bool, threshold: float,
    min_similarity: float, k: int, html: str | None = None,
    fields: tuple[str, str] = ("id", "text"), workers: int = 1, scores_only: bool = False,
) -> int:
    """``spindetect scan``: one line per article on standard output, a summary on stderr."""
    overview = None
    if scores_only and html is not None:
        raise UsageError("--scores-only builds no reports, so it cannot write --html")
    if scores_only and workers > 1:
        raise UsageError("--scores-only runs in one process; leave out --workers")
    if html is not None:
        if not Path(html).resolve().parent.is_dir():
            raise UsageError(f"{html}: cannot write: No such file or directory")
        try:
            report_folder(html)  # refused now, not after the scan
        except ValueError as error:
            raise UsageError(str(error)) from None
        overview = ScanOverview()
    try:
        index = ReferenceIndex.load(index_path)
    except FileNotFoundError:
        raise UsageError(f"{index_path}: no such index file") from None
    except IsADirectoryError:
        raise UsageError(f"{index_path}: is a directory, expected an index file") from None
    except OSError as error:
        raise UsageError(f"{index_path}: cannot read: {error.strerror or error}") from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    started = time.perf_counter()
    scanned = matched = flagged = text_bytes = 0
    with _Feedback(
        "scanning", _record_count(articles), results_on_terminal=sys.stdout.isatty()
    ) as feedback:
        records = _open_records(articles, feedback.skip, feedback.say, fields)

        def counted() -> Iterator[tuple[str, str]]:
            nonlocal text_bytes
            for record in records:
                if not _has_words(record[1]):
                    feedback.skip(f"{articles}: skipped article {record[0]!r}: no words ({NO_WORDS})")
                    continue
                text_bytes += len(record[1].encode("utf-8"))
                yield record

        if scores_only:
            scores = scan_scores(counted(), index, min_similarity=min_similarity)
            scanned, matched = _print_scores(scores, feedback)
        results = [] if scores_only else scan(
            counted(), index, k=k, threshold=threshold, min_similarity=min_similarity,
            workers=workers,
        )
        for result in results:
            scanned += 1
            if overview is not None:
                overview.add(result)
            matched += result.report is not None
            flagged += result.report is not None and bool(result.report.flagged)
            if json_lines:
                print(json_text(result.to_dict()))
            else:
                print(format_scan_result(result))
            feedback.advance()
    if scanned == 0:
        raise _nothing_read(articles, feedback.skipped, "scanned")
    seconds = max(time.perf_counter() - started, 1e-9)
    print(
        f"scanned {_plural(scanned, 'article')} in {seconds:.1f} s ({scanned / seconds:.1f} articles/s, "
        f"{text_bytes / 1e6 / seconds:.2f} MB/s): {matched:,} matched a reference, "
        + ("" if scores_only else f"{flagged:,} with flagged swaps, ")
        + f"{_plural(feedback.skipped, 'record')} skipped",
        file=sys.stderr,
    )
    if matched == 0:
        _say(
            f"no article shares {min_similarity:.0%} of its word pairs with a "
            f"reference in {index_path}, so none was compared: is the index built from their "
            "sources?"
        )
    if overview is not None and html is not None:
        try:
            overview.write(html)
        except ValueError as error:
            raise UsageError(str(error)) from None
        except OSError as error:
            where = error.filename or html
            raise UsageError(f"{where}: cannot write: {error.strerror or error}") from None
    return 0


def _print_scores(
    scores: Iterator[tuple[str, str | None, float | None]], feedback: _Feedback
) -> tuple[int, int]:
    """``scan --scores-only``: one JSON line per article; returns (scanned, matched)."""
    scanned = matched = 0
    for article_id, reference_id, score in scores:
        scanned += 1
        matched += reference_id is not None
        print(json_text({"id": article_id, "reference_id": reference_id, "score": score}))
        feedback.advance()
    return scanned, matched


def _run_index_command(args: argparse.Namespace) -> int:
    fields = (args.id_field, args.text_field)
    if args.command == "index":
        return run_index_build(args.references, args.output, fields=fields)
    return run_scan(
        args.articles, args.index, json_lines=args.json, threshold=args.threshold,
        min_similarity=args.min_similarity, k=args.k, html=args.html, fields=fields,
        workers=args.workers, scores_only=args.scores_only,
    )


def _os_failure(error: OSError) -> int:
    """The exit status for an OSError no reader turned into a UsageError: the reader of
    standard output went away (``spindetect ... | head``: stop quietly, as cat does, exit 1),
    standard output cannot be written (a full disk), or a file failed while being read (one
    line, exit 2). When standard output failed it is pointed at /dev/null, so that Python's
    last flush cannot fail again.
    """
    if error.filename is not None:  # a file that failed while being read
        _say(f"{error.filename}: {error.strerror or error}")
        return USAGE_ERROR
    with contextlib.suppress(OSError, ValueError):  # no descriptor (tests): nothing to flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if isinstance(error, BrokenPipeError):
        return 1
    _say(f"standard output: cannot write: {error.strerror or error}")
    return USAGE_ERROR


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command in ("index", "scan"):
            status = _run_index_command(args)
        elif args.command == "screen":
            status = run_screen(
                args.files, json_lines=args.json, html=args.html, threshold=args.threshold
            )
        else:
            status = run_compare(args)
        sys.stdout.flush()  # so that a full disk shows here, not at Python's exit
    except UsageError as error:
        _say(str(error))
        return USAGE_ERROR
    except OSError as error:
        return _os_failure(error)
    return status


def run_compare(args: argparse.Namespace) -> int:
    """``spindetect compare``: the report of one article against its reference."""
    if args.article == "-" and args.reference == "-":
        raise UsageError("only one of ARTICLE and REFERENCE can be - (standard input)")
    article = read_text(args.article, sys.stdin)
    reference = read_text(args.reference, sys.stdin)
    report = compare(article, reference, threshold=args.threshold)
    _check_compared(report, reference, args.article, args.reference)
    if args.html is not None:
        page = report.to_html(
            article, reference,
            article_name=_display_name(args.article), reference_name=_display_name(args.reference),
        )
        write_text(args.html, page)
    if args.json:
        print(json_text(report.to_dict(), indent=2))
    elif sys.stdout.isatty():
        print_rich(report, article)
    else:
        print(format_report(report))
    return 0


def _screen_inputs(files: Sequence[str]) -> Iterator[tuple[str, str]]:
    """``(name, text)`` of every text the ``screen`` FILE arguments name."""
    if sum(path == "-" for path in files) > 1:
        raise UsageError("- (standard input) can be given only once")
    for path in files:
        if path != "-" and (Path(path).is_dir() or path.endswith((".jsonl", ".json"))):
            yield from _open_records(path, _say, _say)
        elif path == "-":
            yield from _standard_input_texts()
        else:
            yield _display_name(path), read_text(path, sys.stdin)


def _standard_input_texts() -> Iterator[tuple[str, str]]:
    """What ``screen -`` reads: JSON Lines records, as ``scan -`` reads them (no cap on the
    stream, each record capped), when the input's first non-blank byte is ``{``; else one
    text, as ``compare -`` reads it. The stream is peeked at, not read twice."""
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else io.BytesIO(sys.stdin.read().encode())
    if not isinstance(stream, io.BufferedReader):  # a BytesIO in tests: no peek of its own
        stream = io.BufferedReader(cast(io.RawIOBase, stream))
    if stream.peek(4096).lstrip()[:1] == b"{":
        yield from read_records(stream, on_skip=_say, on_wait=_say)
    else:
        yield _display_name("-"), read_text("-", io.TextIOWrapper(stream, encoding="utf-8"))


def run_screen(files: Sequence[str], *, json_lines: bool, html: str | None, threshold: float) -> int:
    """``spindetect screen``: screen each text, print one result per text.

    Texts are read as they are screened (a JSON Lines file of any size streams): only the
    batch being screened is held, plus one text read ahead to know whether there is more
    than one (which names the ``--html`` pages)."""
    inputs = _screen_inputs(files)
    ahead = [item for item in (next(inputs, None), next(inputs, None)) if item is not None]
    names: deque[str] = deque()  # the names of the texts read and not yet printed

    def texts() -> Iterator[str]:
        for name, text in chain(ahead, inputs):
            names.append(name)
            yield text

    screened = 0
    for number, screening in enumerate(iter_screen(texts(), threshold=threshold), start=1):
        name = names.popleft()
        if screening.tokens == 0:  # nothing to screen: said, not printed as a clean result
            _say(f"{name}: skipped, no words to screen ({NO_WORDS})")
            continue
        screened += 1
        if html is not None:
            page_path = html if len(ahead) == 1 else f"{Path(html).with_suffix('')}-{number}.html"
            write_text(page_path, screening.to_html(name=name))
        if json_lines:
            print(json_text({"id": name, **screening.to_dict()}))
        else:
            print(format_screening(name, screening))
    if screened == 0:
        found = "no text had words" if ahead else "no texts in them"
        raise UsageError(f"{' '.join(files)}: nothing screened: {found}")
    return 0


def format_screening(name: str, screening: Screening) -> str:
    """The score line of one screened text, then one line per finding."""
    lines = [
        f"{one_line(name)}: spun probability {screening.score:.2f}   "
        f"findings {len(screening.findings)}"
    ]
    for finding in screening.findings:
        expected = f" \u27e8{one_line(finding.expected)}\u27e9" if finding.expected else ""
        text = one_line(finding.text)
        lines.append(f"  {finding.score:.2f}  {text}{expected}  "
                     f"[{finding.kind}, chars {finding.span[0]}-{finding.span[1]}]")
    return "\n".join(lines)


def _check_compared(
    report: Report, reference: str, article_path: str, reference_path: str
) -> None:
    """Raise a UsageError when a text had no words, so nothing was compared; say on standard
    error when the texts share nothing, so no swap could be found."""
    if report.article_tokens == 0:
        raise UsageError(f"{_display_name(article_path)}: no words to compare ({NO_WORDS})")
    if report.aligned_tokens > 0:
        return
    if len(tokenize(reference)) == 0:
        raise UsageError(f"{_display_name(reference_path)}: no words to compare ({NO_WORDS})")
    _say(
        f"nothing in {_display_name(article_path)} lines up with "
        f"{_display_name(reference_path)} (coverage 0%), so no swap could be found: is it the "
        "article's source?"
    )


def _display_name(path: str) -> str:
    return "standard input" if path == "-" else path


def write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, or raise a UsageError naming the file."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, expected a file name") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None


def print_rich(report: Report, article: str) -> None:
    """Print the report on a terminal: the flagged swaps, each score on its colour, then the
    score line and the article with the flagged swaps marked."""
    # rich is imported only here, so piped and JSON runs start without it.
    from rich.console import Console
    from rich.text import Text

    from .render_terminal import report_text, score_rgb

    console = Console(file=sys.stdout, highlight=False)
    for swap in report.flagged:
        line = Text("  ")
        line.append(f" {swap.score:.2f} ", style=f"bold black on {score_rgb(swap.score)}")
        line.append(f"  {_swap_line(swap)}")
        console.print(line, soft_wrap=True)
    if report.flagged:
        console.print()
    console.print(report_text(report, article))
