"""The basemap's pre-encoded cells (``geodata/basemap_cells.pack``, ``storymap.render.cells``):
joined, they are the geometry they were cut from; they meet exactly; the file is deterministic."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from storymap.render import cells, polyline

#: The checkout's geodata/ (the build script and its 1:10m input are not installed with the package).
GEODATA = Path(__file__).resolve().parent.parent / "geodata"


def land(content: dict | None, scale: int) -> shapely.Geometry:
    """The land of one cell's content as a (Multi)Polygon."""
    polys = [
        Polygon(polyline.decode(rings[0], scale), [polyline.decode(r, scale) for r in rings[1:]])
        for rings in (content or {}).get("land", [])
    ]
    return shapely.union_all(polys) if polys else Polygon()


def joined(tier: str, x0: int, y0: int, x1: int, y1: int) -> tuple[shapely.Geometry, list[shapely.Geometry]]:
    """The union of a tier's cells in [x0, x1) x [y0, y1) (cell units), and the cells' land."""
    scale = cells.scale(tier)
    pieces = [land(cells.cell(tier, x, y), scale) for y in range(y0, y1) for x in range(x0, x1)]
    pieces = [p for p in pieces if not p.is_empty]
    return shapely.union_all(pieces), pieces


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_cells", GEODATA / "build_cells.py")
    if spec is None or not (GEODATA / "build_cells.py").exists():
        pytest.fail("geodata/build_cells.py is missing from the checkout")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Blocks (5 degrees) with coasts, islands and borders: Florida, the Caribbean coast of Colombia,
# the Rhine, the Aegean, Tokyo Bay.
BLOCKS = [(-17, 5), (-16, 2), (1, 9), (5, 7), (27, 7)]


@pytest.mark.parametrize("bx, by", BLOCKS)
def test_detail_cells_joined_are_the_1_10m_tile(builder, bx, by):
    detail = json.loads(gzip.decompress((GEODATA / "basemap_detail.json.gz").read_bytes()))
    tile, _ = builder.read_tile(detail["tiles"][f"{bx},{by}"], detail["scale"])
    union, pieces = joined("detail", bx * 5, by * 5, bx * 5 + 5, by * 5 + 5)
    assert pieces
    # Cut points snap to 0.001°: a long coast segment across a cell edge leaves a thin sliver.
    assert union.symmetric_difference(tile).area < 1e-4 * tile.area
    # Cells do not overlap (the page fills them as one path, even-odd) and each stays in its cell.
    assert sum(p.area for p in pieces) == pytest.approx(union.area, rel=1e-9, abs=1e-12)
    for p in pieces:
        x, y = (int(np.floor(v)) for v in p.representative_point().coords[0])
        assert p.within(box(x, y, x + 1, y + 1).buffer(1e-9))


@pytest.mark.parametrize("bx, by", BLOCKS)
def test_the_near_block_less_detail_cells_leaves_exactly_those_cells(bx, by):
    from storymap.render import basemap as B

    scale = cells.scale("near5")
    block = land(cells.cell("near5", bx, by), scale)
    cut = [(bx * 5 + 1, by * 5 + 1), (bx * 5 + 2, by * 5 + 1), (bx * 5 + 2, by * 5 + 2)]
    holes = shapely.union_all([box(x, y, x + 1, y + 1) for x, y in cut])
    rest = land(B._less("near5", bx, by, tuple(cut), 1), scale)
    assert not block.is_empty
    assert rest.intersection(holes).area < 1e-9  # the detail cells are left to the detail tier
    assert rest.symmetric_difference(block.difference(holes)).area < 1e-3 * block.area  # snapped to 0.01°


def test_neighbouring_cells_meet_exactly_so_inland_cells_make_one_shape():
    # Central Spain: every 1-degree cell is all land; joined they are one square with no seam.
    union, pieces = joined("detail", -5, 39, -2, 41)
    assert len(pieces) == 6
    assert union.geom_type == "Polygon" and not list(union.interiors)
    assert union.equals_exact(box(-5, 39, -2, 41).normalize(), 1e-9) or union.normalize().equals(
        box(-5, 39, -2, 41).normalize()
    )


