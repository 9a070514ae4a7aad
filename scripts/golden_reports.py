"""Regenerate the golden reports in ``tests/golden/``, after a deliberate change of the reports.

    python scripts/golden_reports.py          # rewrite every case's "report"
    python scripts/golden_reports.py --check  # list the cases whose report has changed

Each ``tests/golden/*.json`` case names its inputs, either texts (``"article"``,
``"reference"``) or seed files (``"article_file"``, ``"reference_file"``, relative to the
repository), and holds the full ``Report.to_dict()`` that ``compare`` gives for them at the
default threshold. ``tests/test_golden.py`` fails when a report differs from its case, so a
change to tokenizing, alignment, extraction or scoring shows up as a reviewed diff of these
files. To add a case, write a file with its ``"label"`` and inputs and run this script.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
sys.path.insert(0, str(ROOT / "src"))

from spindetect import compare  # noqa: E402


def case_texts(case: dict[str, Any]) -> tuple[str, str]:
    """The (article, reference) a golden case compares: its texts, or its seed files read."""
    if "article_file" in case:
        return tuple(  # type: ignore[return-value]
            (ROOT / case[key]).read_text(encoding="utf-8")
            for key in ("article_file", "reference_file")
        )
    return case["article"], case["reference"]


def case_file_text(case: dict[str, Any]) -> str:
    """A case as its file's text: stable key order, readable Unicode, one field a line and
    each span on one line (a JSON string never holds a raw newline, so no text is touched)."""
    text = json.dumps(case, ensure_ascii=False, indent=1)
    return re.sub(r"\[\n\s*(-?\d+),\n\s*(-?\d+)\n\s*\]", r"[\1, \2]", text) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only list changed cases")
    options = parser.parse_args(argv)
    changed = []
    for path in sorted(GOLDEN.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        case["report"] = compare(*case_texts(case)).to_dict()
        text = case_file_text(case)
        if path.read_text(encoding="utf-8") != text:
            changed.append(path.name)
            if not options.check:
                path.write_text(text, encoding="utf-8")
    verb = "differ from a fresh run" if options.check else "rewritten"
    print(f"{len(changed)} golden reports {verb}" + "".join(f"\n  {name}" for name in changed))
    return 1 if options.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
