"""storymap: turn a news article into an interactive, layered Leaflet story map.

>>> import storymap
>>> result = storymap.build("article.txt")      # writes output/article.html
>>> result.story.places[0].name
"""

from __future__ import annotations

from typing import Any

from storymap.errors import InputError, OutputError, StorymapError
from storymap.model import Article, Chapter, Layer, Mention, Place, Story

__all__ = [
    "Article",
    "Chapter",
    "InputError",
    "Layer",
    "Mention",
    "OutputError",
    "Place",
    "Result",
    "Story",
    "StorymapError",
    "build",
    "extract",
    "find_mentions",
    "render",
    "story_from_text",
]
__version__ = "0.1.0"

_PIPELINE = {"build", "extract", "render", "story_from_text", "Result", "load"}


def __getattr__(name: str) -> Any:
    # The pipeline pulls in folium and the gazetteer; import it only when used.
    if name in _PIPELINE:
        from storymap import pipeline

        return getattr(pipeline, name)
    if name == "find_mentions":
        from storymap.geoparse import find_mentions

        return find_mentions
    raise AttributeError(f"module 'storymap' has no attribute {name!r}")
