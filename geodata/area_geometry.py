"""Geometry helpers for geodata/build_areas.py: antimeridian repair, centroids, simplification.

Shapely/pyproj work on lon/lat degrees. Polygons stored for storymap are valid, simplified in
proportion to their size and rounded (``clean``); points are equal-area centroids of an area's
main parts (``label_point``).
"""

from __future__ import annotations

import math
import re
import unicodedata

import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping
from shapely.ops import unary_union

#: Decimals of stored coordinates (about 100 m).
DIGITS = 3


def crosses_antimeridian(geom) -> bool:
    """Whether a geometry spans the whole longitude range (it was split at ±180°)."""
    minx, _, maxx, _ = geom.bounds
    return minx < -179 and maxx > 179


def unwrap(geom):
    """Shift the western-hemisphere parts of an antimeridian-crossing geometry by +360."""
    if not crosses_antimeridian(geom):
        return geom
    parts = []
    for p in getattr(geom, "geoms", [geom]):
        parts.append(shapely.affinity.translate(p, 360) if p.centroid.x < 0 else p)
    return unary_union(parts)


def wrap(geom):
    """Split a geometry with longitudes beyond 180 back into [-180, 180]."""
    if geom.is_empty or geom.bounds[2] <= 180:
        return geom
    east = geom.intersection(box(-180, -90, 180, 90))
    west = shapely.affinity.translate(geom.intersection(box(180, -90, 540, 90)), -360)
    return unary_union([g for g in (east, west) if not g.is_empty])


def _unwrap_ring(coords: list) -> list:
    """Make a ring's longitudes continuous; close a ring that encircles a pole through the pole."""
    out = [tuple(coords[0][:2])]
    for x, y in (c[:2] for c in coords[1:]):
        px = out[-1][0]
        while x - px > 180:
            x -= 360
        while x - px < -180:
            x += 360
        out.append((x, y))
    net = out[-1][0] - out[0][0]
    if abs(net) > 180:  # encircles a pole (Antarctica): go round through the pole
        pole = -90.0 if sum(y for _, y in out) < 0 else 90.0
        out = [*out[:-1], (out[-2][0], pole), (out[0][0], pole), out[0]]
    return out


def fix_antimeridian(geom):
    """Repair polygons whose rings jump across the antimeridian (world-atlas v2 leaves them uncut)."""
    polys = []
    for p in getattr(geom, "geoms", [geom]):
        if not isinstance(p, Polygon) or p.is_empty:
            continue
        xs = [c[0] for c in p.exterior.coords]
        jumps = any(abs(b - a) > 180 for a, b in zip(xs, xs[1:], strict=False))
        if not jumps:
            polys.append(shapely.make_valid(p))
            continue
        shell = _unwrap_ring(list(p.exterior.coords))
        sx = [x for x, _ in shell]
        lo, hi = min(sx), max(sx)
        holes = []
        for r in p.interiors:
            h = _unwrap_ring(list(r.coords))
            hx = sum(x for x, _ in h) / len(h)
            shift = 360 * math.floor((hx - lo) / 360) if not lo <= hx <= hi else 0
            holes.append([(x - shift, y) for x, y in h])
        q = shapely.make_valid(Polygon(shell, holes))
        if q.bounds[0] < -180:
            q = shapely.affinity.translate(q, 360)
        polys.append(wrap(q))
    return polygonal(shapely.make_valid(unary_union(polys))) if polys else Polygon()


def polygonal(geom):
    """Keep only the polygon parts of a geometry (intersections can leave lines/points)."""
    if geom.is_empty:
        return geom
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return unary_union(parts) if parts else Polygon()


def main_parts(geom, share: float = 0.1):
    """The parts of a multipolygon at least ``share`` of its largest part (drops far islands)."""
    parts = list(getattr(geom, "geoms", [geom]))
    biggest = max(p.area for p in parts)
    return unary_union([p for p in parts if p.area >= share * biggest])


