"""Static assets inlined into every map: Leaflet, our CSS/JS, the vector basemap, safe JSON.

Everything here is read from installed package data (``xstatic-leaflet``) or from
``templates/`` through :func:`storymap.resources.data_dir`, so the HTML needs no network.
"""

from __future__ import annotations

import base64
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from storymap.resources import data_dir

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_UNSAFE = re.compile("[<>&'\u2028\u2029]")


def html_json(data: Any) -> Markup:
    """JSON for a ``<script>`` block or JS source: sorted keys, ``< > & '`` and U+2028/9 escaped.

    The result can never close a script tag nor break out of a JS string, and parses back
    to exactly ``data``.
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(_JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text))


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment for every piece of HTML storymap generates (autoescape on)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["tojson"] = html_json
    return env


def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as xleaflet

    return Path(xleaflet.BASE_DIR)


@cache
def leaflet_js() -> str:
    """Leaflet's minified JS from the installed ``xstatic-leaflet`` package."""
    js = (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    # The source-map comment would make devtools fetch a file that is not there.
    return re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)


@cache
def leaflet_css() -> str:
    """Leaflet's CSS with its images inlined as data URIs (no relative file requests)."""
    base = _leaflet_dir()
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        if "marker" in match.group(1):  # default marker icons are never used: no bytes for them
            return "none"
        path = base / match.group(1)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


@cache
def static_text(name: str) -> str:
    """A static file from ``templates/`` (our CSS and the map runtime JS)."""
    return (data_dir("templates") / name).read_text(encoding="utf-8")


def _round(coords: Any, digits: int) -> Any:
    if isinstance(coords, (int, float)):
        value = round(float(coords), digits)
        return int(value) if value.is_integer() else value
    return [_round(c, digits) for c in coords]


def _geometries(obj: Any) -> list[dict[str, Any]]:
    """Polygon/MultiPolygon geometries from a FeatureCollection, Feature, geometry or geo-interface."""
    if obj is None:
        return []
    if hasattr(obj, "__geo_interface__") and not isinstance(obj, dict):
        obj = obj.__geo_interface__
    if not isinstance(obj, dict):
        return []
    kind = obj.get("type")
    if kind == "FeatureCollection":
        return [g for f in obj.get("features", []) for g in _geometries(f)]
    if kind == "Feature":
        return _geometries(obj.get("geometry"))
    if kind == "GeometryCollection":
        return [g for sub in obj.get("geometries", []) for g in _geometries(sub)]
    if kind in ("Polygon", "MultiPolygon"):
        return [{"type": kind, "coordinates": obj["coordinates"]}]
    return []


@cache
def basemap() -> dict[str, Any]:
    """Land and country outlines as one GeoJSON MultiPolygon (coordinates rounded to ~1 km).

    Comes from ``storymap.areas.basemap()``; empty if that is not available, so the map still
    renders (sea colour and graticule only).
    """
    try:
        from storymap import areas  # type: ignore[attr-defined]

        source = areas.basemap()
    except (ImportError, AttributeError, FileNotFoundError):
        source = None
    # One MultiPolygon: a single Leaflet layer draws far faster than one layer per country.
    polygons: list[Any] = []
    for g in _geometries(source):
        coords = _round(g["coordinates"], 2)
        polygons.extend(coords if g["type"] == "MultiPolygon" else [coords])
    return {"type": "MultiPolygon", "coordinates": polygons}
