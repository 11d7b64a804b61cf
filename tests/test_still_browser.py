"""The still image in Chromium: shown with its alt text without scripts and in print, hidden otherwise."""

from __future__ import annotations

import pytest

from storymap import pipeline

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page_path(seed_story, tmp_path_factory):
    return pipeline.build(seed_story, tmp_path_factory.mktemp("still") / "seed.html").path


def _still(page):
    return page.evaluate(
        """(() => {
          const img = document.querySelector(".sm-still img"), r = img.getBoundingClientRect();
          return {alt: img.alt, natural: img.naturalWidth, complete: img.complete,
                  width: r.width, height: r.height,
                  shown: getComputedStyle(img.parentElement).display !== "none"};
        })()"""
    )


def test_without_scripts_the_page_shows_the_still_image_with_its_alt_text(browser, page_path, seed_story):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(page_path.as_uri())
        still = _still(page)
        assert still["shown"] and still["complete"] and still["natural"] == 720
        assert still["width"] > 300 and still["height"] > 150
        assert still["alt"] == seed_story.alt_text()
        assert page.get_by_role("img", name=seed_story.alt_text()).is_visible()
        assert not page.locator(".folium-map").is_visible()
        assert page.locator("#sm-chapter-1").is_visible()  # the story follows the image
    finally:
        context.close()


def test_with_scripts_the_live_map_replaces_it_but_print_shows_it(session, page_path, seed_story):
    session.open(page_path)
    page = session.page
    assert not _still(page)["shown"]
    assert page.locator(".folium-map").is_visible()
    description = page.evaluate(
        "document.getElementById(document.querySelector('.folium-map').getAttribute('aria-describedby')).textContent"
    )
    assert description == seed_story.alt_text()
    page.emulate_media(media="print")
    still = _still(page)
    assert still["shown"] and still["width"] > 300
    assert not page.locator(".folium-map").is_visible()
