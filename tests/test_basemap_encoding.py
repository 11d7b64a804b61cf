"""The basemap's batched ring encoding (``encode_many``) writes exactly what ``delta`` writes."""

from __future__ import annotations

import json

import numpy as np
import shapely

from storymap.render import basemap as B
from storymap.render import polyline as P


def _numbers(text: str) -> int:
    return sum(1 for c in text if ord(c) < 95)


def test_encode_many_equals_delta_line_by_line():
    rng = np.random.default_rng(7)
    lines = []
    for n in range(2, 60):
        coords = rng.uniform(-180, 180, (n, 2)) * rng.choice([1e-5, 1e-3, 0.1, 1])
        coords[n // 2] = coords[n // 2 - 1]  # a repeated point is dropped
        lines.append(shapely.LineString(coords))
    lines.append(shapely.LineString([(179.99, -89.5), (179.99, -89.5)]))  # all repeats: one point
    for scale in (100, 1000):
        texts, counts = P.encode_many(lines, scale)
        assert texts == [P.delta(line.coords, scale) for line in lines]
        assert counts == [_numbers(t) for t in texts]
        assert all(P.numbers(t) == c for t, c in zip(texts, counts, strict=True))


def test_polygons_keep_shells_and_holes_in_order_and_drop_tiny_rings():
    square = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    speck = shapely.Polygon([(10, 10), (10.001, 10), (10.001, 10.001)])  # rounds to one point
    with_speck_hole = shapely.Polygon(
        [(20, 20), (24, 20), (24, 24), (20, 24)], [[(21, 21), (21.001, 21), (21.001, 21.001)]]
    )
    out = P.polygons(shapely.MultiPolygon([square, speck, with_speck_hole]), 100)
    ring = P.delta
    assert out == [
        [ring(square.exterior.coords, 100), ring(square.interiors[0].coords, 100)],
        [ring(with_speck_hole.exterior.coords, 100)],
    ]


def test_a_region_touching_a_tile_edge_still_gets_its_basemap():
    """Orlando and central Florida: the near region meets a tile's edge along a line, which GEOS
    cannot cut the tile's borders by (it used to fail the whole map)."""
    points = ((-81.37924, 28.53834), (-82.4661, 28.6374))
    payload = json.loads(B._geometry_payload(points))
    assert payload["detail"]["polygons"] and payload["borders"]["lines"]
    assert len(payload["land"]["polygons"]) > 100


def test_the_geometry_payload_is_json_dumps_of_what_it_holds():
    """Joined from each cell's JSON text, it is the text ``json.dumps`` writes of the payload."""
    for points in (((-81.37924, 28.53834), (-82.4661, 28.6374)), ((2.35, 48.85),), ((179.5, -16.5),)):
        text = B._geometry_payload(points)
        payload = json.loads(text)
        assert text == json.dumps(payload, separators=(",", ":"), sort_keys=True)
        assert payload["detail"]["polygons"] and payload["land"]["polygons"]


def test_json_items_are_what_json_dumps_writes_between_the_brackets():
    cell = {"land": [["a\\b", "c"], ["~?"]], "borders": ["x", "y\\"]}
    land, borders = B._json_items(cell)
    assert json.loads(f"[{land}]") == cell["land"] and json.loads(f"[{borders}]") == cell["borders"]
    assert f"[{land}]" == json.dumps(cell["land"], separators=(",", ":"))
    assert B._json_items(None) == ("", "") == B._json_items({"land": [], "borders": []})
