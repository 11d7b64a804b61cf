"""Recognition: find the spans of a text that name places, with their candidate entries.

``storymap.geoparse.spans`` proposes every stretch of words that names a gazetteer entry
(all-capitals headline lines are read in title case first).  General rules here then
drop look-alikes:

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
from operator import attrgetter

from storymap.geoparse.gazetteer import SHORT, Candidate, Entry, Gazetteer
from storymap.geoparse.nonplaces import (
    AREA,
    BRAND,
    CALENDAR_WORD,
    GIVEN,
    LARGEST,
    LARGEST_BY_NAME,
    RULED,
    SURNAME,
    TITLED,
    TOWNS,
    WIDE,
    WIDE_BY_NAME,
    after_locative,
    asks_sky,
    before_flags,
    doubtful,
    facts_of,
    last_word,
    name_facts,
    page_furniture,
    readings,
    why_not,
)
from storymap.geoparse.spans import BIG_CITY, Span, hits, select
from storymap.geoparse.words import LOCATIVES

_AREA_KINDS = frozenset({"country", "admin", "water", "region"})
_LANGUAGE_CUE = re.compile(
    r"\b(?:speak|speaks|speaking|spoke|learn|learning|fluent in|translated into)"
    r"(?:\s+(?:fluent|good|perfect|broken|little|some|basic))?\s*$"
)
#: "in French" is the language when no noun follows ("written in French by ...").
_IN_LANGUAGE = re.compile(r"\bin\s*$")
_LANGUAGE_NEXT = re.compile(
    r"(?:\s*[^\w\s]|\s+(?:and|or|by|with|to|as|on|at|for|from|is|was|but|the|a|an)\b|\s*$)"
)
#: A common word mid-sentence still names a place when a candidate is at least this big.
_HUGE = 1_000_000
#: Words this frequent (rank in the common-word list) never name a town on their own.
_VERY_COMMON = 1000
#: Document support a town needs when its name is also a common name or surname.
_NAME_SUPPORT = 1.5
#: How sure recognition is that such a name is a place at all (scales the confidence).
_NAME_TRUST = 0.85
_NAMELIKE_BIG = 100_000


#: The word before a position and the gap between, read backwards: ``_word_before`` matches it at the
#: start of the reversed 40 characters before the position, rather than searching them for
#: ``([^\W_]+\.?)([ \u00a0]+)$`` (whose ``$`` also matches before a final newline).
_WORD_BEFORE_REVERSED = re.compile(r"\n?([ \u00a0]+)(\.?[^\W_]+)")


def _word_before(text: str, start: int) -> tuple[str, str]:
    """The word before ``start`` and the gap between (``("", "")`` when none)."""
    m = _WORD_BEFORE_REVERSED.match(text[max(0, start - 40) : start][::-1])
    return (m.group(2)[::-1], m.group(1)[::-1]) if m else ("", "")


def _before(text: str, start: int) -> tuple[str, str, str]:
    """``_word_before`` and ``nonplaces.last_word``: the word before ``start``, the gap between, and the
    last space-separated piece before it.  Most names follow one space and a plain word (or one with a
    final full stop: "St.") that a space starts: then all three are read off with one ``rfind`` (a
    word character other than "_" is one for which ``str.isalnum`` holds); many follow no space at all
    (a line start, a quote, a bracket): then there is no word before.  The rest are read as those say."""
    c = text[start - 1 : start]
    if c == " ":
        p = text.rfind(" ", start - 40 if start > 40 else 0, start - 1)  # (not ``max``: a call per name)
        word = text[p + 1 : start - 1]
        if p >= 0 and (word.isalnum() or (word[-1:] == "." and word[:-1].isalnum())):
            return word, " ", word
    elif c != "\u00a0" and (c != "\n" or text[start - 2 : start - 1] not in (" ", "\u00a0")):
        return "", "", last_word(text, start)  # no gap right before ``start``: no word before
    return (*_word_before(text, start), last_word(text, start))


_START = attrgetter("start")

#: The word after a name and a gap, matched within 40 characters: the pattern has no anchor or look-around,
#: so matching between positions is matching the slice.
_WORD_AFTER = re.compile(r"[ \u00a0]+([^\W_][\w.&-]*)")
#: What ``after_locative`` finds before a name is the word before it (``_word_before``) too.
_LOCATIVE_WORDS = frozenset([*LOCATIVES, "of"])


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
    firstname = text[sp.start : sp.end] in g.given_names or _small_town(sp)
    unknown = word.lower() not in g.common_words and not g.known(word)
    if not (word in g.surnames or _SURNAME_SHAPE.match(word) or (firstname and unknown)):
        return False
    if g.common_rank.get(word.lower(), _VERY_COMMON) < _VERY_COMMON:
        return False
    return not any(
        c.entry.kind in _AREA_KINDS or c.entry.population >= _NAMELIKE_BIG for c in g.candidates(word)
    )


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


def _big(sp: Span) -> bool:
    """Whether some reading of the span is a country, water or region, or a place as big as a name's."""
    known = readings(sp)
    return known[WIDE] or known[LARGEST] >= _NAMELIKE_BIG


