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
    """A static file from ``templates/`` (our CSS and the map runtime JS), without indentation.

    Only leading whitespace and blank lines go: safe for our CSS and JS, which hold no
    multi-line strings.
    """
    text = (data_dir("templates") / name).read_text(encoding="utf-8")
    return "\n".join(s for line in text.split("\n") if (s := line.strip(" \t\r"))) + "\n"


#: The runtime's modules (``templates/runtime/<name>.js``), in the order they are concatenated and run.
#: Each file defines one function ``<name>(sm)`` that receives the shared context built by ``core``
#: (see ``core.js``) and adds what it offers to it; ``start`` runs last and sets the first view.
#: Functions call each other through ``sm`` only after every module has run, so only set-up code
#: depends on this order: ``camera`` before ``features`` (popup padding), ``sheet`` before ``embed``,
#: ``labels`` after the controls exist, ``start`` last.
RUNTIME_MODULES = (
    "core",
    "controls",
    "present",
    "camera",
    "layers",
    "features",
    "highlight",
    "wrap",
    "basemap",
    "hash",
    "chapters",
    "sheet",
    "textlinks",
    "keys",
    "embed",
    "labels",
    "start",
)


@cache
def runtime_js() -> str:
    """The map runtime: every module of ``RUNTIME_MODULES`` inside one closure, ``StorymapRuntime.init``.

    ``init(refs)`` builds the context with ``core(refs)``, runs the other modules on it in order
    and returns the API that ``start`` makes (also ``window.storymap``).
    """
    body = "".join(static_text(f"runtime/{name}.js") for name in RUNTIME_MODULES)
    setup = ", ".join(RUNTIME_MODULES[1:-1])
    return (
        "var StorymapRuntime = (function () {\n"
        '"use strict";\n'
        f"{body}"
        "function init(refs) {\n"
        "var sm = core(refs);\n"
        f"[{setup}].forEach(function (module) {{ module(sm); }});\n"
        "return start(sm);\n"
        "}\n"
        "return { init: init };\n"
        "})();\n"
    )


def _delta_ring(ring: list[list[float]], scale: int) -> list[int]:
    """A ring as integers: the first point, then each step (``[x0, y0, dx1, dy1, ...]``, lon/lat * scale)."""
    out: list[int] = []
    px = py = 0
    for lon, lat, *_ in ring:
        x, y = round(lon * scale), round(lat * scale)
        if out and x == px and y == py:
            continue
        out.extend((x, y) if not out else (x - px, y - py))
        px, py = x, y
    return out


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


BASEMAP_SCALE = 100  # 0.01 degree, about 1 km


@cache
def basemap() -> dict[str, Any]:
    """Land and country outlines, delta-encoded (``{"scale", "polygons"}``; rings as from ``_delta_ring``).

    Comes from ``storymap.geoparse.areas.basemap()``; empty if that is not available, so the map still
    renders (sea colour and graticule only). Integer steps take about half the bytes of GeoJSON
    coordinates; the runtime decodes them into one Leaflet polygon (one layer draws far faster
    than one per country).
    """
    try:
        from storymap.geoparse import areas  # type: ignore[attr-defined]

        source = areas.basemap()
    except (ImportError, AttributeError, FileNotFoundError):
        source = None
    polygons: list[list[list[int]]] = []
    for g in _geometries(source):
        for polygon in g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]:
            rings = [_delta_ring(ring, BASEMAP_SCALE) for ring in polygon]
            if rings and len(rings[0]) >= 6:
                polygons.append([r for r in rings if len(r) >= 6])
    return {"scale": BASEMAP_SCALE, "polygons": polygons}
