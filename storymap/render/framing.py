"""Where the map looks: a frame per chapter, a frame per place, and the labels to draw (pure).

Three fields of the runtime configuration (``<script id="storymap-config">``) come from here:

``views``
    A list with one entry per chapter plus the overview first (``views[0]`` is the overview,
    ``views[n]`` is ``story.chapters[n - 1]``): ``{"bounds": [[south, west], [north, east]]}``.
    Longitudes may run past ±180 when the frame crosses the antimeridian; ``west < east`` always.
``place_frames``
    ``{place_id: [[south, west], [north, east]]}``: where to fly to show one place. A point gets a
    box of about a city's size around it, an area the box of its main body.
``labels``
    A list sorted by ``priority`` (highest first, ties by id) of ``{"id", "text", "lat", "lon",
    "priority", "area"}``. A point place is labelled at its location (``area`` false); an area
    (country, division, sea, zone, region) at a point inside its main body (``area`` true): its
    own point when that lies in the main body, else the main body's pole of inaccessibility.
    ``priority`` is ``tier + w / (1 + w)``: the tier is 2 for points, 1 for countries and
    divisions, 0 for seas, zones and regions (so a point's name always outranks an area's), and
    ``w`` is the place's weight in the story (mentions, chapters it appears in, how early it comes).

The *main body* of an area is its largest part and the parts that hug it (Corsica with France,
Hokkaido with Honshu), never a far fragment (Alaska, Hawaii, the Aleutians, the Caribbean
Netherlands, French Guiana). Parts split at the antimeridian are joined first (Chukotka stays
with Russia). A frame holds the chapter's points and the main bodies of its areas, except that
an area far larger than the rest of the story (a continent, an ocean, "the Americas") never
drives a frame, and a far larger country only adds its part near the story's other places
(western Russia in a story about Ukraine). A chapter with no places shows the overview; a chapter
with only oversized areas shows their main bodies.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from shapely import affinity
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel, unary_union

from storymap.model import Place, Story
from storymap.recent import Recent, digest
from storymap.render import shapes

Bounds = list[list[float]]  # [[south, west], [north, east]]

#: Area kinds that are seas, zones or regions (the rest with a polygon are countries and divisions).
ZONE_KINDS = frozenset({"water", "region"})
#: Half-size of the frame around a point, in km: about a city and its surroundings.
POINT_RADIUS_KM = {"landmark": 30.0}
DEFAULT_POINT_RADIUS_KM = 60.0
#: An area is "far larger than the story" when one of its spans exceeds this many times the
#: rest's span, or its surface this many squared times (spans under ``MIN_SPAN`` count as it).
OVERSIZE = 2.0
MIN_SPAN = 20.0
#: A country or division is clipped to its part near the rest only when this much larger.
OVERSIZE_COUNTRY = 4.0
#: Around the rest of the story, how much of a far larger country is kept (share of the span).
CLIP_MARGIN = 0.5
#: Parts of an area within this share of its main body's diagonal are always part of it.
HUG = 0.04
#: Parts within this share join the body if they grow its box by at most ``GROWTH``.
NEAR = 0.25
GROWTH = 0.3
#: Parts this close (degrees) always join: island chains and archipelago states stay whole.
NEAR_DEGREES = 2.0
#: A part with this share of the largest's ground area joins if its gap is under the body's
#: diagonal (Peninsular Malaysia with Malaysian Borneo, Iberia with Italy in southern Europe).
PEER = 0.4
#: Parts under this share of the largest are ignored (rocks and islets never move a frame).
SPECK = 0.002
KM_PER_DEGREE = 111.32


# --------------------------------------------------------------------------- boxes


@dataclass(frozen=True, slots=True)
class Box:
    """A lat/lon box; ``west`` may be below -180 or ``east`` above 180 (unwrapped)."""

    south: float
    west: float
    north: float
    east: float

    @property
    def lon_span(self) -> float:
        return self.east - self.west

    @property
    def lat_span(self) -> float:
        return self.north - self.south

    @property
    def surface(self) -> float:
        """Square degrees corrected for latitude (proportional to the area on the ground)."""
        mid = math.radians((self.north + self.south) / 2)
        return self.lon_span * self.lat_span * math.cos(mid)

    def shifted(self, dx: float) -> Box:
        return Box(self.south, self.west + dx, self.north, self.east + dx)

    def bounds(self) -> Bounds:
        """``[[south, west], [north, east]]`` with ``west`` in [-180, 180), rounded to 3 decimals."""
        shift = -360.0 * math.floor((self.west + 180) / 360)
        w, e = self.west + shift, self.east + shift
        return [[round(self.south, 3), round(w, 3)], [round(self.north, 3), round(e, 3)]]


def _from_geom(geom: BaseGeometry) -> Box:
    minx, miny, maxx, maxy = geom.bounds
    return Box(miny, minx, maxy, maxx)


def union(boxes: Sequence[Box]) -> Box | None:
    """The smallest box holding every box, going round the antimeridian when that is shorter."""
    if not boxes:
        return None
    south, north = min(b.south for b in boxes), max(b.north for b in boxes)
    if any(b.lon_span >= 360 for b in boxes):
        return Box(south, -180.0, north, 180.0)
    # Each distinct west edge is a candidate start; the boxes west of it wrap round (+360). The
    # furthest east edge of the boxes at or after each start and of those before it come from
    # suffix and prefix maxima: O(n log n) instead of every start against every box.
    ends: dict[float, tuple[float, float]] = {}  # west -> (furthest east, furthest east wrapped)
    for b in boxes:
        w = _norm(b.west)
        east, wrapped = w + b.lon_span, (w + 360) + b.lon_span
        old = ends.get(w)
        ends[w] = (east, wrapped) if old is None else (max(old[0], east), max(old[1], wrapped))
    starts = sorted(ends)
    after = [0.0] * len(starts)  # furthest east of the boxes starting at or after starts[i]
    reach = -math.inf
    for i in range(len(starts) - 1, -1, -1):
        reach = max(reach, ends[starts[i]][0])
        after[i] = reach
    best: tuple[float, float, float] | None = None  # (span, |middle|, west)
    before = -math.inf  # furthest east, wrapped, of the boxes starting before starts[i]
    for i, start in enumerate(starts):
        east = max(start, after[i], before)
        key = (east - start, abs(start + (east - start) / 2), start)
        if best is None or key < best:
            best = key
        before = max(before, ends[start][1])
    assert best is not None
    return Box(south, best[2], north, best[2] + best[0])


def _norm(lon: float) -> float:
    return (lon + 180) % 360 - 180


def _grow(b: Box, share: float) -> Box:
    dx = max(b.lon_span, MIN_SPAN) * share
    dy = max(b.lat_span, MIN_SPAN) * share
    return Box(max(b.south - dy, -90), b.west - dx, min(b.north + dy, 90), b.east + dx)


def point_box(lat: float, lon: float, radius_km: float = DEFAULT_POINT_RADIUS_KM) -> Box:
    """A box of ``radius_km`` around a point (wider in degrees of longitude away from the equator)."""
    dy = radius_km / KM_PER_DEGREE
    dx = dy / max(math.cos(math.radians(lat)), 0.2)
    return Box(max(lat - dy, -85.0), lon - dx, min(lat + dy, 85.0), lon + dx)


# --------------------------------------------------------------------------- main bodies


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty else []
    if isinstance(geom, MultiPolygon):
        return [g for g in geom.geoms if not g.is_empty]
    return [g for part in getattr(geom, "geoms", []) for g in _polygons(part)]


def _weight(poly: BaseGeometry) -> float:
    return poly.area * math.cos(math.radians(poly.centroid.y))


def _unwrapped_parts(geom: BaseGeometry) -> list[Polygon]:
    """The polygons of ``geom``, shifted by 360° to sit beside the largest, pieces cut at ±180 rejoined."""
    parts = _polygons(geom)
    if not parts:
        return []
    ref = max(parts, key=_weight).centroid.x
    moved = []
    for p in parts:
        dx = 360.0 * round((ref - p.centroid.x) / 360)
        moved.append(affinity.translate(p, dx) if dx else p)
    if len(moved) > 1 and any(abs(p.bounds[0]) >= 179.99 or abs(p.bounds[2]) >= 179.99 for p in moved):
        moved = _polygons(unary_union(moved))
    return moved


class _Scaled:
    """A plane where one degree of longitude is as long as one of latitude near ``lat``."""

    def __init__(self, lat: float) -> None:
        self.k = max(math.cos(math.radians(lat)), 0.2)

    def __call__(self, geom: BaseGeometry) -> BaseGeometry:
        return affinity.scale(geom, xfact=self.k, yfact=1.0, origin=(0, 0))

    def back(self, geom: BaseGeometry) -> BaseGeometry:
        return affinity.scale(geom, xfact=1 / self.k, yfact=1.0, origin=(0, 0))


def main_body(geometry: dict[str, Any]) -> BaseGeometry:
    """The main body of a GeoJSON (Multi)Polygon, unwrapped (longitudes may pass ±180).

    The largest part (by ground area) and, repeatedly, every part that hugs the body (a gap under
    ``HUG`` of its diagonal) or lies near it (under ``NEAR``) without growing its box by more than
    ``GROWTH``: Corsica stays with France and Hokkaido with Honshu; Alaska, Hawaii, French Guiana
    and the Caribbean Netherlands are left out.
    """
    key = digest(geometry)
    body = _BODIES.get(key)
    return _BODIES.put(key, _main_body(geometry, key)) if body is None else body


#: Main bodies already computed, by digest of the GeoJSON (a story asks for each several times).
_BODIES: Recent[bytes, BaseGeometry] = Recent(256)


def _main_body(geometry: dict[str, Any], key: bytes) -> BaseGeometry:
    parts = _unwrapped_parts(shapes.shape(geometry, key))
    if not parts:
        return Polygon()
    parts.sort(key=_weight, reverse=True)
    top = _weight(parts[0])
    parts = [p for p in parts if _weight(p) >= SPECK * top]
    scale = _Scaled(parts[0].centroid.y)
    scaled = [scale(p).simplify(0.02) for p in parts]
    body = [0]
    rest = list(range(1, len(parts)))
    changed = True
    while changed and rest:
        changed = False
        merged = unary_union([scaled[i] for i in body])
        minx, miny, maxx, maxy = merged.bounds
        diag = math.hypot(maxx - minx, maxy - miny)
        area = max((maxx - minx) * (maxy - miny), 1e-9)
        for i in sorted(rest, key=lambda j: merged.distance(scaled[j])):
            gap = merged.distance(scaled[i])
            peer = _weight(parts[i]) >= PEER * top
            if gap > max(NEAR * diag, NEAR_DEGREES) and not (peer and gap <= diag):
                continue
            bx0, by0, bx1, by1 = scaled[i].bounds
            grown = (max(maxx, bx1) - min(minx, bx0)) * (max(maxy, by1) - min(miny, by0))
            if gap <= max(HUG * diag, NEAR_DEGREES) or peer or grown <= (1 + GROWTH) * area:
                body.append(i)
                rest.remove(i)
                changed = True
                minx, miny, maxx, maxy = min(minx, bx0), min(miny, by0), max(maxx, bx1), max(maxy, by1)
                area = grown
    return unary_union([parts[i] for i in body])


def ground_area(geometry: dict[str, Any]) -> float:
    """Area of the main body on the ground, in km² (approximate: degrees scaled by latitude)."""
    return sum(_weight(p) for p in _polygons(main_body(geometry))) * KM_PER_DEGREE**2


def label_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """``(lat, lon)`` of a point well inside the main body's largest part (pole of inaccessibility)."""
    body = main_body(geometry)
    polys = _polygons(body)
    if not polys:
        raise ValueError("label_point: the geometry has no polygon")
    biggest = max(polys, key=_weight)
    scale = _Scaled(biggest.centroid.y)
    flat = scale(biggest)
    minx, miny, maxx, maxy = flat.bounds
    tolerance = max(maxx - minx, maxy - miny) / 200
    pt = scale.back(polylabel(flat, tolerance=tolerance))
    return round(pt.y, 4), round(_norm(pt.x) if pt.x != 180 else 180.0, 4)


