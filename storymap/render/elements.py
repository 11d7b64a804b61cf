"""The custom map UI as folium ``MacroElement``s: page head, story data, panel, navigation,
places list, legend, popups and the runtime that wires them to Leaflet.

Each element has a jinja2 template in ``templates/`` (autoescape on) and an ``options`` dict,
like folium's own plugins. Unlike a plain ``MacroElement`` they never feed their rendered
output back through ``jinja2.Template`` (branca does that, which would evaluate any ``{{ }}``
found in article text), and article text reaches JavaScript only through JSON blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from branca.element import Element, Figure, MacroElement
from folium.map import Layer, LayerControl
from jinja2 import Template
from markupsafe import Markup

from storymap.render.assets import environment


class _Raw(Element):
    """An element that outputs a fixed string verbatim (never parsed as a template)."""

    _template = Template("{{ this.content }}")

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.content = content if isinstance(content, Markup) else Markup(content)  # no copy


@lru_cache(maxsize=16)
def _markup(text: str) -> Markup:
    """``Markup(text)``, made once per text: every page inlines the same assets (a copy each)."""
    return Markup(text)


@lru_cache(maxsize=16)
def _inlined(name: str, text: str, closer: str) -> Markup:
    """``text`` as markup to inline in a ``<script>`` or ``<style>`` element, which ``closer`` would
    end early (``ValueError``); checked once per text."""
    if closer in text.lower():
        raise ValueError(f"{name} contains {closer!r} and cannot be inlined")
    return Markup(text)


def render_macro_safely(
    element: MacroElement, kwargs: dict[str, Any], wrap: Callable[[str], Element] | None = None
) -> None:
    """Like ``MacroElement.render`` but adds each macro's output as text (``wrap``, verbatim by
    default) instead of parsing it again as a template; folium's own helper children likewise."""
    wrap = wrap or _Raw
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise TypeError(f"{type(element).__name__} must be inside a Figure to render")
    module = element._template.module.__dict__
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = module.get(part)
        if macro is not None:
            target.add_child(wrap(macro(element, kwargs)), name=element.get_name())
    for child in element._children.values():
        if type(child).render is MacroElement.render:  # folium's own helpers (ElementAddToElement)
            render_macro_safely(child, kwargs, wrap)
        else:
            child.render(**kwargs)


class StoryElement(MacroElement):
    """Base of storymap's UI elements: a template from ``templates/`` and an ``options`` dict."""

    template_name = ""
    element_name = "StoryElement"

    def __init__(self, **options: Any) -> None:
        super().__init__()
        self._name = self.element_name
        self._template = environment().get_template(self.template_name)
        self.options = options

    def render(self, **kwargs: Any) -> None:
        render_macro_safely(self, kwargs)

    def fragment(self, kwargs: dict[str, Any]) -> Markup:
        """This element's ``html`` macro as markup, for a parent that places it itself."""
        return Markup(self._template.module.__dict__["html"](self, kwargs))


class StoryLayerControl(LayerControl):
    """folium's LayerControl, rendered without re-parsing (labels hold escaped article text)."""

    def render(self, **kwargs: Any) -> None:
        self.reset()
        for item in self._parent._children.values():
            if isinstance(item, Layer) and item.control:
                target = self.overlays if item.overlay else self.base_layers
                target[item.layer_name] = item.get_name()
        render_macro_safely(self, kwargs)


