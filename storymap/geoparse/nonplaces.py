"""Names that are not places: shapes of text that make a place-like name something else.

``recognise`` asks ``why_not`` about each span before resolution.  Each rule is a general
convention of English news copy, not a list of articles' names:

* person: a middle initial ("Elizabeth A. Burton", "John F. Kennedy"), a name particle
  ("Otto von Bismarck"), a suffix ("Cuba Gooding Jr."), a character's actor in brackets
  ("Milo (Bill Hader)"), a given name before a surname-like word ("Kyle Kuzma");
* title: a peerage ("Duke of York", "Lord Baker of Dorking");
* thing: a lowercase head noun after the name ("Brent crude", "Reston ebolavirus",
  "Brussels sprouts");
* org: a stock ticker after the name ("Cisco Systems Inc. (NASDAQ: CSCO)");
* sky: a planet or mythological name in a text about the sky ("Jupiter", "Ares");
* interface: page furniture ("Log In", "For Sale") and English words capitalised as part of a
  heading or a longer proper name ("Eclectic Fall Bowl Centerpiece", "Homeland Security");
* team: a club named after its town in a sentence about a match ("Liverpool beat Everton 2-0").

``doubtful`` tells names that may still be places but need support from the rest of the
document: a small town in the possessive ("Macy's"), an English word that starts a
sentence ("Mobile apps"), a sky name outside a sky context.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from weakref import WeakKeyDictionary

from storymap.geoparse.gazetteer import PRIMARY, SHORT, Gazetteer, remember_by_ids
from storymap.geoparse.spans import Span
from storymap.geoparse.words import CALENDAR, LOCATIVES, lazy_patterns

_AREA_KINDS = frozenset({"country", "admin", "water", "region"})
#: A sizeable place: a name this big is a place even when the word is also English.
BIG = 100_000
#: ... and a name this big even when capitalised by position or inside a capitalised phrase.
HUGE = 1_000_000
#: A capitalised word rarer than this many English words, and no place name, is someone's name.
NAMEY_RANK = 15_000
#: A town in the possessive smaller than this is as likely a shop or a person ("Macy's").
POSSESSIVE_TOWN = 50_000

_MIDDLE_INITIAL_AFTER = re.compile(r" [A-Z]\. [A-Z][a-z]")
_PARTICLE_BEFORE = re.compile(r"\b([A-Z][a-z]+) (?:von|Von|van|Van|de|der|den|da|di|du|del|dos|bin|ibn) $")
_SUFFIX_AFTER = re.compile(r"(?: [A-Z][\w'\u2019-]+)?,? (?:Jr|Sr)\.?(?!\w)|(?: [A-Z][\w'\u2019-]+) I{2,3}\b")
_BRACKETED_NAME = re.compile(r" \(((?:[A-Z][a-z][\w'\u2019-]* )?[A-Z][a-z][\w'\u2019-]*)\)")
#: More name after a name, then what people do: "Bong Joon Ho thanked", "India Arie performed".
_NAME_GOES_ON = re.compile(
    r"[ -]((?:[A-Z][a-z]+ ){0,2}[A-Z][a-z]+)(?:['\u2019]s\b| (?:said|says|told|added|wrote|writes|performed|"
    r"sang|sings|scored|starred|stars|directed|thanked|won|could|would|will|has|had|was|is|who)\b)"
)
#: Newspaper titles that are also town names ("Boston Herald", "San Luis Obispo Tribune").
_PAPERS = frozenset(
    [
        "Herald",
        "Tribune",
        "Times",
        "Post",
        "Journal",
        "Gazette",
        "Chronicle",
        "Courier",
        "Examiner",
        "Observer",
        "Sentinel",
        "Inquirer",
        "Register",
        "Bulletin",
        "Dispatch",
        "Telegraph",
        "Guardian",
        "Mirror",
        "Express",
        "Ledger",
        "Globe",
        "Monitor",
        "Enquirer",
    ]
)
_PARTICLES = frozenset(
    ["von", "Von", "van", "Van", "de", "der", "den", "da", "di", "du", "del", "dos", "bin", "ibn"]
)
#: Verbs of one team beating another ("Chelsea beat Arsenal").
_TEAM_VERBS = (
    "beat",
    "beats",
    "defeated",
    "defeats",
    "edged",
    "thrashed",
    "routed",
    "crushed",
    "hammered",
    "stunned",
)
_TEAM_LAST = frozenset([*_TEAM_VERBS, "vs", "vs.", "v", "v.", "to", "with", "the"])
_TWO_NAMES = re.compile(r" ([A-Z][a-z]+) ([A-Z][a-z]+)\b(?! [A-Z])")
#: A name that goes on with a Romance particle and another name ("Montana de Oro").
_LONGER_NAME = re.compile(r" (?:de|del|dei|della|da|do|di|des|du) [A-Z][a-z]")
_TICKER_AFTER = re.compile(
    r"(?: [A-Z][\w.&]*){0,3},? \((?:NYSE|NASDAQ|Nasdaq|LSE|TSX|ASX|OTC|NYSE American)\s*:"
)
_NAMED_PEER = re.compile(r"\b(?:Prince|Princess) [A-Z][a-z]+ of $")  # "Prince Albert of Monaco" rules it
_UI_AFTER = re.compile(r" (?:In|Out|Up)\b")
_UI_BEFORE = re.compile(r"(?:^|[^.!?\n] )(?:For|On) $")
_SCORE = re.compile(r"\b\d{1,3}-\d{1,3}\b")
_SPORT_WORDS = re.compile(
    r"\b(?:goals?|match|season|league|cup|points|wickets?|innings|striker|midfielder|coach|derby|"
    r"stadium|kick-off|touchdowns?|playoffs?|quarterback|scored|fixture|half-time|semi-final|final)\b",
    re.IGNORECASE,
)
_TEAM_VERB_AFTER = re.compile(
    r" (?:beat|beats|defeated|defeats|edged|thrashed|routed|crushed|hammered|stunned|drew|draw|lost|"
    r"won|came from behind|vs\.?|v\.?)(?!\w)"
)
#: The first word of each verb of ``_TEAM_VERB_AFTER``: what ``_HEAD_NOUN`` finds there when it matches.
_TEAM_FIRST = frozenset([*_TEAM_VERBS, "drew", "draw", "lost", "won", "came", "vs", "v"])
#: What the code looks for right before a name, as searched for in the text: patterns written forwards,
#: compiled when first asked for (``nonplaces._PEERAGE``: the module's ``__getattr__``). The code matches
#: them read backwards (``_..._REVERSED``), and tests/test_geoparse_memo.py checks that both find the same;
#: a process that geoparses compiles only the ones it uses.
_FORWARD = {
    "_MIDDLE_INITIAL_BEFORE": r"\b[A-Z][a-z]+ [A-Z]\. $",
    "_PEERAGE": (
        r"\b(?:Duke|Duchess|Earl|Countess|Marquess|Marquis|Marchioness|Baron|Baroness|Viscount|Viscountess"
        r"|Lord|Lady|Prince|Princess)(?: (?:and|&) (?:Duke|Duchess|Earl|Countess|Prince|Princess))?"
        r"(?: [A-Z][a-z]+)? of $"
    ),
    "_TEAM_VERB_BEFORE": (
        r"\b(?:beat|beats|defeated|defeats|edged|thrashed|routed|crushed|hammered|stunned|vs\.?|v\.?|"
        r"lost(?: \d{1,3}-\d{1,3})? to|drew(?: \d{1,3}-\d{1,3})? with|fell(?: \d{1,3}-\d{1,3})? to)"
        r" (?:the )?$"
    ),
    "_CAPITALISED_BEFORE": r"(?:[A-Z][a-z]+ (?:(?:and|of|for|the) )?){1,3}$",
}


#: The patterns of ``_FORWARD``, compiled when first asked for.
__getattr__ = lazy_patterns(__name__, _FORWARD)


#: ``_MIDDLE_INITIAL_BEFORE``, ``_PEERAGE`` and ``_TEAM_VERB_BEFORE`` read backwards: each matched at the
#: start of the reversed text before a name rather than searched for in it (a search tries every start;
#: ``$`` also matches before a final newline, hence the optional newline first).
_MIDDLE_INITIAL_BEFORE_REVERSED = re.compile(r"\n? \.[A-Z] [a-z]+[A-Z]\b")
_PEERS = (
    "Duke|Duchess|Earl|Countess|Marquess|Marquis|Marchioness|Baron|Baroness|Viscount|Viscountess|Lord|Lady"
)
_PEERS_JOINED = "Duke|Duchess|Earl|Countess|Prince|Princess"
_PEERAGE_REVERSED = re.compile(
    r"\n? fo (?:[a-z]+[A-Z] )?(?:(?:"
    + _PEERS_JOINED[::-1]
    + r") (?:dna|&) )?(?:"
    + (_PEERS + "|Prince|Princess")[::-1]
    + r")\b"
)
_SCORE_REVERSED = r"(?: \d{1,3}-\d{1,3})?"
_TEAM_VERB_BEFORE_REVERSED = re.compile(
    r"\n?(?: eht)? (?:"
    + "beat|beats|defeated|defeats|edged|thrashed|routed|crushed|hammered|stunned"[::-1]
    + r"|\.?sv|\.?v|ot"
    + _SCORE_REVERSED
    + r" tsol|htiw"
    + _SCORE_REVERSED
    + r" werd|ot"
    + _SCORE_REVERSED
    + r" llef)\b"
)
_SKY_CONTEXT = re.compile(
    r"\b(?:planets?|moons?|orbit\w*|spacecraft|NASA|telescopes?|astronom\w+|asteroids?|comets?|solar system|"
    r"rovers?|constellations?|galax\w+|gods?|goddess\w*|myth\w*|night sky|the sky)\b"
)
_SKY_AFTER = re.compile(r"['\u2019]s (?:rings?|moons?|atmosphere|orbit|surface|red spot|gravity)\b")
#: A lowercase head noun right after a name ("Brent crude"), a lowercase word next ("Mobile apps"),
#: the third word of a heading.
_HEAD_NOUN = re.compile(r" ([a-z]+)\b")
_LOWER_NEXT = re.compile(r" [a-z]")
_THIRD_WORD = re.compile(r" \S+ ([A-Z][a-z]+)\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:/\n\"\u201c]\s*|\d\.\s+)$")
_HEADING_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")
#: Words that may stay lowercase in a title-case heading.
_MINOR = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "vs",
        "via",
        "into",
        "over",
        "per",
        "up",
    ]
)


#: Words for administrative units that follow a name ("Donetsk Oblast", "Idlib Governorate").
_ADMIN_WORDS = frozenset(
    [
        "Oblast",
        "Krai",
        "Governorate",
        "Prefecture",
        "Municipality",
        "Borough",
        "Raion",
        "Okrug",
        "Voivodeship",
        "Canton",
        "Emirate",
        "Regency",
        "Division",
        "Department",
        "Territory",
        "Zone",
        "Sheriff",
        "Police",
    ]
)


#: What the rules ask of the word before a name, as flags (``before_flags``): whether it is a direction, a
#: storm's or a person's title or the first word of an organisation's name (``RULED``: the rules on that
#: word alone may apply), and whether it is capitalised like a name ("Denzel", ``TITLED``).
RULED, TITLED = 1, 2
#: What the rules ask of a name, as flags (``name_facts``): whether it is a given name, a surname, a brand, a
#: sky name, a newspaper's title word, an English word or a calendar word (lowercased).
GIVEN, SURNAME, BRAND, SKY, PAPER, ENGLISH, CALENDAR_WORD = (1 << i for i in range(7))
#: Per gazetteer, the ``name_facts`` of each name and the ``before_flags`` of each word before a name seen:
#: remembered across texts, as the same names and the same few hundred words before them come in text
#: after text.
_FACTS: WeakKeyDictionary[Gazetteer, tuple[dict[str, tuple[int, int]], dict[str, int]]] = WeakKeyDictionary()
_FACTS_SIZE = 50_000


def facts_of(g: Gazetteer) -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """The remembered ``name_facts`` and ``before_flags`` of ``g``: ``names, befores = facts_of(g)``, then
    ``names.get(name) or name_facts(names, name, g)``, ``befores.get(word)`` (None: ``before_flags``)."""
    found = _FACTS.get(g)
    if found is None:
        found = _FACTS[g] = ({}, {})
    return found


def name_facts(known: dict[str, tuple[int, int]], name: str, g: Gazetteer) -> tuple[int, int]:
    """The flags (``GIVEN``, ``SURNAME``, ...) and the common-word rank (-1: none) of ``name``, remembered
    in ``known``."""
    if len(known) >= _FACTS_SIZE:
        known.clear()
    low = name.lower()
    flags = (
        GIVEN * (name in g.given_names)
        | SURNAME * (name in g.surnames)
        | BRAND * (name in g.brands)
        | SKY * (name in g.sky_names)
        | PAPER * (name in _PAPERS)
        | ENGLISH * (low in g.english_rank)
        | CALENDAR_WORD * (low in CALENDAR)
    )
    found = known[name] = (flags, g.common_rank.get(low, -1))
    return found


def before_flags(known: dict[str, int], word: str, g: Gazetteer) -> int:
    """The flags (``RULED``, ``TITLED``) of the word before a name, remembered in ``known``."""
    if len(known) >= _FACTS_SIZE:
        known.clear()
    ruled = (
        word.lower() in g.directions
        or word in g.storms
        or word.rstrip(".") in g.titles
        or word in g.titles
        or word in g.org_prefixes
    )
    flags = known[word] = RULED * ruled | TITLED * (
        len(word) > 1 and word[0].isupper() and word[1:].islower()
    )
    return flags


def _lower_word(word: str, g: Gazetteer) -> bool:
    """Whether ``word`` (capitalised) is an ordinary English word."""
    return word.lower() in g.english_rank


#: What the rules ask of a span's readings, by position in ``readings``' answer: some country, some
#: country, water or region ("wide"), the largest population (-1: none); some area and some wide kind among
#: the readings that bear the name as their own (primary or short), and their largest population; some
#: area, and towns only (``True`` for no readings).
COUNTRY, WIDE, LARGEST, AREA_BY_NAME, WIDE_BY_NAME, LARGEST_BY_NAME, AREA, TOWNS = range(1, 9)
_WIDE = frozenset({"country", "water", "region"})
_TOWN = frozenset({"city"})
#: tuple of ids of candidates -> (candidates, what ``readings`` tells of them): readings are shared across
#: texts (the look-ups remember them) and a name comes again in text after text; the candidates are held,
#: so that their ids name no others meanwhile.
_READINGS: dict[tuple[int, ...], tuple] = {}
_READINGS_SIZE = 20_000


def readings(sp: Span) -> tuple:
    """What the rules ask of the span's readings (``COUNTRY``, ``WIDE``, ...), worked out once per list of
    readings across texts: each question is then a look-up, not a pass over the readings.  The rules ask
    only when they read them (most plain names are judged without)."""
    # ``remember_by_ids``' look-up written out: a name seen before is one ``get``, with no calls.
    return _READINGS.get(tuple(map(id, sp.candidates))) or remember_by_ids(
        _READINGS, sp.candidates, _readings, _READINGS_SIZE
    )


def _readings(cands: list) -> tuple:
    """``readings`` worked out."""
    kinds = {c.entry.kind for c in cands}
    named = [c for c in cands if c.quality in (PRIMARY, SHORT)]
    named_kinds = {c.entry.kind for c in named}
    return (
        list(cands),
        "country" in kinds,
        not kinds.isdisjoint(_WIDE),
        max((c.entry.population for c in cands), default=-1),
        not named_kinds.isdisjoint(_AREA_KINDS),
        not named_kinds.isdisjoint(_WIDE),
        max((c.entry.population for c in named), default=-1),
        not kinds.isdisjoint(_AREA_KINDS),
        kinds <= _TOWN,
    )


#: Headings are short: a line is searched for this far on each side of a position.
_LINE_REACH = 200


def _line(text: str, pos: int) -> tuple[int, int]:
    """The bounds of the line holding ``pos``; when it reaches further than ``_LINE_REACH`` on a
    side, a bound at least that far (enough to tell the line is no short heading)."""
    lo = max(0, pos - _LINE_REACH)
    start = text.rfind("\n", lo, pos) + 1 or lo
    if start == lo and lo > 0 and not text[lo : pos - 90].strip():
        start = text.rfind("\n", 0, pos) + 1  # blank run: the exact line start matters
    hi = min(len(text), pos + _LINE_REACH)
    end = text.find("\n", pos, hi)
    if end < 0:
        end = hi
        if hi < len(text) and not text[pos + 90 : hi].strip():
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
    return start, end


#: A sentence is read at most this far on each side of a name (linear time on text without stops).
_SENTENCE_REACH = 1000
_STOP = re.compile(r"\.(?:\s|$)")


def _sentence(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(ch, max(0, start - _SENTENCE_REACH), start) for ch in ".!?\n") + 1
    lo = max(lo, start - _SENTENCE_REACH)
    reach = min(len(text), end + _SENTENCE_REACH)
    his = [i for i in (text.find(ch, end, reach) for ch in "!?\n") if i >= 0]
    m = _STOP.search(text, end, reach)
    if m:
        his.append(m.start())
    return text[lo : min(his) if his else reach]


def heading_line(text: str, pos: int) -> bool:
    """Whether the line holding ``pos`` is a short title-case heading ("Eclectic Fall Bowl Centerpiece")."""
    if (
        pos >= 100
        and not text[pos - 100 : pos - 90].isspace()
        and "\n" not in text[pos - 100 : pos]
        and not text[pos : pos + 1].isspace()
        and pos < len(text)
    ):
        # Most names are in a long line: something 90 or more characters before the name on its line
        # (and the name's first letter) make the line longer than a heading's 90.
        return False
    start, end = _line(text, pos)
    line = text[start:end].strip()
    if not line or line[-1] in ".!?:;," or len(line) > 90:
        return False
    words = _HEADING_WORD.findall(line)
    if len(words) < 2:
        return False
    major = [w for w in words if w.lower() not in _MINOR]
    return len(major) >= 2 and all(w[0].isupper() for w in major)


def at_sentence_start(text: str, start: int) -> bool:
    return _SENTENCE_START.search(text[max(0, start - 6) : start]) is not None


#: ``words.AFTER_LOCATIVE`` read backwards: matched at the start of the reversed text before a position.
_AFTER_LOCATIVE_REVERSED = re.compile(
    r"\n?[ \u00a0]+(?:" + "|".join(w[::-1] for w in (*LOCATIVES, "of")) + r")\b"
)


def after_locative(text: str, start: int) -> bool:
    """``words.after_locative``: whether a locative preposition stands right before ``start`` ("in",
    "near", "at"), its pattern matched on the reversed 12 characters before (and the one before them,
    which the pattern's ``\b`` reads) rather than searched for."""
    lo = max(0, start - 12)
    m = _AFTER_LOCATIVE_REVERSED.match(text[max(0, lo - 1) : start][::-1])
    return m is not None and m.end() <= start - lo


def sky_context(text: str) -> bool:
    """Whether the text talks about the sky (planets, spacecraft, mythology)."""
    return _SKY_CONTEXT.search(text) is not None


def asks_sky(text: str) -> Callable[[], bool]:
    """``sky_context(text)``, worked out on the first call only: most texts never ask (a search of
    the whole text for a sky word is among the costliest checks of recognition)."""
    known: list[bool] = []

    def sky() -> bool:
        if not known:
            known.append(sky_context(text))
        return known[0]

    return sky


def last_word(text: str, start: int) -> str:
    """The last space-separated piece of the 40 characters before ``start`` (the space right before
    ``start`` aside), stripped: what ``why_not`` asks of the word before a name ("of", "For", "A.")."""
    before = text[max(0, start - 40) : start]
    return before[before.rfind(" ", 0, len(before) - 1) + 1 :].strip()


def why_not(
    text: str,
    sp: Span,
    surface: str,
    named: int,
    prev: str,
    gap: str,
    last: str,
    nxt: str,
    g: Gazetteer,
    sky: Callable[[], bool],
    furniture: bool = True,
) -> str:
    """Why the span is surely not a place here ("person", "title", ...), or "" when it may be one.

    ``surface`` is the span's text, ``named`` its flags (``name_facts``), ``prev`` and ``gap`` the word
    before it and the gap between (``recognise._word_before``), ``last`` its ``last_word``, ``nxt`` the word
    after it (``recognise._WORD_AFTER``); ``sky()`` tells whether the text
    talks about the sky (``asks_sky``).  ``furniture=False`` leaves out the "interface" rule
    (``page_furniture``), for a caller that asks it only when its answer matters."""
    if sp.demonym or sp.direction:
        return ""
    after = text[sp.end : sp.end + 60]
    # Most shapes after a name start with a space and a capital (" A. Burton", " Jr.", " Arie
    # performed"), a comma (", Jr.") or a bracket (" (Bill Hader)"): the patterns that cannot match what
    # follows are not tried (the same answers, a fifth of the time of this function); after most names
    # (a lowercase word, a full stop) none of them is.  Those before a name are tried only after the word
    # they end with (``last``), and only then is the text before the name cut out (``_text_before``).
    first = after[:1]
    spaced = first == " "
    second = after[1:2]
    capital_next = spaced and "A" <= second <= "Z"
    lower_next = spaced and "a" <= second <= "z"
    # --- people (every rule says "person": the order in which they are tried changes nothing)
    if last[-1:] == "." and _MIDDLE_INITIAL_BEFORE_REVERSED.match(_text_before(text, sp.start)[::-1]):
        return "person"
    m = _PARTICLE_BEFORE.search(_text_before(text, sp.start)) if last in _PARTICLES else None
    if (
        m
        and (m.group(1) in g.given_names or not g.known(m.group(1)))
        and m.group(1) not in g.feature_words
        and not _lower_word(m.group(1), g)  # "Route de Ouarzazate", "Avenida de Mayo"
    ):
        return "person"
    if named & GIVEN and _given_then_name(text, sp, nxt, g) and not readings(sp)[COUNTRY]:
        return "person"
    # The rules on what follows: a capitalised word, a bracket, a comma or a hyphen (``_NAME_GOES_ON``
    # needs a space or a hyphen first).
    if (spaced and not lower_next) or first == "," or first == "-":
        if capital_next and after[2:3] == "." and _MIDDLE_INITIAL_AFTER.match(after):
            return "person"
        if (capital_next or first == ",") and _suffixed(after) and _SUFFIX_AFTER.match(after):
            return "person"
        m = _BRACKETED_NAME.match(after) if spaced and second == "(" else None
        if (
            m
            and not surface.isupper()
            and not readings(sp)[COUNTRY]
            and not any(g.candidates(w) for w in m.group(1).split())
        ):
            return "person"  # "Milo (Bill Hader)": a character and the actor
        nm = _NAME_GOES_ON.match(after) if "A" <= second <= "Z" and " " not in surface else None
        words = nm.group(1).split() if nm else []
        if (
            words
            and _namey(words[0], g)
            and not any(
                g.english_rank.get(w.lower(), NAMEY_RANK) < NAMEY_RANK or _big_name(w, g) for w in words[1:]
            )
        ):
            return "person"  # "Bong Joon Ho thanked", "India Arie performed", "Vladimir Putin could"
        two = _TWO_NAMES.match(after) if capital_next else None
        if two and all(_namey(w, g) for w in two.groups()) and not readings(sp)[COUNTRY]:
            return "person"  # "Arya Galih Gegana"
    if named & PAPER and gap == " " and prev[:1].isupper():
        return "org"  # "Boston Herald", "San Luis Obispo Tribune": the paper, not a town
    if lower_next and second == "d" and _LONGER_NAME.match(after) and not readings(sp)[COUNTRY]:
        return "org"  # "Montana de Oro State Park", "Conca dei Marini": a longer name
    # --- titles, tickers, things
    if (
        last == "of"
        and _PEERAGE_REVERSED.match(_text_before(text, sp.start)[::-1])
        and not _NAMED_PEER.search(_text_before(text, sp.start))
    ):
        return "title"
    if (
        "(" in after
        and (capital_next or first == "," or (spaced and second == "("))
        and _TICKER_AFTER.match(after)
    ):
        return "org"
    # ``_HEAD_NOUN`` needs a lowercase ASCII letter after the space.
    head = _HEAD_NOUN.match(after) if lower_next else None
    if head and head.group(1) in g.thing_heads and not readings(sp)[COUNTRY]:
        return "thing"
    # --- sky
    if named & SKY and (_SKY_AFTER.match(after) or sky()) and sp.within is None:
        return "sky"
    # --- page furniture, headings, capitalised phrases
    if furniture and named & ENGLISH and page_furniture(text, sp, named, prev, gap, last, nxt, g):
        return "interface"
    # --- teams: a club named after its town, in a sentence about a match ("Liverpool beat Everton 2-0")
    if (
        (
            (head is not None and head.group(1) in _TEAM_FIRST and _TEAM_VERB_AFTER.match(after))
            or (last in _TEAM_LAST and _TEAM_VERB_BEFORE_REVERSED.match(_text_before(text, sp.start)[::-1]))
        )
        and _sports_sentence(text, sp)
        and not _wide_or_huge(sp)
    ):
        return "team"
    return ""


def page_furniture(
    text: str, sp: Span, named: int, prev: str, gap: str, last: str, nxt: str, g: Gazetteer
) -> bool:
    """``why_not``'s "interface" rule: an English word that names no big place under this very name, as
    page furniture ("Log In", "For Sale"), in a short title-case heading, or inside a capitalised phrase."""
    if not named & ENGLISH or _area_or_huge(sp):
        return False
    capital_next = text[sp.end : sp.end + 1] == " " and "A" <= text[sp.end + 1 : sp.end + 2] <= "Z"
    if (capital_next and _UI_AFTER.match(text, sp.end)) or (
        last in ("For", "On") and _UI_BEFORE.search(text[max(0, sp.start - 40) : sp.start])
    ):
        return True
    return heading_line(text, sp.start) or _in_capitalised_phrase(text, sp, prev, gap, nxt, g)


def _area_or_huge(sp: Span) -> bool:
    """Whether some reading that bears the span's name as its own is an area or a place of ``HUGE`` size."""
    known = readings(sp)
    return known[AREA_BY_NAME] or known[LARGEST_BY_NAME] >= HUGE


def _wide_or_huge(sp: Span) -> bool:
    """Whether some reading of the span is a country, water or a region, or a place of ``HUGE`` size."""
    known = readings(sp)
    return known[WIDE] or known[LARGEST] >= HUGE


def _text_before(text: str, start: int) -> str:
    """The 40 characters before ``start``: what ``why_not``'s patterns before a name read."""
    return text[max(0, start - 40) : start]


def _suffixed(after: str) -> bool:
    """Whether what follows a name holds what ``_SUFFIX_AFTER`` needs to match: "Jr", "Sr" or " II"."""
    return "Jr" in after or "Sr" in after or " II" in after


def doubtful(text: str, sp: Span, surface: str, named: int) -> bool:
    """Whether a name may be a place but needs support from the document to be kept (``surface``: its
    text, ``named``: its flags); its ``readings`` are asked for only when a rule reads them."""
    if sp.demonym or sp.direction or sp.within is not None:
        return False
    if (
        text[sp.end : sp.end + 2] in ("'s", "\u2019s")
        and (known := readings(sp))[TOWNS]
        and not (known[WIDE] or known[LARGEST] >= POSSESSIVE_TOWN)
    ):
        return True  # "Macy's", "Hershey's": a shop or a person as often as a town
    if named & SKY:
        return True
    return (
        " " not in surface
        and named & ENGLISH
        and not _area_or_huge(sp)
        and at_sentence_start(text, sp.start)
        and _LOWER_NEXT.match(text, sp.end) is not None
    )  # "Mobile apps are ...", "Harvest tripled"


def _given_then_name(text: str, sp: Span, nxt: str, g: Gazetteer) -> bool:
    """A given name before another capitalised name ("Kyle Kuzma", "Charlotte Church")."""
    surface = text[sp.start : sp.end]
    if surface not in g.given_names or text[sp.end : sp.end + 1] != " ":
        return False
    word = nxt.rstrip(".,")
    if len(word) < 2 or not word[0].isupper() or word.isupper():
        return False
    if word in g.feature_words or word in g.org_heads or word.lower() in g.directions or word in g.titles:
        return False
    if word.lower() in _MINOR or word.lower() in CALENDAR:
        return False
    if not (word in g.surnames or word in g.given_names or _namey(word, g)):
        return False  # "Alexandria Police", "Victoria Station"
    # The next word names no sizeable place ("Jordan Valley", "Victoria Falls" are places).
    return not any(c.entry.kind in _AREA_KINDS or c.entry.population >= BIG for c in g.candidates(word))


def _in_capitalised_phrase(text: str, sp: Span, prev: str, gap: str, nxt: str, g: Gazetteer) -> bool:
    """An English word inside a run of capitalised words ("Louisville Metro Council", "State Park
    Ranger Supervisor", "National Historic Landmark", "Department of Homeland Security"): part of a
    longer proper name, not a town of that name."""
    word = nxt.rstrip(".,;:")
    next_cap = (
        bool(word)
        and text[sp.end : sp.end + 1] == " "
        and word[0].isupper()
        and word.lower() not in _MINOR
        and word not in g.feature_words
        and _lower_word(word, g)
    )
    if next_cap and _OFFICE_OF.search(text, max(0, sp.start - 30), sp.start):
        return True
    if next_cap and (sp.start == 0 or text[sp.start - 1] == "\n"):  # a heading's first word
        third = _THIRD_WORD.match(text[sp.end : sp.end + 40])
        if third and _lower_word(third.group(1), g) and third.group(1).lower() not in _MINOR:
            return True  # "Eclectic Fall Bowl Centerpiece": a title-case run
    if gap != " " or not ("a" <= text[sp.start - 2 : sp.start - 1] <= "z"):
        return False  # no run of capitalised words ends right before the name (``_CAPITALISED_BEFORE``)
    phrase = capitalised_before(text, sp.start)
    if not phrase:
        return False
    words = [w for w in phrase.split() if w.lower() not in _MINOR or w[0].isupper()]
    first = sp.start - len(phrase)
    while words and words[0].lower() in _MINOR:
        first += len(words[0]) + 1
        words = words[1:]
    if words and at_sentence_start(text, first) and not _known_place(words[0], g):
        first += len(words[0]) + 1
        words = words[1:]
    if not words:
        return False
    for w in words:  # every word English or a known place (the first that is not settles it)
        low = w.lower()
        if low in _MINOR or low in g.directions or not (low in g.english_rank or _known_place(w, g)):
            return False
    return next_cap or len(words) >= 2


_OFFICE_OF = re.compile(r"\b(?:Department|Ministry|Secretary|Office|Bureau|Minister|Agency) (?:of|for) $")
#: ``_CAPITALISED_BEFORE`` read backwards: matched at the start of the reversed text before a position
#: rather than searched for in it (a search tries every start).
_CAPITALISED_BEFORE_REVERSED = re.compile(r"(?:(?: (?:dna|fo|rof|eht))? [a-z]+[A-Z]){1,3}")


def capitalised_before(text: str, pos: int) -> str:
    """The run of up to three capitalised words (with "and", "of", "for", "the" between) that ends
    right before ``pos`` with a space, within 60 characters ("" when none): what
    ``_CAPITALISED_BEFORE.search(text, max(0, pos - 60), pos)`` finds when ``text[pos - 1]`` is a space."""
    m = _CAPITALISED_BEFORE_REVERSED.match(text[max(0, pos - 60) : pos][::-1])
    return m.group(0)[::-1] if m else ""


def _namey(word: str, g: Gazetteer) -> bool:
    """A capitalised word that is neither a place name nor an ordinary English word: a name."""
    if len(word) < 2 or word.isupper() or word in g.org_heads or word in g.feature_words or word in g.titles:
        return False
    if word in _ADMIN_WORDS or word in g.demonyms or word.lower() in CALENDAR:
        return False
    w = word.lower()
    return not g.known(word) and g.english_rank.get(w, 1_000_000) > NAMEY_RANK


def _big_name(word: str, g: Gazetteer) -> bool:
    """A sizeable place name, unless a short syllable of an East Asian name ("Bong Joon Ho")."""
    return len(word) > 3 and _known_place(word, g)


def _known_place(word: str, g: Gazetteer) -> bool:
    return any(c.entry.population >= BIG or c.entry.kind in _AREA_KINDS for c in g.candidates(word))


def _sports_sentence(text: str, sp: Span) -> bool:
    """Whether the sentence of the span is about a match: a score or a sports word."""
    sentence = _sentence(text, sp.start, sp.end)
    return _SCORE.search(sentence) is not None or _SPORT_WORDS.search(sentence) is not None