# --------------------------------------------------------------------------- frames


@dataclass(frozen=True, slots=True)
class _Item:
    id: str
    box: Box
    zone: bool  # a sea, zone or region
    body: BaseGeometry | None  # areas only


def _item(place: Place) -> _Item:
    if place.geometry is None:
        radius = POINT_RADIUS_KM.get(place.kind, DEFAULT_POINT_RADIUS_KM)
        return _Item(place.id, point_box(place.lat, place.lon, radius), False, None)
    body = main_body(place.geometry)
    if body.is_empty:
        return _Item(place.id, point_box(place.lat, place.lon), False, None)
    b = _from_geom(body)
    if b.lon_span >= 360:
        b = Box(b.south, -180.0, b.north, 180.0)
    return _Item(place.id, b, place.kind in ZONE_KINDS, body)


def _far_larger(b: Box, rest: Box, factor: float = OVERSIZE) -> bool:
    lon, lat = max(rest.lon_span, MIN_SPAN), max(rest.lat_span, MIN_SPAN)
    surface = max(rest.surface, MIN_SPAN * MIN_SPAN * 0.5)
    return b.lon_span > factor * lon or b.lat_span > factor * lat or b.surface > factor**2 * surface


def _clip(item: _Item, around: Box) -> Box | None:
    """The box of the part of a far larger area near ``around`` (``None`` if nothing is near)."""
    assert item.body is not None
    near = _grow(around, CLIP_MARGIN)
    for dx in (0.0, -360.0, 360.0):
        piece = item.body.intersection(box(near.west + dx, near.south, near.east + dx, near.north))
        if not piece.is_empty and piece.area > 0:
            return _from_geom(piece).shifted(-dx)
    return None


