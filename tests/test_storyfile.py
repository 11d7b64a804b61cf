"""storyfile: editable YAML that round-trips, and one-line errors with line and field."""

from __future__ import annotations

import json

import pytest
import yaml

from storymap.errors import InputError
from storymap.model import Chapter, Layer, Place, PlaceMention, Story
from storymap.storyfile import dump_story, load_story


def sample() -> Story:
    sentence = "Petro named traffickers in Dubai, Madrid and Miami </script> `${x}` \u2028 end."
    return Story(
        title="US–Colombia talks",
        standfirst="Trump & Petro <b>meet</b>",
        source="seed.txt",
        layers=[
            Layer(id="diplomacy", title="Diplomacy", color="#1F77B4", places=["washington", "caribbean"]),
            Layer(id="drugs", title="Drugs & crime", color="#d62728", places=["dubai"]),
        ],
        places=[
            Place(
                id="washington",
                name="Washington, D.C.",
                kind="city",
                lat=38.9,
                lon=-77.03,
                country="US",
                layer="diplomacy",
                confidence=0.95,
                ref="gn:4140963",
                mentions=[PlaceMention(start=10, end=21, text="White House", sentence=sentence, section="")],
            ),
            Place(
                id="dubai",
                name="Dubai",
                kind="city",
                lat=25.2,
                lon=55.27,
                layer="drugs",
                confidence=0.4,
                review=True,
            ),
            Place(
                id="caribbean",
                name="Caribbean Sea",
                kind="water",
                lat=15.0,
                lon=-75.0,
                layer="diplomacy",
                geometry={
                    "type": "Polygon",
                    "coordinates": [[[-80.0, 10.0], [-70.5, 10.0], [-70.5, 18.25], [-80.0, 10.0]]],
                },
            ),
        ],
        chapters=[Chapter(id="lead", title="", text=["Para one.", "Para two."], places=["washington"])],
    )


@pytest.fixture(scope="module")
def dumped() -> str:
    return dump_story(sample())


def problem(text: str, source: str = "story.yaml") -> str:
    with pytest.raises(InputError) as info:
        load_story(text, source)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{source}: ")
    assert info.value.exit_code == 2
    return message[len(source) + 2 :]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --------------------------------------------------------------------------- dump


def test_round_trip(dumped):
    assert load_story(dumped) == sample()


def test_dump_is_deterministic(dumped):
    assert dump_story(sample()) == dumped


def test_header_explains_how_to_edit_and_rebuild(dumped):
    assert dumped.startswith("# storymap story file")
    assert "storymap build <this file>" in dumped
    assert "storymap build edited.yaml" in dump_story(sample(), source="edited.yaml")


def test_readable_key_order_and_block_style(dumped):
    place = dumped[dumped.index("- id: washington") :]
    keys = [line.split(":")[0].strip() for line in place.splitlines()[:11]]
    assert keys == [
        "- id",
        "name",
        "kind",
        "layer",
        "lat",
        "lon",
        "country",
        "confidence",
        "review",
        "ref",
        "mentions",
    ]
    assert dumped.index("\nlayers:") < dumped.index("\nplaces:") < dumped.index("\nchapters:")
    assert "places: [washington, caribbean]" in dumped  # id lists and coordinates are compact
    assert "coordinates: [[[-80.0, 10.0], [-70.5, 10.0], [-70.5, 18.25], [-80.0, 10.0]]]" in dumped
    assert "US–Colombia talks" in dumped  # unicode kept, not escaped
    assert "geometry" not in place[: place.index("- id: dubai")]  # no geometry: null noise


