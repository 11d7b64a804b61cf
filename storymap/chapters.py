"""One chapter per article section, listing the places the section mentions."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from storymap.model import Article, Chapter, Place

LEAD_TITLE = "Introduction"


def make_chapters(article: Article, places: Sequence[Place]) -> list[Chapter]:
    """Chapters in article order; each lists its places in order of first mention."""
    starts = [section.start for section in article.sections]
    mentioned: list[list[tuple[int, str]]] = [[] for _ in article.sections]
    for place in places:
        for m in place.mentions:
            index = bisect_right(starts, m.start) - 1
            if index >= 0 and m.start < article.sections[index].end:
                mentioned[index].append((m.start, place.id))
    chapters: list[Chapter] = []
    for index, section in enumerate(article.sections):
        place_ids = list(dict.fromkeys(pid for _, pid in sorted(mentioned[index])))
        chapters.append(
            Chapter(
                id=f"chapter-{index + 1}",
                title=section.heading or (LEAD_TITLE if index == 0 else f"Part {index + 1}"),
                text=list(section.paragraphs),
                places=place_ids,
            )
        )
    return chapters


def standfirst(article: Article, limit: int = 280) -> str:
    """The first sentence of the body that does not repeat the title, shortened to ``limit``."""
    title = " ".join(article.title.split())
    headings = {" ".join(s.heading.split()) for s in article.sections}
    for sentence in article.sentences:
        text = " ".join(sentence.text.split())
        if text in headings or (title and text.startswith(title.rstrip("…"))):
            continue
        if len(text) <= limit:
            return text
        return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ""
