"""The first paint: what the page promises at its "storymap-painted" mark (bench/render.py times it).

The runtime draws the first view, paints it, and only then finishes the set-up nothing in that
view shows (keyboard access, popups, the URL hash, the padding of the basemap). So at the mark
the reader must already see the finished first view: the basemap under it, every feature of the
story drawn where it ends up, the labels the view shows where they stay, and the panel's first
chapter; and once the page is ready nothing of that view has changed. Real Chromium; a snapshot
is taken synchronously when the runtime sets the mark.
"""

from __future__ import annotations

import pytest
from browsing import Session

pytestmark = pytest.mark.browser

#: Installed before the page's scripts: takes a snapshot of what is drawn when the mark is set.
SNAPSHOT = """(() => {
  function snapshot() {
    const map = window.storymap && window.storymap.map;
    const out = {ready: document.documentElement.hasAttribute('data-storymap-ready'), features: {}};
    if (!map) return out;
    const box = map.getContainer().getBoundingClientRect();
    const canvas = document.querySelector('.leaflet-sm-basemap-pane canvas');
    if (canvas) {
      /* the part of the canvas under the map's view, every 3rd pixel: land pixels and their colours */
      const c = canvas.getBoundingClientRect(), sx = canvas.width / c.width, sy = canvas.height / c.height;
      const x0 = Math.round((box.left - c.left) * sx), y0 = Math.round((box.top - c.top) * sy);
      const w = Math.round(box.width * sx), h = Math.round(box.height * sy);
      const d = canvas.getContext('2d').getImageData(x0, y0, w, h).data;
      const px = [];
      let land = 0;
      for (let i = 0; i < d.length; i += 12) {
        px.push(d[i] + ',' + d[i + 1] + ',' + d[i + 2] + ',' + d[i + 3]);
        if (d[i] === 244 && d[i + 1] === 241 && d[i + 2] === 234 && d[i + 3] === 255) land++;
      }
      out.basemap = {land: land, pixels: px};
    }
    for (const [id, layer] of Object.entries(window.storymap.features)) {
      if (!map.hasLayer(layer)) continue;
      const parts = layer.getLayers ? layer.getLayers() : [layer];
      out.features[id] = parts.map(l => { const el = l.getElement && l.getElement();
        return el && el.isConnected ? el.getAttribute('d') : null; });
    }
    out.labels = [...document.querySelectorAll('.sm-label, .sm-ref-label')]
      .filter(el => !el.hidden)
      .map(el => ({id: el.getAttribute('data-place'), text: el.textContent, at: el.style.transform}))
      .sort((a, b) => (a.text + a.at < b.text + b.at ? -1 : 1));
    const shown = [...document.querySelectorAll('.sm-chapter')].filter(el => !el.hidden);
    out.chapter = shown.map(el => el.getAttribute('data-chapter'));
    out.panelText = shown.length ? shown[0].textContent.trim().length : 0;
    out.view = [map.getCenter().lat, map.getCenter().lng, map.getZoom()];
    return out;
  }
  window.__smSnapshot = snapshot;
  const mark = performance.mark.bind(performance);
  performance.mark = function (name, options) {
    if (name === 'storymap-painted') window.__smAtPaint = snapshot();
    return mark(name, options);
  };
})();"""

VIEWPORTS = {"desktop": (1280, 800), "phone": (375, 667)}


def at_paint_and_ready(browser, page_path, viewport, fragment=""):
    session = Session(browser, *viewport)
    try:
        session.page.add_init_script(SNAPSHOT)
        session.open(page_path, fragment)
        painted = session.page.evaluate("window.__smAtPaint || null")
        ready = session.page.evaluate("window.__smSnapshot()")
        order = session.page.evaluate(
            """['storymap-painted', 'storymap-ready'].map(n =>
                 (performance.getEntriesByName(n)[0] || {startTime: null}).startTime)"""
        )
        return painted, ready, order, session.errors
    finally:
        session.context.close()


def visibly_different(a: str, b: str) -> bool:
    """Two "r,g,b,a" pixels differ by more than anti-aliasing (a level or two per channel)."""
    return max(abs(int(x) - int(y)) for x, y in zip(a.split(","), b.split(","), strict=True)) > 8


@pytest.mark.parametrize(("device", "fragment"), [("desktop", ""), ("phone", ""), ("desktop", "#chapter=2")])
def test_the_first_view_is_finished_when_the_page_marks_its_first_paint(browser, seed_page, device, fragment):
    painted, ready, (painted_at, ready_at), errors = at_paint_and_ready(
        browser, seed_page, VIEWPORTS[device], fragment
    )
    assert errors == []
    assert painted is not None, "no storymap-painted mark"
    # The mark comes first; the page says it is ready once the rest of the set-up has run.
    assert painted_at is not None and ready_at is not None and painted_at <= ready_at
    assert not painted["ready"] and ready["ready"]
    assert painted["view"] == ready["view"]
    # The basemap of the view: land drawn, and the same pixels as once everything is set up.
    assert painted["basemap"]["land"] > 0.02 * len(painted["basemap"]["pixels"])
    before, after = painted["basemap"]["pixels"], ready["basemap"]["pixels"]
    assert len(before) == len(after)
    changed = sum(visibly_different(a, b) for a, b in zip(before, after, strict=True))
    assert changed <= 0.01 * len(before), changed
    # Every feature on the map is drawn, with the shape it keeps.
    assert painted["features"] and painted["features"] == ready["features"]
    assert all(d for parts in painted["features"].values() for d in parts)
    # The labels of the view: the story's own among them, and where they stay.
    assert any(lab["id"] for lab in painted["labels"])
    assert painted["labels"] == ready["labels"]
    # The panel shows the chapter of the view.
    expected = fragment.rsplit("=", 1)[1] if fragment else "0"
    assert painted["chapter"] == [expected] == ready["chapter"]
    assert painted["panelText"] > 20
