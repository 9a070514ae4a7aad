"""Read files and JSON from outside without trusting them.

Shared by the readers: the command line's texts, ``scan.read_records`` and
``ReferenceIndex.load``. A path may name a directory, a device that never ends
(``/dev/zero``), a named pipe nobody writes to or a file larger than memory; a JSON line may
nest brackets fifty thousand deep or hold a lone surrogate. Each gives a clear error (or a
message while waiting) instead of a traceback, a MemoryError, a RecursionError or a silent
hang.
"""

from __future__ import annotations

import errno
import os
import re
import select
import stat
from collections.abc import Callable, Iterator
from typing import BinaryIO

import numpy as np

from ._checks import lone_surrogate

__all__ = [
    "MAX_JSON_DEPTH",
    "MAX_TEXT_BYTES",
    "RefusedInput",
    "file_kind",
    "json_too_deep",
    "lone_surrogate",
    "open_input",
    "read_limited",
    "read_lines",
    "size_text",
]

# The most spindetect reads of one text (a file, standard input or one JSON Lines record).
# A comparison holds about 55 bytes of memory per byte of its two texts (8 MB of text peaked
# at 577 MB), so two texts at the cap need about 1 GB; 8 MiB is a book of 1.5 million words.
MAX_TEXT_BYTES = 8 * 2**20
# JSON nested deeper than this is refused before parsing: the json module parses nesting by
# recursion, which 50,000 brackets turn into a RecursionError. A record or index header
# nests one or two levels; metadata beside them has room.
MAX_JSON_DEPTH = 64
# A named pipe that has not been written to after this long gets a message, then is waited for.
PIPE_WAIT_SECONDS = 1.0

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# A JSON string: brackets inside one are text, not nesting.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


class RefusedInput(ValueError):
    """Input refused before or while reading it; the message says why, without the file
    name, which the caller puts in front."""


def open_input(
    path: str | os.PathLike[str],
    *,
    pipes: bool = True,
    devices: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> BinaryIO:
    """``path`` opened for reading bytes, refusing what cannot be read as a file.

    A directory raises IsADirectoryError. A named pipe (unless ``pipes`` is False) is opened
    without blocking, and if nothing has been written to it within a second, ``on_wait`` is
    called with a message before waiting on. A device (``/dev/zero``, a terminal), unless
    ``devices`` is True, a socket, and a pipe when ``pipes`` is False raise RefusedInput
    saying what the file is. Other failures raise OSError with the path.

    >>> open_input("/dev/null", devices=False)
    Traceback (most recent call last):
    spindetect._inputs.RefusedInput: a character device, expected a regular file or a named pipe
    """
    name = os.fspath(path)
    descriptor = os.open(name, _OPEN_FLAGS)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", name)
        accepted = stat.S_ISREG(mode) or (
            (pipes and stat.S_ISFIFO(mode))
            or (devices and (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)))
        )
        if not accepted:
            expected = "a regular file or a named pipe" if pipes else "a regular file"
            raise RefusedInput(f"{file_kind(mode)}, expected {expected}")
        if stat.S_ISFIFO(mode):
            _wait_for_data(descriptor, name, on_wait)
        if _OPEN_FLAGS & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def file_kind(mode: int) -> str:
    """What a file of ``mode`` (``st_mode``) is, in words: "a named pipe", "a regular file"."""
    for test, kind in _FILE_KINDS:
        if test(mode):
            return kind
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _wait_for_data(descriptor: int, name: str, on_wait: Callable[[str], None] | None) -> None:
    """Block until a named pipe has data or its writer closed it; say so if that takes long."""
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    if poller.poll(PIPE_WAIT_SECONDS * 1000):
        return
    if on_wait is not None:
        on_wait(f"{name}: waiting for a program to write to this named pipe")
    poller.poll()


def read_limited(handle: BinaryIO, *, limit: int = MAX_TEXT_BYTES) -> bytes:
    """All of ``handle``'s bytes, or RefusedInput if there are more than ``limit``.

    A regular file is refused from its size before anything is read; anything else (a
    device, a pipe) is read up to one byte past the limit, so ``/dev/zero`` costs ``limit``
    bytes of memory, not all of it.
    """
    try:
        status = os.fstat(handle.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file: standard input in tests
        status = None
    if status is not None and stat.S_ISREG(status.st_mode) and status.st_size > limit:
        raise RefusedInput(_too_large(limit, status.st_size))
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise RefusedInput(_too_large(limit))
    return data


def _too_large(limit: int, size: int | None = None) -> str:
    """Why a text is refused; a size that rounds to the limit is given in bytes too ("is
    8.0 MiB" beside "at most 8 MiB" would read as no reason).

    >>> _too_large(8 * 2**20, 8 * 2**20 + 1)
    'is 8.0 MiB (8,388,609 bytes); spindetect reads at most 8 MiB (8,388,608 bytes) of one text'
    >>> _too_large(8 * 2**20, 3 * 2**30)
    'is 3 GiB; spindetect reads at most 8 MiB of one text'
    """
    close = size is not None and size < 2 * limit and limit >= 2**10  # under 1 KiB: bytes already
    if size is None:
        what = f"holds more than {size_text(limit)}"
    else:
        what = f"is {size_text(size)}" + (f" ({size:,} bytes)" if close else "")
    bound = size_text(limit) + (f" ({limit:,} bytes)" if close else "")
    return f"{what}; spindetect reads at most {bound} of one text"


def size_text(size: int) -> str:
    """A byte count for people: ``size_text(8 * 2**20) == "8 MiB"``.

    >>> size_text(8 * 2**20), size_text(3 * 2**30 + 1), size_text(512)
    ('8 MiB', '3.0 GiB', '512 bytes')
    """
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if size % scale == 0 else f"{value:.1f} {unit}"
    return f"{size} bytes"


def read_lines(handle: BinaryIO, *, limit: int = MAX_TEXT_BYTES) -> Iterator[bytes | None]:
    """Each line of ``handle`` (with its line end), or None for a line longer than ``limit``
    bytes, whose bytes are skipped without being kept. Memory stays under ``limit``."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):  # the rest of the long line
            line = handle.readline(limit)
        yield None


def json_too_deep(data: bytes, *, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets nest more than ``limit`` deep in the JSON text ``data``, found
    without recursion (and without a pass when there are too few brackets to tell).

    >>> json_too_deep(b'{"id": "[[[", "text": [1, [2]]}', limit=2)
    True
    >>> json_too_deep(b'{"id": "[[[", "text": [1, [2]]}', limit=3)
    False
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    skeleton = np.frombuffer(_JSON_STRING.sub(b'""', data), dtype=np.uint8)
    opens = (skeleton == ord("[")) | (skeleton == ord("{"))
    closes = (skeleton == ord("]")) | (skeleton == ord("}"))
    depth = np.cumsum(opens.astype(np.int64) - closes.astype(np.int64), dtype=np.int64)
    return int(depth.max(initial=0)) > limit


