"""Unit tests of storymap.render: the embedded story JSON, layers, popups, safety, determinism."""

from __future__ import annotations

import html as htmllib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storymap.errors import InputError
from storymap.model import Chapter, Layer, Place, PlaceMention, Story
from storymap.render import render_html
from storymap.render.assets import JSONPiece, html_json
from storymap.render.basemap import outlines
from storymap.render.mentions import Segment, link_chapter, link_story, mention_order
from storymap.render.views import INK, PAPER, contrast, mark_segments, mention_colors, text_color_on

# --------------------------------------------------------------------------- hand-built stories

LEAD = "President Donald Trump and Colombian President Gustavo Petro met at the White House on Tuesday."
TRAFFIC = "Petro named traffickers who operate from Dubai, Madrid, and Miami rather than only in Colombia."
STRIKES = "Strikes hit boats in the Caribbean Sea and eastern Pacific, killing at least 126 people."
INVITE = "Petro invited Trump to visit the Colombian resort city of Cartagena."
DUBAI_AGAIN = "Officials in Dubai declined to comment."


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def mention(text: str, sentence: str, section: str = "", at: int = 0) -> PlaceMention:
    i = sentence.index(text)
    return PlaceMention(start=at + i, end=at + i + len(text), text=text, sentence=sentence, section=section)


def realistic_story() -> Story:
    """Three layers, city points, a country polygon, two sea polygons and four chapters."""
    cn, ha = "Counternarcotics Cooperation", "Historical Alliance Under Strain"
    return Story(
        title="Trump and Petro meet at the White House",
        standfirst="A friendly meeting after weeks of hostile exchanges.",
        source="examples/us-colombia-white-house.txt",
        layers=[
            Layer(
                id="diplomacy",
                title="Diplomacy",
                color="#1f77b4",
                places=["washington", "cartagena", "colombia"],
            ),
            Layer(id="drugs", title="Drugs and crime", color="#d62728", places=["dubai", "madrid", "miami"]),
            Layer(id="strikes", title="Military strikes", color="#ff7f0e", places=["caribbean", "epacific"]),
        ],
        places=[
            Place(
                id="washington",
                name="Washington",
                kind="city",
                lat=38.9,
                lon=-77.04,
                country="US",
                layer="diplomacy",
                mentions=[mention("White House", LEAD)],
            ),
            Place(
                id="cartagena",
                name="Cartagena",
                kind="city",
                lat=10.39,
                lon=-75.51,
                country="CO",
                layer="diplomacy",
                confidence=0.4,
                mentions=[mention("Cartagena", INVITE, "Venezuela", 900)],
            ),
            Place(
                id="colombia",
                name="Colombia",
                kind="country",
                lat=4.6,
                lon=-74.1,
                country="CO",
                layer="diplomacy",
                geometry=square(-79, -4.2, -67, 12.4),
                mentions=[mention("Colombian", LEAD), mention("Colombia", TRAFFIC, cn, 400)],
            ),
            Place(
                id="dubai",
                name="Dubai",
                kind="city",
                lat=25.2,
                lon=55.27,
                country="AE",
                layer="drugs",
                mentions=[mention("Dubai", TRAFFIC, cn, 400), mention("Dubai", DUBAI_AGAIN, cn, 700)],
            ),
            Place(
                id="madrid",
                name="Madrid",
                kind="city",
                lat=40.42,
                lon=-3.7,
                country="ES",
                layer="drugs",
                mentions=[mention("Madrid", TRAFFIC, cn, 400)],
            ),
            Place(
                id="miami",
                name="Miami",
                kind="city",
                lat=25.77,
                lon=-80.19,
                country="US",
                layer="drugs",
                mentions=[mention("Miami", TRAFFIC, cn, 400)],
            ),
            Place(
                id="caribbean",
                name="Caribbean Sea",
                kind="water",
                lat=15,
                lon=-73,
                layer="strikes",
                geometry=square(-84, 10, -62, 20),
                mentions=[mention("Caribbean Sea", STRIKES, ha, 1500)],
            ),
            Place(
                id="epacific",
                name="Eastern Pacific",
                kind="water",
                lat=5,
                lon=-95,
                layer="strikes",
                geometry=square(-110, -5, -82, 15),
                mentions=[mention("eastern Pacific", STRIKES, ha, 1500)],
            ),
        ],
        chapters=[
            Chapter(id="lead", title="", text=[LEAD], places=["washington", "colombia"]),
            Chapter(
                id="counternarcotics",
                title=cn,
                text=[TRAFFIC, DUBAI_AGAIN],
                places=["dubai", "madrid", "miami"],
            ),
            Chapter(id="venezuela", title="Venezuela", text=[INVITE], places=["cartagena"]),
            Chapter(id="alliance", title=ha, text=[STRIKES], places=["caribbean", "epacific"]),
        ],
    )


