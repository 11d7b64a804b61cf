"""Resolution: pick one gazetteer entry per recognised span, with a calibrated confidence.

Spans with the same surface form are one group (one sense per document).  A reading's
score, in orders of magnitude of population so that prominence and context add up, is

    prior        log10 population, plus a bonus for countries and national capitals,
                 minus a penalty when only an alternate name matched
  + containment  "Paris, Texas", "Cartagena, Colombia", "Springfield, Ill."
  + cues         nearby words ("Washington state", "the state of Georgia")
  + country      the share of the document's other places in the reading's country
  + division     ... in its first-level division (towns and divisions)
  + nearby       ... within a day's drive of it (towns and divisions)

The context terms use the other groups' current readings: a first round weighs each
group's leading readings softly (so a coherent pair of small places can beat a more
populous namesake), later rounds use the readings chosen.  Names recognition doubts
(a surname, a capitalised common word) take support but give none.  Weak town readings (tiny,
foreign to the document, alternate-name, or a name that is also a surname) are kept
only when the document supports them.  The confidence is the squared softmax of the
scores (calibrated on the benchmark's bins) times how sure recognition was.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from operator import attrgetter
from typing import Any

from storymap.geoparse import areas as _areas
from storymap.geoparse.context import NEAR_KM, Facts, Votes, km, read_facts
from storymap.geoparse.gazetteer import (
    ALTERNATE,
    DEMONYM,
    FOLDED,
    PRIMARY,
    Candidate,
    Entry,
    Gazetteer,
    remember_by_ids,
)
from storymap.geoparse.nonplaces import after_locative
from storymap.geoparse.spans import Span
from storymap.model import Mention

_AREA_KINDS = frozenset({"country", "admin", "water", "region"})
#: Softmax temperature, in orders of magnitude: a lead of 1 gives about 0.9.
TEMPERATURE = 1.0
#: The softmax is over-confident for close calls; p ** 2 tracks the share resolved right
#: (bench/geoparse.py prints the calibration table).
CALIBRATION = 2.0
#: A mention this unlikely to be placed right is left out rather than drawn (the bench's
#: calibration table shows about one in five right below 0.1, and fewer lower down).
FLOOR = 0.02
#: Even a reading without a rival is wrong about one time in twelve on the benchmarks (a namesake
#: the gazetteer lacks, a misread span): the top of the scale is CEILING, approached smoothly so
#: that the order of confidences is kept and the scale below about 0.7 is unchanged.
CEILING = 0.92
ROUNDS = 4
SOFT_TOP = 5
SOFT_TEMPERATURE = 3.0
CAPITAL = 2.5
#: Towns smaller than this need some support from the document (a country, a neighbour).
TINY = 1000
TINY_SUPPORT = 1.0
#: ... unless the town is at least this big and the largest place of that name ("Cannes" in a
#: film story, "Calais" in a story about Channel crossings).
UNIQUE = 50_000
#: ... or, after a locative ("talks at Davos"), the name is a town's own, names nothing else
#: and the town is this big.
ONLY_ONE = 5_000
#: Cities this big are known by their other names on their own ("Bombay", "Peking").
EXONYM = 1_000_000
#: Towns smaller than this in a country no other place of the document is in need support.
FOREIGN = 100_000
#: ... when the document names at least this many other places (a one-place text has no context).
FOREIGN_CONTEXT = 1
CONTAINED = 5.0
NOT_CONTAINED = -2.0
#: "Georgia's governor" / "Georgia's parliament": the office tells the kind.
OFFICE = 3.0
#: Readings this close to the chosen one count as placing the mention right (the benchmarks'
#: acc@161 radius).
SAME_PLACE_KM = 161.0
#: A district "of" a city lies within this distance of it.
NEIGHBOURHOOD_KM = 50.0
#: A city read under a short form of its name loses this much to the country of that name.
COUNTRY_NAME = 3.0
#: A city this big beats the division of the same name around it by this much.
METROPOLIS = 1_000_000
CITY_OVER_DIVISION = 1.0
#: A reading near a reading of the name it is slash-joined to ("Vienna/Fairfax").
BESIDE = 5.0
#: How many readings of a contained name are tried against each reading of its container.
HOLDS_CHECKED = 200
#: A container reading that holds a reading of the contained name ("Rome, Georgia": the state).
HOLDS = 3.0


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
        # A capital is prominent under its own name, not under an old or foreign one
        # ("Victoria" was Hong Kong's capital district, not a name of Hong Kong today).
        p = math.log10(max(e.population, 100)) + (CAPITAL if e.capital and c.quality != ALTERNATE else 0.0)
    if c.quality == ALTERNATE:
        p -= 1.0
    elif c.quality == FOLDED:
        p -= 0.3
    return p


def _inside(e: Entry, w: Entry) -> bool:
    if w.kind == "city":  # "Washington, D.C.", "the Kensington district of London"
        return e.ref == w.ref or (e.country == w.country and km(e, w) <= NEIGHBOURHOOD_KM)
    if w.kind == "country":
        return e.country == w.country
    if w.kind == "admin":
        if e.country != w.country:
            return False
        if e.admin1 and w.admin1:
            return e.admin1 == w.admin1  # both GeoNames codes: no polygon test needed
        try:
            return _areas.has_outline(w.ref) and _areas.contains(w.ref, e.lat, e.lon)
        except (KeyError, ValueError):
            return False
    if w.kind in ("water", "region"):
        try:
            return _areas.has_outline(w.ref) and _areas.contains(w.ref, e.lat, e.lon)
        except (KeyError, ValueError):
            return False
    return False


def _softmax(scores: list[float]) -> list[float]:
    top, t = max(scores), TEMPERATURE
    ws = [10.0 ** ((s - top) / t) for s in scores]  # 10.0: what 10 ** x raises, without int's refusal first
    total = sum(ws)
    return [w / total for w in ws]


#: An office after a possessive name, which tells a division from a country.
_OFFICE_AFTER = re.compile(
    r"['\u2019]s (governor|premier|legislature|statehouse|state legislature|attorney general|"
    r"general assembly|president|parliament|prime minister|foreign minister|foreign ministry|"
    r"armed forces|army|navy|embassy|ambassador|national team)\b",
    re.IGNORECASE,
)
_DIVISION_OFFICES = frozenset(
    {"governor", "premier", "legislature", "statehouse", "state legislature", "attorney general"}
)
_DIVISION_OFFICES |= {w.title() for w in _DIVISION_OFFICES}


_NO_CUE = {("", 0.0)}


def _add_cues(grp: _Group, text: str) -> None:
    """Add the bonus of the cue words around the group's spans (``_cue``) to its readings' scores."""
    cues = {_cue(text, sp) for sp in grp.spans}  # most spans are told by a character or two
    if cues == _NO_CUE:
        return  # every bonus 0.0: the scores stay as they are
    for k, c in enumerate(grp.candidates):
        bonus = max(b if kind == c.entry.kind else 0.0 for kind, b in cues)
        grp.bonus[k] += bonus
        grp.fixed[k] += bonus


def _cue(text: str, sp: Span) -> tuple[str, float]:
    """Nearby words that pick a kind, and the bonus for a reading of that kind: "Washington
    state", "the city of Paris", "New York-listed" (``("", 0.0)`` when none)."""
    # Every cue before a name ends with "of " or "te " (in any case), and one after a name starts with a
    # space, a hyphen or an apostrophe, each kind with its own: most names have none of them beside them.
    end = sp.end
    if text[max(0, sp.start - 3) : sp.start].lower() in _CUE_TAILS:
        return _cue_read(text, sp)
    nxt = text[end : end + 1]
    if nxt == " ":
        return (
            ("admin", 4.0)
            if text[end : end + 9].lower().startswith((" state", " province", " border"))
            else _NONE
        )
    if nxt == "-" or nxt in _APOSTROPHES:
        return _cue_read(text, sp)
    return _NONE


