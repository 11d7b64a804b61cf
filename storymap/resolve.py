"""Resolution: pick one gazetteer entry per recognised span, with a calibrated confidence.

A candidate's score (in orders of magnitude of population, so prominence and context
add up on one scale) is

    prior        log10 population, plus a bonus for countries, capitals and areas,
                 minus a penalty when only an alternate name matched
  + focus        the share of the document's other places in the candidate's country
                 and (for towns) first-level division
  + containment  "Paris, Texas", "Cartagena, Colombia", "Springfield, Ill."
  + cues         nearby words ("Washington state", "the state of Georgia")

and the confidence is the softmax of the scores times how sure recognition was.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache
from typing import Any

from storymap import areas as _areas
from storymap.gazetteer import ALTERNATE, DEMONYM, FOLDED, Candidate, Entry, Gazetteer
from storymap.model import Mention
from storymap.recognise import Span

_AREA_KINDS = frozenset({"country", "admin", "water", "region"})
#: Softmax temperature, in orders of magnitude: a lead of 1 gives about 0.9.
TEMPERATURE = 1.0
FOCUS_COUNTRY = 3.0
FOCUS_ADMIN = 2.0
CONTAINED = 5.0
NOT_CONTAINED = -2.0


def prior(c: Candidate) -> float:
    """Prominence of a candidate on its own (log10-population scale)."""
    e = c.entry
    if e.kind == "country":
        p = math.log10(max(e.population, 100_000)) + 1.5
    elif e.kind == "admin":
        p = math.log10(max(e.population, 1000)) - 0.5
    elif e.kind in ("water", "region") or e.kind == "landmark":
        p = 9.0
    else:
        p = math.log10(max(e.population, 100)) + (1.5 if e.capital else 0.0)
    if c.quality == ALTERNATE:
        p -= 1.0
    elif c.quality == FOLDED:
        p -= 0.3
    return p


def _inside(e: Entry, w: Entry) -> bool:
    if w.kind == "country":
        return e.country == w.country
    if w.kind == "admin":
        if e.country != w.country:
            return False
        if e.admin1 and e.admin1 == w.admin1:
            return True
        try:
            return _areas.contains(w.ref, e.lat, e.lon)
        except (KeyError, ValueError):
            return False
    if w.kind in ("water", "region"):
        try:
            return _areas.contains(w.ref, e.lat, e.lon)
        except (KeyError, ValueError):
            return False
    return False


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    ws = [10 ** ((s - top) / TEMPERATURE) for s in scores]
    total = sum(ws)
    return [w / total for w in ws]


def _cue(text: str, sp: Span, e: Entry) -> float:
    after = text[sp.end : sp.end + 8].lower()
    before = text[max(0, sp.start - 12) : sp.start].lower()
    if after.startswith((" state", " province")) or before.endswith(("state of ", "province of ")):
        return 4.0 if e.kind == "admin" else 0.0
    if before.endswith(("city of ", "town of ", "village of ")):
        return 2.0 if e.kind == "city" else 0.0
    return 0.0


def resolve(text: str, spans: list[Span], g: Gazetteer) -> list[Mention]:
    """One mention per span, resolved in the context of the whole document."""
    priors = [[prior(c) for c in sp.candidates] for sp in spans]
    # Each span's vote for countries and divisions, from its prior alone.
    votes: list[dict[tuple[str, str], float]] = []
    total: dict[tuple[str, str], float] = defaultdict(float)
    for sp, ps in zip(spans, priors, strict=True):
        probs = _softmax(ps)
        v: dict[tuple[str, str], float] = defaultdict(float)
        for c, p in zip(sp.candidates, probs, strict=True):
            e = c.entry
            if e.country:
                v[(e.country, "")] += p
                if e.admin1:
                    v[(e.country, e.admin1)] += p
        for k, w in v.items():
            total[k] += w
        votes.append(v)
    n = len(spans)
    chosen: dict[int, Entry] = {}
    # Containers first, so that "Paris, Texas" can use what Texas resolved to.
    order = sorted(range(n), key=lambda i: spans[i].within is not None)
    index = {id(sp): i for i, sp in enumerate(spans)}
    results: dict[int, tuple[Candidate, float]] = {}
    for i in order:
        sp = spans[i]
        others = max(n - 1, 1)
        scores = []
        for c, p in zip(sp.candidates, priors[i], strict=True):
            e = c.entry
            s = p
            if e.country:
                s += FOCUS_COUNTRY * (total[(e.country, "")] - votes[i].get((e.country, ""), 0.0)) / others
                if e.admin1 and e.kind in ("city", "admin"):
                    key = (e.country, e.admin1)
                    s += FOCUS_ADMIN * (total[key] - votes[i].get(key, 0.0)) / others
            if sp.within is not None:
                w = chosen.get(index.get(id(sp.within), -1))
                if w is not None:
                    s += CONTAINED if _inside(e, w) else NOT_CONTAINED
            s += _cue(text, sp, e)
            scores.append(s)
        probs = _softmax(scores)
        best = max(range(len(scores)), key=lambda k: (scores[k], -k))
        chosen[i] = sp.candidates[best].entry
        results[i] = (sp.candidates[best], probs[best])
    out = [_mention(text, sp, *results[i]) for i, sp in enumerate(spans)]
    out.sort(key=lambda m: (m.start, m.end))
    return out


@cache
def _geometry(ref: str) -> dict[str, Any] | None:
    try:
        return _areas.geometry(ref)
    except KeyError:
        return None


@cache
def _directional(ref: str, direction: str) -> tuple[float, float, dict[str, Any]] | None:
    try:
        return _areas.directional(ref, direction)
    except (KeyError, ValueError):
        return None


def _mention(text: str, sp: Span, c: Candidate, p: float) -> Mention:
    e = c.entry
    ref, name, lat, lon = e.ref, e.name, e.lat, e.lon
    geometry = _geometry(e.ref) if e.kind in _AREA_KINDS else None
    if sp.direction and e.kind in _AREA_KINDS:
        part = _directional(e.ref, sp.direction)
        if part is not None:
            lat, lon, geometry = part
            ref = f"dir:{sp.direction}:{e.ref}"
            word = text[sp.start : sp.end].split(" ", 1)[0]
            base = e.name[4:] if e.name.startswith("the ") else e.name
            name = f"{word[0].upper()}{word[1:].lower()} {base}"
    confidence = max(0.0, min(1.0, p * sp.trust))
    return Mention(
        start=sp.start,
        end=sp.end,
        text=text[sp.start : sp.end],
        name=name,
        kind=e.kind,
        lat=lat,
        lon=lon,
        country=e.country,
        confidence=round(confidence, 3),
        ref=ref,
        demonym=c.quality == DEMONYM,
        stands_for=e.stands_for,
        geometry=geometry,
    )
