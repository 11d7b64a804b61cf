"""Render a ``Story`` to one self-contained HTML page (folium + Leaflet, inlined, no network)."""

from __future__ import annotations

from storymap.model import Story
from storymap.render.map import build_map


def render_html(story: Story, *, tiles: str | None = None, embed: bool = False) -> str:
    """The story map page for ``story`` as HTML text.

    Pure: no disk or network I/O besides loading package data. ``tiles`` is an xyzservices
    provider name or a ``{z}/{x}/{y}`` URL template that adds online tiles (otherwise the map
    uses only its embedded vector basemap); ``embed`` selects the compact layout for iframes.
    The same story always gives the same bytes.
    """
    return build_map(story, tiles=tiles, embed=embed).render()


__all__ = ["render_html"]
