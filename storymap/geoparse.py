"""Geoparsing: find the place names in a text and resolve each to one gazetteer entry.

``find_mentions`` is the whole stage: recognition (``storymap.recognise``) proposes
spans and candidate entries, resolution (``storymap.resolve``) picks one entry per span
using the rest of the document.  It is pure: besides loading the package's gazetteer
(``storymap.gazetteer``) and area outlines (``storymap.areas``) once per process, it does
no I/O, and the same text always gives the same mentions.

What a ``Mention`` holds:

* ``ref`` -- a gazetteer id, stable across builds: ``gn:<GeoNames id>`` (towns),
  ``us-county:<FIPS>``, ``country:CO``, ``admin:US-TX``, ``region:middle-east``,
  ``water:caribbean-sea``, ``landmark:white-house``, and for a direction-qualified area
  ``dir:<direction>:<area id>`` ("eastern Pacific" -> ``dir:east:water:pacific-ocean``);
* ``lat``/``lon`` -- the town's point, or an area's conventional centroid (for a
  directional part, the centre of that part);
* ``geometry`` -- the GeoJSON outline of areas and directional parts, ``None`` for towns,
  landmarks and point-only regions; shared between mentions of one area, so read-only;
* ``confidence`` -- roughly the probability that the resolution is right (the bench
  prints the calibration);
* ``demonym`` -- "Colombian" names Colombia adjectivally; ``stands_for`` -- the ref of the
  place a landmark stands for ("White House" -> Washington, ``gn:4140963``).
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
