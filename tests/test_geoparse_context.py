"""Document context for resolution: the shortcuts of ``Votes.contexts`` give the plain sums.

``contexts`` works out a country's support once per group, and local support only for the towns and
divisions that some vote's division or grid cell can reach; the plain reading below sums every vote
for every candidate, in the same order, and must give the very same floats.
"""

from __future__ import annotations

import importlib
import math
import random

from storymap.geoparse.context import FOCUS_ADMIN, FOCUS_COUNTRY, NEAR, NEAR_KM, Facts, Votes, km
from storymap.geoparse.gazetteer import Entry, gazetteer

context = importlib.import_module("storymap.geoparse.context")

NAMES = [
    "Springfield", "Paris", "Washington", "Georgia", "Portland", "Columbus", "Cartagena", "Huntsville",
    "Walker County", "Alabama", "Texas", "Colombia", "France", "Bogotá", "Jackson", "Albany", "Nigeria",
    "Middle East", "Caribbean Sea", "White House", "Kent", "Victoria", "Perth", "Hamilton",
]  # fmt: skip


def _plain_contexts(
    votes: list[tuple[int, Entry, float]], gi: int, entries: list[Entry], fixed: list[float]
) -> list[tuple[float, float, float]]:
    """Every candidate against every vote: country, division and nearby places summed in the order
    the votes fill the grid (by cell, then as cast), as the resolver defines them."""
    own = [(e, w) for g, e, w in votes if g == gi]
    total = 0.0
    for _, _, w in votes:
        total += w
    total -= sum(w for _, w in own)
    if total <= 1e-9:
        return [(f, 0.0, 0.0) for f in fixed]
    pointy_votes = [(g, e, w) for g, e, w in votes if e.kind in ("city", "admin", "landmark")]
    pointy = 0.0
    for _, _, w in pointy_votes:
        pointy += w
    pointy -= (
        sum(w for g, _, w in pointy_votes if g == gi) if any(g == gi for g, _, _ in pointy_votes) else 0.0
    )
    by_cell = sorted(
        range(len(pointy_votes)),
        key=lambda i: (context._cell(pointy_votes[i][1].lat, pointy_votes[i][1].lon), i),
    )
    out = []
    for e, f in zip(entries, fixed, strict=True):
        country = 0.0
        if e.country and any(o.country == e.country for _, o, _ in votes):
            country = sum_of(w for _, o, w in votes if o.country == e.country) - sum(
                w for o, w in own if o.country == e.country
            )
        wide = FOCUS_COUNTRY * country / total
        local = 0.0
        if e.kind in ("city", "admin"):
            admin = 0.0
            same = [w for _, o, w in votes if o.country == e.country and o.admin1 == e.admin1]
            if e.admin1 and same:
                admin = sum_of(same) - sum(
                    w for o, w in own if o.country == e.country and o.admin1 == e.admin1
                )
            near = 0.0
            if pointy > 1e-9:
                hit = 0.0
                for i in by_cell:
                    g, o, w = pointy_votes[i]
                    d = km(e, o)
                    if g != gi and abs(o.lat - e.lat) <= context._FAR_LAT and d < NEAR_KM:
                        hit += w * (1.0 - d / NEAR_KM)
                near = hit / pointy
            local = FOCUS_ADMIN * admin / total + NEAR * near
        out.append((f + wide + local, wide, local))
    return out


def sum_of(ws) -> float:  # noqa: ANN001
    """Left to right from 0.0, as the votes are added up when they are cast."""
    total = 0.0
    for w in ws:
        total += w
    return total


def test_contexts_are_the_plain_sums() -> None:
    g = gazetteer()
    readings = {n: [c.entry for c in g.candidates(n)][:60] for n in NAMES}
    readings = {n: es for n, es in readings.items() if es}
    assert len(readings) > 15
    rng = random.Random(12)
    checked = reached = left_out = 0
    for _ in range(300):
        names = rng.sample(sorted(readings), rng.randrange(1, 8))
        groups = [readings[n] for n in names]
        votes = []
        for gi, es in enumerate(groups):
            for e in rng.sample(es, min(len(es), rng.choice([1, 1, 2, 5]))):
                votes.append((gi, e, rng.choice([1.0, 0.5, rng.random(), 1e-12])))
        rng.shuffle(votes)
        v = Votes(votes)
        for gi, es in enumerate(groups):
            fixed = [rng.uniform(-2, 10) for _ in es]
            facts = Facts(es)
            got = v.contexts(gi, facts, fixed)
            assert got == _plain_contexts(votes, gi, es, fixed), (names, gi)
            checked += len(es)
            reached += sum(1 for x in got if x[2])
            left_out += len(facts.local) - len(facts.plan)  # no division voted for, no vote near
    assert checked > 3000 and reached > 100  # local support was found, not only skipped
    assert left_out > 100  # ... and candidates were left out of the plans


