"""The glance test: what a reader sees in each chapter of the seed map, on a desktop and a phone.

Real Chromium (Playwright). For every chapter: the view frames the chapter's point places
(each in the part of the map the panel or bottom sheet leaves free, not covered by anything)
and is not much wider than its places need; the points in view carry their names on the map;
no two labels overlap.
"""

from __future__ import annotations

import json

import pytest
from browsing import Session

from storymap.render import render_html
from storymap.render.assets import html_json
from storymap.render.framing import main_body

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": (1280, 800), "phone": (375, 667)}
#: The view may be this many times what the chapter's places need, plus MARGIN_PX of room.
SPAN_FACTOR = 2.5
MARGIN_PX = 60

#: For chapter n: the free map area, each point place's marker and what covers its middle, the
#: labels shown, and the pixel box the chapter's places need at the current zoom.
PROBE = """(n) => {
  if (n !== null) storymap.showChapter(n);
  const map = storymap.map, box = map.getContainer().getBoundingClientRect();
  const panel = document.getElementById('sm-panel').getBoundingClientRect();
  const phone = innerWidth <= 600;
  const free = phone ? {left: 0, top: 0, right: box.width, bottom: panel.top}
                     : {left: panel.right, top: 0, right: box.width, bottom: box.height};
  const points = {};
  for (const [id, layer] of Object.entries(storymap.features)) {
    if (!layer.getLatLng || !map.hasLayer(layer)) continue;
    const path = document.querySelector(`.leaflet-interactive[data-place="${id}"]`);
    const r = path.getBoundingClientRect();
    const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    const top = document.elementFromPoint(x, y);
    points[id] = {x, y, top: top && top.getAttribute('data-place'), inside:
      x >= free.left && x <= free.right && y >= free.top && y <= free.bottom};
  }
  const labels = [...document.querySelectorAll('.sm-label, .sm-ref-label, .sm-baselabel')]
    .filter(el => !el.hidden && getComputedStyle(el).display !== 'none'
                  && getComputedStyle(el.parentNode).visibility !== 'hidden')
    .map(el => { const r = el.getBoundingClientRect();
      return {id: el.getAttribute('data-place'), text: el.textContent,
              left: r.left, top: r.top, right: r.right, bottom: r.bottom}; });
  return {free, points, labels, zoom: map.getZoom()};
}"""


def assert_apart(labels: list[dict], where: str) -> None:
    """No two label boxes (``left``/``right``/``top``/``bottom`` in pixels) overlap."""
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = (
                a["right"] <= b["left"]
                or b["right"] <= a["left"]
                or a["bottom"] <= b["top"]
                or b["bottom"] <= a["top"]
            )
            assert apart, f"{where}: labels {a['text']!r} and {b['text']!r} overlap"


