"""What a reader sees in each chapter of the seed map: frame, labels, overlaps (headless Chromium).

For every chapter, on a desktop (1280x800) and a phone (375x667): the zoom, the longitude span of
the free map (beside the panel, above the sheet), how many point places are in that free map and
how many of them carry their name on the map, the labels shown (story and basemap reference),
pairs of overlapping labels (target 0), and the time the runtime spends laying labels out.
Reduced motion: chapters switch without flights.

    python bench/glance.py [story-file-or-article]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browsing import launch  # noqa: E402

from storymap.render import render_html  # noqa: E402

VIEWPORTS = {"desktop": (1280, 800), "phone": (375, 667)}

PROBE = """(n) => {
  storymap.showChapter(n);
  const map = storymap.map, box = map.getContainer().getBoundingClientRect();
  const panel = document.getElementById('sm-panel').getBoundingClientRect();
  const phone = innerWidth <= 600;
  const free = phone ? {left: 0, top: 0, right: box.width, bottom: panel.top}
                     : {left: panel.right, top: 0, right: box.width, bottom: box.height};
  const lng = (x) => map.containerPointToLatLng([x, (free.top + free.bottom) / 2]).lng;
  const points = Object.entries(storymap.features).filter(([id, l]) => l.getLatLng && map.hasLayer(l))
    .map(([id, l]) => [id, map.latLngToContainerPoint(l.getLatLng())])
    .filter(([id, p]) => p.x >= free.left && p.x <= free.right && p.y >= free.top && p.y <= free.bottom)
    .map(([id]) => id);
  const labels = [...document.querySelectorAll('.sm-label, .sm-ref-label, .sm-baselabel')]
    .filter(el => !el.hidden && getComputedStyle(el).display !== 'none');
  const rects = labels.map(el => el.getBoundingClientRect());
  let overlaps = 0;
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
    const a = rects[i], b = rects[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++;
  }
  const named = new Set(labels.map(el => el.getAttribute('data-place')).filter(Boolean));
  return {zoom: map.getZoom(), span: lng(free.right) - lng(free.left), points: points.length,
          labelled: points.filter(id => named.has(id)).length,
          story: labels.filter(el => el.classList.contains('sm-label')).length,
          reference: labels.length - labels.filter(el => el.classList.contains('sm-label')).length,
          overlaps};
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", help="an article or story file (default: the seed article)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from storymap import pipeline

    story = pipeline.load(args.source)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        path = Path(tmp) / "map.html"
        path.write_text(render_html(story), encoding="utf-8")
        browser = launch(pw)
        print(
            f"{'device':8} {'ch':>2} {'zoom':>5} {'lon span':>9} {'points':>6} {'named':>5} "
            f"{'labels':>6} {'ref':>4} {'overlaps':>8}"
        )
        for device, (w, h) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": w, "height": h}, reduced_motion="reduce")
            page = context.new_page()
            page.goto(path.as_uri())
            page.wait_for_selector("html[data-storymap-ready]")
            for n in range(len(story.chapters) + 1):
                r = page.evaluate(PROBE, n)
                print(
                    f"{device:8} {n:>2} {r['zoom']:>5.2f} {r['span']:>8.1f}° {r['points']:>6} "
                    f"{r['labelled']:>5} {r['story']:>6} {r['reference']:>4} {r['overlaps']:>8}"
                )
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
