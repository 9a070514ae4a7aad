"""Build ``src/spindetect/data/confusables.tsv``: characters that imitate ASCII letters and digits.

    python scripts/build_confusables.py          # write the file
    python scripts/build_confusables.py --check  # fail if the shipped file differs

Source: Unicode's confusables data (``confusables.txt``, Unicode License v3) as packaged in
``confusable-homoglyphs`` 3.3.1 (MIT) on PyPI; the script downloads that wheel with pip into
a temporary folder and checks its sha256. Each line maps one lower-case character that NFKC
does not already fold to ASCII (Cyrillic "а", Greek "ο", Armenian "օ", ...) to the ASCII letter
or digit it imitates, so that matching sees through homoglyph substitution.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from shipped_file import write_or_check

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "spindetect" / "data" / "confusables.tsv"
WHEEL = "confusable_homoglyphs-3.3.1-py2.py3-none-any.whl"
WHEEL_SHA256 = "84c92cb79dc7f55aa290d0762b2349abd8dee4c16fbe6f99eac978d394e2e6a1"
HEADER = (
    "# spindetect confusables v1: character<TAB>ASCII it imitates. Derived from Unicode"
    " confusables.txt (Unicode License v3, (c) Unicode, Inc.) via confusable-homoglyphs 3.3.1"
    " (MIT, (c) Victor Felder, Elena Grandi); built by scripts/build_confusables.py"
)
ASCII_TARGETS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def download_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "-d", str(folder), "confusable-homoglyphs==3.3.1"],
        check=True, capture_output=True,
    )
    return folder / WHEEL


def build(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        table = json.loads(archive.read("confusable_homoglyphs/confusables.json"))
    mapping: dict[str, str] = {}
    for character, entries in table.items():
        if len(character) != 1 or character.isascii():
            continue
        folded = unicodedata.normalize("NFKC", character).casefold()
        if len(folded) != 1 or folded.isascii() or unicodedata.category(folded)[0] != "L":
            continue
        targets = sorted(
            entry["c"].casefold()
            for entry in entries
            if len(entry["c"]) == 1 and entry["c"].casefold() in ASCII_TARGETS
        )
        if targets:
            mapping.setdefault(folded, targets[0])
    lines = [HEADER] + [f"{char}\t{mapping[char]}" for char in sorted(mapping)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--wheel", type=Path, help="a local copy of the wheel")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        wheel = args.wheel or download_wheel(Path(folder))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            print(f"{wheel.name} has sha256 {digest}, expected {WHEEL_SHA256}", file=sys.stderr)
            return 1
        text = build(wheel)
    return write_or_check(OUTPUT, text, check=args.check)


if __name__ == "__main__":
    raise SystemExit(main())
