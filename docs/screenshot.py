"""Regenerate the seed map's screenshots in docs/: every chapter on a desktop and a phone.

python docs/screenshot.py            # docs/seed/desktop-0.png ... phone-N.png, docs/seed-map.png
python docs/screenshot.py --out DIR  # somewhere else

Uses Debian's Chromium through Playwright, with reduced motion so each chapter is shot where
its flight ends. docs/seed-map.png (the README's picture) is the desktop overview; the gallery
docs/seed/README.md lists every shot.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browsing import launch  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from storymap import pipeline  # noqa: E402

SCREENS = {"desktop": (1280, 800), "phone": (375, 667)}


def shoot(page_path: Path, out: Path) -> list[tuple[str, int, str, str]]:
    """Screenshots of every chapter on every screen; returns (screen, chapter, title, file)."""
    shots = []
    with sync_playwright() as pw:
        browser = launch(pw)
        for screen, (width, height) in SCREENS.items():
            viewport = {"width": width, "height": height}
            context = browser.new_context(viewport=viewport, reduced_motion="reduce")
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.wait_for_selector("html[data-storymap-ready]")
            count = page.evaluate("document.querySelectorAll('.sm-chapter').length")
            for n in range(count):
                page.evaluate(f"storymap.showChapter({n})")
                page.wait_for_function("!document.documentElement.hasAttribute('data-storymap-moving')")
                page.wait_for_timeout(300)  # labels are laid out after the move
                title = page.evaluate(f"document.getElementById('sm-chapter-{n}-title').textContent")
                name = f"{screen}-{n}.png"
                page.screenshot(path=str(out / name))
                shots.append((screen, n, title.strip(), name))
            context.close()
        browser.close()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "seed", help="folder for the shots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = pipeline.build(None, Path(tmp) / "seed.html").path
        shots = shoot(page_path, args.out)
    lines = ["# The seed map, chapter by chapter", "", "Made by `python docs/screenshot.py`.", ""]
    for screen in SCREENS:
        lines += [f"## {screen.capitalize()} ({SCREENS[screen][0]}x{SCREENS[screen][1]})", ""]
        lines += [f"### {n}. {title}\n\n![{title}]({name})\n" for s, n, title, name in shots if s == screen]
    (args.out / "README.md").write_text("\n".join(lines), encoding="utf-8")
    if args.out == ROOT / "docs" / "seed":
        shutil.copyfile(args.out / "desktop-0.png", ROOT / "docs" / "seed-map.png")
    print(f"Wrote {len(shots)} screenshots to {args.out}")


if __name__ == "__main__":
    main()
