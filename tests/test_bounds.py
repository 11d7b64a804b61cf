"""Bounded resources: each sentence stored once, the caps that cut (with a warning), standard input.

Speed and memory figures live in ``bench/hostile.py``; these tests pin the behaviour that keeps
them bounded: a sentence that names places many times is written once, caps say what they cut,
and standard input never hangs.
"""

from __future__ import annotations

import json
import os
import re
import sys

import pytest
import yaml

from storymap import chapters, files, pipeline, places
from storymap.errors import InputError
from storymap.model import Chapter, Layer, Place, PlaceMention, Story
from storymap.render import mentions as render_mentions
from storymap.render import render_html
from storymap.storyfile import dump_story, load_story
from tests.factories import article, mention

SHARED = "Officials from Paris and Berlin met in Paris, then Berlin hosted Paris again."
OTHER = "Later Berlin said no."


def json_block(page: str, block_id: str) -> dict:
    block = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', page, re.S)
    assert block, block_id
    return json.loads(block.group(1))


def shared_story() -> Story:
    """Two places quoted by one sentence (five mentions between them), Berlin by one more."""

    sec = "Talks"

    def quotes(name: str, sentence: str, base: int) -> list[PlaceMention]:
        return [
            PlaceMention(
                start=base + m.start(), end=base + m.end(), text=name, sentence=sentence, section="Talks"
            )
            for m in re.finditer(name, sentence)
        ]

    later = len(SHARED) + 1
    return Story(
        title="Talks",
        layers=[Layer(id="news", title="News", places=["paris", "berlin"])],
        places=[
            Place(id="paris", name="Paris", kind="city", lat=48.9, lon=2.35, layer="news",
                  mentions=quotes("Paris", SHARED, 0)),
            Place(id="berlin", name="Berlin", kind="city", lat=52.5, lon=13.4, layer="news",
                  mentions=quotes("Berlin", SHARED, 0) + quotes("Berlin", OTHER, later)),
        ],
        chapters=[Chapter(id="talks", title=sec, text=[SHARED + " " + OTHER], places=["paris", "berlin"])],
    )  # fmt: skip


# --------------------------------------------------------------------------- the sentence table


def test_a_stored_story_keeps_each_sentence_once_and_mentions_name_it_by_index():
    story = shared_story()
    data = story.model_dump(mode="json")
    assert data["sentences"] == [{"text": SHARED, "section": "Talks"}, {"text": OTHER, "section": "Talks"}]
    paris, berlin = data["places"]
    assert [m["sentence"] for m in paris["mentions"]] == [0, 0, 0]
    assert [m["sentence"] for m in berlin["mentions"]] == [0, 0, 1]
    assert all(set(m) == {"start", "end", "text", "sentence"} for p in data["places"] for m in p["mentions"])
    # offsets and the quoted text come back as they were
    back = Story.model_validate(data)
    assert back == story
    assert back.place("berlin").mentions[2].sentence == OTHER
    assert back.place("paris").mentions[1].section == "Talks"


def test_the_page_stores_a_sentence_mentioned_many_times_once():
    story = shared_story()
    page = render_html(story, still=False)
    data = json_block(page, "storymap-data")
    assert data == story.model_dump(mode="json")
    raw = re.search(r'id="storymap-data">(.*?)</script>', page, re.S).group(1)
    # five mentions, one copy of their sentence (the other is the chapter's own text)
    assert raw.count("Officials from Paris") == 2
    assert json.dumps([data["places"], data["sentences"]]).count("Officials from Paris") == 1
    assert len(data["sentences"]) == 2


def test_the_table_is_in_article_order_whatever_the_place_order():
    story = shared_story()
    swapped = story.model_copy(update={"places": story.places[::-1]})
    assert swapped.model_dump()["sentences"][0]["text"] == SHARED


def test_a_sentence_mentioned_fifty_times_is_one_string_in_memory_and_one_entry_on_disk():
    body = "Paris and " * 50 + "Rome."  # one sentence, 50 mentions
    art = article(("", body))
    found = [mention(art.text, "Paris", occurrence=i) for i in range(50)]
    (paris,) = places.group_places(art, found)
    assert len(paris.mentions) == 50
    assert len({id(m.sentence) for m in paris.mentions}) == 1
    story = Story(title="T", places=[paris])
    assert len(story.model_dump()["sentences"]) == 1


def test_mentions_of_a_long_sentence_share_its_pieces():
    body = " ".join(f"Paris word{i}" for i in range(120)) + "."  # one sentence over MAX_QUOTE
    art = article(("", body))
    found = [mention(art.text, "Paris", occurrence=i) for i in range(120)]
    (paris,) = places.group_places(art, found)
    quotes = {m.sentence for m in paris.mentions}
    assert all(len(q) <= places.MAX_QUOTE for q in quotes)
    assert len(quotes) <= len(body) // (places.MAX_QUOTE // 2) + 2  # a few pieces, not 120 windows
    for m in paris.mentions:
        assert art.text[m.start : m.end] == "Paris" and m.sentence in body
        assert "Paris" in m.sentence