def _need_px(page, story, n: int) -> tuple[float, float]:
    """Width and height (px at the current zoom) of what chapter n's places need: the points and
    the main body of each area."""
    ids = [p.id for p in story.places] if n == 0 else story.chapters[n - 1].places
    corners = []
    for place in (p for p in story.places if p.id in ids):
        if place.geometry is None:
            corners += [(place.lat, place.lon)]
        else:
            west, south, east, north = main_body(place.geometry).bounds
            corners += [(south, west), (north, east)]
    pts = page.evaluate(
        "(cs) => cs.map(([lat, lon]) => { const p = storymap.map.project([lat, lon]); return [p.x, p.y]; })",
        corners,
    )
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return max(xs) - min(xs), max(ys) - min(ys)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_each_chapter_frames_and_names_its_places_without_overlap(browser, seed_page, seed_story, device):
    width, height = VIEWPORTS[device]
    s = Session(browser, width, height, reduced_motion="reduce")
    try:
        s.open(seed_page)
        points = {p.id: p for p in seed_story.places if p.geometry is None}
        assert len(points) >= 5
        for n in range(len(seed_story.chapters) + 1):
            seen = s.page.evaluate(PROBE, n)
            where = f"{device}, chapter {n}"
            free = seen["free"]
            ids = list(points) if n == 0 else [i for i in seed_story.chapters[n - 1].places if i in points]
            # Every point place of the chapter lies in the free part of the map, nothing over it.
            for pid in ids:
                mark = seen["points"][pid]
                assert mark["inside"], f"{where}: {pid} at {mark} is outside the free map area {free}"
                assert mark["top"] in points, f"{where}: {pid}'s marker is covered by {mark['top']!r}"
            # The view is not much bigger than what the places need (the binding dimension).
            need_w, need_h = _need_px(s.page, seed_story, n)
            free_w, free_h = free["right"] - free["left"], free["bottom"] - free["top"]
            fill = max((need_w + MARGIN_PX) / free_w, (need_h + MARGIN_PX) / free_h)
            assert fill >= 1 / SPAN_FACTOR, f"{where}: the places fill only {fill:.0%} of the view"
            # At least 90 % of the point places in view carry their name on the map.
            in_view = [pid for pid, m in seen["points"].items() if m["inside"] and m["top"] in points]
            names = {lab["id"]: lab["text"] for lab in seen["labels"] if lab["id"] in points}
            named = {pid for pid, text in names.items() if text == points[pid].name}
            labelled = [pid for pid in in_view if pid in named]
            assert len(labelled) >= 0.9 * len(in_view), f"{where}: labelled {labelled} of {in_view}"
            # Labels lie on the free map and never overlap one another.
            labels = seen["labels"]
            for a in labels:
                assert a["left"] >= 0 and a["right"] <= width and a["top"] >= 0, f"{where}: {a} off screen"
            assert_apart(labels, where)
        assert s.errors == []
    finally:
        s.context.close()


def _visible_label(page, place_id: str) -> bool:
    return page.evaluate(
        """(id) => {
          const el = document.querySelector(`.sm-label[data-place="${id}"]`);
          return !!el && !el.hidden && getComputedStyle(el.parentNode).visibility !== 'hidden';
        }""",
        place_id,
    )


def test_labels_follow_their_layer_and_seas_are_in_italics(browser, seed_page, seed_story):
    s = Session(browser, 1280, 800, reduced_motion="reduce")
    try:
        s.open(seed_page, "#chapter=0")
        # the first layer with a point place (a layer may hold only areas)
        key, point = next(
            (str(i + 1), p)
            for i, layer in enumerate(seed_story.layers)
            for p in seed_story.places
            if p.layer == layer.id and p.geometry is None
        )
        assert _visible_label(s.page, point.id)
        s.page.keyboard.press(key)  # that layer off: its labels go with it
        s.settle()
        assert not _visible_label(s.page, point.id)
        s.page.keyboard.press(key)
        s.settle()
        assert _visible_label(s.page, point.id)
        sea = next(p for p in seed_story.places if p.kind == "water")
        chapter = next(i + 1 for i, c in enumerate(seed_story.chapters) if sea.id in c.places)
        s.page.evaluate("(n) => storymap.showChapter(n)", chapter)
        s.settle()
        assert _visible_label(s.page, sea.id)
        style = s.page.locator(f'.sm-label[data-place="{sea.id}"]').evaluate(
            "el => getComputedStyle(el).fontStyle"
        )
        assert style == "italic"
        assert (
            s.page.locator("#sm-labels, .leaflet-sm-labels-pane").first.get_attribute("aria-hidden") == "true"
        )
        assert s.errors == []
    finally:
        s.context.close()


