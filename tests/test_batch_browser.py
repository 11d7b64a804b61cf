"""The batch site in real Chromium, offline: the index page's search and sort, the corpus map's
filters, legend and layout on a desktop and on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from batchdata import META, write_csv
from browsing import Session

from storymap.batch import run_batch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The articles from a table (with dates and sources), mapped in-process."""
    root = tmp_path_factory.mktemp("site")
    report = run_batch([write_csv(root / "articles.csv")], root / "site", jobs=1, progress=False)
    assert report.built == len(META)
    return root / "site"


def _titles(session: Session) -> list[str]:
    return session.page.eval_on_selector_all(
        "#sm-articles tbody tr:not([hidden]) td:first-child", "cells => cells.map(c => c.textContent)"
    )


def _shown(session: Session) -> int:
    return int(session.page.get_attribute("html", "data-corpus-shown"))


def test_the_index_opens_offline_and_its_search_and_sort_work(session, site):
    session.open(site / "index.html")
    assert session.external == []
    assert len(_titles(session)) == len(META)
    session.page.fill("#sm-search", "daily wire")  # matches the source column
    assert sorted(_titles(session)) == ["Drought hits farmers in Kenya", "Rail strike in Germany"]
    session.page.fill("#sm-search", "")
    session.page.click("th button[data-sort='1']")  # date, ascending
    assert session.page.eval_on_selector_all(
        "#sm-articles tbody td:nth-child(2)", "cells => cells.map(c => c.textContent)"
    ) == [date for _, date, _ in META]
    session.page.click("th button[data-sort='1']")  # descending
    assert _titles(session)[0] == "Rail strike in Germany"
    session.page.click("th button[data-sort='3']")
    counts = session.page.eval_on_selector_all(
        "#sm-articles tbody td:nth-child(4)", "cells => cells.map(c => Number(c.textContent))"
    )
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert session.page.get_attribute("th:nth-child(4)", "aria-sort") == "ascending"
    session.page.click("#sm-articles tbody tr:first-child a")
    session.page.wait_for_selector("html[data-storymap-ready]")
    assert "/maps/" in session.page.url
    assert session.external == []


def test_the_corpus_map_opens_offline_and_filters_by_date(session, site):
    session.open(site / "corpus.html")
    assert session.external == []
    everything = _shown(session)
    assert everything >= 10
    session.page.fill("#sm-from", "2025-01-01")  # the two articles of 2025: Peru/Japan and Germany
    later = _shown(session)
    assert 0 < later < everything
    session.page.fill("#sm-to", "2025-03-31")  # Peru/Japan alone
    only_peru = _shown(session)
    assert 0 < only_peru < later
    tooltips = session.page.evaluate(
        "(() => { const out = []; storymapCorpus.map.eachLayer(l => { if (l.getTooltip && l.getTooltip())"
        " out.push(l.getTooltip().getContent()); }); return out.sort(); })()"
    )
    assert "Lima" in tooltips and "Nairobi" not in tooltips and "Berlin" not in tooltips
    session.page.fill("#sm-from", "")
    session.page.fill("#sm-to", "")
    assert _shown(session) == everything
    session.page.select_option("#sm-source", "Le Courrier")
    assert 0 < _shown(session) < everything
    assert session.external == []


def test_the_legend_names_the_layer_colours_and_filters_by_layer(session, site):
    session.open(site / "corpus.html")
    everything = _shown(session)
    buttons = session.page.locator(".sm-corpus-legend button")
    assert buttons.count() >= 2
    swatch = session.page.eval_on_selector(
        ".sm-corpus-legend button[data-layer='0'] .sm-swatch", "s => getComputedStyle(s).backgroundColor"
    )
    fills = session.page.evaluate(
        "(() => { const out = new Set(); storymapCorpus.map.eachLayer(l => { if (l.options && l.getTooltip"
        " && l.getTooltip()) out.add(l.options.fillColor); }); return [...out]; })()"
    )
    first = session.page.evaluate(
        "JSON.parse(document.getElementById('storymap-corpus').textContent).colors[0]"
    )
    r, g, b = (int(first[i : i + 2], 16) for i in (1, 3, 5))
    assert swatch == f"rgb({r}, {g}, {b})" and first in fills
    buttons.first.click()
    assert session.page.get_attribute(".sm-corpus-legend button[data-layer='0']", "aria-pressed") == "true"
    assert session.page.input_value("#sm-layer") == "0"
    assert 0 < _shown(session) < everything
    buttons.first.click()  # again: every layer
    assert _shown(session) == everything


def _box(session: Session, selector: str) -> dict:
    return session.page.locator(selector).bounding_box()


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 740)])
def test_the_zoom_control_is_never_under_the_panel(browser, site, width, height):
    s = Session(browser, width=width, height=height)
    try:
        s.open(site / "corpus.html")
        assert not _overlap(_box(s, ".leaflet-control-zoom"), _box(s, ".sm-corpus-panel"))
        if width < 600:  # a phone: the panel starts folded to its title, the map gets the screen
            panel = _box(s, ".sm-corpus-panel")
            assert panel["height"] < height / 4 and panel["width"] > width * 0.8
            assert not s.page.is_visible("#sm-from")
            s.page.click(".sm-corpus-panel summary")
            assert s.page.is_visible("#sm-from")
            s.page.fill("#sm-from", "2025-01-01")
            assert s.page.get_attribute("html", "data-corpus-shown") != ""
            assert _box(s, ".sm-corpus-panel")["height"] <= height * 0.6
            assert not _overlap(_box(s, ".leaflet-control-zoom"), _box(s, ".sm-corpus-panel"))
        else:
            assert s.page.is_visible("#sm-from")
        assert s.errors == [] and s.external == []
    finally:
        s.context.close()
