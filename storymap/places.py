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

#: Caps that keep a pathological article (one place name repeated a million times) small: each
#: cut is reported through ``notes``.  A quote longer than ``MAX_QUOTE`` keeps the text around
#: the mention.
MAX_MENTIONS_PER_PLACE = 200
MAX_PLACES = 500
MAX_QUOTE = 600


def group_places(
    article: Article, mentions: Iterable[Mention], notes: list[str] | None = None
) -> list[Place]:
    """Places in order of first mention, each with its mentions quoted (up to the caps above).

    When a cap cuts, a one-line warning is appended to ``notes`` (if given).
    """
    mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    quote_of = _Quoter(article)
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
        if len(group) > MAX_MENTIONS_PER_PLACE and notes is not None:
            cap = MAX_MENTIONS_PER_PLACE
            notes.append(f"{head.name}: {len(group):,} mentions, the map quotes and links the first {cap}")
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
                mentions=[quote_of(m) for m in group[:MAX_MENTIONS_PER_PLACE]],
            )
        )
    if len(places) > MAX_PLACES:
        if notes is not None:
            notes.append(f"{len(places):,} places, the map shows the {MAX_PLACES} mentioned most")
        counts = {p.id: len(p.mentions) for p in places}
        keep = set(sorted(counts, key=lambda pid: -counts[pid])[:MAX_PLACES])
        places = [p for p in places if p.id in keep]
    return places


def quote(article: Article, mention: Mention) -> PlaceMention:
    """The mention with the sentence (or heading line) that contains it."""
    return _Quoter(article)(mention)


class _Quoter:
    """Quotes for the mentions of one article; the mentions of one sentence share one string.

    A sentence longer than ``MAX_QUOTE`` is quoted by the piece (of at most ``MAX_QUOTE``
    characters, cut at spaces) that holds the mention, so its mentions still share a few strings.
    """

    def __init__(self, article: Article) -> None:
        self.article = article
        self.pieces: dict[int, list[tuple[int, int, str]]] = {}

    def __call__(self, mention: Mention) -> PlaceMention:
        article = self.article
        index = article.sentence_at(mention.start)
        if index >= 0:
            sentence = article.sentences[index]
            text = sentence.text
            section = article.sections[sentence.section].heading if article.sections else ""
            if len(text) > MAX_QUOTE:
                text = self._piece(index, mention.start - sentence.start, len(mention.text))
        else:
            text, section = _line_around(article.text, mention.start), _section_at(article, mention.start)
            if len(text) > MAX_QUOTE:
                text = _window(text, max(text.find(mention.text), 0), len(mention.text))
        return PlaceMention(
            start=mention.start, end=mention.end, text=mention.text, sentence=text, section=section
        )

    def _piece(self, index: int, at: int, length: int) -> str:
        pieces = self.pieces.get(index)
        if pieces is None:
            pieces = self.pieces[index] = _pieces(self.article.sentences[index].text)
        for start, end, piece in pieces:
            if start <= at < end:
                if at + length <= end:
                    return piece
                break
        return _window(self.article.sentences[index].text, at, length)  # the mention spans two pieces


def _pieces(sentence: str) -> list[tuple[int, int, str]]:
    """``sentence`` cut at spaces into pieces of at most ``MAX_QUOTE`` characters: (start, end, text)."""
    out: list[tuple[int, int, str]] = []
    start, n = 0, len(sentence)
    while start < n:
        end = min(n, start + MAX_QUOTE)
        if end < n:
            space = sentence.rfind(" ", start + MAX_QUOTE // 2, end)
            end = space if space > start else end
        out.append((start, end, sentence[start:end].strip()))
        start = end
    return out


def _window(sentence: str, at: int, length: int) -> str:
    """About ``MAX_QUOTE`` characters of ``sentence`` around ``sentence[at:at + length]``, cut at spaces."""
    start = max(0, at - MAX_QUOTE // 2)
    end = min(len(sentence), start + MAX_QUOTE)
    if start > 0:
        space = sentence.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < len(sentence):
        space = sentence.rfind(" ", at + length, end)
        end = space if space >= 0 else end
    return sentence[start:end].strip()


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
