"""Candidate spans: the stretches of a text whose words name a gazetteer entry.

Every capitalised word (or lowercase word hyphenated to one: "al-Bab", "sub-Saharan
Africa") starts a window of up to ``MAX_TOKENS`` words; each window (and the window plus a
trailing full stop, for "U.S." and "Ga.") is looked up in the gazetteer, with its
accent-folded spelling, demonyms, abbreviations and short forms; datelines ("BEIRUT,
Lebanon --") and county lists ("Clay and Grant counties") add theirs.  The leftmost-longest
hits win.  Telling real places from look-alikes is ``storymap.geoparse.recognise``'s job.

Regular expressions find the words that may start a name, so lowercase words cost no Python
step; a run of words is read no further than a window no longer name begins with
(``Gazetteer.goes_on``), and its best window is remembered across texts (a text's runs are cut
out and looked up there by ``map``: a run seen before that names nothing costs no Python step
either; datelines are tried at the run starts the same pattern flags).  Most windows name
nothing: ``Gazetteer.may_name`` tells so with one hash, before ``readings`` looks them up and
remembers them (the first pass over a corpus is mostly such first look-ups).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter
from typing import Any

from storymap.geoparse.gazetteer import DEMONYM, FOLDED, SHORT, Candidate, Gazetteer
from storymap.geoparse.keys import fold

MAX_TOKENS = 6
#: What may separate two words inside one name.
_GAPS = frozenset({" ", "-", "'", "\u2019", ". ", ".", "\u2010", "\u2011"})
_INNER = frozenset({"'", "\u2019"})
#: A word that may start a name: one whose first character is no lowercase ASCII letter or digit (the
#: rest is checked in Python). The character class comes first, so the search skips ahead quickly.
_CAPITAL = re.compile(r"[^\W\d_a-z](?<![^\W_].)[^\W_]*+")
#: ``_CAPITAL`` for a text in ASCII, where it can start only with A-Z (twice as fast).
_CAPITAL_ASCII = re.compile(r"[A-Z](?<![^\W_].)[^\W_]*+")
#: A hyphen between a word and a letter: the word may start a name too ("al-Bab", "sub-Saharan").
_HYPHEN = re.compile(r"-(?<=[^\W_]-)(?=[^\W\d_])")
#: The next word of a name, with the separator of ``_GAPS`` right before it (the longest first).
_NEXT = re.compile(
    "(" + "|".join(re.escape(g) for g in sorted(_GAPS, key=lambda g: (-len(g), g))) + r")([^\W_]+)"
)
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
#: ``_BARE_DATELINE`` without its ``^``: matched at each line start (a search tries ``^`` at every character).
_BARE_DATELINE_AT = re.compile(r"[ \t]*([A-Z]{3,}(?: [A-Z]{2,})*)(?= [A-Z][a-z])")
_COUNTY_NAME = re.compile(r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)?")
#: Bare datelines name only places at least this big.
BIG_CITY = 100_000


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
    #: The name joined to this one by a slash ("Vienna/Fairfax", "Huntsville/Madison County"):
    #: one locality, so the two are read near each other.
    beside: Span | None = None


def _with_folded(g: Gazetteer, key: str, out: list[Candidate]) -> list[Candidate]:
    """``out`` plus the readings of the accent-folded spelling, each at its best quality.

    Diacritics may be spelt otherwise than in the gazetteer ("Constanța" with a comma below,
    GeoNames "Constanţa" with a cedilla); the folded spelling is indexed for every name."""
    plain = fold(key)
    if plain == key:
        return out
    best: dict[str, Candidate] = {c.entry.ref: c for c in out}
    for c in g.candidates(plain):
        c = c if c.quality > FOLDED else Candidate(c.entry, FOLDED)
        if c.entry.ref not in best or c.quality < best[c.entry.ref].quality:
            best[c.entry.ref] = c
    return list(best.values())


def lookup(g: Gazetteer, key: str) -> tuple[list[Candidate], bool]:
    """Candidates for a surface form, and whether it is a demonym."""
    cands, dem = readings(g, key)
    return list(cands), dem


@lru_cache(maxsize=100_000)
def readings(g: Gazetteer, key: str) -> tuple[tuple[Candidate, ...], bool]:
    """``lookup`` remembered per surface form (shared tuples: copy before changing)."""
    dem = g.demonyms.get(key)
    if dem is not None:
        e = g.entry(dem)
        if e is not None:
            return (Candidate(e, DEMONYM),), True
    abbr = g.abbreviations.get(key)
    if abbr is not None and (e := g.entry(abbr)) is not None:
        return (Candidate(e, SHORT),), False
    out = g.candidates(key)
    if not key.isascii() and (not out or any(c.quality > FOLDED for c in out)):
        out = _with_folded(g, key, list(out))
    short = g.shortforms.get(key)
    if short is not None:
        e = g.entry(short)
        if e is not None:
            out = [Candidate(e, SHORT), *[c for c in out if c.entry.ref != short]]
    return tuple(out), False


def _windows(text: str, connectors: frozenset[str]) -> list[tuple[int, list[int]]]:
    """Each word that may start a name, with the ends of the windows of words that may form it.

    A regular expression finds the words that may start one and the words that follow, so the
    many lowercase words between names cost no Python step."""
    out: list[tuple[int, list[int]]] = []
    step = _NEXT.match
    for s0, e0 in _starts(text):
        if not (text[s0].isupper() or (text[e0 : e0 + 1] == "-" and text[e0 + 1 : e0 + 2].isupper())):
            continue  # "al-Bab", "sub-Saharan Africa" start a name; other lowercase words do not
        ends = [e0]
        for _ in range(MAX_TOKENS - 1):
            nxt = step(text, ends[-1])
            if nxt is None:
                break
            sj, ej = nxt.span(2)
            if not text[sj].isupper() and nxt.group(2) not in connectors and nxt.group(1) not in _INNER:
                break  # "Nuku'alofa", "Cox's Bazar": an apostrophe joins a lowercase part
            ends.append(ej)
        out.append((s0, ends))
    return out


def _ends(run: str) -> tuple[int, ...]:
    """The ends of the words of a run (``text[s0:last]`` for a window of ``_runs``, perhaps with the
    character after it) that ``_windows`` finds for its start: every word of the run is one of the
    window (the character after the last word is no letter or digit), so they are the ends of its
    maximal runs of letters and digits."""
    return tuple([m.end() for m in _WORD.finditer(run)])


_WORD = re.compile(r"[^\W_]+")


def _going_ends(g: Gazetteer, run: str, first: int, last: int) -> tuple[int, ...]:
    """The ends of the windows of a run that ``_best`` looks up, read word by word: those of
    ``_ends(run)`` up to the first that no name goes on from, or the run's ``last`` (the first window,
    ending at ``first``, is known to go on).  Most such runs stop at their second word."""
    ends = [first]
    search, goes_on = _WORD.search, g.goes_on
    while True:
        e = search(run, ends[-1]).end()  # type: ignore[union-attr]
        ends.append(e)
        if e >= last or not goes_on(run[:e]):
            return tuple(ends)


def _plain(text: str) -> bool:
    """Whether the letters and digits of ``text`` are all ASCII (most texts, also beyond ASCII: quotes
    and dashes): its patterns then test plain character sets, not the Unicode database.

    Only the characters beyond ASCII are searched: the text's UTF-8 bytes without the ASCII ones (the
    bytes of every other character are all beyond ASCII) are those characters' bytes, a few dozen,
    cut out in C at a byte or two a nanosecond, not tested one by one against a category."""
    if text.isascii():
        return True
    beyond = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return _ALNUM_BEYOND_ASCII.search(beyond.decode("utf-8", "surrogatepass")) is None


_ASCII_BYTES = bytes(range(128))


def _runs(text: str, connectors: frozenset[str], plain: bool | None = None) -> list[tuple[int, int, int]]:
    """``(start, ends[0], ends[-1])`` of each window of ``_windows``, in order: those of ``_run_matches``."""
    matches, extra = _run_matches(text, connectors, _plain(text) if plain is None else plain)
    out = [(m.start(), m.end(), m.end(2) - m.group(2).endswith(".")) for m in matches]
    out += [(s0, e0, end - (text[end - 1] == ".")) for s0, e0, end in extra]
    return sorted(out)


def _run_matches(
    text: str, connectors: frozenset[str], plain: bool
) -> tuple[list[re.Match[str]], list[tuple[int, int, int]]]:
    """The windows of ``_windows``, found by regular expressions alone: the matches of the words that may
    start a name (``_run_patterns``: group 2 is what may continue it, with a full stop after it), and
    ``(start, ends[0], end)`` of the words before a hyphen that start none of those (``end``: that of
    the continuation and its full stop).  The patterns know the capital letters below a limit that the
    text's letters stay under (ASCII, Latin-1 or the Basic Multilingual Plane: most texts beyond ASCII
    have ASCII letters only, and the smaller sets are quicker to build and to test); a text whose
    letters and digits are all ASCII (``plain``: most texts) is read with plain ASCII classes, which
    the regular expression engine tests without asking the Unicode database; a text with other
    characters beyond that plane is read by ``_windows`` (no matches then, every window in the list)."""
    limit = 0x80
    if not plain:
        if _ASTRAL.search(text):
            extra = []
            for s0, ends in _windows(text, connectors):
                last = ends[-1]
                extra.append((s0, ends[0], last + 1 if text[last : last + 1] == "." else last))
            return [], extra
        if _LETTER_BEYOND_ASCII.search(text):
            limit = 0x10000 if _LETTER_BEYOND_LATIN1.search(text) else 0x100
    start, go_on, hyphen = _run_patterns(connectors, limit, plain)
    matches = list(start.finditer(text))
    extra = []
    for m in hyphen.finditer(text):
        s0 = e0 = m.start()
        while s0 > 0 and text[s0 - 1].isalnum():
            s0 -= 1
        extra.append((s0, e0, go_on.match(text, e0).end()))
    if extra:
        # Words before a hyphen that also start with a capital letter are found by both.
        starts = set(map(re.Match.start, matches))
        extra = [w for w in extra if w[0] not in starts]
    return matches, extra


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
#: A letter or digit (``[^\W_]``, ``str.isalnum``) beyond ASCII.
_ALNUM_BEYOND_ASCII = re.compile(r"[^\W_\x00-\x7f]")
#: A letter (an alphanumeric that is no decimal digit) beyond ASCII, beyond Latin-1.
_LETTER_BEYOND_ASCII = re.compile(r"[^\W\d_\x00-\x7f]")
_LETTER_BEYOND_LATIN1 = re.compile(r"[^\W\d_\x00-\xff]")


@lru_cache(maxsize=16)  # per gazetteer's connectors (or none: ``_datelines``), limit and plainness
def _run_patterns(
    connectors: frozenset[str], limit: int, plain: bool = False
) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The patterns of ``_run_matches``: a capital word with what continues it (group 2: at most
    ``MAX_TOKENS - 1`` words, each after a separator of ``_GAPS``, that starts with a capital letter,
    is a connector or follows an apostrophe, as ``_windows`` reads them, then a full stop if one
    comes next); that continuation alone; a hyphen after a word and before a capital letter (what
    makes a lowercase word start a name).  Group 1 of the first is the character after the capital
    letter when it may be the second of a dateline's (``_datelines_at``).  Capital letters are those
    below ``limit`` (the text has no letter from ``limit`` on); ``plain``: the text's letters and digits
    are all ASCII, so ``[A-Za-z0-9]`` is ``[^\\W_]`` there.

    The separators and the connectors are each one trie (``_alternation``), and the separator is
    read once for both what may follow it: most capital words are followed by a space and a
    lowercase word, and that continuation fails after a character or two, not after trying every
    separator and connector in turn.  The words are repeated possessively (``{0,5}+``: what the
    greedy repetition matches, as nothing comes after it to backtrack for, without keeping the
    state to do so)."""
    upper = _upper_class(limit)
    alnum = "[A-Za-z0-9]" if plain else "[^\\W_]"
    gap = _alternation(_GAPS)
    joined = f"{_alternation(connectors)}(?!{alnum})" if connectors else "(?!)"
    inner = "[" + "".join(re.escape(c) for c in sorted(_INNER)) + "]"
    word = f"(?:{gap}(?=[{upper}]|{joined})|{inner}(?={alnum})){alnum}++"
    go_on = f"(?:{word}){{0,{MAX_TOKENS - 1}}}+\\.?"
    return (
        # Group 1 in a look-ahead of two branches, the second empty: cheaper than an optional group.
        re.compile(f"[{upper}](?<!{alnum}.)(?=({_DATELINE_SECOND})|){alnum}*+(?=({go_on}))"),
        re.compile(go_on),
        # The hyphen first: the search skips to each hyphen (a look-behind first is tried everywhere).
        re.compile(f"-(?<={alnum}-)(?=[{upper}])"),
    )