HOSTILE = (
    "</script><script>alert(1)</script><img src=x onerror=alert(1)> `${alert(1)}` {{ 7*7 }} {% raw %}"
    " <a href='javascript:alert(1)'>x</a> \u2028\u2029 \u202eRTL\u202c zero\u200bwidth & <!-- \\"
)


def hostile_story() -> Story:
    """Every text field carries markup, template syntax, JS escapes and odd Unicode."""
    sentence = f"Troops massed near Evil{HOSTILE}Town today. {HOSTILE}"
    name = f"Evil{HOSTILE}Town"
    return Story(
        title=f"Title {HOSTILE}",
        standfirst=f"Standfirst {HOSTILE}",
        layers=[Layer(id="bad", title=f"Layer {HOSTILE}", color="#123456", places=["evil", "zone"])],
        places=[
            Place(
                id="evil",
                name=name,
                kind="city",
                lat=10,
                lon=20,
                country="X<Y",
                layer="bad",
                mentions=[mention(name, sentence, f"Section {HOSTILE}", 10)],
            ),
            Place(
                id="zone",
                name=f"Zone {HOSTILE}",
                kind="water",
                lat=0,
                lon=0,
                layer="bad",
                geometry=square(-5, -5, 5, 5),
                confidence=0.2,
                mentions=[mention("Troops", sentence, f"Section {HOSTILE}", 10)],
            ),
            Place(id="loose", name=f"Loose {HOSTILE}", kind="landmark", lat=-10, lon=-20),
        ],
        chapters=[Chapter(id="c1", title=f"Chapter {HOSTILE}", text=[sentence], places=["evil", "zone"])],
    )


def empty_story() -> Story:
    return Story(title="Nothing to see", standfirst="An article that names no place.")


# --------------------------------------------------------------------------- helpers


def json_block(page: str, block_id: str) -> str:
    match = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.S)
    assert match, f"no {block_id} block"
    return match.group(1)


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(realistic_story())


# --------------------------------------------------------------------------- the embedded story


def test_story_json_parses_back_equal_to_the_story(page):
    raw = json_block(page, "storymap-data")
    data = json.loads(raw)
    story = realistic_story()
    # Each area carries the outline the map draws: re-cut to the basemap's detailed coast near the
    # story's places (and shipped nowhere else); everything else is the story as it is.
    recut = outlines(story)
    assert recut, "the realistic story has a country near its cities"
    drawn = story.model_copy(
        update={
            "places": [p.model_copy(update={"geometry": recut.get(p.id, p.geometry)}) for p in story.places]
        }
    )
    assert data == drawn.model_dump(mode="json")
    assert Story.model_validate(data) == drawn
    assert "outlines" not in json.loads(json_block(page, "storymap-basemap"))
    assert list(data) == sorted(data)  # sorted keys
    assert [p["id"] for p in data["places"]] == [p.id for p in story.places]
    assert {"title", "layers", "places", "chapters"} <= set(data)
    assert set(data["places"][0]) >= {"id", "name", "kind", "lat", "lon", "geometry", "country", "layer"}


