"""Frames, main bodies and labels (storymap.render.framing) on real area outlines and articles."""

from __future__ import annotations

import json
import math

import pytest
from shapely.geometry import Point, shape

from storymap.geoparse import areas
from storymap.model import Chapter, Place, PlaceMention, Story
from storymap.pipeline import story_from_text
from storymap.render import framing
from storymap.render.framing import Box, main_body, union

# --------------------------------------------------------------------------- helpers


def _needs(story: Story, place_ids: list[str]) -> Box:
    """What a set of places needs, measured independently: points, and each area's main body."""
    boxes = []
    for pid in place_ids:
        p = story.place(pid)
        if p.geometry is None:
            boxes.append(Box(p.lat, p.lon, p.lat, p.lon))
        else:
            minx, miny, maxx, maxy = main_body(p.geometry).bounds
            boxes.append(Box(miny, minx, maxy, maxx))
    out = union(boxes)
    assert out is not None
    return out


def _inside(bounds: list[list[float]], lat: float, lon: float) -> bool:
    (s, w), (n, e) = bounds
    return s <= lat <= n and any(w <= lon + k <= e for k in (-360, 0, 360))


def _place(pid: str, kind: str, lat: float, lon: float, geometry=None, mentions: int = 1) -> Place:
    ms = [PlaceMention(start=10 * i, end=10 * i + 3, text=pid, sentence=pid) for i in range(mentions)]
    return Place(id=pid, name=pid.title(), kind=kind, lat=lat, lon=lon, geometry=geometry, mentions=ms)


def _area(area_id: str, pid: str, kind: str) -> Place:
    a = areas.area(area_id)
    return _place(pid, kind, a.lat, a.lon, areas.geometry(area_id))


# --------------------------------------------------------------------------- main bodies


def test_main_body_of_the_united_states_is_the_lower_48():
    minx, miny, maxx, maxy = main_body(areas.geometry("country:US")).bounds
    assert -126 < minx < -123 and -68 < maxx < -66  # Pacific coast to Maine: no Alaska, Aleutians, Guam
    assert 24 < miny < 26 and 48 < maxy < 50  # Florida Keys to the Canadian border: no Hawaii, Alaska


def test_main_body_leaves_overseas_fragments_out():
    nl = main_body(areas.geometry("country:NL")).bounds
    assert nl[0] > 3 and nl[1] > 50  # European Netherlands, not Bonaire or Curaçao
    fr = main_body(areas.geometry("country:FR"))
    assert fr.bounds[0] > -6 and fr.bounds[1] > 41 and fr.bounds[2] < 10
    assert fr.covers(Point(9.15, 42.15))  # Corsica hugs the mainland: it stays
    es = main_body(areas.geometry("country:ES"))
    assert es.bounds[1] > 35 and es.covers(Point(2.9, 39.6))  # no Canaries; Majorca stays


def test_main_body_joins_parts_cut_at_the_antimeridian():
    ru = main_body(areas.geometry("country:RU")).bounds
    assert ru[0] < 30 and ru[2] > 185  # Kaliningrad aside, Russia runs on past 180 into Chukotka
    fj = main_body(areas.geometry("country:FJ")).bounds
    assert fj[0] > 175 and fj[2] < 185


def test_main_body_keeps_peers_across_a_sea():
    my = main_body(areas.geometry("country:MY"))
    assert my.covers(Point(101.7, 3.1)) and my.covers(Point(110.3, 1.55))  # Kuala Lumpur and Kuching


# --------------------------------------------------------------------------- boxes


def test_union_goes_round_the_antimeridian_when_shorter():
    b = union([Box(-20, 170, -15, 175), Box(-22, -176, -18, -173)])
    assert b is not None and (b.west, b.east) == (170, 187)
    assert b.bounds() == [[-22, 170], [-15, 187]]
    wide = union([Box(0, -100, 10, -90), Box(0, 100, 10, 110)])
    assert wide is not None and wide.lon_span == 170  # across the Pacific is shorter than across Africa


def test_point_box_is_about_a_city():
    b = framing.point_box(60.0, 10.0)
    assert 0.9 < b.lat_span < 1.2
    assert b.lon_span == pytest.approx(b.lat_span / math.cos(math.radians(60)), rel=0.01)


# --------------------------------------------------------------------------- views


def _check_views(story: Story) -> list[dict]:
    views = framing.views(story)
    assert len(views) == len(story.chapters) + 1
    for i, chapter in enumerate(story.chapters, start=1):
        bounds = views[i]["bounds"]
        (s, w), (n, e) = bounds
        assert s < n and w < e
        if not chapter.places:
            assert bounds == views[0]["bounds"]
            continue
        need = _needs(story, chapter.places)
        assert e - w <= 2.5 * need.lon_span + 10, (chapter.id, bounds, need)
        for pid in chapter.places:
            p = story.place(pid)
            if p.geometry is None:
                assert _inside(bounds, p.lat, p.lon), (chapter.id, pid, bounds)
    return views


def test_seed_views_frame_each_chapter(seed_story):
    views = _check_views(seed_story)
    (s, w), (n, e) = views[0]["bounds"]
    assert e - w < 200 and n - s < 70  # the story, not the world (no Aleutians, no Americas)
    own = [v for v in views[1:] if v != views[0]]
    assert len(own) >= 2 / 3 * len(seed_story.chapters)


