"""Areas of the embedded gazetteer: countries, first-level divisions, regions and waters.

Points and names load fast from ``geodata/areas.json.gz``; polygons live in
separate files parsed on first use (``area_shapes.json.gz`` for countries,
regions and waters, ``admin_shapes.json.gz`` for divisions).  All are built at
development time by ``geodata/build_areas.py``; shapely is imported only when a
polygon is needed.  ``directional`` clips
any area to its part in a compass direction ("eastern Pacific", "northern Syria").
"""

from __future__ import annotations

import copy
import dataclasses
import json
import struct
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import Any

from storymap.resources import data_dir, own_geometry

KINDS = ("country", "admin", "region", "water")
DIRECTIONS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "central")

#: Share of an area's extent that a cardinal direction covers ("eastern X" = its eastern 40 %).
_CARDINAL_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Area:
    """One area of the gazetteer with its conventional centroid as its point."""

    id: str  # "country:CO", "admin:US-TX", "region:middle-east", "water:caribbean-sea"
    name: str
    kind: str  # "country" | "admin" | "region" | "water"
    names: tuple[str, ...]  # every surface form, including ``name``
    lat: float
    lon: float
    country: str  # ISO 3166-1 alpha-2, "" when the area spans countries
    population: int  # 0 when unknown


_FIELDS = tuple(f.name for f in dataclasses.fields(Area))


def _load(name: str) -> Any:
    import gzip  # here: a text whose places need no outline (most) is geoparsed without it

    path = data_dir("geodata") / name
    try:
        return json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"{path}: area data missing; run geodata/build_areas.py") from exc


@cache
def areas() -> tuple[Area, ...]:
    """Every area, sorted by id (cached; no geometry is parsed here)."""
    data = _load("areas.json.gz")
    fields = data["fields"]
    if sorted(fields) != sorted(_FIELDS):
        raise ValueError(f"areas.json.gz: expected the fields {sorted(_FIELDS)}, got {sorted(fields)}")
    # Positional arguments, in the dataclass's order: a third of the time of keywords (this runs
    # in every process that finds places).
    at, names = [fields.index(name) for name in _FIELDS], _FIELDS.index("names")
    out = []
    for row in data["areas"]:
        values = [row[i] for i in at]
        values[names] = tuple(values[names])
        out.append(Area(*values))
    return tuple(out)


@cache
def _by_id() -> dict[str, Area]:
    return {a.id: a for a in areas()}


def area(area_id: str) -> Area:
    """The area with this id; ``KeyError`` naming the id when unknown."""
    try:
        return _by_id()[area_id]
    except KeyError:
        raise KeyError(f"unknown area id {area_id!r}") from None


@cache
def _shapes(admin: bool) -> dict[str, str]:
    # Divisions are many and rarely needed: they live in their own file, parsed on first use.
    # Values are GeoJSON text, decoded one at a time when asked for.
    return _load("admin_shapes.json.gz" if admin else "area_shapes.json.gz")


def _raw_geometry(area_id: str) -> dict | None:
    # Division ids start with "admin:": the outline is found without loading every area's record.
    text = _shapes(area_id.startswith("admin:")).get(area_id)
    if text is None:
        area(area_id)  # KeyError for an unknown id; None for a point-only area
        return None
    return json.loads(text)


def has_outline(area_id: str) -> bool:
    """Whether the area has a polygon (False for a point-only area and for an unknown id: the
    geoparser asks about ids of its gazetteer only; telling the two apart loads every area's record)."""
    return area_id in _shapes(area_id.startswith("admin:"))


def outline(area_id: str) -> dict | None:
    """``geometry`` without the check that the id is known: ``None`` for an unknown id too (the
    geoparser asks about ids of its gazetteer only; the check loads every area's record).

    Decoded once per process and shared by every caller (the geoparser hands it to each mention of
    the area): read-only. It is the package's own geometry (``resources.is_own_geometry``): checked
    when ``geodata/`` was built, a valid GeoJSON Polygon or MultiPolygon that
    ``storymap.validate.geometry`` leaves as it is (``tests/test_areas.py`` checks every one).
    """
    found = _OUTLINES.get(area_id)
    if found is None:
        text = _shapes(area_id.startswith("admin:")).get(area_id)
        if text is None:
            return None
        found = _OUTLINES[area_id] = own_geometry(json.loads(text))
    return found


#: The outlines ``outline`` handed out, by area id.
_OUTLINES: dict[str, dict] = {}


def geometry(area_id: str) -> dict | None:
    """The area's GeoJSON Polygon/MultiPolygon, or ``None`` for a point-only area."""
    return _raw_geometry(area_id)  # freshly decoded: callers may modify it


