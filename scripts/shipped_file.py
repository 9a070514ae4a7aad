"""Write a built data file into the package, or check that the shipped one is up to date.

Shared by the build scripts: those that build text (build_confusables.py,
build_spinner_rules.py, fit_model.py) call ``write_or_check`` with it; those that write a
binary table (build_forms.py, build_frequencies.py, build_senses.py) call
``write_or_check_file`` with the function that writes it; those that write a table and its
section of data/LICENSES.md (build_bigrams.py, build_language_model.py) call
``write_or_check_table_and_section``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_or_check(path: Path, text: str, *, check: bool) -> int:
    """With ``check``, exit status 0 if ``path`` holds exactly ``text`` (1 if not); else write it."""
    if check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path.name} is up to date" if same else f"{path.name} differs from a fresh build")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({text.count(chr(10))} lines)")
    return 0


def write_or_check_file(path: Path, write: Callable[[Path], None], *, check: bool) -> int:
    """With ``check``, exit status 0 if ``write`` gives exactly the bytes ``path`` holds (it
    writes into a temporary folder; 1 if not); else let it write ``path``."""
    if check:
        with tempfile.TemporaryDirectory() as folder:
            fresh = Path(folder) / path.name
            write(fresh)
            same = path.exists() and fresh.read_bytes() == path.read_bytes()
        print(f"{path.name} is up to date" if same else f"{path.name} differs from a fresh build")
        return 0 if same else 1
    write(path)
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


# A build script that ships a data file beside the lexicon's keeps its license notice in
# data/LICENSES.md between these two lines, so that rebuilding either leaves the other's text.
SECTION_BEGIN = "<!-- begin section written by scripts/{script} -->"
SECTION_END = "<!-- end section written by scripts/{script} -->"
_SECTION = re.compile(
    r"<!-- begin section written by scripts/(\S+) -->\n.*?"
    r"<!-- end section written by scripts/\1 -->\n",
    re.DOTALL,
)


def with_section(document: str, script: str, section: str) -> str:
    """``document`` with the section owned by ``script`` replaced by ``section`` (appended
    when it has none), framed by the marker lines."""
    begin, end = SECTION_BEGIN.format(script=script), SECTION_END.format(script=script)
    framed = f"{begin}\n{section.rstrip()}\n{end}\n"
    for match in _SECTION.finditer(document):
        if match.group(1) == script:
            return document[: match.start()] + framed + document[match.end() :]
    return document.rstrip("\n") + "\n\n" + framed


def write_or_check_table_and_section(
    data_dir: Path, script: str, write: Callable[[Path], tuple[Path, str]], *, check: bool
) -> int:
    """For a script that builds one table and its section of ``data_dir``/LICENSES.md:
    ``write(folder)`` writes the table into ``folder`` and returns its path and the section.
    With ``check`` it writes into a temporary folder and compares both with the shipped ones
    (exit status 0 if the same, 1 if not); else it writes them into ``data_dir``."""
    licenses = data_dir / "LICENSES.md"
    with tempfile.TemporaryDirectory() as folder:
        path, section = write(Path(folder) if check else data_dir)
        text = with_section(licenses.read_text(encoding="utf-8"), script, section)
        if check:
            same_data = path.read_bytes() == (data_dir / path.name).read_bytes()
            same_text = text == licenses.read_text(encoding="utf-8")
            print("check: OK" if same_data and same_text else
                  f"check: {path.name} {'same' if same_data else 'differs'}, "
                  f"LICENSES.md {'same' if same_text else 'differs'}")
            return 0 if same_data and same_text else 1
        licenses.write_text(text, encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size} bytes) and its section of {licenses}")
    return 0


def sections(document: str) -> str:
    """Every section of ``document`` that another build script owns, in order, for a script
    that rewrites the rest of the file to append again."""
    return "".join("\n" + match.group(0) for match in _SECTION.finditer(document))
