"""The offline basemap of one story: detailed land and borders where its places are, labels for context.

Three tiers of land and country borders, in whole cells that never overlap:

- the ``cells.CELL``-degree cells within ``R_DETAIL`` degrees of each focus place (a point place,
  or a small country or division): Natural Earth 1:10m (about 200 m of detail: city zoom);
- the cells within ``R_NEAR`` degrees: the same 1:10m data simplified to about 2 km (regional zoom);
- everywhere else: Natural Earth 1:110m (world zoom).

Every cell is stored already encoded for the page (``geodata/basemap_cells.pack``, built by
``geodata/build_cells.py``; see :mod:`storymap.render.cells`): a story's basemap is picked and
joined, not cut. Reference labels (countries, seas, capitals and large cities near the story) come
from the gazetteer storymap ships. Pure: the only I/O is reading package data through
:func:`storymap.resources.data_dir`, cached per process.

Payload (JSON, read by the runtime's basemap module)::

    {"land":    {"scale": 100,  "polygons": [[ring, ...], ...]},   # near and world tiers
     "detail":  {"scale": 1000, "polygons": [...]},                # detail tier
     "borders": {"scale": 100,  "lines": [line, ...]},
     "detail_borders": {"scale": 1000, "lines": [...]},
     "labels":  [{"text", "lat", "lon", "kind", "rank", "minzoom"}, ...]}

A ring or line is one string (:mod:`storymap.render.polyline`): the integers ``x0, y0, dx1, dy1,
...`` (lon/lat * scale; the first point, then each step) in the encoded-polyline alphabet. Land
polygons of all tiers are disjoint and meet exactly on cell edges, so the runtime fills them as one
path (no seams).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from storymap.recent import Recent, digest
from storymap.render import cells, polyline, shapes
from storymap.render.polyline import parts as _parts

if TYPE_CHECKING:
    from storymap.model import Story

#: Radius (degrees of latitude) of full 1:10m detail around a focus place.
R_DETAIL = 1.0
#: Radius of the simplified 1:10m tier.
R_NEAR = 5.0
#: Detail budget: encoded integers of the detail and near tiers together (about 4 bytes each).
MAX_DETAIL_INTS = 40_000
#: A country or division smaller than this (degrees, larger side of its main body) gets detail.
SMALL_AREA = 20.0
#: Reference labels: how far from the story's places (km) and how many.
NEAR_COUNTRY_KM = 2500
NEAR_SEA_KM = 3000
NEAR_CAPITAL_KM = 1200
NEAR_CITY_KM = 700
MIN_CITY_POPULATION = 300_000
CITIES_PER_PLACE = 8
#: Towns for city zoom: within this distance (km) of a point place, at least this population.
NEAR_TOWN_KM = 150
MIN_TOWN_POPULATION = 50_000
TOWNS_PER_PLACE = 6
#: A town this close (km) to a bigger labelled one is a part of it (boroughs, suburbs).
SAME_CITY_KM = 20
#: At most this many country, sea and capital labels each (the nearest to the story's places
#: win); cities and towns are bounded per place instead.
MAX_CONTEXT = {"country": 40, "sea": 25, "capital": 25}

_POINT_KINDS = frozenset({"city", "landmark"})
_EARTH_KM = 6371.0


def _polygonal(geom: Any) -> Any:
    """Only the polygons of a geometry (``make_valid`` may leave lines from degenerate rings)."""
    import shapely

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom  # as ``make_valid`` leaves it: valid already
    return shapely.union_all(_parts(geom, "Polygon"))


@cache
def _country_km2() -> dict[str, float]:
    """Approximate area (km²) of each 1:110m country, by ISO code."""
    return {
        code: g.area * (111.32**2) * max(math.cos(math.radians(g.centroid.y)), 0.05)
        for code, g in _country_shapes().items()
    }


# --------------------------------------------------------------------------- regions


class _Geometry:
    """A place's GeoJSON geometry that hashes by a digest of its content, so that the work done on
    it is remembered per process (in a batch the same countries and seas come back constantly)."""

    __slots__ = ("geojson", "key")

    def __init__(self, geojson: dict[str, Any]) -> None:
        self.geojson = geojson
        self.key = digest(geojson)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Geometry) and self.key == other.key


def _main_extent(geometry: dict[str, Any]) -> float:
    """Larger side (degrees) of the biggest polygon of an area: its main body, not its islands."""
    return _extent(_Geometry(geometry))


@lru_cache(maxsize=1024)
def _extent(geometry: _Geometry) -> float:
    g = shapes.shape(geometry.geojson, geometry.key)
    main = max(getattr(g, "geoms", [g]), key=lambda p: p.area)
    minx, miny, maxx, maxy = main.bounds
    return max(maxx - minx, maxy - miny)


def focus_points(story: Story) -> list[tuple[float, float]]:
    """(lon, lat) of the places that get detail, most important first: point places in story
    order, then countries and divisions whose main body is small enough to be seen whole."""
    points: list[tuple[float, float]] = []
    areas: list[tuple[float, float]] = []
    for p in story.places:
        if p.geometry is None or p.kind in _POINT_KINDS:
            points.append((p.lon, p.lat))
        elif p.kind in ("country", "admin") and _main_extent(p.geometry) <= SMALL_AREA:
            areas.append((p.lon, p.lat))
    out: list[tuple[float, float]] = []
    for pt in points + areas:
        if pt not in out:
            out.append(pt)
    return out


# --------------------------------------------------------------------------- cells


def _cells_near(point: tuple[float, float], radius: float, size: int) -> frozenset[tuple[int, int]]:
    """The ``size``-degree cells that come within ``radius`` degrees of latitude of a point (a
    circle widened in longitude as a map shows it)."""
    lon, lat = point
    stretch = 1 / max(math.cos(math.radians(lat)), 0.2)
    out = set()
    for y in range(math.floor((lat - radius) / size), math.floor((lat + radius) / size) + 1):
        dy = max(y * size - lat, 0.0, lat - (y + 1) * size)
        if y < -90 // size or y >= 90 // size or dy > radius:
            continue
        reach = math.sqrt(radius * radius - dy * dy) * stretch
        for x in range(math.floor((lon - reach) / size), math.floor((lon + reach) / size) + 1):
            if -180 // size <= x < 180 // size:
                out.add((x, y))
    return frozenset(out)


def _cost(tier: str, keys: Iterable[tuple[int, int]]) -> int:
    """Encoded integers of these cells of a tier (counted when the cells were built)."""
    counts = cells.numbers(tier)
    rows, cols = cells.shape(tier)
    return sum(int(counts[y + rows // 2, x + cols // 2]) for x, y in keys)


@lru_cache(maxsize=256)
def _chosen(points: tuple[tuple[float, float], ...]) -> tuple[frozenset, frozenset]:
    """The detail cells (1°) and near blocks (5°) of these focus points: in order of importance
    while the budget lasts (the first point always); cells that another point already brought
    are paid once."""
    detail: frozenset[tuple[int, int]] = frozenset()
    near: frozenset[tuple[int, int]] = frozenset()
    fine, coarse = cells.TIERS["detail"][0], cells.TIERS["near5"][0]
    for point in points:
        d = detail | _cells_near(point, R_DETAIL, fine)
        n = near | _cells_near(point, R_NEAR, coarse)
        if detail and _cost("detail", d) + _cost("near5", n) > MAX_DETAIL_INTS:
            continue
        detail, near = d, n
    return detail, near


#: Payloads kept per process (a batch worker maps thousands of stories: bounded).
RECENT_GEOMETRY = 32


@lru_cache(maxsize=RECENT_GEOMETRY)
def _geometry_payload(points: tuple[tuple[float, float], ...]) -> str:
    """The land and borders for these focus points, within the detail budget (as JSON text):
    pre-encoded cells, joined (``storymap.render.cells``). Around the story: 1° cells of the
    detail tier, with the rest of their 5° blocks from the near tier; then 5° blocks of the near
    tier; the world tier's 30° cells elsewhere (those with finer blocks in them cut around them).

    The text is ``json.dumps(payload, separators=(",", ":"), sort_keys=True)``, joined from each
    cell's JSON text (``_cell_json``, ``_less_json``): the cells are not written again per story."""
    detail, near = _chosen(points)
    per, per_world = 5 // cells.TIERS["detail"][0], cells.TIERS["world30"][0] // 5
    detail_blocks = {(x // per, y // per) for x, y in detail}
    fine_world = {(x // per_world, y // per_world) for x, y in detail_blocks | near}
    out: dict[str, tuple[list[str], list[str]]] = {t: ([], []) for t in ("world", "near", "detail")}

    def put(into: str, found: tuple[str, str]) -> None:
        land, borders = found
        if land:
            out[into][0].append(land)
        if borders:
            out[into][1].append(borders)

    for (wx, wy), found in _world_json():
        if (wx, wy) not in fine_world:
            put("world", found)
    for wx, wy in sorted(fine_world, key=lambda b: (b[1], b[0])):
        taken = []
        for by in range(wy * per_world, (wy + 1) * per_world):
            for bx in range(wx * per_world, (wx + 1) * per_world):
                if (bx, by) in detail_blocks:
                    mine = []
                    for y in range(by * per, (by + 1) * per):
                        for x in range(bx * per, (bx + 1) * per):
                            if (x, y) in detail:
                                put("detail", _cell_json("detail", x, y))
                                mine.append((x, y))
                    put("near", _less_json("near5", bx, by, tuple(mine), cells.TIERS["detail"][0]))
                    taken.append((bx, by))
                elif (bx, by) in near:
                    put("near", _cell_json("near5", bx, by))
                    taken.append((bx, by))
        put("world", _less_json("world30", wx, wy, tuple(taken), cells.TIERS["near5"][0]))
    world, fine = json.dumps(cells.scale("world30")), json.dumps(cells.scale("detail"))
    assert cells.scale("near5") == cells.scale("world30"), "the near tier is written with the world's"
    land, borders = out["world"][0] + out["near"][0], out["world"][1] + out["near"][1]
    return (
        f'{{"borders":{{"lines":[{",".join(borders)}],"scale":{world}}},'
        f'"detail":{{"polygons":[{",".join(out["detail"][0])}],"scale":{fine}}},'
        f'"detail_borders":{{"lines":[{",".join(out["detail"][1])}],"scale":{fine}}},'
        f'"land":{{"polygons":[{",".join(land)}],"scale":{world}}}}}'
    )


def _json_items(found: cells.Content | None) -> tuple[str, str]:
    """A cell's land polygons and borders as JSON text, each list without its brackets (what
    ``json.dumps`` writes between them): ``("", "")`` for nothing."""
    if found is None:
        return "", ""
    land = json.dumps(found["land"], separators=(",", ":"))[1:-1]
    return land, json.dumps(found["borders"], separators=(",", ":"))[1:-1]


@lru_cache(maxsize=1024)
def _cell_json(tier: str, x: int, y: int) -> tuple[str, str]:
    """``_json_items`` of one stored cell of a tier."""
    return _json_items(cells.cell(tier, x, y))


@lru_cache(maxsize=4096)
def _less_json(tier: str, x: int, y: int, taken: tuple[tuple[int, int], ...], size: int) -> tuple[str, str]:
    """``_json_items`` of ``_less``: a cell cut around a finer tier's cells (a batch meets the same
    places again and again, so the cuts are kept, as text)."""
    return _json_items(_less(tier, x, y, taken, size))


def _less(tier: str, x: int, y: int, taken: tuple[tuple[int, int], ...], size: int) -> cells.Content:
    """One cell of a tier less the ``size``-degree cells ``taken`` by a finer tier: the cell cut
    once (the finer tier's own small cells joined would cost several times the bytes)."""
    import shapely

    land, strokes = _cell_shapes(tier, x, y)
    if land is None:
        return {"land": [], "borders": []}
    scale = cells.scale(tier)
    # Grid cells meet exactly (a coverage); the cut needs no snapping, as the encoding rounds.
    holes = shapely.coverage_union_all(_boxes(taken, size))
    land = land.difference(holes) if not land.is_empty else land
    strokes = strokes.difference(holes) if not strokes.is_empty else strokes
    return {"land": polyline.polygons(land, scale), "borders": polyline.lines(strokes, scale)}


def _boxes(keys: Sequence[tuple[int, int]], size: int) -> Any:
    """The ``size``-degree grid cells ``keys`` as an array of boxes (what ``shapely.geometry.box``
    makes of each, built at once)."""
    import numpy as np
    import shapely

    xy = np.array(keys, dtype=float).reshape(-1, 2) * size
    return shapely.box(xy[:, 0], xy[:, 1], xy[:, 0] + size, xy[:, 1] + size)


@lru_cache(maxsize=2048)
def _cell_shapes(tier: str, x: int, y: int) -> tuple[Any, Any]:
    """One cell of a tier as shapely geometry: its land (MultiPolygon) and its borders
    (MultiLineString); (None, None) where it holds nothing."""
    import numpy as np
    import shapely
    from shapely.geometry import LineString, Polygon

    found = cells.cell(tier, x, y)
    if found is None:
        return None, None
    scale = cells.scale(tier)
    rings = [r for p in found["land"] for r in p]
    polys: Any = []
    if rings:  # every ring at once: each polygon's shell, then its holes
        xy, owner = polyline.decode_many(rings, scale)
        polygon_of = np.repeat(np.arange(len(found["land"])), [len(p) for p in found["land"]])
        polys = shapely.polygons(shapely.linearrings(xy, indices=owner), indices=polygon_of)
    strokes = [t for t in found["borders"] if len(t) > 3]
    lines: Any = []
    if strokes:
        xy, owner = polyline.decode_many(strokes, scale)
        lines = shapely.linestrings(xy, indices=owner)
    land = shapely.multipolygons(polys) if len(polys) else Polygon()
    return land, shapely.multilinestrings(lines) if len(lines) else LineString()


@cache
def _world_json() -> tuple[tuple[tuple[int, int], tuple[str, str]], ...]:
    """Every 30° cell of the world tier that holds anything, with its key, south to north, as
    ``_json_items``."""
    out = []
    for key in cells.blocks("world30"):
        x, y = map(int, key.split(","))
        out.append(((x, y), _json_items(cells.block("world30", key)[key])))
    return tuple(out)


# --------------------------------------------------------------------------- story outlines

#: How far (degrees) a country's own outline may miss the detailed coast and still take it.
COAST_SLACK = 0.15
#: The re-cut outlines are GeoJSON (4 times the bytes of the basemap's encoding): simplified this
#: much more (degrees, about 500 m: within 2 px of the basemap's coast at zoom 8, 4 px at zoom 9).
#: Not coarser: at 0.01 about 1 % of southern Florida's land falls outside the re-cut United States
#: (0.5 % at 0.005), for 7 % fewer points in the seed's page.
OUTLINE_TOL = 0.005
#: A re-cut outline that changes less than this (square degrees, about 1 km²) is not worth its bytes.
MIN_RECUT = 1e-4


def _detail_land(keys: tuple[tuple[int, int], ...]) -> tuple[Any, Any]:
    """The detail tier's land in these cells, merged (seamless), and the cells' region."""
    import numpy as np
    import shapely
    from shapely.geometry import Polygon

    size = cells.TIERS["detail"][0]
    found = [land for x, y in keys if (land := _cell_shapes("detail", x, y)[0]) is not None]
    lands = np.empty(len(found), dtype=object)
    lands[:] = found
    polys = shapely.get_parts(lands)  # every cell's polygons, in order, at once
    polys = polys[~shapely.is_empty(polys)]
    region = shapely.coverage_union_all(_boxes(keys, size))
    # The cells meet exactly on their edges (a coverage): joined without a full overlay.
    return shapely.coverage_union_all(polys) if len(polys) else Polygon(), region


def outlines(story: Story) -> dict[str, dict[str, Any]]:
    """The story's own country and sea outlines, re-cut to the basemap's land near its places.

    Where the basemap has full detail (city zoom), a country takes the detailed land within
    ``COAST_SLACK`` of its outline (minus its neighbours), and a sea or zone gives up the land it
    covered; elsewhere the outlines stay as they are (they are as coarse as the basemap there).
    So a country's fill and the land agree at every zoom. Returns
    ``{place id: GeoJSON geometry}`` for the places whose outline changed; the page stores each
    as its place's ``geometry`` (``render.map.build_map``), its only copy there.
    """
    return {pid: json.loads(text) for pid, text in _outline_texts(story).items()}


def _outline_texts(story: Story) -> dict[str, str]:
    """``outlines(story)`` as text, each outline as ``assets.html_json`` writes it."""
    points = tuple(focus_points(story))
    wanted = [p for p in story.places if p.geometry is not None and p.kind in ("country", "water")]
    if not points or not wanted:
        return {}
    detail, _ = _chosen(points)
    out: dict[str, dict[str, Any]] = {}
    for p in wanted:
        geometry = _Geometry(p.geometry)
        minx, miny, maxx, maxy = _bounds(geometry)
        pad = COAST_SLACK + 0.01
        keys = tuple(
            (x, y)
            for x, y in sorted(detail, key=lambda c: (c[1], c[0]))
            if x <= maxx + pad and x + 1 >= minx - pad and y <= maxy + pad and y + 1 >= miny - pad
        )
        if not keys:
            continue
        recut = _recut(p.kind, p.country, geometry, keys)
        if recut is not None:
            out[p.id] = recut
    return out


@lru_cache(maxsize=256)
def _valid(geometry: _Geometry) -> Any:
    """A place's geometry as valid shapely polygons."""
    import shapely

    return _polygonal(shapely.make_valid(shapes.shape(geometry.geojson, geometry.key)))


@lru_cache(maxsize=1024)
def _bounds(geometry: _Geometry) -> tuple[float, float, float, float]:
    """Bounds of a GeoJSON geometry: the least and greatest of its coordinates."""
    minx, miny, maxx, maxy = shapes.shape(geometry.geojson, geometry.key).bounds
    return minx, miny, maxx, maxy


#: Re-cut outlines kept per process, by place and the detail cells near it: in a batch the same
#: countries and seas come back with the same detail again and again.
RECENT_OUTLINES = 1024


@lru_cache(maxsize=RECENT_OUTLINES)
def _recut(kind: str, country: str, geometry: _Geometry, keys: tuple[tuple[int, int], ...]) -> str | None:
    """One place's re-cut outline (GeoJSON text as ``assets.html_json`` writes it), or None where
    it would not change."""
    import shapely

    from storymap.render.assets import html_json

    land, region = _detail_land(keys)
    g = _valid(geometry)
    if not g.intersects(region):
        return None
    if kind == "country":
        # Only the part of the outline near the detail matters: buffered, not the whole country.
        near = g.intersection(region.buffer(2 * COAST_SLACK, join_style="mitre"))
        reach = near.buffer(COAST_SLACK).intersection(region)
        others = tuple(code for code in _countries_near(reach) if code != country)
        neighbours = _countries_area(others)
        mine = land.intersection(reach.difference(neighbours) if neighbours is not None else reach)
        mine = _polygonal(mine).simplify(OUTLINE_TOL, preserve_topology=True)
        # Outside the detail the outline is unchanged: inside it, it is ``mine``.
        change = mine.symmetric_difference(g.intersection(region)).area
        if change <= MIN_RECUT:
            return None
        new = shapely.union_all([g.difference(region), mine])
    else:
        taken = land.simplify(OUTLINE_TOL, preserve_topology=True)
        change = g.intersection(taken).area
        if change <= MIN_RECUT:
            return None
        new = g.difference(taken)
    new = _polygonal(shapely.set_precision(new, 0.001))
    if new.is_empty:
        return None
    return str(html_json(_geojson(new)))


def _geojson(geom: Any) -> dict[str, Any]:
    """``shapely.geometry.mapping(geom)`` (lists for tuples), with each ring's coordinates read at
    once (the same floats)."""
    import shapely
    from shapely.geometry import mapping

    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return mapping(geom)
    polygons = [
        [shapely.get_coordinates(ring).tolist() for ring in (p.exterior, *p.interiors)]
        for p in getattr(geom, "geoms", [geom])
    ]
    coordinates = polygons[0] if geom.geom_type == "Polygon" else polygons
    return {"type": geom.geom_type, "coordinates": coordinates}


@lru_cache(maxsize=256)
def _country_area(code: str) -> Any:
    """A country's outline in the gazetteer (valid polygons), or None."""
    import shapely

    from storymap.geoparse import areas

    geom = areas.outline(f"country:{code}")  # shared, read-only
    return None if geom is None else _polygonal(shapely.make_valid(shapes.shape(geom)))


@lru_cache(maxsize=256)
def _countries_area(codes: tuple[str, ...]) -> Any:
    """The union of these countries' outlines in the gazetteer, or None if it has none of them."""
    import shapely

    found = [shape_ for code in codes if (shape_ := _country_area(code)) is not None]
    return shapely.union_all(found) if found else None


def _countries_near(geom: Any) -> list[str]:
    """ISO codes of the 1:110m countries that touch ``geom`` (sorted)."""
    import shapely

    codes, geoms = _country_array()
    hits = shapely.intersects(geoms, geom).tolist()
    return sorted(code for code, hit in zip(codes, hits, strict=True) if hit)


@cache
def _country_array() -> tuple[list[str], Any]:
    """The 1:110m countries' codes and geometries, as a list and an array (for one call over all)."""
    import numpy as np

    found = _country_shapes()
    geoms = np.empty(len(found), dtype=object)
    geoms[:] = list(found.values())
    return list(found), geoms


def _country_shapes() -> dict[str, Any]:
    """The 1:110m countries by ISO code, valid (worked out when geodata/ was built)."""
    from storymap.render import world

    return world.country_shapes()


# --------------------------------------------------------------------------- labels


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def _km_matrix(lat: Any, lon: Any, anchors: Sequence[tuple[float, float]]) -> Any:
    """Great-circle km from each (lat, lon) to each anchor (lon, lat): shape (points, anchors)."""
    import numpy as np

    a = np.radians(np.array(anchors, dtype=float).reshape(-1, 2))
    p1, l1 = np.radians(lat)[:, None], np.radians(lon)[:, None]
    p2, l2 = a[None, :, 1], a[None, :, 0]
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def _within(lat: Any, lon: Any, point: tuple[float, float], km: float) -> Any:
    """Which of these places may lie within ``km`` of ``point`` (lon, lat): a box of latitude and
    longitude around it, widened a little, that holds every place that does (and some that do
    not, which the distances then leave out)."""
    import numpy as np

    lon0, lat0 = point
    reach = km / _EARTH_KM  # radians of arc
    out = np.abs(lat - lat0) <= math.degrees(reach) * 1.01 + 0.1
    width = math.cos(math.radians(lat0))
    if width > math.sin(reach) * 1.01:  # the circle does not hold a pole: a range of longitude
        spread = math.degrees(math.asin(min(1.0, math.sin(reach) * 1.01 / width))) + 0.1
        rows = np.flatnonzero(out)
        out[rows[np.abs((lon[rows] - lon0 + 180.0) % 360.0 - 180.0) > spread]] = False
    return out


@cache
def _context_areas() -> tuple[list[tuple[Any, str, tuple[int, float] | None]], Any, Any]:
    """The areas that may give a context label: (area, casefolded name, sea class or None for a
    country), with their latitudes and longitudes as arrays."""
    import numpy as np

    from storymap.render import world

    sizes = _country_km2()
    table = []
    for a in world.context_areas():  # the gazetteer's countries and waters
        if a.kind == "country" and a.country in sizes:
            table.append((a, a.name.casefold(), None))
        elif a.kind == "water" and (cls := _sea_class(a.name)) is not None:
            table.append((a, a.name.casefold(), cls))
    return table, np.array([a.lat for a, _, _ in table]), np.array([a.lon for a, _, _ in table])


@cache
def _town_table() -> tuple[Any, Any, Any, Any, Any]:
    """Gazetteer places big enough to label, largest first, as arrays (entries are made only for
    the few that get a label): gazetteer indices, latitudes, longitudes, "big" flags (a city or a
    capital) and capital flags."""
    from storymap.geoparse.gazetteer import gazetteer

    idx, lat, lon, pop, capital = gazetteer().populated_table(MIN_TOWN_POPULATION)
    return idx, lat, lon, (pop >= MIN_CITY_POPULATION) | capital, capital


def _sea_class(name: str) -> tuple[int, float] | None:
    """(rank, minzoom) of a water label by what it is, or None to leave it out."""
    if name.startswith(("North ", "South ")) and ("Atlantic" in name or "Pacific" in name):
        return None  # the ocean halves repeat the ocean's own label
    if name == "Great Lakes":
        return None  # each lake has its own label
    if name.endswith("Ocean"):
        return 0, 1.0
    if "Sea" in name and not name.startswith(("Dead", "Sea of Galilee")):
        return 1, 3.0
    if name.startswith(("Gulf", "Bay")) or name.endswith(("Gulf", "Bight")):
        return 2, 4.0
    if name.startswith("Lake"):
        return 3, 5.0
    return 3, 6.0  # straits, channels, passages, canals


def _city_class(population: int, capital: bool) -> tuple[str, int, float]:
    if population < MIN_CITY_POPULATION and not capital:
        return "city", 5, 7.0 if population >= 100_000 else 8.0
    if capital:
        return "capital", 1 if population >= 1_000_000 else 2, 4.0 if population >= 1_000_000 else 5.0
    if population >= 5_000_000:
        return "city", 2, 4.0
    if population >= 1_000_000:
        return "city", 3, 5.0
    return "city", 4, 6.0


def _label(text: str, lat: float, lon: float, kind: str, rank: int, minzoom: float) -> dict[str, Any]:
    return {
        "text": text,
        "lat": round(lat, 3),
        "lon": round(lon, 3),
        "kind": kind,
        "rank": rank,
        "minzoom": minzoom,
    }


def labels(story: Story) -> list[dict[str, Any]]:
    """Reference labels near the story's places: countries, seas, capitals, cities and towns.

    Countries, seas and capitals within reach of the story's places (``MAX_CONTEXT`` of each at
    most, nearest first; oceans always); the biggest cities around each focus place and the towns
    around each point place (for city zoom). A name the story itself puts on the map as a point
    or a sea is left to the story's own labels. Sorted by rank, then minzoom: the first ones
    matter most.
    """
    import numpy as np

    anchors = [(p.lon, p.lat) for p in story.places if p.kind not in ("region", "water")]
    if not anchors:
        anchors = [(p.lon, p.lat) for p in story.places]
    if not anchors:
        return []
    own = {p.name.casefold() for p in story.places if p.geometry is None or p.kind in ("water", "region")}
    own_points = [(p.lon, p.lat) for p in story.places if p.geometry is None]
    out: list[dict[str, Any]] = []
    context: list[tuple[float, dict[str, Any]]] = []  # (km from the story, label)
    sizes = _country_km2()
    table, area_lat, area_lon = _context_areas()
    near = _km_matrix(area_lat, area_lon, anchors).min(axis=1).tolist() if table else []
    for (a, name, cls), km in zip(table, near, strict=True):
        if name in own:
            continue
        if cls is None:  # a country
            if km > NEAR_COUNTRY_KM:
                continue
            minzoom = min(max(round(9 - math.log10(max(sizes[a.country], 1.0)), 1), 2.0), 7.0)
            context.append((km, _label(a.name, a.lat, a.lon, "country", int(minzoom) - 2, minzoom)))
        else:
            km = 0.0 if cls[0] == 0 else km  # oceans: always
            if km <= NEAR_SEA_KM:
                context.append((km, _label(a.name, a.lat, a.lon, "sea", *cls)))
    from storymap.geoparse.gazetteer import gazetteer

    index, lat, lon, big, capital = _town_table()
    centres = focus_points(story) or anchors  # cities around the places that get detail
    # Only towns within reach (in latitude: a degree is more than 110 km) can get a label, the
    # distances of the others need not be computed: cities and capitals near a focus place, and
    # any town near a point place.
    rows = np.zeros(len(index), dtype=bool)
    for point in centres:
        rows |= _within(lat, lon, point, max(NEAR_CAPITAL_KM, NEAR_CITY_KM))
    rows &= big
    for point in own_points:
        rows |= _within(lat, lon, point, NEAR_TOWN_KM)
    rows = np.flatnonzero(rows)
    index, lat, lon, big, capital = index[rows], lat[rows], lon[rows], big[rows], capital[rows]
    to_anchor = _km_matrix(lat, lon, centres)
    to_point = _km_matrix(lat, lon, own_points) if own_points else np.full((len(index), 1), np.inf)
    counts = dict.fromkeys(range(len(centres)), 0)
    towns = dict.fromkeys(range(to_point.shape[1]), 0)
    a_idx, a_km = to_anchor.argmin(axis=1), to_anchor.min(axis=1)
    p_idx, p_km = to_point.argmin(axis=1), to_point.min(axis=1)
    reach = np.where(capital, NEAR_CAPITAL_KM, NEAR_CITY_KM)
    candidates = np.flatnonzero((p_km >= 30) & ((big & (a_km <= reach)) | (p_km <= NEAR_TOWN_KM)))
    # (lat, lon) of the towns labelled so far, by band of latitude as wide as SAME_CITY_KM
    kept: dict[int, list[tuple[float, float]]] = {}
    near_deg = SAME_CITY_KM / 110.0  # a degree of latitude is at least 110.5 km
    for k in candidates.tolist():
        e = gazetteer().entry_at(index[k])
        if e.name.casefold() in own:
            continue  # the story labels it itself
        band = math.floor(e.lat / near_deg)
        nearby = (t for b in (band - 1, band, band + 1) for t in kept.get(b, ()))
        if any(_km(e.lat, e.lon, t_lat, t_lon) < SAME_CITY_KM for t_lat, t_lon in nearby):
            continue  # a part or suburb of a place labelled already (boroughs of a bigger city)
        i = int(a_idx[k])
        if big[k] and a_km[k] <= reach[k] and (e.capital or counts[i] < CITIES_PER_PLACE):
            counts[i] += 0 if e.capital else 1  # capitals: all those in reach, nearest first below
            kept.setdefault(band, []).append((e.lat, e.lon))
            label = _label(e.name, e.lat, e.lon, *_city_class(e.population, e.capital))
            if e.capital:
                context.append((float(a_km[k]), label))
            else:
                out.append(label)
            continue
        i = int(p_idx[k])
        if p_km[k] <= NEAR_TOWN_KM and towns[i] < TOWNS_PER_PLACE:
            towns[i] += 1
            kept.setdefault(band, []).append((e.lat, e.lon))
            out.append(_label(e.name, e.lat, e.lon, *_city_class(e.population, False)))
    context.sort(key=lambda item: (item[0], item[1]["text"]))
    for kind, most in MAX_CONTEXT.items():
        out += [label for _, label in context if label["kind"] == kind][:most]
    out.sort(key=lambda lab: (lab["rank"], lab["minzoom"], lab["text"], lab["lat"], lab["lon"]))
    return out


# --------------------------------------------------------------------------- public


#: Recent payloads, by what of the story they depend on (a story is often rendered more than
#: once: the page and its embed, or several times in one test run): the geometry and the labels as
#: JSON text (the labels as ``assets.html_json`` writes them), and each area's outline as the page
#: stores it (``page_geometries``).
_RECENT: Recent[tuple, tuple[str, str, dict[str, str]]] = Recent(8)
#: Places' own outlines as ``assets.html_json`` writes them, by digest (``_Geometry.key``): in a
#: batch the same countries and seas come back constantly.
_OWN_JSON: Recent[bytes, str] = Recent(256)


def _payload_parts(story: Story) -> tuple[str, str, dict[str, str]]:
    from storymap.render.assets import html_json

    digests = [None if p.geometry is None else _Geometry(p.geometry).key for p in story.places]
    key = tuple(
        (p.id, p.name, p.kind, p.lat, p.lon, p.country, d) for p, d in zip(story.places, digests, strict=True)
    )
    parts = _RECENT.get(key)
    if parts is None:
        shapes_ = _outline_texts(story)
        for p, d in zip(story.places, digests, strict=True):
            if d is not None and p.id not in shapes_:
                own = _OWN_JSON.get(d)
                shapes_[p.id] = _OWN_JSON.put(d, str(html_json(p.geometry))) if own is None else own
        parts = _RECENT.put(
            key,
            (_geometry_payload(tuple(focus_points(story))), str(html_json(labels(story))), shapes_),
        )
    return parts


def basemap(story: Story) -> dict[str, Any]:
    """The basemap payload of ``story`` (see the module docstring); deterministic, a fresh copy."""
    geometry, labels_text, _ = _payload_parts(story)
    payload = json.loads(geometry)
    payload["labels"] = json.loads(labels_text)
    return payload


def basemap_json(story: Story) -> str:
    """``assets.html_json(basemap(story))``, joined from the parts as they are kept (the geometry
    is most of the page's bytes: it is not parsed and written again for each page)."""
    geometry, labels_text, _ = _payload_parts(story)
    # Keys in sorted order; the geometry's are borders, detail, detail_borders and land, and its
    # text is plain ASCII without any character that html_json escapes (the encoding's alphabet
    # is ASCII 63-126), so ',"land":' can only be a key there.
    at = geometry.index(',"land":')
    return f'{geometry[:at]},"labels":{labels_text}{geometry[at:]}'


def page_geometries(story: Story) -> dict[str, str]:
    """Each area's outline as the page stores it (its place's ``geometry`` in ``storymap-data``),
    as ``assets.html_json`` writes it: re-cut near the story's places (``outlines``), else the
    place's own; by place id. Cached with the basemap payload (do not change the dict)."""
    return _payload_parts(story)[2]