def _alternation(words: frozenset[str]) -> str:
    """A pattern (a group) that matches what the alternation of ``words`` sorted longest first matches:
    a trie, each character read once, longer words tried before their beginnings; the words that
    end where no longer one goes on are one character class."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _trie(trie) + ")"


def _trie(node: dict) -> str:
    last = sorted(ch for ch, sub in node.items() if ch and sub == {"": {}})
    parts = [re.escape(ch) + _trie(sub) for ch, sub in sorted(node.items()) if ch and sub != {"": {}}]
    if last:
        parts.append(re.escape(last[0]) if len(last) == 1 else "[" + "".join(map(re.escape, last)) + "]")
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if "" in node else body


@lru_cache(maxsize=4)
def _upper_class(limit: int = 0x10000) -> str:
    """A character class (without brackets) of the characters below ``limit`` for which ``str.isupper``
    is true (for the Basic Multilingual Plane a few milliseconds, once)."""
    out = []
    lo = prev = -2
    for code in range(limit):
        if chr(code).isupper():
            if code != prev + 1:
                if lo >= 0:
                    out.append((lo, prev))
                lo = code
            prev = code
    out.append((lo, prev))
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in out)


def _starts(text: str) -> list[tuple[int, int]]:
    """The words that may start a name, in order: those found by ``_CAPITAL`` and those before a
    hyphen (a word is a maximal run of ``[^\\W_]``, that is of ``str.isalnum`` characters)."""
    capital = [m.span() for m in (_CAPITAL_ASCII if text.isascii() else _CAPITAL).finditer(text)]
    words: dict[int, int] | None = None  # merged only when some hyphen joins two words
    for m in _HYPHEN.finditer(text):
        if words is None:
            words = dict(capital)
        start = end = m.start()
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        words[start] = end
    return capital if words is None else sorted(words.items())


#: Runs of words whose best window is remembered (``hits``), per gazetteer, across texts: emptied before a
#: text whose runs and their first words might fill it past this (checked once per text, not per run; a
#: text with more runs than half of this fills it alone).
RUNS_MEMO_SIZE = 50_000


def _best(
    g: Gazetteer, run: str, ends: tuple[int, ...], going: int = 0
) -> tuple[int, tuple[Candidate, ...], bool] | None:
    """The longest window of a run of words (``run[:e]`` for ``e`` in ``ends``; ``run`` may hold the
    character after its last word, read only to see whether it is a full stop) that names something:
    its end, candidates and whether it is a demonym (no candidates: an organisation named after a
    place).  ``hits`` remembers it per run, across texts.

    Windows are tried longest first (with a trailing full stop before without): the first that
    names something is the answer, and the shorter ones are never looked up.  Windows past one
    that no longer name begins with cannot name anything either: they are never looked up (the first
    ``going`` windows are known to go on: ``hits`` has asked for the first)."""
    for k in range(going, len(ends) - 1):
        if not g.goes_on(run[: ends[k]]):
            ends = ends[: k + 1]
            break
    for ej in reversed(ends):
        best = _window(g, run, ej)
        if best is not None:
            return best
    return None


def _window(g: Gazetteer, run: str, first: int) -> tuple[int, tuple[Candidate, ...], bool] | None:
    """The window ``run[:first]`` (and its full stop, if ``run`` holds one after it) if it names
    something, as ``_best`` gives it; ``_best`` tries each window of a run with it, and it is the whole
    of ``_best(g, run, (first,))`` for a run of one word: most runs, and most of what a first pass over
    a corpus reads. An organisation's name ("Bank of America") names no place: no candidates."""
    surface = run[:first]
    if surface in g.organisations:
        return first, (), False
    may_name = g.may_name
    if run[first : first + 1] == "." and may_name(key := surface + "."):
        cands, dem = readings(g, key)
        if cands:
            return first + 1, cands, dem
    if may_name(surface):
        cands, dem = readings(g, surface)
        if cands:
            return first, cands, dem
    return None


