"""storymap: turn a news article into an interactive, layered Leaflet story map."""

from __future__ import annotations

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
    "Story",
    "StorymapError",
]
__version__ = "0.1.0"
