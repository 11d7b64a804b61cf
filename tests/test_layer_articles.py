"""Layers on whole articles written from everyday news patterns (our own sentences).

Each article goes through the real pipeline (geoparser included), so these tests say what a
reader of the map would see: a theme only where the sentences support it, layers by kind
otherwise, never "Military action" on a sports report and never "Other places" as the
biggest layer.
"""

from __future__ import annotations

import pytest

from storymap.layers import default_lexicon
from storymap.pipeline import story_from_text

CRICKET = """Australia crush India to regain the trophy
Australia beat India by eight wickets at the Adelaide Oval on Sunday to take an unbeatable lead in \
the Test series.
India's batting collapsed on the fourth morning as the Australian pace attack tore through the top \
order in Adelaide.
The battle between the Indian captain and the Australian bowlers was the story of the match, and the\
 crowd in Adelaide loved it.
Australia's captain praised his bowling attack after the innings and said the side would travel to \
Brisbane in good heart.
India must now win in Brisbane and Sydney to avoid losing the series, and their coach said the \
batsmen had to fight harder.
The fourth Test starts in Sydney on January 3, when India will try to strike back.
"""

FOOTBALL = """United fight back to beat City in derby
Manchester United came from two goals down to beat Manchester City 3-2 in a fierce derby at Old \
Trafford on Saturday.
City's attack looked unstoppable in the first half, and their striker scored twice before the break.
United's coach changed the formation at half-time and the battle swung the other way in front of a \
roaring crowd.
The win lifts United to third in the Premier League, two points behind Liverpool, who play away at \
Newcastle on Sunday.
"It was a war out there," said the United captain after the match, "but the lads kept fighting and \
deserved the goals."
City travel to London next week to face Chelsea in the league, while United host Leeds.
"""

BUSINESS = """Portland shipper bets on bigger ports
A Portland logistics company said on Tuesday it would invest $40 million in new cranes at the ports \
of Seattle and Tacoma.
The company's chief executive said shipping volumes through Seattle had grown faster than expected \
as exporters moved goods to Asia.
Exports of grain and timber from the Pacific Northwest rose 12 percent last year, and the company \
expects trade with Japan and South Korea to keep growing.
The investment will create about 300 jobs in Tacoma, where the port is expanding its container terminal.
Shares of the company rose 4 percent in trading in New York, and analysts said the market had \
welcomed the plan.
The company, founded in Portland in 1952, still employs most of its staff in Oregon.
"""

WAR = """Shelling intensifies around Kharkiv as troops dig in
Russian forces shelled Kharkiv overnight, killing four civilians, Ukrainian military officials said on Monday.
Ukrainian troops repelled an attack on a village north of Kharkiv, and army commanders said drone \
strikes had hit artillery positions near Belgorod.
Missile strikes also hit an energy facility near Dnipro, the Ukrainian air force said, and air \
defences shot down eleven drones over Kyiv.
The Russian defence ministry said its forces had captured a village in the Donetsk region after \
weeks of fighting and heavy artillery fire.
Military analysts say the offensive is meant to stretch Ukrainian forces along the front line and \
pin down troops in Donetsk.
Kyiv has asked its allies for more air defence systems and artillery shells to hold the front.
"""

DISASTER = """Floods and landslides kill dozens in Kerala
Torrential monsoon rain triggered floods and landslides across Kerala, killing at least 40 people, \
officials said on Thursday.
Rescue teams searched for survivors in the hills of Wayanad, where a landslide buried homes after a \
night of heavy rain.
More than 60,000 people were evacuated to relief camps as rivers burst their banks near Kochi and \
the airport was closed by flooding.
The weather office warned of more heavy rain over Kerala and neighbouring Karnataka over the weekend.
Climate scientists say warmer seas in the Arabian Sea are making such downpours more intense.
"""

CITY_LIFE = """Portland opens its new riverside library
Portland opened its new riverside library on Saturday, and thousands of readers queued along the \
waterfront to see it.
The building in Portland was designed by a local architect and has a reading room that looks out \
over the Willamette River.
Families from Beaverton and Gresham joined the crowds, and the mayor of Portland cut the ribbon at noon.
Visitors from Salem said the children's floor alone was worth the drive to Portland.
"""