def test_basemap_reference_labels_give_way_to_the_story(browser, tmp_path, seed_story):
    washington = next(p for p in seed_story.places if p.id == "washington")
    page = render_html(seed_story)
    start = page.index('id="storymap-basemap">') + len('id="storymap-basemap">')
    end = page.index("</script>", start)
    base = json.loads(page[start:end])
    base["labels"] = [
        # Right on Washington's label: the story's name wins, the reference label hides.
        {"text": "Baltimore", "lat": washington.lat, "lon": washington.lon + 0.2, "kind": "city", "rank": 0},
        {"text": "Gulf of <b>Mexico</b>", "lat": 25.0, "lon": -90.0, "kind": "sea", "rank": 1},
        {"text": "Colombia", "lat": 4.0, "lon": -72.0, "kind": "country", "rank": 0},  # the story names it
        {"text": "Tampa", "lat": 27.95, "lon": -82.46, "kind": "city", "rank": 2, "minzoom": 9},  # later
        {"text": "Havana", "lat": 23.13, "lon": -82.38, "kind": "capital", "rank": 1, "minzoom": 2},
    ]
    path = tmp_path / "base.html"
    path.write_text(page[:start] + str(html_json(base)) + page[end:], encoding="utf-8")
    s = Session(browser, 1280, 800, reduced_motion="reduce")
    try:
        s.open(path, "#chapter=1")
        assert _visible_label(s.page, "washington")
        shown = s.page.evaluate(
            "[...document.querySelectorAll('.sm-ref-label')].filter(e => !e.hidden).map(e => e.textContent)"
        )
        assert "Gulf of <b>Mexico</b>" in shown  # literal text, lighter style
        assert "Havana" in shown
        # A town's dot shows beside its name; a sea's name is in italics, not capitals.
        havana = s.page.locator(".sm-ref-label", has_text="Havana")
        dot = havana.locator(".sm-ref-dot").bounding_box()
        assert dot and dot["width"] >= 3
        assert havana.evaluate("e => getComputedStyle(e).overflow") == "visible"  # the dot is outside the box
        gulf = s.page.locator(".sm-ref-label", has_text="Gulf of")
        assert gulf.evaluate("e => [getComputedStyle(e).fontStyle, getComputedStyle(e).textTransform]") == [
            "italic",
            "none",
        ]
        assert "Baltimore" not in shown and "Colombia" not in shown and "Tampa" not in shown
        assert s.page.locator(".sm-ref-label b").count() == 0
        assert s.errors == []
    finally:
        s.context.close()


def test_a_chapter_across_the_antimeridian_shows_and_names_the_places_on_both_sides(browser, tmp_path):
    from test_render import square

    from storymap.model import Chapter, Layer, Place, Story

    places = [
        ("suva", "Suva", -18.14, 178.44),
        ("apia", "Apia", -13.83, -171.77),
        ("nuku", "Tonga", -21.14, -175.2),
    ]
    story = Story(
        title="Pacific",
        layers=[Layer(id="a", title="A", places=[p[0] for p in places])],
        places=[Place(id=i, name=n, kind="city", lat=la, lon=lo, layer="a") for i, n, la, lo in places]
        + [
            Place(
                id="zone",
                name="Zone",
                kind="water",
                lat=-16,
                lon=-172,
                layer="a",
                geometry=square(-174, -17, -170, -15),
            )
        ],
        chapters=[
            Chapter(id="c1", title="One", places=["suva", "apia", "zone"]),
            Chapter(id="c2", title="Two"),
        ],
    )
    path = tmp_path / "pacific.html"
    path.write_text(render_html(story), encoding="utf-8")
    s = Session(browser, 1280, 800, reduced_motion="reduce")
    try:
        s.open(path, "#chapter=1")
        for n in (1, 0, 1):
            seen = s.page.evaluate(PROBE, n)
            ids = ["suva", "apia"] if n == 1 else ["suva", "apia", "nuku"]
            for pid in ids:
                assert seen["points"][pid]["inside"], (n, pid, seen["points"][pid], seen["free"])
            assert {lab["id"] for lab in seen["labels"]} >= set(ids)
            zone = s.page.locator('path[data-place="zone"]').bounding_box()
            assert zone and zone["x"] >= seen["free"]["left"] and zone["x"] + zone["width"] <= 1280, zone
            span = s.page.evaluate(
                "(() => { const b = storymap.map.getBounds(); return b.getEast() - b.getWest(); })()"
            )
            assert span < 90  # a view of the islands, not of the whole world
        assert s.errors == []
    finally:
        s.context.close()


def test_a_hostile_place_name_is_shown_as_literal_text_on_the_map(browser, tmp_path):
    from test_render import hostile_story

    path = tmp_path / "hostile.html"
    path.write_text(render_html(hostile_story()), encoding="utf-8")
    s = Session(browser, 1280, 800, reduced_motion="reduce")
    try:
        s.open(path, "#chapter=1")
        label = s.page.locator('.sm-label[data-place="evil"]')
        assert label.is_visible()
        assert label.inner_text().startswith(
            "Evil</script><script>alert(1)</script><img src=x onerror=alert(1)>"
        )
        assert s.page.locator(".sm-label img, .sm-label script, [onerror]").count() == 0
        assert s.dialogs == [] and s.errors == []
    finally:
        s.context.close()


