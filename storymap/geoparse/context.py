"""Document context for resolution: what the other places of a text say about a reading.

Each round, every group of mentions casts its current reading(s) as weighted votes.  A
candidate's context is the share of the other groups' votes in its country, in its
first-level division, and within a day's drive of it (a grid of ``NEAR_KM`` cells keeps
that linear in the number of places).
"""

from __future__ import annotations

import math

from storymap.geoparse.gazetteer import Entry

#: Kinds whose point says where the story is (a country's centroid does not).
_POINTY = frozenset({"city", "admin", "landmark"})
FOCUS_COUNTRY = 3.0
FOCUS_ADMIN = 2.0
NEAR = 2.0
NEAR_KM = 250.0


def km(a: Entry, b: Entry) -> float:
    dlat = math.radians(a.lat - b.lat)
    dlon = math.radians((a.lon - b.lon + 180.0) % 360.0 - 180.0) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


class Votes:
    """What every group currently reads, summed once per round (by country, by division),
    so that a candidate's context is the sums minus its own group's share."""

    def __init__(self, votes: list[tuple[int, Entry, float]]) -> None:
        self.total = 0.0
        self.country: dict[str, float] = {}
        self.admin: dict[tuple[str, str], float] = {}
        self.own: dict[int, list[tuple[Entry, float]]] = {}
        # Pointy readings on a grid of NEAR_KM cells, so "within a day's drive" looks at
        # neighbouring cells only: linear in the number of places, not quadratic.
        self.grid: dict[tuple[int, int], list[tuple[int, Entry, float]]] = {}
        self.pointy_total = 0.0
        self.pointy_own: dict[int, float] = {}
        for gi, e, w in votes:
            self.total += w
            self.own.setdefault(gi, []).append((e, w))
            if e.country:
                self.country[e.country] = self.country.get(e.country, 0.0) + w
                if e.admin1:
                    key = (e.country, e.admin1)
                    self.admin[key] = self.admin.get(key, 0.0) + w
            if e.kind in _POINTY:
                self.grid.setdefault(_cell(e.lat, e.lon), []).append((gi, e, w))
                self.pointy_total += w
                self.pointy_own[gi] = self.pointy_own.get(gi, 0.0) + w

    def context(self, gi: int, e: Entry, fixed: float, dist: dict) -> tuple[float, float, float]:
        """A candidate's score given the other groups, with its two context parts: support
        from the same country, and local support (same division, neighbours)."""
        own = self.own.get(gi, ())
        total = self.total - sum(w for _, w in own)
        if total <= 1e-9:
            return fixed, 0.0, 0.0
        country = admin = 0.0
        if e.country:
            country = self.country.get(e.country, 0.0) - sum(w for o, w in own if o.country == e.country)
        wide = FOCUS_COUNTRY * country / total
        local = 0.0
        if e.kind in ("city", "admin"):
            if e.admin1:
                admin = self.admin.get((e.country, e.admin1), 0.0) - sum(
                    w for o, w in own if o.country == e.country and o.admin1 == e.admin1
                )
            local = FOCUS_ADMIN * admin / total + NEAR * self.near(e, gi, dist)
        return fixed + wide + local, wide, local

    def near(self, e: Entry, gi: int, dist: dict) -> float:
        """Weighted share of the other groups' places that lie within a day's drive of ``e``."""
        total = self.pointy_total - self.pointy_own.get(gi, 0.0)
        if total <= 1e-9:
            return 0.0
        hit = 0.0
        for cell in _neighbour_cells(e.lat, e.lon):
            for gj, o, w in self.grid.get(cell, ()):
                if gj == gi:
                    continue
                key = (e.ref, o.ref)
                d = dist.get(key)
                if d is None:
                    d = dist[key] = km(e, o)
                if d < NEAR_KM:
                    hit += w * (1.0 - d / NEAR_KM)
        return hit / total


#: Grid cell size in degrees: NEAR_KM of latitude.
_CELL = NEAR_KM / 111.2
_COLUMNS = math.ceil(360.0 / _CELL)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor((lat + 90.0) / _CELL), math.floor((lon + 180.0) / _CELL) % _COLUMNS


def _neighbour_cells(lat: float, lon: float) -> list[tuple[int, int]]:
    """Every cell that may hold a point within NEAR_KM of (lat, lon), across the antimeridian."""
    row, col = _cell(lat, lon)
    # A cell is NEAR_KM * cos(lat) wide; take the narrowest latitude of the three rows.
    coslat = math.cos(math.radians(min(89.0, abs(lat) + 2 * _CELL)))
    span = min(_COLUMNS // 2, math.ceil(1.0 / coslat))
    cols = {(col + k) % _COLUMNS for k in range(-span, span + 1)}
    return [(r, c) for r in (row - 1, row, row + 1) for c in sorted(cols)]