def test_long_polygons_are_wrapped_flow_lists_that_round_trip():
    ring = [[-80.0 + i / 7, 10.0 + (i % 13) * 1e-5] for i in range(600)] + [[1e-5, -2.5e-7], [-80.0, 10.0]]
    place = Place(
        id="zone",
        name="Zone",
        kind="water",
        lat=10,
        lon=-80,
        geometry={
            "coordinates": [[ring], [[[10.0, 10.0], [11.0, 10.0], [11.0, 11.0], [10.0, 10.0]]]],
            "type": "MultiPolygon",
        },
    )
    story = Story(title="t", places=[place])
    text = dump_story(story)
    assert load_story(text) == story
    block = text[text.index("  geometry:") :]
    assert block.startswith("  geometry:\n    type: MultiPolygon\n    coordinates: [[[[-80.0, 10.0], ")
    lines = block[: block.index("  mentions:")].splitlines()[2:]
    assert len(lines) > 100 and all(len(line) <= 110 for line in lines)
    assert all(line.startswith("      [") for line in lines[1:])
    assert "[1.0e-05, -2.5e-07]" in text  # exponent floats keep a dot, so YAML reads them back as floats


def test_low_confidence_places_are_marked_for_review(dumped):
    lines = dumped.splitlines()
    at = lines.index("- id: dubai")
    assert lines[at - 1] == "# review: low confidence (0.40), check this place"
    assert sum(line.startswith("# review") for line in lines) == 1


def test_dump_is_plain_safe_yaml(dumped):
    data = yaml.safe_load(dumped)
    assert data["layers"][0]["color"] == "#1f77b4"
    index = data["places"][0]["mentions"][0]["sentence"]
    assert data["sentences"][index]["text"].endswith("\u2028 end.")


# --------------------------------------------------------------------------- load errors


def test_malformed_yaml_gives_line_and_column(dumped):
    broken = dumped.replace("  title: Drugs & crime", "  title: [Drugs & crime")
    message = problem(broken)
    assert message.startswith(f"line {line_of(broken, 'color: ' + chr(39) + '#d62728')}, column ")
    assert "did not find expected ',' or ']'" in message


def test_bad_indentation(dumped):
    broken = dumped.replace("  lat: 25.2", "    lat: 25.2")
    line = line_of(broken, "    lat: 25.2")
    assert problem(broken) == f"line {line}, column 8: mapping values are not allowed in this context"


def test_latitude_out_of_range_names_line_field_and_value(dumped):
    bad = dumped.replace("lat: 25.2", "lat: 123.0")
    line = line_of(bad, "lat: 123.0")
    assert problem(bad) == f"line {line}: places[1].lat: Input should be less than or equal to 90 (got 123.0)"


def test_longitude_out_of_range(dumped):
    bad = dumped.replace("lon: 55.27", "lon: -181")
    assert problem(bad).startswith(
        f"line {line_of(bad, 'lon: -181')}: places[1].lon: Input should be greater"
    )


def test_invalid_colour(dumped):
    bad = dumped.replace("'#d62728'", "red")
    assert problem(bad) == (
        f"line {line_of(bad, 'color: red')}: layers[1].color: expected a hex colour like '#1f77b4', got 'red'"
    )


def test_unknown_layer(dumped):
    bad = dumped.replace("layer: drugs", "layer: drugz")
    line = line_of(bad, "layer: drugz")
    expected = "places[1].layer: unknown layer 'drugz' (known: ['diplomacy', 'drugs'])"
    assert problem(bad) == f"line {line}: {expected}"


def test_unknown_place_in_a_layer(dumped):
    bad = dumped.replace("places: [dubai]", "places: [dubay]")
    assert problem(bad) == f"line {line_of(bad, '[dubay]')}: layers[1].places[0]: unknown place 'dubay'"


def test_unknown_place_in_a_chapter(dumped):
    bad = dumped.replace("  places: [washington]\n  text", "  places: [washington, nowhere]\n  text")
    assert (
        problem(bad)
        == f"line {line_of(bad, '[washington, nowhere]')}: chapters[0].places[1]: unknown place 'nowhere'"
    )


