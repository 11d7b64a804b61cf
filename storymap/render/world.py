"""The 1:110m world, worked out once when ``geodata/`` is built: ``geodata/world_shapes.bin``.

Every map used to work these out from ``geodata/basemap.json`` and ``areas.json.gz`` (about a
twentieth of a seed build); ``geodata/build_world.py`` writes them with the functions below, and a
test checks that the file is what they give today:

- ``country_shapes``: the countries of ``basemap.json`` by ISO code, as valid shapely polygons
  (the basemap's reference labels and its re-cut outlines ask which countries are where);
- ``land``: the land polygons the still image draws (``assets.basemap()`` as shapely polygons);
- ``context_areas``: the gazetteer's countries and waters, the areas that may give a reference label.

File layout: ``MAGIC``, then zlib of: the length of a JSON index (4 bytes, little-endian), the
index (``{"countries": [[code, bytes], ...], "land": [bytes, ...], "fields": [...], "areas":
[[...], ...]}``), then the WKB (little-endian, exact coordinates) of each country and each land
polygon in that order. Pure but for reading package data (once per process).
"""

from __future__ import annotations

import json
import struct
import zlib
from functools import cache
from typing import Any

from storymap.resources import data_dir

MAGIC = b"storymap world shapes 1\n"
FILE = "world_shapes.bin"
#: The kinds of gazetteer areas that may give a reference label.
CONTEXT_KINDS = ("country", "water")


# --------------------------------------------------------------------------- worked out


def compute_country_shapes() -> dict[str, Any]:
    """The 1:110m countries of ``basemap.json`` by ISO code: valid (Multi)Polygons, a code's
    features joined."""
    import shapely
    from shapely.geometry import shape

    from storymap.geoparse import areas
    from storymap.render.polyline import parts

    try:
        features = areas.basemap()["features"]
    except (FileNotFoundError, KeyError):
        return {}
    out: dict[str, Any] = {}
    for f in features:
        code = f["properties"].get("iso") or ""
        if code:
            g = _polygonal(shapely.make_valid(shape(f["geometry"])), parts)
            out[code] = shapely.union_all([out[code], g]) if code in out else g
    return out


def _polygonal(geom: Any, parts: Any) -> Any:
    import shapely

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    return shapely.union_all(parts(geom, "Polygon"))


def compute_land() -> tuple[Any, ...]:
    """The land the still image draws (``storymap.render.assets.basemap()``) as shapely polygons."""
    import numpy as np
    import shapely

    from storymap.render.assets import basemap

    data = basemap()
    scale = data.get("scale") or 1
    out = []
    for polygon in data.get("polygons", []):
        rings = [np.cumsum(np.asarray(ring, dtype=float).reshape(-1, 2), axis=0) / scale for ring in polygon]
        if len(rings[0]) < 3:
            continue
        shape = shapely.Polygon(rings[0], [r for r in rings[1:] if len(r) >= 3])
        if not shape.is_empty:
            out.append(shape if shape.is_valid else shapely.make_valid(shape))
    return tuple(out)


def compute_context_areas() -> tuple[Any, ...]:
    """The gazetteer's areas of ``CONTEXT_KINDS``, in its order (by id)."""
    from storymap.geoparse import areas

    return tuple(a for a in areas.areas() if a.kind in CONTEXT_KINDS)


def build() -> bytes:
    """The file's bytes, from what the functions above give (deterministic)."""
    import dataclasses

    import shapely

    countries = compute_country_shapes()
    land = compute_land()
    context = compute_context_areas()
    codes = sorted(countries)
    blobs = [shapely.to_wkb(countries[code], byte_order=1, output_dimension=2) for code in codes]
    blobs += [shapely.to_wkb(g, byte_order=1, output_dimension=2) for g in land]
    fields = [f.name for f in dataclasses.fields(context[0])] if context else []
    index = {
        "countries": [[code, len(b)] for code, b in zip(codes, blobs, strict=False)],
        "land": [len(b) for b in blobs[len(codes) :]],
        "fields": fields,
        "areas": [[getattr(a, name) for name in fields] for a in context],
    }
    head = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return MAGIC + zlib.compress(struct.pack("<I", len(head)) + head + b"".join(blobs), 9)


# --------------------------------------------------------------------------- read


@cache
def _read() -> tuple[dict[str, Any], list[Any], list[Any]]:
    """The index, the countries' geometries and the land's, from the file."""
    import shapely

    path = data_dir("geodata") / FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"{path}: world shapes missing; run geodata/build_world.py") from exc
    if not raw.startswith(MAGIC):
        raise ValueError(f"{FILE}: expected a storymap world shapes file, got something else")
    data = zlib.decompress(raw[len(MAGIC) :])
    (size,) = struct.unpack_from("<I", data, 0)
    index = json.loads(data[4 : 4 + size])
    sizes = [n for _, n in index["countries"]] + index["land"]
    blobs, at = [], 4 + size
    for n in sizes:
        blobs.append(data[at : at + n])
        at += n
    geoms = list(shapely.from_wkb(blobs)) if blobs else []
    n_countries = len(index["countries"])
    return index, geoms[:n_countries], geoms[n_countries:]


@cache
def country_shapes() -> dict[str, Any]:
    """``compute_country_shapes()``, as stored (shared: do not change the geometries)."""
    index, countries, _ = _read()
    return {code: g for (code, _), g in zip(index["countries"], countries, strict=True)}


@cache
def land() -> tuple[Any, ...]:
    """``compute_land()``, as stored."""
    return tuple(_read()[2])


@cache
def context_areas() -> tuple[Any, ...]:
    """``compute_context_areas()``, as stored: ``storymap.geoparse.areas.Area`` records."""
    from storymap.geoparse.areas import Area

    index = _read()[0]
    fields = index["fields"]
    out = []
    for row in index["areas"]:
        values = dict(zip(fields, row, strict=True))
        values["names"] = tuple(values["names"])
        out.append(Area(**values))
    return tuple(out)
