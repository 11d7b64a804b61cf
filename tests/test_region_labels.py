"""Labels of seas, zones and regions far larger than the view (real Chromium, the seed map).

"the Americas" of a slogan is outline-only: labelled at its anchor in Central America, seen from
the story's frame, its name would read as if it named that spot. A sea, zone or region is
labelled only while the view holds its main body.
"""

from __future__ import annotations

import pytest
from browsing import Session

pytestmark = pytest.mark.browser

#: Shown labels of seas, zones and regions, with their main body's box in container pixels.
ZONE_LABELS = """() => {
  const map = storymap.map, size = map.getSize();
  const cfg = JSON.parse(document.getElementById('storymap-config').textContent);
  const kinds = {};
  const data = JSON.parse(document.getElementById('storymap-data').textContent);
  data.places.forEach(p => { kinds[p.id] = p.kind; });
  return [...document.querySelectorAll('.sm-label-area[data-place]')].filter(el => !el.hidden).map(el => {
    const id = el.getAttribute('data-place'), b = cfg.place_frames[id];
    const sw = map.latLngToContainerPoint(b[0]), ne = map.latLngToContainerPoint(b[1]);
    return {id, kind: kinds[id], w: Math.abs(ne.x - sw.x), h: Math.abs(sw.y - ne.y),
            mapW: size.x, mapH: size.y};
  });
}"""


@pytest.mark.parametrize("viewport", [(1280, 800), (375, 667)])
def test_a_region_larger_than_the_view_is_not_labelled_as_if_it_were_a_spot(browser, seed_page, viewport):
    session = Session(browser, *viewport)
    try:
        session.open(seed_page)
        page = session.page
        chapters = page.evaluate("document.querySelectorAll('.sm-chapter').length")
        for n in range(chapters):
            page.evaluate(f"storymap.showChapter({n}, {{animate: false}})")
            session.settle()
            shown = page.evaluate(ZONE_LABELS)
            for lab in shown:
                if lab["kind"] in ("water", "region"):
                    assert lab["w"] <= lab["mapW"] and lab["h"] <= lab["mapH"], (n, lab)
            assert "the-americas" not in {lab["id"] for lab in shown}, n
            # its outline is still drawn
            assert page.locator('path[data-place="the-americas"]').count() == 1
        # Far enough out to hold both continents, with its layer alone on the map (nothing to
        # collide with), the region is labelled again.
        page.evaluate(
            """(() => {
              const cfg = JSON.parse(document.getElementById('storymap-config').textContent);
              const mine = storymap.groups[cfg.place_layer['the-americas']];
              Object.values(storymap.groups).forEach(g => { if (g !== mine) storymap.map.removeLayer(g); });
              storymap.map.setView([12, -80], 1, {animate: false});
            })()"""
        )
        session.settle()
        page.wait_for_timeout(100)
        visible = page.evaluate(
            "[...document.querySelectorAll('.sm-label[data-place]')].filter(el => !el.hidden)"
            ".map(el => el.getAttribute('data-place'))"
        )
        if viewport[0] > 600:
            assert "the-americas" in visible
        assert session.errors == []
    finally:
        session.context.close()