@cache
def _shape(area_id: str):
    """The area's outline as a prepared shapely geometry: read from its decoded outline when the
    process has it (``outline``: the geoparser decodes an area's outline before it cuts a part of it)
    as WKB (``_wkb``, a third of the time of GEOS reading the text), else from its GeoJSON text by
    GEOS (twice as fast as ``shape(json.loads(text))``).  The same geometry either way: tests
    compare every outline."""
    from shapely import from_geojson, from_wkb, prepare

    decoded = _OUTLINES.get(area_id)
    if decoded is not None:
        geom = from_wkb(_wkb(decoded))
    else:
        text = _shapes(area_id.startswith("admin:")).get(area_id)
        if text is None:
            area(area_id)  # KeyError for an unknown id; None for a point-only area
            return None
        geom = from_geojson(text)
    prepare(geom)
    return geom


def _wkb(geometry: dict) -> bytes:
    """The WKB (little-endian) of a GeoJSON Polygon or MultiPolygon: its coordinates as they are."""
    if geometry["type"] == "Polygon":
        return _polygon_wkb(geometry["coordinates"])
    polygons = geometry["coordinates"]
    return struct.pack("<BII", 1, 6, len(polygons)) + b"".join(_polygon_wkb(p) for p in polygons)


def _polygon_wkb(rings: list) -> bytes:
    out = [struct.pack("<BII", 1, 3, len(rings))]
    for ring in rings:
        # The size and the points in one pack: a third faster than an ``array`` of the points.
        out.append(struct.pack(f"<I{2 * len(ring)}d", len(ring), *chain.from_iterable(ring)))
    return b"".join(out)


def contains(area_id: str, lat: float, lon: float) -> bool:
    """Whether the area's polygon covers the point (``False`` for point-only areas)."""
    from shapely.geometry import Point

    geom = _shape(area_id)
    if geom is None:
        return False
    lon = (lon + 180) % 360 - 180 if not -180 <= lon <= 180 else lon
    return bool(geom.covers(Point(lon, lat)))


def directional(area_id: str, direction: str) -> tuple[float, float, dict] | None:
    """The part of an area in a compass direction: ``(lat, lon, GeoJSON polygon)``.

    Cardinal directions keep the outer 40 % of the area's extent on that side
    (so "eastern Pacific" is the part off the Americas), diagonals the matching
    quadrant, "central" the middle half in both axes, unless the build stored an authored outline
    for that part (``dir:east:water:pacific-ocean``, the tropical eastern Pacific off the
    Americas; see ``geodata/area_waters.yaml``).  The extent is that of the
    area's main mass (far-flung islands and exclaves left out, see
    ``_core_bounds``); areas that cross the antimeridian are unwrapped first.  ``None`` when the
    area has no polygon; ``ValueError`` for an unknown direction.  Adjectives and
    spellings are accepted too ("eastern", "North-East", "centre").
    """
    found = directional_shared(area_id, direction)
    return None if found is None else (found[0], found[1], copy.deepcopy(found[2]))


def directional_shared(area_id: str, direction: str) -> tuple[float, float, dict] | None:
    """``directional`` without the copy: the part is worked out once per process and shared, so the
    caller must not change it (the geoparser hands it to every mention of that part, read-only)."""
    direction = _direction(direction)
    if direction not in DIRECTIONS:
        raise ValueError(f"direction: expected one of {', '.join(DIRECTIONS)}, got {direction!r}")
    return _directional(area_id, direction)


def _direction(word: str) -> str:
    """Normalise a direction word: eastern -> east, North-East -> northeast, centre -> central."""
    w = word.lower().strip().replace("-", "").replace(" ", "")
    w = w.removesuffix("ern")
    return "central" if w in ("centre", "center", "middle", "centr", "cent") else w


