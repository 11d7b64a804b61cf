"""Tie chapter text to map features: find each place's mentions in its chapter's paragraphs.

Mentions carry offsets into the article, not into the chapter paragraphs the panel shows, so
the paragraphs are matched again by surface form: case-sensitive, on word boundaries, longest
form first, never overlapping. Within one chapter a surface form belongs to one place only,
and only the chapter's own places are linked; where the longest form at a spot names a place
from another chapter, nothing there is linked (its shorter parts are not mentions either).
The result is plain data (text runs, some tied to a place id) that the panel template escapes;
it is never HTML. A place is linked at most ``MAX_LINKS_PER_PLACE`` times in the whole story (the
cap on quoted mentions, ``places.MAX_MENTIONS_PER_PLACE``): an article that names one place a
million times stays a page of plain text, not of a million links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from storymap.model import Chapter, Place, Story
from storymap.places import MAX_MENTIONS_PER_PLACE

#: Links from the chapter text to one place, at most (the rest of its names stay plain text).
MAX_LINKS_PER_PLACE = MAX_MENTIONS_PER_PLACE


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of paragraph text; ``place`` is the id of the place it names, or None for plain text."""

    text: str
    place: str | None = None


def _form(text: str) -> str:
    """A mention's surface form with its whitespace normalised (the key forms are compared by)."""
    return " ".join(text.split())


def _pattern(form: str) -> str:
    """A regex for ``form``: any run of whitespace matches any other, word edges are boundaries."""
    body = r"\s+".join(re.escape(part) for part in form.split())
    if re.search(r"\w$", form):
        body += r"(?!\w)"
    return body


def matcher_for(forms: Iterable[str]) -> re.Pattern[str] | None:
    r"""One regex for all ``forms``, longest first (so the longest form wins at each position).

    Forms that start with a word character share one leading ``(?<!\w)``: a form starting with a
    word character and one starting with another character never match at the same position,
    and the shared look-behind lets the regex engine skip positions inside words quickly.
    """
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    if not ordered:
        return None
    words = [_pattern(f) for f in ordered if re.match(r"\w", f)]
    others = [_pattern(f) for f in ordered if not re.match(r"\w", f)]
    parts = ([r"(?<!\w)(?:" + "|".join(words) + ")"] if words else []) + (
        ["(?:" + "|".join(others) + ")"] if others else []
    )
    return re.compile("|".join(parts))


class Linker:
    """Ties chapter paragraphs to places; built once per story (one regex for every form)."""

    def __init__(self, places: Iterable[Place], limit: int | None = None) -> None:
        self.places = {p.id: p for p in places}
        #: links per place at most (``MAX_LINKS_PER_PLACE``), and how many each place has had
        self.limit = MAX_LINKS_PER_PLACE if limit is None else limit
        self.linked: dict[str, int] = {}
        #: place id -> surface form -> how many of its mentions use that form
        self.forms: dict[str, dict[str, int]] = {}
        for pid, place in self.places.items():
            counts: dict[str, int] = {}
            for m in place.mentions:
                if form := _form(m.text):
                    counts[form] = counts.get(form, 0) + 1
            self.forms[pid] = counts
        self.matcher = matcher_for(f for counts in self.forms.values() for f in counts)

    def owners(self, chapter: Chapter) -> dict[str, str]:
        """Surface form -> place id for one chapter; a form claimed by several places goes to one.

        Preference: the place with more mentions of that form in this chapter's own sentences,
        then with more mentions of it anywhere, then the one the chapter lists first. Only
        contested forms need the (costlier) look at where their sentences are.
        """
        claims: dict[str, dict[str, int]] = {}
        rank: dict[str, int] = {}
        for i, pid in enumerate(chapter.places):
            if pid not in self.forms or pid in rank:
                continue
            rank[pid] = i
            for form, n in self.forms[pid].items():
                claims.setdefault(form, {})[pid] = n
        joined = "\n".join(chapter.text)
        inside: dict[str, bool] = {}  # sentence -> found in this chapter (many mentions share one)
        owners: dict[str, str] = {}
        for form, by in claims.items():
            if len(by) == 1:
                owners[form] = next(iter(by))
                continue
            here: dict[str, int] = {}
            for pid in by:
                for m in self.places[pid].mentions:
                    if _form(m.text) == form:
                        if m.sentence not in inside:
                            inside[m.sentence] = bool(m.sentence) and m.sentence in joined
                        here[pid] = here.get(pid, 0) + inside[m.sentence]
            owners[form] = max(by, key=lambda pid: (here.get(pid, 0), by[pid], -rank[pid]))
        return owners

    def paragraph(self, text: str, owned: dict[str, str]) -> list[Segment]:
        """``text`` as segments, each match of a form owned in this chapter tied to its owner."""
        out: list[Segment] = []
        pos = scan = 0
        linked, limit = self.linked, self.limit
        open_places = {pid for pid in owned.values() if linked.get(pid, 0) < limit}
        while self.matcher is not None and open_places:
            match = self.matcher.search(text, scan)
            if match is None:
                break
            form = _form(match.group(0))
            scan = match.end()
            if form not in owned:
                continue  # a longer name of a place from elsewhere: neither it nor its parts are linked
            pid = owned[form]
            if pid not in open_places:
                continue  # linked often enough already
            if match.start() > pos:
                out.append(Segment(text[pos : match.start()]))
            out.append(Segment(match.group(0), pid))
            pos = match.end()
            linked[pid] = linked.get(pid, 0) + 1
            if linked[pid] >= limit:
                open_places.discard(pid)
        if pos < len(text) or not out:
            out.append(Segment(text[pos:]))
        return out

    def chapter(self, chapter: Chapter) -> list[list[Segment]]:
        """The chapter's paragraphs as segments, each mention of one of its places tied to that place."""
        owned = self.owners(chapter)
        return [self.paragraph(para, owned) for para in chapter.text]


def link_chapter(chapter: Chapter, places: dict[str, Place]) -> list[list[Segment]]:
    """The chapter's paragraphs as segments (see :class:`Linker`; build one Linker for many chapters)."""
    return Linker(places.values()).chapter(chapter)


def link_story(story: Story) -> list[list[list[Segment]]]:
    """Segments for every paragraph of every chapter (chapters, then paragraphs, then runs)."""
    linker = Linker(story.places)
    return [linker.chapter(chapter) for chapter in story.chapters]


def mention_order(story: Story) -> list[str]:
    """Place ids in order of first mention in the article (places never mentioned last, as listed)."""
    never = float("inf")
    indexed = list(enumerate(story.places))
    indexed.sort(key=lambda ip: (min((m.start for m in ip[1].mentions), default=never), ip[0]))
    return [p.id for _, p in indexed]
