"""Render a ``Story`` to one self-contained HTML page (folium + Leaflet, inlined, no network)."""

from __future__ import annotations

import sys
import types
from typing import Any, Unpack

from storymap.errors import InputError
from storymap.model import Story
from storymap.recent import remembered
from storymap.render.map import PageOptions, build_map

#: The largest page storymap makes, in bytes of UTF-8. The caps on places, quotes, links and text
#: (``places``, ``chapters``, ``validate``) keep the page of any article well below it; a story
#: that still exceeds it is refused rather than written.
MAX_HTML_BYTES = 64 * 1024 * 1024


def render_html(story: Story, **options: Unpack[PageOptions]) -> str:
    """The story map page for ``story`` as HTML text (options: ``PageOptions``).

    Pure: no disk or network I/O besides loading package data. The same story always gives
    the same bytes. Raises ``InputError`` for a page over ``MAX_HTML_BYTES``.
    """
    with remembered():  # the story does not change while it is drawn
        page = build_map(story, **options).render()
    size = len(page) if len(page) > MAX_HTML_BYTES else len(page.encode("utf-8"))
    if size > MAX_HTML_BYTES:
        raise InputError(
            story.source or "story",
            f"the map page would be {size / 2**20:,.1f} MB, the limit is {MAX_HTML_BYTES / 2**20:.0f} MB: "
            "give it fewer places, shorter quotes or less chapter text",
        )
    return page


class _CallableModule(types.ModuleType):
    """This package, callable as ``storymap.render(story, ...)``.

    Importing ``storymap.render`` (which ``storymap.build()`` does) makes the package an
    attribute of ``storymap``, where it replaces the lazily imported ``pipeline.render``
    function: calling the package forwards to that function, so both spellings keep working.
    """

    def __call__(self, story: Story, **options: Any) -> str:
        from storymap.pipeline import render

        return render(story, **options)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["PageOptions", "render_html"]
