"""Shared fixtures: the seed article and its story, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "us-colombia-white-house.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_story(seed_text):
    from storymap.pipeline import story_from_text

    return story_from_text(seed_text, "txt", str(SEED))


@pytest.fixture(scope="session")
def seed_page(tmp_path_factory, seed_story) -> Path:
    """The seed story's map page, rendered once and written to a temporary file."""
    from storymap.render import render_html

    path = tmp_path_factory.mktemp("seed-page") / "seed.html"
    path.write_text(render_html(seed_story), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (Debian's, driven by Playwright)."""
    from browsing import CHROMIUM, launch
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


@pytest.fixture
def session(browser):
    """A fresh offline page; fails the test if the page raised a JavaScript error."""
    from browsing import Session

    s = Session(browser)
    yield s
    assert s.errors == [], s.errors
    s.context.close()
