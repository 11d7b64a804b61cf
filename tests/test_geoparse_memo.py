"""What the geoparser remembers to go faster changes nothing it finds.

Repeated names are judged once per surroundings, runs of words read once per text, look-ups
remembered per surface form, lines and sentences read within a bounded reach: each shortcut
must give exactly what the plain reading gives.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from storymap.geoparse import find_mentions
from storymap.geoparse.gazetteer import gazetteer
from storymap.geoparse.keys import key_hash
from storymap.geoparse.nonplaces import heading_line
from storymap.geoparse.words import CALENDAR

# The module, not the function ``storymap.geoparse`` re-exports under the same name.
recognise = importlib.import_module("storymap.geoparse.recognise")

SEED = (Path(__file__).resolve().parent.parent / "examples" / "us-colombia-white-house.txt").read_text(
    encoding="utf-8"
)

#: Sentences whose readings depend on their surroundings: people, teams, headings, directions.
VARIED = (
    "Georgia O'Keeffe painted in Santa Fe. Officials in Georgia said the state would appeal.\n"
    "Liverpool beat Everton 2-0 at Anfield on Saturday.\n"
    "Eclectic Fall Bowl Centerpiece\n"
    "Fighting spread across north-east Nigeria and the eastern Pacific saw storms.\n"
    "Paris Hilton visited Paris, Texas, before flying to Paris.\n"
)


def _found(text: str) -> list[tuple]:
    return [(m.start, m.end, m.ref, m.confidence, m.name, m.kind) for m in find_mentions(text)]


@pytest.mark.parametrize(
    "text",
    [
        (SEED + "\n\n") * 5,
        VARIED * 80,
        "Paris " * 5000,
        "Reading beat Leeds 2-0 in London. " * 700,
    ],
    ids=["seed x5", "varied x80", "one name", "one sports line"],
)
def test_remembered_judgements_change_nothing(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(text) >= recognise.MEMO_FROM
    remembered = _found(text)
    # Every span judged afresh: no two surroundings ever compare equal.
    monkeypatch.setattr(recognise, "_surroundings", lambda *args: object())
    assert _found(text) == remembered
    assert remembered  # the texts do name places


def test_repeated_name_is_every_mention() -> None:
    found = find_mentions("Paris " * 3000)
    assert len(found) == 3000
    assert {m.ref for m in found} == {found[0].ref}
    assert [m.start for m in found] == list(range(0, 6 * 3000, 6))


def test_remembered_lookups_are_the_lookups() -> None:
    g = gazetteer()
    names = ["Cartagena", "Paris", "Springfield", "Xanadu Quux", "Bogotá", "New York", "Zzyzx Qqq"]
    for name in names:
        assert g.lookup(name) == list(g._lookup(name))
        assert g.candidates(name) == tuple(g._lookup(name))
        assert g.known(name) == g._known(name)
        for words in (name, name.split()[0]):
            beginning = words in g._small_prefixes or g._prefix_hash.find(key_hash(words)) >= 0
            assert g.goes_on(words) == (not words.isascii() or beginning)
    assert len(g._goes_on_memo) <= g.MEMO_SIZE
    shared = g.lookup("Paris")
    shared.clear()  # a caller may change its copy ...
    assert g.lookup("Paris")  # ... never the remembered readings


@pytest.mark.parametrize(
    "text,pos",
    [
        ("Eclectic Fall Bowl Centerpiece", 0),
        (" " * 500 + "Eclectic Fall Bowl Centerpiece" + " " * 500, 500),
        ("x" * 300 + "\nEclectic Fall Bowl Centerpiece\n" + "y" * 300, 301),
        ("word " * 100 + "Eclectic Fall Bowl Centerpiece" + " word" * 100, 500),
        ("\n" + " " * 150 + "Eclectic Fall Bowl" + " " * 150 + "\nmore", 151),
    ],
)
def test_bounded_line_reach_agrees_with_the_whole_line(text: str, pos: int) -> None:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : len(text) if end < 0 else end]
    # The same text as its own line gives the unbounded answer.
    assert heading_line(text, pos) == heading_line(line, pos - start)


def test_heading_lines_are_those_of_the_whole_line() -> None:
    import random

    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    rng = random.Random(11)
    pieces = ["Fall ", "Bowl ", "the ", "of ", "word ", "Eclectic", "\n", " ", "  ", ". ", "x" * 40, " " * 30]
    checked = 0
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 80)))
        for pos in range(len(text) + 1):
            start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            line = text[start : len(text) if end < 0 else end].strip()
            words = nonplaces._HEADING_WORD.findall(line)
            major = [w for w in words if w.lower() not in nonplaces._MINOR]
            plain = (
                bool(line)
                and line[-1] not in ".!?:;,"
                and len(line) <= 90
                and len(words) >= 2
                and len(major) >= 2
                and all(w[0].isupper() for w in major)
            )
            assert heading_line(text, pos) == plain, (text, pos)
            checked += plain
    assert checked > 100


def _plain_windows(text: str, connectors: frozenset[str]) -> list[tuple[int, list[int]]]:
    """Windows read the plain way: every word of the text in one list, each looked at in turn."""
    spans = importlib.import_module("storymap.geoparse.spans")
    toks = [m.span() for m in re.finditer(r"[^\W_]+", text)]
    out = []
    for i, (s0, e0) in enumerate(toks):
        if not text[s0].isupper() and not (text[e0 : e0 + 1] == "-" and text[e0 + 1 : e0 + 2].isupper()):
            continue
        ends = [e0]
        for j in range(i + 1, min(i + spans.MAX_TOKENS, len(toks))):
            sj, ej = toks[j]
            gap = text[toks[j - 1][1] : sj]
            if gap not in spans._GAPS:
                break
            if not text[sj].isupper() and text[sj:ej] not in connectors and gap not in spans._INNER:
                break
            ends.append(ej)
        out.append((s0, ends))
    return out


@pytest.mark.parametrize(
    "text",
    [
        SEED,
        VARIED,
        "New York City and Santa Fe de Bogotá, then Rio de Janeiro. Nuku'alofa, Cox's Bazar, al-Bab.",
        "sub-Saharan Africa; U.S. and W. Va.; St.Louis; Ga.  Atlanta;. Ürümqi, Évora, ǅemal, 2Pac, "
        "x_Paris, Paris_, Ho Chi Minh City-based; Jean‐Luc ‑Paris; Rome\u2019s; A B C D E F G H I; End",
        "lowercase words only, no name at all",
        "Tail",
        "",
    ],
)
def test_windows_are_those_of_the_plain_reading(text: str) -> None:
    # The regular expressions that skip lowercase words find every window the word-by-word reading finds.
    spans = importlib.import_module("storymap.geoparse.spans")
    connectors = gazetteer().connectors
    assert spans._windows(text, connectors) == _plain_windows(text, connectors)


def test_windows_of_random_texts_are_those_of_the_plain_reading() -> None:
    spans = importlib.import_module("storymap.geoparse.spans")
    connectors = gazetteer().connectors
    for text in _random_texts():
        assert spans._windows(text, connectors) == _plain_windows(text, connectors), text


def _random_texts() -> list[str]:
    pieces = ["Paris", "de", "al", "x", "É", "é", "ǅ", "²", "2", "_", "-", "'", "’", ".", ". ", " ", "  "]
    pieces += ["‐", "‑", "\n", "Ünter", "sub", "of", "St", "ſ", "Ⅻ", "ⅻ", "deli", "the", "The", "Σ", "𝐀"]
    pieces += ["on", "À", "Ā", "â", "“", "ā", "\U0001f600", "\u0663"]  # an emoji; a digit beyond ASCII
    ascii_pieces = [p for p in pieces if p.isascii()]
    return _texts_of(pieces, 3000, 5) + _texts_of(ascii_pieces, 1000, 6)


def test_runs_found_by_patterns_are_the_windows() -> None:
    # A run (a window's start and its last end) found by regular expressions alone is the window of
    # the word-by-word reading, and its words read again from the run alone are the window's words.
    spans = importlib.import_module("storymap.geoparse.spans")
    connectors = gazetteer().connectors
    texts = [SEED, VARIED, "Nuku'alofa, Cox's Bazar, al-Bab, sub-Saharan Africa, Jean-Luc, a-b-C", "Ūbe 𝐀bc"]
    for text in texts + _random_texts():
        windows = _plain_windows(text, connectors)
        assert spans._runs(text, connectors) == [(s0, ends[0], ends[-1]) for s0, ends in windows], text
        for s0, ends in windows:
            assert spans._ends(text[s0 : ends[-1] + 1]) == tuple(e - s0 for e in ends), text


def test_a_trie_of_words_matches_what_their_alternation_longest_first_matches() -> None:
    import random

    spans = importlib.import_module("storymap.geoparse.spans")
    rng = random.Random(8)
    for _ in range(300):
        words = frozenset("".join(rng.choice("ab.- ") for _ in range(rng.randrange(1, 4))) for _ in range(6))
        plain = "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"
        for after in ("", "(?!a)", "(?=b)"):
            trie, alternation = re.compile(spans._alternation(words) + after), re.compile(plain + after)
            for _ in range(30):
                text = "".join(rng.choice("ab.- ") for _ in range(rng.randrange(0, 6)))
                got, want = trie.match(text), alternation.match(text)
                assert (got and got.end()) == (want and want.end()), (words, after, text)
    connectors = gazetteer().connectors
    assert re.fullmatch(spans._alternation(connectors), "de") and not re.fullmatch(
        spans._alternation(connectors), "Zz"
    )


def test_capitals_of_the_patterns_are_those_of_str_isupper() -> None:
    spans = importlib.import_module("storymap.geoparse.spans")
    for limit in (0x80, 0x100, 0x10000):
        upper = re.compile(f"[{spans._upper_class(limit)}]")
        for code in range(0x10000):
            assert bool(upper.fullmatch(chr(code))) == (code < limit and chr(code).isupper()), hex(code)
    assert spans._upper_class(0x80) == "A-Z"


def test_remembered_runs_are_bounded() -> None:
    spans = importlib.import_module("storymap.geoparse.spans")
    assert 0 < spans.RUNS_MEMO_SIZE <= 100_000
    spans.hits(SEED, gazetteer())
    assert 0 < len(gazetteer()._runs_memo) <= spans.RUNS_MEMO_SIZE
    assert 0 < spans.readings.cache_info().maxsize <= 100_000


def _texts_of(pieces: list[str], n: int, seed: int) -> list[str]:
    """``n`` random texts made of ``pieces``."""
    import random

    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40))) for _ in range(n)]


def test_datelines_tried_at_line_and_sentence_starts_are_all_datelines() -> None:
    spans = importlib.import_module("storymap.geoparse.spans")
    texts = [
        SEED,
        'BEIRUT, Lebanon -- Talks.\nST. LOUIS (AP) -- More. 2 PARIS \u2014 Then." ROME, Italy --',
        *_texts_of(
            [
                "AB",
                "C",
                "D.",
                "'",
                " ",
                ", ",
                "\n",
                ". ",
                '" ',
                "\u201d ",
                "1 ",
                " (",
                " -- ",
                "\u2014",
                "\t",
                "Sa",
                "-",
            ],
            3000,
            7,
        ),
    ]
    found = 0
    lines = _texts_of(["ABC", "WASHINGTON", "NEW YORK", " ", "\n", "Obama", "\t", "x", " Sa", "AB"], 1000, 9)
    for text in texts + [t.replace("1", "\u0661") for t in texts[:500]] + lines:
        plain = [m.span(1) for m in spans._DATELINE.finditer(text)]
        assert [m.span(1) for m in spans._datelines(text)] == plain, text
        bare = [m.span(1) for m in spans._BARE_DATELINE.finditer(text)]
        assert [m.span(1) for m in spans._bare_datelines(text)] == bare, text
        found += len(bare)
    assert found > 50


def test_county_lists_found_only_where_the_word_is_are_all_county_lists() -> None:
    spans = importlib.import_module("storymap.geoparse.spans")
    for text in (SEED, "Becker, Clay and Otter Tail counties", "Orleans and Jefferson Parishes", "Clay"):
        plain = [m.span() for m in spans._COUNTY_LIST.finditer(text)]
        assert [m.span() for m in spans._county_lists(text)] == plain


def test_word_before_read_backwards_is_the_word_before() -> None:
    plain = re.compile(r"([^\W_]+\.?)([ \u00a0]+)$")
    pieces = ["Mr", "St.", "x", "\u00e9t\u00e9", "_", ".", " ", "\u00a0", "\n", "  ", "2", "-", "long" * 12]
    for text in [SEED[:1000], *_texts_of(pieces, 300, 11)]:
        for start in range(len(text) + 1):
            m = plain.search(text, max(0, start - 40), start)
            assert recognise._word_before(text, start) == ((m.group(1), m.group(2)) if m else ("", ""))
            # ... and read off with one ``rfind`` after a space, with the last piece before the name.
            before = text[max(0, start - 40) : start]
            last = before[before.rfind(" ", 0, len(before) - 1) + 1 :].strip()
            assert recognise._before(text, start) == (*recognise._word_before(text, start), last)
            # ``judge`` looks for a hyphen before the word before only when ``last`` is not that word.
            prev, gap = recognise._word_before(text, start)
            lead = start - len(prev) - len(gap)
            if lead > 1 and text[lead - 1] == "-":
                assert last != prev, (text, start)


def test_remembered_facts_of_words_are_their_facts() -> None:
    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    g = gazetteer()
    names, befores = nonplaces.facts_of(g)
    assert nonplaces.facts_of(g)[0] is names
    words = re.findall(r"\S+", SEED + VARIED) + ["President", "Hurricane", "north-east", "Real", "St."]
    words += ["Jordan", "Walsh", "Xinhua", "Jupiter", "Herald", "March", "Mobile", "Paris"]
    for _ in range(2):  # worked out, then remembered
        for w in words:
            flags, rank = names.get(w) or nonplaces.name_facts(names, w, g)
            plain = {
                nonplaces.GIVEN: w in g.given_names,
                nonplaces.SURNAME: w in g.surnames,
                nonplaces.BRAND: w in g.brands,
                nonplaces.SKY: w in g.sky_names,
                nonplaces.PAPER: w in nonplaces._PAPERS,
                nonplaces.ENGLISH: w.lower() in g.english_rank,
                nonplaces.CALENDAR_WORD: w.lower() in CALENDAR,
            }
            assert {flag: bool(flags & flag) for flag in plain} == plain, w
            assert rank == g.common_rank.get(w.lower(), -1), w
            flags = befores.get(w)
            if flags is None:
                flags = nonplaces.before_flags(befores, w, g)
            ruled = (
                w.lower() in g.directions
                or w in g.storms
                or w.rstrip(".") in g.titles
                or w in g.titles
                or w in g.org_prefixes
            )
            assert bool(flags & nonplaces.RULED) == ruled, w
            assert bool(flags & nonplaces.TITLED) == (len(w) > 1 and w[0].isupper() and w[1:].islower()), w
    assert len(names) <= nonplaces._FACTS_SIZE and len(befores) <= nonplaces._FACTS_SIZE


def _plain_best(g, run: str, ends: tuple[int, ...]):  # noqa: ANN001, ANN202
    """Every window of a run looked up, shortest first; the longest that names something wins."""
    spans = importlib.import_module("storymap.geoparse.spans")
    best = None
    for ej in ends:
        surface = run[:ej]
        if surface in g.organisations:
            best = (ej, (), False)
            continue
        for key in (surface + ".", surface) if run[ej : ej + 1] == "." else (surface,):
            cands, dem = spans.readings(g, key)
            if cands:
                best = (len(key), cands, dem) if best is None or len(key) > best[0] else best
                break
    return best


def test_longest_window_first_is_the_longest_that_names_something() -> None:
    spans = importlib.import_module("storymap.geoparse.spans")
    g = gazetteer()
    text = SEED + VARIED + " U.S. Army, W. Va. and Paris Saint-Germain; Bank of America in New York City."
    found = 0
    for s0, ends in spans._windows(text, g.connectors):
        run, rel = text[s0 : ends[-1] + 1], tuple(e - s0 for e in ends)
        assert spans._best(g, run, rel) == _plain_best(g, run, rel)
        found += spans._best(g, run, rel) is not None
    assert found > 20


def _runs_of(tail: str) -> list[tuple[int, int, int, str]]:
    """``spans._runs`` of the seed and varied texts plus ``tail``, each with its run of words."""
    spans = importlib.import_module("storymap.geoparse.spans")
    text = SEED + VARIED + tail
    return [(s0, e0, last, text[s0 : last + 1]) for s0, e0, last in spans._runs(text, gazetteer().connectors)]


def test_a_run_whose_first_word_goes_on_to_no_name_has_its_first_window_only() -> None:
    # ``hits`` reads the words of a run again only when a name goes on from its first word.
    spans, g = importlib.import_module("storymap.geoparse.spans"), gazetteer()
    stopped = 0
    for s0, e0, last, run in _runs_of(
        " Barack Obama, New York City; Rio de Janeiro. Associated Press said Paris Hilton"
    ):
        if e0 < last and not g.goes_on(run[: e0 - s0]):
            assert spans._best(g, run, (e0 - s0,)) == spans._best(g, run, spans._ends(run)), run
            stopped += 1
    assert stopped > 10


def test_remembered_runs_give_the_windows_of_the_plain_reading() -> None:
    # ``hits`` remembers each run's best window, a run whose first word no name goes on from under
    # that word's own key too ("Barack Obama" as "Barack"): whatever order texts come in, its hits
    # from runs are those of every window of every run looked up afresh.
    spans, g = importlib.import_module("storymap.geoparse.spans"), gazetteer()
    texts = [
        SEED,
        VARIED,
        "Barack Obama met Barack. Barack Obama; Paris Hilton in Paris. St. Louis, St. Paul and St. Obama.",
        "Mr. Smith and Mr. Paris Jones; U.S. Army, U.S. and W. Va. Georgia Power in Georgia. Georgia.",
    ]
    for order in (texts, texts[::-1], texts + texts):
        g._runs_memo.clear()
        for text in order:
            plain = []
            for s0, ends in spans._windows(text, g.connectors):
                run = text[s0 : ends[-1] + 1]
                best = _plain_best(g, run, tuple(e - s0 for e in ends))
                if best is not None:
                    plain.append((s0, s0 + best[0], list(best[1]), best[2]))
            got = [(h.start, h.end, h.candidates, h.demonym) for h in spans.hits(text, g)]
            assert got[: len(plain)] == plain, text
            assert len(plain) > 5


def test_ends_read_word_by_word_are_the_windows_best_looks_up() -> None:
    # ``hits`` reads a run's words only as far as a name goes on (``_going_ends``): the windows of all
    # its words, cut after the first that no name goes on from, and the same best window.
    spans, g = importlib.import_module("storymap.geoparse.spans"), gazetteer()
    checked = 0
    tail = " Rio de Janeiro. New York City Police Department; San Jose del Monte."
    for s0, e0, last, run in _runs_of(tail):
        run = run if run[-1] == "." else run[:-1]  # as ``hits`` keys it (no run ends the text)
        if e0 == last or not g.goes_on(run[: e0 - s0]):
            continue
        ends = spans._ends(run)
        cut = next((k + 1 for k in range(len(ends) - 1) if not g.goes_on(run[: ends[k]])), len(ends))
        going = spans._going_ends(g, run, e0 - s0, last - s0)
        assert going == ends[:cut], run
        assert spans._best(g, run, going, len(going) - 1) == spans._best(g, run, ends), run
        checked += 1
    assert checked > 10


def test_county_lists_searched_around_their_ends_are_those_of_the_whole_text() -> None:
    # ``_county_lists`` tries the pattern only in the stretch of a list's characters around each "counties".
    import random

    spans = importlib.import_module("storymap.geoparse.spans")
    pieces = ["Clay", "Grant", "Otter Tail", "and", " ", ", ", ",", " and ", "counties", "Counties"]
    pieces += ["parishes", " counties", " Parishes", "\n", ".", "'", "-", "x", "\u00c9", "\u00e9", "_"]
    pieces += ["2", ";", "(", "St. Louis"]
    pieces += ["countiesX", "O'Brien", "\u2014", " and Grant counties", "Becker, Clay"]
    rng = random.Random(3)
    texts = [SEED, VARIED, "Becker, Clay and Otter Tail counties; Orleans and Jefferson parishes."]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30))) for _ in range(20_000)]
    found = 0
    for text in texts:
        want = [(m.span(), m.groups()) for m in spans._COUNTY_LIST.finditer(text)]
        assert [(m.span(), m.groups()) for m in spans._county_lists(text)] == want, text
        found += len(want)
    assert found > 2000


def test_lead_reading_is_the_first_of_the_ranking_with_its_softmax_share() -> None:
    import random

    resolve = importlib.import_module("storymap.geoparse.resolve")
    rng = random.Random(3)
    for _ in range(2000):
        scores = [rng.choice([rng.uniform(-3, 12), 5.0, 7.25]) for _ in range(rng.randrange(1, 12))]
        ranked = sorted(range(len(scores)), key=lambda k: (-scores[k], k))
        assert resolve._lead(scores) == (ranked[0], resolve._softmax(scores)[ranked[0]])


def test_ranking_found_first_best_is_the_sorted_ranking() -> None:
    import random

    resolve = importlib.import_module("storymap.geoparse.resolve")
    rng = random.Random(4)
    for _ in range(2000):
        scores = [rng.choice([rng.uniform(-3, 12), 5.0, 7.25]) for _ in range(rng.randrange(1, 12))]
        assert list(resolve._ranked(scores)) == sorted(range(len(scores)), key=lambda k: (-scores[k], k))


def test_leading_readings_sorted_in_reverse_are_those_sorted_by_minus_the_score() -> None:
    import random
    from types import SimpleNamespace

    resolve = importlib.import_module("storymap.geoparse.resolve")
    g = gazetteer()
    cands = g.candidates("Springfield")[:12]
    rng = random.Random(6)
    for _ in range(2000):
        n = rng.randrange(1, len(cands) + 1)
        fixed = [rng.choice([rng.uniform(-3, 12), 5.0, 7.25, 0.0]) for _ in range(n)]
        grp = SimpleNamespace(fixed=fixed, candidates=cands[:n])
        top = sorted(range(n), key=lambda k: -fixed[k])[: resolve.SOFT_TOP]
        ws = [10 ** ((fixed[k] - fixed[top[0]]) / resolve.SOFT_TEMPERATURE) for k in top]
        plain = [(cands[k].entry, w / sum(ws)) for k, w in zip(top, ws, strict=True)]
        assert resolve._soft(grp) == plain
        resolve._choose(grp)
        assert grp.choice is cands[max(range(n), key=fixed.__getitem__)].entry


def test_capitalised_run_before_a_name_ends_with_a_lowercase_letter_and_a_space() -> None:
    # ``_in_capitalised_phrase`` searches for the run only after that check (when one space is the gap
    # before the name: a run may also end before a newline, but then the gap is no space).
    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    pieces = ["Louisville ", "Metro ", "of ", "the ", "and ", "x", "A", "Bc", " ", "\n", ". ", "for ", "É"]
    found = 0
    for text in [SEED[:3000], *_texts_of(pieces, 400, 8)]:
        for pos in range(1, len(text) + 1):
            if text[pos - 1] == " " and nonplaces._CAPITALISED_BEFORE.search(text, max(0, pos - 60), pos):
                assert "a" <= text[pos - 2] <= "z", (text, pos)
                found += 1
    assert found > 100


def test_capitalised_run_read_backwards_is_the_run_searched_for() -> None:
    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    pieces = [
        "Louisville ",
        "Metro ",
        "of ",
        "the ",
        "and ",
        "for ",
        "x",
        "A",
        "Bc",
        "McDonald ",
        " ",
        "\n",
        ". ",
    ]
    pieces += ["Department ", "Homeland ", "dna ", "eht ", "Rock ", "É", "ab ", "The "]
    found = 0
    for text in [SEED[:3000], *_texts_of(pieces, 600, 9)]:
        for pos in range(1, len(text) + 1):
            if text[pos - 1] != " ":
                continue  # ``_in_capitalised_phrase`` asks only after one space
            run = nonplaces._CAPITALISED_BEFORE.search(text, max(0, pos - 60), pos)
            assert nonplaces.capitalised_before(text, pos) == (run.group(0) if run else ""), (text, pos)
            found += run is not None
    assert found > 1000


def test_mentions_made_by_setting_slots_are_the_dataclass_mentions() -> None:
    import dataclasses

    from storymap.model import Mention

    names = [f.name for f in dataclasses.fields(Mention)]
    found = find_mentions(SEED + "\nFighting spread across north-east Nigeria and the eastern Pacific.")
    assert len(found) > 20
    for m in found:
        # Filled as its mutable twin (every slot set), then made a Mention: frozen as any other.
        plain = Mention(**{n: getattr(m, n) for n in names})
        assert type(m) is Mention and m == plain and hash(m) == hash(plain) and repr(m) == repr(plain)
        assert m.geometry is plain.geometry
        with pytest.raises(dataclasses.FrozenInstanceError):
            m.name = "changed"  # type: ignore[misc]


def test_a_run_is_remembered_whatever_non_stop_character_follows_it() -> None:
    # ``hits`` keys a run with a space for any character after it but a full stop.
    spans, g = importlib.import_module("storymap.geoparse.spans"), gazetteer()
    text = SEED + VARIED + " U.S. Army, W. Va.; Paris Saint-Germain) Bank of America in New York City"
    checked = 0
    for _, _, last, run in _runs_of(text[len(SEED + VARIED) :]):
        if last == len(text) or run[-1] == ".":
            continue
        ends = spans._ends(run)
        best = spans._best(g, run, ends)
        for after in ("", " ", ",", ";", ")", "'", "\n", "-", "\u2019"):
            assert spans._best(g, run[:-1] + after, ends) == best, run
        checked += best is not None
    assert checked > 20


def test_patterns_after_a_name_match_only_where_why_not_tries_them() -> None:
    # ``why_not`` tries each pattern on what follows a name only when its first characters allow a match.
    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    pieces = [
        " A. Burton",
        ", Jr.",
        " Jr",
        " Sr.",
        " III",
        " (Bill Hader)",
        " (NYSE: CSCO)",
        " Inc.,",
        " de Oro",
    ]
    pieces += [
        " Arie performed",
        "-Jones said",
        " crude",
        " In",
        " Out",
        " beat",
        " won",
        " Joon Ho",
        "'s",
        ".",
    ]
    pieces += [",", " ", "-", "(", "A", "b", " dei Marini", " Systems", " (", " X", "\u2019s", "\n"]
    pieces += [" vs.", " v", " came from behind", " drew", " beaten", "_", "\u00e9", " d", " du Lac", "s"]
    pieces += ["\u00a0", "'s government", "\u2019s new King", ", Calif.", ", NSW", " Post"]
    pieces += [" in ", ", in ", " district of ", " ("]
    recognise_patterns = ("_WORD_AFTER", "_ABBREVIATED_STATE", "_OFFICE", "_WITHIN")
    found: dict[str, int] = {}
    for after in [p for p in pieces] + _texts_of(pieces, 4000, 13):
        after = after[:60]
        first = after[:1]
        spaced = first == " "
        capital_next = spaced and "A" <= after[1:2] <= "Z"
        bracket = spaced and after[1:2] == "("
        tried = {
            "_MIDDLE_INITIAL_AFTER": capital_next and after[2:3] == ".",
            "_SUFFIX_AFTER": capital_next or first == ",",
            "_BRACKETED_NAME": bracket,
            "_NAME_GOES_ON": (spaced or first == "-") and "A" <= after[1:2] <= "Z",
            "_TWO_NAMES": capital_next,
            "_LONGER_NAME": spaced,
            "_TICKER_AFTER": capital_next or bracket or first == ",",
            "_HEAD_NOUN": spaced and "a" <= after[1:2] <= "z",
            "_UI_AFTER": capital_next,
            "_TEAM_VERB_AFTER": spaced,
            # ``recognise``'s, tried in ``judge`` and after it
            "_WORD_AFTER": first in (" ", "\u00a0"),
            "_ABBREVIATED_STATE": first == ",",
            "_OFFICE": after[:2] in ("'s", "\u2019s"),
            "_WITHIN": first in (",", " "),
        }
        tried["_LONGER_NAME"] = spaced and after[1:2] == "d"
        head = nonplaces._HEAD_NOUN.match(after) if spaced else None
        tried["_TEAM_VERB_AFTER"] = head is not None and head.group(1) in nonplaces._TEAM_FIRST
        for name, ok in tried.items():
            if getattr(recognise if name in recognise_patterns else nonplaces, name).match(after):
                found[name] = found.get(name, 0) + 1
                assert ok, (name, after)
    assert len(found) == len(tried) and min(found.values()) > 10, found  # every pattern matched


def _plain_fixed(cands: list) -> list[float]:
    """A group's scores on its own readings, read afresh: priors, a country's bare name over its capital's
    longer name, a big city over the division of the same name around it."""
    resolve = importlib.import_module("storymap.geoparse.resolve")
    fixed = [resolve.prior(c) for c in cands]
    countries = {c.entry.country for c in cands if c.entry.kind == "country" and c.quality == resolve.PRIMARY}
    divisions = [c.entry for c in cands if c.entry.kind == "admin"]
    for k, c in enumerate(cands):
        e = c.entry
        if e.kind == "city" and c.quality != resolve.PRIMARY and e.country in countries:
            fixed[k] -= resolve.COUNTRY_NAME
        if (
            e.kind == "city"
            and not e.capital
            and e.population >= resolve.METROPOLIS
            and any(resolve._inside(e, d) for d in divisions)
        ):
            fixed[k] += resolve.CITY_OVER_DIVISION
    return fixed


def test_remembered_readings_of_a_group_are_worked_out_afresh() -> None:
    """A group's scores on its own and its soft votes are remembered per list of readings, across texts:
    each use gives what the plain reading gives, and a group whose scores a cue moved is not given the
    remembered votes."""
    from storymap.geoparse.gazetteer import Candidate
    from storymap.geoparse.spans import Span

    resolve = importlib.import_module("storymap.geoparse.resolve")
    g = gazetteer()
    names = [
        "Paris",
        "Springfield",
        "Georgia",
        "Mexico",
        "New York",
        "Delhi",
        "Kuwait",
        "Victoria",
        "Sao Paulo",
    ]
    for _ in range(2):  # worked out, then remembered
        for name in names:
            cands = g.lookup(name)
            grp = resolve._Group([Span(0, len(name), cands), Span(9, 9 + len(name), list(cands))])
            assert grp.fixed == _plain_fixed(cands), name
            assert grp.fixed is not grp.known[1]  # the group's own copy: cues add to it
            assert resolve._soft_votes(grp) == resolve._soft(grp)
            grp.fixed[-1] += 4.0  # "Georgia state": the remembered votes are not this group's
            assert resolve._soft_votes(grp) == resolve._soft(grp) != grp.known[2]
    fresh = [Candidate(c.entry, c.quality) for c in g.lookup("Paris")]  # new objects: their own readings
    assert resolve._Group([Span(0, 5, fresh)]).fixed == _plain_fixed(fresh)
    assert len(resolve._READINGS) <= resolve._READINGS_SIZE


def test_remembered_facts_of_readings_are_their_facts() -> None:
    context = importlib.import_module("storymap.geoparse.context")
    resolve = importlib.import_module("storymap.geoparse.resolve")
    from storymap.geoparse.spans import Span

    g = gazetteer()
    for _ in range(2):  # worked out, then remembered with the group's readings
        for name in ("Springfield", "Paris", "Georgia", "Victoria", "Caribbean Sea"):
            cands = g.candidates(name)
            entries = [c.entry for c in cands]
            resolve.resolve(name, [Span(0, len(name), cands)], g)
            known = resolve._Group([Span(0, len(name), cands)]).known
            if len(cands) > 1:  # scored: read when first asked
                assert known[3] == context.read_facts(entries)
            facts = context.Facts(entries)
            assert (
                facts.countries,
                facts.distinct,
                facts.local,
                facts.by_key,
                facts.by_row,
            ) == context.read_facts(entries)
            assert facts.plan == [] and facts.layout is None  # the plan is the group's own


def test_cue_read_only_beside_a_space_hyphen_apostrophe_or_of_is_the_cue() -> None:
    import random

    from storymap.geoparse.spans import Span

    resolve = importlib.import_module("storymap.geoparse.resolve")
    words = [
        "Georgia",
        " state",
        " State",
        " province",
        " border",
        "-listed",
        "-based",
        "-headquartered",
        "'s governor",
        "\u2019s army",
    ]
    words += [
        "the state of ",
        "State Of ",
        "upstate ",
        "the city of ",
        "town of ",
        "village of ",
        ", ",
        ". ",
        "x",
    ]
    words += ["\n", " ", "-", "'", "of", "te", "STATE OF ", "İ", "Σ "]
    rng = random.Random(9)
    found = 0
    for _ in range(4000):
        text = "".join(rng.choice(words) for _ in range(rng.randrange(1, 9)))
        for start in range(len(text) + 1):
            end = min(len(text), start + rng.randrange(0, 8))
            sp = Span(start, end, [])
            assert resolve._cue(text, sp) == resolve._cue_read(text, sp), (text, start, end)
            found += resolve._cue(text, sp) != ("", 0.0)
    for sp in (Span(m.start(), m.end(), []) for m in re.finditer(r"[A-Z]\w+", SEED)):
        assert resolve._cue(SEED, sp) == resolve._cue_read(SEED, sp)
    assert found > 1000


def test_patterns_before_a_name_read_backwards_are_the_patterns_searched_for() -> None:
    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    pairs = [
        (nonplaces._MIDDLE_INITIAL_BEFORE, nonplaces._MIDDLE_INITIAL_BEFORE_REVERSED),
        (nonplaces._PEERAGE, nonplaces._PEERAGE_REVERSED),
        (nonplaces._TEAM_VERB_BEFORE, nonplaces._TEAM_VERB_BEFORE_REVERSED),
    ]
    pieces = ["John", " F.", " ", "  ", "\n", ".", "x", "Duke", "Duchess", " and ", " & ", "Prince", "Lady"]
    pieces += [
        " of ",
        "of",
        " York",
        "Earl",
        "beat",
        "beats",
        " the ",
        "the",
        "vs",
        "v.",
        "lost",
        " 2-1",
        " to ",
    ]
    pieces += [
        "drew",
        " with ",
        "fell",
        "123-4",
        "-",
        "é",
        "_",
        "Baroness",
        "Viscount",
        "Lord",
        "stunned",
        "A",
    ]
    found = [0] * len(pairs)
    for text in [SEED[:3000], *_texts_of(pieces, 3000, 17)]:
        for end in range(len(text) + 1):
            before = text[max(0, end - 40) : end]
            for i, (plain, backwards) in enumerate(pairs):
                hit = plain.search(before) is not None
                assert (backwards.match(before[::-1]) is not None) == hit, (plain.pattern, before)
                found[i] += hit
    assert min(found) > 50, found


def test_suffix_after_a_name_holds_jr_sr_or_ii() -> None:
    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    pieces = [" Jr", " Sr", ".", ",", " III", " II", " I", " Gooding", " X", "Jr", "a", " ", "\n", "Sra"]
    found = 0
    for after in _texts_of(pieces, 5000, 19):
        if nonplaces._SUFFIX_AFTER.match(after):
            assert nonplaces._suffixed(after), after
            found += 1
    assert found > 300


def test_locative_read_backwards_is_the_locative_searched_for() -> None:
    from storymap.geoparse import words

    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    pieces = [
        "in",
        "near",
        "outside",
        "from",
        "to",
        "at",
        "around",
        "of",
        " ",
        "  ",
        "\u00a0",
        "\n",
        "x",
        "-",
    ]
    pieces += ["within", "into", "Paris", "_", "é", "2", "       "]
    found = 0
    for text in [SEED[:3000], *_texts_of(pieces, 3000, 23)]:
        for start in range(len(text) + 1):
            hit = words.after_locative(text, start)
            assert nonplaces.after_locative(text, start) == hit, (text, start)
            # ``judge`` asks only after a locative word before the name.
            assert not hit or recognise._word_before(text, start)[0] in recognise._LOCATIVE_WORDS
            found += hit
    assert found > 1000


def test_remembered_readings_of_a_span_answer_as_a_pass_over_them() -> None:
    from storymap.geoparse.gazetteer import PRIMARY, SHORT, Candidate
    from storymap.geoparse.spans import Span, hits

    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    g = gazetteer()
    areas = ("country", "admin", "water", "region")
    wide = ("country", "water", "region")
    found = hits(SEED + VARIED, g)
    found += [
        Span(0, 5, [Candidate(c.entry, q) for c in g.lookup(n)]) for n in ("Paris", "Georgia") for q in (1, 3)
    ]
    found.append(Span(0, 1, []))
    assert len(found) > 50
    for _ in range(2):  # worked out, then remembered
        for sp in found:
            cs = sp.candidates
            named = [c for c in cs if c.quality in (PRIMARY, SHORT)]
            known = nonplaces.readings(sp)
            assert known[nonplaces.COUNTRY] == any(c.entry.kind == "country" for c in cs)
            assert known[nonplaces.AREA] == any(c.entry.kind in areas for c in cs)
            assert known[nonplaces.TOWNS] == all(c.entry.kind == "city" for c in cs)
            for size in (0, 1000, 50_000, 100_000, 1_000_000, 10**9):
                big = any(c.entry.population >= size or c.entry.kind in wide for c in cs)
                assert (known[nonplaces.WIDE] or known[nonplaces.LARGEST] >= size) == big
                assert (known[nonplaces.WIDE_BY_NAME] or known[nonplaces.LARGEST_BY_NAME] >= size) == any(
                    c.entry.population >= size or c.entry.kind in wide for c in named
                )
                assert (known[nonplaces.AREA_BY_NAME] or known[nonplaces.LARGEST_BY_NAME] >= size) == any(
                    c.entry.kind in areas or c.entry.population >= size for c in named
                )
    assert len(nonplaces._READINGS) <= nonplaces._READINGS_SIZE


def test_softmax_weights_of_a_float_ten_are_those_of_the_int() -> None:
    import random

    rng = random.Random(6)
    for _ in range(20000):
        x = rng.choice([rng.uniform(-40, 0), -rng.random(), 0.0, -1.0, -rng.uniform(0, 1e-9)])
        assert 10.0**x == 10**x


def test_remembered_confidences_are_the_plain_ones() -> None:
    resolve = importlib.import_module("storymap.geoparse.resolve")

    def plain(p: float, trust: float) -> float:
        confidence = max(0.0, min(1.0, p**resolve.CALIBRATION * trust))
        confidence -= (1.0 - resolve.CEILING) * confidence**8
        return round(confidence, 3)

    resolve._CONFIDENCES.clear()
    first = _found(SEED + "\n\n" + VARIED)  # worked out
    assert resolve._CONFIDENCES and all(c == plain(*key) for key, c in resolve._CONFIDENCES.items())
    assert _found(SEED + "\n\n" + VARIED) == first  # remembered


def test_common_words_judged_without_the_interface_rule_first_are_judged_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``judge`` asks ``why_not``'s "interface" rule of a common word only when a later rule would note a
    # person or a name; asked every time, as ``why_not`` asks it of other names, nothing changes.
    nonplaces = importlib.import_module("storymap.geoparse.nonplaces")
    g = gazetteer()
    pieces = ["March", "Mobile", "Deal", "Police", "Reading", "Log", "Sale", "Bath", "Man", "Street"]
    pieces += ["Jordan", " ", " ", ". ", "\n", "For ", "Denzel ", "President ", " Henderson", " In", ", "]
    pieces += [" beat Leeds 2-0", "Department of ", " Council", "Eclectic Fall ", " Centerpiece", "in "]
    pieces += ["the ", " apps", "Kuzma", "Kevin ", "Hope"]
    texts = [SEED, VARIED, *_texts_of(pieces, 400, 29)]
    texts += ["Kevin Deal In the news. Officials in Deal said.", "Kevin Deal said. He lives near Deal."]

    def spans(text: str) -> list[tuple]:
        return [
            (s.start, s.end, s.direction, s.needs, s.trust, [c.entry.ref for c in s.candidates])
            for s in recognise.recognise(text, g)
        ]

    shortcut = [spans(text) for text in texts]
    # A common word noted as a surname is no place later, unless page furniture came first ("Deal In").
    assert [s[:2] for s in shortcut[-2]] == [(37, 41)] and shortcut[-1] == []
    monkeypatch.setattr(recognise, "why_not", lambda *args: nonplaces.why_not(*args[:10]))
    assert [spans(text) for text in texts] == shortcut
    assert sum(map(len, shortcut)) > 200


def test_no_word_read_after_a_name_starts_in_lowercase() -> None:
    # ``judge`` reads no word after a name that starts with a lowercase letter: the rules find only
    # capitalised surnames, given names and heads of organisations' names there.
    g = gazetteer()
    for words in (g.surnames, g.given_names, g.org_heads):
        assert words and not any(w[:1] == "" or "a" <= w[:1] <= "z" for w in words)
