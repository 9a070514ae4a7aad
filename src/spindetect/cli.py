"""Command line: argument parsing and printing only; the work is done by the public API.

    spindetect compare ARTICLE REFERENCE [--json] [--threshold T]

``-`` for a file reads standard input. Exit status 0 on success, 2 on bad usage or input,
with one line on standard error naming the problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from . import __version__
from .pipeline import compare
from .report import Report
from .score import DEFAULT_THRESHOLD

__all__ = ["main"]

USAGE_ERROR = 2


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
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        help=f"score at which a swap is flagged (default {DEFAULT_THRESHOLD})",
    )
    return parser


def read_text(path: str, stdin: TextIO) -> str:
    """The UTF-8 text of ``path`` (``-``: standard input), or a UsageError naming the file."""
    try:
        if path == "-":
            data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, expected a text file") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{path}: not UTF-8 text (invalid byte 0x{data[error.start]:02x} at offset "
            f"{error.start})"
        ) from None


def format_report(report: Report) -> str:
    """A short human-readable summary: the score, then each flagged swap."""
    lines = [
        f"spin score {report.score:.2f}   coverage {report.coverage:.0%}   "
        f"swaps {len(report.swaps)}   flagged {len(report.flagged)} "
        f"(threshold {report.threshold:g})"
    ]
    for swap in report.swaps:
        if not swap.flagged:
            continue
        start, end = swap.article_span
        lines.append(
            f"  {swap.score:.2f}  {swap.article_text} \u27e8{swap.reference_text}\u27e9"
            f"  [{swap.kind}, chars {start}-{end}]"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.article == "-" and args.reference == "-":
            raise UsageError("only one of ARTICLE and REFERENCE can be - (standard input)")
        article = read_text(args.article, sys.stdin)
        reference = read_text(args.reference, sys.stdin)
    except UsageError as error:
        print(f"spindetect: {error}", file=sys.stderr)
        return USAGE_ERROR
    report = compare(article, reference, threshold=args.threshold)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0
