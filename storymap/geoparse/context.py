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
    """What ``Votes.scores`` reads of a group's candidates, worked out once per group: each one's
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

    def __init__(
        self, votes: list[tuple[int, Entry, float]], cells: dict[str, tuple[int, int]] | None = None
    ) -> None:
        """``cells`` remembers the grid cell of each ref (one dict per document: the same places vote
        round after round)."""
        total = pointy_total = 0.0
        country: dict[str, float] = {}
        admin: dict[tuple[str, str], float] = {}
        own: dict[int, list[tuple[Entry, float]]] = {}
        # Pointy readings on a grid of NEAR_KM cells, so "within a day's drive" looks at
        # neighbouring cells only: linear in the number of places, not quadratic.
        grid: dict[tuple[int, int], list[tuple[int, Entry, float, float, str]]] = {}
        pointy_own: dict[int, float] = {}
        if cells is None:
            cells = {}
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
                ref = e.ref
                cell = cells.get(ref)
                if cell is None:
                    cell = cells[ref] = _cell(e.lat, e.lon)
                found = grid.get(cell)
                if found is None:
                    grid[cell] = [(gi, e, w, e.lat, ref)]
                else:
                    found.append((gi, e, w, e.lat, ref))
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
        #: The rows a vote's neighbourhood reaches: a candidate in another row has no place near it.
        self.band = {rr for r in self.rows for rr in (r - 1, r, r + 1)}

    def contexts(
        self, gi: int, facts: Facts, fixed: list[float], dist: dict
    ) -> list[tuple[float, float, float]]:
        """Each candidate's score given the other groups, with its two context parts: support
        from the same country, and local support (same division, neighbours) (``scores`` as triples)."""
        scores, wides, locals_ = self.scores(gi, facts, fixed, dist)
        return [(s, wide, locals_.get(k, 0.0)) for k, (s, wide) in enumerate(zip(scores, wides, strict=True))]

    def scores(
        self, gi: int, facts: Facts, fixed: list[float], dist: dict
    ) -> tuple[list[float], list[float], dict[int, float]]:
        """Each candidate's score given the other groups, its support from the same country, and its
        local support (same division, neighbours) where that is not 0.0.  One call per group and round:
        what depends on the group or a country only is worked out once, and local support only for the
        towns and divisions that some vote's division or row of cells can reach (for the others it is
        0.0)."""
        own = self.own.get(gi, ())
        # The group's own votes by country and by division, added up as cast (from 0, as ``sum``).
        own_total = 0
        own_country: dict[str, float] = {}
        for o, w in own:
            own_total += w
            code = o.country
            own_country[code] = own_country.get(code, 0) + w
        total = self.total - own_total
        if total <= 1e-9:
            return list(fixed), [0.0] * len(fixed), {}
        # A reading in a country (or division) no group votes for has no support from it: 0.0.
        countries, admins = self.country, self.admin
        distinct = facts.distinct
        if len(distinct) == 1:
            code = distinct[0]
            wide = (
                FOCUS_COUNTRY * (countries[code] - own_country.get(code, 0)) / total
                if code in countries
                else 0.0
            )
            wides = [wide] * len(fixed)
            scores = [f + wide for f in fixed]
        else:
            wide_of = {}
            for code in distinct:
                wide_of[code] = (
                    FOCUS_COUNTRY * (countries[code] - own_country.get(code, 0)) / total
                    if code in countries
                    else 0.0
                )
            wides = [wide_of[code] for code in facts.countries]
            scores = [f + wide for f, wide in zip(fixed, wides, strict=True)]
        locals_: dict[int, float] = {}
        reach: set[int] = set()
        for key, ks in facts.by_key.items():
            if key in admins:
                reach.update(ks)
        pointy = self.pointy_total - self.pointy_own.get(gi, 0.0)
        near_rows = self.rows if pointy > 1e-9 else None
        if near_rows:
            band = self.band
            for r, ks in facts.by_row.items():
                if r in band:
                    reach.update(ks)
        if not reach:
            return scores, wides, locals_
        own_admin: dict[tuple[str, str], float] | None = None
        around = self.around
        local_of = facts.local
        for k in reach:
            e, key, lat, ref, row, cols = local_of[k]
            admin = 0.0
            if key is not None and key in admins:
                if own_admin is None:
                    own_admin = {}
                    for o, w in own:
                        if o.admin1:
                            okey = (o.country, o.admin1)
                            own_admin[okey] = own_admin.get(okey, 0) + w
                admin = admins[key] - own_admin.get(key, 0)
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
            locals_[k] = local
            scores[k] = fixed[k] + wides[k] + local
        return scores, wides, locals_


#: Grid cell size in degrees: NEAR_KM of latitude.
_CELL = NEAR_KM / 111.2
#: Points further apart in latitude than this (degrees) are further apart than NEAR_KM.
_FAR_LAT = 2.3
_COLUMNS = math.ceil(360.0 / _CELL)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor((lat + 90.0) / _CELL), math.floor((lon + 180.0) / _CELL) % _COLUMNS


#: (row, column) -> the columns that may hold a point within NEAR_KM of a point of that cell, in its row
#: and the rows either side (at most one entry per cell of the grid).
_COLUMNS_OF: dict[tuple[int, int], frozenset[int]] = {}


def _neighbour_columns(lat: float, lon: float) -> tuple[int, frozenset[int]]:
    """The row of (lat, lon) and the columns that may hold a point within NEAR_KM of it, in that
    row and the rows either side (across the antimeridian).  The same for every point of a cell: the
    columns are those of the row's side nearest a pole (a superset of the point's own: a place in an
    extra column is further than NEAR_KM and adds nothing)."""
    cell = _cell(lat, lon)
    cols = _COLUMNS_OF.get(cell)
    if cols is None:
        row, col = cell
        # A cell is NEAR_KM * cos(lat) wide; take the narrowest latitude of the three rows.
        edge = max(abs(row * _CELL - 90.0), abs((row + 1) * _CELL - 90.0))
        coslat = math.cos(math.radians(min(89.0, edge + 2 * _CELL)))
        span = min(_COLUMNS // 2, math.ceil(1.0 / coslat))
        cols = _COLUMNS_OF[cell] = frozenset((col + k) % _COLUMNS for k in range(-span, span + 1))
    return cell[0], cols
