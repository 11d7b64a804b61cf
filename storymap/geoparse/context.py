"""Document context for resolution: what the other places of a text say about a reading.

Each round, every group of mentions casts its current reading(s) as weighted votes.  A
candidate's context is the share of the other groups' votes in its country, in its
first-level division, and within a day's drive of it (a grid of ``NEAR_KM`` cells keeps
that linear in the number of places).
"""

from __future__ import annotations

import math
from functools import lru_cache

from storymap.geoparse.gazetteer import Entry

#: Kinds whose point says where the story is (a country's centroid does not).
_POINTY = frozenset({"city", "admin", "landmark"})
#: Kinds that local support (same division, neighbours) counts for.
_LOCAL = frozenset({"city", "admin"})
FOCUS_COUNTRY = 3.0
FOCUS_ADMIN = 2.0
NEAR = 2.0
NEAR_KM = 250.0


def km(a: Entry, b: Entry) -> float:
    dlat = math.radians(a.lat - b.lat)
    dlon = math.radians((a.lon - b.lon + 180.0) % 360.0 - 180.0) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


class Facts:
    """What ``Votes.contexts`` reads of a group's candidates, worked out once per group: each one's
    country, and for the towns and divisions (local support counts for them) their division key, point,
    ref and grid row, indexed by division and by row."""

    __slots__ = ("countries", "distinct", "local", "by_key", "by_row")

    def __init__(self, entries: list[Entry]) -> None:
        self.countries = [e.country for e in entries]
        self.distinct = list(dict.fromkeys(self.countries))
        #: index -> (entry, division key or None, lat, ref, grid row, neighbouring columns)
        self.local: dict[int, tuple] = {}
        self.by_key: dict[tuple[str, str], list[int]] = {}
        self.by_row: dict[int, list[int]] = {}
        for k, e in enumerate(entries):
            if e.kind not in _LOCAL:
                continue
            key = (e.country, e.admin1) if e.admin1 else None
            row, cols = _neighbour_columns(e.lat, e.lon)
            self.local[k] = (e, key, e.lat, e.ref, row, cols)
            if key is not None:
                self.by_key.setdefault(key, []).append(k)
            self.by_row.setdefault(row, []).append(k)


