import pytest

from storymap.errors import InputError
from storymap.layers import assign_layers, choose_layer, default_lexicon, load_lexicon, parse_lexicon
from storymap.model import Place, PlaceMention


def place(pid: str, *sentences: str, kind: str = "city", name: str | None = None) -> Place:
    name = name or pid
    return Place(
        id=pid,
        name=name,
        kind=kind,
        lat=0,
        lon=0,
        mentions=[PlaceMention(start=0, end=1, text=name, sentence=s) for s in sentences],
    )


STRIKES = "Military strikes targeting boats killed 126 people in 36 known strikes."
TRAFFICKERS = "He named drug traffickers who operate from this city."
MEETING = "The leaders held a friendly meeting and discussed relations at the summit."
ARTICLE = " ".join(
    [
        STRIKES,
        TRAFFICKERS,
        MEETING,
        "The navy said more warships would deploy.",
        "Drug cartels and cocaine smugglers were the target.",
        "The president said the talks on the treaty went well.",
        "Troops and missile boats patrol the coast.",
        "Police arrested two traffickers.",
        "The ambassador praised the bilateral agreement.",
        "It is a lovely afternoon.",
    ]
)


def test_places_go_to_the_theme_with_most_keyword_hits():
    places = [
        place("zone", STRIKES, kind="water"),
        place("hub", TRAFFICKERS),
        place("capital", MEETING),
        place("nowhere", "It is a lovely afternoon."),
        place("land", "It is a lovely afternoon.", kind="country"),
    ]
    chosen, layers = assign_layers(places, text=ARTICLE)
    assert {p.id: p.layer for p in chosen} == {
        "zone": "military",
        "hub": "crime",
        "capital": "diplomacy",
        "nowhere": "cities",
        "land": "countries",
    }
    # only non-empty layers: themes in lexicon order, then kinds; no "Other places"
    assert [layer.id for layer in layers] == ["military", "crime", "diplomacy", "cities", "countries"]
    assert layers[0].places == ["zone"]
    assert layers[-1].title == "Countries and regions"


def test_stems_match_endings_not_other_words():
    lex = parse_lexicon(
        {"layers": [{"id": "x", "title": "X", "color": "#123456", "keywords": ["traffick*", "war", "bomb*"]}]}
    )
    rule = lex.rules[0]
    assert rule.hits("Traffickers and trafficking, a war.") == 3
    assert rule.hits("A software award; a warden; wartime.") == 0
    assert rule.hits("Bombings, a bomber and bombs.") == 3
    assert rule.hits("The Bombay exchange; a bombastic speech.") == 0


def test_port_stems_never_match_portland():
    rule = parse_lexicon({"layers": [{"id": "t", "keywords": ["port*", "export*"]}]}).rules[0]
    assert rule.hits("Ports, a port and exporters.") == 3
    assert rule.hits("Portland, Portugal, Portsmouth, a portfolio, a portrait.") == 0


def test_spaced_keywords_match_spaces_and_hyphens():
    rule = parse_lexicon({"layers": [{"id": "m", "keywords": ["air strike*"]}]}).rules[0]
    assert rule.hits("An air strike, two air-strikes and an air\nstrike.") == 3
    assert rule.hits("The airstrip was on strike.") == 0


def test_a_keyword_never_matches_inside_a_place_name():
    text = "Port Moresby reopened its port. Storm Lake was calm. The port of Port Moresby is busy."
    places = [
        place(
            "moresby",
            "Port Moresby reopened its port.",
            "The port of Port Moresby is busy.",
            name="Port Moresby",
        ),
        place("storm-lake", "Storm Lake was calm.", name="Storm Lake"),
    ]
    lex = load_lexicon(
        "layers:\n  - {id: sea, keywords: [port, storm]}\n"
        "kinds: [{id: towns, title: Towns, kinds: [city]}]\n",
        "my.yaml",
    )
    chosen, _ = assign_layers(places, lex, text=text + " A storm. A port.")
    assert {p.id: p.layer for p in chosen} == {"moresby": "sea", "storm-lake": "towns"}