_APOSTROPHES = frozenset({"'", "\u2019"})
_CUE_TAILS = frozenset({"of ", "te "})
_NONE = ("", 0.0)


def _cue_read(text: str, sp: Span) -> tuple[str, float]:
    """``_cue`` read in full."""
    after = text[sp.end : sp.end + 14].lower()  # as long as the longest cue after a name
    before = text[max(0, sp.start - 12) : sp.start].lower()
    if after.startswith((" state", " province", " border")) or before.endswith(
        ("state of ", "province of ", "upstate ")
    ):
        return "admin", 4.0
    if after.startswith(("-listed", "-based", "-born", "-headquartered")):
        return "city", 2.0  # "New York-listed": the city's exchange
    if before.endswith(("city of ", "town of ", "village of ")):
        return "city", 2.0
    office = _OFFICE_AFTER.match(text, sp.end)
    if office is not None:
        # "Georgia's governor" is a state's, "Georgia's parliament" a country's.
        wanted = "admin" if office.group(1) in _DIVISION_OFFICES else "country"
        return wanted, OFFICE
    return "", 0.0


def _known(cands: list[Candidate]) -> list:
    """What groups of the same readings share (``_READINGS``): the readings, their scores by prominence
    (``_fixed``), their soft votes (``_soft``, filled when first cast) and what contexts read of them
    (``context.read_facts``, filled when first scored)."""
    return [list(cands), _fixed(cands), None, None]


