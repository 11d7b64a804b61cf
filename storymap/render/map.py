"""Build the folium map of a ``Story``: one FeatureGroup per layer, markers and polygons, the UI.

The map is self-contained: folium's CDN links are dropped, Leaflet is inlined, a vector
basemap replaces tiles, and every element id is numbered in tree order so the same story
always gives the same bytes.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections import OrderedDict
from typing import Any, TypedDict

import folium
from branca.element import Element, Figure, MacroElement
from branca.utilities import _camelify
from folium.template import Template

from storymap import validate
from storymap.errors import InputError
from storymap.model import Place, Story
from storymap.render import assets, framing, shapes
from storymap.render.basemap import basemap_json as story_basemap_json
from storymap.render.basemap import page_geometries
from storymap.render.config import RuntimeConfig
from storymap.render.elements import (
    ChapterNavigation,
    Legend,
    PageHead,
    PlacesList,
    Popups,
    Runtime,
    StoryData,
    StoryLayerControl,
    StoryPanel,
    render_macro_safely,
)
from storymap.render.mentions import link_story, mention_order
from storymap.render.still import StillImage
from storymap.render.views import mention_colors, needs_review, place_view

#: Group id for places without a layer (cannot clash: real ids start with a letter or digit).
OTHER = "_other"
OTHER_COLOR = "#666666"
MAX_ZOOM = 7
AREA_KINDS = frozenset({"water", "region"})


# --------------------------------------------------------------------------- rendering without re-parsing

_NEWLINES = re.compile(r"\r\n|\r")
_TEMPLATE_SYNTAX = ("{{", "{%", "{#")


class _Rendered(Element):
    """A macro's output as branca's ``Element(text)`` renders it, without compiling ``text`` as a
    jinja2 template first (about a millisecond per element: a third of a page's build time).

    jinja2 hands template data back unchanged except that every newline becomes ``\\n`` and one
    trailing newline goes; ``_rendered`` keeps branca's own path for text that holds template syntax.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        text = _NEWLINES.sub("\n", text)
        self.text = text[:-1] if text.endswith("\n") else text

    def render(self, **kwargs: Any) -> str:
        return self.text


def _rendered(text: str) -> Element:
    return Element(text) if any(s in text for s in _TEMPLATE_SYNTAX) else _Rendered(text)


@functools.cache
def _camel(name: str) -> str:
    return _camelify(name)


class _Direct(MacroElement):
    """Mixed into folium's classes (just before ``MacroElement`` in their MRO): renders the macros
    like ``MacroElement.render`` with the same bytes, but without re-parsing their output, and
    names elements without re-camelising their class name on every call."""

    def render(self, **kwargs: Any) -> None:
        render_macro_safely(self, kwargs, _rendered)

    def get_name(self) -> str:
        return _camel(self._name) + "_" + self._id


class _FeatureGroup(folium.FeatureGroup, _Direct):
    pass


class _CircleMarker(folium.CircleMarker, _Direct):
    pass


class _GeoJson(folium.GeoJson, _Direct):
    pass


class _TileLayer(folium.TileLayer, _Direct):
    pass


class StoryFigure(Figure):
    """The HTML page: ``lang``, a body class for the layout, scripts at the end of ``<body>``."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n{{ this.header.render(**kwargs) }}\n</head>\n"
        '<body class="{{ this.body_class }}">\n{{ this.compact(this.html.render(**kwargs)) }}\n'
        "<script>\n{{ this.compact(this.script.render(**kwargs)) }}\n</script>\n"
        "</body>\n</html>\n"
    )

    def __init__(self, body_class: str, lang: str = "en") -> None:
        # ``Figure.__init__`` without its http-equiv meta tag (compiled as a template each time,
        # and not wanted: the page declares its charset itself).
        Element.__init__(self)
        self._name = "Figure"
        self.header, self.html, self.script = Element(), Element(), Element()
        for part in (self.header, self.html, self.script):
            part._parent = self
        self.width, self.height, self.ratio, self.title = "100%", "100%", "60%", None
        self.body_class = body_class
        self.lang = lang

    @staticmethod
    def compact(text: str) -> str:
        """``text`` without indentation and blank lines (folium indents deeply; 5-10 % of a page).

        Safe for the body and the map script: neither holds ``<pre>``, multi-line strings or
        template literals (storymap never uses folium's Popup/Tooltip, which do).
        """
        return "\n".join(stripped for line in text.split("\n") if (stripped := line.strip(" \t\r")))


class StoryMap(folium.Map, _Direct):
    """A folium Map with no CDN resources (Leaflet is inlined by ``PageHead``)."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []

    _template = Template(
        """
{% macro html(this, kwargs) %}<div class="folium-map" id={{ this.get_name()|tojson }} role="region"
 aria-label="Map" aria-describedby="sm-map-description"></div>{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {
  center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }}, ...{{ this.options|tojavascript }}
});
{% endmacro %}
"""
    )


# --------------------------------------------------------------------------- features


#: Seas, zones and regions larger than this (km² of main body) are wider than a country:
#: continents, oceans, ocean halves, "the Americas", "the Middle East". Drawn as an outline only.
WIDE_REGION_KM2 = 3.0e6
WIDE_WATER_KM2 = 14.0e6
#: Dashes mean one thing on the map: an editor should check this place.
REVIEW_DASH = "4 4"
#: Oceans and ocean halves are always wider than a country, whatever part of them is drawn.
OCEAN_REF = re.compile(r"^water:(?:[a-z-]+-ocean|(?:north|south)-(?:atlantic|pacific))$")


def area_class(place: Place) -> str:
    """How an area is drawn: ``country`` (countries and divisions: a light fill), ``zone`` (seas
    and regions up to a large country's size: translucent with a clear edge) or ``wide`` (wider
    than a country: an outline only, never a fill that covers the map). ``""`` for points."""
    if place.geometry is None:
        return ""
    if place.kind not in AREA_KINDS:
        return "country"
    if OCEAN_REF.match(place.ref):
        return "wide"
    limit = WIDE_WATER_KM2 if place.kind == "water" else WIDE_REGION_KM2
    return "wide" if framing.ground_area(place.geometry) > limit else "zone"


def _style(place: Place, color: str) -> dict[str, Any]:
    """The Leaflet path style of a place (also used by the runtime to reset highlights).

    The story's points are strongest (solid dots with a white ring); countries a light fill;
    zones (seas, regions) translucent with a clear solid edge; areas wider than a country an
    outline only. Dashes are kept for places an editor should check.
    """
    review = needs_review(place)
    kind = area_class(place)
    if kind == "wide":
        style = {"color": color, "weight": 1.5, "opacity": 0.8, "fill": False, "fillColor": color}
        style["fillOpacity"] = 0
    elif kind == "zone":
        style = {"color": color, "weight": 2, "opacity": 0.9, "fillColor": color, "fillOpacity": 0.16}
    elif kind == "country":
        style = {"color": color, "weight": 1, "opacity": 0.6, "fillColor": color, "fillOpacity": 0.08}
    else:
        style = {
            "radius": 6 if place.kind == "landmark" else 7,
            "color": "#1d2329" if review else "#ffffff",
            "weight": 2,
            "opacity": 1,
            "fillColor": color,
            "fillOpacity": 0.95,
        }
    if review:
        style["dashArray"] = REVIEW_DASH
    return style


def _feature(place: Place, style: dict[str, Any]) -> Element:
    if place.geometry is not None:
        # Drawn by the runtime from the story JSON: big polygons are not embedded twice.
        empty = {"type": "FeatureCollection", "features": []}
        return _GeoJson(empty, style_function=lambda _f, s=style: s, control=False)
    return _CircleMarker(
        location=[place.lat, place.lon],
        radius=style["radius"],
        color=style["color"],
        weight=style["weight"],
        opacity=style["opacity"],
        fill=True,
        fill_color=style["fillColor"],
        fill_opacity=style["fillOpacity"],
        dash_array=style.get("dashArray"),
    )


def bounds(story: Story) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` around every place and polygon, or None if there are none."""
    boxes = []
    for p in story.places:
        outline = None if p.geometry is None else shapes.shape(p.geometry)
        if outline is None or outline.is_empty:
            boxes.append((p.lon, p.lat, p.lon, p.lat))
        else:
            boxes.append(outline.bounds)  # the least and greatest of its coordinates
    if not boxes:
        return None
    return [
        [min(b[1] for b in boxes), min(b[0] for b in boxes)],
        [max(b[3] for b in boxes), max(b[2] for b in boxes)],
    ]


# --------------------------------------------------------------------------- tiles


def tile_layer(tiles: str) -> folium.TileLayer:
    """An online tile layer from an xyzservices provider name or a ``{z}/{x}/{y}`` URL template."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", tiles):  # a URL (any scheme: only http(s) pass)
        url, host = validate.tile_url(tiles)  # parsed and rebuilt: no markup can ride along
        return _TileLayer(tiles=url, attr=f"Tiles &copy; {html.escape(host)}", name="Tiles", control=False)
    provider = _provider(tiles)
    if provider is None:
        raise InputError(
            "--tiles",
            f"unknown tile provider {tiles!r}; expected an xyzservices name such as 'OpenStreetMap' "
            "or 'OpenTopoMap', or a URL template like https://tile.example.org/{z}/{x}/{y}.png",
        )
    if provider.requires_token():
        raise InputError("--tiles", f"tile provider {provider.name!r} needs an API key; pick a key-free one")
    return _TileLayer(tiles=provider, name=provider.name, control=False)


def _provider(name: str) -> Any:
    """The xyzservices provider called ``name`` ("OpenStreetMap" gives its first, Mapnik), or None."""
    import xyzservices

    try:
        return xyzservices.providers.query_name(name)
    except ValueError:
        pass
    node: Any = xyzservices.providers
    for part in re.split(r"[.\s]+", name.strip()):
        key = next((k for k in node if k.lower() == part.lower()), None) if part else None
        if key is None:
            return None
        node = node[key]
        if isinstance(node, xyzservices.TileProvider):
            break
    while not isinstance(node, xyzservices.TileProvider):
        node = next(iter(node.values()))
    return node


# --------------------------------------------------------------------------- ids


def number_ids(root: Element) -> None:
    """Replace branca's random element ids by their position in the tree (deterministic output)."""
    counter = itertools.count()

    def walk(element: Element) -> None:
        element._id = str(next(counter))
        children = list(element._children.values())
        for child in children:
            walk(child)
        element._children = OrderedDict((child.get_name(), child) for child in children)

    walk(root)


# --------------------------------------------------------------------------- the map


class PageOptions(TypedDict, total=False):
    """How a story is drawn, passed unchanged from ``pipeline.render`` and ``render_html`` to
    ``build_map`` (which holds the defaults).

    ``tiles``: an xyzservices provider name or a ``{z}/{x}/{y}`` URL template that adds online
    tiles (otherwise only the embedded vector basemap); ``embed``: the compact layout for
    iframes; ``still``: inline the still image (shown without scripts and in print);
    ``image_url``/``page_url``: the published addresses of the full-size image and of the page
    (social card tags).
    """

    tiles: str | None
    embed: bool
    still: bool
    image_url: str | None
    page_url: str | None


def build_map(
    story: Story,
    *,
    tiles: str | None = None,
    embed: bool = False,
    still: bool = True,
    image_url: str | None = None,
    page_url: str | None = None,
) -> StoryFigure:
    """The folium figure (page) for ``story``; render it with ``.render()``.

    ``still`` inlines the still image (shown without scripts and in print); ``image_url`` and
    ``page_url`` are the published addresses of the full-size image and the page (social tags).
    """
    layer_by_id = {layer.id: layer for layer in story.layers}
    group_ids = [layer.id for layer in story.layers]
    if any(not p.layer for p in story.places):
        group_ids.append(OTHER)
    titles = {lid: layer_by_id[lid].title if lid in layer_by_id else "Other places" for lid in group_ids}
    colors = {lid: layer_by_id[lid].color if lid in layer_by_id else OTHER_COLOR for lid in group_ids}
    members: dict[str, list[Place]] = {lid: [] for lid in group_ids}
    for place in story.places:
        members[place.layer or OTHER].append(place)

    box = bounds(story)
    center = [(box[0][0] + box[1][0]) / 2, (box[0][1] + box[1][1]) / 2] if box else [20.0, 0.0]
    fmap = StoryMap(
        location=center,
        zoom_start=2,
        tiles=None,
        min_zoom=2,
        max_zoom=18,
        keyboard=False,
        zoom_control=False,
        zoom_snap=0.25,
        world_copy_jump=True,
        prefer_canvas=False,
    )
    figure = StoryFigure(body_class="sm-embed" if embed else "sm-page")
    figure.add_child(fmap)
    if tiles:
        fmap.add_child(tile_layer(tiles))

    label = assets.environment().get_template("layer_label.html.j2")
    groups: dict[str, folium.FeatureGroup] = {}
    features: dict[str, Element] = {}
    styles: dict[str, dict[str, Any]] = {}
    views: dict[str, dict[str, Any]] = {}
    for lid in group_ids:
        places = members[lid]
        shape = "point"
        name = label.render(title=titles[lid], color=colors[lid], count=len(places), shape=shape)
        # Added to the map by the runtime once the first view is set (see applyHash).
        group = _FeatureGroup(name=name, show=False)
        fmap.add_child(group)
        groups[lid] = group
        for place in places:
            styles[place.id] = _style(place, colors[lid])
            feature = _feature(place, styles[place.id])
            group.add_child(feature)
            features[place.id] = feature
            views[place.id] = place_view(place, titles[lid], colors[lid])
    fmap.add_child(StoryLayerControl(position="topright", collapsed=embed))

    ordered_views = [views[p.id] for p in story.places]
    head = PageHead(
        title=story.title,
        description=story.standfirst,
        leaflet_js=assets.leaflet_js(),
        leaflet_css=assets.leaflet_css(),
        css=assets.static_text("storymap.css"),
        highlights=[mention_colors(colors[lid]) for lid in group_ids],
    )
    config = RuntimeConfig(
        embed=embed,
        layer_order=group_ids,
        max_zoom=MAX_ZOOM,
        place_layer={p.id: p.layer or OTHER for p in story.places},
        mention_order=mention_order(story),
        styles=styles,
        bounds=box,
        views=framing.views(story),
        place_frames=framing.place_frames(story),
        labels=framing.labels(story),
    )
    basemap = assets.JSONText(story_basemap_json(story))
    # The outlines are not walked by the dump (most of the story's size; validated GeoJSON already)
    # nor written again: each area once, as the map draws it (near the story's places re-cut to the
    # detailed coast), its JSON text kept with the basemap and put in as it is.
    data = story.model_dump(mode="json", exclude={"places": {"__all__": {"geometry"}}})
    outlines = page_geometries(story)
    for place, dumped in zip(story.places, data["places"], strict=True):
        dumped["geometry"] = None if place.geometry is None else assets.JSONPiece(outlines[place.id])
    panel = StoryPanel(
        story,
        names={p.id: p.name for p in story.places},
        links=link_story(story),
        hl={p.id: group_ids.index(p.layer or OTHER) for p in story.places},
        embed=embed,
        empty=not story.places,
        summary=_summary(story, len(group_ids)),
    )
    panel.add_child(ChapterNavigation(story.chapters))
    panel.add_child(PlacesList(ordered_views))
    area_classes = {area_class(p) for p in story.places}
    legend = Legend(
        [{"title": titles[lid], "color": colors[lid], "count": len(members[lid])} for lid in group_ids],
        collapsed=embed,
        has_countries="country" in area_classes,
        has_zones="zone" in area_classes,
        has_wide="wide" in area_classes,
        has_review=any(needs_review(p) for p in story.places),
    )
    for element in (
        head,
        StoryData(data, basemap, config.as_json()),
        StillImage(story, still=still, image_url=image_url, page_url=page_url),
        panel,
        legend,
        Popups(ordered_views),
        Runtime(assets.runtime_js(), groups, features),
    ):
        fmap.add_child(element)
    number_ids(figure)
    return figure


def _summary(story: Story, n_layers: int) -> str:
    n = len(story.places)
    places = "1 place" if n == 1 else f"{n} places"
    layers = "1 layer" if n_layers == 1 else f"{n_layers} layers"
    chapters = "1 chapter" if len(story.chapters) == 1 else f"{len(story.chapters)} chapters"
    return f"{places} in {layers}, told in {chapters}."
