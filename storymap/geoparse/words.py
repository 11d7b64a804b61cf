"""The geoparser's shared word lists: locative prepositions and calendar words.

Recognition asks whether a name follows a locative ("near Sake"), resolution whether a
group of mentions is ever used as a location, and ``unresolved_names`` which capitalised
names are used like places; all read these lists, so they agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

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

#: The module's patterns, compiled when first asked for (``words.LOCATIVE_NAME``: the module's
#: ``__getattr__``): a process that only finds places uses neither (``LOCATIVE_NAME`` is for
#: ``unresolved_names``, a build's; ``nonplaces.after_locative`` reads ``AFTER_LOCATIVE`` backwards),
#: and compiling a pattern costs more than most texts' searches with it.
_PATTERNS = {
    # A locative (or "of": "outskirts of Goma") right before a position.
    "AFTER_LOCATIVE": r"\b(?:" + "|".join(LOCATIVES + ("of",)) + r")[ \u00a0]+$",
    # A capitalised name right after a word that introduces a location ("in", "near", "at the").
    "LOCATIVE_NAME": (
        r"\b(?:" + "|".join(LOCATIVES + MOTION) + r")[ \t]+(?:the[ \t]+)?"
        r"((?:[A-Z][\w\u2019'-]*)(?:[ \t]+(?:of[ \t]+|de[ \t]+|del[ \t]+)?[A-Z][\w\u2019'-]*){0,3})"
    ),
}


def lazy_patterns(module: str, patterns: dict[str, str]) -> Callable[[str], re.Pattern[str]]:
    """A module ``__getattr__`` that compiles each pattern of ``patterns`` (attribute name -> pattern
    text) when first asked for: a process that never reads one never compiles it (``re`` keeps
    nothing across processes, and a command's start-up pays for every module-level pattern)."""
    compiled = cache(lambda name: re.compile(patterns[name]))

    def __getattr__(name: str) -> re.Pattern[str]:
        if name in patterns:
            return compiled(name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__


#: ``AFTER_LOCATIVE`` and ``LOCATIVE_NAME``, compiled when first asked for.
__getattr__ = _compiled = lazy_patterns(__name__, _PATTERNS)


def after_locative(text: str, start: int) -> bool:
    """Whether a locative preposition stands right before ``start`` ("in", "near", "at")."""
    return _compiled("AFTER_LOCATIVE").search(text, max(0, start - 12), start) is not None
