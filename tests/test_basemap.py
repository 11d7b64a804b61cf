"""Tests of storymap.render.basemap: the story's basemap (detail tiers, borders, reference labels)."""

from __future__ import annotations

import json
import math

import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from storymap.model import Place, Story
from storymap.render import basemap as B
from storymap.render import cells, polyline
from storymap.render.assets import html_json


def decode(text: str, scale: int) -> list[tuple[float, float]]:
    """The encoded-polyline integers of one ring or line back to (lon, lat) pairs."""
    values, i = [], 0
    while i < len(text):
        result = shift = 0
        while True:
            b = ord(text[i]) - 63
            i += 1
            result |= (b & 0x1F) << shift
            shift += 5
            if b < 0x20:
                break
        values.append(~(result >> 1) if result & 1 else result >> 1)
    x = y = 0
    out = []
    for k in range(0, len(values), 2):
        x, y = x + values[k], y + values[k + 1]
        out.append((x / scale, y / scale))
    return out


def polygons(group: dict) -> list[Polygon]:
    return [
        Polygon(decode(rings[0], group["scale"]), [decode(r, group["scale"]) for r in rings[1:]])
        for rings in group["polygons"]
    ]


def lines(group: dict) -> list[LineString]:
    return [LineString(decode(line, group["scale"])) for line in group["lines"]]


def city(pid: str, name: str, lat: float, lon: float, country: str = "") -> Place:
    return Place(id=pid, name=name, kind="city", lat=lat, lon=lon, country=country)


def story(*places: Place) -> Story:
    return Story(title="A test", places=list(places))


MADRID = city("madrid", "Madrid", 40.4165, -3.70256, "ES")
MIAMI = city("miami", "Miami", 25.77427, -80.19366, "US")
STRASBOURG = city("strasbourg", "Strasbourg", 48.5734, 7.7521, "FR")


def test_encoding_round_trips_and_drops_repeated_points():
    coords = [(-75.514, 10.391), (-75.5, 10.4), (-75.5, 10.4), (179.999, -89.5), (-180, 89.99)]
    text = polyline.delta(coords, 1000)
    assert all(63 <= ord(c) <= 126 for c in text)
    assert decode(text, 1000) == [(-75.514, 10.391), (-75.5, 10.4), (179.999, -89.5), (-180.0, 89.99)]
    assert polyline.numbers(text) == 8
    assert polyline.decode(text, 1000).tolist() == [list(p) for p in decode(text, 1000)]


def test_detail_is_where_the_story_is_and_nowhere_else():
    base = B.basemap(story(MIAMI))
    detail = polygons(base["detail"])
    assert len(detail) >= 10  # the Florida coast and the Keys at 1:10m, not one outline
    stretch = 1 / math.cos(math.radians(MIAMI.lat))
    chosen, _ = B._chosen(((MIAMI.lon, MIAMI.lat),))
    for x, y in chosen:  # 1-degree cells that come within R_DETAIL of Miami
        dx = max(x - MIAMI.lon, 0, MIAMI.lon - (x + 1)) / stretch
        dy = max(y - MIAMI.lat, 0, MIAMI.lat - (y + 1))
        assert dx**2 + dy**2 <= B.R_DETAIL**2
    for poly in detail:  # every detail polygon lies in one of them
        x, y = (math.floor(v) for v in poly.representative_point().coords[0])
        assert (x, y) in chosen and poly.within(shapely.box(x, y, x + 1, y + 1).buffer(1e-9))
    # Miami itself is on the detailed coast, and the coast near it has many more vertices than at 1:110m.
    assert min(p.distance(Point(MIAMI.lon, MIAMI.lat)) for p in detail) < 0.01
    window = shapely.box(MIAMI.lon - 1, MIAMI.lat - 1, MIAMI.lon + 1, MIAMI.lat + 1)
    near = sum(shapely.get_num_coordinates(p.intersection(window)) for p in detail)
    world_only = B.basemap(story())
    coarse = sum(shapely.get_num_coordinates(p.intersection(window)) for p in polygons(world_only["land"]))
    assert near > 5 * max(coarse, 1)
    assert world_only["detail"]["polygons"] == [] and world_only["detail_borders"]["lines"] == []
    # Far from Miami (Madrid) the land comes from the coarse world tier only.
    madrid = Point(MADRID.lon, MADRID.lat)
    assert any(p.contains(madrid) for p in polygons(base["land"]))
    assert not any(p.distance(madrid) < 20 for p in detail)