def frame(items: Sequence[_Item], oversized: Iterable[str] = ()) -> Box | None:
    """The box for a set of places: points and main bodies, far larger areas kept out or clipped.

    ``oversized`` names areas already found far larger than the whole story.
    """
    if not items:
        return None
    skip = set(oversized)
    kept = [it for it in items if it.id not in skip]
    # Largest area first: is it far larger than everything else?
    kept.sort(key=lambda it: (it.body is not None, it.box.surface), reverse=True)
    boxes: list[Box] = []
    while kept and kept[0].body is not None:
        big, others = kept[0], kept[1:]
        rest = union([o.box for o in others])
        if rest is None or not _far_larger(big.box, rest, OVERSIZE if big.zone else OVERSIZE_COUNTRY):
            break
        kept = others
        if not big.zone:
            part = _clip(big, rest)
            if part is not None:
                boxes.append(part)
    boxes.extend(it.box for it in kept)
    if not boxes:
        # Only oversized areas: their main bodies.
        boxes = [it.box for it in items]
    return union(boxes)


def _oversized(items: Sequence[_Item]) -> set[str]:
    """Seas, zones and regions far larger than the rest of the story (they never drive a frame).

    Smallest first, each zone is weighed against the story's points, countries and divisions
    and the zones already kept.
    """
    out: set[str] = set()
    kept = [it.box for it in items if not it.zone]
    for zone in sorted((it for it in items if it.zone), key=lambda it: (it.box.surface, it.id)):
        rest = union(kept)
        if rest is not None and _far_larger(zone.box, rest):
            out.add(zone.id)
        else:
            kept.append(zone.box)
    return out