#: ``re.Match.group``, ``start``, ``end`` and ``Span`` attributes, called by ``map`` and ``sort`` (C calls).
_GROUP, _START_OF, _END_OF, _START = re.Match.group, re.Match.start, re.Match.end, attrgetter("start")
_END, _LISTED = attrgetter("end"), attrgetter("listed")
#: Not remembered yet (``hits``): a true value, which ``compress`` keeps.
_UNSEEN = object()


def _remembered(
    g: Gazetteer, memo: dict[str, Any], run: str, first: int
) -> tuple[int, tuple[Candidate, ...], bool] | None:
    """``_best`` of a run of words, remembered in ``memo``: ``run`` is its words (the first ends at
    ``first``) and the full stop right after them, if one comes (``_best`` reads it only to see
    whether it is one: "Obama," and "Obama;" are one run).

    A run of one word has one window (most runs), and so has a run whose first word no name goes on
    from ("Barack Obama"): its best window is that of its first word read as a run of its own
    ("Barack", remembered under that key too: many such runs share their first word); the words of
    another run are read again."""
    best = memo.get(run, memo)
    if best is not memo:
        return best
    # One word, perhaps with a full stop (a further word takes a separator and a letter or digit).
    if len(run) <= first + 1:
        best = _window(g, run, first)
    elif not g.goes_on(run[:first]):
        word = run[: first + 1] if run[first] == "." else run[:first]
        best = memo.get(word, memo)
        if best is memo:
            best = memo[word] = _window(g, word, first)
    else:
        ends = _going_ends(g, run, first, len(run) - (run[-1] == "."))
        best = _best(g, run, ends, len(ends) - 1)
    memo[run] = best
    return best