def test_the_story_file_lists_sentences_once_and_reads_back_equal():
    story = shared_story()
    text = dump_story(story, "s.yaml")
    places_part, sentences_part = text.split("\nsentences:\n")
    assert "Officials from Paris" not in places_part.split("\nchapters:\n")[0]
    assert sentences_part.count("Officials from Paris") == 1
    assert "# 0\n- text: Officials from Paris" in text
    data = yaml.safe_load(text)
    assert data["places"][0]["mentions"][0]["sentence"] == 0
    assert load_story(text, "s.yaml") == story


def test_a_story_file_with_sentences_in_its_mentions_still_loads():
    old = {
        "title": "Old",
        "places": [
            {
                "id": "paris", "name": "Paris", "kind": "city", "lat": 48.9, "lon": 2.35,
                "mentions": [{"text": "Paris", "start": 9, "end": 14, "section": "Lead",
                              "sentence": "Talks in Paris."}],
            }
        ],
    }  # fmt: skip
    story = load_story(yaml.safe_dump(old), "old.yaml")
    (m,) = story.place("paris").mentions
    assert (m.sentence, m.section, m.start, m.end) == ("Talks in Paris.", "Lead", 9, 14)
    assert story.model_dump()["sentences"] == [{"text": "Talks in Paris.", "section": "Lead"}]


@pytest.mark.parametrize(
    ("sentences", "index", "expected"),
    [
        ([{"text": "A."}], 3, r"^s\.yaml: line L: places\[0\]\.mentions\[0\]\.sentence: no sentence 3 "),
        (None, 0, r"^s\.yaml: line L: places\[0\]\.mentions\[0\]\.sentence: no sentence 0 .*no sentences"),
        ([{"text": 5}], 0, r"^s\.yaml: line \d+: sentences\[0\]\.text: expected text"),
        ([{"text": "A.", "page": 2}], 0, r"^s\.yaml: line \d+: sentences\[0\]\.page: unknown field"),
    ],
)
def test_a_bad_sentence_table_is_one_line_with_the_line_number(sentences, index, expected):
    data = {
        "title": "T",
        "places": [
            {"id": "p", "name": "P", "kind": "city", "lat": 1, "lon": 2,
             "mentions": [{"text": "P", "start": 0, "end": 1, "sentence": index}]},
        ],
    }  # fmt: skip
    if sentences is not None:
        data["sentences"] = sentences
    text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False)
    line = text.splitlines().index(f"    sentence: {index}") + 1
    expected = expected.replace("line L", f"line {line}")
    with pytest.raises(InputError, match=expected) as caught:
        load_story(text, "s.yaml")
    assert "\n" not in str(caught.value)


@pytest.mark.browser
def test_a_sentence_shared_by_two_places_is_quoted_in_both_popups_and_from_the_text(session, tmp_path):
    # through the stored form: story file (sentence table) -> story -> page (sentence table)
    story = load_story(dump_story(shared_story(), "s.yaml"), "s.yaml")
    path = tmp_path / "shared.html"
    path.write_text(render_html(story), encoding="utf-8")
    session.open(path, "#chapter=1")
    page = session.page
    mentions = page.locator("#sm-chapter-1 .sm-mention")
    assert mentions.count() == 6  # three of Paris, three of Berlin
    page.locator('#sm-chapter-1 .sm-mention[data-place="paris"]').first.click()
    assert session.popup_title() == "Paris"
    popup = page.locator(".leaflet-popup-content")
    quotes = popup.locator("blockquote")
    assert quotes.count() == 1 and quotes.inner_text() == SHARED
    assert popup.locator("mark").all_inner_texts() == ["Paris"] * 3
    assert "Mentioned 3 times" in popup.inner_text()
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('.leaflet-popup')")
    session.settle()
    page.locator('#sm-chapter-1 .sm-mention[data-place="berlin"]').last.click()
    assert session.popup_title() == "Berlin"
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("blockquote").all_inner_texts() == [SHARED, OTHER]
    assert popup.locator("mark").all_inner_texts() == ["Berlin"] * 3
    assert popup.locator("figcaption").all_inner_texts() == ["Talks", "Talks"]


# --------------------------------------------------------------------------- caps that cut, and say so


def test_links_in_the_chapter_text_stop_at_the_cap_and_the_rest_stays_text():
    story = shared_story()
    linker = render_mentions.Linker(story.places, limit=2)
    (para,) = linker.chapter(story.chapters[0])
    linked = [s.place for s in para if s.place]
    assert linked == ["paris", "berlin", "paris", "berlin"]  # two each, then plain text
    assert "".join(s.text for s in para) == story.chapters[0].text[0]


