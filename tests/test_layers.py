import pytest

from storymap.errors import InputError
from storymap.layers import assign_layers, default_lexicon, load_lexicon, parse_lexicon
from storymap.model import Place, PlaceMention


def place(pid: str, *sentences: str) -> Place:
    return Place(
        id=pid,
        name=pid,
        kind="city",
        lat=0,
        lon=0,
        mentions=[PlaceMention(start=0, end=1, text=pid, sentence=s) for s in sentences],
    )


def test_places_go_to_the_layer_with_most_keyword_hits():
    places = [
        place("zone", "Military strikes targeting boats killed 126 people in 36 known strikes."),
        place("hub", "He named drug traffickers who operate from this city."),
        place("capital", "The leaders held a friendly meeting and discussed relations."),
        place("nowhere", "It is a lovely afternoon."),
    ]
    chosen, layers = assign_layers(places)
    assert {p.id: p.layer for p in chosen} == {
        "zone": "military",
        "hub": "crime",
        "capital": "diplomacy",
        "nowhere": "context",
    }
    # only non-empty layers, in lexicon order, fallback last
    assert [layer.id for layer in layers] == ["military", "crime", "diplomacy", "context"]
    assert layers[0].places == ["zone"]


def test_prefix_keywords_and_whole_words():
    lex = parse_lexicon(
        {"layers": [{"id": "x", "title": "X", "color": "#123456", "keywords": ["traffick*", "war"]}]}
    )
    rule = lex.rules[0]
    assert rule.hits("Traffickers and trafficking, a war.") == 3
    assert rule.hits("A software award.") == 0


def test_default_lexicon_is_data_with_valid_colours():
    lex = default_lexicon()
    assert len(lex.rules) >= 5
    assert lex.fallback.id == "context"
    assert all(r.color.startswith("#") for r in lex.rules)


def test_custom_lexicon_renames_and_recolours():
    lex = load_lexicon(
        "layers:\n  - {id: talks, title: Talks, color: '#000000', keywords: [meeting]}\n"
        "fallback: {id: rest, title: The rest, color: '#777777'}\n",
        "my.yaml",
    )
    chosen, layers = assign_layers([place("a", "A meeting."), place("b", "Nothing.")], lex)
    assert [(la.id, la.title, la.places) for la in layers] == [
        ("talks", "Talks", ["a"]),
        ("rest", "The rest", ["b"]),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("layers: nope", "my.yaml: expected a mapping with a non-empty 'layers' list"),
        (
            "layers: [{id: a, title: A, color: red}]",
            "my.yaml: layers[0].color: Value error, expected a hex colour",
        ),
        ("layers: [{id: a, keywords: 3}]", "my.yaml: layers[0].keywords: expected a list of words"),
        ("layers: [{id: a}, {id: a}]", "my.yaml: layers: duplicate id 'a'"),
        ("layers: [\n  - {", "my.yaml: line"),
    ],
)
def test_bad_lexicons_give_one_line_errors(text, message):
    with pytest.raises(InputError) as err:
        load_lexicon(text, "my.yaml")
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)
