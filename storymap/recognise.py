"""Recognition: find the spans of a text that name places, with their candidate entries.

Every capitalised word (or lowercase word hyphenated to one: "al-Bab", "sub-Saharan
Africa") starts a window of up to ``MAX_TOKENS`` words; each window (and the window plus a
trailing full stop, for "U.S." and "Ga.") is looked up in the gazetteer, and the
leftmost-longest hits win.  All-capitals headline lines are read in title case.  General
rules then drop look-alikes:

* people: a title or an unknown capitalised word before the name ("President Petro",
  "Denzel Washington"), a given name before a surname ("Jordan Henderson"), a place name
  used as a given name ("Paris Hilton", "Warren Buffett", "Antony Blinken"), and later bare
  uses of names found that way (unless a locative or a state office shows the place:
  "played in Chad", "Jordan's King Abdullah");
* organisations named after a place: a brand head noun after it ("Washington Post",
  "Texas Instruments", "Boston Red Sox") or a curated whole name ("Paris Saint-Germain");
  institutions of a place stay mentions; named storms ("Hurricane Florence");
* common words: a capitalised common English word ("March", "Man", "Deal") unless it
  names a big place (the most frequent words only a huge one); a rarer one right after a
  locative ("near Sake") is kept if the document supports it;
* town names that are also common given names or surnames ("Walsh", "Paul") are kept
  only with support from the rest of the document (checked by resolution);
* direction words before an area become part of the mention ("eastern Pacific",
  "north-east Nigeria").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from storymap.gazetteer import DEMONYM, FOLDED, SHORT, Candidate, Gazetteer

MAX_TOKENS = 6
_TOKEN = re.compile(r"[^\W_]+")
#: What may separate two words inside one name.
_GAPS = frozenset({" ", "-", "'", "\u2019", ". ", ".", "\u2010", "\u2011"})
_AREA_KINDS = frozenset({"country", "admin", "water", "region"})
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
_LANGUAGE_CUE = re.compile(r"\b(?:speak|speaks|speaking|spoke|learn|learning|fluent in|translated into)\s*$")
#: "in French" is the language when no noun follows ("written in French by ...").
_IN_LANGUAGE = re.compile(r"\bin\s*$")
_LANGUAGE_NEXT = re.compile(
    r"(?:\s*[^\w\s]|\s+(?:and|or|by|with|to|as|on|at|for|from|is|was|but|the|a|an)\b|\s*$)"
)
#: A common word mid-sentence still names a place when a candidate is at least this big.
_BIG_CITY = 100_000
_HUGE = 1_000_000
_WIDE_KINDS = frozenset({"country", "water", "region"})
#: Words this frequent (rank in the common-word list) never name a town on their own.
_VERY_COMMON = 1000
#: Document support a town needs when its name is also a common name or surname.
_NAME_SUPPORT = 1.5
#: How sure recognition is that such a name is a place at all (scales the confidence).
_NAME_TRUST = 0.85
_NAMELIKE_BIG = 100_000


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


def _tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _with_folded(g: Gazetteer, key: str, out: list[Candidate]) -> list[Candidate]:
    """``out`` plus the readings of the accent-folded spelling, each at its best quality.

    Diacritics may be spelt otherwise than in the gazetteer ("Constanța" with a comma below,
    GeoNames "Constanţa" with a cedilla); the folded spelling is indexed for every name."""
    plain = _fold(key)
    if plain == key:
        return out
    best: dict[str, Candidate] = {c.entry.ref: c for c in out}
    for c in g.lookup(plain):
        c = c if c.quality > FOLDED else Candidate(c.entry, FOLDED)
        if c.entry.ref not in best or c.quality < best[c.entry.ref].quality:
            best[c.entry.ref] = c
    return list(best.values())


def _lookup(g: Gazetteer, key: str) -> tuple[list[Candidate], bool]:
    """Candidates for a surface form, and whether it is a demonym."""
    dem = g.demonyms.get(key)
    if dem is not None:
        e = g.entry(dem)
        if e is not None:
            return [Candidate(e, DEMONYM)], True
    abbr = g.abbreviations.get(key)
    if abbr is not None and (e := g.entry(abbr)) is not None:
        return [Candidate(e, SHORT)], False
    out = g.lookup(key)
    if not key.isascii() and (not out or any(c.quality > FOLDED for c in out)):
        out = _with_folded(g, key, out)
    short = g.shortforms.get(key)
    if short is not None:
        e = g.entry(short)
        if e is not None:
            out = [Candidate(e, SHORT), *[c for c in out if c.entry.ref != short]]
    return out, False


def _hits(text: str, toks: list[tuple[int, int]], g: Gazetteer) -> list[Span]:
    hits: list[Span] = []
    n = len(toks)
    for i in range(n):
        s0, e0 = toks[i]
        if not text[s0].isupper() and not (
            text[e0 : e0 + 1] == "-" and text[e0 + 1 : e0 + 2].isupper()  # "al-Bab", "sub-Saharan Africa"
        ):
            continue
        best: Span | None = None
        for j in range(i, min(n, i + MAX_TOKENS)):
            sj, ej = toks[j]
            if j > i:
                gap = text[toks[j - 1][1] : sj]
                if gap not in _GAPS:
                    break
                word = text[sj:ej]
                inner = gap in ("'", "\u2019")  # "Nuku'alofa", "Cox's Bazar"
                if not word[0].isupper() and word not in g.connectors and not inner:
                    break
            surface = text[s0:ej]
            if surface in g.organisations:
                best = Span(s0, ej, [])  # "Paris Saint-Germain", "Bank of America": not places
                continue
            keys = [surface]
            if text[ej : ej + 1] == ".":
                keys.insert(0, surface + ".")
            for key in keys:
                cands, dem = _lookup(g, key)
                if cands:
                    end = s0 + len(key)
                    if best is None or end > best.end:
                        best = Span(s0, end, cands, demonym=dem)
                    break
        if best is not None:
            hits.append(best)
    for m in _COUNTY_LIST.finditer(text):
        unit = "County" if m.group(2).lower() == "counties" else "Parish"
        for n in _COUNTY_NAME.finditer(text, m.start(1), m.end(1)):
            cands = g.lookup(f"{n.group(0)} {unit}")
            if cands:
                hits.append(Span(n.start(), n.end(), cands, listed=True))
    # Datelines: "BEIRUT, Lebanon --", "ST. LOUIS (AP) --".
    for m in _DATELINE.finditer(text):
        cands, dem = _lookup(g, m.group(1).title())
        if cands:
            hits.append(Span(m.start(1), m.end(1), cands, demonym=dem))
    for m in _BARE_DATELINE.finditer(text):
        cands, dem = _lookup(g, m.group(1).title())
        if cands and not dem and any(c.entry.population >= _BIG_CITY for c in cands):
            hits.append(Span(m.start(1), m.end(1), cands))
    return hits


def _select(hits: list[Span]) -> list[Span]:
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


def _word_before(text: str, start: int) -> tuple[str, str]:
    """The word before ``start`` and the gap between (``("", "")`` when none)."""
    m = re.search(r"([^\W_]+\.?)([ \u00a0]+)$", text[max(0, start - 40) : start])
    return (m.group(1), m.group(2)) if m else ("", "")


def _word_after(text: str, end: int) -> str:
    m = re.match(r"[ \u00a0]+([^\W_][\w.&-]*)", text[end : end + 40])
    return m.group(1) if m else ""


#: A surname written with a prefix: "O'Keeffe", "McCartney", "MacLeod".
_SURNAME_SHAPE = re.compile(r"(?:O['\u2019]|Mc|Mac)[A-Z][a-z]+$")
#: A capitalised word right after a name, with what follows it.
_NEXT_NAME = re.compile(r" ([A-Z][\w'\u2019-]*)[ \u00a0]*(\w?)")


def _surname_after(text: str, sp: Span, g: Gazetteer) -> bool:
    """A place name used as a given name: "Paris Hilton", "Kobe Bryant", "Georgia O'Keeffe",
    "Warren Buffett".

    The next word is a surname that names no sizeable place (or, after a common given name,
    a word that is neither English nor a place name), and is not itself followed by another
    capitalised word ("Chicago O'Hare International" is an airport of Chicago)."""
    if sp.demonym or sp.direction:
        return False
    m = _NEXT_NAME.match(text, sp.end)
    if m is None:
        return False
    word, follow = m.group(1), m.group(2)
    if word.endswith(("'s", "\u2019s")):
        word, follow = word[:-2], ""
    if follow.isupper():
        return False
    if word in g.feature_words or word in g.org_heads or word.lower() in g.directions:
        return False
    # After a given name or a small town's name, a word that is neither English nor a place
    # name is a surname too ("Warren Buffett", "Antony Blinken", "Iga Swiatek").
    firstname = text[sp.start : sp.end] in g.given_names or (
        _city_only(sp) and not _is_big(sp, _NAMELIKE_BIG)
    )
    unknown = word.lower() not in g.common_words and not g.known(word)
    if not (word in g.surnames or _SURNAME_SHAPE.match(word) or (firstname and unknown)):
        return False
    if g.common_rank.get(word.lower(), _VERY_COMMON) < _VERY_COMMON:
        return False
    return not any(c.entry.kind in _AREA_KINDS or c.entry.population >= _NAMELIKE_BIG for c in g.lookup(word))


#: What may follow "the <Name>" when the name is used as a place, not as a brand.
_PLACE_AFTER_THE = re.compile(
    r"(?:\s*(?:[.,;:!?)\u2014]|$)|\s+(?:rainforest|basin|river|region|jungle|forest|delta)\b)"
)


def _geographic_use(text: str, sp: Span, prev: str, g: Gazetteer) -> bool:
    """A brand-named place used as a place: after a demonym ("the Brazilian Amazon"), or as
    "the Amazon" on its own or before a geographic noun ("the Amazon rainforest")."""
    if prev in g.demonyms:
        return True
    return prev in ("the", "The") and _PLACE_AFTER_THE.match(text, sp.end) is not None


#: Capitalised words that follow "in" and are never places there.
_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
    ]
)
#: A preposition that introduces a location, right before a name.
_AFTER_LOCATIVE = re.compile(r"\b(?:in|near|outside|of|from|to|at|around)[ \u00a0]+$")


#: "Jordan's King Abdullah", "Georgia's parliament": a possessive before an office or institution.
_OFFICE = re.compile(
    r"['\u2019]s (?:(?:new|former|acting|interim|top) )?(?:[A-Z][a-z]+\b|(?:government|parliament|army|"
    r"military|capital|foreign|defen[cs]e|interior|prime|central bank|president|king|embassy|border)\b)"
)


def _owns_office(text: str, sp: Span, g: Gazetteer) -> bool:
    """A name that owns a state office or institution ("Jordan's King Abdullah") is the place,
    even in a text where the same word was a person's name ("Michael Jordan")."""
    m = _OFFICE.match(text, sp.end)
    if m is None:
        return False
    word = m.group(0).split()[-1]
    return not word[0].isupper() or word in g.titles or word in ("Prime", "Foreign", "Interior", "Defence")


