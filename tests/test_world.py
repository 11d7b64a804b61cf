"""The 1:110m world worked out when geodata/ is built (``storymap.render.world``): the stored file
is what the computation gives today, and reads back as exactly those geometries and areas."""

from __future__ import annotations

import shapely

from storymap.geoparse import areas
from storymap.render import world
from storymap.resources import data_dir


def wkb(geom: shapely.Geometry) -> bytes:
    return shapely.to_wkb(geom, byte_order=1, output_dimension=2)


def test_the_stored_world_is_current():
    stored = (data_dir("geodata") / world.FILE).read_bytes()
    assert world.build() == stored, "run python geodata/build_world.py"


def test_the_stored_world_reads_back_as_the_computed_one():
    computed = world.compute_country_shapes()
    stored = world.country_shapes()
    assert sorted(stored) == sorted(computed) and len(stored) > 150
    for code, geom in computed.items():
        assert wkb(stored[code]) == wkb(geom), code
        assert stored[code].is_valid and stored[code].geom_type in ("Polygon", "MultiPolygon")
    land = world.compute_land()
    assert [wkb(g) for g in world.land()] == [wkb(g) for g in land] and len(land) > 100
    context = world.context_areas()
    assert context == world.compute_context_areas()
    assert {a.kind for a in context} == set(world.CONTEXT_KINDS)
    assert context == tuple(a for a in areas.areas() if a.kind in ("country", "water"))
    assert areas.area("country:CO") in context and areas.area("water:caribbean-sea") in context
