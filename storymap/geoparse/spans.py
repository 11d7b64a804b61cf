"""Candidate spans: the stretches of a text whose words name a gazetteer entry.

Every capitalised word (or lowercase word hyphenated to one: "al-Bab", "sub-Saharan
Africa") starts a window of up to ``MAX_TOKENS`` words; each window (and the window plus a
trailing full stop, for "U.S." and "Ga.") is looked up in the gazetteer, with its
accent-folded spelling, demonyms, abbreviations and short forms; datelines ("BEIRUT,
Lebanon --") and county lists ("Clay and Grant counties") add theirs.  The leftmost-longest
hits win.  Telling real places from look-alikes is ``storymap.geoparse.recognise``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

from storymap.geoparse.gazetteer import DEMONYM, FOLDED, SHORT, Candidate, Gazetteer
from storymap.geoparse.keys import fold

MAX_TOKENS = 6
_TOKEN = re.compile(r"[^\W_]+")
#: What may separate two words inside one name.
_GAPS = frozenset({" ", "-", "'", "\u2019", ". ", ".", "\u2010", "\u2011"})
_INNER = frozenset({"'", "\u2019"})
_DATELINE = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?\"\u201d\d] ))[ \t]*([A-Z][A-Z.']*(?:[ -][A-Z][A-Z.']*)*[A-Z])"
    r"(?=, [A-Z]| \(| --? | ?[\u2014\u2013])"
)
#: "Becker, Clay and Otter Tail counties": each listed name is a county.
_COUNTY_LIST = re.compile(
    r"((?:[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)?, )*[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)?,? and "
    r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)?) (counties|Counties|parishes|Parishes)\b"
)
#: A bare dateline on its own line start ("WASHINGTON Barack Obama pardoned ..."): big places only.
_BARE_DATELINE = re.compile(r"(?m)^[ \t]*([A-Z]{3,}(?: [A-Z]{2,})*)(?= [A-Z][a-z])")
_COUNTY_NAME = re.compile(r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)?")
#: Bare datelines name only places at least this big.
BIG_CITY = 100_000


@dataclass(slots=True)
class Span:
    """A recognised place name: offsets, candidates and what recognition learnt about it."""

    start: int
    end: int
    candidates: list[Candidate]
    demonym: bool = False
    direction: str = ""
    within: Span | None = None
    trust: float = 1.0
    #: How much support from the rest of the document a weak reading needs to be kept.
    needs: float = 0.0
    #: Named in a list of counties ("Clay and Grant counties"): no look-alike rules apply.
    listed: bool = False
    #: The name joined to this one by a slash ("Vienna/Fairfax", "Huntsville/Madison County"):
    #: one locality, so the two are read near each other.
    beside: Span | None = None


#: Tokens held at once while a text is read: a list of every word's offsets costs about 120 bytes
#: a word (400 MB for a 20 MB article), so the text is read in chunks with a look-ahead.
_CHUNK = 50_000


def token_chunks(text: str) -> Iterator[tuple[list[tuple[int, int]], int]]:
    """The text's tokens as ``(window, count)``: ``window[:count]`` are the next ``count`` tokens,
    followed by up to ``MAX_TOKENS`` tokens of look-ahead (fewer only at the end of the text)."""
    spans = (m.span() for m in _TOKEN.finditer(text))
    size = max(_CHUNK, MAX_TOKENS)  # a chunk holds the whole look-ahead of the one before
    toks = list(islice(spans, size))
    while toks:
        more = list(islice(spans, size))
        yield toks + more[:MAX_TOKENS], len(toks)
        toks = more


def _with_folded(g: Gazetteer, key: str, out: list[Candidate]) -> list[Candidate]:
    """``out`` plus the readings of the accent-folded spelling, each at its best quality.

    Diacritics may be spelt otherwise than in the gazetteer ("Constanța" with a comma below,
    GeoNames "Constanţa" with a cedilla); the folded spelling is indexed for every name."""
    plain = fold(key)
    if plain == key:
        return out
    best: dict[str, Candidate] = {c.entry.ref: c for c in out}
    for c in g.candidates(plain):
        c = c if c.quality > FOLDED else Candidate(c.entry, FOLDED)
        if c.entry.ref not in best or c.quality < best[c.entry.ref].quality:
            best[c.entry.ref] = c
    return list(best.values())


def lookup(g: Gazetteer, key: str) -> tuple[list[Candidate], bool]:
    """Candidates for a surface form, and whether it is a demonym."""
    cands, dem = readings(g, key)
    return list(cands), dem


@lru_cache(maxsize=100_000)
def readings(g: Gazetteer, key: str) -> tuple[tuple[Candidate, ...], bool]:
    """``lookup`` remembered per surface form (shared tuples: copy before changing)."""
    dem = g.demonyms.get(key)
    if dem is not None:
        e = g.entry(dem)
        if e is not None:
            return (Candidate(e, DEMONYM),), True
    abbr = g.abbreviations.get(key)
    if abbr is not None and (e := g.entry(abbr)) is not None:
        return (Candidate(e, SHORT),), False
    out = g.candidates(key)
    if not key.isascii() and (not out or any(c.quality > FOLDED for c in out)):
        out = _with_folded(g, key, list(out))
    short = g.shortforms.get(key)
    if short is not None:
        e = g.entry(short)
        if e is not None:
            out = [Candidate(e, SHORT), *[c for c in out if c.entry.ref != short]]
    return tuple(out), False


def _windows(text: str, g: Gazetteer) -> list[tuple[int, list[int]]]:
    """Each token that may start a name, with the ends of the windows of words that may form it."""
    out: list[tuple[int, list[int]]] = []
    for toks, count in token_chunks(text):
        _windows_in(text, toks, count, g.connectors, out)
    return out


def _windows_in(
    text: str, toks: list[tuple[int, int]], count: int, connectors: Any, out: list[tuple[int, list[int]]]
) -> None:
    """``_windows`` for the first ``count`` tokens of ``toks`` (the rest is look-ahead)."""
    n = len(toks)
    for i in range(count):
        s0, e0 = toks[i]
        if not text[s0].isupper() and not (
            text[e0 : e0 + 1] == "-" and text[e0 + 1 : e0 + 2].isupper()  # "al-Bab", "sub-Saharan Africa"
        ):
            continue
        ends = [e0]
        for j in range(i + 1, i + MAX_TOKENS if i + MAX_TOKENS < n else n):
            sj, ej = toks[j]
            gap = text[toks[j - 1][1] : sj]
            if gap not in _GAPS:
                break
            if not text[sj].isupper() and text[sj:ej] not in connectors and gap not in _INNER:
                break  # "Nuku'alofa", "Cox's Bazar": an apostrophe joins a lowercase part
            ends.append(ej)
        out.append((s0, ends))


def _best(
    text: str, s0: int, ends: list[int], g: Gazetteer
) -> tuple[int, tuple[Candidate, ...], bool] | None:
    """The longest window from ``s0`` that names something: its end, candidates and whether it
    is a demonym (no candidates: an organisation named after a place)."""
    best = None
    for ej in ends:
        surface = text[s0:ej]
        if surface in g.organisations:
            best = (ej, (), False)  # "Paris Saint-Germain", "Bank of America": not places
            continue
        dotted = text[ej : ej + 1] == "."
        for key in (surface + ".", surface) if dotted else (surface,):
            cands, dem = readings(g, key)
            if cands:
                end = s0 + len(key)
                if best is None or end > best[0]:
                    best = (end, cands, dem)
                break
    return best


def hits(text: str, g: Gazetteer) -> list[Span]:
    hits: list[Span] = []
    # Runs of words with the same text read the same ("Paris Paris Paris ..."): once each.
    runs = [
        (s0, ends, (text[s0 : ends[-1] + 1], tuple(e - s0 for e in ends))) for s0, ends in _windows(text, g)
    ]
    first: dict[tuple[str, tuple[int, ...]], tuple[int, list[int]]] = {}
    for s0, ends, key in runs:
        first.setdefault(key, (s0, ends))
    found = {key: _best(text, s0, ends, g) for key, (s0, ends) in first.items()}
    for s0, _, key in runs:
        best = found[key]
        if best is not None:
            end, cands, dem = best
            hits.append(Span(s0, s0 - first[key][0] + end, list(cands), demonym=dem))
    for m in _COUNTY_LIST.finditer(text):
        unit = "County" if m.group(2).lower() == "counties" else "Parish"
        for n in _COUNTY_NAME.finditer(text, m.start(1), m.end(1)):
            cands = g.lookup(f"{n.group(0)} {unit}")
            if cands:
                hits.append(Span(n.start(), n.end(), cands, listed=True))
    # Datelines: "BEIRUT, Lebanon --", "ST. LOUIS (AP) --".
    for m in _DATELINE.finditer(text):
        cands, dem = lookup(g, m.group(1).title())
        if cands:
            hits.append(Span(m.start(1), m.end(1), cands, demonym=dem))
    for m in _BARE_DATELINE.finditer(text):
        cands, dem = lookup(g, m.group(1).title())
        if cands and not dem and any(c.entry.population >= BIG_CITY for c in cands):
            hits.append(Span(m.start(1), m.end(1), cands))
    return hits


def select(hits: list[Span]) -> list[Span]:
    """Leftmost-longest non-overlapping hits (county-list names first)."""
    listed = [h for h in hits if h.listed]
    if listed:
        hits = [h for h in hits if h.listed or not any(h.start < x.end and x.start < h.end for x in listed)]
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), not h.listed))
    out: list[Span] = []
    last_end = -1
    for h in hits:
        if h.start >= last_end:
            out.append(h)
            last_end = h.end
        elif out and h.start == out[-1].start and h.end > out[-1].end:
            out[-1] = h
            last_end = h.end
    return out