def hits(text: str, g: Gazetteer) -> list[Span]:
    """Every stretch of ``text`` that names a gazetteer entry (overlapping; ``select`` picks).

    The runs of words of a text (``_run_matches``: the first word and group 2) are cut out all at once
    by ``map``, and so are their best windows looked up where they are remembered (``_remembered``);
    ``compress`` leaves out the runs that name nothing, so most runs of a text cost no Python step
    once they have been seen."""
    hits: list[Span] = []
    memo = g.__dict__.get("_runs_memo")
    if memo is None:
        memo = g._runs_memo = {}
    plain = _plain(text)
    matches, extra = _run_matches(text, g.connectors, plain)
    if len(memo) > RUNS_MEMO_SIZE - 2 * (len(matches) + len(extra)):
        memo.clear()  # room for each run of the text and its first word (``_remembered`` adds them)
    starts = list(map(_START_OF, matches))
    runs = list(map(text.__getitem__, map(slice, starts, map(_END_OF, matches, repeat(2)))))
    found = list(map(memo.get, runs, repeat(_UNSEEN)))
    for m, s0, run, best in compress(zip(matches, starts, runs, found, strict=True), found):
        if best is _UNSEEN:
            best = _remembered(g, memo, run, m.end() - s0)
            if best is None:
                continue
        end, cands, dem = best
        hits.append(Span(s0, s0 + end, list(cands), dem))
    if extra:
        for s0, e0, end in extra:
            best = _remembered(g, memo, text[s0:end], e0 - s0)
            if best is not None:
                hits.append(Span(s0, s0 + best[0], list(best[1]), best[2]))
        hits.sort(key=_START)  # in order of start, as the runs come
    for m in _county_lists(text):
        unit = "County" if m.group(2).lower() == "counties" else "Parish"
        for n in _COUNTY_NAME.finditer(text, m.start(1), m.end(1)):
            cands = g.lookup(f"{n.group(0)} {unit}")
            if cands:
                hits.append(Span(n.start(), n.end(), cands, listed=True))
    # Datelines: "BEIRUT, Lebanon --", "ST. LOUIS (AP) --".
    if matches:  # the dateline's first two letters start some run of words
        datelines = _datelines_at(text, compress(starts, map(_GROUP, matches, repeat(1))))
    else:
        datelines = _datelines(text, plain)
    for m in datelines:
        cands, dem = lookup(g, m.group(1).title())
        if cands:
            hits.append(Span(m.start(1), m.end(1), cands, demonym=dem))
    for m in _bare_datelines(text):
        cands, dem = lookup(g, m.group(1).title())
        if cands and not dem and any(c.entry.population >= BIG_CITY for c in cands):
            hits.append(Span(m.start(1), m.end(1), cands))
    return hits


