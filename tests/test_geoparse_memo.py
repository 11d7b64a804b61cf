"""What the geoparser remembers to go faster changes nothing it finds.

Repeated names are judged once per surroundings, runs of words read once per text, look-ups
remembered per surface form, lines and sentences read within a bounded reach: each shortcut
must give exactly what the plain reading gives.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from storymap.geoparse import find_mentions
from storymap.geoparse.gazetteer import gazetteer
from storymap.geoparse.nonplaces import heading_line

# The module, not the function ``storymap.geoparse`` re-exports under the same name.
recognise = importlib.import_module("storymap.geoparse.recognise")

SEED = (Path(__file__).resolve().parent.parent / "examples" / "us-colombia-white-house.txt").read_text(
    encoding="utf-8"
)

#: Sentences whose readings depend on their surroundings: people, teams, headings, directions.
VARIED = (
    "Georgia O'Keeffe painted in Santa Fe. Officials in Georgia said the state would appeal.\n"
    "Liverpool beat Everton 2-0 at Anfield on Saturday.\n"
    "Eclectic Fall Bowl Centerpiece\n"
    "Fighting spread across north-east Nigeria and the eastern Pacific saw storms.\n"
    "Paris Hilton visited Paris, Texas, before flying to Paris.\n"
)


def _found(text: str) -> list[tuple]:
    return [(m.start, m.end, m.ref, m.confidence, m.name, m.kind) for m in find_mentions(text)]


@pytest.mark.parametrize(
    "text",
    [
        (SEED + "\n\n") * 5,
        VARIED * 80,
        "Paris " * 5000,
        "Reading beat Leeds 2-0 in London. " * 700,
    ],
    ids=["seed x5", "varied x80", "one name", "one sports line"],
)
def test_remembered_judgements_change_nothing(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(text) >= recognise.MEMO_FROM
    remembered = _found(text)
    # Every span judged afresh: no two surroundings ever compare equal.
    monkeypatch.setattr(recognise, "_surroundings", lambda *args: object())
    assert _found(text) == remembered
    assert remembered  # the texts do name places


def test_repeated_name_is_every_mention() -> None:
    found = find_mentions("Paris " * 3000)
    assert len(found) == 3000
    assert {m.ref for m in found} == {found[0].ref}
    assert [m.start for m in found] == list(range(0, 6 * 3000, 6))


def test_remembered_lookups_are_the_lookups() -> None:
    g = gazetteer()
    names = ["Cartagena", "Paris", "Springfield", "Xanadu Quux", "Bogotá", "New York", "Zzyzx Qqq"]
    for name in names:
        assert g.lookup(name) == list(g._lookup(name))
        assert g.candidates(name) == tuple(g._lookup(name))
        assert g.known(name) == g._known(name)
    shared = g.lookup("Paris")
    shared.clear()  # a caller may change its copy ...
    assert g.lookup("Paris")  # ... never the remembered readings


@pytest.mark.parametrize(
    "text,pos",
    [
        ("Eclectic Fall Bowl Centerpiece", 0),
        (" " * 500 + "Eclectic Fall Bowl Centerpiece" + " " * 500, 500),
        ("x" * 300 + "\nEclectic Fall Bowl Centerpiece\n" + "y" * 300, 301),
        ("word " * 100 + "Eclectic Fall Bowl Centerpiece" + " word" * 100, 500),
        ("\n" + " " * 150 + "Eclectic Fall Bowl" + " " * 150 + "\nmore", 151),
    ],
)
def test_bounded_line_reach_agrees_with_the_whole_line(text: str, pos: int) -> None:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end < 0 else end]
    # The same text as its own line gives the unbounded answer.
    assert heading_line(text, pos) == heading_line(line, pos - start)


@pytest.mark.parametrize("chunk", [1, 2, 5, 7, 50_000])
def test_reading_tokens_in_chunks_finds_what_one_list_of_all_tokens_finds(monkeypatch, chunk):
    # Names that run across a chunk's edge ("New York City", "Santa Fe") must still be read whole.
    spans = importlib.import_module("storymap.geoparse.spans")
    text = SEED + "\n" + VARIED + " New York City and Santa Fe de Bogotá, then Rio de Janeiro."
    whole = find_mentions(text)
    monkeypatch.setattr(spans, "_CHUNK", chunk)
    chunked = find_mentions(text)
    assert [(m.start, m.end, m.ref) for m in chunked] == [(m.start, m.end, m.ref) for m in whole]
    assert any(m.text == "New York City" for m in whole)