def test_tiers_do_not_overlap_so_land_fills_as_one_path():
    base = B.basemap(story(MIAMI, MADRID))
    world = shapely.union_all(polygons(base["land"]))
    detail = shapely.union_all(polygons(base["detail"]))
    assert detail.area > 0.5
    assert world.intersection(detail).area < 0.001 * detail.area


def test_borders_are_lines_with_detail_near_a_border_town():
    base = B.basemap(story(STRASBOURG))
    detail = lines(base["detail_borders"])
    assert detail, "the Rhine border next to Strasbourg"
    here = Point(STRASBOURG.lon, STRASBOURG.lat)
    assert min(line.distance(here) for line in detail) < 0.1
    assert sum(len(line.coords) for line in detail if line.distance(here) < 0.5) > 30  # 1:10m, not 1:110m
    world = lines(base["borders"])
    assert len(world) > 100  # every land border of the world, as lines
    assert all(line.distance(here) > 0.5 for line in world)  # the coarse border stops short of the detail


def test_payload_is_bounded_however_many_places():
    coastal = [
        (35.68, 139.69),
        (-33.87, 151.21),
        (1.29, 103.85),
        (59.33, 18.07),
        (60.17, 24.94),
        (-22.91, -43.17),
        (64.15, -21.94),
        (9.0, -79.5),
        (41.01, 28.98),
        (37.98, 23.73),
        (14.6, 120.98),
        (-6.2, 106.85),
        (22.3, 114.17),
        (55.68, 12.57),
        (53.35, -6.26),
        (61.22, -149.9),
        (47.6, -122.33),
        (-41.29, 174.78),
        (-54.8, -68.3),
        (78.22, 15.65),
    ]
    many = story(*(city(f"c{i}", f"Port {i}", lat, lon) for i, (lat, lon) in enumerate(coastal)))
    base = B.basemap(many)
    size = len(str(html_json(base)))
    assert size < 160_000
    numbers = sum(polyline.numbers(r) for g in ("detail",) for p in base[g]["polygons"] for r in p)
    assert numbers <= 1.5 * B.MAX_DETAIL_INTS
    # The first places keep their detail; the budget runs out before the last ones.
    detail = polygons(base["detail"])
    first, last = Point(139.69, 35.68), Point(15.65, 78.22)
    assert any(p.distance(first) < 0.5 for p in detail)
    assert not any(p.distance(last) < 1 for p in detail)


def test_labels_give_context_near_the_places():
    labels = B.basemap(story(MADRID))["labels"]
    assert labels == sorted(labels, key=lambda x: (x["rank"], x["minzoom"], x["text"], x["lat"], x["lon"]))
    for lab in labels:
        assert set(lab) == {"text", "lat", "lon", "kind", "rank", "minzoom"}
        assert lab["kind"] in ("country", "sea", "capital", "city")
        assert isinstance(lab["rank"], int) and lab["rank"] >= 0
        assert isinstance(lab["minzoom"], float)
    by_text = {lab["text"]: lab for lab in labels}
    assert "Madrid" not in by_text  # the story labels its own places
    assert by_text["Spain"]["kind"] == "country" and by_text["Portugal"]["kind"] == "country"
    assert by_text["Lisbon"]["kind"] == "capital"
    assert by_text["Mediterranean Sea"]["kind"] == "sea" and by_text["Atlantic Ocean"]["rank"] == 0
    assert "Japan" not in by_text and "Tokyo" not in by_text
    towns = [lab for lab in labels if lab["kind"] == "city" and lab["minzoom"] >= 7]
    assert towns, "towns around Madrid for city zoom"
    for lab in towns:
        assert B._km(lab["lat"], lab["lon"], MADRID.lat, MADRID.lon) <= B.NEAR_TOWN_KM
    # Cities get their labels before the towns of the same area; no borough repeats its city.
    assert by_text["Barcelona"]["minzoom"] < towns[0]["minzoom"]
    assert B.labels(story()) == []


