"""Merge the mentions of one entity into a ``Place``.

Mentions are grouped by the gazetteer entry they resolve to.  Two policies live here:

* A landmark that stands for a place ("White House" -> Washington) joins that
  place when the article also names the place itself; otherwise it is a place of
  its own, drawn at the landmark.
* A demonym ("Colombian") never makes a map place on its own: it only adds
  quotes to a country the article names outright.  "Turkish coffee" in a story
  about Paris should not put Turkey on the map.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from storymap.model import LOW_CONFIDENCE, Article, Mention, Place, PlaceMention


def group_places(article: Article, mentions: Iterable[Mention]) -> list[Place]:
    """Places in order of first mention, each with all its mentions quoted."""
    mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    named = {m.ref for m in mentions if not m.demonym}
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        key = m.stands_for if m.stands_for and m.stands_for in named else m.ref
        groups.setdefault(key, []).append(m)

    places: list[Place] = []
    taken: set[str] = set()
    for key, group in groups.items():
        if key not in named:
            continue
        head = next((m for m in group if m.ref == key and not m.demonym), group[0])
        confidence = max(m.confidence for m in group if not m.demonym)
        geometry = next((m.geometry for m in group if m.ref == key and m.geometry), None)
        places.append(
            Place(
                id=_unique_id(head, taken),
                name=head.name,
                kind=_kind(head.kind),
                lat=round(head.lat, 5),
                lon=round(head.lon, 5),
                geometry=geometry,
                country=head.country,
                confidence=round(confidence, 3),
                ref=key,
                review=confidence < LOW_CONFIDENCE,
                mentions=[quote(article, m) for m in group],
            )
        )
    return places


def quote(article: Article, mention: Mention) -> PlaceMention:
    """The mention with the sentence (or heading line) that contains it."""
    index = article.sentence_at(mention.start)
    if index >= 0:
        sentence = article.sentences[index]
        text, section = sentence.text, article.sections[sentence.section].heading if article.sections else ""
    else:
        text, section = _line_around(article.text, mention.start), _section_at(article, mention.start)
    return PlaceMention(
        start=mention.start, end=mention.end, text=mention.text, sentence=text, section=section
    )


def _line_around(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)].strip()


def _section_at(article: Article, offset: int) -> str:
    for section in article.sections:
        if section.start <= offset < section.end:
            return section.heading
    return ""


def _kind(kind: str) -> str:
    return kind if kind in ("city", "country", "admin", "water", "region", "landmark") else "region"


def slug(text: str) -> str:
    """A lowercase ASCII id made from ``text`` ("São Paulo" -> "sao-paulo")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "place"


def _unique_id(mention: Mention, taken: set[str]) -> str:
    candidates: Sequence[str] = (slug(mention.name), slug(f"{mention.name}-{mention.country}"))
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    n = 2
    while f"{candidates[0]}-{n}" in taken:
        n += 1
    taken.add(f"{candidates[0]}-{n}")
    return f"{candidates[0]}-{n}"
