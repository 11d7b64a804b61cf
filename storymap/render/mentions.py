"""Tie chapter text to map features: find each place's mentions in its chapter's paragraphs.

Mentions carry offsets into the article, not into the chapter paragraphs the panel shows, so
the paragraphs are matched again by surface form: case-sensitive, on word boundaries, longest
form first, never overlapping. Within one chapter a surface form belongs to one place only.
The result is plain data (text runs, some tied to a place id) that the panel template escapes;
it is never HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storymap.model import Chapter, Place, Story


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of paragraph text; ``place`` is the id of the place it names, or None for plain text."""

    text: str
    place: str | None = None


def _pattern(form: str) -> str:
    """A regex for ``form``: any run of whitespace matches any other, word edges are boundaries."""
    body = r"\s+".join(re.escape(part) for part in form.split())
    if re.match(r"\w", form):
        body = r"(?<!\w)" + body
    if re.search(r"\w$", form):
        body += r"(?!\w)"
    return body


def _owners(chapter: Chapter, places: dict[str, Place]) -> dict[str, str]:
    """Surface form -> place id for one chapter; a form claimed by several places goes to one.

    Preference: the place with more mentions of that form in this chapter's own sentences,
    then with more mentions of it anywhere, then the one the chapter lists first.
    """
    paragraphs = chapter.text
    scores: dict[str, tuple[tuple[int, int, int], str]] = {}
    for rank, pid in enumerate(chapter.places):
        place = places.get(pid)
        if place is None:
            continue
        here: dict[str, int] = {}
        total: dict[str, int] = {}
        for m in place.mentions:
            form = " ".join(m.text.split())
            if not form:
                continue
            total[form] = total.get(form, 0) + 1
            if m.sentence and any(m.sentence in para for para in paragraphs):
                here[form] = here.get(form, 0) + 1
        for form, count in total.items():
            score = (here.get(form, 0), count, -rank)
            if form not in scores or score > scores[form][0]:
                scores[form] = (score, pid)
    return {form: pid for form, (_, pid) in scores.items()}


def link_paragraph(text: str, owners: dict[str, str], matcher: re.Pattern[str] | None) -> list[Segment]:
    """``text`` as segments, every match of ``matcher`` tied to the place owning its form."""
    if matcher is None or not text:
        return [Segment(text)]
    out: list[Segment] = []
    pos = 0
    for match in matcher.finditer(text):
        form = " ".join(match.group(0).split())
        if match.start() > pos:
            out.append(Segment(text[pos : match.start()]))
        out.append(Segment(match.group(0), owners[form]))
        pos = match.end()
    if pos < len(text) or not out:
        out.append(Segment(text[pos:]))
    return out


def matcher_for(owners: dict[str, str]) -> re.Pattern[str] | None:
    """One alternation of every form, longest first (so the longest form wins at each position)."""
    if not owners:
        return None
    forms = sorted(owners, key=lambda f: (-len(f), f))
    return re.compile("|".join(_pattern(f) for f in forms))


def link_chapter(chapter: Chapter, places: dict[str, Place]) -> list[list[Segment]]:
    """The chapter's paragraphs as segments, each mention of one of its places tied to that place."""
    owners = _owners(chapter, places)
    matcher = matcher_for(owners)
    return [link_paragraph(para, owners, matcher) for para in chapter.text]


def link_story(story: Story) -> list[list[list[Segment]]]:
    """Segments for every paragraph of every chapter (chapters, then paragraphs, then runs)."""
    places = {p.id: p for p in story.places}
    return [link_chapter(chapter, places) for chapter in story.chapters]


def mention_order(story: Story) -> list[str]:
    """Place ids in order of first mention in the article (places never mentioned last, as listed)."""
    never = float("inf")
    indexed = list(enumerate(story.places))
    indexed.sort(key=lambda ip: (min((m.start for m in ip[1].mentions), default=never), ip[0]))
    return [p.id for _, p in indexed]