def test_except_phrases_do_not_count():
    military = next(r for r in default_lexicon().rules if r.id == "military")
    assert military.hits("He died of a heart attack after a price war and a legal battle.") == 0
    assert military.hits("The attack began after the battle.") == 2
    trade = next(r for r in default_lexicon().rules if r.id == "trade")
    assert trade.hits("A trade war.") == 1  # "trade war" is not war, but it is trade


def test_set_phrases_count_once_for_their_own_layer():
    rules = {r.id: r for r in default_lexicon().rules}
    sentence = "The war on drugs moved south."
    assert rules["military"].hits(sentence) == 0
    assert rules["crime"].hits(sentence) == 1  # the phrase, not also "drugs" inside it
    assert rules["crime"].hits("Drug-smuggling boats; counternarcotics; anti-narcotics police.") == 5


def test_sport_words_in_a_sentence_mute_military():
    places = [
        place("a", "The visitors' attack battled hard but the striker scored twice in the league match."),
        place("b", "Artillery strikes and troops attacked the town."),
    ]
    text = " ".join(p.mentions[0].sentence for p in places) + " Troops. Missiles. Soldiers."
    chosen, _ = assign_layers(places, text=text)
    assert [p.layer for p in chosen] == ["cities", "military"]


def test_medicine_words_mute_crime():
    places = [
        place("a", "The hospital said drug prices for cancer patients doubled, and the new drugs help."),
        place("b", "Police seized drugs and arrested two traffickers."),
    ]
    text = " ".join(p.mentions[0].sentence for p in places) + " Cocaine. Heroin. A cartel."
    chosen, _ = assign_layers(places, text=text)
    assert [p.layer for p in chosen] == ["cities", "crime"]


def test_a_sports_report_mutes_military_everywhere():
    sentences = [
        "Australia's pace attack tore through India in Adelaide.",
        "The battle for the series goes on in Brisbane, where India must fight back.",
        "India's batting collapsed and the wickets fell quickly.",
        "The captain praised his bowlers after the innings.",
    ]
    places = [
        place("adelaide", sentences[0]),
        place("brisbane", sentences[1]),
        place("india", *sentences[:3]),
    ]
    chosen, layers = assign_layers(places, text=" ".join(sentences))
    assert {layer.id for layer in layers} == {"cities"}


def test_one_incidental_word_makes_no_theme():
    sentences = [
        "The Romans named the planet after their god of war, Ares.",
        "The probe reached the planet after a long flight from Cape Canaveral.",
        "Scientists in Pasadena cheered when the first pictures arrived.",
    ]
    places = [place("ares", sentences[0]), place("cape", sentences[1]), place("pasadena", sentences[2])]
    chosen, layers = assign_layers(places, text=" ".join(sentences))
    assert [layer.id for layer in layers] == ["cities"]


def test_a_theme_needs_support_in_the_article():
    # two hits in the place's own sentence, but the rest of the article never speaks of war
    sentence = "The museum in Verdun keeps old weapons from the war."
    others = ["The museum opened in 1920.", "It has a café and a garden.", "Tickets cost ten euros."]
    chosen, layers = assign_layers([place("verdun", sentence)], text=" ".join([sentence, *others]))
    assert chosen[0].layer == "cities"
    war = [sentence, "The war lasted four years.", "Troops fought for months.", *others]
    chosen, _ = assign_layers([place("verdun", sentence)], text=" ".join(war))
    assert chosen[0].layer == "military"


def test_ties_go_to_the_theme_the_article_speaks_of_more():
    sentence = "Police arrested the driver after the crash and the blaze."  # crime 2, disaster 2
    crash = [sentence, "The crash closed the road.", "Rescue teams found survivors.", "A fire spread."]
    chosen, _ = assign_layers([place("x", sentence)], text=" ".join([*crash, "Police said so."]))
    assert chosen[0].layer == "environment"
    one = "A parasite attack hit the farm; an arrest followed."  # one hit each: no clear theme
    chosen, _ = assign_layers([place("y", one)], text=one)
    assert chosen[0].layer == "cities"


