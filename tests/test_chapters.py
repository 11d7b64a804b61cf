from dataclasses import replace

from factories import article

from storymap.chapters import make_chapters, standfirst
from storymap.model import Place, PlaceMention

A = article(
    ("", "Lead in Paris. More."), ("Second part", "Then Rome and Paris."), ("Empty", "No places here.")
)


def place(pid: str, needle: str, occurrence: int = 0) -> Place:
    start = -1
    for _ in range(occurrence + 1):
        start = A.text.index(needle, start + 1)
    m = PlaceMention(start=start, end=start + len(needle), text=needle, sentence="s")
    return Place(id=pid, name=needle, kind="city", lat=0, lon=0, mentions=[m])


def test_one_chapter_per_section_with_places_in_order_of_mention():
    places = [place("paris", "Paris"), place("rome", "Rome"), place("paris2", "Paris", 1)]
    chapters = make_chapters(A, places)
    assert [c.title for c in chapters] == ["Introduction", "Second part", "Empty"]
    assert [c.id for c in chapters] == ["chapter-1", "chapter-2", "chapter-3"]
    assert chapters[0].places == ["paris"]
    assert chapters[1].places == ["rome", "paris2"]
    assert chapters[2].places == []
    assert chapters[1].text == ["Then Rome and Paris."]


def test_standfirst_is_the_first_sentence_shortened():
    assert standfirst(A) == "Lead in Paris."
    long = article(("", "word " * 100 + "end."))
    s = standfirst(long, limit=50)
    assert s.endswith("…") and len(s) <= 51


def test_standfirst_skips_the_title_and_headings():
    titled = replace(
        article(("Lead in Paris", "Lead in Paris. The real first sentence.")), title="Lead in Paris"
    )
    assert standfirst(titled) == "The real first sentence."