def _small_town(sp: Span) -> bool:
    """Whether all the span's readings are towns, none of them as big as a common name's place."""
    known = readings(sp)
    return known[TOWNS] and not (known[WIDE] or known[LARGEST] >= _NAMELIKE_BIG)


def _city_only(sp: Span) -> bool:
    return not sp.demonym and all(c.entry.kind == "city" for c in sp.candidates)


def _compound(text: str, sp: Span, spans: list[Span], k: int) -> bool:
    """A town name hyphenated to another capitalised word ("Wal-Mart", "Coca-Cola")."""
    # The hyphens first: most names have none beside them (and then whatever the readings).
    hyphen_after = text[sp.end : sp.end + 1] == "-" and text[sp.end + 1 : sp.end + 2].isupper()
    if not hyphen_after and not (sp.start > 1 and text[sp.start - 1] == "-" and text[sp.start - 2].isalpha()):
        return False
    if not _city_only(sp):
        return False
    if hyphen_after:
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        return nxt is None or nxt.start != sp.end + 1 or _city_only(nxt)
    if sp.start > 1 and text[sp.start - 1] == "-" and text[sp.start - 2].isalpha():
        if text[sp.start - 2] in "RDI" and (sp.start == 2 or not text[sp.start - 3].isalnum()):
            return False  # "Rep. Humason, R-Westfield": party and home town
        prv = spans[k - 1] if k > 0 else None
        return prv is None or prv.end != sp.start - 1 or _city_only(prv)
    return False


#: A line in capitals with at least three words ("RUSSIA STRIKES KHARKIV AS TALKS STALL").  The look-ahead
#: first makes sure the line holds no lowercase letter (as the whole match must): a line of lowercase words
#: then fails at its first one, without the tries of the rest of the pattern.
_CAPS_LINE = re.compile(r"(?m)^(?=[^a-z\n]*$)[^a-z\n]*[A-Z]{2,}[^a-z\n]*(?: [^a-z\n]+){2,}$")


def _uncapped(text: str) -> str:
    """``text`` with every all-capitals headline line in title case, offsets unchanged, so
    that its names are looked up like any other ("KHARKIV" -> "Kharkiv")."""

    def title(m: re.Match[str]) -> str:
        line = re.sub(r"[^\W\d_]+", lambda w: w.group(0)[0] + w.group(0)[1:].lower(), m.group(0))
        return line if len(line) == len(m.group(0)) else m.group(0)

    if "\n" not in text:
        return text
    # Line by line: a match lies within one line and starts it, so matching each line at its start finds
    # the same lines as searching the whole text, whose every position ``^`` would be tried at.
    lines = text.split("\n")
    if not any(map(_CAPS_LINE.match, lines)):
        return text
    return "\n".join(_CAPS_LINE.sub(title, line) for line in lines)