def _inflected(text: str, start: int, word: str) -> bool:
    """A sentence-initial participle or adverb ("Neighbouring Chad", "Embattled Sudan",
    "Nearby Goma"): capitalised only because it starts the sentence, not part of a name."""
    if not word.endswith(("ing", "ed", "ly", "by")) or len(word) < 5:
        return False
    before = text[max(0, start - 3) : start].rstrip(" \u00a0\t")
    return not before or before[-1] in '.!?\n"\u201c'


def after_locative(text: str, start: int) -> bool:
    """Whether a locative preposition stands right before ``start`` ("in", "near", "at")."""
    return _AFTER_LOCATIVE.search(text, max(0, start - 12), start) is not None


def _mid_sentence(text: str, start: int) -> bool:
    """Whether a capitalised common word is used as a place name: inside a sentence, right
    after a locative preposition ("near Sake", "the shops of Chelsea")."""
    return _AFTER_LOCATIVE.search(text, max(0, start - 12), start) is not None


def _city_only(sp: Span) -> bool:
    return not sp.demonym and all(c.entry.kind == "city" for c in sp.candidates)


def _compound(text: str, sp: Span, spans: list[Span], k: int) -> bool:
    """A town name hyphenated to another capitalised word ("Wal-Mart", "Coca-Cola")."""
    if not _city_only(sp):
        return False
    if text[sp.end : sp.end + 1] == "-" and text[sp.end + 1 : sp.end + 2].isupper():
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        return nxt is None or nxt.start != sp.end + 1 or _city_only(nxt)
    if sp.start > 1 and text[sp.start - 1] == "-" and text[sp.start - 2].isalpha():
        if text[sp.start - 2] in "RDI" and (sp.start == 2 or not text[sp.start - 3].isalnum()):
            return False  # "Rep. Humason, R-Westfield": party and home town
        prv = spans[k - 1] if k > 0 else None
        return prv is None or prv.end != sp.start - 1 or _city_only(prv)
    return False


