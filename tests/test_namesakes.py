"""Names that are not places, and namesakes that context tells apart, on everyday news patterns.

The two lists (tests/data/not_places.yaml, tests/data/namesakes.yaml) are sentences written after
real news copy; the rates are the targets of the geoparser on real articles.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from storymap.geoparse import find_mentions

DATA = Path(__file__).parent / "data"
NOT_PLACES = yaml.safe_load((DATA / "not_places.yaml").read_text(encoding="utf-8"))
NAMESAKES = yaml.safe_load((DATA / "namesakes.yaml").read_text(encoding="utf-8"))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(a))


def _at(case: dict) -> tuple[str, int, int]:
    text, name = case["text"], case["name"]
    start = text.find(name)
    assert start >= 0, f"{name!r} is not in {text!r}"
    return text, start, start + len(name)


def _placed(case: dict) -> list:
    text, start, end = _at(case)
    return [m for m in find_mentions(text) if m.start < end and start < m.end]


def test_the_lists_are_big_enough_and_varied():
    assert len(NOT_PLACES) >= 100 and len(NAMESAKES) >= 50
    assert len({c["why"] for c in NOT_PLACES}) >= 8 and len({c["why"] for c in NAMESAKES}) >= 4
    assert len({(c["text"], c["name"]) for c in NOT_PLACES}) == len(NOT_PLACES)


def test_names_that_are_not_places_are_not_placed():
    placed = [(c["name"], c["text"], [m.name for m in ms]) for c in NOT_PLACES if (ms := _placed(c))]
    rate = 1 - len(placed) / len(NOT_PLACES)
    assert rate >= 0.95, f"{rate:.3f} not placed; placed: {placed}"


def test_namesakes_are_placed_by_their_context():
    wrong = []
    for c in NAMESAKES:
        ms = _placed(c)
        if not ms or _km(ms[0].lat, ms[0].lon, *c["at"]) > 161:
            wrong.append((c["name"], c["text"], [(m.name, m.country) for m in ms]))
    rate = 1 - len(wrong) / len(NAMESAKES)
    assert rate >= 0.90, f"{rate:.3f} placed right; wrong: {wrong}"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Log In\nSubscribe\nThe council met on Tuesday.", "Log"),
        ("Otto von Bismarck unified the German states in 1871.", "Bismarck"),
        ("Brent crude rose 2 percent.", "Brent"),
        ("The planet Jupiter is bright tonight.", "Jupiter"),
    ],
)
def test_each_rule_on_its_own(text, name):
    assert not _placed({"text": text, "name": name})


def test_the_same_names_stay_places_where_they_are_places():
    # The rules look at the words around a name, not at the name: the places come back.
    for text, name in [
        ("Fighting spread to Bismarck, North Dakota, on Monday.", "Bismarck"),
        ("Jupiter, Florida, police arrested the driver.", "Jupiter"),
        ("Flights from Log to Moscow resumed, Russian officials in Volgograd said.", "Moscow"),
        ("The talks were held in Trier, Germany.", "Trier"),
    ]:
        assert _placed({"text": text, "name": name}), (name, text)


@pytest.mark.parametrize(
    ("text", "name", "state"),
    [
        ("Protesters gathered in Seattle, WA, on Monday.", "WA", "US-WA"),
        ("Whale watchers gathered at Albany, WA, for the migration.", "WA", "AU-WA"),
        ("Fans cheered in Louisville, KY, on Saturday.", "KY", "US-KY"),
        ("Frost damaged vineyards near Orange, NSW, overnight.", "NSW", "AU-NS"),
    ],
)
def test_a_state_abbreviation_is_the_state_that_holds_the_town(text, name, state):
    assert [m.ref for m in _placed({"text": text, "name": name})] == [f"admin:{state}"]


def test_a_well_known_place_named_often_is_not_flagged_for_review():
    text = "Delhi recorded its hottest day. " * 3 + "Schools in Delhi closed as India's heatwave spread."
    delhi = [m for m in find_mentions(text) if m.text == "Delhi"]
    assert len(delhi) == 4 and all(m.confidence >= 0.5 for m in delhi)
