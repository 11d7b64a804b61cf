"""The offline basemap of one story: detailed land and borders where its places are, labels for context.

Three tiers of land and country borders, cut so that they never overlap:

- around each focus place (a point place, or a small country or division), within ``R_DETAIL``
  degrees: Natural Earth 1:10m as stored (about 200 m of detail: city zoom);
- within ``R_NEAR`` degrees: the same 1:10m data simplified to about 2 km (regional zoom);
- everywhere else: Natural Earth 1:110m (world zoom).

The 1:10m tiles come from ``geodata/basemap_detail.json.gz`` (``geodata/build_basemap.py``), the
world land from ``geodata/basemap.json``. Reference labels (countries, seas, capitals and large
cities near the story) come from the gazetteer storymap ships. Pure: the only I/O is reading
package data through :func:`storymap.resources.data_dir`, cached per process.

Payload (JSON, read by the runtime's basemap module)::

    {"land":    {"scale": 100,  "polygons": [[ring, ...], ...]},   # near and world tiers
     "detail":  {"scale": 1000, "polygons": [...]},                # detail tier
     "borders": {"scale": 100,  "lines": [line, ...]},
     "detail_borders": {"scale": 1000, "lines": [...]},
     "labels":  [{"text", "lat", "lon", "kind", "rank", "minzoom"}, ...]}

A ring or line is one string: the integers ``x0, y0, dx1, dy1, ...`` (lon/lat * scale; the first
point, then each step) in the encoded-polyline alphabet (each number zig-zagged, ``~(v << 1)`` for
negatives, written in 5-bit groups low first, ``+ 0x20`` on every group but the last, ``+ 63``).
Land polygons of all tiers are disjoint, so the runtime can fill them as one path (no seams).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from storymap.resources import data_dir

if TYPE_CHECKING:
    from storymap.model import Story

#: Radius (degrees of latitude) of full 1:10m detail around a focus place.
R_DETAIL = 1.5
#: Radius of the simplified 1:10m tier.
R_NEAR = 8.0
#: Integer scales of the encoded coordinates.
WORLD_SCALE = 100
DETAIL_SCALE = 1000
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


# --------------------------------------------------------------------------- package data


@cache
def _detail_data() -> dict[str, Any]:
    """``geodata/basemap_detail.json.gz``; without it, no detail (the world land still draws)."""
    path = data_dir("geodata") / "basemap_detail.json.gz"
    try:
        return json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        return {
            "tiles": {},
            "near_tiles": {},
            "borders": [],
            "scale": DETAIL_SCALE,
            "near_scale": WORLD_SCALE,
            "tile": 5,
            "world_scale": WORLD_SCALE,
        }


def _decode(values: Sequence[int], scale: int) -> Any:
    """Stored delta integers back to an (n, 2) array of lon/lat."""
    import numpy as np

    return np.cumsum(np.asarray(values, dtype=np.int64).reshape(-1, 2), axis=0) / scale


@cache
def _tile(tiles: str, key: str) -> tuple[Any, Any]:
    """One tile's land (MultiPolygon) and borders (MultiLineString) from a tile set."""
    import shapely
    from shapely.geometry import LineString, Polygon

    data = _detail_data()
    tile = json.loads(data[tiles][key])
    scale = data["scale" if tiles == "tiles" else "near_scale"]
    polys = []
    for rings in tile["land"]:
        shell, *holes = (_decode(r, scale) for r in rings)
        polys.append(Polygon(shell, holes))
    lines = [LineString(_decode(line, scale)) for line in tile["borders"]]
    land = shapely.multipolygons(polys) if polys else Polygon()
    return land, shapely.multilinestrings(lines) if lines else LineString()


def _polygonal(geom: Any) -> Any:
    """Only the polygons of a geometry (``make_valid`` may leave lines from degenerate rings)."""
    import shapely

    return shapely.union_all(_parts(geom, "Polygon"))