def test_duplicate_place_id_points_at_the_second(dumped):
    bad = dumped.replace("- id: dubai", "- id: washington")
    assert (
        problem(bad) == f"line {line_of(bad, '# review: low') + 1}: places[1].id: duplicate id 'washington'"
    )


def test_missing_field_points_at_the_item(dumped):
    bad = dumped.replace("  kind: city\n  layer: drugs", "  layer: drugs")
    assert problem(bad) == f"line {line_of(bad, '- id: dubai')}: places[1]: missing required field 'kind'"


def test_unknown_field_is_a_typo(dumped):
    bad = dumped.replace("  country: US", "  contry: US")
    assert problem(bad).startswith(
        f"line {line_of(bad, 'contry')}: places[0].contry: unknown field (a typo?)"
    )


def test_wrong_kind_lists_the_choices(dumped):
    bad = dumped.replace("kind: water", "kind: ocean")
    assert "places[2].kind: Input should be 'city', 'country'" in problem(bad)
    assert problem(bad).endswith("(got 'ocean')")


def test_unquoted_date_asks_for_quotes(dumped):
    bad = dumped.replace("title: US–Colombia talks", "title: 2024-01-01")
    assert problem(bad) == "line 10: title: expected text, got datetime.date(2024, 1, 1); put it in quotes"


def test_several_problems_report_the_first_in_file_order(dumped):
    bad = dumped.replace("lat: 25.2", "lat: 123.0").replace("'#d62728'", "red")
    message = problem(bad)
    assert message.startswith(f"line {line_of(bad, 'color: red')}: layers[1].color")
    assert message.endswith("(and 1 more problem)")


def test_duplicate_keys_are_refused(dumped):
    bad = dumped.replace("  lat: 25.2", "  lat: 25.2\n  lat: 26")
    assert problem(bad) == f"line {line_of(bad, 'lat: 26')}: duplicate key 'lat'"


def test_aliases_are_refused():
    laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\ntitle: t\n"
    assert "anchors and aliases" in problem(laughs)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "- " * 100_000 + "x", "title: x\nplaces: " + "[" * 5000 + "]" * 5000],
    ids=["flow", "block", "closed"],
)
def test_absurd_nesting_is_refused_not_a_crash(text):
    # libyaml overflows the C stack (a segfault) on ~100k nested flow levels
    assert "nested more than 100 levels deep" in problem(text)
    assert "nested too deeply" in problem("[" * 100_000, "s.json")


def test_python_tags_are_refused():
    assert "could not determine a constructor" in problem("title: !!python/object/apply:os.system [ls]\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "story file is empty"),
        (
            "  \n# only a comment\n",
            "line 1: expected a mapping with title, layers, places and chapters, got nothing",
        ),
        ("- a\n- b\n", "line 1: expected a mapping with title, layers, places and chapters, got list"),
        ("layers: []\n", "line 1: missing required field 'title'"),
        ("title: a\n---\ntitle: b\n", "line 2, column 1: but found another document"),
    ],
)
def test_shapes_that_are_not_stories(text, expected):
    if text == "":
        assert problem(text) == expected
    else:
        assert problem(text).startswith(expected)


# --------------------------------------------------------------------------- JSON


def test_json_story_files_validate_the_same_way():
    story = sample()
    assert load_story(story.model_dump_json(indent=2), "s.json") == story
    data = json.loads(story.model_dump_json())
    data["places"][1]["lat"] = 99
    text = json.dumps(data, indent=1)
    assert problem(text, "s.json") == (
        f"line {line_of(text, '99')}: places[1].lat: Input should be less than or equal to 90 (got 99)"
    )


def test_malformed_json_gives_line_and_column():
    assert problem('{"title": "x",\n "layers": [}', "s.json") == "line 2, column 13: Expecting value"


def test_json_refuses_nan_and_duplicate_keys():
    assert "NaN is not a number JSON allows" in problem('{"title": NaN}', "s.json")
    assert "duplicate key 'title'" in problem('{"title": "x", "title": "y"}', "s.json")
