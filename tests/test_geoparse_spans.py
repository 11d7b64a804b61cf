"""The shortcuts of span proposal (``storymap.geoparse.spans``) give what the plain reading gives."""

from __future__ import annotations

import importlib
from itertools import compress, repeat
from pathlib import Path

from storymap.geoparse.gazetteer import gazetteer

spans = importlib.import_module("storymap.geoparse.spans")

SEED = (Path(__file__).resolve().parent.parent / "examples" / "us-colombia-white-house.txt").read_text(
    encoding="utf-8"
)
TEXTS = [
    SEED,
    "BEIRUT, Lebanon -- Talks.\nST. LOUIS (AP) -- More. 2 PARIS \u2014 Then.\u201d ROME, Italy -- A B.",
    "U.S. Army, W. Va. and Ga. Paris Saint-Germain; Bank of America in New York City. Ürümqi, al-Bab.\n"
    "  WASHINGTON \u2014 Mr. Paris said.\t  NEW YORK -- x. \u0661 CAIRO, Egypt -- \U0001f600 LIMA -- y",
]


def _runs_with_first_words(text: str) -> list[tuple[str, int]]:
    """Each run of a text whose first word is all its words (perhaps with a full stop), as ``hits``
    keys it, and the end of that word."""
    out = []
    for s0, e0, last in spans._runs(text, gazetteer().connectors):
        out.append((text[s0 : e0 + 1] if text[e0 : e0 + 1] == "." else text[s0:e0], e0 - s0))
        if last == e0:
            out.append((text[s0 : last + 1] if text[last : last + 1] == "." else text[s0:last], e0 - s0))
    return out


def _plain_window(g, run: str, first: int):
    """A window's reading without ``may_name``'s pre-check: its forms read one by one."""
    surface = run[:first]
    if surface in g.organisations:
        return first, (), False
    for key in ([surface + "."] if run[first : first + 1] == "." else []) + [surface]:
        cands, dem = spans.readings(g, key)
        if cands:
            return len(key), cands, dem
    return None


def test_a_window_is_read_as_its_forms_are_without_the_pre_check() -> None:
    g = gazetteer()
    found = 0
    for text in TEXTS:
        for run, first in _runs_with_first_words(text):
            assert spans._window(g, run, first) == _plain_window(g, run, first), run
            found += spans._window(g, run, first) is not None
    assert found > 30


def test_datelines_at_the_flagged_run_starts_are_all_datelines() -> None:
    # ``hits`` tries datelines only at the run starts whose second character the run pattern flags.
    found = 0
    for text in TEXTS + [t.replace("2", "\u0662") for t in TEXTS]:
        plain = [m.span(1) for m in spans._DATELINE.finditer(text)]
        matches, _ = spans._run_matches(text, gazetteer().connectors, spans._plain(text))
        if matches:
            starts = list(map(spans._START_OF, matches))
            flagged = compress(starts, map(spans._GROUP, matches, repeat(1)))
            assert [m.span(1) for m in spans._datelines_at(text, flagged)] == plain, text
        assert [m.span(1) for m in spans._datelines(text)] == plain, text
        found += len(plain)
    assert found > 5


def test_texts_with_ascii_letters_only_are_those_a_search_finds() -> None:
    import random

    rng = random.Random(5)
    pieces = [
        "Paris",
        " ",
        "\u201c",
        "\u2014",
        "\u00e9",
        "\u00a0",
        "2",
        "\u0661",
        "\ud800",
        "\U0001f600",
        "_",
    ]
    pieces += ["\u00b2", "\u2163", "x", "\u00c9vora", "\u2019s"]
    texts = TEXTS + ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))) for _ in range(3000)]
    for text in texts:
        assert spans._plain(text) == (spans._ALNUM_BEYOND_ASCII.search(text) is None), ascii(text)


def _plain_select(hits: list) -> list:
    listed = [h for h in hits if h.listed]
    if listed:
        hits = [h for h in hits if h.listed or not any(h.start < x.end and x.start < h.end for x in listed)]
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start), not h.listed))
    out: list = []
    for h in hits:
        if not out or h.start >= out[-1].end:
            out.append(h)
        elif h.start == out[-1].start and h.end > out[-1].end:
            out[-1] = h
    return out


def test_selected_hits_are_those_of_one_sort_by_the_whole_key() -> None:
    import random

    rng = random.Random(6)
    g = gazetteer()
    cases = [spans.hits(text, g) for text in TEXTS]
    for _ in range(2000):
        cases.append(
            [
                spans.Span(s, s + rng.randrange(1, 6), [], listed=rng.random() < 0.2)
                for s in (rng.randrange(0, 20) for _ in range(rng.randrange(0, 9)))
            ]
        )
    for hits in cases:
        want = [id(h) for h in _plain_select(list(hits))]
        assert [id(h) for h in spans.select(list(hits))] == want