def _county_lists(text: str) -> Iterator[re.Match[str]]:
    """``_COUNTY_LIST.finditer(text)``, searched only in texts that say "counties" or "parishes", and
    there only in the stretch of the characters a list may hold (``_LIST_CHARS``) around each
    "counties" (the pattern is tried at every capital letter otherwise): no match reaches past a
    character outside the stretch, which is no letter or digit for the ``\\b`` at a list's end."""
    if "ounties" not in text and "arishes" not in text:
        return
    reverse = None
    end = 0
    for m in _LIST_END.finditer(text):
        at = m.start()
        if at < end:  # in the stretch just searched
            continue
        if reverse is None:
            reverse = text[::-1]
        start = len(text) - _LIST_CHARS.match(reverse, len(text) - at).end()
        end = _LIST_CHARS.match(text, at).end()
        yield from _COUNTY_LIST.finditer(text, start, end)


#: What ends a list of ``_COUNTY_LIST``, and the characters such a list is made of.
_LIST_END = re.compile(r" (?:counties|Counties|parishes|Parishes)\b")
_LIST_CHARS = re.compile(r"[\w'., -]*")


def _datelines(text: str, plain: bool | None = None) -> Iterator[re.Match[str]]:
    """``_DATELINE.finditer(text)``: ``_datelines_at`` the starts of the runs of words (``plain``:
    ``_plain(text)``, when the caller knows it)."""
    return _datelines_at(text, [s0 for s0, _, _ in _runs(text, frozenset(), plain)])


