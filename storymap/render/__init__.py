"""Render a ``Story`` to one self-contained HTML page (folium + Leaflet, inlined, no network)."""

from __future__ import annotations

import sys
import types
from typing import Any, Unpack

from storymap.model import Story
from storymap.render.map import PageOptions, build_map


def render_html(story: Story, **options: Unpack[PageOptions]) -> str:
    """The story map page for ``story`` as HTML text (options: ``PageOptions``).

    Pure: no disk or network I/O besides loading package data. The same story always gives
    the same bytes.
    """
    return build_map(story, **options).render()


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
