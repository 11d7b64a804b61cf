"""storymap: turn a news article into an interactive, layered Leaflet story map.

>>> import storymap
>>> result = storymap.build("article.txt")      # writes output/article.html
>>> result.story.places[0].name
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storymap.errors import InputError, OutputError, StorymapError

if TYPE_CHECKING:
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


_MODEL = {"Article", "Chapter", "Layer", "Mention", "Place", "Story"}


def __getattr__(name: str) -> Any:
    # The pipeline pulls in folium and the gazetteer, the model pydantic: import them only when
    # used, so `storymap --help` and the batch driver start fast.
    if name in _MODEL:
        from storymap import model

        return getattr(model, name)
    if name in _PIPELINE:
        from storymap import pipeline

        return getattr(pipeline, name)
    if name == "find_mentions":
        from storymap.geoparse import find_mentions

        return find_mentions
    raise AttributeError(f"module 'storymap' has no attribute {name!r}")