ELECTION = """Opposition wins Kenya county elections
Kenya's opposition coalition won most governor races in county elections held on Tuesday, the \
electoral commission said.
In Nairobi, the opposition candidate for governor beat the ruling party's candidate by more than \
100,000 votes.
Voters in Mombasa and Kisumu also backed opposition candidates, while the ruling coalition held its \
strongholds around Eldoret.
The president congratulated the winners and said his government would work with the new governors.
Election observers said voting in Nairobi was peaceful, though turnout was lower than in the last \
presidential election.
Opposition leaders called the result a verdict on the government's economic policy and promised to \
campaign for parliament next year.
"""


def layers_of(text: str) -> dict[str, set[str]]:
    story = story_from_text(text, "txt", "article.txt")
    names = {p.id: p.name for p in story.places}
    return {layer.id: {names[pid] for pid in layer.places} for layer in story.layers}


def theme_of(layers: dict[str, set[str]], name: str) -> str:
    return next(layer for layer, names in layers.items() if name in names)


def test_every_article_pattern_is_mapped():
    for text in (CRICKET, FOOTBALL, BUSINESS, CITY_LIFE, WAR, DISASTER, ELECTION):
        assert sum(len(v) for v in layers_of(text).values()) >= 3, text.splitlines()[0]


@pytest.mark.parametrize("text", [CRICKET, FOOTBALL], ids=["cricket", "football"])
def test_sport_is_not_war(text):
    layers = layers_of(text)
    assert "military" not in layers, layers
    assert "context" not in layers  # "Other places" is gone: places fall back to their kind
    assert {"cities", "countries"} & layers.keys() or "sites" in layers


def test_a_cricket_report_falls_back_to_kinds():
    layers = layers_of(CRICKET)
    assert {"Australia", "India"} <= layers["countries"]
    assert {"Adelaide", "Brisbane", "Sydney"} <= layers["cities"]


def test_ports_are_trade():
    layers = layers_of(BUSINESS)
    assert {"Seattle", "Tacoma", "Portland"} <= layers["trade"]


def test_portland_is_not_a_port():
    layers = layers_of(CITY_LIFE)
    assert "trade" not in layers, layers
    assert "Portland" in layers["cities"]


def test_a_war_report_has_a_military_layer():
    layers = layers_of(WAR)
    assert {"Kharkiv", "Donetsk"} <= layers["military"]
    assert max(layers, key=lambda k: len(layers[k])) == "military"


def test_a_disaster_report_has_a_disaster_layer():
    layers = layers_of(DISASTER)
    assert {"Kerala", "Kochi", "Arabian Sea"} <= layers["environment"]
    assert "military" not in layers


def test_an_election_report_has_a_politics_layer():
    layers = layers_of(ELECTION)
    assert {"Nairobi", "Mombasa"} <= layers["diplomacy"]
    assert "military" not in layers and "crime" not in layers


@pytest.mark.parametrize("text", [CRICKET, FOOTBALL, BUSINESS, CITY_LIFE, WAR, DISASTER, ELECTION])
def test_other_places_is_never_the_biggest_layer(text):
    story = story_from_text(text, "txt", "a.txt")
    fallback = default_lexicon().fallback.id
    biggest = max(story.layers, key=lambda layer: len(layer.places))
    assert biggest.id != fallback
    assert all(p.layer for p in story.places)


def test_the_seed_keeps_its_themes(seed_story):
    layer = {p.name: p.layer for p in seed_story.places}
    zones = [p for p in seed_story.places if p.kind == "water"]
    assert {"Caribbean Sea"} <= {p.name for p in zones} and len(zones) == 2
    assert {p.layer for p in zones} == {"military"}
    assert {layer["Dubai"], layer["Madrid"], layer["Miami"]} == {"crime"}
    assert {layer["Washington"], layer["Cartagena"]} == {"diplomacy"}
    titles = {la.id: la.title for la in seed_story.layers}
    assert titles["military"] == "Military action" and titles["crime"] == "Drugs and crime"


def test_the_layer_bench_measures_a_folder_of_articles(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    for name, text in {"cricket": CRICKET, "football": FOOTBALL, "war": WAR, "city": CITY_LIFE}.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    bench = Path(__file__).resolve().parent.parent / "bench" / "layers.py"
    out = subprocess.run(
        [sys.executable, str(bench), str(tmp_path), "--military"], capture_output=True, text=True, check=True
    ).stdout
    assert "4 articles with places (4 read)" in out
    assert "places in 'Other places': 0.0%" in out
    assert "sports reports: 2, with a military layer: 0" in out
    assert "  war: Kharkiv <- " in out and "  cricket:" not in out
    assert "Military action: Caribbean Sea, Eastern Pacific Ocean" in out  # the seed's layers
