"""Static assets inlined into every map: Leaflet, our CSS/JS, safe JSON (the basemap: ``basemap.py``).

Everything here is read from installed package data (``xstatic-leaflet``) or from
``templates/`` through :func:`storymap.resources.data_dir`, so the HTML needs no network.
"""

from __future__ import annotations

import base64
import contextlib
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


class JSONText(Markup):
    """JSON text made already as ``html_json`` makes it (``html_json`` passes it through)."""


class JSONPiece:
    """A value inside the data given to ``html_json`` as its ``html_json`` text already: put in
    as it is, not parsed and written again (a large outline in a story)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


#: What stands for the i-th ``JSONPiece`` while the data around it is written: ``"\u0000piece:i"``
#: (JSON writes the NUL escaped).
_PIECE = "\x00piece:"
_PIECE_TEXT = re.compile(r'"\\u0000piece:(\d+)"')


def html_json(data: Any) -> Markup:
    """JSON for a ``<script>`` block or JS source: sorted keys, ``< > & '`` and U+2028/9 escaped.

    The result can never close a script tag nor break out of a JS string, and parses back
    to exactly ``data``. A ``JSONPiece`` in ``data`` is written as its text.
    """
    if isinstance(data, JSONText):
        return data
    pieces: list[str] = []

    def hold(value: Any) -> str:
        pieces.append(_piece(value).text)
        return f"{_PIECE}{len(pieces) - 1}"

    text = _escaped(_dumps(data, hold))
    if not pieces:
        return Markup(text)
    found = list(_PIECE_TEXT.finditer(text))
    if [m.group(1) for m in found] != [str(i) for i in range(len(pieces))]:
        # a string of the data reads like a stand-in: the pieces parsed and written again
        return Markup(_escaped(_dumps(data, lambda value: json.loads(_piece(value).text))))
    out, at = [], 0
    for m, piece in zip(found, pieces, strict=True):
        out += [text[at : m.start()], piece]
        at = m.end()
    out.append(text[at:])
    return Markup("".join(out))


def _piece(value: Any) -> JSONPiece:
    if not isinstance(value, JSONPiece):
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
    return value


def _dumps(data: Any, default: Any) -> str:
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=default
    )


def _escaped(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment for every piece of HTML storymap generates (autoescape on).

    Its templates are the package's own files: each is loaded once per process, not checked on
    disk again every time a page asks for it (``auto_reload`` off: several file checks a page)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_template_cache(),
        auto_reload=False,
    )
    env.filters["tojson"] = html_json
    return env


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """jinja2's cache of compiled templates (keyed by each template's source, written atomically)
    that never fails a render: a cache it cannot read or write is no cache."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _template_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between processes in the user's private folder of the temp
    directory (compiling them is about 0.05 s of every build); None where there is none."""
    try:
        return _TemplateCache()
    except (OSError, RuntimeError):
        return None


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


_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _without_comments(js: str) -> str:
    """Our runtime JS without its ``/* ... */`` comments and the lines they leave blank.

    The runtime's modules hold no ``/*`` or ``*/`` inside a string or regular expression (checked
    here: a leftover marker raises), so a plain pattern finds every comment.
    """
    out = _BLOCK_COMMENT.sub("", js)
    if "/*" in out or "*/" in out:
        raise ValueError("runtime JS: an unclosed comment or a comment marker inside a string")
    return "\n".join(s for line in out.split("\n") if (s := line.rstrip(" \t"))) + "\n"


@cache
def runtime_js() -> str:
    """The map runtime: every module of ``RUNTIME_MODULES`` inside one closure, ``StorymapRuntime.init``.

    Comments stay in ``templates/runtime/``: the page gets the code only (fewer bytes to load and parse).

    ``init(refs)`` builds the context with ``core(refs)``, runs the other modules on it in order
    and returns the API that ``start`` makes (also ``window.storymap``).
    """
    body = "".join(_without_comments(static_text(f"runtime/{name}.js")) for name in RUNTIME_MODULES)
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


@cache
def basemap() -> dict[str, Any]:
    """World country outlines (Natural Earth 1:110m, ``geodata/basemap.json``) as delta-encoded
    integer rings: ``{"scale": 100, "polygons": [[[x0, y0, dx1, dy1, ...], ...], ...]}``.

    The static image (``storymap.export``) draws these; the web map's basemap depends on the story
    and comes from ``storymap.render.basemap``. Empty when the data is missing.
    """
    import numpy as np

    try:
        from storymap.geoparse import areas

        features = areas.basemap()["features"]
    except (FileNotFoundError, KeyError):
        features = []
    polygons: list[list[list[int]]] = []
    for f in features:
        geometry = f["geometry"]
        # Each polygon's rings as the GeoJSON lists them (what ``shapely.geometry.shape`` makes of
        # them, read without building the shapes): closed, the outline first.
        if geometry["type"] == "Polygon":
            parts = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            parts = geometry["coordinates"]
        else:
            continue
        for poly in parts:
            rings = []
            for ring in poly:
                xy = np.rint(np.asarray(ring, dtype=float)[:, :2] * 100).astype(np.int64)
                if len(xy) and (xy[0] != xy[-1]).any():
                    xy = np.vstack((xy, xy[:1]))
                steps = np.diff(xy, axis=0)
                steps = steps[np.any(steps != 0, axis=1)]
                if len(steps) >= 2:
                    rings.append(np.concatenate((xy[0], steps.ravel())).tolist())
            if rings and len(rings[0]) >= 6:
                polygons.append(rings)
    return {"scale": 100, "polygons": polygons}
