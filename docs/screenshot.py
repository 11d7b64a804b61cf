"""Regenerate docs/seed-map.png: the bundled example in headless Chromium (Debian's).

python docs/screenshot.py [--hash '#chapter=3']
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from storymap import pipeline  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hash", default="#chapter=0", help="the view to show, e.g. '#chapter=3'")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "seed-map.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page_path = pipeline.build(None, Path(tmp) / "seed.html").path
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(page_path.as_uri() + args.hash)
            page.wait_for_selector("html[data-storymap-ready]")
            page.wait_for_timeout(1200)  # let the chapter's flight finish
            page.screenshot(path=str(args.output))
            browser.close()
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