UKRAINE = """Drones strike Kyiv as talks stall

Russian drones hit Kyiv and Kharkiv overnight, officials in Ukraine said.

Moscow said its air defences shot down drones over the Belgorod region of Russia.
"""

DUTCH = """Dutch farmers protest

Farmers drove tractors into Amsterdam and The Hague on Monday, blocking roads across the Netherlands.

The protest spread to Germany, where farmers gathered in Berlin.
"""

PACIFIC = """Cyclone heads for Fiji

A cyclone is heading for Fiji after crossing Vanuatu, forecasters said.

Tonga and Samoa are on alert. New Zealand sent a navy ship from Auckland.
"""


@pytest.mark.parametrize("text", [UKRAINE, DUTCH, PACIFIC], ids=["ukraine", "dutch", "pacific"])
def test_views_of_other_articles(text):
    story = story_from_text(text)
    assert story.places
    views = _check_views(story)
    (s, w), (n, e) = views[0]["bounds"]
    assert e - w < 90 and n - s < 60  # a regional story gets a regional overview


def test_a_far_larger_country_adds_its_part_near_the_story():
    story = story_from_text(UKRAINE)
    (s, w), (n, e) = framing.views(story)[0]["bounds"]
    assert w < 31 and e < 60  # Kyiv to Moscow and western Russia, not Kamchatka


def test_the_pacific_frame_crosses_the_antimeridian():
    story = story_from_text(PACIFIC)
    (s, w), (n, e) = framing.views(story)[0]["bounds"]
    assert w < 180 < e and e - w < 40


def _story(places: list[Place], chapters: list[list[str]]) -> Story:
    return Story(
        title="t",
        places=places,
        chapters=[Chapter(id=f"c{i}", title="c", places=ids) for i, ids in enumerate(chapters)],
    )


def test_continents_and_oceans_never_drive_a_frame():
    places = [
        _place("paris", "city", 48.85, 2.35),
        _place("berlin", "city", 52.52, 13.4),
        _area("region:europe", "europe", "region"),
        _area("water:atlantic-ocean", "atlantic", "water"),
    ]
    story = _story(places, [["paris", "europe"], ["europe"], [], ["atlantic", "berlin"]])
    views = framing.views(story)
    (s, w), (n, e) = views[0]["bounds"]
    assert e - w < 15 and n - s < 8  # Paris to Berlin
    (s, w), (n, e) = views[1]["bounds"]
    assert e - w < 3  # Paris alone: Europe does not drive the frame
    (s, w), (n, e) = views[2]["bounds"]
    assert 50 < e - w < 100  # only Europe: its main body
    assert views[3]["bounds"] == views[0]["bounds"]  # no places: the overview
    (s, w), (n, e) = views[4]["bounds"]
    assert e - w < 3  # the Atlantic does not drive the frame round Berlin


def test_a_sea_the_size_of_the_story_does_drive_it():
    places = [_place("havana", "city", 23.1, -82.4), _area("water:caribbean-sea", "caribbean", "water")]
    (s, w), (n, e) = framing.views(_story(places, [["havana", "caribbean"]]))[1]["bounds"]
    assert w < -85 and e > -64 and s < 10


def test_place_frames():
    story = _story([_place("madrid", "city", 40.4, -3.7), _area("country:US", "us", "country")], [["madrid"]])
    frames = framing.place_frames(story)
    (s, w), (n, e) = frames["madrid"]
    assert s < 40.4 < n and w < -3.7 < e and n - s < 2
    (s, w), (n, e) = frames["us"]
    assert w > -126 and e < -66


# --------------------------------------------------------------------------- labels


def test_labels_rank_points_first_then_by_weight(seed_story):
    labels = framing.labels(seed_story)
    assert [lab["id"] for lab in labels] == sorted(
        (lab["id"] for lab in labels), key=lambda i: -next(x["priority"] for x in labels if x["id"] == i)
    )
    assert len(labels) == len(seed_story.places)
    points = [lab for lab in labels if not lab["area"]]
    zones = [lab for lab in labels if lab["area"]]
    assert min(p["priority"] for p in points) > max(z["priority"] for z in zones)
    assert labels[0]["id"] == "washington"  # the most mentioned point
    for lab in zones:
        place = seed_story.place(lab["id"])
        body = main_body(place.geometry)
        assert body.covers(Point(lab["lon"], lab["lat"])) or body.covers(Point(lab["lon"] + 360, lab["lat"]))


def test_config_carries_views_frames_and_labels(seed_story):
    from storymap.render import render_html

    html = render_html(seed_story)
    start = html.index('id="storymap-config">') + len('id="storymap-config">')
    config = json.loads(html[start : html.index("</script>", start)])
    assert len(config["views"]) == len(seed_story.chapters) + 1
    assert set(config["place_frames"]) == {p.id for p in seed_story.places}
    assert {lab["id"] for lab in config["labels"]} == {p.id for p in seed_story.places}
    us = shape(seed_story.place("united-states").geometry)
    assert us.bounds[0] < -170  # the stored outline still has the Aleutians; the frames do not
    assert config["place_frames"]["united-states"][0][1] > -126
