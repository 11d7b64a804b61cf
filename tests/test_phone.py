"""Phones, embeds and projectors: the seed map as a reader sees it on those screens (real Chromium).

What is checked is what a person sees: the legend can be reached, a popup opened from the text
lies wholly on screen and above the story sheet, folding the sheet refits the chapter, a 16:9
embed on a phone still shows map and navigation, F gives full screen, a projector gets larger type
and markers, and the chapter text never covers the chapter's places.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import Session

from storymap import pipeline
from storymap.embed import embed_snippet

pytestmark = pytest.mark.browser

PHONE = (375, 667)


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("seed")
    paths = {"map": pipeline.build(None, root / "seed.html").path}
    paths["embed"] = pipeline.build(None, root / "seed-embed.html", embed=True).path
    host = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><meta name='viewport' "
        "content='width=device-width, initial-scale=1'><title>Article</title>"
        "<style>body{margin:0}</style></head><body><p>Text before the map.</p>"
        + embed_snippet("seed-embed.html", aspect="16:9", title="Map")
        + "<p>Text after the map.</p></body></html>"
    )
    paths["host"] = root / "host.html"
    paths["host"].write_text(host, encoding="utf-8")
    return paths


def _rect(page, selector: str) -> dict[str, float]:
    return page.evaluate(
        "(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
        " width: r.width, height: r.height}; }",
        selector,
    )


def _points_in_chapter(page, n: int) -> list[dict]:
    """Screen positions of the chapter's point places (visible layers only)."""
    return page.evaluate(
        """(n) => {
          const ids = n === 0 ? Object.keys(storymap.features) : storymap.chapterPlacesOf(n);
          const shown = id => storymap.map.hasLayer(storymap.features[id]);
          return ids.filter(id => storymap.features[id].getLatLng && shown(id))
            .map(id => { const p = storymap.map.latLngToContainerPoint(storymap.features[id].getLatLng());
                         const m = storymap.map.getContainer().getBoundingClientRect();
                         return {id, x: p.x + m.left, y: p.y + m.top}; });
        }""",
        n,
    )


def test_on_a_phone_the_legend_is_above_the_sheet_and_opens_on_a_tap(browser, seed_site):
    s = Session(browser, *PHONE)
    try:
        s.open(seed_site["map"], "#chapter=1")
        page = s.page
        sheet = _rect(page, "#sm-panel")
        legend = _rect(page, "#sm-legend")
        assert legend["bottom"] <= sheet["top"] and legend["top"] >= 0 and legend["right"] <= PHONE[0]
        page.locator("#sm-legend summary").click()
        opened = _rect(page, "#sm-legend")
        assert opened["height"] > legend["height"]  # it opened
        assert opened["top"] >= 0 and opened["bottom"] <= sheet["top"]  # wholly visible, above the sheet
        first = page.locator("#sm-legend li").first
        assert first.is_visible()
        # Nothing covers it: the element at its middle is the legend itself.
        hit = page.evaluate(
            "() => { const r = document.querySelector('#sm-legend li').getBoundingClientRect();"
            " const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
            " return !!el.closest('#sm-legend'); }"
        )
        assert hit
        assert s.errors == []
    finally:
        s.context.close()


def test_on_a_phone_a_popup_opened_from_the_text_is_wholly_on_screen_above_the_sheet(browser, seed_site):
    s = Session(browser, *PHONE, reduced_motion="reduce")
    try:
        page = s.page
        s.open(seed_site["map"], "#chapter=1")
        chapters = page.evaluate("document.querySelectorAll('.sm-chapter').length") - 1
        opened = set()
        for n in range(1, chapters + 1):
            page.evaluate(f"storymap.showChapter({n})")
            s.settle()
            for pid in page.evaluate(
                f"[...new Set([...document.querySelectorAll('#sm-chapter-{n} .sm-mention')]"
                ".map(e => e.dataset.place))]"
            ):
                if pid in opened:
                    continue
                opened.add(pid)
                page.locator(f"#sm-chapter-{n} .sm-mention[data-place='{pid}']").first.click()
                s.popup_title()
                s.settle()
                page.wait_for_timeout(300)  # autopan
                s.settle()
                popup = _rect(page, ".leaflet-popup-content-wrapper")
                sheet = _rect(page, "#sm-panel")
                assert popup["left"] >= 0 and popup["right"] <= PHONE[0], (pid, popup)
                assert popup["top"] >= 0 and popup["bottom"] <= sheet["top"], (pid, popup, sheet["top"])
                page.keyboard.press("Escape")
        assert len(opened) >= 8
        assert s.errors == []
    finally:
        s.context.close()


