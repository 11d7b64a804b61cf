"""Render a ``Story`` to one self-contained HTML page (folium + Leaflet, inlined, no network)."""

from __future__ import annotations

import sys
import types
from typing import Any

from storymap.model import Story
from storymap.render.map import build_map


def render_html(
    story: Story,
    *,
    tiles: str | None = None,
    embed: bool = False,
    still: bool = True,
    image_url: str | None = None,
    page_url: str | None = None,
) -> str:
    """The story map page for ``story`` as HTML text.

    Pure: no disk or network I/O besides loading package data. ``tiles`` is an xyzservices
    provider name or a ``{z}/{x}/{y}`` URL template that adds online tiles (otherwise the map
    uses only its embedded vector basemap); ``embed`` selects the compact layout for iframes.
    ``still`` inlines the still image (shown when scripts are off and in print);
    ``image_url``/``page_url`` (absolute) add social card tags. The same story always gives
    the same bytes.
    """
    figure = build_map(story, tiles=tiles, embed=embed, still=still, image_url=image_url, page_url=page_url)
    return figure.render()


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

__all__ = ["render_html"]