def test_hostile_story_json_round_trips_and_cannot_close_the_script():
    story = hostile_story()
    page = render_html(story)
    raw = json_block(page, "storymap-data")
    assert not re.search("[<>&'\u2028\u2029]", raw)
    assert json.loads(raw) == story.model_dump(mode="json")


def test_html_json_escapes_only_what_it_must():
    value = {"b": "</script>&'\u2028", "a": [1, 2.5, None]}
    text = str(html_json(value))
    assert text == '{"a":[1,2.5,null],"b":"\\u003c/script\\u003e\\u0026\\u0027\\u2028"}'
    assert json.loads(text) == value


_SHAPE = {"type": "Polygon", "coordinates": [[[0.5, 1.0], [2.0, -0.0], [1e-7, 3.25], [0.5, 1.0]]]}


@given(st.lists(st.text(), max_size=3), st.sampled_from(["plain", "\x00", "\x00piece:0", 'x"\x00piece:1']))
def test_json_pieces_are_written_as_their_values_would_be(words, odd):
    data = {"a": JSONPiece(str(html_json(_SHAPE))), "b": [odd, JSONPiece(str(html_json(["<b>", None])))]}
    filled = {"a": _SHAPE, "b": [odd, ["<b>", None]]}
    assert str(html_json({**data, "w": words})) == str(html_json({**filled, "w": words}))
    with pytest.raises(TypeError):
        html_json({"a": object()})


# --------------------------------------------------------------------------- layers, features, popups


def test_each_layer_is_a_feature_group_in_the_layer_control(page):
    groups = re.findall(r"var (feature_group_\d+) = L\.featureGroup", page)
    assert len(groups) == 3
    control = re.search(r"var (layer_control_\d+)_layers = \{(.*?)\};", page, re.S)
    assert control
    for group in groups:
        assert f": {group}," in control.group(2)
    labels = [
        json.loads(s) for s in re.findall(r'^\s*("(?:[^"\\]|\\.)*") : feature_group_', control.group(2), re.M)
    ]
    assert len(labels) == 3
    assert '<bdi class="sm-layer-title">Diplomacy</bdi>' in labels[0]
    assert "(3)" in labels[0] and "background-color:#1f77b4" in labels[0]
    assert "Military strikes</bdi>" in labels[2] and "(2)" in labels[2]


def test_points_are_circle_markers_and_areas_polygons(page):
    assert page.count("L.circleMarker(") == 5
    assert page.count("L.geoJson(null") == 3
    assert "fa-" not in page and "awesome" not in page.lower()


def test_popups_quote_the_sentence_with_the_mention_marked(page):
    dubai = re.search(r'<template id="sm-popup-dubai">(.*?)</template>', page, re.S).group(1)
    assert '<mark dir="auto">Dubai</mark>, Madrid, and Miami' in dubai
    assert 'Officials in <mark dir="auto">Dubai</mark> declined' in dubai
    assert "Mentioned 2 times" in dubai
    assert "Counternarcotics Cooperation" in dubai  # the section heading
    assert "Drugs and crime" in dubai  # the layer
    assert "sm-review" not in dubai
    cartagena = re.search(r'<template id="sm-popup-cartagena">(.*?)</template>', page, re.S).group(1)
    assert "Mentioned once" in cartagena and "low confidence (40%)" in cartagena
    colombia = re.search(r'<template id="sm-popup-colombia">(.*?)</template>', page, re.S).group(1)
    assert '<mark dir="auto">Colombian</mark> President' in colombia