def test_choose_layer_judges_one_place_alone():
    lex = default_lexicon()
    assert choose_layer(place("hub", TRAFFICKERS), lex).id == "crime"
    assert choose_layer(place("sea", "A calm day.", kind="water"), lex).id == "waters"


def test_default_lexicon_is_data_with_valid_colours():
    lex = default_lexicon()
    assert len(lex.rules) >= 5
    assert lex.fallback.id == "context"
    assert all(r.color.startswith("#") for r in lex.rules)


def test_the_shipped_lexicon_is_read_from_its_current_json_twin():
    """``layers.json`` (what the program reads) is what ``geodata/build_lexicon.py`` makes of
    ``layers.yaml`` today, and gives the lexicon the YAML gives."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("build_lexicon", root / "geodata" / "build_lexicon.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    yaml_text = (root / "storymap" / "data" / "layers.yaml").read_text(encoding="utf-8")
    twin = (root / "storymap" / "data" / "layers.json").read_text(encoding="utf-8")
    assert builder.build(yaml_text) == twin, "run python geodata/build_lexicon.py"
    assert default_lexicon() == load_lexicon(yaml_text, "layers.yaml")


def test_custom_lexicon_renames_and_recolours():
    lex = load_lexicon(
        "layers:\n  - {id: talks, title: Talks, color: '#000000', keywords: [meeting, summit]}\n"
        "fallback: {id: rest, title: The rest, color: '#777777'}\n",
        "my.yaml",
    )
    text = "A meeting at the summit. Another meeting. The summit ended. Nothing."
    chosen, layers = assign_layers(
        [place("a", "A meeting at the summit."), place("b", "Nothing.")], lex, text
    )
    # without kind layers, places no theme takes go to the lexicon's fallback layer
    assert [(la.id, la.title, la.color, la.places) for la in layers] == [
        ("talks", "Talks", "#000000", ["a"]),
        ("rest", "The rest", "#777777", ["b"]),
    ]


def test_custom_lexicon_with_kinds_and_senses():
    lex = load_lexicon(
        "layers:\n  - {id: fights, title: Fights, keywords: [attack, battle]}\n"
        "senses:\n  - {id: chess, words: [chess, checkmate], mutes: [fights]}\n"
        "kinds:\n  - {id: places, title: Places, color: '#111111', kinds: [city, country]}\n",
        "my.yaml",
    )
    assert [r.kinds for r in lex.kinds] == [("city", "country")]
    board = "The attack and the battle on the chess board ended in checkmate."
    war = "The attack and the battle destroyed the town."
    text = f"{board} {war} An attack. A battle."
    chosen, layers = assign_layers([place("a", board), place("b", war, kind="country")], lex, text)
    assert [(la.id, la.places) for la in layers] == [("fights", ["b"]), ("places", ["a"])]


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
        (
            "layers: [{id: a}]\nkinds: [{id: k, kinds: [town]}]",
            "my.yaml: kinds[0].kinds: expected a list of city",
        ),
        ("layers: [{id: a}]\nkinds: {id: k}", "my.yaml: kinds: expected a list, got dict"),
        (
            "layers: [{id: a}]\nsenses: [{id: s, words: [x], mutes: [b]}]",
            "my.yaml: senses[0].mutes: expected",
        ),
        (
            "layers: [{id: a}]\nsenses: [{id: s, words: [x], mutes: [[a]]}]",
            "my.yaml: senses[0].mutes: expected",
        ),
        ("layers: [{id: a}]\nsenses: [{words: [x], mutes: [a]}]", "my.yaml: senses[0]: expected a mapping"),
        ("layers: [{id: a, except: [3]}]", "my.yaml: layers[0].except: expected a list of words"),
        ("layers: [{id: a}]\nkinds: [{id: a, kinds: [city]}]", "my.yaml: layers: duplicate id 'a'"),
    ],
)
def test_bad_lexicons_give_one_line_errors(text, message):
    with pytest.raises(InputError) as err:
        load_lexicon(text, "my.yaml")
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)
