"""Unit tests of storymap.embed: the responsive iframe snippet."""

from __future__ import annotations

import re

import pytest

from storymap.embed import embed_snippet
from storymap.errors import InputError


def test_default_snippet_has_title_and_auto_height_script():
    html = embed_snippet("https://news.example.org/maps/colombia.html")
    assert '<iframe src="https://news.example.org/maps/colombia.html" title="Story map"' in html
    assert "height:600px" in html and "data-storymap-autoheight" in html
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    assert 'addEventListener("message"' in script
    assert "event.source !== frame.contentWindow" in script  # only its own frame
    assert 'd.type !== "storymap:height"' in script  # only the expected message shape
    assert "isFinite(h)" in script


def test_aspect_ratio_box_without_script():
    html = embed_snippet("map.html", aspect="16:9")
    assert "padding-top:56.25%" in html and "position:absolute" in html
    assert "<script" not in html
    assert "padding-top:75.0%" in embed_snippet("map.html", aspect="4:3")


def test_fixed_height_without_script():
    html = embed_snippet("map.html", height=480)
    assert "height:480px" in html and "<script" not in html


@pytest.mark.parametrize("aspect", ["16x9", "16:", ":9", "0:9", "wide", "16:9:1"])
def test_bad_aspect_names_the_argument(aspect):
    with pytest.raises(InputError) as err:
        embed_snippet("map.html", aspect=aspect)
    assert str(err.value).startswith("--aspect:")
    assert repr(aspect) in str(err.value)


def test_bad_height_and_conflicting_options():
    with pytest.raises(InputError, match="^--height:"):
        embed_snippet("map.html", height=10)
    with pytest.raises(InputError, match="not both"):
        embed_snippet("map.html", height=500, aspect="16:9")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "", " "])
def test_unsafe_or_empty_urls_are_refused(url):
    with pytest.raises(InputError, match="^URL:"):
        embed_snippet(url)


def test_title_and_url_are_escaped():
    html = embed_snippet('https://x.org/m.html?a=1&b="2"', title='<img src=x onerror=alert(1)> "Map"')
    assert "<img" not in html
    assert 'title="&lt;img src=x onerror=alert(1)&gt; &#34;Map&#34;"' in html
    assert 'src="https://x.org/m.html?a=1&amp;b=&#34;2&#34;"' in html