@cache
def _world() -> tuple[Any, Any]:
    """World land (the union of the 1:110m countries) and 1:110m land borders."""
    import shapely
    from shapely.geometry import LineString, shape

    try:
        from storymap.geoparse import areas

        features = areas.basemap()["features"]
    except (FileNotFoundError, KeyError):
        features = []
    geoms = [_polygonal(shapely.make_valid(shape(f["geometry"]))) for f in features]
    land = shapely.union_all(geoms) if geoms else shapely.Polygon()
    data = _detail_data()
    lines = [LineString(_decode(line, data["world_scale"])) for line in data["borders"]]
    return land, shapely.multilinestrings(lines) if lines else LineString()


@cache
def _country_km2() -> dict[str, float]:
    """Approximate area (km²) of each 1:110m country, by ISO code."""
    return {
        code: g.area * (111.32**2) * max(math.cos(math.radians(g.centroid.y)), 0.05)
        for code, g in _country_shapes().items()
    }


# --------------------------------------------------------------------------- regions


def _main_extent(geometry: dict[str, Any]) -> float:
    """Larger side (degrees) of the biggest polygon of an area: its main body, not its islands."""
    from shapely.geometry import shape

    g = shape(geometry)
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


def _disc(lon: float, lat: float, radius: float) -> Any:
    """A circle of ``radius`` degrees of latitude, widened in longitude as a map shows it."""
    import shapely.affinity
    from shapely.geometry import Point

    stretch = 1 / max(math.cos(math.radians(lat)), 0.2)
    return shapely.affinity.scale(Point(lon, lat).buffer(radius, quad_segs=8), stretch, 1.0)


def _region(points: Iterable[tuple[float, float]], radius: float) -> Any:
    import shapely
    from shapely.geometry import box

    discs = [_disc(lon, lat, radius) for lon, lat in points]
    if not discs:
        return shapely.Polygon()
    # On a 0.01-degree grid, so the tiers' shared edges are exact at every scale they are written in.
    return shapely.set_precision(shapely.union_all(discs).intersection(box(-180, -89, 180, 89)), 0.01)


def _tiles_in(tiles: str, region: Any) -> list[str]:
    data = _detail_data()
    if region.is_empty:
        return []
    size = data["tile"]
    minx, miny, maxx, maxy = region.bounds
    keys = []
    for ty in range(math.floor(miny / size), math.floor(maxy / size) + 1):
        for tx in range(math.floor(minx / size), math.floor(maxx / size) + 1):
            if f"{tx},{ty}" in data[tiles]:
                keys.append(f"{tx},{ty}")
    return keys


def _clip(tiles: str, region: Any) -> tuple[list[Any], list[Any]]:
    """Land and border pieces of a tile set inside ``region``, tile by tile (pieces meet exactly
    on tile edges, so they need no merging)."""
    import shapely.errors
    from shapely.geometry import box

    size = _detail_data()["tile"]
    land, lines = [], []
    for key in _tiles_in(tiles, region):
        tx, ty = map(int, key.split(","))
        cell = box(tx * size, ty * size, (tx + 1) * size, (ty + 1) * size)
        tile_land, tile_lines = _tile(tiles, key)
        if cell.within(region):
            land.append(tile_land)
            lines.append(tile_lines)
            continue
        part = region.intersection(cell)
        if not part.is_empty:
            try:
                piece_land, piece_lines = tile_land.intersection(part), tile_lines.intersection(part)
            except shapely.errors.GEOSException:
                # GEOS cannot cut lines by a collection (a region that only touches a cell edge
                # leaves a line beside its polygon there): cut by the polygons alone.
                part = _polygonal(part)
                piece_land, piece_lines = tile_land.intersection(part), tile_lines.intersection(part)
            land.append(piece_land)
            lines.append(piece_lines)
    return land, lines


# --------------------------------------------------------------------------- encoding


def _delta(coords: Any, scale: int) -> str:
    """A ring or line as text: the first point, then each step, in integers (lon/lat * scale)
    written with the encoded-polyline alphabet (5-bit groups, ASCII 63-126; about 2 bytes a
    number where JSON digits take 4). Repeated points are dropped."""
    import numpy as np

    xy = np.rint(np.asarray(coords, dtype=float)[:, :2] * scale).astype(np.int64)
    if len(xy) == 0:
        return ""
    steps = np.diff(xy, axis=0)
    steps = steps[np.any(steps != 0, axis=1)]
    v = np.concatenate((xy[0], steps.ravel()))
    table = _small_numbers()
    return "".join([table[z] if z < _SMALL else _number(z) for z in ((v << 1) ^ (v >> 63)).tolist()])


