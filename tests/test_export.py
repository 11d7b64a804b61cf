"""Data out of a story: GeoDataFrames, GeoJSON (RFC 7946), GeoPackage, CSV, GeoParquet; alt text."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
from shapely.geometry import shape
from test_hostile import HOSTILE_ARTICLE

from storymap import pipeline
from storymap.article import parse_article
from storymap.export.formats import read_csv
from storymap.export.frames import MENTION_COLUMNS, PLACE_COLUMNS
from storymap.model import Layer, Place, PlaceMention, Story

DATA = ("geojson", "gpkg", "csv", "parquet")


def _read(path, fmt, layer="places"):
    if fmt == "csv":
        return read_csv(path)
    if fmt == "parquet":
        return gpd.read_parquet(path)
    return gpd.read_file(path, layer=layer) if fmt == "gpkg" else gpd.read_file(path)


def _assert_same(read, frame):
    """``read`` holds the same rows, values and (to 1e-6 degrees) geometries as ``frame``."""
    assert list(read.columns) == list(frame.columns)
    assert read.crs.to_epsg() == 4326
    pd.testing.assert_frame_equal(
        pd.DataFrame(read.drop(columns="geometry")),
        pd.DataFrame(frame.drop(columns="geometry")),
        check_dtype=False,
    )
    assert list(read.geom_type) == list(frame.geom_type)
    assert read.geometry.geom_equals_exact(frame.geometry, tolerance=1e-6).all()


@pytest.fixture(scope="module")
def exported(seed_story, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    return {fmt: pipeline.export(seed_story, folder / f"seed.{fmt}").path for fmt in DATA}


def test_places_frame_has_one_row_per_place_on_the_map(seed_story):
    frame = seed_story.to_geodataframe()
    assert len(frame) == len(seed_story.places) >= 10  # whatever the map shows (13 today)
    assert list(frame.columns) == [*PLACE_COLUMNS, "geometry"]
    assert frame.crs.to_epsg() == 4326
    by_id = frame.set_index("id")
    for place in seed_story.places:
        row = by_id.loc[place.id]
        expected = {"Polygon", "MultiPolygon"} if place.geometry else {"Point"}
        assert row.geometry.geom_type in expected
        if place.geometry is None:
            assert (row.geometry.x, row.geometry.y) == (place.lon, place.lat)
        assert row["mentions"] == len(place.mentions)
        assert row["first_sentence"] == place.mentions[0].sentence
        layer = next(layer for layer in seed_story.layers if layer.id == place.layer)
        assert (row["layer"], row["layer_title"], row["color"]) == (layer.id, layer.title, layer.color)
        chapters = [c.id for c in seed_story.chapters if place.id in c.places]
        assert row["chapters"].split(",") == chapters


def test_mentions_frame_gives_offsets_into_the_article(seed_story, seed_text):
    frame = seed_story.mentions_frame()
    assert list(frame.columns) == [*MENTION_COLUMNS, "geometry"]
    assert len(frame) == sum(len(p.mentions) for p in seed_story.places)
    assert list(frame["start"]) == sorted(frame["start"])
    article = parse_article(seed_text, "txt")
    for row in frame.itertuples():
        assert article.text[row.start : row.end] == row.text
        assert row.text in row.sentence


@pytest.mark.parametrize("fmt", DATA)
def test_every_format_reads_back_equal_in_geopandas(exported, seed_story, fmt):
    _assert_same(_read(exported[fmt], fmt), seed_story.to_geodataframe())


def test_the_geopackage_has_places_and_mentions_layers(exported, seed_story):
    layers = pyogrio.list_layers(exported["gpkg"])
    assert [name for name, _ in layers] == ["places", "mentions"]
    _assert_same(_read(exported["gpkg"], "gpkg", "mentions"), seed_story.mentions_frame())


def test_geoparquet_metadata(exported):
    geo = json.loads(pq.read_schema(exported["parquet"]).metadata[b"geo"])
    assert geo["version"].startswith("1.")
    assert geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB"
    assert set(column["geometry_types"]) == {"Point", "Polygon", "MultiPolygon"}


def test_csv_has_lat_lon_and_wkt(exported, seed_story):
    table = pd.read_csv(exported["csv"], dtype=str, keep_default_na=False)
    assert {"lat", "lon", "wkt"} <= set(table.columns)
    washington = table.set_index("id").loc["washington"]
    place = seed_story.place("washington")
    assert (float(washington["lat"]), float(washington["lon"])) == (place.lat, place.lon)
    assert washington["wkt"].startswith("POINT (")


def _signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def test_geojson_follows_rfc_7946(exported):
    doc = json.loads(exported["geojson"].read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    rings = 0
    for feature in doc["features"]:
        geom = feature["geometry"]
        polygons = {"Polygon": [geom["coordinates"]], "MultiPolygon": geom["coordinates"]}.get(
            geom["type"], []
        )
        points = [geom["coordinates"]] if geom["type"] == "Point" else []
        for polygon in polygons:
            for i, ring in enumerate(polygon):
                assert ring[0] == ring[-1] and len(ring) >= 4
                area = _signed_area(ring)
                assert area > 0 if i == 0 else area < 0, (feature["properties"]["id"], i)  # right-hand rule
                rings += 1
                points += ring
        for lon, lat in points:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert _decimals(lon) <= 6 and _decimals(lat) <= 6
    assert rings >= 7  # the seed's countries, seas and regions


def test_geojson_winding_is_fixed_whatever_the_story_holds():
    clockwise = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    place = Place(id="box", name="Box", kind="region", lat=0.5, lon=0.5, geometry=clockwise)
    story = Story(title="t", places=[place])
    from storymap.export.formats import geojson_bytes

    ring = json.loads(geojson_bytes(story))["features"][0]["geometry"]["coordinates"][0]
    assert _signed_area(ring) > 0
    assert shape({"type": "Polygon", "coordinates": [ring]}).equals(shape(clockwise))


def test_exports_are_deterministic(seed_story):
    from storymap.export.formats import export_bytes

    for fmt in DATA:
        assert export_bytes(seed_story, fmt) == export_bytes(seed_story, fmt), fmt


@pytest.fixture(scope="module")
def hostile_story():
    story = pipeline.story_from_text(HOSTILE_ARTICLE, "txt", "hostile.txt")
    # Hostile names and layer titles too, not only sentences.
    nasty = '<script>alert("x")</script> $\\frac{1}{0}$ =cmd|\' /C calc\'!A0 "q",\n\r\tNaN null'
    places = [p.model_copy(update={"name": p.name + " " + nasty}) for p in story.places]
    layers = [layer.model_copy(update={"title": layer.title + nasty}) for layer in story.layers]
    return story.model_copy(update={"places": places, "layers": layers})


@pytest.mark.parametrize("fmt", DATA)
def test_hostile_strings_round_trip_exactly(hostile_story, tmp_path, fmt):
    path = pipeline.export(hostile_story, tmp_path / f"hostile.{fmt}").path
    read = _read(path, fmt)
    frame = hostile_story.to_geodataframe()
    assert len(frame) >= 4
    for column in ("name", "layer_title", "first_sentence"):
        assert list(read[column]) == list(frame[column])
    if fmt == "gpkg":
        mentions = _read(path, fmt, "mentions")
        assert list(mentions["sentence"]) == list(hostile_story.mentions_frame()["sentence"])


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path):
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "'=already", "\tTab", "Plain", "''+x"]
    places = [Place(id=f"p{i}", name=n, kind="city", lat=0, lon=-i) for i, n in enumerate(names)]
    path = pipeline.export(Story(title="t", places=places), tmp_path / "f.csv").path
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert not [cell for cell in raw["name"] if cell[:1] in "=+-@\t"]
    assert list(raw["lon"].astype(float)) == [-float(i) for i in range(len(names))]  # numbers stay numbers
    assert list(read_csv(path)["name"]) == names


def test_empty_story_exports_empty_files(tmp_path):
    story = Story(title="Nothing here")
    for fmt in DATA:
        read = _read(pipeline.export(story, tmp_path / f"empty.{fmt}").path, fmt)
        assert len(read) == 0


def test_other_places_get_their_own_layer_title():
    place = Place(
        id="x",
        name="X",
        kind="city",
        lat=1,
        lon=2,
        mentions=[PlaceMention(start=0, end=1, text="X", sentence="X.")],
    )
    story = Story(title="t", layers=[Layer(id="a", title="A", color="#123456")], places=[place])
    row = story.to_geodataframe().iloc[0]
    assert (row["layer"], row["layer_title"], row["color"]) == ("", "Other places", "#666666")


# --------------------------------------------------------------------------- alt text


def test_alt_text_lists_each_layers_places(seed_story):
    text = seed_story.alt_text()
    used = {p.layer for p in seed_story.places}
    assert text.startswith(f"Map of {len(seed_story.places)} places in {len(used)} layers. ")
    for layer in seed_story.layers:
        names = sorted((seed_story.place(pid).name for pid in layer.places), key=str.casefold)
        assert f"{layer.title}: {', '.join(names)}." in text
    chapter = seed_story.chapters[2]
    assert seed_story.alt_text(3).startswith(f"{chapter.title}: map of {len(chapter.places)} places in ")


def test_alt_text_is_one_line_and_caps_long_lists():
    places = [
        Place(id=f"p{i}", name=f"Town\n{i:02d}", kind="city", lat=0, lon=i, layer="a") for i in range(12)
    ]
    story = Story(
        title="t", layers=[Layer(id="a", title="Towns", places=[p.id for p in places])], places=places
    )
    text = story.alt_text()
    assert "\n" not in text
    assert text == (
        "Map of 12 places in 1 layer. Towns: Town 00, Town 01, Town 02, Town 03, Town 04, Town 05, "
        "Town 06, Town 07 and 4 more."
    )
    assert Story(title="t").alt_text() == "Map of 0 places in 0 layers."