def _is_big(span: Span, size: int = 100_000) -> bool:
    return any(c.entry.population >= size or c.entry.kind in _WIDE_KINDS for c in span.candidates)


#: A line in capitals with at least three words ("RUSSIA STRIKES KHARKIV AS TALKS STALL").
_CAPS_LINE = re.compile(r"(?m)^[^a-z\n]*[A-Z]{2,}[^a-z\n]*(?: [^a-z\n]+){2,}$")


def _uncapped(text: str) -> str:
    """``text`` with every all-capitals headline line in title case, offsets unchanged, so
    that its names are looked up like any other ("KHARKIV" -> "Kharkiv")."""

    def title(m: re.Match[str]) -> str:
        line = re.sub(r"[^\W\d_]+", lambda w: w.group(0)[0] + w.group(0)[1:].lower(), m.group(0))
        return line if len(line) == len(m.group(0)) else m.group(0)

    return _CAPS_LINE.sub(title, text) if "\n" in text else text


def recognise(text: str, g: Gazetteer) -> list[Span]:
    """Place-name spans of ``text`` with candidates, look-alikes removed, sorted by start."""
    text = _uncapped(text)
    toks = _tokens(text)
    spans = _select(_hits(text, toks, g))
    starts = {s.start for s in spans}
    persons: set[str] = set()
    given: set[str] = set()  # given names seen before a surname: later uses are the person's
    kept: list[Span] = []
    for k, sp in enumerate(spans):
        surface = text[sp.start : sp.end]
        prev, gap = _word_before(text, sp.start)
        nxt = _word_after(text, sp.end)
        has_area = any(c.entry.kind in _AREA_KINDS for c in sp.candidates)
        if sp.listed:
            kept.append(sp)
            continue
        if not sp.candidates:
            continue  # an organisation named after a place
        lead = sp.start - len(prev) - len(gap)
        if lead > 1 and text[lead - 1] == "-" and text[lead - 2].isalpha():
            first, _ = _word_before(text[: lead - 1] + " ", lead)
            if f"{first}-{prev}".lower() in g.directions:
                prev = f"{first}-{prev}"  # "north-east Nigeria"
        free = not kept or kept[-1].end <= sp.start - len(prev) - len(gap)
        if prev.lower() in g.directions and has_area and gap == " " and free:
            sp.direction = g.directions[prev.lower()]
            sp.start -= len(prev) + len(gap)
            kept.append(sp)
            continue
        if prev in g.storms:
            continue  # "Hurricane Florence", "Storm Ciarán": named storms, not the towns
        if prev.rstrip(".") in g.titles or prev in g.titles:
            persons.add(surface)  # "President Petro"
            continue
        if surface in g.brands and not _geographic_use(text, sp, prev, g):
            continue  # "Xinhua reported", "a Toyota Corolla"
        if prev in g.org_prefixes and gap == " ":
            continue  # "Real Madrid", "United Russia"
        titled = len(prev) > 1 and prev[0].isupper() and prev[1:].islower()
        if gap == " " and titled and not sp.demonym:
            if prev in g.given_names:
                persons.add(surface)  # "Denzel Washington"
                continue
            if (
                (sp.start - len(prev) - 1) not in starts
                and not prev.endswith(".")
                and prev.lower() not in g.common_words
                and not _inflected(text, sp.start - len(prev) - 1, prev)
                and not g.known(prev)
            ):
                continue  # an unknown capitalised word first: part of a longer name
        if (
            surface in g.given_names
            and nxt in g.surnames
            and g.common_rank.get(nxt.lower(), _VERY_COMMON) >= _VERY_COMMON
            and nxt not in g.feature_words
            and not any(c.entry.kind in _AREA_KINDS for c in g.lookup(nxt))
        ):
            given.add(surface)
            continue  # "Jordan Henderson"
        owner = prev == "of" and _word_before(text, sp.start - 3)[0] in g.org_heads
        if nxt in g.org_heads and not owner:
            continue  # "Washington Post" (but "University of Kentucky College" names Kentucky)
        if _surname_after(text, sp, g):
            continue  # "Paris Hilton"
        if sp.demonym and (
            _LANGUAGE_CUE.search(text, max(0, sp.start - 25), sp.start)
            or (
                _IN_LANGUAGE.search(text, max(0, sp.start - 4), sp.start)
                and _LANGUAGE_NEXT.match(text, sp.end)
            )
            or text[sp.end : sp.end + 9].lower() in ("-language", " language")
        ):
            continue  # "speaks French": the language
        if _compound(text, sp, spans, k):
            continue  # "Wal-Mart"
        rank = g.common_rank.get(surface.lower(), -1) if not sp.demonym else -1
        rarer = rank >= 0 and surface.lower() not in _CALENDAR and _mid_sentence(text, sp.start)
        if rank >= 0 and not rarer and not _is_big(sp, _HUGE if rank < _VERY_COMMON else _BIG_CITY):
            continue  # "March", "Man", "Deal": a common word unless it names a big place
        namelike = " " not in surface and (surface in g.surnames or surface in g.given_names)
        if (namelike or rarer) and not _is_big(sp, _NAMELIKE_BIG):
            sp.needs = _NAME_SUPPORT  # "Walsh", "Paul": towns, or people
            sp.trust = _NAME_TRUST
        kept.append(sp)
    if persons or given:
        # ... unless a locative introduces them ("Georgia began skating" vs "played in Chad").
        kept = [
            s
            for s in kept
            if _owns_office(text, s, g)
            or (
                text[s.start : s.end] not in persons
                and (
                    text[s.start : s.end] not in given
                    or _AFTER_LOCATIVE.search(text, max(0, s.start - 12), s.start)
                )
            )
        ]
    _containment(text, kept, g)
    return kept