def test_segments_mark_every_mention_without_overlap():
    segs = mark_segments("Dubai and Dubai Marina", ["Dubai", "Dubai Marina"])
    assert [(s["text"], s["mark"]) for s in segs] == [
        ("Dubai", True),
        (" and ", False),
        ("Dubai Marina", True),
    ]
    assert mark_segments("no match here", ["Paris"]) == [{"text": "no match here", "mark": False}]
    assert mark_segments("", ["x"]) == [{"text": "", "mark": False}]


def test_text_on_layer_colours_meets_wcag_aa():
    for color in (
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#ffff00",
        "#777777",
        "#000",
        "#fff",
    ):
        assert contrast(color, text_color_on(color)) >= 4.5, color
    assert text_color_on("#ff7f0e") == "#000000"
    assert text_color_on("#1f3a93") == "#ffffff"


def test_panel_navigation_places_list_and_legend(page):
    for title in ("Counternarcotics Cooperation", "Venezuela", "Historical Alliance Under Strain"):
        assert f">{title}</h2>" in page
    assert '<h2 class="sm-chapter-title" id="sm-chapter-1-title">Introduction</h2>' in page
    assert 'aria-live="polite"' in page
    assert 'class="sm-prev"' in page and 'class="sm-next"' in page
    assert "Places in this story (8)" in page
    assert page.count('class="sm-place-link" data-place=') >= 8
    legend = re.search(r'<details class="sm-legend".*?</details>', page, re.S).group(0)
    assert "Drugs and crime" in legend and "Sea, zone or region" in legend and "Needs checking" in legend


# --------------------------------------------------------------------------- mentions in the chapter text


def _place(pid: str, *forms: str, sentence: str = "Elsewhere.", layer: str = "") -> Place:
    mentions = [PlaceMention(start=i, end=i + len(f), text=f, sentence=sentence) for i, f in enumerate(forms)]
    return Place(id=pid, name=pid.title(), kind="city", lat=1, lon=2, layer=layer, mentions=mentions)


def _linked(text: str, *places: Place) -> list[tuple[str, str | None]]:
    chapter = Chapter(id="c", title="C", text=[text], places=[p.id for p in places])
    [segments] = link_chapter(chapter, {p.id: p for p in places})
    assert "".join(s.text for s in segments) == text  # nothing lost, nothing added
    return [(s.text, s.place) for s in segments if s.place]


def test_mentions_match_whole_words_only():
    us = _place("us", "US", "U.S.")
    assert _linked("The US, USA, Busan, U.S. and U.S.-backed US", us) == [
        ("US", "us"),
        ("U.S.", "us"),
        ("U.S.", "us"),
        ("US", "us"),
    ]
    assert _linked("us and US-Colombia talks", us) == [("US", "us")]  # case-sensitive; a hyphen is a boundary


def test_longest_mention_wins_and_runs_never_overlap():
    pacific = _place("pacific", "Pacific")
    ocean = _place("ocean", "eastern Pacific Ocean")
    assert _linked("In the eastern Pacific Ocean and the Pacific.", pacific, ocean) == [
        ("eastern Pacific Ocean", "ocean"),
        ("Pacific", "pacific"),
    ]
    assert _linked("the eastern\nPacific  Ocean", ocean) == [("eastern\nPacific  Ocean", "ocean")]
    dubai, marina = _place("dubai", "Dubai"), _place("marina", "Dubai Marina")
    assert _linked("Dubai Marina, Dubai", dubai, marina) == [("Dubai Marina", "marina"), ("Dubai", "dubai")]


def test_a_surface_form_belongs_to_one_place_per_chapter():
    text = "Troops entered Georgia on Monday."
    state = _place("georgia-us", "Georgia", "Georgia", "Georgia")  # more mentions, none here
    country = _place("georgia", "Georgia", sentence=text)  # its mention is in this chapter
    assert _linked(text, state, country) == [("Georgia", "georgia")]
    # Otherwise the place mentioned most by that form.
    assert _linked("Georgia.", state, _place("georgia", "Georgia")) == [("Georgia", "georgia-us")]
    first, second = _place("a", "Springfield"), _place("b", "Springfield")
    assert _linked("Springfield", second, first) == [("Springfield", "b")]  # then the chapter's order


