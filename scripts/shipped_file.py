"""Write a built data file into the package, or check that the shipped one is up to date.

Shared by the build scripts (build_confusables.py, build_spinner_rules.py, fit_model.py): each
builds its file's text deterministically, then calls ``write_or_check``.
"""

from __future__ import annotations

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
