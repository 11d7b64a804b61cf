"""The validation layer: YAML limits, GeoJSON geometry, ids and colours, tile URLs."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from storymap import validate
from storymap.errors import InputError
from storymap.layers import load_lexicon
from storymap.model import Layer, Place
from storymap.storyfile import load_story

SQUARE = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]


def polygon(coords):
    return {"type": "Polygon", "coordinates": coords}


# --------------------------------------------------------------------------- geometry


def test_a_valid_polygon_is_kept_as_it_is():
    assert validate.geometry(polygon([SQUARE])) == polygon([SQUARE])


def test_integers_become_floats_and_a_third_coordinate_is_dropped():
    ring = [[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]
    out = validate.geometry(polygon([ring]))
    assert out["coordinates"] == [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]
    assert all(isinstance(x, float) for pos in out["coordinates"][0] for x in pos)


def test_an_unclosed_ring_is_closed():
    out = validate.geometry(polygon([SQUARE[:-1]]))
    assert out["coordinates"][0][0] == out["coordinates"][0][-1] == [0.0, 0.0]


def test_a_bow_tie_is_repaired_into_two_triangles():
    bow = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]
    out = validate.geometry(polygon(bow and [bow]))
    assert out["type"] == "MultiPolygon"
    from shapely.geometry import shape

    fixed = shape(out)
    assert fixed.is_valid and math.isclose(fixed.area, 2.0)


@pytest.mark.parametrize(
    ("coordinates", "message"),
    [
        ("x", "coordinates: expected a non-empty list of rings, got 'x'"),
        ("abc", "coordinates: expected a non-empty list of rings"),
        (5, "coordinates: expected a non-empty list of rings, got 5"),
        ({"a": 1}, "coordinates: expected a non-empty list of rings"),
        (None, "coordinates: expected a non-empty list of rings, got None"),
        ([], "coordinates: expected a non-empty list of rings, got []"),
        ([[]], "coordinates[0]: a ring needs at least 4 positions"),
        ([["ab"]], "coordinates[0][0]: expected a position [lon, lat], got 'ab'"),
        ([[["a", "b"]]], "coordinates[0][0][0]: expected a number, got 'a'"),
        ([[[1]]], "coordinates[0][0]: expected a position [lon, lat], got [1]"),
        ([[[True, 1]]], "coordinates[0][0][0]: expected a number, got True"),
        ([[[float("nan"), 1]]], "coordinates[0][0][0]: expected a finite number, got nan"),
        ([[[1, float("-inf")]]], "coordinates[0][0][1]: expected a finite number, got -inf"),
        ([[[0, 0], [1, "x"], [1, 1], [0, 0]]], "coordinates[0][1][1]: expected a number, got 'x'"),
        ([[[0, 0], [181, 0], [1, 1], [0, 0]]], "coordinates[0][1][0]: longitude must be in -180..180"),
        ([[[0, 0], [1, 1e300], [1, 1], [0, 0]]], "coordinates[0][1][1]: latitude must be in -90..90"),
        ([[[0, 0], [1, 1], [2, 2], [0, 0]]], "coordinates: the polygon has no area"),
    ],
)
def test_bad_coordinates_are_named_by_their_path(coordinates, message):
    with pytest.raises(ValueError) as info:
        validate.geometry(polygon(coordinates))
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Polygon", "expected a GeoJSON mapping"),
        (
            {"type": "Point", "coordinates": [0, 0]},
            "expected a GeoJSON Polygon or MultiPolygon, got type 'Point'",
        ),
        ({"type": "Polygon"}, "missing required field 'coordinates'"),
        ({"type": "Polygon", "coordinates": [SQUARE], "style": "x"}, "unknown field 'style'"),
        ({"type": "MultiPolygon", "coordinates": []}, "coordinates: expected a non-empty list of polygons"),
        (
            {"type": "MultiPolygon", "coordinates": [SQUARE]},
            "coordinates[0][0][0]: expected a position [lon, lat], got 0.0",
        ),
    ],
)
def test_bad_geometry_shapes(value, message):
    with pytest.raises(ValueError, match=None) as info:
        validate.geometry(value)
    assert str(info.value).startswith(message)


def test_too_many_vertices_are_refused_before_any_geometry_is_built(monkeypatch):
    monkeypatch.setattr(validate, "MAX_VERTICES", 100)
    ring = [[i / 1000, (i % 2) / 1000] for i in range(101)]
    with pytest.raises(ValueError, match="too many positions: more than 100 in one geometry"):
        validate.geometry(polygon([ring]))


def test_a_place_validates_its_geometry():
    place = Place(id="p", name="P", kind="region", lat=0, lon=0, geometry=polygon([SQUARE[:-1]]))
    assert place.geometry == polygon([SQUARE])
    with pytest.raises(ValidationError, match="expected a finite number"):
        Place(id="p", name="P", kind="region", lat=0, lon=0, geometry=polygon([[[math.inf, 0]]]))


# --------------------------------------------------------------------------- ids and colours


@pytest.mark.parametrize("value", ["paris\n", "paris\n\n", "\nparis", "pa ris", "Paris", "", "-paris"])
def test_ids_match_in_full(value):
    assert not validate.is_id(value)
    with pytest.raises(ValidationError):
        Place(id=value, name="P", kind="city", lat=0, lon=0)


@pytest.mark.parametrize("value", ["#fff\n", "#ffffff\n", "#fff ", "fff", "#ffff", "#ggg"])
def test_colours_match_in_full(value):
    assert not validate.is_color(value)
    with pytest.raises(ValidationError, match="expected a hex colour"):
        Layer(id="a", title="A", color=value)


def test_good_ids_and_colours_pass():
    assert validate.is_id("new-york_2") and validate.is_color("#1F77b4") and validate.is_color("#abc")


# --------------------------------------------------------------------------- YAML

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
layers: [{id: x, title: X, keywords: [*c,*c,*c,*c,*c,*c,*c,*c,*c]}]
"""