#: Zig-zagged numbers below this are encoded once per process (``_small_numbers``), not each time.
_SMALL = 1 << 15


def _number(z: int) -> str:
    """One zig-zagged (non-negative) number in 5-bit groups, low first."""
    out = []
    while z >= 0x20:
        out.append(chr((0x20 | (z & 0x1F)) + 63))
        z >>= 5
    out.append(chr(z + 63))
    return "".join(out)


@cache
def _small_numbers() -> tuple[str, ...]:
    return tuple(_number(z) for z in range(_SMALL))


#: The characters of a group that another group follows (``0x20 + 63`` and up).
_CONTINUED = tuple(chr(c) for c in range(95, 127))


def _numbers(text: str) -> int:
    """How many numbers an encoded ring or line holds."""
    return len(text) - sum(map(text.count, _CONTINUED))


def _parts(geom: Any, kind: str) -> list[Any]:
    """The parts of one kind ("Polygon", "LineString") of a geometry or list of geometries."""
    if isinstance(geom, list):
        return [p for g in geom for p in _parts(g, kind)]
    if geom is None or geom.is_empty:
        return []
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in _parts(g, kind)]
    return [geom] if geom.geom_type == kind else []


def _encode_many(lines: Sequence[Any], scale: int) -> tuple[list[str], list[int]]:
    """``_delta`` of many rings or lines at once, and how many numbers each holds (what
    ``_numbers`` counts): one pass over all their points instead of one per line."""
    import numpy as np
    import shapely

    if not lines:
        return [], []
    geoms = np.empty(len(lines), dtype=object)
    geoms[:] = lines
    sizes = shapely.get_num_coordinates(geoms)
    xy = np.rint(shapely.get_coordinates(geoms) * scale).astype(np.int64)
    owner = np.repeat(np.arange(len(lines)), sizes)
    first = np.zeros(len(xy), dtype=bool)
    first[np.cumsum(sizes)[sizes > 0] - sizes[sizes > 0]] = True
    rows = xy.copy()
    rows[1:] -= xy[:-1]  # each point's step from the one before (first points: the point itself)
    rows[first] = xy[first]
    kept = first | np.any(rows != 0, axis=1)  # repeated points dropped
    counts = 2 * np.bincount(owner[kept], minlength=len(lines))
    values = rows[kept].ravel()
    table = _small_numbers()
    text = [table[z] if z < _SMALL else _number(z) for z in ((values << 1) ^ (values >> 63)).tolist()]
    ends = np.cumsum(counts).tolist()
    starts = [0, *ends[:-1]]
    return ["".join(text[i:j]) for i, j in zip(starts, ends, strict=True)], counts.tolist()


def _polygons(geom: Any, scale: int) -> list[list[str]]:
    import numpy as np
    import shapely

    polys = _parts(geom, "Polygon")
    if not polys:
        return []
    geoms = np.empty(len(polys), dtype=object)
    geoms[:] = polys
    rings, owner = shapely.get_rings(geoms, return_index=True)  # each polygon's shell, then holes
    texts, counts = _encode_many(list(rings), scale)
    out: list[list[str]] = []
    previous = -1
    for i, text, count in zip(owner.tolist(), texts, counts, strict=True):
        if i != previous:  # a shell
            previous = i
            shell_kept = count >= 6
            if shell_kept:
                out.append([text])
        elif shell_kept and count >= 6:
            out[-1].append(text)
    return out


def _lines(geom: Any, scale: int) -> list[str]:
    import shapely

    lines = _parts(geom, "LineString")
    if len(lines) > 1:
        lines = _parts(shapely.line_merge(shapely.multilinestrings(lines)), "LineString")
    texts, counts = _encode_many(lines, scale)
    return [text for text, count in zip(texts, counts, strict=True) if count >= 4]


