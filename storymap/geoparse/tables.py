"""The gazetteer's small tables, compiled from their sources into one fast-loading file.

The sources are the curated YAML (landmarks, regions, demonyms, short forms, stop-lists), the word
lists, the areas of ``storymap.geoparse.areas`` with their statistics and the code tables of the
compiled index. Building the tables from them takes a few tenths of a second (YAML parsing, 5,000
areas); ``geodata/build.py`` (or ``python geodata/build.py --tables`` alone) stores the result as
``gazetteer/tables.marshal``, plain Python values only (dicts, lists, tuples, sets, strings, numbers),
written by ``marshal``: it loads in a few milliseconds, faster than the same values pickled, and
``marshal`` is built into the interpreter (``pickle`` is a module to import).

The stored tables carry a digest of their sources and of this module. When the digest no longer
matches (a YAML table was edited and the file not rebuilt), ``load`` returns None and the gazetteer
compiles the tables from the sources in memory: results are never stale, only slower to load.
``tests/test_gazetteer.py`` checks that the committed file is current.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zlib import crc32

from storymap.geoparse.keys import word_prefixes

#: Every file the tables are compiled from, relative to ``geodata/``.
SOURCES = (
    "landmarks.yaml",
    "regions.yaml",
    "demonyms.yaml",
    "shortforms.yaml",
    "stoplists.yaml",
    "common-words.txt",
    "english-words.txt",
    "given-names.txt",
    "surnames.txt",
    "areas.json.gz",
    "gazetteer/area-stats.json",
    "gazetteer/meta.json",
)
FILE = "gazetteer/tables.marshal"
#: The ``marshal`` format of the file: version 4 is read by every Python since 3.4.
_MARSHAL_VERSION = 4

#: Division names that are ordinary words: never read as a division on their own.
_GENERIC_WORDS = frozenset(
    {
        "Capital",
        "Centre",
        "Center",
        "Central",
        "Coast",
        "Interior",
        "Border",
        "Littoral",
        "Metropolitan",
        "City",
        "Islands",
        "Lakes",
        "Highlands",
        "Lowlands",
        "Plateau",
    }
)

#: A name led by a hyphenated lowercase word ("sub-Saharan Africa").
_HYPHENATED = re.compile(r"[a-z]+-[A-Z]")

_KINDS = ("city", "admin")


def digest(root: Path, fields: tuple[str, ...]) -> str:
    """Digest of the sources under ``root``, of this module and of the entry fields: the size and
    CRC-32 of each. It tells an edited source from the one the tables were compiled from, which is
    all it is for, and costs every process that geoparses no cryptographic hash (nor OpenSSL's
    loading, which ``hashlib`` does on import)."""
    parts = [f"fields {crc32(repr(fields).encode('utf-8')):08x}"]
    for name, path in (("tables.py", Path(__file__)), *((name, root / name) for name in SOURCES)):
        data = path.read_bytes()
        if not name.endswith(".gz"):  # the same text whatever line endings a checkout gave it
            data = data.replace(b"\r\n", b"\n")
        parts.append(f"{name} {len(data)} {crc32(data):08x}")
    return "; ".join(parts)


def load(root: Path, fields: tuple[str, ...]) -> dict[str, Any] | None:
    """The compiled tables of ``root``, or None when the file is missing, unreadable (not written by
    ``write``) or out of date. ``marshal`` makes plain values only: no class is ever looked up, no
    code is run."""
    try:
        tables = marshal.loads((root / FILE).read_bytes())
        current = digest(root, fields)
    except (FileNotFoundError, EOFError, ValueError, TypeError):
        return None
    return tables if isinstance(tables, dict) and tables.get("digest") == current else None


def write(root: Path, tables: dict[str, Any]) -> Path:
    """Store ``tables`` (from ``compile_tables``) in ``root``; returns the path written."""
    path = root / FILE
    path.write_bytes(marshal.dumps(tables, _MARSHAL_VERSION))
    return path


def compile_tables(root: Path, fields: tuple[str, ...], in_index: Callable[[str], bool]) -> dict[str, Any]:
    """The tables of the gazetteer, compiled from the sources under ``root``.

    ``fields`` are the entry fields (each entry is a tuple in that order); ``in_index(ref)`` tells
    whether the compiled name index holds ``ref`` (aliases may name GeoNames towns).
    """
    import gzip
    import json

    import yaml

    from storymap.geoparse.gazetteer import ALTERNATE, PRIMARY

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def read(name: str) -> Any:
        return yaml.load((root / name).read_text(encoding="utf-8"), Loader=loader)

    meta = json.loads((root / "gazetteer/meta.json").read_text(encoding="utf-8"))
    entries: dict[str, tuple] = {}
    extra: dict[str, list[tuple[str, int]]] = {}
    t: dict[str, Any] = {
        "fields": fields,
        "countries": meta["countries"],
        "admin1": meta["admin1"],
        "other_ids": {int(k): v for k, v in meta["other_ids"].items()},
        "entries": entries,
        "extra": extra,
    }

    def entry(ref, name, kind, lat, lon, country, admin1="", population=0, capital=False, stands_for=None):  # noqa: ANN001, ANN202
        values = {
            "ref": ref,
            "name": name,
            "kind": kind,
            "lat": lat,
            "lon": lon,
            "country": country,
            "admin1": admin1,
            "population": population,
            "capital": capital,
            "stands_for": stands_for,
        }
        entries[ref] = tuple(values[f] for f in fields)

    def add(key: str, ref: str, quality: int) -> None:
        refs = extra.setdefault(key, [])
        if (ref, quality) not in refs:
            refs.append((ref, quality))

    # ---- curated tables
    for lm in read("landmarks.yaml")["landmarks"]:
        ref = f"landmark:{lm['id']}"
        entry(ref, lm["name"], "landmark", lm["lat"], lm["lon"], lm["country"], stands_for=lm["stands_for"])
        for n in (lm["name"], *lm.get("names", ())):
            add(n, ref, PRIMARY)
    curated_regions = read("regions.yaml")["regions"]
    demonyms: dict[str, str] = {}
    for dem, target in read("demonyms.yaml")["demonyms"].items():
        ref = target if ":" in target else f"country:{target}"
        demonyms[dem] = ref
        if dem[-2:] in ("an", "er") or dem[-1] == "i":
            demonyms[dem + "s"] = ref
    short = read("shortforms.yaml")
    after_comma_all = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in short["after_comma"].items()}
    after_comma = {k: v[0] for k, v in after_comma_all.items()}
    aliases: dict[str, str] = dict(short.get("aliases") or {})
    t.update(
        demonyms=demonyms,
        shortforms=dict(short["anywhere"]),
        after_comma_all=after_comma_all,
        after_comma=after_comma,
        abbreviations={a: after_comma[a] for a in short["abbreviations_anywhere"]},
    )
    stop = read("stoplists.yaml")
    for name in ("titles", "org_heads", "org_prefixes", "brands", "connectors", "feature_words"):
        t[name] = frozenset(stop[name])
    for name in ("organisations", "storms", "thing_heads", "sky_names"):
        t[name] = frozenset(stop.get(name) or ())
    directions = {w: d for d, words in stop["directions"].items() for w in words}
    t["directions"] = directions
    # The sets of these words are the ranks' keys (``Gazetteer.common_words``): not stored twice.
    t["common_rank"] = {w: i for i, w in enumerate(_word_list(root / "common-words.txt"))}
    t["english_rank"] = {w: i for i, w in enumerate(_word_list(root / "english-words.txt"))}
    t["given_names"] = frozenset(_word_list(root / "given-names.txt"))
    t["surnames"] = frozenset(_word_list(root / "surnames.txt"))

    # ---- areas (countries, divisions, regions, waters), read from the files ``areas`` reads
    stats = json.loads((root / "gazetteer/area-stats.json").read_text(encoding="utf-8"))
    data = json.loads(gzip.decompress((root / "areas.json.gz").read_bytes()))
    for row in data["areas"]:
        a = dict(zip(data["fields"], row, strict=True))
        pop, code = stats.get(a["id"], (0, ""))
        admin1 = (code or a["id"].rsplit("-", 1)[-1]) if a["kind"] == "admin" else ""
        entry(a["id"], a["name"], a["kind"], a["lat"], a["lon"], a["country"], admin1, a["population"] or pop)
        for n in a["names"]:
            if not n or not (n[0].isupper() or _HYPHENATED.match(n)):
                continue
            if a["kind"] == "admin" and (
                n.lower() in directions or n in t["feature_words"] or n in _GENERIC_WORDS
            ):
                continue  # districts called "North" or "Central" are not what a capital word means
            add(n, a["id"], PRIMARY if n == a["name"] else ALTERNATE)

    # ---- news regions and features the areas lack (points only)
    for r in curated_regions:
        kind = r.get("kind", "region")  # "water" for lakes and rivers
        # Towns and districts the compiled index lacks are "place:<id>" ("El Alto", "Guma").
        ref = f"place:{r['id']}" if kind in _KINDS else f"{kind}:{r['id']}"
        known = [x for x, _ in extra.get(r["name"], ()) if x in entries]
        if ref in entries or known:  # storymap.geoparse.areas has it (with an outline)
            for d in r.get("demonyms", ()):
                demonyms.setdefault(d, ref if ref in entries else known[0])
            continue
        entry(ref, r["name"], kind, r["lat"], r["lon"], r["country"], population=r.get("population", 0))
        for n in (r["name"], *r.get("names", ())):
            add(n, ref, PRIMARY)
        for d in r.get("demonyms", ()):
            demonyms.setdefault(d, ref)
    for form, ref in aliases.items():
        if ref in entries or in_index(ref):
            add(form, ref, PRIMARY)
    for values in entries.values():
        e = dict(zip(fields, values, strict=True))
        if e["kind"] == "admin" and e["country"] == "US" and len(e["admin1"]) == 2:
            after_comma.setdefault(e["admin1"], e["ref"])  # postal codes: "Austin, TX"
            after_comma_all.setdefault(e["admin1"], (e["ref"],))
    # What ``Gazetteer.may_name`` and ``Gazetteer.goes_on`` ask of the curated tables: their names, and
    # the beginnings of those of more than one word (``str.isalnum``: one run of ``[^\\W_]``; a name of
    # one word has none to cut), worked out here rather than in every process that geoparses.
    names = [k for table in (extra, demonyms, t["abbreviations"], t["shortforms"]) for k in table]
    t["names"] = frozenset(names)
    t["name_beginnings"] = frozenset(
        p for k in (*names, *t["organisations"]) if not k.isalnum() for p in word_prefixes(k)
    )
    # Each entry, and the readings of each name, as one string: a string loads several times faster
    # than a tuple of ten values or a list of pairs, and a document needs few of the thousands.
    t["entries"] = {ref: pack_values(values) for ref, values in entries.items()}
    t["extra"] = {key: pack_readings(refs) for key, refs in extra.items()}
    t["digest"] = digest(root, fields)
    return t


#: Separates the values of a packed entry and the readings of a packed name (no name holds it).
_SEP = "\x1f"

#: A packed value: a letter for its type, then its text (``repr`` of a float gives the same float).
_UNPACK: dict[str, Callable[[str], Any]] = {
    "s": str,
    "f": float,
    "i": int,
    "t": lambda _: True,
    "F": lambda _: False,
    "n": lambda _: None,
}


def _pack(v: Any) -> str:
    if v is None or isinstance(v, bool):
        return {None: "n", True: "t", False: "F"}[v]
    if isinstance(v, int | float):
        return f"{'i' if isinstance(v, int) else 'f'}{v!r}"
    if isinstance(v, str) and _SEP not in v:
        return f"s{v}"
    raise ValueError(f"cannot pack {v!r}")


def pack_values(values: tuple) -> str:
    """An entry's values (strings, ints, floats, booleans, None) as one string (``unpack_values``)."""
    return _SEP.join(map(_pack, values))


def unpack_values(text: str) -> tuple:
    """The values ``pack_values`` packed, of the same types."""
    return tuple(_UNPACK[part[0]](part[1:]) for part in text.split(_SEP))


def pack_readings(refs: list[tuple[str, int]]) -> str:
    """A name's readings, (ref, quality) pairs with a quality of one digit, as one string."""
    if any(_SEP in ref or not 0 <= quality <= 9 for ref, quality in refs):
        raise ValueError(f"cannot pack {refs!r}")
    return _SEP.join(f"{quality}{ref}" for ref, quality in refs)


def unpack_readings(text: str) -> list[tuple[str, int]]:
    """The readings ``pack_readings`` packed."""
    return [(part[1:], int(part[0])) for part in text.split(_SEP)]


def _word_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]
