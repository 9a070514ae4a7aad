"""Write generated figures into their own section of docs/evaluation.md.

Each evaluation script owns the text between ``<!-- NAME -->`` and ``<!-- /NAME -->``; the
rest of the file (the method, the signals, what fails: written by hand) is left as it is. A
section not yet in the file is appended at its end.
"""

from __future__ import annotations

import datetime
import platform
from pathlib import Path

EVALUATION = Path(__file__).resolve().parent.parent / "docs" / "evaluation.md"

__all__ = ["write"]


def write(name: str, body: str, path: Path = EVALUATION) -> None:
    """Replace section ``name`` of ``path`` by ``body`` and a line saying when and where it was
    produced."""
    begin, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    stamp = f"({datetime.date.today().isoformat()}, Python {platform.python_version()}, {platform.machine()})"
    block = f"{begin}\n\n{body.rstrip()}\n\n{stamp}\n\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Evaluation\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{block}{tail}"
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