#: What ends a list of names ("..., Georgia and Armenia").
_LIST_TAIL = re.compile(r" (?:and|or) (?:the )?[A-Z]")


def _containment(text: str, spans: list[Span], g: Gazetteer) -> None:
    """Link "Paris, Texas" and "Springfield, Ill." (adding the abbreviation as a span)."""
    extra: list[Span] = []
    by_start = {s.start: s for s in spans}
    for sp in spans:
        rest = text[sp.end : sp.end + 12]
        if not rest.startswith(", "):
            continue
        nxt = by_start.get(sp.end + 2)
        if nxt is not None and _LIST_TAIL.match(text, nxt.end):
            continue  # "Rome, Georgia and Armenia": a list, not "Rome, Georgia"
        m = re.match(r", ([A-Z][A-Za-z]?\.?(?: ?[A-Z][a-z]?\.)?[a-z]*\.?)", rest)
        abbr = m.group(1) if m else ""
        for form in (abbr, abbr.rstrip(".")):
            ref = g.after_comma.get(form)
            e = g.entry(ref) if ref else None
            if e is None:
                continue
            start = sp.end + 2
            end = start + len(form)
            if end < len(text) and text[end].isalnum():
                break
            if nxt is not None and nxt.end <= end:
                nxt.candidates = [Candidate(e, SHORT)]  # "Wichita, Kan." is Kansas, not a town called Kan
                sp.within = nxt
            elif nxt is None:
                st = Span(start, end, [Candidate(e, SHORT)])
                sp.within = st
                extra.append(st)
            break
        else:
            if nxt is not None:
                sp.within = nxt
    if extra:
        # The abbreviation wins over shorter spans inside it ("W. Va." over "Va.").
        spans[:] = [s for s in spans if not any(s.start < x.end and x.start < s.end for x in extra)]
        spans.extend(extra)
        spans.sort(key=lambda s: s.start)
