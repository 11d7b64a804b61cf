"""Authored regions and waters are sized as news uses them (geodata/area_regions.yaml, area_waters.yaml)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from storymap.geoparse import areas as A

# (lat, lon) of places either side of the limits that matter.
OFF_GUATEMALA = (12.5, -91.0)
OFF_COSTA_RICA = (9.0, -86.0)
OFF_COLOMBIA = (3.5, -78.5)
OFF_ECUADOR = (-1.0, -81.5)
GALAPAGOS_SEA = (-0.5, -92.5)
OFF_ACAPULCO = (15.5, -100.0)
OFF_OREGON = (44.0, -126.0)
OFF_CALIFORNIA = (34.0, -122.0)
OFF_CHILE = (-30.0, -73.0)
OFF_LIMA = (-12.0, -78.0)
MID_PACIFIC = (0.0, -150.0)


def _covers(poly: dict, lat: float, lon: float) -> bool:
    geom = shape(poly)
    return any(geom.covers(Point(lon + k, lat)) for k in (0, 360, -360))


def test_eastern_pacific_is_the_tropical_sea_off_central_and_south_america():
    lat, lon, poly = A.directional("water:pacific-ocean", "east")
    for where in (OFF_GUATEMALA, OFF_COSTA_RICA, OFF_COLOMBIA, OFF_ECUADOR, GALAPAGOS_SEA, OFF_ACAPULCO):
        assert _covers(poly, *where), where
    for where in (OFF_OREGON, OFF_CALIFORNIA, OFF_CHILE, OFF_LIMA, MID_PACIFIC):
        assert not _covers(poly, *where), where
    assert _covers(poly, lat, lon) and -110 < lon < -80 and -5 < lat < 20
    minx, miny, maxx, maxy = shape(poly).bounds
    assert miny > -10 and maxy < 26 and minx > -130  # a zone, not a band from Alaska to Chile
    assert not _covers(poly, 15.0, -75.0)  # never the Caribbean across the isthmus
    assert not _covers(poly, 9.0, -79.7)  # nor the land around the canal


def test_the_seed_articles_eastern_pacific_is_that_zone(seed_story):
    place = next(p for p in seed_story.places if p.ref == "dir:east:water:pacific-ocean")
    assert _covers(place.geometry, *OFF_COLOMBIA) and not _covers(place.geometry, *OFF_OREGON)


def test_western_pacific_is_off_east_asia_not_a_band_to_the_antarctic():
    lat, lon, poly = A.directional("water:pacific-ocean", "west")
    assert _covers(poly, 15.0, 135.0) and _covers(poly, 13.0, 145.2)  # Philippine Sea, off Guam
    assert _covers(poly, 33.0, 142.0)  # off Japan's Pacific coast
    assert not _covers(poly, 12.0, 114.0)  # South China Sea
    assert not _covers(poly, 29.0, 125.0)  # East China Sea
    assert not _covers(poly, -40.0, 160.0) and not _covers(poly, 55.0, 160.0)  # Tasman Sea, off Kamchatka
    assert _covers(poly, lat, lon) and 120 < lon < 180


def test_eastern_and_western_atlantic_are_the_seas_off_each_shore_not_bands_to_the_antarctic():
    _, _, east = A.directional("water:atlantic-ocean", "east")
    for where in ((38.7, -10.5), (14.7, -18.5), (28.2, -16.0), (15.5, -25.0), (39.0, -29.0)):
        assert _covers(east, *where), where  # off Lisbon, Dakar, in the Canaries, Cape Verde, Azores
    for where in ((-5.0, -33.0), (-34.0, 16.0), (63.0, -20.0), (36.5, -3.0), (45.0, -45.0)):
        assert not _covers(east, *where), where  # off Brazil, Cape Town, Iceland; the Mediterranean
    _, _, west = A.directional("water:atlantic-ocean", "west")
    for where in ((35.0, -74.0), (32.0, -64.5), (27.5, -75.0), (40.0, -68.0)):
        assert _covers(west, *where), where  # off Cape Hatteras, Bermuda, the Bahamas, New England
    for where in ((53.0, -12.0), (15.0, -75.0), (25.0, -90.0), (-5.0, -33.0), (60.0, -55.0)):
        assert not _covers(west, *where), where  # off Ireland; the Caribbean, the Gulf; Brazil; Labrador


# (lat, lon)
MOSCOW, ST_PETERSBURG, VORKUTA = (55.75, 37.62), (59.94, 30.31), (67.5, 64.0)
TYUMEN, NOVOSIBIRSK, KHABAROVSK = (57.15, 65.53), (55.03, 82.92), (48.48, 135.07)
YEKATERINBURG, CHUKOTKA_EAST = (56.84, 60.6), (65.0, -175.0)
TEHRAN, ANKARA, RIYADH = (35.7, 51.4), (39.93, 32.85), (24.7, 46.7)


@pytest.mark.parametrize(
    ("area_id", "inside", "outside"),
    [
        # Europe and Asia split along the Urals (Russia's federal subjects), not on the 60th meridian.
        ("region:europe", [MOSCOW, ST_PETERSBURG, VORKUTA], [TYUMEN, NOVOSIBIRSK, YEKATERINBURG, TEHRAN]),
        ("region:eastern-europe", [MOSCOW, VORKUTA], [TYUMEN, NOVOSIBIRSK]),
        # Asia is the whole continent: the Middle East too, and Chukotka past the antimeridian.
        (
            "region:asia",
            [TEHRAN, ANKARA, RIYADH, TYUMEN, NOVOSIBIRSK, KHABAROVSK, CHUKOTKA_EAST],
            [MOSCOW, VORKUTA],
        ),
        ("region:siberia", [NOVOSIBIRSK, TYUMEN, KHABAROVSK], [MOSCOW, YEKATERINBURG]),
        # European regions leave out overseas departments and Atlantic islands off Africa.
        ("region:western-europe", [(48.86, 2.35), (52.5, 13.4)], [(4.0, -53.0), (-21.1, 55.5)]),
        ("region:benelux", [(52.37, 4.9), (50.85, 4.35)], [(12.2, -69.0)]),
        (
            "region:southern-europe",
            [(40.4, -3.7), (37.98, 23.73), (39.6, 2.9)],
            [(28.1, -15.5), (38.7, -27.2)],
        ),
        # The Americas: the hemisphere's nations, not Greenland.
        ("region:americas", [(38.9, -77.0), (-15.8, -47.9)], [(72.0, -42.0)]),
    ],
)
def test_regions_follow_real_boundaries(area_id, inside, outside):
    for lat, lon in inside:
        assert A.contains(area_id, lat, lon), (area_id, lat, lon)
    for lat, lon in outside:
        assert not A.contains(area_id, lat, lon), (area_id, lat, lon)
