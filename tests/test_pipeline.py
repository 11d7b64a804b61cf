"""End to end on the seed article: places, layers, chapters, quotes and the HTML data block."""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import Point, shape

from storymap import pipeline
from storymap.model import Story

EXPECTED = {
    # name fragment -> (country, lat, lon): each must be placed within ~60 km
    "Washington": ("US", 38.90, -77.04),
    "Cartagena": ("CO", 10.39, -75.51),
    "Dubai": ("AE", 25.20, 55.27),
    "Madrid": ("ES", 40.42, -3.70),
    "Miami": ("US", 25.77, -80.19),
    "Colombia": ("CO", None, None),
    "Venezuela": ("VE", None, None),
    "Ecuador": ("EC", None, None),
    "Gaza": ("PS", None, None),
    "United States": ("US", None, None),
}


def _find(story: Story, fragment: str):
    found = [p for p in story.places if fragment.lower() in p.name.lower()]
    assert found, f"{fragment} not among {[p.name for p in story.places]}"
    return found[0]


@pytest.mark.parametrize("fragment", sorted(EXPECTED))
def test_seed_places_are_found_and_placed(seed_story, fragment):
    country, lat, lon = EXPECTED[fragment]
    place = _find(seed_story, fragment)
    assert place.country == country
    if lat is not None:
        assert abs(place.lat - lat) < 0.6 and abs(place.lon - lon) < 0.6


def test_people_are_not_places(seed_story):
    names = {p.name.lower() for p in seed_story.places}
    assert not names & {"trump", "petro", "melania", "maduro", "benedetti"}


@pytest.mark.parametrize(("fragment", "inside"), [("Caribbean", (15.0, -75.0)), ("Pacific", (5.0, -90.0))])
def test_strike_zones_are_polygons_over_water(seed_story, fragment, inside):
    zone = next(p for p in seed_story.places if fragment in p.name and p.kind == "water")
    assert zone.geometry is not None
    polygon = shape(zone.geometry)
    lat, lon = inside
    assert polygon.contains(Point(lon, lat))
    assert not polygon.contains(Point(-74.07, 4.71))  # Bogotá is on land


def test_strike_zones_hubs_and_diplomacy_are_three_different_layers(seed_story):
    layer = {p.name: p.layer for p in seed_story.places}
    zones = {layer[p.name] for p in seed_story.places if p.kind == "water"}
    hubs = {layer[_find(seed_story, n).name] for n in ("Dubai", "Madrid", "Miami")}
    diplomacy = {layer[_find(seed_story, n).name] for n in ("Washington", "Cartagena")}
    assert len(zones) == len(hubs) == len(diplomacy) == 1
    assert len(zones | hubs | diplomacy) == 3
    assert sum(1 for la in seed_story.layers if la.places) >= 3


def test_every_place_quotes_the_sentence_that_names_it(seed_text, seed_story):
    for place in seed_story.places:
        assert place.mentions, place.name
        for m in place.mentions:
            assert seed_text[m.start : m.end] == m.text
            assert m.text in m.sentence
            assert m.sentence in seed_text


def test_chapters_follow_the_article_sections(seed_story):
    titles = [c.title for c in seed_story.chapters]
    assert "Counternarcotics Cooperation Takes Center Stage" in titles
    assert "Venezuela and Regional Cooperation" in titles
    venezuela = next(c for c in seed_story.chapters if c.title == "Venezuela and Regional Cooperation")
    assert {"venezuela"} <= set(venezuela.places)


def test_build_writes_html_with_the_story_as_json(tmp_path, seed_story):
    out = tmp_path / "map.html"
    result = pipeline.build(pipeline.example_path(), out)
    assert result.path == out.resolve() or result.path == out
    html = out.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="storymap-data">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert [p["id"] for p in data["places"]] == [p.id for p in seed_story.places]
    assert {la["id"] for la in data["layers"]} == {la.id for la in seed_story.layers}
    assert "places in" in result.summary()


def test_story_file_round_trip_renames_a_layer(tmp_path):
    story_path = tmp_path / "story.yaml"
    pipeline.extract(pipeline.example_path(), story_path)
    text = story_path.read_text(encoding="utf-8")
    first_title = pipeline.load(story_path).layers[0].title
    story_path.write_text(text.replace(f"title: {first_title}", "title: Renamed by the editor", 1), "utf-8")
    result = pipeline.build(story_path, tmp_path / "edited.html")
    assert result.story.layers[0].title == "Renamed by the editor"
    assert "Renamed by the editor" in (tmp_path / "edited.html").read_text(encoding="utf-8")


def test_moving_a_place_to_another_layer_in_the_story_file(seed_story):
    moved_id = seed_story.layers[0].places[0]
    target = seed_story.layers[1].id
    places = [p.model_copy(update={"layer": target}) if p.id == moved_id else p for p in seed_story.places]
    synced = pipeline.sync_layers(seed_story.model_copy(update={"places": places}))
    assert moved_id in synced.layers[1].places
    assert moved_id not in synced.layers[0].places


def test_same_input_same_bytes():
    first = pipeline.build(pipeline.example_path(), write=False).text
    second = pipeline.build(pipeline.example_path(), write=False).text
    assert first == second


def test_an_article_without_places_still_builds_and_warns(tmp_path):
    article = tmp_path / "quiet.txt"
    article.write_text("Nothing happened today.\n\nIt was quiet and calm everywhere.\n", "utf-8")
    result = pipeline.build(article, tmp_path / "quiet.html")
    assert result.story.places == []
    assert any("no places found" in w for w in result.warnings)
    assert (tmp_path / "quiet.html").exists()