def equal_area_centroid(geom) -> Point:
    """The centroid computed on the ground (Lambert equal-area), not in degrees.

    A planar centroid in lon/lat overweights high latitudes (Scandinavia's moves 190 km north).
    """
    c = geom.centroid
    import pyproj  # build-only dependency (with geopandas)

    laea = pyproj.CRS.from_proj4(f"+proj=laea +lat_0={c.y:.4f} +lon_0={c.x:.4f} +datum=WGS84")
    fwd = pyproj.Transformer.from_crs("EPSG:4326", laea, always_xy=True)
    back = pyproj.Transformer.from_crs(laea, "EPSG:4326", always_xy=True)
    x, y = shapely.transform(geom, fwd.transform, interleaved=False).centroid.coords[0]
    lon, lat = back.transform(x, y)
    # pyproj normalises longitudes; keep them on the side of the (possibly unwrapped) input.
    while lon < geom.bounds[0] - 1:
        lon += 360
    return Point(lon, lat)


def label_point(geom) -> tuple[float, float]:
    """A conventional centroid (lat, lon): centroid of the main parts, kept inside when it falls out."""
    g = main_parts(unwrap(geom))
    c = equal_area_centroid(g)
    if not g.contains(c):
        c = inside_near(g, c)
    lon = c.x - 360 if c.x > 180 else c.x
    return round(c.y, 4), round(lon, 4)


def inside_near(geom, c: Point) -> Point:
    """A point inside ``geom`` near ``c``: the representative point of its part closest to ``c``."""
    r = max(geom.distance(c), 0.05)
    while r < 360:
        piece = polygonal(geom.intersection(c.buffer(r * 1.5)))
        if not piece.is_empty and piece.area > 1e-3 * geom.area:
            return piece.representative_point()
        r *= 2
    return geom.representative_point()


#: Areas over this many square degrees are drawn at small scales (the whole of a country, a sea or a
#: continent fills the map): they are simplified in proportion to their size so pages stay light.
LARGE_AREA = 50.0
#: Per scale: tolerance = sqrt(area) / divisor, capped; parts and holes under ``share`` of the area
#: are dropped (islets; slivers between simplified neighbours). "continental" is for regions and
#: oceans, "local" for countries, divisions and seas.
SCALES: dict[str, tuple[float, float, float]] = {
    "local": (250.0, 0.12, 1e-4),
    "continental": (200.0, 0.4, 1e-4),
}


def drop_small(geom, min_area: float):
    """The geometry without parts and holes under ``min_area`` (square degrees)."""
    polys = []
    for p in getattr(geom, "geoms", [geom]):
        if p.area >= min_area:
            polys.append(Polygon(p.exterior, [h for h in p.interiors if Polygon(h).area >= min_area]))
    return unary_union(polys)


def clean(geom, tol: float, scale: str = "local"):
    """Valid, simplified, rounded polygonal geometry (or None when nothing is left)."""
    geom = polygonal(shapely.make_valid(geom))
    if geom.is_empty:
        return None
    grid = 10**-DIGITS
    if tol:
        area = geom.area
        if area > LARGE_AREA:
            divisor, cap, share = SCALES[scale]
            tol = min(max(tol, math.sqrt(area) / divisor), cap)
            geom = drop_small(geom, share * area)
            grid = 0.01  # 1 km: well under the tolerance
        # Small units (London boroughs, city states) keep detail in proportion to their size.
        tol = min(tol, max(10**-DIGITS, math.sqrt(area) / 40))
        geom = geom.simplify(tol, preserve_topology=True)
    geom = shapely.set_precision(geom, grid)
    geom = polygonal(shapely.make_valid(geom))
    if geom.is_empty:
        return None
    return geom


def to_geojson(geom, digits: int = DIGITS) -> dict:
    """GeoJSON geometry mapping with coordinates rounded to ``digits`` decimals."""
    gj = mapping(geom)

    def rnd(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], digits), round(c[1], digits)]
        return [rnd(x) for x in c]

    return {"type": gj["type"], "coordinates": rnd(gj["coordinates"])}


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: "Île-de-France" -> "ile-de-france"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def latin(text: str) -> bool:
    """Whether text is in plain Latin script (no macrons or okinas from transliterations)."""
    return all(ord(ch) < 0x250 for ch in text) and not any(
        ord(ch) in (0x101, 0x12B, 0x16B, 0x2BB) for ch in text
    )