def test_world_cells_less_finer_blocks_leave_exactly_those_blocks():
    from storymap.render import basemap as B

    scale = cells.scale("world30")
    for wx, wy in [(-3, 0), (0, 1), (4, 1)]:  # the Americas, Europe, East Asia
        big = land(cells.cell("world30", wx, wy), scale)
        taken = [(wx * 6 + 2, wy * 6 + 3), (wx * 6 + 3, wy * 6 + 3), (wx * 6 + 5, wy * 6)]
        holes = shapely.union_all([box(x * 5, y * 5, x * 5 + 5, y * 5 + 5) for x, y in taken])
        rest = land(B._less("world30", wx, wy, tuple(taken), 5), scale)
        assert big.area > 10
        assert rest.intersection(holes).area < 1e-9
        assert rest.symmetric_difference(big.difference(holes)).area < 1e-3 * big.area


def test_counts_are_the_integers_each_cell_holds():
    for tier, (x, y) in (("detail", (-81, 25)), ("near5", (-16, 5))):
        content = cells.cell(tier, x, y)
        expected = sum(polyline.numbers(r) for p in content["land"] for r in p) + sum(
            polyline.numbers(s) for s in content["borders"]
        )
        rows, cols = cells.shape(tier)
        assert int(cells.numbers(tier)[y + rows // 2, x + cols // 2]) == expected > 0


def test_the_file_is_deterministic_and_reads_back(tmp_path, monkeypatch):
    a = {
        "detail/0,0": {"1,1": {"land": [["??"]], "borders": []}},
        "world30/-1,0": {"-1,0": {"land": [], "borders": ["AB"]}},
    }
    b = dict(reversed(list(a.items())))
    counts = {
        t: np.arange(np.prod(cells.shape(t)), dtype=np.uint32).reshape(cells.shape(t)) for t in cells.COUNTED
    }
    scales = {t: 100 for t in cells.TIERS}
    one, two = cells.write(scales, a, counts), cells.write(scales, b, counts)
    assert one == two
    (tmp_path / cells.FILE).write_bytes(one)
    monkeypatch.setattr(cells, "data_dir", lambda name: tmp_path)
    for f in (cells._pack, cells.numbers, cells.block):
        f.cache_clear()
    try:
        assert cells.cell("detail", 1, 1) == {"land": [["??"]], "borders": []}
        assert cells.cell("detail", 2, 1) is None
        assert cells.blocks("world30") == ["-1,0"]
        assert (cells.numbers("near5") == counts["near5"]).all()
    finally:
        for f in (cells._pack, cells.numbers, cells.block):
            f.cache_clear()


@pytest.mark.parametrize("lat, lon", [(-17.7, 178.4), (-16.5, -179.9), (78.2, 15.6), (-77.8, 166.7)])
def test_places_at_the_edges_of_the_grid_get_their_cells(lat, lon):
    """Near the antimeridian and the poles the cells are cut off at the grid's edges, not wrapped."""
    from storymap.model import Place, Story
    from storymap.render import basemap as B

    place = Place(id="p", name="Somewhere", kind="city", lat=lat, lon=lon)
    detail, near = B._chosen(((lon, lat),))
    assert detail and all(-180 <= x < 180 and -90 <= y < 90 for x, y in detail)
    assert all(-36 <= x < 36 and -18 <= y < 18 for x, y in near)
    base = B.basemap(Story(title="Edges", places=[place]))
    assert base["land"]["polygons"]  # the world tier is there
    assert land({"land": base["detail"]["polygons"]}, 1000).distance(shapely.Point(lon, lat)) < 1


def test_cells_read_into_shapes_all_at_once_are_the_rings_one_by_one():
    from storymap.render import basemap as B

    holes = 0
    for tier, keys in (("detail", [(-81, 25), (-76, 10), (7, 48)]), ("world30", [(-3, 0), (0, 1), (-6, 2)])):
        for x, y in keys:
            shapes, strokes = B._cell_shapes(tier, x, y)
            content = cells.cell(tier, x, y)
            expected = land(content, cells.scale(tier))
            holes += sum(len(p) - 1 for p in content["land"])
            assert shapes.symmetric_difference(expected).area < 1e-9
            assert len(shapes.geoms) == len(content["land"])
            assert len(getattr(strokes, "geoms", [])) == len([t for t in content["borders"] if len(t) > 3])
    assert holes  # some of these cells have holes (lakes, or land around an inland sea)