@pytest.mark.parametrize("load", [load_lexicon, load_story], ids=["lexicon", "story"])
def test_every_yaml_loader_refuses_aliases(load):
    with pytest.raises(InputError, match=r"^f\.yaml: line 1: YAML anchors and aliases"):
        load(BOMB, "f.yaml")


@pytest.mark.parametrize("load", [load_lexicon, load_story], ids=["lexicon", "story"])
@pytest.mark.parametrize(
    "text",
    ["layers: " + "[" * 5000 + "]" * 5000, "layers:\n" + "".join(" " * i + "-\n" for i in range(0, 600, 2))],
    ids=["flow", "block"],
)
def test_every_yaml_loader_refuses_deep_nesting(load, text):
    with pytest.raises(InputError, match=r"^f\.yaml: line \d+: nested more than 100 levels deep$"):
        load(text, "f.yaml")


def test_oversized_lexicons_are_refused_before_parsing():
    text = "layers: [{id: a, title: A, keywords: [" + "word, " * 200_000 + "]}]"
    with pytest.raises(
        InputError, match=r"^big\.yaml: too large: 1,200,\d+ characters, the limit is 1,048,576$"
    ):
        load_lexicon(text, "big.yaml")


def test_duplicate_keys_are_refused_in_lexicons_too():
    with pytest.raises(InputError, match=r"^f\.yaml: line 2: duplicate key 'layers'"):
        load_lexicon("layers: []\nlayers: [{id: a, title: A}]", "f.yaml")


# --------------------------------------------------------------------------- tile URLs


