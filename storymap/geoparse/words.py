"""The geoparser's shared word lists: locative prepositions and calendar words.

Recognition asks whether a name follows a locative ("near Sake"), resolution whether a
group of mentions is ever used as a location, and ``unresolved_names`` which capitalised
names are used like places; all read these lists, so they agree.
"""

from __future__ import annotations

import re

#: Prepositions that put a place right after them ("in", "near", "at").
LOCATIVES = ("in", "near", "outside", "from", "to", "at", "around")
#: Prepositions of movement that also introduce a place ("toward Kyiv", "into Gaza").
MOTION = ("across", "toward", "towards", "into")

#: Capitalised words that follow "in" and are never places there: months, weekdays, seasons.
CALENDAR = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september"]
    + ["october", "november", "december"]
    + ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    + ["spring", "summer", "autumn", "fall", "winter"]
)

#: A locative (or "of": "outskirts of Goma") right before a position.
AFTER_LOCATIVE = re.compile(r"\b(?:" + "|".join(LOCATIVES + ("of",)) + r")[ \u00a0]+$")

#: A capitalised name right after a word that introduces a location ("in", "near", "at the").
LOCATIVE_NAME = re.compile(
    r"\b(?:" + "|".join(LOCATIVES + MOTION) + r")[ \t]+(?:the[ \t]+)?"
    r"((?:[A-Z][\w\u2019'-]*)(?:[ \t]+(?:of[ \t]+|de[ \t]+|del[ \t]+)?[A-Z][\w\u2019'-]*){0,3})"
)


def after_locative(text: str, start: int) -> bool:
    """Whether a locative preposition stands right before ``start`` ("in", "near", "at")."""
    return AFTER_LOCATIVE.search(text, max(0, start - 12), start) is not None