@cache
def _directional(area_id: str, direction: str) -> tuple[float, float, dict] | None:
    key = f"dir:{direction}:{area_id}"
    authored = _shapes(False).get(key)
    if authored is not None and area_id in _shapes(area_id.startswith("admin:")):
        # The part news means ("eastern Pacific"): geodata/area_waters.yaml; its label point is
        # computed by the build (directional_labels.json), so shapely is not needed here.
        gj = json.loads(authored)
        label = _authored_labels().get(key)
        if label is None:
            from shapely.geometry import shape

            label = _label(_unwrap(shape(gj)))
        return label[0], label[1], gj
    from shapely import box  # shapely.geometry.box's very polygon, made in one call rather than from a list

    geom = _shape(area_id)
    if geom is None:
        return None
    geom = _unwrap(geom)
    stored = _stored_core_bounds().get(area_id)
    minx, miny, maxx, maxy = stored if stored is not None else _core_bounds(geom)
    w, h = maxx - minx, maxy - miny
    # A little margin so that coasts on the outer side are not shaved off.
    minx, miny, maxx, maxy = minx - w * 0.02, miny - h * 0.02, maxx + w * 0.02, maxy + h * 0.02
    w, h = maxx - minx, maxy - miny
    x0, x1, y0, y1 = minx, maxx, miny, maxy
    if direction == "central":
        x0, x1, y0, y1 = minx + w / 4, maxx - w / 4, miny + h / 4, maxy - h / 4
    else:
        share = _CARDINAL_SHARE if direction in ("north", "south", "east", "west") else 0.5
        if "north" in direction:
            y0 = maxy - share * h
        if "south" in direction:
            y1 = miny + share * h
        if "east" in direction:
            x0 = maxx - share * w
        if "west" in direction:
            x1 = minx + share * w
    part = _polygonal(geom.intersection(box(x0, y0, x1, y1)))
    if part.is_empty:
        return None
    lat, lon = _label(part)
    return lat, lon, _geojson(_wrap(part))


def authored_point(area_id: str, direction: str) -> tuple[float, float] | None:
    """The point of an authored directional part ("eastern Pacific", ``geodata/area_waters.yaml``): the
    point ``directional`` gives it, read from ``directional_labels.json`` without the outlines; None
    for any other part (worked out from its area's outline)."""
    return _authored_labels().get(f"dir:{_direction(direction)}:{area_id}")