def test_neighbouring_columns_hold_every_place_within_reach() -> None:
    rng = random.Random(5)
    for _ in range(3000):
        lat, lon = rng.uniform(-85, 85), rng.uniform(-180, 180)
        row, cols = context._neighbour_columns(lat, lon)
        e = Entry("a", "a", "city", lat, lon, "")
        bearing = rng.uniform(0, 2 * math.pi)
        d = rng.uniform(0, NEAR_KM * 0.999)
        olat = lat + math.degrees(d / 6371.0 * math.cos(bearing))
        olon = lon + math.degrees(d / 6371.0 * math.sin(bearing) / max(1e-6, math.cos(math.radians(lat))))
        o = Entry("b", "b", "city", olat, (olon + 180) % 360 - 180, "")
        if km(e, o) < NEAR_KM and abs(olat) < 89:
            orow, ocol = context._cell(o.lat, o.lon)
            assert orow in (row - 1, row, row + 1) and ocol in cols


def test_votes_on_an_earlier_layout_are_the_votes_on_their_own() -> None:
    """A later round reuses an earlier round's layout, its other places weighing 0.0: every score is
    the very float of the votes laid out afresh (and a vote the layout lacks makes a new layout)."""
    g = gazetteer()
    readings = {n: [c.entry for c in g.candidates(n)][:60] for n in NAMES}
    readings = {n: es for n, es in readings.items() if es}
    rng = random.Random(7)
    reused = fresh = 0
    for _ in range(200):
        names = rng.sample(sorted(readings), rng.randrange(1, 8))
        groups = [readings[n] for n in names]
        soft = [
            (gi, e, rng.random()) for gi, es in enumerate(groups) for e in rng.sample(es, min(len(es), 5))
        ]
        first = Votes(soft)
        facts = [Facts(es) for es in groups]
        for gi, es in enumerate(groups):  # round 0: the plans are made for its layout
            first.scores(gi, facts[gi], [0.0] * len(es))
        for _ in range(3):
            cast = []
            for gi, es in enumerate(groups):
                mine = [e for g_, e, _ in soft if g_ == gi]
                pick = rng.choice(mine) if rng.random() < 0.9 else rng.choice(es)
                cast.append((gi, pick, rng.choice([1.0, rng.random(), 1e-12])))
            later = Votes(cast, first.layout)
            alone = Votes(cast)
            if later.layout is first.layout:
                reused += 1
            else:
                fresh += 1
            for gi, es in enumerate(groups):
                fixed = [rng.uniform(-2, 10) for _ in es]
                got = later.contexts(gi, facts[gi], fixed)
                assert got == alone.contexts(gi, Facts(es), fixed), (names, gi)
                assert got == _plain_contexts(cast, gi, es, fixed), (names, gi)
    assert reused > 100 and fresh > 20


def test_facts_of_an_entry_are_its_cell_and_division() -> None:
    # ``read_facts`` works out ``_cell`` and ``_span`` inline: the same row, column and span.
    g = gazetteer()
    entries = [c.entry for n in ("Springfield", "Paris", "Georgia", "Victoria") for c in g.candidates(n)]
    entries.append(Entry("x", "x", "city", 10.0, 20.0, "CO", "02"))
    entries.append(Entry("y", "y", "city", -89.99, 179.99, "AQ", ""))
    facts = Facts(entries)
    by_key: dict = {}
    by_row: dict = {}
    for k, e in enumerate(entries):
        if e.kind not in ("city", "admin"):
            assert k not in facts.local
            continue
        row, col = context._cell(e.lat, e.lon)
        key = (e.country, e.admin1) if e.admin1 else None
        assert facts.local[k] == (e, key, e.lat, e.ref, row, col, context._span(row))
        assert facts.local[k][0] is e
        if key is not None:
            by_key.setdefault(key, []).append(k)
        by_row.setdefault(row, []).append(k)
    assert facts.by_key == by_key and facts.by_row == by_row


def test_columns_within_a_span_are_the_neighbouring_columns() -> None:
    # ``Layout.plan`` tests a cell's column arithmetically: the same columns as ``_neighbour_columns``.
    rng = random.Random(3)
    for _ in range(3000):
        lat, lon = rng.uniform(-90, 89.99), rng.uniform(-180, 179.99)
        row, cols = context._neighbour_columns(lat, lon)
        _, col = context._cell(lat, lon)
        span = context._span(row)
        within = {c for c in range(context._COLUMNS) if (c - col + span) % context._COLUMNS <= 2 * span}
        assert within == cols