def test_labels_are_laid_out_again_after_zooming_and_panning(browser, seed_page, seed_story):
    points = {p.id: p.name for p in seed_story.places if p.geometry is None}
    s = Session(browser, 1280, 800, reduced_motion="reduce")
    try:
        s.open(seed_page, "#chapter=0")
        for move in (
            "void storymap.map.setZoom(storymap.map.getZoom() + 2, {animate: false})",
            "void storymap.map.panBy([-300, 120], {animate: false})",
            "void storymap.map.setZoom(storymap.map.getZoom() - 3, {animate: false})",
        ):
            s.page.evaluate(move)
            s.settle()
            seen = s.page.evaluate(PROBE, None)
            in_view = [pid for pid, m in seen["points"].items() if m["inside"]]
            shown = {lab["id"]: lab for lab in seen["labels"] if lab["id"] in points}
            assert sum(pid in shown for pid in in_view) >= 0.9 * len(in_view), (move, in_view, sorted(shown))
            for pid, lab in shown.items():  # beside its own dot, wherever the map went
                mark = seen["points"][pid]
                assert lab["left"] - 20 <= mark["x"] <= lab["right"] + 20, (move, pid, lab, mark)
                assert lab["top"] - 20 <= mark["y"] <= lab["bottom"] + 20, (move, pid, lab, mark)
        assert s.errors == []
    finally:
        s.context.close()


def test_a_crowd_of_places_gets_labels_that_never_touch(browser, tmp_path):
    from storymap.model import Chapter, Layer, Place, Story

    words = ["Ab", "Cdefg", "Hij", "Klmnopq", "Rs", "Tuvwxyz", "Oslo", "Lille", "Graz", "Brno", "Ulm"]
    places = [
        Place(
            id=f"p{i}",
            name=f"{words[i % 11]} {words[(i * 7) % 11]}",
            kind="city",
            lat=44 + (i * 37 % 17) * 0.6,
            lon=2 + (i * 53 % 23) * 0.7,
            layer="a",
        )
        for i in range(60)
    ]
    story = Story(
        title="Crowd",
        layers=[Layer(id="a", title="A", places=[p.id for p in places])],
        places=places,
        chapters=[Chapter(id="c1", title="One", places=[p.id for p in places[:30]])],
    )
    path = tmp_path / "crowd.html"
    path.write_text(render_html(story), encoding="utf-8")
    for width, height in VIEWPORTS.values():
        s = Session(browser, width, height, reduced_motion="reduce")
        try:
            s.open(path)
            for n in (0, 1):
                seen = s.page.evaluate(PROBE, n)
                labels = seen["labels"]
                assert len(labels) >= 10
                assert_apart(labels, f"width {width}, chapter {n}")
            assert s.errors == []
        finally:
            s.context.close()


def test_a_labelled_dot_shows_no_tooltip_repeating_its_name(browser, seed_page):
    visible_tips = """[...document.querySelectorAll('.leaflet-tooltip')]
      .filter(t => getComputedStyle(t).visibility === 'visible' && t.style.opacity !== '0')
      .map(t => t.textContent)"""
    s = Session(browser, 1280, 800, reduced_motion="reduce")
    try:
        s.open(seed_page, "#chapter=1")
        assert _visible_label(s.page, "washington")
        s.page.locator('path[data-place="washington"]').hover()
        s.page.wait_for_function("document.querySelectorAll('.leaflet-tooltip').length >= 1")
        assert s.page.evaluate(visible_tips) == []
        x, y = s.page.evaluate(
            "(() => { const p = storymap.map.latLngToContainerPoint([39, -98]); return [p.x, p.y]; })()"
        )
        s.page.mouse.move(x, y)
        s.page.wait_for_function(f"({visible_tips}).includes('United States')")  # an area keeps its tooltip
        assert s.errors == []
    finally:
        s.context.close()