def test_the_same_story_gives_the_same_basemap():
    one = json.dumps(B.basemap(story(MIAMI, MADRID)), sort_keys=True)
    B._RECENT.clear()
    B._geometry_payload.cache_clear()
    B._recut.cache_clear()
    cells.block.cache_clear()
    two = json.dumps(B.basemap(story(MADRID.model_copy(), MIAMI.model_copy())), sort_keys=True)
    three = json.dumps(B.basemap(story(MIAMI, MADRID)), sort_keys=True)
    assert one == two == three  # within the budget the order of the places does not matter


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]],
    }


@pytest.mark.parametrize("kind", ["country", "admin"])
def test_small_areas_get_detail_and_big_ones_do_not(kind):
    small = Place(id="a", name="Small", kind=kind, lat=10.0, lon=-75.0, geometry=square(-76, 9, -74, 11))
    big = Place(id="b", name="Big", kind=kind, lat=40.0, lon=-100.0, geometry=square(-125, 25, -70, 49))
    assert B.focus_points(story(small, big)) == [(-75.0, 10.0)]
    assert B.focus_points(story(big, MIAMI, small)) == [(MIAMI.lon, MIAMI.lat), (-75.0, 10.0)]


def test_story_countries_take_the_detailed_coast_and_seas_give_up_the_land():
    from storymap.geoparse import areas

    us = areas.area("country:US")
    country = Place(id="us", name="United States", kind="country", lat=us.lat, lon=us.lon, country="US",
                    geometry=areas.geometry("country:US"))  # fmt: skip
    gulf = areas.area("water:gulf-of-mexico")
    sea = Place(id="gulf", name=gulf.name, kind="water", lat=gulf.lat, lon=gulf.lon,
                geometry=areas.geometry("water:gulf-of-mexico"))  # fmt: skip
    s = story(MIAMI, country, sea)
    recut = B.outlines(s)
    assert set(recut) == {"us", "gulf"}
    base = B.basemap(s)
    detail = shapely.union_all(polygons(base["detail"]))
    region = shapely.box(-81.5, 25.0, -80.0, 26.5)  # southern Florida (not the Bahamas)
    detail = detail.intersection(region)
    old = shapely.geometry.shape(country.geometry).intersection(region)
    new = shapely.geometry.shape(recut["us"]).intersection(region)
    # Near Miami the country is the detailed land: no sea inside it, no land left out of it.
    assert new.symmetric_difference(detail).area < 0.006 * detail.area  # simplified: 0.50 % here
    assert old.symmetric_difference(detail).area > 5 * new.symmetric_difference(detail).area
    # Far away (Alaska) the outline is untouched.
    alaska = shapely.box(-170, 50, -130, 72)
    before = shapely.geometry.shape(country.geometry).intersection(alaska)
    assert shapely.geometry.shape(recut["us"]).intersection(alaska).symmetric_difference(before).area < 1e-9
    # The gulf no longer paints over the detailed land.
    assert shapely.geometry.shape(recut["gulf"]).intersection(detail).area < 0.001 * detail.area  # simplified
    assert B.outlines(story(MADRID, country)) == {}  # nothing of the US near Madrid


