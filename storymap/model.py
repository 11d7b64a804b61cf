"""The shared vocabulary of storymap: every stage reads and writes these types.

Text-side types (``Article``, ``Section``, ``Sentence``, ``Mention``) are plain
frozen dataclasses: they are produced and consumed in memory only.  Story-side
types (``Story``, ``Place``, ``Layer``, ``Chapter``, ``PlaceMention``) are pydantic models
because they round-trip through the editable story file and must be validated; they live in
``storymap.story`` and are importable from here too, loaded (with pydantic) when first used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from storymap.story import Chapter, Layer, Place, PlaceMention, Story

__all__ = [
    "LOW_CONFIDENCE",
    "PLACE_KINDS",
    "Article",
    "Chapter",
    "Layer",
    "Mention",
    "Place",
    "PlaceKind",
    "PlaceMention",
    "Section",
    "Sentence",
    "Story",
]

PlaceKind = Literal["city", "country", "admin", "water", "region", "landmark"]
PLACE_KINDS: tuple[str, ...] = ("city", "country", "admin", "water", "region", "landmark")

#: Places below this confidence are flagged for an editor to review.
LOW_CONFIDENCE = 0.5


# --------------------------------------------------------------------------- text side


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: ``text == article.text[start:end]``; ``section`` indexes ``Article.sections``."""

    start: int
    end: int
    text: str
    section: int


@dataclass(frozen=True, slots=True)
class Section:
    """A run of paragraphs under one heading (``heading`` is ``""`` for the lead)."""

    heading: str
    start: int
    end: int
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """An article as plain text with its structure; all offsets index ``text``.

    A web page also gives its ``byline``, ``date`` (ISO ``YYYY-MM-DD``), ``site`` name and
    canonical ``url`` (http or https only); they are ``""`` when unknown.
    """

    text: str
    title: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    source: str = ""
    byline: str = ""
    date: str = ""
    site: str = ""
    url: str = ""

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (binary search), or -1."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return -1


@dataclass(frozen=True, slots=True)
class Mention:
    """One toponym in a text, resolved to one gazetteer entry.

    ``text == source_text[start:end]``.  ``ref`` is the gazetteer entry id; for a
    landmark that stands for a place (``"Oval Office"``), ``stands_for`` is the ref of
    that place.  ``demonym`` marks adjectival mentions (``"Colombian"``).
    """

    start: int
    end: int
    text: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str
    confidence: float
    ref: str
    demonym: bool = False
    stands_for: str | None = None
    geometry: dict[str, Any] | None = field(default=None, compare=False, repr=False)


_STORY_TYPES = ("Chapter", "Layer", "Place", "PlaceMention", "Story")


def __getattr__(name: str) -> Any:
    # The story side needs pydantic: import it when a story type is first used.
    if name in _STORY_TYPES:
        from storymap import story

        return getattr(story, name)
    raise AttributeError(f"module 'storymap.model' has no attribute {name!r}")