def test_a_longer_name_of_a_place_from_elsewhere_hides_its_parts():
    georgia, avenue = _place("georgia", "Georgia"), _place("avenue", "Georgia Avenue")
    places = {"georgia": georgia, "avenue": avenue}
    chapter = Chapter(id="c", title="C", text=["Georgia Avenue is not in Georgia."], places=["georgia"])
    [segments] = link_chapter(chapter, places)
    assert [(s.text, s.place) for s in segments] == [
        ("Georgia Avenue is not in ", None),
        ("Georgia", "georgia"),
        (".", None),
    ]


def test_only_the_chapters_own_places_are_linked_and_odd_forms_are_safe():
    lagos, cairo = _place("lagos", "Lagos"), _place("cairo", "Cairo")
    chapter = Chapter(id="c", title="C", text=["Lagos and Cairo."], places=["lagos"])
    [segments] = link_chapter(chapter, {"lagos": lagos, "cairo": cairo})
    assert segments == [Segment("Lagos", "lagos"), Segment(" and Cairo.")]
    odd = _place("odd", "", "   ", "a+b (c)", "[x]*")
    assert _linked("a+b (c) and [x]* and ab c", odd) == [("a+b (c)", "odd"), ("[x]*", "odd")]
    assert _linked("", odd) == []


def test_every_mention_of_the_seed_story_is_linked_in_its_chapter(seed_story):
    linked = link_story(seed_story)
    total = 0
    for chapter, paragraphs in zip(seed_story.chapters, linked, strict=True):
        for place in seed_story.places:
            expected = sum(any(m.sentence in t for t in chapter.text) for m in place.mentions)
            got = sum(s.place == place.id for para in paragraphs for s in para)
            assert got >= expected, (chapter.id, place.id, expected, got)
            total += got
    in_chapters = sum(
        any(m.sentence in t for c in seed_story.chapters for t in c.text)
        for p in seed_story.places
        for m in p.mentions
    )
    assert in_chapters > 30 and total >= in_chapters  # (the rest are in the title and standfirst)


def test_mention_order_is_the_order_of_first_mention():
    story = realistic_story()
    assert mention_order(story) == [
        "colombia",
        "washington",
        "dubai",
        "madrid",
        "miami",
        "cartagena",
        "caribbean",
        "epacific",
    ]
    hostile = hostile_story()
    assert mention_order(hostile)[-1] == "loose"  # never mentioned: last


def test_mentions_render_as_focusable_controls_in_the_chapter_text(page):
    chapter = re.search(r'<section class="sm-chapter" data-chapter="2".*?</section>', page, re.S).group(0)
    control = (
        r'<span class="sm-mention sm-hl-(\d)" data-place="([a-z]+)">([^<]*)</span>'  # buttons once JS runs
    )
    spans = re.findall(control, chapter)
    assert [(p, t) for _, p, t in spans] == [
        ("dubai", "Dubai"),
        ("madrid", "Madrid"),
        ("miami", "Miami"),
        ("dubai", "Dubai"),
    ]
    assert {hl for hl, _, _ in spans} == {"1"}  # the drugs layer's colours
    assert "who operate from <span" in chapter
    config = json.loads(json_block(page, "storymap-config"))
    assert config["mention_order"][:2] == ["colombia", "washington"]
    assert re.search(r"\.sm-hl-1\{--sm-hl:#[0-9a-f]{6};--sm-hl-line:#d62728;--sm-hl-on:#d62728;", page)