def _datelines_at(text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``_DATELINE.finditer(text)``, tried only at the ``starts`` (in order) that may start its group:
    a capital letter after the start of the text, of a line, or of a sentence (the pattern's
    look-behinds) and spaces or tabs (rather than at every character).  Every such start is one of a
    run of words (``hits`` asks for those whose second character may be a dateline's)."""
    end = 0
    for s0 in starts:
        if text[s0 : s0 + 1] not in _ASCII_UPPER or text[s0 + 1 : s0 + 2] not in _DATELINE_SECONDS:
            continue
        pos = s0
        while pos and text[pos - 1] in " \t":
            pos -= 1
        if pos and text[pos - 1] != "\n":
            # After a sentence: a full stop (or the like) and a space, then perhaps more of both.
            if text[pos] != " " or not (text[pos - 1] in '.!?"\u201d' or text[pos - 1].isdecimal()):
                continue
            pos += 1
        if pos < end:
            continue
        m = _DATELINE.match(text, pos)
        if m is not None:
            end = m.end()
            yield m


_ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: What may follow a dateline's first capital letter (``_DATELINE``), as a pattern and as a set.
_DATELINE_SECOND = "[A-Z.' -]"
_DATELINE_SECONDS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ.' -")


def _bare_datelines(text: str) -> Iterator[re.Match[str]]:
    """``_BARE_DATELINE.finditer(text)``: its pattern matched at the start of the text and of each line."""
    pos = 0
    while True:
        m = _BARE_DATELINE_AT.match(text, pos)
        if m is not None:
            yield m
        pos = text.find("\n", pos) + 1
        if not pos:
            return


def select(hits: list[Span]) -> list[Span]:
    """Leftmost-longest non-overlapping hits (county-list names first)."""
    listed = list(filter(_LISTED, hits))
    if listed:
        hits = [h for h in hits if h.listed or not any(h.start < x.end and x.start < h.end for x in listed)]
    # By start, the longest (the last end) first, listed names first: sorted by each key in turn, from
    # the last, with keys that are attributes (C calls; a sort keeps the order of equal items).
    hits.sort(key=_LISTED, reverse=True)
    hits.sort(key=_END, reverse=True)
    hits.sort(key=_START)
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