def recognise(text: str, g: Gazetteer) -> list[Span]:
    """Place-name spans of ``text`` with candidates, look-alikes removed, sorted by start."""
    text = _uncapped(text)
    spans = select(hits(text, g))
    starts = set(map(_START, spans))  # (the starts before any direction word joins its name)
    persons: set[str] = set()
    given: set[str] = set()  # given names seen before a surname: later uses are the person's
    kept: list[Span] = []
    sky = asks_sky(text)
    names, befores = facts_of(g)
    for a, b in zip(spans, spans[1:], strict=False) if "/" in text else ():
        if b.start == a.end + 1 and text[a.end] == "/" and not (a.demonym or b.demonym):
            a.beside, b.beside = b, a  # "Vienna/Fairfax-GMU": one locality
    name_end = -1  # end of the last span found to be part of a person's or organisation's name

    def judge(k: int, sp: Span) -> None:
        """Keep ``sp`` or not, noting the people and names it shows."""
        nonlocal name_end
        start, end = sp.start, sp.end
        surface = text[start:end]
        # The span's ``readings`` are asked for only by the rules that read them: most names pass none.
        named, rank = names.get(surface) or name_facts(names, surface, g)
        chained = name_end >= 0 and text[name_end:start] == " "
        name_end = -1
        if chained and not sp.demonym and not sp.listed and readings(sp)[TOWNS]:
            persons.add(surface)
            name_end = end
            return  # "Farhan Aziz Haq": the rest of a name already found to be a person's
        if sp.listed:
            kept.append(sp)
            return
        if not sp.candidates:
            return  # an organisation named after a place
        prev, gap, last = _before(text, start)
        word = prev
        following = text[end : end + 1]
        # ``_WORD_AFTER`` needs a space first: the other names are followed by no word.  A lowercase word
        # after one space is no word the rules read either: they read only a capitalised next word (no
        # surname, given name or head of an organisation's name starts in lowercase, as
        # tests/test_geoparse_memo.py checks).
        spaced = following == " " and not "a" <= text[end + 1 : end + 2] <= "z"
        m = _WORD_AFTER.match(text, end, end + 40) if spaced or following == "\u00a0" else None
        nxt = m.group(1) if m else ""
        # A hyphen right before the word before is part of ``last`` (the piece before the name): only when
        # ``last`` is longer than the word is it looked for.
        lead = start - len(prev) - len(gap) if last != prev else 0
        if lead > 1 and text[lead - 1] == "-" and text[lead - 2].isalpha():
            before = text[max(0, lead - 41) : lead - 1] + " "
            first, _ = _word_before(before, len(before))
            if f"{first}-{prev}".lower() in g.directions:
                prev = f"{first}-{prev}"  # "north-east Nigeria"
        flags = befores.get(prev)
        if flags is None:
            flags = before_flags(befores, prev, g)
        ruled = flags & RULED
        if ruled:
            if (
                prev.lower() in g.directions
                and gap == " "
                and (not kept or kept[-1].end <= start - len(prev) - len(gap))  # free
                and readings(sp)[AREA]
            ):
                sp.direction = g.directions[prev.lower()]
                sp.start -= len(prev) + len(gap)
                kept.append(sp)
                return
            if prev in g.storms:
                return  # "Hurricane Florence", "Storm Ciarán": named storms, not the towns
            if prev.rstrip(".") in g.titles or prev in g.titles:
                persons.add(surface)  # "President Petro"
                name_end = end
                return
        if named & BRAND and not _geographic_use(text, sp, prev, g):
            return  # "Xinhua reported", "a Toyota Corolla"
        if ruled and prev in g.org_prefixes and gap == " ":
            return  # "Real Madrid", "United Russia"
        # "March", "Man", "Deal": a common word unless it names a big place under this very name ("Log" is not
        # Łódź, "Hang" not Hangzhou, "Sale" not Salé), or a rarer one right after a locative ("near Sake").
        rarer = common = False
        if rank >= 0 and not sp.demonym:
            # ``after_locative`` finds only a locative that is the word before the name.
            located = word in _LOCATIVE_WORDS and after_locative(text, start)
            rarer = located and not named & CALENDAR_WORD
            m = _ABBREVIATED_STATE.match(text, end) if following == "," else None
            if m is not None:
                rarer = rarer or m.group(1) in g.after_comma or m.group(1).rstrip(".") in g.after_comma
            size = _HUGE if rank < _VERY_COMMON else BIG_CITY
            if not rarer:
                known = readings(sp)
                common = not (known[WIDE_BY_NAME] or known[LARGEST_BY_NAME] >= size)
        # The common-word rule comes last and leaves no trace, as do the rules between it and the last rule
        # that notes a person or a name: for a common word, only those rules matter, and the "interface" rule
        # of ``why_not`` (``page_furniture``, among its costliest) only when one of them applies.
        reason = why_not(text, sp, surface, named, prev, gap, last, nxt, g, sky, not common)
        if reason:
            if reason == "team" and common and page_furniture(text, sp, named, prev, gap, last, nxt, g):
                return  # the "interface" rule first
            if reason != "interface" and not readings(sp)[AREA]:
                given.add(surface)  # later bare uses are the same person or thing
            if reason == "person":
                name_end = end
            return
        noted = ""  # what the rules below note: a person's name, a longer name, a given name
        if gap == " " and flags & TITLED and not sp.demonym:
            if prev in g.given_names:
                noted = "person"  # "Denzel Washington"
            elif (
                (start - len(prev) - 1) not in starts
                and not prev.endswith(".")
                and prev.lower() not in g.common_words
                and not _inflected(text, start - len(prev) - 1, prev)
                and not g.known(prev)
            ):
                noted = "name"  # an unknown capitalised word first: part of a longer name
        if (
            not noted
            and named & GIVEN
            and nxt in g.surnames
            and g.common_rank.get(nxt.lower(), _VERY_COMMON) >= _VERY_COMMON
            and nxt not in g.feature_words
            and not any(c.entry.kind in _AREA_KINDS for c in g.candidates(nxt))
        ):
            noted = "given"  # "Jordan Henderson"
        if common and (not noted or page_furniture(text, sp, named, prev, gap, last, nxt, g)):
            return  # a common word (or page furniture before it)
        if noted:
            if noted == "person":
                persons.add(surface)
            if noted == "given":
                given.add(surface)
            else:
                name_end = end
            return
        owner = prev == "of" and _word_before(text, start - 3)[0] in g.org_heads
        if (nxt in g.org_heads or nxt.rstrip(".") in g.org_heads) and not owner:
            return  # "Washington Post" (but "University of Kentucky College" names Kentucky)
        if following == " " and "A" <= text[end + 1 : end + 2] <= "Z" and _surname_after(text, sp, g):
            return  # "Paris Hilton" (``_NEXT_NAME`` needs a space and a capital A-Z after the name)
        if sp.demonym and (
            _LANGUAGE_CUE.search(text, max(0, start - 25), start)
            or (_IN_LANGUAGE.search(text, max(0, start - 4), start) and _LANGUAGE_NEXT.match(text, end))
            or text[end : end + 9].lower() in ("-language", " language")
        ):
            return  # "speaks French": the language
        # ``_compound`` needs a hyphen beside the name.
        if (following == "-" or text[start - 1 : start] == "-") and _compound(text, sp, spans, k):
            return  # "Wal-Mart"
        namelike = " " not in surface and named & (SURNAME | GIVEN)
        if ((namelike or rarer) and not _big(sp)) or doubtful(text, sp, surface, named):
            sp.needs = _NAME_SUPPORT  # "Walsh", "Paul": towns, or people; "Macy's": a shop
            sp.trust = _NAME_TRUST
        kept.append(sp)

    # A name repeated in the same surroundings is judged once ("Paris Paris Paris ..."): the
    # judgement depends only on the text around the span and on its neighbouring spans.
    memo: dict[tuple, tuple] = {}
    remember = len(text) >= MEMO_FROM
    for k, sp in enumerate(spans) if not remember else ():
        judge(k, sp)
    for k, sp in enumerate(spans) if remember else ():
        key = _surroundings(text, spans, k, kept, name_end)
        seen = memo.get(key)
        surface = text[sp.start : sp.end]
        if seen is None:
            n_kept, start = len(kept), sp.start
            judge(k, sp)
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[key] = (
                len(kept) > n_kept,
                surface in persons,
                surface in given,
                name_end == sp.end,
                sp.start - start,
                sp.direction,
                sp.needs,
                sp.trust,
            )
            continue
        keep, person, named, ends_name, shift, sp.direction, sp.needs, sp.trust = seen
        sp.start += shift
        if keep:
            kept.append(sp)
        if person:
            persons.add(surface)
        if named:
            given.add(surface)
        name_end = sp.end if ends_name else -1
    if persons or given:
        # ... unless a locative introduces them ("Georgia began skating" vs "played in Chad").
        # (``_owns_office`` asked last: it needs a possessive after the name.)
        kept = [
            s
            for s in kept
            if (
                (name := text[s.start : s.end]) not in persons
                and (name not in given or after_locative(text, s.start))
            )
            or (text[s.end : s.end + 2] in ("'s", "\u2019s") and _owns_office(text, s, g))
        ]
    _containment(text, kept, g)
    return kept