def _fixed(cands: list[Candidate]) -> list[float]:
    """The scores of readings on their own: priors, a country's bare name over its capital's longer
    name, a big city over the division of the same name around it."""
    fixed = [prior(c) for c in cands]  # once per list of readings (``_READINGS``)
    # A big city named like the division around it is what a bare name means ("New York",
    # "São Paulo", "Delhi"), unless the text says state (``_cue``).
    divisions = [c.entry for c in cands if c.entry.kind == "admin"]
    # A country's bare name is the country, not its capital's longer name ("Mexico" is not
    # "Mexico City", "Kuwait" not "Kuwait City").
    countries = {c.entry.country for c in cands if c.entry.kind == "country" and c.quality == PRIMARY}
    for k, c in enumerate(cands) if countries else ():
        if c.entry.kind == "city" and c.quality != PRIMARY and c.entry.country in countries:
            fixed[k] -= COUNTRY_NAME
    for k, c in enumerate(cands) if divisions else ():
        e = c.entry
        if (
            e.kind == "city"
            and not e.capital
            and e.population >= METROPOLIS
            and any(_inside(e, d) for d in divisions)
        ):
            fixed[k] += CITY_OVER_DIVISION
    return fixed


#: tuple of ids of candidates -> [candidates, their ``_fixed`` scores, their ``_soft`` votes on those scores
#: (``None`` until asked), what contexts read of them (``context.read_facts``, ``None`` until asked)]:
#: readings are shared across texts (the look-ups remember them) and a name's readings come again in text
#: after text; the candidates are held, so that their ids name no others.
_READINGS: dict[tuple[int, ...], list] = {}
_READINGS_SIZE = 20_000


class _Group:
    """All spans with the same surface form: one sense per document."""

    __slots__ = (
        "spans",
        "known",
        "candidates",
        "fixed",
        "bonus",
        "choice",
        "p",
        "others",
        "_located",
        "text",
        "needs",
        "trust",
        "facts",
    )

    def __init__(self, spans: list[Span], text: str = "") -> None:
        self.spans = spans
        if len(spans) == 1:
            self.needs, self.trust = spans[0].needs, spans[0].trust
        else:
            self.needs = max([sp.needs for sp in spans])  # the most support any use needs
            self.trust = min([sp.trust for sp in spans])
        self.candidates = cands = spans[0].candidates
        # ``remember_by_ids``, its usual case (remembered) inline: a group is made per name and text.
        known = _READINGS.get(tuple(map(id, cands))) or remember_by_ids(
            _READINGS, cands, _known, _READINGS_SIZE
        )
        #: What the group shares with every group of the same readings (read-only): ``_READINGS``.
        self.known = known
        self.fixed = list(known[1])
        self.bonus = [0.0] * len(self.candidates)  # cue words and containment
        self.choice: Entry | None = None
        self.p = 0.0
        self.others = 0  # how many other places the document names
        self._located: bool | None = None  # some use follows a locative ("at Davos"): worked out when asked
        self.text = text
        self.facts: Facts | None = None  # what contexts read of the candidates, once

    @property
    def located(self) -> bool:
        """Whether some use follows a locative ("at Davos"), read from the text when first asked."""
        if self._located is None:
            self._located = any(after_locative(self.text, sp.start) for sp in self.spans)
        return self._located