@cache
def _authored_labels() -> dict[str, tuple[float, float]]:
    """``{"dir:east:water:pacific-ocean": (lat, lon)}``: label points of the authored directional
    parts, as ``authored_labels`` computes them (``geodata/build_areas.py --labels`` writes them)."""
    try:
        text = (data_dir("geodata") / "directional_labels.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return {k: (v[0], v[1]) for k, v in json.loads(text).items()}


def authored_labels() -> dict[str, tuple[float, float]]:
    """Label points of the authored directional parts, computed from their outlines (shapely)."""
    from shapely.geometry import shape

    return {
        key: _label(_unwrap(shape(json.loads(text))))
        for key, text in sorted(_shapes(False).items())
        if key.startswith("dir:")
    }


@cache
def _stored_core_bounds() -> dict[str, tuple[float, float, float, float]]:
    """``{area id: bounds}``: ``_core_bounds`` of every area of several parts, as ``core_bounds``
    computes them (``geodata/build_areas.py --labels`` writes them): grouping the parts into masses
    is the costliest step of a directional part, and needs shapely's buffers and unions."""
    try:
        text = (data_dir("geodata") / "core_bounds.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return {k: (v[0], v[1], v[2], v[3]) for k, v in json.loads(text).items()}


def core_bounds() -> dict[str, tuple[float, float, float, float]]:
    """Bounds of the main mass (``_core_bounds``) of every area whose outline has several parts,
    computed from the outlines (shapely; a few seconds)."""
    out = {}
    for a in areas():
        geom = _shape(a.id)
        if geom is None:
            continue
        geom = _unwrap(geom)
        if len(getattr(geom, "geoms", ())) > 1:
            out[a.id] = _core_bounds(geom)
    return out


# --------------------------------------------------------------------------- geometry helpers

#: Parts closer than this (degrees) belong to one mass: island chains stay together.
_CLUSTER_GAP = 3.0
#: A separate mass counts towards the extent if it has this share of the main mass's area.
_MASS_SHARE = 0.25


def _core_bounds(geom) -> tuple[float, float, float, float]:
    """Bounds of an area's main mass, leaving out far-flung parts.

    Parts within ``_CLUSTER_GAP`` degrees of each other form one mass (the Lesser
    Antilles stay with the Caribbean, Sumatra with Java); masses under
    ``_MASS_SHARE`` of the largest (latitude-corrected) are left out, so "western
    United States" means the West, not Alaska and Hawaii.
    """
    import math

    from shapely.ops import unary_union

    parts = list(getattr(geom, "geoms", [geom]))
    if len(parts) == 1:
        return geom.bounds
    blobs = unary_union([p.simplify(0.1).buffer(_CLUSTER_GAP / 2, quad_segs=2) for p in parts])
    masses = list(getattr(blobs, "geoms", [blobs]))
    weight = [0.0] * len(masses)
    members: list[list] = [[] for _ in masses]
    for p in parts:
        pt = p.representative_point()
        i = next((k for k, m in enumerate(masses) if m.covers(pt)), 0)
        weight[i] += p.area * math.cos(math.radians(pt.y))
        members[i].append(p)
    top = max(weight)
    core = [p for i, ps in enumerate(members) if weight[i] >= _MASS_SHARE * top for p in ps]
    return unary_union(core).bounds


def _unwrap(geom):
    """Shift western parts of an antimeridian-crossing geometry by +360 degrees."""
    from shapely import affinity
    from shapely.ops import unary_union

    minx, _, maxx, _ = geom.bounds
    if not (minx < -179 and maxx > 179):
        return geom
    parts = [affinity.translate(p, 360) if p.centroid.x < 0 else p for p in getattr(geom, "geoms", [geom])]
    return unary_union(parts)


def _wrap(geom):
    from shapely import affinity, box
    from shapely.ops import unary_union

    if geom.bounds[2] <= 180:
        return geom
    east = geom.intersection(box(-180, -90, 180, 90))
    west = affinity.translate(geom.intersection(box(180, -90, 540, 90)), -360)
    return _polygonal(unary_union([g for g in (east, west) if not g.is_empty]))


def _polygonal(geom):
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.ops import unary_union

    if geom.is_empty or isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return unary_union(parts) if parts else Polygon()


def _label(geom) -> tuple[float, float]:
    """Centroid of the main parts (dropping parts under a tenth of the largest), kept inside."""
    from shapely.geometry import MultiPolygon

    parts = list(getattr(geom, "geoms", [geom]))
    biggest = max(p.area for p in parts)
    main = [p for p in parts if p.area >= 0.1 * biggest]
    # The parts as they are, not their union: those of a valid (Multi)Polygon do not overlap, so the
    # union is the same shape, at the cost of an overlay (the same label on every part of every area).
    main = main[0] if len(main) == 1 else MultiPolygon(main)
    c = main.centroid
    if not main.contains(c):
        # The representative point of the main parts' piece nearest the centroid (a bay's centroid
        # falls in the water; keep the point inside, but near where the eye expects it).
        r = max(main.distance(c), 0.05)
        piece = _polygonal(main.intersection(c.buffer(r * 1.5)))
        while (piece.is_empty or piece.area < 1e-3 * main.area) and r < 360:
            r *= 2
            piece = _polygonal(main.intersection(c.buffer(r * 1.5)))
        c = (main if piece.is_empty else piece).representative_point()
    lon = c.x - 360 if c.x > 180 else c.x
    return round(c.y, 4), round(lon, 4)


def _geojson(geom) -> dict:
    """The GeoJSON of a Polygon or MultiPolygon, its coordinates rounded to 3 decimals as ``round(c, 3)``
    rounds each (``_round3``, for all of them at once)."""
    import shapely

    polygons = shapely.get_parts(geom)
    rings, owner = shapely.get_rings(polygons, return_index=True)  # each polygon's shell, then holes
    ends = shapely.get_num_coordinates(rings).cumsum().tolist()
    points = _round3(shapely.get_coordinates(rings)).tolist()
    coords: list[list] = [[] for _ in polygons]
    start = 0
    for end, i in zip(ends, owner.tolist(), strict=True):
        coords[i].append(points[start:end])
        start = end
    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": geom.geom_type, "coordinates": coords}


def _round3(values):
    """``round(v, 3)`` of each item of a float array: ``rint(v * 1000) / 1000`` where ``v * 1000`` is
    clearly off a half (then its rounding is that of the exact product, and dividing the integer by
    1000 gives the float nearest the decimal, as ``round`` does), ``round`` itself near a half."""
    import numpy as np

    scaled = values * 1000.0
    whole = np.rint(scaled)
    out = whole / 1000.0
    near = np.abs(np.abs(scaled - whole) - 0.5) < 1e-6
    if near.any():
        flat, plain = out.reshape(-1), values.reshape(-1)
        for k in np.flatnonzero(near.reshape(-1)).tolist():
            flat[k] = round(float(plain[k]), 3)
    return out


# --------------------------------------------------------------------------- basemap


@cache
def _basemap_text() -> str:
    return (data_dir("geodata") / "basemap.json").read_text(encoding="utf-8")


def basemap() -> dict:
    """World country outlines (GeoJSON FeatureCollection, ~130 KB) for the offline map.

    Each feature has properties ``iso`` (alpha-2, "" if none) and ``name``;
    coordinates are rounded to 2 decimals.  A fresh copy is returned each call.
    """
    return json.loads(_basemap_text())
