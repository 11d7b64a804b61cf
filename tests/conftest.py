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