# --------------------------------------------------------------------------- geometry payload


def _tiers(points: list[tuple[float, float]]) -> dict[str, Any]:
    world_land, world_lines = _world()
    detail_region = _region(points, R_DETAIL)
    near_region = _region(points, R_NEAR)
    near_land, near_lines = _clip("near_tiles", near_region.difference(detail_region))
    detail_land, detail_lines = _clip("tiles", detail_region)
    if not near_region.is_empty:
        world_land = world_land.difference(near_region)
        world_lines = world_lines.difference(near_region)
    return {
        "land": {
            "scale": WORLD_SCALE,
            "polygons": _polygons(world_land, WORLD_SCALE) + _polygons(near_land, WORLD_SCALE),
        },
        "detail": {"scale": DETAIL_SCALE, "polygons": _polygons(detail_land, DETAIL_SCALE)},
        "borders": {
            "scale": WORLD_SCALE,
            "lines": _lines(world_lines, WORLD_SCALE) + _lines(near_lines, WORLD_SCALE),
        },
        "detail_borders": {"scale": DETAIL_SCALE, "lines": _lines(detail_lines, DETAIL_SCALE)},
    }


@cache
def _tile_numbers(tiles: str, key: str) -> int:
    """How many integers a stored tile holds (counted in its text, without parsing it)."""
    return _detail_data()[tiles][key].count(",")


@cache
def _cost(point: tuple[float, float]) -> float:
    """About how many integers one focus place's detail and near tiers take on their own: each
    tile's count, in proportion to the share of the tile the place's region covers."""
    from shapely.geometry import box

    lon, lat = point
    detail, near = _disc(lon, lat, R_DETAIL), _disc(lon, lat, R_NEAR)
    size = _detail_data()["tile"]
    total = 0.0
    for tiles, region in (("tiles", detail), ("near_tiles", near.difference(detail))):
        for key in _tiles_in(tiles, region):
            tx, ty = map(int, key.split(","))
            cell = box(tx * size, ty * size, (tx + 1) * size, (ty + 1) * size)
            total += _tile_numbers(tiles, key) * cell.intersection(region).area / cell.area
    return total


