"""Rebuild docs/report.png: the quick-start example's HTML report as headless Chromium shows it.

    python scripts/report_screenshot.py [--output docs/report.png]

Compares docs/examples/durov-spun.txt (seed 003's spinner output) with
docs/examples/durov-unspun.txt (its reference) exactly as the README's
``spindetect compare docs/examples/durov-spun.txt docs/examples/durov-unspun.txt --html
report.html`` does, opens the
page in Chromium (Debian package ``chromium``) at 1400x1000 with the first flagged swap's
hover card open (the page's own ``#a-sN`` link target), and saves the screenshot as a
256-colour PNG so it stays small. Rerun it whenever the scorer or the page changes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from spindetect import compare

ROOT = Path(__file__).resolve().parent.parent
WINDOW = "1400,1000"
# Kept under this size so the README stays light.
MAX_BYTES = 300_000


EXAMPLES = ROOT / "docs" / "examples"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "report.png")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("report_screenshot: no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    article_path, reference_path = EXAMPLES / "durov-spun.txt", EXAMPLES / "durov-unspun.txt"
    article = article_path.read_text(encoding="utf-8")
    reference = reference_path.read_text(encoding="utf-8")
    report = compare(article, reference)
    first = next((n for n, swap in enumerate(report.swaps) if swap.flagged), None)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        page.write_text(
            report.to_html(
                article, reference,
                article_name=str(article_path.relative_to(ROOT)),
                reference_name=str(reference_path.relative_to(ROOT)),
            ),
            encoding="utf-8",
        )
        shot = Path(folder) / "shot.png"
        url = page.as_uri() + (f"#a-s{first}" if first is not None else "")
        subprocess.run(
            [
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                f"--user-data-dir={Path(folder) / 'profile'}", f"--window-size={WINDOW}",
                "--hide-scrollbars", f"--screenshot={shot}", url,
            ],
            check=True, capture_output=True,
        )
        image = Image.open(shot).convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        image.save(args.output, optimize=True)
    size = args.output.stat().st_size
    print(f"{args.output}: {image.size[0]}x{image.size[1]}, {size:,} bytes")
    return 0 if size <= MAX_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
