"""A hostile article, end to end: its text is shown literally and never runs or changes the page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from storymap import pipeline

HOSTILE_ARTICLE = (
    "Breaking </script><script>alert('title')</script> news\n"
    "Talks in Nairobi </script><script>alert(1)</script> ended early. "
    "Officials in Lagos said `${alert(2)}` and <img src=x onerror=alert(3)> were seen. "
    'A <a href="javascript:alert(4)">link</a> came from Cairo.\u2028Then {{ 7*7 }} and {% raw %}.\u2029 '
    "Rebels \u202emoved\u202c toward Accra\u200b on \u200fMonday.\n"
    "<b onmouseover=alert(5)>Aftermath</b>\n"
    "Aid reached Kampala ]]> --> <!-- on Tuesday.\n"
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    story = pipeline.story_from_text(HOSTILE_ARTICLE, "txt", "hostile.txt")
    html = pipeline.render(story)
    path = tmp_path_factory.mktemp("hostile") / "hostile.html"
    path.write_text(html, encoding="utf-8")
    return story, html, path


def test_places_are_still_found_among_the_markup(hostile):
    story, _, _ = hostile
    names = {p.name for p in story.places}
    assert {"Nairobi", "Lagos", "Cairo", "Kampala"} <= names


class _Elements(HTMLParser):
    """Every element the HTML parser sees, with its attributes (script bodies are opaque)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_html_carries_the_text_only_as_escaped_data(hostile):
    story, html, _ = hostile
    parser = _Elements()
    parser.feed(html)
    still = [attrs for tag, attrs in parser.tags if tag == "img"]
    assert len(still) == 1 and still[0]["src"].startswith("data:image/png;base64,")  # the still image only
    tags = [tag for tag, _ in parser.tags]
    assert "b" not in tags and "a" not in tags
    assert not [attrs for _, attrs in parser.tags if any(name.startswith("on") for name in attrs)]
    assert "<script>alert" not in html
    assert "\u2028" not in html and "\u2029" not in html
    block = re.search(r'<script type="application/json" id="storymap-data">(.*?)</script>', html, re.S)
    assert json.loads(block.group(1))["title"] == story.title
    assert "49" not in re.sub(r"[^{}0-9 *]", "", story.title)  # no template ran at build time


@pytest.mark.browser
def test_a_hostile_article_runs_nothing_and_injects_nothing(session, hostile):
    story, _, path = hostile
    session.open(path)
    page = session.page
    for _ in story.chapters:
        page.keyboard.press("ArrowRight")
        session.settle()
    for place in story.places:  # open every popup from the keyboard
        page.locator(f'path[data-place="{place.id}"]').focus()
        page.keyboard.press("Enter")
        page.locator(".leaflet-popup-content", has_text=place.name).wait_for()
    assert session.dialogs == []
    assert page.locator("img:not(#sm-still > img), iframe, object, embed, b[onmouseover]").count() == 0
    assert page.locator("#sm-still > img").get_attribute("src").startswith("data:image/png;base64,")
    assert page.locator("[onerror], [onmouseover], a[href^='javascript']").count() == 0
    page.locator('path[data-place="lagos"]').focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content", has_text="Lagos")
    assert "`${alert(2)}` and <img src=x onerror=alert(3)>" in popup.inner_text()
    assert "{{ 7*7 }}" in page.locator("#sm-panel").inner_text()
    assert session.external == []