@cache
def _kept(points: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    """The focus points that get detail: in order of importance while the budget lasts; a place
    whose surroundings another place already brought costs only its new part."""
    import shapely

    kept: list[tuple[float, float]] = []
    covered = shapely.Polygon()
    spent = 0.0
    for point in points:
        disc = _disc(*point, R_NEAR)
        cost = _cost(point) * disc.difference(covered).area / disc.area  # overlaps are paid once
        if kept and spent + cost > MAX_DETAIL_INTS:
            continue
        kept.append(point)
        covered = covered.union(disc)
        spent += cost
    return tuple(kept)


#: Payloads and merged land kept per process (a batch worker maps thousands of stories: bounded).
RECENT_GEOMETRY = 32


@lru_cache(maxsize=RECENT_GEOMETRY)
def _geometry_payload(points: tuple[tuple[float, float], ...]) -> str:
    """The land and borders for these focus points, within the detail budget (as JSON text)."""
    return json.dumps(_tiers(list(_kept(points))), separators=(",", ":"), sort_keys=True)


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


@lru_cache(maxsize=RECENT_GEOMETRY)
def _merged_land(points: tuple[tuple[float, float], ...]) -> tuple[Any, Any]:
    """The detail tier's land, merged (seamless), and its region."""
    import shapely

    region = _region(list(_kept(points)), R_DETAIL)
    return shapely.union_all(_clip("tiles", region)[0]), region


def outlines(story: Story) -> dict[str, dict[str, Any]]:
    """The story's own country and sea outlines, re-cut to the basemap's land near its places.

    Where the basemap has full detail (city zoom), a country takes the detailed land within
    ``COAST_SLACK`` of its outline (minus its neighbours), and a sea or zone gives up the land it
    covered; elsewhere the outlines stay as they are (they are as coarse as the basemap there).
    So a country's fill and the land agree at every zoom. Returns
    ``{place id: GeoJSON geometry}`` for the places whose outline changed; the page stores each
    as its place's ``geometry`` (``render.map.build_map``), its only copy there.
    """
    import shapely
    from shapely.geometry import mapping, shape

    from storymap.geoparse import areas

    points = tuple(focus_points(story))
    wanted = [p for p in story.places if p.geometry is not None and p.kind in ("country", "water", "region")]
    if not points or not wanted:
        return {}
    land, region = _merged_land(points)
    out: dict[str, dict[str, Any]] = {}
    for p in wanted:
        g = _polygonal(shapely.make_valid(shape(p.geometry)))
        if not g.intersects(region):
            continue
        if p.kind == "country":
            reach = g.buffer(COAST_SLACK).intersection(region)
            others = [
                _polygonal(shapely.make_valid(shape(geom)))
                for code in _countries_near(reach)
                if code != p.country and (geom := areas.geometry(f"country:{code}")) is not None
            ]
            mine = land.intersection(reach.difference(shapely.union_all(others)) if others else reach)
            mine = _polygonal(mine).simplify(OUTLINE_TOL, preserve_topology=True)
            new = shapely.union_all([g.difference(region), mine])
        elif p.kind == "water":
            new = g.difference(land.simplify(OUTLINE_TOL, preserve_topology=True))
        else:
            continue  # continents and other regions are drawn as outlines: they keep theirs
        new = _polygonal(shapely.set_precision(new, 0.001))
        if not new.is_empty and new.symmetric_difference(g).area > MIN_RECUT:
            out[p.id] = mapping(new)
    return json.loads(json.dumps(out))  # plain lists, not tuples


def _countries_near(geom: Any) -> list[str]:
    """ISO codes of the 1:110m countries that touch ``geom`` (sorted)."""
    return sorted(code for code, shape_ in _country_shapes().items() if shape_.intersects(geom))


@cache
def _country_shapes() -> dict[str, Any]:
    import shapely
    from shapely.geometry import shape

    try:
        from storymap.geoparse import areas

        features = areas.basemap()["features"]
    except (FileNotFoundError, KeyError):
        return {}
    out: dict[str, Any] = {}
    for f in features:
        code = f["properties"].get("iso") or ""
        if code:
            g = _polygonal(shapely.make_valid(shape(f["geometry"])))
            out[code] = shapely.union_all([out[code], g]) if code in out else g
    return out


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


@cache
def _towns() -> tuple[Any, ...]:
    """Gazetteer places big enough to label, largest first."""
    from storymap.geoparse.gazetteer import gazetteer

    return tuple(gazetteer().populated(MIN_TOWN_POPULATION))


@cache
def _context_areas() -> tuple[list[tuple[Any, str, tuple[int, float] | None]], Any, Any]:
    """The areas that may give a context label: (area, casefolded name, sea class or None for a
    country), with their latitudes and longitudes as arrays."""
    import numpy as np

    from storymap.geoparse import areas

    sizes = _country_km2()
    table = []
    for a in areas.areas():
        if a.kind == "country" and a.country in sizes:
            table.append((a, a.name.casefold(), None))
        elif a.kind == "water" and (cls := _sea_class(a.name)) is not None:
            table.append((a, a.name.casefold(), cls))
    return table, np.array([a.lat for a, _, _ in table]), np.array([a.lon for a, _, _ in table])


@cache
def _town_table() -> tuple[tuple[Any, ...], Any, Any, Any, Any, Any]:
    """``_towns()`` with their casefolded names, latitudes, longitudes, "big" flags (a city or a
    capital) and capital flags as arrays."""
    import numpy as np

    towns = _towns()
    return (
        towns,
        np.array([e.name.casefold() for e in towns], dtype=str),
        np.array([e.lat for e in towns], dtype=float),
        np.array([e.lon for e in towns], dtype=float),
        np.array([e.population >= MIN_CITY_POPULATION or e.capital for e in towns], dtype=bool),
        np.array([e.capital for e in towns], dtype=bool),
    )


def _nearest_km(lat: float, lon: float, anchors: Sequence[tuple[float, float]]) -> float:
    return min((_km(lat, lon, a_lat, a_lon) for a_lon, a_lat in anchors), default=math.inf)


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
    all_towns, town_names, town_lat, town_lon, town_big, town_capital = _town_table()
    keep = np.ones(len(all_towns), dtype=bool)
    for name in own:
        keep &= town_names != name
    index = np.flatnonzero(keep)
    entries = [all_towns[i] for i in index.tolist()]
    lat, lon = town_lat[index], town_lon[index]
    centres = focus_points(story) or anchors  # cities around the places that get detail
    to_anchor = _km_matrix(lat, lon, centres)
    to_point = _km_matrix(lat, lon, own_points) if own_points else np.full((len(entries), 1), np.inf)
    counts = dict.fromkeys(range(len(centres)), 0)
    towns = dict.fromkeys(range(to_point.shape[1]), 0)
    a_idx, a_km = to_anchor.argmin(axis=1), to_anchor.min(axis=1)
    p_idx, p_km = to_point.argmin(axis=1), to_point.min(axis=1)
    big = town_big[index]
    reach = np.where(town_capital[index], NEAR_CAPITAL_KM, NEAR_CITY_KM)
    candidates = np.flatnonzero((p_km >= 30) & ((big & (a_km <= reach)) | (p_km <= NEAR_TOWN_KM)))
    kept: list[tuple[float, float]] = []
    for k in candidates.tolist():
        e = entries[k]
        if _nearest_km(e.lat, e.lon, kept) < SAME_CITY_KM:
            continue  # a part or suburb of a place labelled already (boroughs of a bigger city)
        i = int(a_idx[k])
        if big[k] and a_km[k] <= reach[k] and (e.capital or counts[i] < CITIES_PER_PLACE):
            counts[i] += 0 if e.capital else 1  # capitals: all those in reach, nearest first below
            kept.append((e.lon, e.lat))
            label = _label(e.name, e.lat, e.lon, *_city_class(e.population, e.capital))
            if e.capital:
                context.append((float(a_km[k]), label))
            else:
                out.append(label)
            continue
        i = int(p_idx[k])
        if p_km[k] <= NEAR_TOWN_KM and towns[i] < TOWNS_PER_PLACE:
            towns[i] += 1
            kept.append((e.lon, e.lat))
            out.append(_label(e.name, e.lat, e.lon, *_city_class(e.population, False)))
    context.sort(key=lambda item: (item[0], item[1]["text"]))
    for kind, most in MAX_CONTEXT.items():
        out += [label for _, label in context if label["kind"] == kind][:most]
    out.sort(key=lambda lab: (lab["rank"], lab["minzoom"], lab["text"], lab["lat"], lab["lon"]))
    return out


# --------------------------------------------------------------------------- public


#: Recent payloads as JSON text, by what of the story they depend on (a story is often rendered
#: more than once: the page and its embed, or several times in one test run).
_RECENT: dict[str, str] = {}
_RECENT_SIZE = 8


def _cached(story: Story) -> dict[str, Any]:
    """The basemap payload and the re-cut outlines of ``story``, as a fresh copy."""
    key = json.dumps(
        [[p.id, p.name, p.kind, p.lat, p.lon, p.country, p.geometry] for p in story.places], sort_keys=True
    )
    text = _RECENT.get(key)
    if text is None:
        payload = json.loads(_geometry_payload(tuple(focus_points(story))))
        payload["labels"] = labels(story)
        text = json.dumps(
            {"basemap": payload, "outlines": outlines(story)}, sort_keys=True, separators=(",", ":")
        )
        if len(_RECENT) >= _RECENT_SIZE:
            _RECENT.pop(next(iter(_RECENT)))
        _RECENT[key] = text
    return json.loads(text)


def basemap(story: Story) -> dict[str, Any]:
    """The basemap payload of ``story`` (see the module docstring); deterministic, a fresh copy."""
    return _cached(story)["basemap"]


def page_outlines(story: Story) -> dict[str, dict[str, Any]]:
    """``outlines(story)``, cached with the basemap payload (a fresh copy): the page stores each
    of these as its place's ``geometry`` in ``storymap-data``, so an area's outline is shipped once."""
    return _cached(story)["outlines"]