def resolve(text: str, spans: list[Span], g: Gazetteer, *, outlines: bool = True) -> list[Mention]:
    """One mention per span, resolved in the context of the whole document (``outlines=False``: with
    no area outlines, see ``storymap.geoparse.find_mentions``).

    Spans with the same surface form and candidates are resolved together (one sense per
    document).  Pass 1 scores prominence, containment and cue words; passes 2-3 add the
    countries, divisions and neighbourhoods of the other places as currently resolved.
    """
    by_key: dict[tuple[str, str], list[Span]] = {}
    within = beside = False  # whether some span is said to be in another, or slash-joined to one
    for sp in spans:
        key = (text[sp.start : sp.end], sp.direction)
        if key in by_key:
            by_key[key].append(sp)
        else:
            by_key[key] = [sp]
        if sp.within is not None:
            within = True
        if sp.beside is not None:
            beside = True
    groups = [_Group(v, text) for v in by_key.values()]
    for grp in groups:
        # A name of one reading has it whatever the cues: they tell only whether a weak one is kept (the
        # last round reads them then).
        if len(grp.candidates) > 1:
            _add_cues(grp, text)
    # Containers are usually unambiguous: resolve them on prominence first, preferring a
    # reading that holds some reading of what is said to be in it ("Rome, Georgia").
    owner = {id(sp): grp for grp in groups for sp in grp.spans} if within else {}
    for grp in groups if within else ():
        for sp in grp.spans:
            if sp.within is None or id(sp.within) not in owner:
                continue
            box = owner[id(sp.within)]
            if len(box.candidates) < 2:
                continue
            for k, w in enumerate(box.candidates):
                if w.entry.kind != "city" and any(
                    _inside(c.entry, w.entry) for c in grp.candidates[:HOLDS_CHECKED]
                ):
                    box.fixed[k] += HOLDS
                    box.bonus[k] += HOLDS
    for grp in groups if beside else ():
        for sp in grp.spans:
            if sp.beside is None or sp.beside.candidates is grp.candidates:
                continue
            others = [c.entry for c in sp.beside.candidates[:HOLDS_CHECKED]]
            for k, c in enumerate(grp.candidates[:HOLDS_CHECKED]):
                if any(km(c.entry, o) <= NEAR_KM for o in others):
                    grp.fixed[k] += BESIDE
                    grp.bonus[k] += BESIDE
    for grp in groups:
        _choose(grp)
    # Boxes that are themselves in a box first ("Austin, in Scott County, Indiana": the Scott
    # County in Indiana), then everything else in its box.
    boxes = (
        {id(owner[id(sp.within)]) for grp in groups for sp in grp.spans if id(sp.within) in owner}
        if within
        else ()
    )
    for grp in sorted(groups, key=lambda grp: id(grp) not in boxes) if boxes else ():  # no box: nothing to do
        held_by = {id(b): b for b in (owner.get(id(sp.within)) for sp in grp.spans) if b is not None}
        ws = [b.choice for b in held_by.values() if b.choice is not None]
        for k, c in enumerate(grp.candidates) if ws else ():  # in no box: every bonus 0.0
            bonus = 0.0
            for w in ws:
                bonus = max(bonus, CONTAINED if _inside(c.entry, w) else NOT_CONTAINED)
            grp.fixed[k] += bonus
            grp.bonus[k] += bonus
        if id(grp) in boxes:
            _choose(grp)
    voting = [(gi, grp) for gi, grp in enumerate(groups) if _votes(grp)]
    voters = len(voting)
    # The groups whose choice moves the others' votes: a choice to make, and a vote.  Rounds before the
    # last score only them (a doubtful name's choice counts for nothing until the last round).
    steering = []
    for gi, grp in enumerate(groups):
        grp.others = voters - (0 if grp.needs else 1)  # doubtful names are no context (``_votes``)
        if len(grp.candidates) == 1:
            grp.p = 1.0
        elif not grp.needs:
            steering.append((gi, grp))
    # Round 0 sees every other group's leading readings (softly weighted), so that a pair
    # like "Huntsville" + "Walker County" can settle on the state where both are, rather
    # than on the state of the more populous Huntsville.
    soft = [(gi, e, w) for gi, grp in voting for e, w in _soft_votes(grp)]
    out = []
    cast: list[tuple[int, Entry, float]] = []
    ctxs: dict[int, tuple[list[float], list[float], dict[int, float]]] = {}
    # With no group steering, every round casts the same votes (a group of one reading casts it softly
    # with weight 1.0, as it does after): the last round is the only one that tells.
    rounds = ROUNDS if steering else 1
    for rnd in range(rounds):
        last = rnd == rounds - 1
        if rnd == 0:
            votes = Votes(soft)
            settled = False
        else:
            was, cast = cast, [(gi, grp.choice, grp.p) for gi, grp in voting if grp.choice is not None]
            # The same votes as last round give the same contexts: reuse them.
            settled = rnd > 1 and cast == was
            if not settled:
                votes = Votes(cast, votes.layout)  # the places of round 0's votes, reweighted
        done, ctxs = ctxs, {}
        for gi, grp in enumerate(groups) if last else steering:
            if last and len(grp.candidates) == 1:
                if not _weak(grp, grp.candidates[0], 0.0):
                    out.extend(_mentions(text, grp.spans, grp.candidates[0], 1.0, outlines))
                    continue
                _add_cues(grp, text)  # its support counts them
            ctx = done.get(gi) if settled else None
            if ctx is None:
                if grp.facts is None:
                    known = grp.known
                    if known[3] is None:
                        known[3] = read_facts([c.entry for c in grp.candidates])
                    grp.facts = Facts((), known[3])
                ctx = votes.scores(gi, grp.facts, grp.fixed)
            ctxs[gi] = ctx
            scores = ctx[0]
            if not last:
                k, grp.p = _lead(scores)
                grp.choice = grp.candidates[k].entry
                continue
            probs = _softmax(scores)
            wides, locals_ = ctx[1], ctx[2]
            # The best reading the document supports; none: not a place ("Walsh said").  The first
            # best is usually supported: the rest are ranked only when it is not.
            for k in _ranked(scores):
                c = grp.candidates[k]
                if _supported(grp, c, wides[k], locals_.get(k, 0.0) + grp.bonus[k]):
                    p = _near_mass(grp, probs, k)
                    if p**CALIBRATION * grp.trust >= FLOOR:
                        out.extend(_mentions(text, grp.spans, c, p, outlines))
                    break  # below the floor: a guess, not a place to draw
    out.sort(key=_BY_PLACE)
    return out


