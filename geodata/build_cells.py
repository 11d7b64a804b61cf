"""Build ``geodata/basemap_cells.pack``: the basemap cut into cells and pre-encoded for the page.

    python geodata/build_cells.py

Reads ``geodata/basemap_detail.json.gz`` (Natural Earth 1:10m tiles, ``build_basemap.py``) and the
1:110m world land of ``geodata/basemap.json`` (``build_areas.py``); no network. Each tier is cut
into cells on the stored grid (``shapely`` ``grid_size``), so neighbouring cells meet exactly, and
encoded with :mod:`storymap.render.polyline` (what the renderer used to do per page). The layout is
described in :mod:`storymap.render.cells`. Rebuilding is byte-identical.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, box, shape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from storymap.render import cells, polyline  # noqa: E402  (the renderer reads what this writes)

OUT = HERE / cells.FILE


def _ints(values: list[int], scale: int) -> np.ndarray:
    return np.cumsum(np.asarray(values, dtype=np.int64).reshape(-1, 2), axis=0) / scale


def read_tile(text: str, scale: int) -> tuple[object, object]:
    """One tile of ``basemap_detail.json.gz``: its land (MultiPolygon) and borders."""
    tile = json.loads(text)
    polys = []
    for rings in tile["land"]:
        shell, *holes = (_ints(r, scale) for r in rings)
        polys.append(Polygon(shell, holes))
    lines = [LineString(_ints(line, scale)) for line in tile["borders"]]
    land = shapely.multipolygons(polys) if polys else Polygon()
    return land, shapely.multilinestrings(lines) if lines else LineString()


def _only(geom: object, kind: str) -> object:
    """The parts of one kind of a geometry (a cut may leave points and lines beside polygons)."""
    found = polyline.parts(geom, kind)
    if kind == "Polygon":
        return shapely.multipolygons(found) if found else Polygon()
    return shapely.multilinestrings(found) if found else LineString()


def content(land: object, borders: object, area: object, scale: int) -> tuple[dict | None, int]:
    """Land and borders inside ``area``, encoded, and how many integers they hold."""
    grid = 1 / scale
    piece = _only(land.intersection(area, grid_size=grid), "Polygon")
    lines = _only(borders.intersection(area, grid_size=grid), "LineString")
    polys, strokes = polyline.polygons(piece, scale), polyline.lines(lines, scale)
    if not polys and not strokes:
        return None, 0
    n = sum(polyline.numbers(r) for p in polys for r in p) + sum(polyline.numbers(s) for s in strokes)
    return {"borders": strokes, "land": polys}, n


def cut(land: object, borders: object, size: int, area: tuple[int, int, int, int], scale: int) -> dict:
    """``{"x,y": (content, integers)}`` of the ``size``-degree cells in ``area`` (degrees: west,
    south, east, north) that hold anything."""
    out = {}
    west, south, east, north = area
    for cy in range(south // size, north // size):
        for cx in range(west // size, east // size):
            cell = box(cx * size, cy * size, (cx + 1) * size, (cy + 1) * size)
            found, n = content(land, borders, cell, scale)
            if found is not None:
                out[f"{cx},{cy}"] = (found, n)
    return out


def store(tier: str, found: dict, contents: dict, counts: dict) -> None:
    """Cells of one block of a tier into ``contents`` (and their integer counts into ``counts``)."""
    if not found:
        return
    size, per_block = cells.TIERS[tier]
    x, y = map(int, next(iter(found)).split(","))
    per = per_block // size
    contents[f"{tier}/{x // per},{y // per}"] = {k: c for k, (c, _) in found.items()}
    if tier in counts:
        for key, (_, n) in found.items():
            x, y = map(int, key.split(","))
            counts[tier][y + 90 // size, x + 180 // size] = n


def world() -> tuple[object, object, int]:
    """The 1:110m world land (union of the countries of ``basemap.json``) and land borders."""
    detail = json.loads(gzip.decompress((HERE / "basemap_detail.json.gz").read_bytes()))
    features = json.loads((HERE / "basemap.json").read_text())["features"]
    geoms = [
        shapely.union_all(polyline.parts(shapely.make_valid(shape(f["geometry"])), "Polygon"))
        for f in features
    ]
    land = shapely.union_all(geoms)
    scale = detail["world_scale"]
    lines = [LineString(_ints(line, scale)) for line in detail["borders"]]
    return land, shapely.multilinestrings(lines), scale


def main() -> None:
    """Cut every tier and write the file."""
    detail = json.loads(gzip.decompress((HERE / "basemap_detail.json.gz").read_bytes()))
    assert detail["tile"] == 5, "the 1:10m tiles are the 5-degree blocks"
    counts = {tier: np.zeros(cells.shape(tier), dtype=np.uint32) for tier in cells.COUNTED}
    contents: dict[str, dict] = {}
    scales = {"detail": detail["scale"], "near5": detail["near_scale"]}
    for tiles, tiers in (("tiles", ("detail",)), ("near_tiles", ("near5",))):
        for key, text in detail[tiles].items():
            bx, by = map(int, key.split(","))
            area = (bx * 5, by * 5, (bx + 1) * 5, (by + 1) * 5)
            land, borders = read_tile(text, scales[tiers[0]])
            for tier in tiers:
                store(tier, cut(land, borders, cells.TIERS[tier][0], area, scales[tier]), contents, counts)
    land, borders, scale = world()
    scales["world30"] = scale
    for tier in ("world30",):
        size = cells.TIERS[tier][0]
        for by in range(-90 // size, 90 // size):
            for bx in range(-180 // size, 180 // size):
                area = (bx * size, by * size, (bx + 1) * size, (by + 1) * size)
                found = cut(land, borders, size, area, scale)
                store(tier, found, contents, counts)
    OUT.write_bytes(cells.write(scales, contents, counts))
    print(f"{len(contents)} blocks; {OUT.name}: {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
