"""Browser tests of the basemap: what a reader sees at city zoom around a story's places."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_basemap import MADRID, MIAMI, STRASBOURG, story
from test_bounds import json_block

from storymap.model import Layer
from storymap.render import basemap as B
from storymap.render import render_html

pytestmark = pytest.mark.browser

#: Colours of runtime/basemap.js and storymap.css: land fill, sea background.
LAND = (244, 241, 234)
SEA = (207, 227, 239)

#: Counts, over the middle of the basemap canvas (the sea is the map's background: clear pixels
#: there): land/sea changes along every 4th row, and pixels of border ink
#: (darker and greyer than the land, unlike sea, land or the story's coloured marks).
CANVAS_STATS = """([LAND, SEA]) => {
  const c = document.querySelector('.leaflet-sm-basemap-pane canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const near = (i, rgb) =>
    Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 12;
  let changes = 0, ink = 0, land = 0;
  for (let y = c.height >> 2; y < c.height * 3 / 4; y += 4) {
    let last = null;
    for (let x = c.width >> 2; x < c.width * 3 / 4; x++) {
      const i = (y * c.width + x) * 4;
      const kind = near(i, LAND) ? 'land' : d[i + 3] === 0 || near(i, SEA) ? 'sea' : null;
      if (kind === 'land') land++;
      if (kind && last && kind !== last) changes++;
      if (kind) last = kind;
      if (!kind && d[i] < 225 && d[i] >= d[i + 2] && d[i + 3] === 255) ink++;
    }
  }
  return {changes: changes, ink: ink, land: land};
}"""


def page_of(tmp_path: Path, name: str, *places) -> Path:
    s = story(*places).model_copy(
        update={"layers": [Layer(id="all", title="All", places=[p.id for p in places])]}
    )
    s = s.model_copy(update={"places": [p.model_copy(update={"layer": "all"}) for p in s.places]})
    path = tmp_path / f"{name}.html"
    path.write_text(render_html(s), encoding="utf-8")
    return path


def look(session, lat: float, lon: float, zoom: float) -> dict:
    session.page.evaluate(f"window.storymap.map.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    session.page.wait_for_timeout(150)
    return session.page.evaluate(CANVAS_STATS, [list(LAND), list(SEA)])


def test_city_zoom_shows_the_detailed_coast_only_around_the_story(session, tmp_path):
    here = page_of(tmp_path, "miami", MIAMI)
    elsewhere = page_of(tmp_path, "madrid", MADRID)
    session.open(here)
    detailed = look(session, MIAMI.lat, MIAMI.lon, 9)
    session.open(elsewhere)
    coarse = look(session, MIAMI.lat, MIAMI.lon, 9)
    # The Keys and Biscayne Bay at 1:10m: the coast turns many more times than the 1:110m outline.
    assert detailed["changes"] > 2 * max(coarse["changes"], 1), (detailed, coarse)
    assert detailed["land"] > 0.1 * coarse["land"]


def test_city_zoom_shows_the_neighbours_borders(session, tmp_path):
    session.open(page_of(tmp_path, "strasbourg", STRASBOURG))
    stats = look(session, STRASBOURG.lat, STRASBOURG.lon, 9)
    assert stats["ink"] > 100, stats  # the Franco-German border along the Rhine, as a line
    # Far from any border (the middle of the Atlantic) there is no ink at all.
    assert look(session, 35.0, -40.0, 9)["ink"] == 0


def test_reference_labels_show_at_their_zoom_and_never_overlap(session, tmp_path):
    session.open(page_of(tmp_path, "madrid", MADRID))
    page = session.page

    def shown() -> list[dict]:
        return page.evaluate(
            """[...document.querySelectorAll('.sm-ref-label')]
                 .filter(el => !el.hidden)
                 .map(el => { const r = el.getBoundingClientRect();
                   return {text: el.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom}; })"""
        )

    session.page.evaluate("window.storymap.map.setView([40.4, -3.7], 8, {animate: false})")
    page.wait_for_timeout(150)
    close = shown()
    texts = {lab["text"] for lab in close}
    assert "Toledo" in texts or "Guadalajara" in texts, texts  # towns around Madrid at city zoom
    assert "Madrid" not in texts  # the story's own label, not the basemap's
    for i, a in enumerate(close):
        for b in close[i + 1 :]:
            assert a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"], (a, b)
    session.page.evaluate("window.storymap.map.setView([40.4, -3.7], 4, {animate: false})")
    page.wait_for_timeout(150)
    far = {lab["text"] for lab in shown()}
    assert "Spain" in far
    assert "Toledo" not in far and "Guadalajara" not in far  # towns wait for city zoom


def test_story_countries_are_drawn_with_the_detailed_coast(session, tmp_path):
    import json

    from storymap.geoparse import areas
    from storymap.model import Place

    us = areas.area("country:US")
    country = Place(id="us", name="United States", kind="country", lat=us.lat, lon=us.lon, country="US",
                    geometry=areas.geometry("country:US"))  # fmt: skip
    path = page_of(tmp_path, "us", MIAMI, country)
    session.open(path)
    drawn = session.page.evaluate("JSON.stringify(window.storymap.features.us.toGeoJSON())")
    coords = json.loads(drawn)["features"][0]["geometry"]["coordinates"]
    recut = B.outlines(story(MIAMI, country))["us"]["coordinates"]
    assert coords == recut  # the re-cut outline, not the story's own 1:50m one
    assert json.dumps(coords).count("[") > 1.2 * json.dumps(country.geometry["coordinates"]).count("[")
    # The page ships it once: as the place's geometry in the story data, nowhere else.
    html = path.read_text(encoding="utf-8")
    assert "outlines" not in json_block(html, "storymap-basemap")
    assert [
        p["geometry"]["coordinates"] for p in json_block(html, "storymap-data")["places"] if p["id"] == "us"
    ] == [recut]
    hawaii = json.dumps(recut[0][0][1:4], separators=(",", ":"))[1:-1]  # of a ring the re-cut left as it was
    assert hawaii in json.dumps(country.geometry, separators=(",", ":"))
    assert html.count(hawaii) == 1


def test_across_the_antimeridian_a_country_is_redrawn_with_its_re_cut_outline(session, tmp_path):
    """wrap.js draws a place on the copy of the world nearest the view: that copy is the outline
    the page draws everywhere else (re-cut to the detailed coast), moved by 360 degrees."""
    import json

    from test_basemap import city

    from storymap.geoparse import areas
    from storymap.model import Place

    fj = areas.area("country:FJ")
    fiji = Place(id="fiji", name="Fiji", kind="country", lat=fj.lat, lon=fj.lon, country="FJ",
                 geometry=areas.geometry("country:FJ"))  # fmt: skip
    suva = city("suva", "Suva", -18.14, 178.44, "FJ")
    recut = B.outlines(story(suva, fiji))["fiji"]["coordinates"]
    assert recut != fiji.geometry["coordinates"]
    session.open(page_of(tmp_path, "fiji", suva, fiji))
    # The middle of the view west of -180: Fiji (its anchor at 175 E) is drawn 360 degrees west.
    session.page.evaluate("window.storymap.map.setView([-17, -176], 6, {animate: false})")
    session.settle()
    drawn = json.loads(session.page.evaluate("JSON.stringify(window.storymap.features.fiji.toGeoJSON())"))
    coords = drawn["features"][0]["geometry"]["coordinates"]

    def shifted(c, d):
        return (
            [round(c[0] + d, 6), round(c[1], 6)]
            if isinstance(c[0], (int, float))
            else [shifted(x, d) for x in c]
        )

    assert shifted(coords, 0) == shifted(recut, -360)


def test_outlines_are_drawn_whole_up_to_the_camera_zoom_and_clipped_closer_in(session, tmp_path):
    """Up to the camera's closest zoom a country's path holds its whole outline (no clipping work
    at start-up); closer in it is clipped to the view, so no path runs far beyond the screen."""
    from storymap.geoparse import areas
    from storymap.model import Place

    us = areas.area("country:US")
    country = Place(id="us", name="United States", kind="country", lat=us.lat, lon=us.lon, country="US",
                    geometry=areas.geometry("country:US"))  # fmt: skip
    session.open(page_of(tmp_path, "us", MIAMI, country))
    width = """() => { const p = document.querySelector('path[data-place="us"]');
                       return p.getBBox().width / document.querySelector('.folium-map').clientWidth; }"""
    whole = session.page.evaluate(width)
    for zoom, clipped in ((7, False), (10, True), (5, False)):
        look(session, MIAMI.lat, MIAMI.lon, zoom)
        ratio = session.page.evaluate(width)
        world = 2**zoom * 256 / 1280  # the world's width in map widths
        if clipped:
            assert ratio < 1.5, (zoom, ratio)  # the view and Leaflet's margin around it
        else:
            # From the Aleutians to Maine: about 115 degrees of longitude, a third of the world.
            assert ratio > 0.25 * world, (zoom, ratio, whole)