#: How far around a span its judgement may look (the sentence of a sports result included).
SURROUNDINGS = 1100
#: Judgements remembered per document (emptied when full: memory stays bounded) ...
_MEMO_SIZE = 10_000
#: ... in texts at least this long (a shorter one cannot repeat its surroundings much).
MEMO_FROM = 20_000


def _surroundings(text: str, spans: list[Span], k: int, kept: list[Span], name_end: int) -> tuple:
    """What the judgement of ``spans[k]`` depends on: the text around it, its neighbouring
    spans and readings, and where the last kept span and the last person's name end."""
    sp = spans[k]
    lo, hi = max(0, sp.start - SURROUNDINGS), sp.end + SURROUNDINGS
    near = tuple(
        (o.start - sp.start, o.end - sp.start, o.demonym, o.listed, len(o.candidates))
        for o in spans[max(0, k - 2) : k + 2]
        if o.end > lo and o.start < hi
    )
    last = kept[-1].end - sp.start if kept and kept[-1].end > lo else None
    return (
        hash(text[lo:hi]),
        sp.start - lo,
        max(0, hi - len(text)),
        near,
        last,
        name_end - sp.start if name_end >= lo else None,
        sp.demonym,
        sp.listed,
        tuple(c.entry.ref for c in sp.candidates[:3]),
        len(sp.candidates),
    )