def test_folding_and_unfolding_the_sheet_refits_the_chapter(browser, seed_site):
    s = Session(browser, *PHONE)
    try:
        page = s.page
        s.open(seed_site["map"], "#chapter=3")
        open_view = page.evaluate("[storymap.map.getZoom(), storymap.map.getSize().y]")
        map_box, sheet = _rect(page, ".folium-map"), _rect(page, "#sm-panel")
        assert abs(map_box["bottom"] - sheet["top"]) <= 1  # the map ends where the sheet begins
        page.locator(".sm-sheet-toggle").click()
        s.settle()
        folded = page.evaluate("[storymap.map.getZoom(), storymap.map.getSize().y]")
        map_box, sheet = _rect(page, ".folium-map"), _rect(page, "#sm-panel")
        assert abs(map_box["bottom"] - sheet["top"]) <= 1
        assert folded[1] > open_view[1] + 100  # the map grew into the room the sheet left
        for p in _points_in_chapter(page, 3):
            assert 0 <= p["x"] <= PHONE[0] and 0 <= p["y"] <= sheet["top"], p
        page.locator(".sm-sheet-toggle").click()
        s.settle()
        again = page.evaluate("[storymap.map.getZoom(), storymap.map.getSize().y]")
        assert again == open_view  # unfolding gives the same frame as before
        sheet = _rect(page, "#sm-panel")
        for p in _points_in_chapter(page, 3):
            assert 0 <= p["x"] <= PHONE[0] and 0 <= p["y"] <= sheet["top"], p
    finally:
        s.context.close()


def test_a_16_9_embed_on_a_phone_shows_the_map_and_a_usable_navigation(browser, seed_site):
    s = Session(browser, *PHONE)
    try:
        page = s.page
        page.goto(seed_site["host"].as_uri())
        page.frame_locator("iframe").locator("html[data-storymap-ready]").wait_for()
        frame_box = page.locator("iframe").bounding_box()
        assert abs(frame_box["height"] - PHONE[0] * 9 / 16) < 2
        child = next(f for f in page.frames if "seed-embed.html" in f.url)
        height = child.evaluate("window.innerHeight")
        sheet = _rect(child, "#sm-panel")
        nav = _rect(child, ".sm-nav")
        assert nav["top"] >= 0 and nav["bottom"] <= height + 0.5 and nav["right"] <= PHONE[0] + 0.5
        assert sheet["top"] >= 0.55 * height  # more than half the frame is map
        next_button = child.locator(".sm-next")
        assert next_button.is_visible()
        next_button.click()
        child.wait_for_function("storymap.state.chapter === 1")
        child.locator("#sm-chapter-select").select_option("3")
        child.wait_for_function("storymap.state.chapter === 3")
        assert s.errors == []
    finally:
        s.context.close()


def test_f_toggles_full_screen(session, seed_site):
    session.open(seed_site["map"])
    page = session.page
    page.locator(".folium-map").click(position={"x": 900, "y": 400})
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")


def test_on_a_projector_type_and_markers_grow_and_the_text_never_covers_the_places(browser, seed_site):
    sizes = {}
    for width, height in ((1280, 800), (1920, 1080)):
        s = Session(browser, width, height)
        try:
            page = s.page
            s.open(seed_site["map"])
            sizes[width] = page.evaluate(
                """() => ({
                  title: parseFloat(getComputedStyle(document.querySelector('.sm-title')).fontSize),
                  body: parseFloat(getComputedStyle(document.querySelector('.sm-panel-body')).fontSize),
                  legend: parseFloat(getComputedStyle(document.querySelector('.sm-legend')).fontSize),
                  radius: Math.max(...Object.values(storymap.features).filter(f => f.getRadius)
                                   .map(f => f.getRadius())),
                })"""
            )
            chapters = page.evaluate("document.querySelectorAll('.sm-chapter').length") - 1
            for n in range(chapters + 1):
                page.evaluate(f"storymap.showChapter({n}, {{animate: false}})")
                s.settle()
                panel = _rect(page, "#sm-panel")
                for p in _points_in_chapter(page, n):
                    assert panel["right"] < p["x"] <= width and 0 <= p["y"] <= height, (width, n, p)
        finally:
            s.context.close()
    small, big = sizes[1280], sizes[1920]
    for key in ("title", "body", "legend", "radius"):
        assert big[key] >= 1.4 * small[key], (key, small, big)


def test_the_derived_title_is_whole_and_short_on_a_phone_and_a_desktop(browser, seed_site):
    for width, height, most_lines in ((375, 667, 3), (1280, 800, 4)):
        s = Session(browser, width, height)
        try:
            s.open(seed_site["map"])
            lines, clipped = s.page.evaluate(
                """() => { const t = document.querySelector('.sm-title');
                  const lh = parseFloat(getComputedStyle(t).lineHeight);
                  const lines = Math.round(t.getBoundingClientRect().height / lh);
                  return [lines, t.scrollHeight > t.clientHeight + 1]; }"""
            )
            assert not clipped, (width, "the title is cut off")
            assert lines <= most_lines, (width, lines)
        finally:
            s.context.close()