@pytest.mark.parametrize(
    ("url", "rebuilt", "host"),
    [
        (
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
            "{s}.tile.openstreetmap.org",
        ),
        (
            "HTTP://Tiles.Example.org:8080/{z}/{x}/{y}{r}.png",
            "http://tiles.example.org:8080/{z}/{x}/{y}{r}.png",
            "tiles.example.org",
        ),
        (
            "https://bücher.example/{z}/{x}/{y}",
            "https://xn--bcher-kva.example/{z}/{x}/{y}",
            "xn--bcher-kva.example",
        ),
        (
            "https://10.0.0.1/t/{z}/{x}/{y}.png?key=a'b\"c",
            "https://10.0.0.1/t/{z}/{x}/{y}.png?key=a%27b%22c",
            "10.0.0.1",
        ),
        ("https://[::1]/{z}/{x}/{y}", "https://[::1]/{z}/{x}/{y}", "::1"),
        ("https://a.org/%3Cimg%3E/{z}/{x}/{y}#frag", "https://a.org/%3Cimg%3E/{z}/{x}/{y}", "a.org"),
    ],
)
def test_tile_urls_are_rebuilt_from_their_parts(url, rebuilt, host):
    assert validate.tile_url(url) == (rebuilt, host)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://<img src=x onerror=alert(1)>/{z}/{x}/{y}.png", "spaces or control characters"),
        ("https://<img/src=x/onerror=alert(1)>/{z}/{x}/{y}.png", "not a valid host name"),
        ('https://a.org"onload=alert(1)/{z}/{x}/{y}', "not a valid host name"),
        ("javascript:alert(1)//{z}/{x}/{y}", "only http and https"),
        ("data:text/html,{z}{x}{y}", "only http and https"),
        ("file:///etc/{z}/{x}/{y}", "only http and https"),
        ("https://user:pw@a.org/{z}/{x}/{y}", "user name or password"),
        ("https://a.org:99999/{z}/{x}/{y}", "not a valid URL"),
        ("https://a.org/{z}/{x}", "needs {z}, {x} and {y}"),
        ("https://a.org/{z}/{x}/{y}/{foo}", "only the placeholders"),
        ("https://a.org/{z}/{x}/{y}/{", "only the placeholders"),
        ("https://a.org/{z}/{x}/{y}\n", "spaces or control characters"),
        ("https://-bad-.org/{z}/{x}/{y}", "not a valid host name"),
        ("https://" + "a" * 3000 + ".org/{z}/{x}/{y}", "the limit is 2,048"),
    ],
)
def test_bad_tile_urls_are_refused_on_one_line(url, problem):
    with pytest.raises(InputError) as info:
        validate.tile_url(url)
    message = str(info.value)
    assert message.startswith("--tiles: ") and problem in message and "\n" not in message


def test_a_story_file_of_too_many_values_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(validate, "MAX_STORY_VALUES", 1000)
    ring = ", ".join(f"[{i / 1000}, {(i % 2) / 1000}]" for i in range(600))
    text = f"title: T\nplaces:\n- {{id: z, name: Z, kind: region, lat: 0, lon: 0, geometry: [[{ring}]]}}\n"
    with pytest.raises(
        InputError, match=r"^big\.yaml: too many values: about 1,207 \(commas and lines\), the limit"
    ):
        load_story(text, "big.yaml")
    with pytest.raises(InputError, match=r"too many values"):
        load_story(text.replace("title: T\n", '{"title": "T"}'), "big.json")


def test_a_place_takes_a_copy_of_the_gazetteer_s_outline_and_checks_every_other_geometry(monkeypatch):
    """Only the gazetteer's own outline object skips the check (it was checked when geodata/ was
    built); a place gets its own copy of it. Any other geometry (a story file's, an equal dict, the
    outline edited) is checked and repaired as before."""
    from storymap.geoparse import areas

    outline = areas.outline("country:CO")
    checked: list[dict] = []
    real = validate.geometry
    monkeypatch.setattr(validate, "geometry", lambda v: checked.append(v) or real(v))
    place = Place(id="co", name="Colombia", kind="country", lat=4.0, lon=-73.0, geometry=outline)
    assert checked == []
    assert place.geometry == outline and place.geometry is not outline
    assert place.geometry["coordinates"] is not outline["coordinates"]
    place.geometry["coordinates"].clear()  # the place's copy: the shared outline is untouched
    assert areas.outline("country:CO") is outline and outline["coordinates"]

    equal = Place(id="co", name="Colombia", kind="country", lat=4.0, lon=-73.0, geometry=dict(outline))
    assert len(checked) == 1 and equal.geometry == outline
    bow = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]
    tied = Place(id="t", name="T", kind="region", lat=1.0, lon=1.0, geometry=polygon([bow]))
    assert tied.geometry["type"] == "MultiPolygon"
    off = polygon([[[0, 0], [1, 95], [1, 0]]])
    with pytest.raises(ValidationError, match="latitude must be in -90..90"):
        Place(id="t", name="T", kind="region", lat=1.0, lon=1.0, geometry=off)