_BY_PLACE = attrgetter("start", "end")  # a mention's (start, end), read by C


def _lead(scores: list[float]) -> tuple[int, float]:
    """The first best reading and its share of the softmax (``_softmax(scores)[k]``, summed the
    same way: the best reading's weight is exactly 1)."""
    top, t = max(scores), TEMPERATURE
    return scores.index(top), 1.0 / sum([10.0 ** ((s - top) / t) for s in scores])


def _ranked(scores: list[float]) -> Iterator[int]:
    """``sorted(range(len(scores)), key=lambda k: (-scores[k], k))``, the first found without sorting."""
    first = scores.index(max(scores))
    yield first
    for k in sorted(range(len(scores)), key=lambda k: (-scores[k], k)):
        if k != first:
            yield k


def _choose(grp: _Group) -> None:
    """The group's reading by its fixed scores alone (its share is worked out by the first round:
    no round reads it before)."""
    grp.choice = grp.candidates[grp.fixed.index(max(grp.fixed))].entry  # the first best


def _near_mass(grp: _Group, probs: list[float], k: int) -> float:
    """The probability that the mention is placed right: the mass of the readings within
    ``SAME_PLACE_KM`` of the chosen one ("Delhi" the city or the territory around it)."""
    e = grp.candidates[k].entry
    mass = 0  # added up as ``sum`` does
    for c, p in zip(grp.candidates, probs, strict=True):
        if p > 1e-4:
            o = c.entry
            if o is e or km(o, e) <= SAME_PLACE_KM:
                mass += p
    return min(1.0, mass)


