"""One chapter per article section, listing the places the section mentions."""

from __future__ import annotations

from collections.abc import Sequence

from storymap.model import Article, Chapter, Place

LEAD_TITLE = "Introduction"


def make_chapters(article: Article, places: Sequence[Place]) -> list[Chapter]:
    """Chapters in article order; each lists its places in order of first mention."""
    chapters: list[Chapter] = []
    for index, section in enumerate(article.sections):
        mentioned = sorted(
            (m.start, p.id) for p in places for m in p.mentions if section.start <= m.start < section.end
        )
        place_ids = list(dict.fromkeys(pid for _, pid in mentioned))
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
    """The article's first sentence, shortened to ``limit`` characters, as a standfirst."""
    if not article.sentences:
        return ""
    first = " ".join(article.sentences[0].text.split())
    if first == article.title or len(first) <= limit:
        return "" if first == article.title else first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
