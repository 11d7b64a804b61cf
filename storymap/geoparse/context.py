"""Document context for resolution: what the other places of a text say about a reading.

Each round, every group of mentions casts its current reading(s) as weighted votes.  A
candidate's context is the share of the other groups' votes in its country, in its
first-level division, and within a day's drive of it (a grid of ``NEAR_KM`` cells keeps
that linear in the number of places).

Readings change little from round to round: a round's votes are laid out once (``Layout``: each
vote's group, country, division and cell) and later rounds reuse that layout with new weights,
so what lies near each candidate is found once per layout, not once per round; a later round
sums only the votes it casts (the others weigh 0.0), and a plan leaves out the candidates whose
local support is 0.0 (no other group's vote in their division, none near).  What a group's readings
are (``Facts``) is worked out once per list of readings, across texts (``resolve._READINGS``).  Every sum
is added up in the same order as the plain reading, so the scores are the very same floats
(``tests/test_geoparse_context.py`` compares them).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from operator import add as _add

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
    """Distance between two entries' points (equirectangular: exact enough within a day's drive)."""
    dlat = _radians(a.lat - b.lat)
    dlon = _radians((a.lon - b.lon + 180.0) % 360.0 - 180.0) * _cos(_radians((a.lat + b.lat) / 2))
    return 6371.0 * _hypot(dlat, dlon)


_radians, _cos, _hypot = math.radians, math.cos, math.hypot


class Facts:
    """What ``Votes.scores`` reads of a group's candidates: each one's country, and for the towns and
    divisions (local support counts for them) their division key, point, ref and grid row, indexed by
    division and by row (``read_facts``: the resolver remembers them per list of readings, across texts);
    and the plan of its local support for the last layout of votes it was scored against (``Layout``)."""

    __slots__ = ("countries", "distinct", "local", "by_key", "by_row", "layout", "plan")

    def __init__(self, entries: list[Entry], read: tuple | None = None) -> None:
        """``read``: ``read_facts(entries)``, when the caller has it (read-only: shared)."""
        #: local: index -> (entry, division key or None, lat, ref, grid row and column, ``_span`` of its row)
        self.countries, self.distinct, self.local, self.by_key, self.by_row = read or read_facts(entries)
        self.layout: Layout | None = None
        #: (candidate, division key or None, [(vote, 1 - km / NEAR_KM) for the votes near it, in order])
        self.plan: list[tuple[int, tuple[str, str] | None, list[tuple[int, float]]]] = []


def read_facts(entries: list[Entry]) -> tuple:
    """What ``Facts`` reads of the entries: countries, distinct countries, local facts by index, indices
    by division key and by grid row.  Worked out afresh: the resolver remembers them per list of readings,
    and an entry is seldom in two lists (remembering each entry's cost more than it saved)."""
    countries = [e.country for e in entries]
    local: dict[int, tuple] = {}
    by_key: dict[tuple[str, str], list[int]] = {}
    by_row: dict[int, list[int]] = {}
    floor, cell, columns, spans = math.floor, _CELL, _COLUMNS, _SPANS
    for k, e in enumerate(entries):
        if e.kind not in _LOCAL:
            continue
        lat = e.lat
        # _cell(lat, e.lon) and _span(row), written out: this runs once per reading of every new name.
        row = floor((lat + 90.0) / cell)
        span = spans.get(row)
        if span is None:
            span = _span(row)
        key = (e.country, e.admin1) if e.admin1 else None
        local[k] = (e, key, lat, e.ref, row, floor((e.lon + 180.0) / cell) % columns, span)
        if key is not None:
            if key in by_key:
                by_key[key].append(k)
            else:
                by_key[key] = [k]
        if row in by_row:
            by_row[row].append(k)
        else:
            by_row[row] = [k]
    return countries, list(dict.fromkeys(countries)), local, by_key, by_row


#: id(entry) -> (entry, country, division key or None, pointy, grid row and column (None when not pointy)):
#: what a layout reads of a vote, worked out once per entry (entries are shared across texts, and the same
#: readings are cast in text after text); the entry is held so that its id names no other meanwhile.
_VOTERS: dict[int, tuple] = {}
_VOTERS_SIZE = 200_000


def _voter(e: Entry) -> tuple:
    """``_VOTERS``' facts of an entry, worked out and remembered."""
    if len(_VOTERS) >= _VOTERS_SIZE:
        _VOTERS.clear()
    pointy = e.kind in _POINTY
    key = (e.country, e.admin1) if e.country and e.admin1 else None
    row, col = _cell(e.lat, e.lon) if pointy else (None, None)
    found = _VOTERS[id(e)] = (e, e.country, key, pointy, row, col)
    return found


class Layout:
    """Where a round's votes are, apart from their weights: each vote's group, country, division and
    grid cell.  The readings of a document change little from round to round, so later rounds reuse
    the layout of an earlier one: a vote that is not cast weighs 0.0, which changes no sum (every
    weight is added in the same order, and adding 0.0 leaves a sum as it was), and what is near each
    candidate (``Facts.plan``) is worked out once per layout rather than once per round."""

    __slots__ = (
        "entries",
        "groups",
        "countries",
        "keys",
        "divisions",
        "pointy",
        "own",
        "grid",
        "rows",
        "band",
        "around",
    )

    def __init__(self, placed: list[tuple[int, Entry, float]]) -> None:
        """``placed``: the votes (group, entry, weight) to lay out (their weights are not read)."""
        voters, get = [], _VOTERS.get
        #: Group -> the positions of its votes.
        self.own: dict[int, list[int]] = {}
        #: Division -> the group voting in it, or -1 when several do: a candidate has support from its
        #: division only when another group than its own votes there.
        self.divisions: dict[tuple[str, str], int] = {}
        own, divisions = self.own, self.divisions
        # Pointy readings on a grid of NEAR_KM cells, so "within a day's drive" looks at
        # neighbouring cells only: linear in the number of places, not quadratic.
        grid: list[tuple[int, int, int, int, float, float]] = []
        row_groups: dict[int, int] = {}  # row -> the group voting there, -1 when several do
        for j, (gi, e, _) in enumerate(placed):
            found = get(id(e))
            if found is None or found[0] is not e:
                found = _voter(e)
            voters.append(found)
            if gi in own:
                own[gi].append(j)
            else:
                own[gi] = [j]
            key = found[2]
            if key is not None:
                divisions[key] = gi if divisions.get(key, gi) == gi else -1
            if found[3]:
                r = found[4]
                grid.append((r, found[5], j, gi, e.lat, e.lon))
                row_groups[r] = gi if row_groups.get(r, gi) == gi else -1
        self.groups = [gi for gi, _, _ in placed]
        # Each vote's entry, country, division key and pointiness, as columns (tuples).
        self.entries, self.countries, self.keys, self.pointy = (
            tuple(zip(*voters, strict=True)) or ((),) * 6
        )[:4]
        #: The pointy votes as (row, column, position, group, lat, lon), by cell and then as cast: the order
        #: their support is added in.
        grid.sort()
        self.grid = grid
        #: The row of each of ``grid``'s votes (for bisection).
        self.rows = [vote[0] for vote in grid]
        #: Row -> the group whose votes' neighbourhoods reach it, or -1 when several groups' do: a candidate
        #: in another row, or in a row only its own group's votes reach, has no other place near it.
        self.band: dict[int, int] = {}
        band = self.band
        for r, g in row_groups.items():
            for rr in (r - 1, r, r + 1):
                band[rr] = g if g == -1 or band.get(rr, g) == g else -1
        #: Row of the grid -> ``grid``'s votes in that row and the rows either side, in order (gathered when
        #: a candidate in that row first asks, shared by the groups).
        self.around: dict[int, list[tuple[int, int, int, int, float, float]]] = {}

    def weights(
        self, votes: list[tuple[int, Entry, float]]
    ) -> tuple[list[float], list[int], dict[int, list[int]]] | None:
        """The weight of each position for these votes, the positions cast (in order) and each group's, or
        ``None`` when some vote has no position or the votes come in another order than the layout's.  A
        vote's position is the last of its group's for its entry (a group's votes are few)."""
        ws = [0.0] * len(self.entries)
        placed, entries, at = self.own, self.entries, -1
        cast = []
        own: dict[int, list[int]] = {}
        for gi, e, w in votes:
            for j in reversed(placed.get(gi, ())):
                if entries[j] is e:
                    break
            else:
                return None
            if j <= at:
                return None
            ws[j], at = w, j
            cast.append(j)
            if gi in own:
                own[gi].append(j)
            else:
                own[gi] = [j]
        return ws, cast, own

    def plan(self, gi: int, facts: Facts) -> list[tuple[int, tuple[str, str] | None, list]]:
        """The towns and divisions of a group that another group's vote's division or row can reach, with
        the other groups' votes within NEAR_KM of each: the votes in the candidate's row and the rows either
        side are visited by cell, row by row and columns in order, then as cast (the order their support is
        added in); votes in other rows are never looked at.  A candidate in no other group's division and
        near no other group's vote is left out: its local support is 0.0 (its own group's share in its
        division is taken off the sum, which leaves 0.0 exactly: the same weights added in the same order),
        as for a candidate no vote reaches (``Votes.scores``).  Distances are ``km``'s, worked out inline
        (most pairs are met once: remembering them cost more than it saved)."""
        reach: set[int] = set()
        divisions = self.divisions
        for key, ks in facts.by_key.items():
            if divisions.get(key, gi) != gi:
                reach.update(ks)
        band = self.band
        for r, ks in facts.by_row.items():
            if band.get(r, gi) != gi:
                reach.update(ks)
        plan = []
        around, grid, rows = self.around, self.grid, self.rows
        radians, cos, hypot, columns, far, near_km = _radians, _cos, _hypot, _COLUMNS, _FAR_LAT, NEAR_KM
        for k in reach:
            e, key, lat, ref, row, col, span = facts.local[k]
            lon = e.lon
            width = 2 * span
            votes = around.get(row)
            if votes is None:
                votes = around[row] = grid[bisect_left(rows, row - 1) : bisect_right(rows, row + 1)]
            near: list[tuple[int, float]] = []
            for _, c, j, gj, olat, olon in votes:
                # Its own group's, not within ``span`` columns of the candidate's, or too far north or south.
                if gj == gi or (c - col + span) % columns > width or abs(olat - lat) > far:
                    continue
                # km(e, o), step by step: the same float.
                d = 6371.0 * hypot(
                    radians(lat - olat),
                    radians((lon - olon + 180.0) % 360.0 - 180.0) * cos(radians((lat + olat) / 2)),
                )
                if d < near_km:
                    near.append((j, 1.0 - d / near_km))
            if near or (key is not None and divisions.get(key, gi) != gi):
                plan.append((k, key, near))
        return plan


class Votes:
    """What every group currently reads, summed once per round (by country, by division),
    so that a candidate's context is the sums minus its own group's share."""

    def __init__(
        self,
        votes: list[tuple[int, Entry, float]],
        layout: Layout | None = None,
    ) -> None:
        """``layout``, an earlier round's, is reused when it places every vote (``self.layout`` is the one
        used).

        On a reused layout only the positions cast are summed (``self.own``: each group's, in order): the
        others weigh 0.0, and adding 0.0 to a sum of weights (never -0.0) leaves it as it was, so every
        sum is the same float; a country or division with no vote cast then has no entry, where it had
        0.0, and every reader takes a missing entry as 0.0."""
        reused = layout.weights(votes) if layout is not None else None
        if reused is None:
            layout = Layout(votes)
            ws = [w for _, _, w in votes]
            positions: list[int] | range = range(len(ws))
            self.own = layout.own
        else:
            ws, positions, self.own = reused
        self.layout, self.ws = layout, ws
        total = pointy_total = 0.0
        country: dict[str, float] = {}
        admin: dict[tuple[str, str], float] = {}
        pointy_own: dict[int, float] = {}
        groups, countries, keys, pointies = layout.groups, layout.countries, layout.keys, layout.pointy
        for j in positions:
            w = ws[j]
            total += w
            code = countries[j]
            if code:
                country[code] = country.get(code, 0.0) + w
                key = keys[j]
                if key is not None:
                    admin[key] = admin.get(key, 0.0) + w
            if pointies[j]:
                pointy_total += w
                gi = groups[j]
                pointy_own[gi] = pointy_own.get(gi, 0.0) + w
        self.total, self.country, self.admin = total, country, admin
        self.pointy_total, self.pointy_own = pointy_total, pointy_own

    def contexts(self, gi: int, facts: Facts, fixed: list[float]) -> list[tuple[float, float, float]]:
        """Each candidate's score given the other groups, with its two context parts: support
        from the same country, and local support (same division, neighbours) (``scores`` as triples)."""
        scores, wides, locals_ = self.scores(gi, facts, fixed)
        return [(s, wide, locals_.get(k, 0.0)) for k, (s, wide) in enumerate(zip(scores, wides, strict=True))]

    def scores(
        self, gi: int, facts: Facts, fixed: list[float]
    ) -> tuple[list[float], list[float], dict[int, float]]:
        """Each candidate's score given the other groups, its support from the same country, and its
        local support (same division, neighbours) where that is not 0.0.  One call per group and round:
        what depends on the group or a country only is worked out once, and local support only for the
        towns and divisions that some vote's division or row of cells can reach (for the others it is
        0.0)."""
        layout, ws = self.layout, self.ws
        own = self.own.get(gi, ())
        # The group's own votes by country, added up as cast (from 0, as ``sum``).
        own_total = 0
        own_country: dict[str, float] = {}
        countries_of = layout.countries
        if len(own) == 1:  # the usual case once readings are chosen: 0 + w is w
            j = own[0]
            own_total = own_country[countries_of[j]] = ws[j]
        else:
            for j in own:
                w = ws[j]
                own_total += w
                code = countries_of[j]
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
            wides = list(map(wide_of.__getitem__, facts.countries))
            scores = list(map(_add, fixed, wides))  # f + wide each, without a frame's loop
        locals_: dict[int, float] = {}
        if not facts.local:
            return scores, wides, locals_
        if facts.layout is not layout:
            facts.plan, facts.layout = layout.plan(gi, facts), layout
        plan = facts.plan
        if not plan:
            return scores, wides, locals_
        pointy = self.pointy_total - self.pointy_own.get(gi, 0.0)
        near_any = pointy > 1e-9
        own_admin: dict[tuple[str, str], float] | None = None
        for k, key, near in plan:
            admin = 0.0
            if key is not None and key in admins:
                if own_admin is None:
                    own_admin = {}
                    keys_of = layout.keys
                    for j in own:
                        okey = keys_of[j]
                        if okey is not None:
                            own_admin[okey] = own_admin.get(okey, 0) + ws[j]
                admin = admins[key] - own_admin.get(key, 0)
            # Weighted sum of the other groups' places within a day's drive, in the plan's order.
            hit = 0.0
            if near_any:
                for j, closeness in near:
                    hit += ws[j] * closeness
                hit /= pointy
            local = FOCUS_ADMIN * admin / total + NEAR * hit
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


#: Row of the grid -> how many columns either side may hold a point within NEAR_KM of a point in that row.
_SPANS: dict[int, int] = {}


def _span(row: int) -> int:
    """How many columns either side of a point's, in its row and the rows either side, may hold a point
    within NEAR_KM of it (across the antimeridian): the same for every point of a row, whose side nearest
    a pole sets it (a superset of a point's own: a place in an extra column is further than NEAR_KM and
    adds nothing)."""
    span = _SPANS.get(row)
    if span is None:
        # A cell is NEAR_KM * cos(lat) wide; take the narrowest latitude of the three rows.
        edge = max(abs(row * _CELL - 90.0), abs((row + 1) * _CELL - 90.0))
        coslat = math.cos(math.radians(min(89.0, edge + 2 * _CELL)))
        span = _SPANS[row] = min(_COLUMNS // 2, math.ceil(1.0 / coslat))
    return span


def _neighbour_columns(lat: float, lon: float) -> tuple[int, frozenset[int]]:
    """The row of (lat, lon) and the columns that may hold a point within NEAR_KM of it, in that
    row and the rows either side (``_span``)."""
    row, col = _cell(lat, lon)
    span = _span(row)
    return row, frozenset((col + k) % _COLUMNS for k in range(-span, span + 1))