def _votes(grp: _Group) -> bool:
    """Whether a group's readings count as context for the others: not when recognition
    doubts it is a place at all ("Walsh", "Sake"), until the document has confirmed it."""
    return not grp.needs


def _soft_votes(grp: _Group) -> list[tuple[Entry, float]]:
    """``_soft(grp)``, shared by the groups of the same readings when no cue or box moved their scores
    (read-only)."""
    known = grp.known
    if grp.fixed != known[1]:
        return _soft(grp)
    if known[2] is None:
        known[2] = _soft(grp)
    return known[2]


def _soft(grp: _Group) -> list[tuple[Entry, float]]:
    """The group's leading readings by prominence, weighted by a flattened softmax."""
    fixed = grp.fixed
    # Descending and stable: ties in the order of the candidates, as ``key=lambda k: -fixed[k]``.
    top = sorted(range(len(fixed)), key=fixed.__getitem__, reverse=True)[:SOFT_TOP]
    ws = [10 ** ((fixed[k] - fixed[top[0]]) / SOFT_TEMPERATURE) for k in top]
    total = sum(ws)
    return [(grp.candidates[k].entry, w / total) for k, w in zip(top, ws, strict=True)]


def _weak(grp: _Group, c: Candidate, wide: float) -> bool:
    """Whether a town reading needs support from the rest of the document to be kept."""
    e = c.entry
    if e.kind != "city" or (e.capital and not grp.needs):
        return False  # national capitals are known on their own
    return (
        e.population < TINY
        or (c.quality == ALTERNATE and e.population < EXONYM)
        or grp.needs > 0
        or (
            e.population < FOREIGN
            and wide == 0.0
            and grp.others >= FOREIGN_CONTEXT
            and not (e.population >= UNIQUE and e.population == _largest(grp))
            and not (
                len(grp.candidates) == 1 and c.quality == PRIMARY and e.population >= ONLY_ONE and grp.located
            )
        )
    )


def _largest(grp: _Group) -> int:
    return max(c.entry.population for c in grp.candidates)


def _supported(grp: _Group, c: Candidate, wide: float, local: float) -> bool:
    """Keep a weak town reading only with support: a surname-like name needs local support
    (same division, neighbours, "City, ST"); a tiny, foreign or alternate-name town any."""
    if not _weak(grp, c, wide):
        return True
    if grp.needs:
        return local >= grp.needs
    return wide + local >= TINY_SUPPORT


@cache
def _geometry(ref: str) -> dict[str, Any] | None:
    """The area's outline, decoded once per process and shared by its mentions: read-only.
    (A fresh copy per mention costs half the throughput on country-heavy news.)"""
    return _areas.outline(ref)


@cache
def _directional(ref: str, direction: str) -> tuple[float, float, dict[str, Any]] | None:
    if not _areas.has_outline(ref):
        return None  # a point-only area has no parts (nor an authored one)
    try:
        return _areas.directional_shared(ref, direction)  # shared by the mentions: read-only
    except (KeyError, ValueError):
        return None


