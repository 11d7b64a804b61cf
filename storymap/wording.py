"""Whole-word keyword matching for the layer lexicon: stems, set phrases and place names.

A keyword matches a whole word, case-insensitively.  A trailing ``*`` marks a real stem:
it matches the stem with an ordinary English ending ("traffick*" -> "trafficking",
"traffickers"; "bomb*" -> "bombing", "bombers"), never any word that merely starts with
it ("port*" does not match "Portland" or "portion", "bomb*" does not match "Bombay").
Spaces in a keyword match any run of white space or a hyphen ("air strike" also matches
"air-strike").  Pure: no I/O, nothing about any article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The endings a stem keyword may take (none, or one of these, optionally pluralised).
SUFFIXES = (
    "e", "s", "es", "ed", "d", "ing", "er", "or", "ion", "ation", "ment", "al", "ial", "ally",
    "y", "ies", "ied", "ist", "ism", "ive", "ity", "ities", "ee", "ure", "t", "cy", "cies",
)  # fmt: skip
_SUFFIX = "(?:" + "|".join(sorted(SUFFIXES, key=len, reverse=True)) + ")?s?"


def keyword_regex(keyword: str) -> str:
    """The regular expression (no anchors) of one keyword or ``stem*``."""
    stem = keyword.endswith("*")
    words = keyword.rstrip("*").strip().split()
    body = r"[\s-]+".join(re.escape(w) for w in words)
    return body + _SUFFIX if stem else body


def compile_words(keywords: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive whole-word pattern for ``keywords`` (None when there are none)."""
    alternatives = sorted({keyword_regex(k) for k in keywords}, key=lambda r: (-len(r), r))
    if not alternatives:
        return None
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every match of ``pattern`` in ``text``."""
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def count(pattern: re.Pattern[str] | None, text: str, exclude: re.Pattern[str] | None = None) -> int:
    """Matches of ``pattern`` in ``text`` outside the matches of ``exclude`` (set phrases)."""
    if pattern is None:
        return 0
    masked = spans(exclude, text)
    return sum(1 for s, e in spans(pattern, text) if not any(s < me and ms < e for ms, me in masked))


def blank(text: str, names: Iterable[str]) -> str:
    """``text`` with every occurrence of the ``names`` (place names) replaced by spaces.

    A keyword never matches inside a place's own name: "Port Moresby", "Storm Lake".
    """
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        pattern = r"(?<!\w)" + re.escape(name) + r"(?!\w)"
        text = re.sub(pattern, lambda m: " " * len(m.group()), text, flags=re.IGNORECASE)
    return text
