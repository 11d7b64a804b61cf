"""One chapter per article section, listing the places the section mentions."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from storymap.model import Article, Chapter, Place

LEAD_TITLE = "Introduction"
#: The chapter text a story keeps, in characters (about 2 MB: forty long reads). The page shows
#: the text twice (the panel and the story JSON), so this bounds the page of any article.
MAX_TEXT = 2_000_000


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


def cap_text(chapters: list[Chapter], notes: list[str] | None = None) -> list[Chapter]:
    """``chapters`` with at most ``MAX_TEXT`` characters of text in all, in article order.

    Past the cap a paragraph is cut at a space (ending in "…") and later chapters keep their
    title and places but no text. When it cuts, a one-line warning is appended to ``notes``.
    """
    total = sum(len(p) for c in chapters for p in c.text)
    if total <= MAX_TEXT:
        return chapters
    budget = MAX_TEXT
    out: list[Chapter] = []
    first_cut = 0
    for i, chapter in enumerate(chapters):
        kept: list[str] = []
        for para in chapter.text:
            if len(para) <= budget:
                kept.append(para)
                budget -= len(para)
                continue
            if budget > 0:
                cut = para.rfind(" ", 0, budget)
                kept.append(para[: cut if cut > 0 else budget].rstrip() + "…")
            budget = 0
            break
        if len(kept) < len(chapter.text) or kept[-1:] != chapter.text[-1:]:
            first_cut = first_cut or i + 1
            chapter = chapter.model_copy(update={"text": kept})
        out.append(chapter)
    if notes is not None:
        n = len(chapters)
        where = (
            f"chapter {n} keeps its places, not all its text"
            if first_cut == n
            else f"chapters {first_cut}-{n} keep their places, not all their text"
        )
        notes.append(f"the text runs to {total:,} characters, the map keeps the first {MAX_TEXT:,} ({where})")
    return out


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
