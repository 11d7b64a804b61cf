"""Benchmark the renderer: HTML size, build time and time to first render in headless Chromium.

Prints storymap's map of the seed story side by side with a plain folium map of the same
places (default folium: CDN scripts, OpenStreetMap tiles, Marker + Popup), both measured in
the same run; also how many of the story's mentions became controls in the chapter text, and
how long activating one takes to open its place's popup (reduced motion: no fly animation).
Targets (issue 3): seed map <= 500 KB self-contained, first render <= 300 ms,
0 external requests. The browser runs offline: every non-file request is counted and aborted.
The two pages load in turn, each in a new browser context, with a short pause after each page is
closed (its tear-down would otherwise fall inside the next page's measurement).

The browser runs without the omnibox popup that Chromium (156, "new" headless) builds for every
new window: two pages (chrome://omnibox-popup.top-chrome/) in a renderer process of their own,
which took 0.7-1.0 s of CPU from each new context on, that is right during each measured load; on
two cores the figures measured the browser opening a window as much as the page. A reader opens
the map in a browser whose window is already set up. Both pages are measured the same way
(``launch``).

    python bench/render.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import browsing  # noqa: E402
import folium  # noqa: E402

from storymap.model import Story  # noqa: E402
from storymap.render import render_html  # noqa: E402

LOCAL = browsing.LOCAL


def seed_story() -> tuple[Story, str]:
    """The seed article's story, through the whole pipeline."""
    from storymap import pipeline

    return pipeline.load(None), "seed article (pipeline)"


def plain_folium(story: Story) -> str:
    """What a folium user writes by hand for the same places: markers with popups, polygons, tiles."""
    fmap = folium.Map(tiles="OpenStreetMap")
    for place in story.places:
        text = place.mentions[0].sentence if place.mentions else place.name
        if place.geometry is not None:
            folium.GeoJson(place.geometry, tooltip=place.name).add_to(fmap)
        else:
            folium.Marker([place.lat, place.lon], popup=folium.Popup(text), tooltip=place.name).add_to(fmap)
    if story.places:
        lats = [p.lat for p in story.places]
        lons = [p.lon for p in story.places]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
    return fmap.get_root().render()


def timed(fn, runs: int) -> tuple[str, float]:
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return out, statistics.median(times)


def launch(pw):
    """Chromium without the omnibox popup of every new window (``browsing.launch``, which the tests
    use too), with a warning if browser UI pages still come with a new window (for example after a
    Chromium update renames the popup's features)."""
    browser = browsing.launch(pw)
    context = browser.new_context()
    context.new_page()
    time.sleep(SETTLE_S)  # the popup's pages, if any, are made with the window
    targets = browser.new_browser_cdp_session().send("Target.getTargets")["targetInfos"]
    context.close()
    ui = [t["url"] for t in targets if t["type"] == "browser_ui"]
    if ui:
        print(f"warning: Chromium builds browser UI pages for each window: {', '.join(ui)}", file=sys.stderr)
    return browser


def _offline(route) -> None:
    if route.request.url.startswith(LOCAL):
        route.continue_()
    else:
        route.abort()


def _load(browser, path: Path, script: str, then: str | None) -> tuple[float, int, float | None]:
    """One offline page load: ms to ``script`` (and to ``then``, if given), external requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    seen: list[str] = []
    context.on("request", lambda r, seen=seen: seen.append(r.url))
    context.route("**/*", _offline)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    ms = page.wait_for_function(script, timeout=30_000).json_value()
    later = page.wait_for_function(then, timeout=30_000).json_value() if then else None
    external = len([u for u in seen if not u.startswith(LOCAL)])
    context.close()
    time.sleep(SETTLE_S)
    return ms, external, later


#: Pause after closing a page, so that its tear-down does not overlap the next load's measurement.
SETTLE_S = 0.5


def first_render(browser, pages: list[tuple[Path, str, str | None]], runs: int) -> list[dict]:
    """Per page: median and best ms from navigation start to first render, external requests, and
    the median ms to the page being fully set up (if a ``then`` script is given). The pages load in
    turn, run after run, so that load on the machine falls on each of them alike."""
    results = [{"times": [], "external": 0, "later": []} for _ in pages]
    for _ in range(runs):
        for (path, script, then), res in zip(pages, results, strict=True):
            ms, external, later = _load(browser, path, script, then)
            res["times"].append(ms)
            res["external"] = max(res["external"], external)
            if later is not None:
                res["later"].append(later)
    return [
        {
            "median": statistics.median(r["times"]),
            "best": min(r["times"]),
            "external": r["external"],
            "ready": statistics.median(r["later"]) if r["later"] else None,
        }
        for r in results
    ]


#: From activating a mention in the chapter text to its place's popup being open (no animation).
MENTION_TO_POPUP = """async () => {
  const el = document.querySelector('.sm-chapter .sm-mention');
  storymap.showChapter(Number(el.closest('.sm-chapter').dataset.chapter));
  const t0 = performance.now();
  const opened = new Promise(done => storymap.map.once('popupopen', () => done(performance.now() - t0)));
  el.click();
  return await opened;
}"""


def mention_to_popup(browser, path: Path, runs: int) -> float | None:
    """Median ms from clicking the first mention in the text to its popup, with reduced motion."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
        context.route("**/*", _offline)
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-storymap-ready]")
        if page.locator(".sm-mention").count() == 0:
            context.close()
            return None
        times.append(page.evaluate(MENTION_TO_POPUP))
        context.close()
    return statistics.median(times)


