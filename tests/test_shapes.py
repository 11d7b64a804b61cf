"""``storymap.render.shapes``: a GeoJSON outline made into shapely geometry once and shared; the
same geometry, point for point, as ``shapely.geometry.shape`` makes."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import shape as reference

from storymap.geoparse import areas
from storymap.render import shapes


def wkb(geom: shapely.Geometry) -> bytes:
    return shapely.to_wkb(geom, byte_order=1)


def test_every_outline_of_the_gazetteer_is_made_as_shape_makes_it():
    for admin in (False, True):
        for area_id, text in areas._shapes(admin).items():
            geometry = json.loads(text)
            assert wkb(shapes._made(geometry)) == wkb(reference(geometry)), area_id


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},  # integers
        {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2]]]},  # not closed
        {"type": "Polygon", "coordinates": [[[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]]},  # 3-D
        {
            "type": "Polygon",
            "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 0.5], [3, 0.5], [3, 2.5], [1, 0.5]]],
        },
        {
            "type": "MultiPolygon",
            "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]],
        },
        {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]},  # a bow tie (invalid)
        {"type": "Polygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
    ],
)
def test_other_geometries_are_made_as_shape_makes_them(geometry):
    assert wkb(shapes._made(geometry)) == wkb(reference(geometry))


def test_a_geometry_is_made_once_and_shared():
    geometry = areas.geometry("country:CO")
    made = shapes.shape(geometry)
    assert shapes.shape(areas.geometry("country:CO")) is made  # equal content: the same geometry
    other = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    assert shapes.shape(other) is not made and shapes.shape(other).equals(reference(other))