def views(story: Story) -> list[dict[str, Bounds]]:
    """``[{"bounds": ...}]`` for the overview and each chapter (see the module docstring)."""
    items = {p.id: _item(p) for p in story.places}
    oversized = _oversized(list(items.values()))
    overview = frame(list(items.values()), oversized)
    if overview is None:
        return [{"bounds": [[-60.0, -180.0], [80.0, 180.0]]} for _ in range(len(story.chapters) + 1)]
    out = [{"bounds": overview.bounds()}]
    for chapter in story.chapters:
        chosen = [items[pid] for pid in chapter.places if pid in items]
        # A chapter with only story-oversized areas still frames them (their main bodies).
        own = frame(chosen, oversized) if any(it.id not in oversized for it in chosen) else frame(chosen)
        out.append({"bounds": (own or overview).bounds()})
    return out


def place_frames(story: Story) -> dict[str, Bounds]:
    """``{place_id: bounds}``: a city-sized box around a point, an area's main body."""
    return {p.id: _item(p).box.bounds() for p in story.places}


# --------------------------------------------------------------------------- labels


def weights(story: Story) -> dict[str, float]:
    """Weight of each place in the story: mentions, chapters it appears in, how early it comes."""
    order = sorted(story.places, key=lambda p: (min((m.start for m in p.mentions), default=math.inf), p.id))
    rank = {p.id: i for i, p in enumerate(order)}
    chapters = {p.id: 0 for p in story.places}
    for chapter in story.chapters:
        for pid in set(chapter.places):
            if pid in chapters:
                chapters[pid] += 1
    return {p.id: len(p.mentions) + 0.5 * chapters[p.id] + 2.0 / (1 + rank[p.id]) for p in story.places}


def _tier(place: Place) -> int:
    if place.geometry is None:
        return 2
    return 0 if place.kind in ZONE_KINDS else 1


def labels(story: Story) -> list[dict[str, Any]]:
    """Labels of every place, highest priority first (see the module docstring)."""
    weight = weights(story)
    out = []
    for p in story.places:
        lat, lon = (p.lat, p.lon) if p.geometry is None else _safe_label_point(p)
        w = weight[p.id]
        out.append(
            {
                "id": p.id,
                "text": p.name,
                "lat": lat,
                "lon": lon,
                "priority": round(_tier(p) + w / (1 + w), 4),
                "area": p.geometry is not None,
            }
        )
    out.sort(key=lambda lab: (-lab["priority"], lab["id"]))
    return out


def _safe_label_point(place: Place) -> tuple[float, float]:
    """The place's own point when it lies in the main body (gazetteer points are chosen by hand:
    Kansas for the United States), else a point well inside the main body."""
    try:
        body = main_body(place.geometry or {})
        if any(body.covers(Point(place.lon + k, place.lat)) for k in (0.0, 360.0, -360.0)):
            return place.lat, place.lon
        return label_point(place.geometry or {})
    except (ValueError, KeyError, TypeError):
        return place.lat, place.lon