class _ChapterText(HTMLParser):
    """The text of each chapter paragraph, and the (place, text) of each mention control in it."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self.controls: list[tuple[str, str]] = []
        self._in_p = False
        self._control: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p" and attrs == {}:
            self._in_p = True
            self.paragraphs.append("")
        elif tag == "span" and self._in_p and "sm-mention" in (attrs.get("class") or ""):
            self._control = attrs["data-place"]
            self.controls.append((self._control, ""))

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_p = False
        elif tag == "span":
            self._control = None

    def handle_data(self, data):
        if self._in_p:
            self.paragraphs[-1] += data
            if self._control:
                place, text = self.controls[-1]
                self.controls[-1] = (place, text + data)


def test_chapter_text_reads_exactly_as_the_article_with_its_mentions_as_controls(seed_story):
    parser = _ChapterText()
    parser.feed(render_html(seed_story))
    assert parser.paragraphs == [t for c in seed_story.chapters for t in c.text]
    forms = {p.id: {m.text for m in p.mentions} for p in seed_story.places}
    assert len(parser.controls) > 30
    assert all(text in forms[place] for place, text in parser.controls)


WORDS = st.sampled_from(
    ["Lagos", "Lagos State", "Abuja", "U.S.", "US", "a", "<b>", "{{ x }}", " ", ", ", "\n"]
)


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(WORDS, max_size=25), forms=st.lists(WORDS, min_size=1, max_size=4))
def test_linking_any_text_keeps_it_whole_and_links_only_whole_known_forms(parts, forms):
    text = "".join(parts)
    places = [_place(f"p{i}", form) for i, form in enumerate(forms)]
    chapter = Chapter(id="c", title="C", text=[text], places=[p.id for p in places])
    [segments] = link_chapter(chapter, {p.id: p for p in places})
    assert "".join(s.text for s in segments) == text
    known = {" ".join(f.split()) for f in forms if f.strip()}
    pos = 0
    for seg in segments:
        if seg.place:
            assert " ".join(seg.text.split()) in known
            before, after = text[pos - 1 : pos], text[pos + len(seg.text) : pos + len(seg.text) + 1]
            assert not (seg.text[0].isalnum() and before.isalnum())  # whole words only
            assert not (seg.text[-1].isalnum() and after.isalnum())
        pos += len(seg.text)


@pytest.mark.parametrize(
    "color", ["#1f77b4", "#ff7f0e", "#ffff00", "#2ca02c", "#123456", "#eeeeee", "#000000"]
)
def test_mention_highlights_keep_aa_contrast(color):
    c = mention_colors(color)
    assert contrast(INK, c["bg"]) >= 4.5  # the text on its tint
    assert contrast(c["on_ink"], c["on"]) >= 4.5  # the emphasised state
    assert contrast(c["line"], PAPER) >= 3  # the underline stands out from the panel


# --------------------------------------------------------------------------- self-contained, deterministic


CDN_HINTS = ("cdn.", "jsdelivr", "cdnjs", "unpkg", "code.jquery", "bootstrap", "fontawesome", "googleapis")
ALLOWED_URLS = {
    "https://leafletjs.com",
    "http://www.w3.org/2000/svg",
    "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",
}


def test_offline_page_links_no_cdn_and_inlines_leaflet(page):
    lowered = page.lower()
    for hint in CDN_HINTS:
        assert hint not in lowered, hint
    assert set(re.findall(r"https?://[^\s\"'<>)\\]+", page)) <= ALLOWED_URLS
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=", page)
    assert "L.version" in page or 'version="1.9' in page or "1.9.3" in page
    assert "url(images/" not in page
    assert "L.tileLayer" not in page


def test_typical_map_size(page):
    size = len(page.encode("utf-8"))
    assert 100_000 < size < 500_000, size


def test_same_story_gives_identical_bytes():
    first = render_html(realistic_story())
    second = render_html(realistic_story())
    assert first == second
    assert not re.search(r"_[0-9a-f]{32}\b", first)  # no random branca ids left
    assert render_html(hostile_story(), embed=True) == render_html(hostile_story(), embed=True)


# --------------------------------------------------------------------------- hostile text


def _outside_json(page: str) -> str:
    return re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", page, flags=re.S)


def test_hostile_text_is_never_markup_nor_code():
    page = render_html(hostile_story())
    rest = _outside_json(page)
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "href='javascript:" not in page and 'href="javascript:' not in page
    assert rest.count("<script") == 2  # Leaflet in the head, the map script at the end
    # Shown literally in the page (escaped HTML) ...
    assert (
        "Title &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    )
    # ... and never evaluated by a template engine on the way.
    assert "{{ 7*7 }}" in htmllib.unescape(rest) and "{% raw %}" in htmllib.unescape(rest)
    # The mention of the hostile place in the chapter text is a control holding escaped text only.
    control = re.search(r'<span class="sm-mention[^"]*" data-place="evil">(.*?)</span>', page)
    assert control and htmllib.unescape(control.group(1)) == hostile_story().places[0].name
    assert "<" not in control.group(1) and ">" not in control.group(1)
    assert ">49<" not in page
    # In the map script, article text occurs only inside the layer-label JSON string literals.
    script = rest[rest.rindex("<script>") :]
    lines = [line for line in script.splitlines() if "alert(1)" in line]
    assert len(lines) == 1
    literal = re.fullmatch(r'\s*("(?:[^"\\]|\\.)*") : feature_group_\d+,', lines[0])
    assert literal, lines[0]
    assert "Layer &lt;/script&gt;" in json.loads(literal.group(1))


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, name=TEXT, sentence=TEXT, section=TEXT, layer_title=TEXT, para=TEXT)
def test_any_text_renders_and_round_trips(title, name, sentence, section, layer_title, para):
    quote = PlaceMention(start=0, end=len(name), text=name, sentence=sentence, section=section)
    story = Story(
        title=title,
        layers=[Layer(id="l", title=layer_title, places=["p"])],
        places=[
            Place(
                id="p", name=name, kind="city", lat=1, lon=2, layer="l",
                mentions=[quote],
            )
        ],
        chapters=[Chapter(id="c", title=section, text=[para], places=["p"])],
    )  # fmt: skip
    page = render_html(story)
    raw = json_block(page, "storymap-data")
    assert json.loads(raw) == story.model_dump(mode="json")
    assert _outside_json(page).count("<script") == 2
    assert page.count("</script>") == 5


# --------------------------------------------------------------------------- options


def test_empty_story_renders_a_map_that_says_so():
    page = render_html(empty_story())
    assert "No places were found in this story" in page
    data = json.loads(json_block(page, "storymap-data"))
    assert data["places"] == [] and data["title"] == "Nothing to see"
    assert "L.map(" in page


def test_places_without_a_layer_get_their_own_group():
    page = render_html(hostile_story())
    config = json.loads(json_block(page, "storymap-config"))
    assert config["layer_order"] == ["bad", "_other"]
    assert config["place_layer"]["loose"] == "_other"


def test_online_tiles_by_provider_name_or_url():
    osm = render_html(realistic_story(), tiles="OpenStreetMap")
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in osm and "OpenStreetMap" in osm
    custom = render_html(realistic_story(), tiles="https://tiles.example.org/{z}/{x}/{y}.png")
    assert "tiles.example.org" in custom
    with pytest.raises(InputError, match="--tiles.*unknown tile provider 'NoSuchTiles'"):
        render_html(realistic_story(), tiles="NoSuchTiles")
    with pytest.raises(InputError, match="--tiles"):
        render_html(realistic_story(), tiles="https://tiles.example.org/no-placeholders.png")


def test_embed_layout_is_compact():
    page = render_html(realistic_story(), embed=True)
    assert '<body class="sm-embed">' in page
    assert "sm-panel-compact" in page
    assert json.loads(json_block(page, "storymap-config"))["embed"] is True
    assert '<body class="sm-page">' in render_html(realistic_story())


def test_every_runtime_config_field_is_documented_and_the_runtime_reads_no_other():
    from storymap.render.assets import RUNTIME_MODULES, runtime_js
    from storymap.render.config import RuntimeConfig

    doc = (Path(__file__).parent.parent / "docs" / "runtime-config.md").read_text(encoding="utf-8")
    js = runtime_js()
    for field in RuntimeConfig.model_fields:
        assert f"| `{field}` |" in doc, field
    read = set(re.findall(r"\bcfg\.(\w+)", js))
    assert read and read <= set(RuntimeConfig.model_fields)
    for name in RUNTIME_MODULES:
        assert f"function {name}(sm" in js or f"function {name}(refs" in js
    # Leaflet's public API only: no underscored members (control._layers and the like).
    assert not re.search(r"\.\s*_[A-Za-z]", js)


def test_a_template_cache_that_cannot_be_written_or_read_is_no_cache(tmp_path):
    import jinja2

    from storymap.render import assets

    def env(folder):
        return jinja2.Environment(
            loader=jinja2.DictLoader({"t.j2": "{{ x }}!"}), bytecode_cache=assets._TemplateCache(str(folder))
        )

    gone = tmp_path / "gone"  # no such folder: every load and dump fails
    assert env(gone).get_template("t.j2").render(x=1) == "1!"
    kept = tmp_path / "kept"
    kept.mkdir()
    assert env(kept).get_template("t.j2").render(x=2) == "2!"
    assert len(list(kept.iterdir())) == 1  # compiled once, kept
    assert env(kept).get_template("t.j2").render(x=3) == "3!"


def test_recent_forgets_the_oldest_entry_first():
    from storymap.recent import Recent, digest

    recent: Recent[str, int] = Recent(2)
    assert recent.put("a", 1) == 1
    recent.put("b", 2)
    recent.put("c", 3)
    assert list(recent.items()) == [("b", 2), ("c", 3)]
    assert digest({"x": [1.0, 2.0]}) == digest({"x": [1.0, 2.0]}) != digest({"x": [1.0, 2.5]})


def test_a_digest_is_taken_once_per_object_while_remembered():
    import hashlib
    import pickle

    from storymap.recent import digest, remembered

    def plain(value):
        return hashlib.sha1(pickle.dumps(value, protocol=5)).digest()

    shape = {"type": "Point", "coordinates": [1.0, 2.0]}
    with remembered():
        first = digest(shape)
        shape["coordinates"][0] = 3.0  # only to show the memory: a render changes nothing
        assert digest(shape) == first == plain({"type": "Point", "coordinates": [1.0, 2.0]})
        assert digest(dict(shape)) == plain(shape)  # another object: its own digest
        with remembered():
            assert digest(shape) == first
    assert digest(shape) == plain(shape) != first  # forgotten once the outer one ends


def test_assets_that_would_end_their_element_early_are_refused_every_time():
    from storymap.render.elements import PageHead

    for _ in range(2):  # checked once per text, refused every time
        with pytest.raises(ValueError, match="leaflet_js contains '</script'"):
            PageHead("t", "d", leaflet_js="a</SCRIPT>b", leaflet_css="", css="")
        with pytest.raises(ValueError, match="leaflet_css contains '</style'"):
            PageHead("t", "d", leaflet_js="", leaflet_css="x</Style ", css="")
    head = PageHead("t", "d", leaflet_js="L=1", leaflet_css="p{}", css="<b>")
    assert (head.leaflet_js, head.leaflet_css, head.storymap_css) == ("L=1", "p{}", "<b>")
    assert all(hasattr(x, "__html__") for x in (head.leaflet_js, head.leaflet_css, head.storymap_css))


def test_a_template_is_loaded_once_per_process():
    from storymap.render.assets import environment

    env = environment()
    assert env.get_template("popup.html.j2") is env.get_template("popup.html.j2")
    assert not env.auto_reload
