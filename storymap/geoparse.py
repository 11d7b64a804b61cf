"""Geoparsing: find the place names in a text and resolve each to one gazetteer entry.

``find_mentions`` is the whole stage: recognition (``storymap.recognise``) proposes
spans and candidate entries, resolution (``storymap.resolve``) picks one entry per span
using the rest of the document.  It is pure: besides loading the package's gazetteer
once per process, it does no I/O.
"""

from __future__ import annotations

from storymap.gazetteer import gazetteer
from storymap.model import Mention
from storymap.recognise import recognise
from storymap.resolve import resolve

__all__ = ["find_mentions"]


def find_mentions(text: str) -> list[Mention]:
    """Every place mention in ``text``, sorted by start; ``text[m.start:m.end] == m.text``."""
    if not text or not isinstance(text, str):
        return []
    g = gazetteer()
    return resolve(text, recognise(text, g), g)