@cache
def _directional_point(ref: str, direction: str) -> tuple[float, float, None] | None:
    """``_directional`` without the part's outline (``outlines=False``): an authored part's point is
    stored (``areas.authored_point``), so the outlines are not read for it."""
    point = _areas.authored_point(ref, direction)
    if point is not None:
        return point[0], point[1], None
    part = _directional(ref, direction)
    return None if part is None else (part[0], part[1], None)


@lru_cache(maxsize=4096)
def _plainer(surface: str, name: str) -> bool:
    """Whether the text's spelling is a plainer form of a transliterated name: the name uses
    letters beyond Latin-1 (ā, ḩ, ū) and the surface, in normal case, does not."""
    return (
        any(ord(ch) > 0xFF for ch in name)
        and all(ord(ch) <= 0xFF for ch in surface)
        and not surface.isupper()
        and surface[:1].isupper()
    )


def _mentions(text: str, spans: list[Span], c: Candidate, p: float, outlines: bool) -> list[Mention]:
    """The mentions of a group's spans (one surface form and direction) read as ``c``: what they share
    is worked out once. ``outlines=False``: no geometry (the point of a directional part is still
    worked out from its area's outline)."""
    e = c.entry
    sp = spans[0]
    ref, name, lat, lon = e.ref, e.name, e.lat, e.lon
    surface = text[sp.start : sp.end]
    if e.kind in ("city", "admin") and not sp.direction and c.quality != DEMONYM and _plainer(surface, name):
        name = surface  # "Khan Younis" reads better than GeoNames' "Khān Yūnis"
    geometry = _geometry(e.ref) if outlines and e.kind in _AREA_KINDS else None
    if sp.direction and e.kind in _AREA_KINDS:
        part = _directional(e.ref, sp.direction) if outlines else _directional_point(e.ref, sp.direction)
        if part is not None:
            lat, lon, geometry = part
            ref = f"dir:{sp.direction}:{e.ref}"
            word = surface.split(" ", 1)[0]
            base = e.name[4:] if e.name.startswith("the ") else e.name
            name = f"{word[0].upper()}{word[1:].lower()} {base}"
    kind, country, demonym, stands_for = e.kind, e.country, c.quality == DEMONYM, e.stands_for
    out = []
    confidences = _CONFIDENCES
    for sp in spans:
        trust = sp.trust
        confidence = confidences.get((p, trust))
        if confidence is None:
            confidence = _confidence(p, trust)
        # Mention(start=..., ...) without the frozen dataclass's setattr calls: its mutable twin filled
        # by plain attribute stores, then made a Mention (``_UnfrozenMention``).
        m = _UnfrozenMention()
        m.start = sp.start
        m.end = sp.end
        m.text = text[sp.start : sp.end]
        m.name = name
        m.kind = kind
        m.lat = lat
        m.lon = lon
        m.country = country
        m.confidence = confidence
        m.ref = ref
        m.demonym = demonym
        m.stands_for = stands_for
        m.geometry = geometry
        m.__class__ = Mention
        out.append(m)
    return out


#: (share of the reading, trust of the span) -> the mention's confidence (``_confidence``): most mentions are
#: of a name with one reading (share 1.0) that recognition trusts fully, and ``round`` is slow.
_CONFIDENCES: dict[tuple[float, float], float] = {}
_CONFIDENCES_SIZE = 4096


def _confidence(p: float, trust: float) -> float:
    """The confidence of a mention of a reading with this share, and remembered (``_CONFIDENCES``)."""
    confidence = max(0.0, min(1.0, p**CALIBRATION * trust))
    confidence -= (1.0 - CEILING) * confidence**8
    if len(_CONFIDENCES) >= _CONFIDENCES_SIZE:
        _CONFIDENCES.clear()
    found = _CONFIDENCES[(p, trust)] = round(confidence, 3)
    return found


class _UnfrozenMention:
    """A mutable twin of ``Mention``: the same slots, so an instance filled by plain attribute stores
    becomes a ``Mention`` by ``obj.__class__ = Mention`` (Python checks that the two lay out their
    instances alike), a third of the cost of calling each slot's setter."""

    __slots__ = Mention.__slots__