#: ", NSW", ", Vic.", ", Calif.": a state abbreviation right after a name.
_ABBREVIATED_STATE = re.compile(r", ([A-Z][A-Za-z.]{1,5})(?![\w])")

#: ", TX", ", Ga.", ", N.S.W.": what may abbreviate a state after a name.
_STATE_AFTER_COMMA = re.compile(r", ([A-Z]{2,3}(?![\w.])|[A-Z][A-Za-z]?\.?(?: ?[A-Z][a-z]?\.)?[a-z]*\.?)")

#: What ends a list of names ("..., Georgia and Armenia").
_LIST_TAIL = re.compile(r" (?:and|or) (?:the )?[A-Z]")


#: Words between a place and the larger place it is said to be in: "Mirpur district of Dhaka",
#: "Guma Local Government Area of Benue State", "Austin, in Scott County".
_WITHIN = re.compile(
    r"(?:,? in |,? (?:district|county|province|region|state|municipality|governorate|Local Government Area)"
    r" of | \()"
)


def _containment(text: str, spans: list[Span], g: Gazetteer) -> None:
    """Link "Paris, Texas", "Springfield, Ill.", "Orange, NSW" (adding the abbreviation as a
    span), "Embu (Kenya)", "Austin, in Scott County" and "the Mirpur district of Dhaka"."""
    extra: list[Span] = []
    by_start = {s.start: s for s in spans}
    for sp in spans:
        # ``_WITHIN`` needs a comma or a space after the name, the rest a comma and a space.
        after = text[sp.end : sp.end + 2]
        link = _WITHIN.match(text, sp.end) if after[:1] in (",", " ") else None
        if link is not None and sp.within is None:
            box = by_start.get(link.end())
            closed = not link.group(0).endswith("(") or (
                box is not None and text[box.end : box.end + 1] == ")"
            )
            kinds = (
                ("country", "admin", "region")
                if link.group(0).endswith("(")
                else ("country", "admin", "region", "city")
            )
            if (
                box is not None
                and closed
                and box is not sp
                and any(c.entry.kind in kinds for c in box.candidates)
            ):
                sp.within = box
                continue
        if after != ", ":
            continue
        rest = text[sp.end : sp.end + 12]
        nxt = by_start.get(sp.end + 2)
        if nxt is not None and _LIST_TAIL.match(text, nxt.end):
            continue  # "Rome, Georgia and Armenia": a list, not "Rome, Georgia"
        m = _STATE_AFTER_COMMA.match(rest)
        abbr = m.group(1) if m else ""
        for form in (abbr, abbr.rstrip(".")):
            refs = g.after_comma_all.get(form, ())
            boxes = [e for e in (g.entry(r) for r in refs) if e is not None]
            if len(boxes) > 1:  # "Albany, WA": the state that holds a reading of the town
                boxes.sort(key=lambda b: not any(_holds(b, c.entry) for c in sp.candidates))
            e = boxes[0] if boxes else None
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


def _holds(box: Entry, e: Entry) -> bool:
    """Whether a division holds a town, by country and GeoNames admin1 code."""
    return e.country == box.country and bool(e.admin1) and e.admin1 == box.admin1