def linked_mentions(story: Story, html: str) -> tuple[int, int]:
    """Mention controls in the page, and mentions whose sentence is in some chapter's text."""
    texts = [t for c in story.chapters for t in c.text]
    in_text = sum(any(m.sentence in t for t in texts) for p in story.places for m in p.mentions)
    return html.count('class="sm-mention '), in_text


#: storymap marks the first frame painted with its whole first view (basemap, places, labels, panel);
#: set-up that draws nothing in that view follows, then the page marks itself ready.
OURS_RENDERED = "(performance.getEntriesByName('storymap-painted')[0] || {}).startTime"
OURS_READY = "(performance.getEntriesByName('storymap-ready')[0] || {}).startTime"
#: Plain folium has no such mark: the end of its load event (offline it draws nothing).
PLAIN_RENDERED = "performance.getEntriesByType('navigation')[0].loadEventEnd || undefined"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions per measurement (median)")
    args = parser.parse_args()

    story, origin = seed_story()
    ours, ours_s = timed(lambda: render_html(story), args.runs)
    plain, plain_s = timed(lambda: plain_folium(story), args.runs)
    counts = f"{len(story.places)} places, {len(story.layers)} layers, {len(story.chapters)} chapters"
    print(f"story: {origin}: {counts}")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        ours_path, plain_path = Path(tmp) / "storymap.html", Path(tmp) / "folium.html"
        ours_path.write_text(ours, encoding="utf-8")
        plain_path.write_text(plain, encoding="utf-8")
        browser = launch(pw)
        ours_r, plain_r = first_render(
            browser, [(ours_path, OURS_RENDERED, OURS_READY), (plain_path, PLAIN_RENDERED, None)], args.runs
        )
        ours_ms, ours_best, ours_ext, ours_ready = ours_r.values()
        plain_ms, plain_best, plain_ext, _ = plain_r.values()
        to_popup = mention_to_popup(browser, ours_path, args.runs)
        context = browser.new_context()
        context.route("**/*", _offline)
        page = context.new_page()
        page.goto(plain_path.as_uri())
        plain_blank = page.locator(".leaflet-container").count() == 0
        context.close()
        browser.close()

    rows = [
        ("HTML size (KB)", f"{len(ours.encode()) / 1024:.1f}", f"{len(plain.encode()) / 1024:.1f}", "<= 500"),
        ("self-contained", "yes", "no (CDN)", "yes"),
        ("build time (ms)", f"{ours_s * 1000:.1f}", f"{plain_s * 1000:.1f}", ""),
        ("first render, median (ms)", f"{ours_ms:.0f}", f"{plain_ms:.0f}", "<= 300"),
        ("first render, best (ms)", f"{ours_best:.0f}", f"{plain_best:.0f}", ""),
        ("fully set up, median (ms)", f"{ours_ready:.0f}", "-", ""),
        ("external requests", str(ours_ext), str(plain_ext), "0"),
        ("map drawn offline", "yes", "no" if plain_blank else "yes", "yes"),
        ("mentions linked in the text", "{}/{}".format(*linked_mentions(story, ours)), "0", ""),
        ("mention -> popup (ms)", "-" if to_popup is None else f"{to_popup:.0f}", "-", ""),
    ]
    print(f"{'':28} {'storymap':>12} {'plain folium':>14} {'target':>8}")
    for name, a, b, target in rows:
        print(f"{name:28} {a:>12} {b:>14} {target:>8}")
    print(f"size ratio storymap/folium: {len(ours) / len(plain):.1f}x")
    print(f"build time ratio storymap/folium: {ours_s / plain_s:.1f}x")


if __name__ == "__main__":
    main()