def test_the_panel_of_a_name_repeated_many_times_has_capped_links(tmp_path):
    text = "Paris " * 5000
    result = pipeline.build(_article(tmp_path, text), tmp_path / "out.html", still=False)
    page = result.path.read_text(encoding="utf-8")
    assert page.count('class="sm-mention ') == render_mentions.MAX_LINKS_PER_PLACE
    assert "Paris: 5,000 mentions, the map quotes and links the first 200" in " ".join(result.warnings)


def test_chapter_text_over_the_cap_is_cut_with_a_warning(monkeypatch):
    monkeypatch.setattr(chapters, "MAX_TEXT", 40)
    notes: list[str] = []
    long = [
        Chapter(id="a", title="A", text=["Talks in Paris went on.", "Berlin answered at length today."]),
        Chapter(id="b", title="B", text=["Nairobi waited."], places=[]),
    ]
    cut = chapters.cap_text(long, notes)
    assert cut[0].text == ["Talks in Paris went on.", "Berlin answered…"]
    assert cut[1].text == [] and cut[1].title == "B"
    assert sum(len(p) for c in cut for p in c.text) <= 40 + 1
    assert notes == [
        "the text runs to 70 characters, the map keeps the first 40 (chapters 1-2 keep their places, "
        "not all their text)"
    ]
    assert chapters.cap_text(long[1:], notes) == long[1:] and len(notes) == 1  # under the cap: untouched
    one = [Chapter(id="a", title="A", text=["Talks in Paris went on. " * 3])]
    chapters.cap_text(one, notes)
    assert notes[1].endswith("the map keeps the first 40 (chapter 1 keeps its places, not all its text)")


def test_a_build_over_the_text_cap_warns_and_the_page_holds_the_cut_text(tmp_path, monkeypatch):
    monkeypatch.setattr(chapters, "MAX_TEXT", 200)
    body = "\n\n".join(f"Talks in Paris went on for day {i} of the summit." for i in range(20))
    result = pipeline.build(_article(tmp_path, body), tmp_path / "out.html", still=False)
    assert any("the map keeps the first 200" in w for w in result.warnings)
    data = json_block(result.path.read_text(encoding="utf-8"), "storymap-data")
    assert sum(len(p) for c in data["chapters"] for p in c["text"]) <= 200


def test_a_page_over_the_size_limit_is_refused_in_one_line(tmp_path, monkeypatch):
    import storymap.render as render

    monkeypatch.setattr(render, "MAX_HTML_BYTES", 100_000)
    out = tmp_path / "out.html"
    with pytest.raises(InputError, match=r"the map page would be \d+\.\d MB, the limit is 0 MB") as caught:
        pipeline.build(_article(tmp_path, "Talks in Paris ended."), out)
    assert "\n" not in str(caught.value) and not out.exists()


# --------------------------------------------------------------------------- standard input


def test_standard_input_on_a_terminal_is_refused(monkeypatch):
    leader, follower = os.openpty()
    try:
        with open(follower, "rb", buffering=0, closefd=False) as raw:
            monkeypatch.setattr(sys, "stdin", _Text(raw))
            with pytest.raises(InputError, match=r"^<stdin>: standard input is a terminal; pipe an article"):
                files.read_text("-")
    finally:
        os.close(leader)
        os.close(follower)


def test_silent_standard_input_times_out(monkeypatch):
    monkeypatch.setattr(files, "STDIN_TIMEOUT", 0.2)
    read, write = os.pipe()
    try:
        os.write(write, b"Talks in Paris")  # some text, then silence: the writer never closes
        with open(read, "rb", buffering=0, closefd=False) as raw:
            monkeypatch.setattr(sys, "stdin", _Text(raw))
            with pytest.raises(
                InputError, match=r"^<stdin>: nothing arrived on standard input in 0.2 s after 14"
            ):
                files.read_text("-")
    finally:
        os.close(read)
        os.close(write)


def test_standard_input_from_a_pipe_is_read_to_the_end(monkeypatch):
    read, write = os.pipe()
    os.write(write, b"Talks in Paris ended.\r\n")
    os.close(write)
    try:
        with open(read, "rb", buffering=0, closefd=False) as raw:
            monkeypatch.setattr(sys, "stdin", _Text(raw))
            assert files.read_text("-") == "Talks in Paris ended.\n"
    finally:
        os.close(read)


class _Text:
    """A stand-in for ``sys.stdin``: a text stream whose ``buffer`` is the given binary file."""

    def __init__(self, raw) -> None:  # noqa: ANN001
        self.buffer = raw


def _article(tmp_path, text: str):  # noqa: ANN001, ANN202
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    return path