def test_re_cut_outlines_carry_no_detail_finer_than_the_outline_tolerance():
    """The page draws these with Leaflet, point by point, at start-up: near the coast they are as
    detailed as OUTLINE_TOL (about 2 px at zoom 8), not as the 1:10m land they are cut from."""
    from storymap.geoparse import areas

    us = areas.area("country:US")
    country = Place(id="us", name="United States", kind="country", lat=us.lat, lon=us.lon, country="US",
                    geometry=areas.geometry("country:US"))  # fmt: skip
    recut = shapely.geometry.shape(B.outlines(story(MIAMI, country))["us"])
    land = shapely.union_all(polygons(B.basemap(story(MIAMI, country))["detail"]))
    n = shapely.get_num_coordinates(recut)
    # Simplifying again at the tolerance finds almost nothing left to drop ...
    assert shapely.get_num_coordinates(recut.simplify(B.OUTLINE_TOL, preserve_topology=True)) > 0.97 * n
    # ... while the 1:10m land it follows near Miami has more points than the outline there.
    near = shapely.box(-81.5, 25.0, -80.0, 26.5)
    assert shapely.get_num_coordinates(land.intersection(near)) > 1.3 * shapely.get_num_coordinates(
        recut.intersection(near)
    )


def test_the_page_json_is_the_payload_as_html_json_writes_it():
    from storymap.geoparse import areas

    us = areas.area("country:US")
    country = Place(id="us", name="United States", kind="country", lat=us.lat, lon=us.lon, country="US",
                    geometry=areas.geometry("country:US"))  # fmt: skip
    odd = city("odd", "Ben & Jerry's <town>", 44.3, -72.6, "US")  # a name html_json must escape
    for s in (story(MIAMI, country), story(STRASBOURG, MADRID), story(odd), story()):
        text = B.basemap_json(s)
        assert text == str(html_json(B.basemap(s)))
        assert json.loads(text) == B.basemap(s)


@pytest.mark.parametrize(
    "geom",
    [
        Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 1)]]),
        shapely.MultiPolygon(
            [Polygon([(0.001, 0.5), (1.25, 0), (1, 1)]), Polygon([(5, 5), (6.125, 5), (6, 6), (5, 6)])]
        ),
        shapely.set_precision(Polygon([(-80.1234, 25.5), (-80.0, 25.6), (-80.05, 25.9)]), 0.001),
        LineString([(0, 0), (1, 1)]),
    ],
)
def test_re_cut_outline_text_is_the_geojson_of_shapely_mapping(geom):
    from shapely.geometry import mapping

    compact = {"separators": (",", ":")}
    assert json.dumps(B._geojson(geom), **compact) == json.dumps(mapping(geom), **compact)


def test_countries_near_a_geometry_are_those_whose_outline_touches_it():
    reach = Point(-74.0, 4.6).buffer(6)  # around Bogota
    near = B._countries_near(reach)
    assert near == sorted(c for c, g in B._country_shapes().items() if g.intersects(reach))
    assert {"CO", "VE", "EC"} <= set(near) and "US" not in near


def test_within_holds_every_place_in_reach_and_few_others():
    import numpy as np

    rng = np.random.default_rng(11)
    lat = np.concatenate([rng.uniform(-90, 90, 20_000), rng.uniform(80, 90, 2_000)])
    lon = rng.uniform(-180, 180, len(lat))
    centres = [(0.0, 0.0), (179.9, 10.0), (-179.5, -45.0), (12.0, 89.5), (30.0, -88.9), (-75.0, 61.0)]
    for lon0, lat0 in centres:
        for km in (150, 700, 1200):
            dist = B._km_matrix(lat, lon, [(lon0, lat0)])[:, 0]
            box = B._within(lat, lon, (lon0, lat0), km)
            assert box[dist <= km].all()  # every place in reach
            assert box.sum() <= 2 * (dist <= km).sum() + 60  # and not the whole band of latitude