class Votes:
    """What every group currently reads, summed once per round (by country, by division),
    so that a candidate's context is the sums minus its own group's share."""

    def __init__(self, votes: list[tuple[int, Entry, float]]) -> None:
        total = pointy_total = 0.0
        country: dict[str, float] = {}
        admin: dict[tuple[str, str], float] = {}
        own: dict[int, list[tuple[Entry, float]]] = {}
        # Pointy readings on a grid of NEAR_KM cells, so "within a day's drive" looks at
        # neighbouring cells only: linear in the number of places, not quadratic.
        grid: dict[tuple[int, int], list[tuple[int, Entry, float, float, str]]] = {}
        pointy_own: dict[int, float] = {}
        for gi, e, w in votes:
            total += w
            mine = own.get(gi)
            if mine is None:
                own[gi] = [(e, w)]
            else:
                mine.append((e, w))
            code = e.country
            if code:
                country[code] = country.get(code, 0.0) + w
                if e.admin1:
                    key = (code, e.admin1)
                    admin[key] = admin.get(key, 0.0) + w
            if e.kind in _POINTY:
                cell = _cell(e.lat, e.lon)
                found = grid.get(cell)
                if found is None:
                    grid[cell] = [(gi, e, w, e.lat, e.ref)]
                else:
                    found.append((gi, e, w, e.lat, e.ref))
                pointy_total += w
                pointy_own[gi] = pointy_own.get(gi, 0.0) + w
        self.total, self.country, self.admin, self.own = total, country, admin, own
        self.pointy_total, self.pointy_own = pointy_total, pointy_own
        #: Row of the grid -> its cells that hold a place, as (column, places), columns in order.
        self.rows: dict[int, list[tuple[int, list]]] = {}
        #: Row of the grid -> the cells of that row and the rows either side, in visiting order
        #: (gathered when a candidate in that row first asks, shared by the groups of the round).
        self.around: dict[int, list[tuple[int, list]]] = {}
        for (r, c), cell in sorted(grid.items()):
            self.rows.setdefault(r, []).append((c, cell))

    def contexts(
        self, gi: int, facts: Facts, fixed: list[float], dist: dict
    ) -> list[tuple[float, float, float]]:
        """Each candidate's score given the other groups, with its two context parts: support
        from the same country, and local support (same division, neighbours).  One call per group
        and round: what depends on the group or a country only is worked out once, and local support
        only for the towns and divisions that some vote's division or cell can reach (for the others
        it is 0.0)."""
        own = self.own.get(gi, ())
        total = self.total - sum(w for _, w in own)
        if total <= 1e-9:
            return [(f, 0.0, 0.0) for f in fixed]
        # A reading in a country (or division) no group votes for has no support from it: 0.0.
        countries, admins, rows = self.country, self.admin, self.rows
        wide_of = {}
        for code in facts.distinct:
            country = 0.0
            if code in countries:
                country = countries[code] - sum(w for o, w in own if o.country == code)
            wide_of[code] = FOCUS_COUNTRY * country / total
        wides = [wide_of[code] for code in facts.countries]
        out = [(f + wide + 0.0, wide, 0.0) for f, wide in zip(fixed, wides, strict=True)]
        reach: set[int] = set()
        for key, ks in facts.by_key.items():
            if key in admins:
                reach.update(ks)
        pointy = self.pointy_total - self.pointy_own.get(gi, 0.0)
        near_rows = rows if pointy > 1e-9 else {}
        if near_rows:
            by_row = facts.by_row
            for r in near_rows:
                for rr in (r - 1, r, r + 1):
                    ks = by_row.get(rr)
                    if ks is not None:
                        reach.update(ks)
        by_admin: dict[tuple[str, str], float] = {}
        around = self.around
        for k in reach:
            e, key, lat, ref, row, cols = facts.local[k]
            admin = 0.0
            if key is not None and key in admins:
                mine = by_admin.get(key)
                if mine is None:
                    mine = by_admin[key] = sum(
                        w for o, w in own if o.country == key[0] and o.admin1 == key[1]
                    )
                admin = admins[key] - mine
            # Weighted sum of the other groups' places within a day's drive: the cells that hold a
            # place are visited row by row, columns in order; the cells a neighbourhood spans that
            # hold nothing are never looked at.
            near = 0.0
            if near_rows:
                cells = around.get(row)
                if cells is None:
                    cells = around[row] = [
                        found for r in (row - 1, row, row + 1) for found in near_rows.get(r, ())
                    ]
                hit = 0.0
                for c, cell in cells:
                    if c not in cols:
                        continue
                    for gj, o, w, olat, oref in cell:
                        if gj == gi or abs(olat - lat) > _FAR_LAT:
                            continue
                        pair = (ref, oref)
                        d = dist.get(pair)
                        if d is None:
                            d = dist[pair] = km(e, o)
                        if d < NEAR_KM:
                            hit += w * (1.0 - d / NEAR_KM)
                near = hit / pointy
            local = FOCUS_ADMIN * admin / total + NEAR * near
            f, wide = fixed[k], wides[k]
            out[k] = (f + wide + local, wide, local)
        return out


#: Grid cell size in degrees: NEAR_KM of latitude.
_CELL = NEAR_KM / 111.2
#: Points further apart in latitude than this (degrees) are further apart than NEAR_KM.
_FAR_LAT = 2.3
_COLUMNS = math.ceil(360.0 / _CELL)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor((lat + 90.0) / _CELL), math.floor((lon + 180.0) / _CELL) % _COLUMNS


@lru_cache(maxsize=65_536)
def _neighbour_columns(lat: float, lon: float) -> tuple[int, frozenset[int]]:
    """The row of (lat, lon) and the columns that may hold a point within NEAR_KM of it, in that
    row and the rows either side (across the antimeridian)."""
    row, col = _cell(lat, lon)
    # A cell is NEAR_KM * cos(lat) wide; take the narrowest latitude of the three rows.
    coslat = math.cos(math.radians(min(89.0, abs(lat) + 2 * _CELL)))
    span = min(_COLUMNS // 2, math.ceil(1.0 / coslat))
    return row, frozenset((col + k) % _COLUMNS for k in range(-span, span + 1))
