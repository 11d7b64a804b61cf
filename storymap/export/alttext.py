"""A text description of the map, written from the story: for image alt text, iframes, screen readers.

"Map of 13 places in 3 layers. Military action: Caribbean Sea, Eastern Pacific Ocean, Gaza.
Drugs and crime: Dubai, Madrid, Miami. Diplomacy and politics: ..." Pure: plain text, which
every caller escapes for its own format.
"""

from __future__ import annotations

from storymap.model import Chapter, Story

#: Names listed per layer before "and N more".
MOST_NAMES = 8
OTHER_TITLE = "Other places"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _names(names: list[str]) -> str:
    names = sorted(names, key=lambda n: (n.casefold(), n))
    if len(names) > MOST_NAMES:
        return ", ".join(names[:MOST_NAMES]) + f" and {len(names) - MOST_NAMES} more"
    return ", ".join(names)


def alt_text(story: Story, chapter: Chapter | int | None = None) -> str:
    """The map described in words: how many places in how many layers, then each layer's places.

    ``chapter`` (a ``Chapter`` or its 1-based number) describes that chapter's view instead of
    the overview.
    """
    if isinstance(chapter, int):
        chapter = story.chapters[chapter - 1]
    wanted = set(chapter.places) if chapter is not None else None
    places = [p for p in story.places if wanted is None or p.id in wanted]
    groups: dict[str, list[str]] = {layer.id: [] for layer in story.layers}
    titles = {layer.id: layer.title for layer in story.layers}
    for p in places:
        key = p.layer if p.layer in groups else ""
        groups.setdefault(key, []).append(p.name)
    titles[""] = OTHER_TITLE
    used = [(lid, names) for lid, names in groups.items() if names]
    head = f"Map of {_count(len(places), 'place')} in {_count(len(used), 'layer')}"
    if chapter is not None:
        head = f"{chapter.title.strip() or 'Chapter'}: map of {_count(len(places), 'place')} in " + _count(
            len(used), "layer"
        )
    if not places:
        return f"{head}."
    parts = [f"{head}."] + [
        f"{_flat(titles[lid])}: {_names([_flat(n) for n in names])}." for lid, names in used
    ]
    return " ".join(parts)


def _flat(text: str) -> str:
    """``text`` on one line with single spaces (alt text and attributes have no line breaks)."""
    return " ".join(text.split())
