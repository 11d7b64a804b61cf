"""Geoparsing: find the place names in a text and resolve each to one gazetteer entry.

``find_mentions`` is the whole stage: recognition (``storymap.geoparse.recognise``, which
asks ``storymap.geoparse.nonplaces`` about names that are not places: people, titles,
brands, things, page furniture) proposes
spans and candidate entries, resolution (``storymap.geoparse.resolve``) picks one entry per span
using the rest of the document.  It is pure: besides loading the package's gazetteer
(``storymap.geoparse.gazetteer``) and area outlines (``storymap.geoparse.areas``) once per process, it does
no I/O, and the same text always gives the same mentions.

What a ``Mention`` holds:

* ``ref`` -- a gazetteer id, stable across builds: ``gn:<GeoNames id>`` (towns),
  ``us-county:<FIPS>``, ``country:CO``, ``admin:US-TX``, ``region:middle-east``,
  ``water:caribbean-sea``, ``landmark:white-house``, ``place:el-alto`` (a curated town or
  district the compiled index lacks), and for a direction-qualified area
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

import gc
from bisect import bisect_left

from storymap.geoparse import words as _words
from storymap.geoparse.gazetteer import gazetteer
from storymap.geoparse.recognise import recognise
from storymap.geoparse.resolve import resolve
from storymap.geoparse.words import CALENDAR
from storymap.model import Mention

__all__ = ["find_mentions", "unresolved_names"]


def find_mentions(text: str, *, outlines: bool = True) -> list[Mention]:
    """Every place mention in ``text``, sorted by start; ``text[m.start:m.end] == m.text``.

    ``outlines=False`` leaves out the areas' outlines (``geometry`` is None in every mention), for
    a caller that shows none: the outlines of countries and seas are not read then, unless the text
    names a part of one ("northern Italy"), whose point is worked out from the outline."""
    if not text or not isinstance(text, str):
        return []
    g = gazetteer()
    # Geoparsing allocates many small objects that live until it returns; the cyclic garbage
    # collector would walk the gazetteer's caches over and over meanwhile (a tenth of the time).
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return resolve(text, recognise(text, g), g, outlines=outlines)
    finally:
        if paused:
            gc.enable()


def unresolved_names(text: str, mentions: list[Mention]) -> list[str]:
    """Capitalised names used like places ("talks in Xanadu") that no mention covers.

    They are what an editor should check: places missing from the gazetteer, or names the
    geoparser decided were not places.  Distinct names, in order of first use.
    """
    g = gazetteer()
    covered = sorted((m.start, m.end) for m in mentions)
    names: dict[str, None] = {}
    for match in _words.LOCATIVE_NAME.finditer(text):
        start, end = match.span(1)
        name = match.group(1)
        words = name.split()
        first = words[0].lower()
        if (
            first in CALENDAR
            or (len(words) == 1 and (first in g.common_words or name in g.surnames))
            or words[0] in g.given_names
            or words[0] in g.titles
            or any(w.endswith(("'s", "\u2019s")) for w in words)  # "from Trump's threats": whose
        ):
            continue
        if any(s < end and start < e for s, e in _overlapping(covered, start, end)):
            continue
        names.setdefault(name, None)
    return list(names)


def _overlapping(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    i = bisect_left(spans, (start, -1))
    return spans[max(0, i - 1) : i + 2]