class PageHead(StoryElement):
    """``<title>``, viewport, description, and the inlined Leaflet + storymap CSS/JS."""

    template_name = "page_head.html.j2"
    element_name = "PageHead"

    def __init__(
        self,
        title: str,
        description: str,
        leaflet_js: str,
        leaflet_css: str,
        css: str,
        highlights: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.title = title
        self.description = description
        self.leaflet_js = _inlined("leaflet_js", leaflet_js, "</script")
        self.leaflet_css = _inlined("leaflet_css", leaflet_css, "</style")
        self.storymap_css = _markup(css)
        #: Per-layer colours of the mentions in the chapter text (``.sm-hl-N`` rules); validated hex only.
        self.highlights = highlights or []


class StoryData(StoryElement):
    """The story, the runtime configuration and the basemap as JSON script blocks (the basemap may
    come as ``assets.JSONText``, written already; the story's outlines as ``assets.JSONPiece``)."""

    template_name = "story_data.html.j2"
    element_name = "StoryData"

    def __init__(self, data: dict[str, Any], basemap: dict[str, Any] | str, config: dict[str, Any]) -> None:
        super().__init__()
        self.data = data
        self.basemap = basemap
        self.config = config


class Popups(StoryElement):
    """One inert ``<template>`` per place holding its popup (quotes with the mention marked)."""

    template_name = "popup.html.j2"
    element_name = "Popups"

    def __init__(self, places: list[dict[str, Any]], lang: str = "en") -> None:
        super().__init__()
        self.places = places
        self.lang = lang

    def render(self, **kwargs: Any) -> None:
        html = self._template.render(places=self.places, lang=self.lang)
        self.get_root().html.add_child(_Raw(html), name=self.get_name())


class ChapterNavigation(StoryElement):
    """Previous/next buttons, a chapter menu and the progress count (placed in the panel)."""

    template_name = "chapter_nav.html.j2"
    element_name = "ChapterNavigation"

    def __init__(self, chapters: list[Any], **options: Any) -> None:
        super().__init__(**options)
        self.chapters = chapters


class PlacesList(StoryElement):
    """Every place with its layer and first sentence: the screen-reader twin of the map."""

    template_name = "places_list.html.j2"
    element_name = "PlacesList"

    def __init__(self, places: list[dict[str, Any]], **options: Any) -> None:
        super().__init__(**options)
        self.places = places


class Legend(StoryElement):
    """Layer colours and place counts, and what the polygon styles and review rings mean."""

    template_name = "legend.html.j2"
    element_name = "Legend"

    def __init__(self, layers: list[dict[str, Any]], **options: Any) -> None:
        super().__init__(**options)
        self.layers = layers


class StoryPanel(StoryElement):
    """Title, standfirst and chapter texts; hosts the navigation and the places list.

    ``links`` holds each chapter's paragraphs as segments (``render.mentions.Segment``): runs
    that name a place become focusable mentions, coloured by ``hl`` (place id -> layer index).
    """

    template_name = "story_panel.html.j2"
    element_name = "StoryPanel"

    def __init__(
        self,
        story: Any,
        names: dict[str, str],
        links: list[list[list[Any]]],
        hl: dict[str, int],
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.story = story
        self.names = names
        self.links = links
        self.hl = hl

    def fragments(self, kwargs: dict[str, Any]) -> list[Markup]:
        """The html of the child elements placed inside the panel body (all but the navigation)."""
        return [
            c.fragment(kwargs)
            for c in self._children.values()
            if isinstance(c, StoryElement) and not isinstance(c, ChapterNavigation)
        ]

    def navigation(self, kwargs: dict[str, Any]) -> list[Markup]:
        """The chapter navigation, placed after the panel body (the page opens on the overview)."""
        return [c.fragment(kwargs) for c in self._children.values() if isinstance(c, ChapterNavigation)]

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        html = self._template.module.__dict__["html"](self, kwargs)
        figure.html.add_child(_Raw(html), name=self.get_name())


class Runtime(StoryElement):
    """The storymap runtime JS and the call that hands it the Leaflet objects by variable name."""

    template_name = "runtime.js.j2"
    element_name = "Runtime"

    def __init__(self, runtime_js: str, groups: dict[str, Element], features: dict[str, Element]) -> None:
        super().__init__()
        self.runtime_js = _markup(runtime_js)
        self._groups = groups
        self._features = features

    @property
    def map_name(self) -> str:
        return self._parent.get_name()

    @property
    def control_name(self) -> str:
        for child in self._parent._children.values():
            if isinstance(child, LayerControl):
                return child.get_name()
        return "null"

    @property
    def groups(self) -> list[tuple[str, str]]:
        return [(k, v.get_name()) for k, v in self._groups.items()]

    @property
    def features(self) -> list[tuple[str, str]]:
        return [(k, v.get_name()) for k, v in self._features.items()]
