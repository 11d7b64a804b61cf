"""Browser tests: the rendered story map in headless Chromium (Playwright, Debian's chromium).

One browser for the whole module; each test gets a fresh page that records every request
and aborts anything that is not a local file, so "no external requests" is proven, not assumed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import Session
from test_render import empty_story, hostile_story, realistic_story

from storymap.embed import embed_snippet
from storymap.render import render_html

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("site")
    files = {
        "map": render_html(realistic_story()),
        "embed": render_html(realistic_story(), embed=True),
        "hostile": render_html(hostile_story()),
        "empty": render_html(empty_story()),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = root / f"{name}.html"
        paths[name].write_text(text, encoding="utf-8")
    host = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Article</title></head><body>"
        "<h1>An article</h1><p>Text before the map.</p>"
        + embed_snippet("embed.html", title="Map: Trump and Petro meet")
        + "<p>Text after the map.</p></body></html>"
    )
    paths["host"] = root / "host.html"
    paths["host"].write_text(host, encoding="utf-8")
    return paths


def test_offline_page_makes_no_external_requests_and_draws_everything(session, site):
    session.open(site["map"])
    session.page.wait_for_timeout(300)
    assert session.external == []
    page = session.page
    assert page.locator("path.leaflet-interactive[data-place]").count() == 8  # 5 points + 3 areas
    for pid in ("caribbean", "epacific", "colombia", "dubai", "miami"):
        assert page.locator(f'path[data-place="{pid}"]').count() == 1, pid
    zone = page.locator('path[data-place="caribbean"]')
    # The hierarchy of areas: a zone translucent, a country lighter still, points solid.
    zone_fill = float(zone.get_attribute("fill-opacity"))
    country_fill = float(page.locator('path[data-place="colombia"]').get_attribute("fill-opacity"))
    assert zone.get_attribute("fill") == "#ff7f0e" and 0.1 <= zone_fill <= 0.25
    assert 0 < country_fill < zone_fill
    assert zone.get_attribute("stroke-width") == "2" and zone.get_attribute("stroke-dasharray") is None
    assert page.locator('path[data-place="dubai"]').get_attribute("fill") == "#d62728"
    # Land outlines and graticule are painted on a canvas: it must hold land-coloured pixels.
    land = page.evaluate(
        """(() => {
          const c = document.querySelector('.leaflet-sm-basemap-pane canvas');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] === 244 && d[i + 1] === 241 && d[i + 2] === 234) n++;
          return n / (c.width * c.height);
        })()"""
    )
    assert land > 0.05
    assert page.locator(".leaflet-control-layers-overlays label").count() == 3
    assert page.locator(".sm-legend li").count() >= 3


def test_unticking_a_layer_hides_its_features_and_digits_toggle(session, site):
    session.open(site["map"])
    page = session.page
    assert page.locator('path[data-place="dubai"]').count() == 1
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Drugs and crime")
    label.locator("input").uncheck()
    assert page.locator('path[data-place="dubai"], path[data-place="madrid"]').count() == 0
    assert page.locator('path[data-place="washington"]').count() == 1
    assert "layers=diplomacy,strikes" in session.hash()
    page.keyboard.press("2")
    assert page.locator('path[data-place="dubai"]').count() == 1
    page.keyboard.press("3")
    assert page.locator('path[data-place="caribbean"]').count() == 0
    assert not page.locator(".leaflet-control-layers-overlays input").nth(2).is_checked()
    page.keyboard.press("0")
    assert page.locator("path.leaflet-interactive[data-place]").count() == 8


def test_arrow_keys_step_chapters_move_the_map_and_update_the_hash(session, site):
    session.open(site["map"])
    page = session.page
    before = session.center()
    page.keyboard.press("ArrowRight")
    session.settle()
    assert session.hash().startswith("#chapter=1&")
    assert page.locator("#sm-chapter-1").is_visible() and not page.locator("#sm-chapter-0").is_visible()
    assert "Chapter 1 of 4" in page.locator("#sm-live").inner_text()
    after = session.center()
    assert abs(after[0] - before[0]) + abs(after[1] - before[1]) > 1
    page.keyboard.press("PageDown")
    session.settle()
    assert session.hash().startswith("#chapter=2&")
    page.keyboard.press("End")
    session.settle()
    assert session.hash().startswith("#chapter=4&")
    assert page.locator(".sm-next").is_disabled()
    lat, lon = session.center()
    assert 0 < lat < 20 and -100 < lon < -65  # the strike zones
    page.keyboard.press("ArrowLeft")
    session.settle()
    assert session.hash().startswith("#chapter=3&")
    page.keyboard.press("Home")
    session.settle()
    assert session.hash().startswith("#chapter=0&")
    page.locator(".sm-next").click()
    session.settle()
    assert page.locator("#sm-chapter-select").input_value() == "1"


def test_opening_with_a_hash_restores_chapter_and_layers(session, site):
    session.open(site["map"], "#chapter=3&layers=diplomacy,strikes")
    page = session.page
    assert page.locator("#sm-chapter-3").is_visible()
    assert page.locator("#sm-chapter-select").input_value() == "3"
    assert page.locator('path[data-place="dubai"]').count() == 0
    assert page.locator('path[data-place="cartagena"]').count() == 1
    lat, lon = session.center()
    assert abs(lat - 10.39) < 3 and abs(lon + 75.51) < 6  # Cartagena, beside the panel
    checks = page.locator(".leaflet-control-layers-overlays input")
    assert [checks.nth(i).is_checked() for i in range(3)] == [True, False, True]


def test_a_broken_hash_falls_back_to_the_overview(session, site):
    session.open(site["map"], "#chapter=%E0%A4%A&layers=nope,<b>")
    assert session.page.locator("#sm-chapter-0").is_visible()
    assert session.hash() == "#chapter=0&layers="  # unknown layers are simply not shown
    session.page.keyboard.press("0")
    assert session.page.locator("path.leaflet-interactive[data-place]").count() == 8
    session.open(site["map"], "#chapter=99")
    assert session.page.locator("#sm-chapter-4").is_visible()


def test_without_javascript_the_story_is_still_readable(browser, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site["map"].as_uri())
        for n in range(5):
            assert page.locator(f"#sm-chapter-{n}").is_visible()
        assert not page.locator(".folium-map").is_visible()
        # Mentions stay highlighted text: no tab stops or buttons that could do nothing.
        assert page.locator("#sm-chapter-2 .sm-mention").count() == 4
        assert page.locator(".sm-mention[tabindex], .sm-mention[role]").count() == 0
        assert not page.locator("#sm-mention-help").is_visible()
    finally:
        context.close()


def test_clicking_a_marker_shows_its_popup_with_the_quote(session, site):
    session.open(site["map"])
    page = session.page
    page.locator('path[data-place="madrid"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("h3").inner_text() == "Madrid"
    assert popup.locator("mark").inner_text() == "Madrid"
    assert "operate from Dubai, Madrid, and Miami" in popup.locator("blockquote").inner_text()
    assert "Mentioned once" in popup.inner_text()
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('.leaflet-popup')")
    marker = page.locator('path[data-place="cartagena"]')
    assert marker.get_attribute("role") == "button" and marker.get_attribute("aria-label") == "Cartagena"
    assert marker.get_attribute("tabindex") == "-1"  # focusable; Tab reaches it in mention order
    marker.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content .sm-review").wait_for()
    assert "low confidence" in page.locator(".leaflet-popup-content", has_text="Cartagena").inner_text()


# --------------------------------------------------------------------------- text <-> map


def test_clicking_a_mention_flies_to_its_place_and_opens_its_popup(session, site):
    session.open(site["map"], "#chapter=2")
    page = session.page
    mention = page.locator("#sm-chapter-2 .sm-mention", has_text="Madrid")
    assert mention.get_attribute("role") == "button" and mention.get_attribute("tabindex") == "0"
    assert page.evaluate("storymap.map.getZoom()") < 4  # the chapter: Miami to Dubai
    mention.click()
    assert session.popup_title() == "Madrid"
    session.settle()
    assert session.offset_from_focus(40.42, -3.7) < 120
    assert page.evaluate("storymap.map.getZoom()") >= 5
    assert "sm-mention-on" in mention.get_attribute("class")  # and back: its mention is marked
    assert page.locator("#sm-live").inner_text() == "Madrid shown on the map."
    assert page.locator("#sm-mention-help").inner_text() == "Show this place on the map"
    page.locator("#sm-chapter-2 .sm-mention", has_text="Miami").click()
    assert session.popup_title() == "Miami"
    assert "sm-mention-on" not in mention.get_attribute("class")


def test_enter_and_space_on_a_focused_mention_open_its_place(session, site):
    session.open(site["map"], "#chapter=4")
    page = session.page
    page.locator("#sm-chapter-4 .sm-mention", has_text="eastern Pacific").focus()
    page.keyboard.press("Enter")
    assert session.popup_title() == "Eastern Pacific"
    session.settle()
    lat, lon = session.center()
    assert -5 < lat < 15 and -125 < lon < -82  # over the zone (a little east of it: the panel is on the left)
    assert session.hash().startswith("#chapter=4&")  # Enter did not change the chapter
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('.leaflet-popup')")
    page.locator("#sm-chapter-4 .sm-mention", has_text="Caribbean Sea").focus()
    page.keyboard.press(" ")
    assert session.popup_title() == "Caribbean Sea"
    assert page.evaluate("document.querySelector('.sm-panel-body').scrollTop") == 0  # Space did not scroll


def test_a_mention_opens_its_place_without_animation_too(browser, site):
    s = Session(browser, reduced_motion="reduce")
    try:
        s.open(site["map"], "#chapter=2")
        s.page.locator("#sm-chapter-2 .sm-mention", has_text="Dubai").first.click()
        assert s.popup_title() == "Dubai"
        assert s.offset_from_focus(25.2, 55.27) < 120
        s.page.locator("#sm-chapter-2 .sm-mention", has_text="Dubai").first.click()  # already there
        assert s.popup_title() == "Dubai"
        assert s.errors == []
    finally:
        s.context.close()


def test_hovering_or_focusing_a_mention_emphasises_its_feature(session, site):
    session.open(site["map"], "#chapter=2")
    page = session.page
    marker = page.locator('path[data-place="madrid"]')
    before = marker.bounding_box()["width"]
    page.locator("#sm-chapter-2 .sm-mention", has_text="Madrid").hover()
    assert "sm-emph" in marker.get_attribute("class")
    assert marker.bounding_box()["width"] > before + 5
    page.mouse.move(900, 700)
    assert "sm-emph" not in marker.get_attribute("class")
    page.locator("#sm-chapter-2 .sm-mention", has_text="Miami").focus()
    assert "sm-emph" in page.locator('path[data-place="miami"]').get_attribute("class")
    page.locator(".sm-next").focus()
    page.wait_for_function("!document.querySelector('path.sm-emph')")


def test_opening_a_popup_or_hovering_a_marker_marks_its_mentions(session, site):
    from playwright.sync_api import expect

    session.open(site["map"], "#chapter=2")
    page = session.page
    marked = page.locator("#sm-chapter-2 .sm-mention-on")
    expect(marked).to_have_count(0)
    page.locator('path[data-place="dubai"]').click()
    page.locator(".leaflet-popup-content", has_text="Dubai").wait_for()
    session.settle()  # the popup's pan has ended
    page.mouse.move(700, 780)
    expect(marked).to_have_text(["Dubai", "Dubai"])
    page.keyboard.press("Escape")
    expect(marked).to_have_count(0)
    session.settle()
    page.locator('path[data-place="madrid"]').hover()
    expect(marked).to_have_text(["Madrid"])
    page.mouse.move(700, 780)
    expect(marked).to_have_count(0)
    page.locator('path[data-place="miami"]').focus()  # keyboard users get the same
    expect(marked).to_have_text(["Miami"])
    page.locator(".sm-next").focus()
    expect(marked).to_have_count(0)


def test_places_list_entries_fly_to_their_place_and_open_it(session, site):
    session.open(site["map"])
    page = session.page
    page.keyboard.press("3")  # hide the strikes layer: the list still reaches its places
    assert page.locator('path[data-place="caribbean"]').count() == 0
    page.locator("#sm-places summary").click()
    entry = page.locator("#sm-places .sm-place-link", has_text="Cartagena")
    entry.click()
    assert session.popup_title() == "Cartagena"
    session.settle()
    assert session.offset_from_focus(10.39, -75.51) < 120
    page.locator("#sm-places .sm-place-link", has_text="Caribbean Sea").focus()
    page.keyboard.press("Enter")
    assert session.popup_title() == "Caribbean Sea"
    assert page.locator('path[data-place="caribbean"]').count() == 1
    assert "strikes" in session.hash()


def test_tab_moves_through_markers_in_order_of_first_mention(session, site):
    session.open(site["map"])
    page = session.page
    order = ["colombia", "washington", "dubai", "madrid", "miami", "cartagena", "caribbean", "epacific"]
    seen = []
    for _ in order:
        page.keyboard.press("Tab")
        seen.append(session.focused_place())
    assert seen == order
    page.keyboard.press("Tab")  # past the last marker: on to the controls, not round the markers again
    assert session.focused_place() is None
    assert page.evaluate("document.activeElement.tagName") != "BODY"
    page.keyboard.press("Shift+Tab")
    assert session.focused_place() == "epacific"
    page.keyboard.press("Shift+Tab")
    assert session.focused_place() == "caribbean"
    page.locator(".sm-next").focus()
    page.keyboard.press("Shift+Tab")  # to the chapter menu
    colombia = page.locator('path[data-place="colombia"]')
    box = colombia.bounding_box()
    colombia.click(position={"x": box["width"] / 2, "y": box["height"] - 8})  # a click is not a Shift+Tab
    assert session.focused_place() == "colombia"
    page.locator('path[data-place="caribbean"]').focus()
    page.keyboard.press("Enter")
    assert session.popup_title() == "Caribbean Sea"
    page.goto("about:blank")
    session.open(site["map"], "#chapter=0&layers=diplomacy,strikes")  # drug markers leave the sequence
    seen = []
    for _ in range(5):
        page.keyboard.press("Tab")
        seen.append(session.focused_place())
    assert seen == ["colombia", "washington", "cartagena", "caribbean", "epacific"]


def test_small_phone_viewport_gets_a_bottom_sheet(browser, site):
    s = Session(browser, 375, 667)
    try:
        s.open(site["map"], "#chapter=2")
        page = s.page
        box = page.locator("#sm-panel").bounding_box()
        assert box["x"] == 0 and box["width"] == 375
        assert abs(box["y"] + box["height"] - 667) < 1 and box["height"] <= 667 * 0.5
        assert page.locator(".leaflet-control-layers-expanded").count() == 0  # folded into a button
        toggle = page.locator(".sm-sheet-toggle")
        assert toggle.is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("#sm-panel-body").is_visible()
        assert page.locator(".sm-nav").is_visible()
        page.locator(".sm-next").click()
        s.settle()
        assert s.hash().startswith("#chapter=3&")
        toggle.click()  # open the sheet again and go to a place from the text
        page.locator("#sm-chapter-3 .sm-mention", has_text="Cartagena").click()
        assert s.popup_title() == "Cartagena"
        s.settle()
        sheet_top = page.locator("#sm-panel").bounding_box()["y"]
        x, y = page.evaluate(
            "(() => { const p = storymap.map.latLngToContainerPoint([10.39, -75.51]); return [p.x, p.y]; })()"
        )
        assert 0 < x < 375 and 0 < y < sheet_top  # the place shows above the sheet
        assert s.errors == [] and s.external == []
    finally:
        s.context.close()


def test_embed_snippet_renders_the_map_in_an_iframe(session, site):
    page = session.page
    page.goto(site["host"].as_uri())
    frame_el = page.locator("iframe")
    assert frame_el.get_attribute("title") == "Map: Trump and Petro meet"
    frame = page.frame_locator("iframe")
    frame.locator("html[data-storymap-ready]").wait_for()
    assert frame.locator("path.leaflet-interactive[data-place]").count() == 8
    child = next(f for f in page.frames if "/embed.html" in f.url)
    assert child.evaluate("window.storymap.map.scrollWheelZoom.enabled()") is False
    assert child.evaluate("document.body.classList.contains('sm-framed')")
    child.evaluate("parent.postMessage({type: 'storymap:height', height: 777}, '*')")
    page.wait_for_function("document.querySelector('iframe').style.height === '777px'")
    child.evaluate("parent.postMessage({type: 'other', height: 300}, '*')")
    page.evaluate("window.postMessage({type: 'storymap:height', height: 300}, '*')")  # not from the frame
    page.wait_for_timeout(100)
    assert frame_el.evaluate("f => f.style.height") == "777px"
    assert session.external == []


def test_embedded_on_a_phone_the_frame_fits_map_and_story(browser, site):
    s = Session(browser, 375, 667)
    try:
        s.page.goto(site["host"].as_uri())
        s.page.frame_locator("iframe").locator("html[data-storymap-ready]").wait_for()
        s.page.wait_for_function("document.querySelector('iframe').style.height !== '600px'")  # resized
        frame_box = s.page.locator("iframe").bounding_box()
        child = next(f for f in s.page.frames if "/embed.html" in f.url)
        sheet = child.locator("#sm-panel").bounding_box()
        assert sheet["y"] >= 300  # at least 300 px of map above the story sheet
        assert child.evaluate("document.querySelector('.sm-panel-body').scrollHeight") <= sheet["height"]
        assert frame_box["height"] == child.evaluate("window.innerHeight")
        assert s.errors == [] and s.external == []
    finally:
        s.context.close()


def test_hostile_story_runs_nothing_and_injects_nothing(session, site):
    session.open(site["hostile"])
    page = session.page
    page.keyboard.press("ArrowRight")
    session.settle()
    page.locator('path[data-place="evil"]').click()
    page.locator(".leaflet-popup-content").wait_for()
    page.locator('path[data-place="evil"]').hover()
    page.wait_for_timeout(200)
    assert session.dialogs == []
    assert page.locator("img").count() == 1  # only the still image (data URI), no injected one
    assert page.locator("#sm-still > img").get_attribute("src").startswith("data:image/png;base64,")
    assert page.locator("[onerror]").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("script").count() == 5  # Leaflet, 3 JSON blocks, the map script: no more
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "</script><script>alert(1)</script><img src=x onerror=alert(1)>" in popup
    assert "`${alert(1)}` {{ 7*7 }}" in popup
    assert page.title().startswith("Title </script>")
    label = page.locator(".leaflet-control-layers-overlays label").first.inner_text()
    assert "<img src=x onerror=alert(1)>" in label
    assert "{{ 7*7 }}" in page.locator("#sm-chapter-1-title").inner_text()
    # The hostile place name in the chapter text is a control showing the literal text.
    page.keyboard.press("Escape")
    mention = page.locator('#sm-chapter-1 .sm-mention[data-place="evil"]')
    shown = mention.inner_text()
    assert shown.startswith("Evil</script><script>alert(1)</script><img src=x onerror=alert(1)>")
    assert shown.endswith("Town")
    assert "`${alert(1)}` {{ 7*7 }} {% raw %} <a href='javascript:alert(1)'>x</a>" in shown
    mention.hover()
    mention.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content h3").wait_for()
    assert "Evil</script>" in page.locator(".leaflet-popup-content h3").inner_text()
    page.locator('path[data-place="evil"]').hover()
    assert page.locator(".sm-mention-on").count() >= 1
    assert session.dialogs == [] and page.locator("img:not(#sm-still > img), [onerror]").count() == 0
    assert page.locator("script").count() == 5
    assert session.external == []


def test_empty_story_says_so(session, site):
    session.open(site["empty"])
    assert session.page.locator(".sm-empty-note").inner_text() == "No places found in this story."
    assert session.page.locator(".sm-empty").is_visible()
    assert session.external == []
