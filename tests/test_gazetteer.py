"""The gazetteer index: what it holds, that every curated reference resolves, and its size."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from storymap.geoparse import areas
from storymap.geoparse.gazetteer import ALTERNATE, DEMONYM, PRIMARY, gazetteer
from storymap.geoparse.keys import fold, key_hash
from storymap.resources import data_dir

GEODATA = data_dir("geodata")


@pytest.fixture(scope="module")
def g():
    return gazetteer()


def _refs(g, key):
    return {c.entry.ref for c in g.lookup(key)}


def test_cities_with_population_country_and_admin1(g):
    cands = g.lookup("Cartagena")
    by_country = {c.entry.country: c.entry for c in cands}
    assert {"CO", "ES"} <= set(by_country)
    co = by_country["CO"]
    assert co.ref == "gn:3687238" and co.kind == "city" and co.population > 500_000
    assert abs(co.lat - 10.39) < 0.1 and abs(co.lon + 75.51) < 0.1


def test_accented_and_alternate_names(g):
    assert "gn:3688689" in _refs(g, "Bogotá")
    assert "gn:3688689" in _refs(g, "Bogota")
    quality = {c.entry.ref: c.quality for c in g.lookup("Bogotá")}
    assert quality["gn:3688689"] == PRIMARY
    # Alternate names are kept for big places only, and marked as such.
    assert any(c.quality == ALTERNATE for c in g.lookup("Peking") if c.entry.ref == "gn:1816670")


def test_lookup_is_exact_and_case_sensitive(g):
    assert g.lookup("cartagena") == []
    assert g.lookup("Cartagen") == []
    assert g.lookup("") == []
    assert not g.known("Xqzvbnm")


def test_capitals_are_flagged(g):
    madrid = [c.entry for c in g.lookup("Madrid") if c.entry.country == "ES" and c.entry.kind == "city"]
    assert madrid and madrid[0].capital
    assert not [c.entry for c in g.lookup("Madrid") if c.entry.country == "CO"][0].capital


def test_areas_are_merged_with_their_centroid(g):
    co = g.entry("country:CO")
    a = areas.area("country:CO")
    assert co is not None and (co.lat, co.lon) == (a.lat, a.lon) and co.kind == "country"
    assert "country:GE" in _refs(g, "Georgia") and "admin:US-GA" in _refs(g, "Georgia")


def test_us_counties_are_admin_entries(g):
    laurel = [c.entry for c in g.lookup("Laurel County") if c.entry.admin1 == "KY"]
    assert laurel and laurel[0].kind == "admin" and laurel[0].country == "US"
    assert abs(laurel[0].lat - 37.1) < 0.3 and abs(laurel[0].lon + 84.1) < 0.3


def test_landmarks_stand_for_a_known_place(g):
    wh = g.entry("landmark:white-house")
    assert wh is not None and wh.kind == "landmark" and wh.stands_for == "gn:4140963"
    for lm in yaml.safe_load((GEODATA / "landmarks.yaml").read_text())["landmarks"]:
        assert g.entry(lm["stands_for"]) is not None, lm


def test_every_curated_reference_resolves(g):
    short = yaml.safe_load((GEODATA / "shortforms.yaml").read_text())
    for table in ("anywhere", "after_comma"):
        for form, refs in short[table].items():
            for ref in [refs] if isinstance(refs, str) else refs:  # "WA": Washington or Western Australia
                assert g.entry(ref) is not None, (table, form, ref)
    for form in short["abbreviations_anywhere"]:
        assert form in short["after_comma"], form
    for dem, ref in g.demonyms.items():
        assert g.entry(ref) is not None, (dem, ref)


def test_demonyms(g):
    assert g.demonyms["Turkish"] == "country:TR"
    assert g.demonyms["Colombian"] == "country:CO"
    assert g.demonyms["Israelis"] == "country:IL"
    assert DEMONYM != PRIMARY


def test_build_script_shares_the_key_functions():
    spec = importlib.util.spec_from_file_location("gaz_build", GEODATA / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.key_hash is key_hash and build.fold is fold


def test_index_is_ordered_by_the_run_time_hash(g):
    keys = (GEODATA / "gazetteer" / "keys.txt").read_text(encoding="utf-8").splitlines()
    hashes = [key_hash(k) for k in keys[:: max(1, len(keys) // 500)]]
    assert len(hashes) > 100 and hashes == sorted(hashes)
    stored = g._ix.hashes.hashes
    assert len(stored) == len(keys) and all(stored[i] == key_hash(keys[i]) for i in range(0, len(keys), 97))
    assert fold("Bogotá") == "Bogota" and fold("Constanța") == "Constanta"


def test_index_files_are_small():
    files = [p for p in (GEODATA / "gazetteer").iterdir() if p.is_file()]
    assert files
    for p in files:
        assert p.stat().st_size < 8_000_000, p
    # Arrays are stored uncompressed so that they can be mapped into memory (a wheel zips them:
    # about 13 MB).
    assert sum(p.stat().st_size for p in files) < 25_000_000


def test_word_lists_are_loaded(g):
    assert "march" in g.common_words and "will" in g.common_words
    assert "Denzel" not in g.common_words
    assert "Jordan" in g.given_names
    assert "President" in g.titles and "Post" in g.org_heads
    assert g.directions["eastern"] == "east"


def test_missing_index_names_the_file(tmp_path: Path):
    from storymap.geoparse.gazetteer import Gazetteer

    with pytest.raises(FileNotFoundError, match="build.py"):
        Gazetteer(tmp_path)


def test_curated_regions_resolve_without_duplicating_areas(g):
    regions = yaml.safe_load((GEODATA / "regions.yaml").read_text())["regions"]
    for r in regions:
        refs = _refs(g, r["name"])
        assert refs, r["name"]
        # Either our point-only region, or the area of the same name, never both.
        kinds = ("region:", "admin:", "country:", "water:", "place:")
        assert len([x for x in refs if x.startswith(kinds)]) == 1, refs
    assert g.entry("region:darfur").kind == "region"
    # Towns and districts the compiled index lacks resolve like towns and divisions.
    assert g.entry("place:el-alto").kind == "city" and g.entry("place:el-alto").population > 500_000
    assert g.entry("place:guma-nigeria").kind == "admin"
    assert g.entry("water:lake-chad").kind == "water"  # curated lakes and rivers are waters


def test_aliases_name_the_entry_they_point_to(g):
    short = yaml.safe_load((GEODATA / "shortforms.yaml").read_text())
    for form, ref in short["aliases"].items():
        assert g.entry(ref) is not None, ref
        assert ref in _refs(g, form), form
    assert "admin:CD-nord-kivu" in _refs(g, "North Kivu")


def test_plain_punctuation_variants_are_indexed(g):
    assert "gn:2135171" in _refs(g, "Port Vila")  # GeoNames writes "Port-Vila"
    assert any(c.quality != ALTERNATE for c in g.lookup("Port Vila"))


def test_arabic_names_are_indexed_as_news_spells_them(g):
    assert "gn:173377" in _refs(g, "Qamishli")  # GeoNames: "Al Qāmishlī"
    assert "gn:282457" in _refs(g, "Qalqilya")  # GeoNames: "Qalqīlyah"
    assert not g.lookup("Paso")  # only Arabic-speaking countries' names lose their article


def test_compiled_tables_are_current():
    """gazetteer/tables.marshal is what its sources compile to (else: python geodata/build.py --tables)."""
    from storymap.geoparse import tables
    from storymap.geoparse.gazetteer import Entry, compile_tables

    stored = tables.load(GEODATA, Entry.__slots__)
    assert stored is not None, "gazetteer/tables.marshal is out of date: run python geodata/build.py --tables"
    fresh = compile_tables(GEODATA)
    assert stored.keys() == fresh.keys()
    for name in fresh:
        assert stored[name] == fresh[name], name
        if isinstance(fresh[name], dict):
            assert list(stored[name]) == list(fresh[name]), name  # lookups keep the candidates' order


def test_an_edited_source_is_read_even_before_the_tables_are_rebuilt(tmp_path: Path):
    from storymap.geoparse.gazetteer import Gazetteer

    root = tmp_path / "geodata"
    (root / "gazetteer").mkdir(parents=True)
    for p in GEODATA.rglob("*"):
        if p.is_file():
            (root / p.relative_to(GEODATA)).parent.mkdir(parents=True, exist_ok=True)
            (root / p.relative_to(GEODATA)).symlink_to(p)
    (root / "landmarks.yaml").unlink()
    text = (GEODATA / "landmarks.yaml").read_text(encoding="utf-8")
    (root / "landmarks.yaml").write_text(text.replace("name: White House", "name: Whiter House"), "utf-8")
    g = Gazetteer(root)
    assert g.entry("landmark:white-house").name == "Whiter House"
    assert "landmark:white-house" in _refs(g, "Whiter House")
    assert "gn:3688689" in _refs(g, "Bogotá")  # the index is the same


def test_the_digest_tells_an_edited_source_from_the_compiled_one(tmp_path: Path):
    from storymap.geoparse import tables

    root = tmp_path / "geodata"
    for name in tables.SOURCES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes((GEODATA / name).read_bytes())
    fields = ("ref", "name")
    before = tables.digest(root, fields)
    assert before == tables.digest(GEODATA, fields) and before != tables.digest(root, ("ref",))
    text = (root / "landmarks.yaml").read_text(encoding="utf-8")
    (root / "landmarks.yaml").write_text(text.replace("White House", "Whyte House"), encoding="utf-8")
    assert tables.digest(root, fields) != before  # the same size, another text
    crlf = text.replace("\n", "\r\n").encode("utf-8")
    (root / "landmarks.yaml").write_bytes(crlf)
    assert tables.digest(root, fields) == before  # line endings are no edit


def test_entries_from_the_tables_equal_entries_made_directly(g):
    from storymap.geoparse.gazetteer import Entry

    co = g.entry("country:CO")
    assert isinstance(co, Entry) and co == Entry(*(getattr(co, f) for f in Entry.__slots__))
    assert hash(co) == hash(Entry(*(getattr(co, f) for f in Entry.__slots__)))
    assert g.entry("country:CO") is co  # made once


def test_packed_values_come_back_as_they_were():
    from storymap.geoparse import tables

    rows = [
        ("country:CO", "Colombia", "country", 4, -72.5, "CO", "", 0, False, None),
        ("landmark:x", "Café «X»", "landmark", 38.8977, -77.0365, "US", "DC", 12_345_678, True, "gn:1"),
    ]
    for row in rows:
        back = tables.unpack_values(tables.pack_values(row))
        assert back == row and [type(v) for v in back] == [type(v) for v in row]
    readings = [("country:CO", 0), ("gn:3688689", 2), ("region:middle-east", 4)]
    assert tables.unpack_readings(tables.pack_readings(readings)) == readings
    with pytest.raises(ValueError):
        tables.pack_values(("a\x1fb",))
    with pytest.raises(ValueError):
        tables.pack_readings([("gn:1", 12)])


def test_area_entries_hold_the_areas_values(g):
    for a in areas.areas():
        e = g.entry(a.id)
        assert (e.ref, e.name, e.kind, e.lat, e.lon, e.country) == (
            a.id,
            a.name,
            a.kind,
            a.lat,
            a.lon,
            a.country,
        )
        assert (type(e.lat), type(e.lon)) == (type(a.lat), type(a.lon))
    assert [r for r, _ in g._extra["Colombia"]] == ["country:CO"] and g._extra.get("Zzyzx Quux") is None


def test_index_entries_equal_entries_made_directly(g):
    # ``_Index.entry`` sets the slots of an entry itself: the same values, of the same types, as Entry(...).
    import random

    from storymap.geoparse.gazetteer import _KINDS, Entry

    n = len(g._ix.gid)
    for idx in [0, n - 1, *random.Random(2).sample(range(n), 300)]:
        gid = int(g._ix.gid[idx])
        plain = Entry(
            f"gn:{gid}" if gid >= 0 else g._ix.other_ids[idx],
            g._ix.names[g._ix.name_off[idx] : g._ix.name_off[idx + 1] - 1].decode("utf-8"),
            _KINDS[int(g._ix.kind[idx])],
            round(g._ix.lat_e5[idx] * 1e-5, 5),
            round(g._ix.lon_e5[idx] * 1e-5, 5),
            g._ix.countries[int(g._ix.country[idx])],
            g._ix.admin1s[int(g._ix.admin1[idx])],
            int(g._ix.pop[idx]),
            bool(g._ix.capital[idx]),
        )
        made = g._ix.entry(idx)
        assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
        assert type(made) is Entry  # filled as its mutable twin, then made an Entry
        types = [type(getattr(plain, f)) for f in Entry.__slots__]
        assert [type(getattr(made, f)) for f in Entry.__slots__] == types
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.name = "changed"  # type: ignore[misc]


def test_index_candidates_equal_candidates_made_directly(g):
    # ``_lookup`` makes its candidates as ``_Index.entry`` makes entries: the same as Candidate(...).
    from storymap.geoparse.gazetteer import Candidate

    found = [c for key in ("Springfield", "Paris", "Bogotá", "Bogota", "Cartagena") for c in g._lookup(key)]
    assert len(found) > 40
    for c in found:
        plain = Candidate(c.entry, c.quality)
        assert type(c) is Candidate and c == plain and hash(c) == hash(plain) and repr(c) == repr(plain)
        with pytest.raises(dataclasses.FrozenInstanceError):
            c.quality = 9  # type: ignore[misc]


def test_remembered_rows_are_the_rows(g, monkeypatch: pytest.MonkeyPatch):
    # ``may_name`` and ``_lookup`` remember each form's row of the key table (``_Index.row``): the row
    # ``_Index.find`` finds, in a memo that starts afresh when full.
    keys = (GEODATA / "gazetteer" / "keys.txt").read_text(encoding="utf-8").splitlines()
    forms = [*keys[::997], "Zzyzx Quux", "Bogotá", "Sao Paulo", "U.S.", "Colombian", "St. Paris"]
    forms.append("Paris\ud800")
    small = {k for t in (g._extra, g.demonyms, g.abbreviations, g.shortforms) for k in t}
    monkeypatch.setattr(g._ix, "memo_size", 50)
    g._rows.clear()
    for _ in range(2):  # first worked out, then remembered
        for form in forms:
            assert g.may_name(form) == (g._ix.find(form) >= 0 or form in small or not form.isascii()), form
            assert g._rows[form] == g._ix.find(form) and len(g._rows) <= 50


def test_array_files_round_trip(tmp_path: Path):
    import struct

    from storymap.geoparse import arrays

    values = {"q": ("Q", struct.pack("<3Q", 1, 2**63, 7)), "b": ("B", b"\x01\x02"), "f": ("f", b"")}
    values["i"] = ("i", struct.pack("<2i", -5, 2**31 - 1))
    arrays.write(tmp_path / "a.bin", values)
    got = arrays.read(tmp_path / "a.bin")
    assert list(got["q"]) == [1, 2**63, 7] and list(got["b"]) == [1, 2] and list(got["f"]) == []
    assert list(got["i"]) == [-5, 2**31 - 1]
    (tmp_path / "b.bin").write_bytes(b"not an array file at all")
    with pytest.raises(ValueError, match="b.bin"):
        arrays.read(tmp_path / "b.bin")
    with pytest.raises(ValueError, match="whole number"):
        arrays.write(tmp_path / "c.bin", {"x": ("i", b"\x00\x00\x00")})


def test_an_unreadable_tables_file_is_not_used(tmp_path: Path):
    import marshal

    from storymap.geoparse import tables
    from storymap.geoparse.gazetteer import Entry

    for name in tables.SOURCES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).symlink_to(GEODATA / name)
    stored = (GEODATA / tables.FILE).read_bytes()
    (tmp_path / tables.FILE).write_bytes(stored)
    assert tables.load(tmp_path, Entry.__slots__) == tables.load(GEODATA, Entry.__slots__) is not None
    bad = [stored[: len(stored) // 2], b"not marshal data", marshal.dumps(["digest"]), b""]
    for data in bad:  # cut short, not marshal's, not a dict: compiled from the sources instead
        (tmp_path / tables.FILE).write_bytes(data)
        assert tables.load(tmp_path, Entry.__slots__) is None, data[:20]


def test_table_of_name_beginnings_is_current():
    """prefixes.bin holds the beginnings of the names of keys.txt (else: python geodata/build.py
    --prefixes) and was computed from this keys.txt."""
    from storymap.geoparse import arrays
    from storymap.geoparse.keys import word_prefixes

    gdir = GEODATA / "gazetteer"
    text = (gdir / "keys.txt").read_bytes()
    found = arrays.read(gdir / "prefixes.bin")
    expected = sorted({key_hash(p) for k in text.decode("utf-8").splitlines() for p in word_prefixes(k)})
    assert list(found["prefix_hash"]) == expected and len(expected) > 10_000
    assert int(found["keys_size"][0]) == len(text)


def test_names_go_on_from_their_beginnings_only(g):
    from storymap.geoparse.keys import word_prefixes

    assert word_prefixes("Rio de Janeiro") == ["Rio", "Rio de"]
    for words in ("Rio", "Rio de", "New", "New York", "Bank of", "Paris Saint"):  # index, curated tables
        assert g.goes_on(words), words
    for words in ("Zzyzx Quux", "Paris Hilton", "Associated Press said"):
        assert not g.goes_on(words), words
    assert g.goes_on("Bogotá Zzyzx")  # beyond ASCII: read on (folded spellings are looked up too)


def test_curated_names_beginnings_are_every_names_beginnings(g):
    """The beginnings of the curated tables' names leave out one-word names (which have none): the
    same set as cutting every name."""
    from storymap.geoparse.keys import word_prefixes

    g.goes_on("Rio de")  # worked out when first asked
    tables = (g._extra, g.demonyms, g.abbreviations, g.shortforms, g.organisations)
    names = [k for table in tables for k in table]
    assert any(k.isalnum() for k in names) and any(not k.isalnum() for k in names)
    assert g._small_prefixes == frozenset(p for k in names for p in word_prefixes(k))
    assert "Bank of" in g._small_prefixes


def test_a_table_of_beginnings_from_another_index_is_not_used(tmp_path):
    gz = importlib.import_module("storymap.geoparse.gazetteer")  # the module, not the function
    gdir = GEODATA / "gazetteer"
    (tmp_path / "prefixes.bin").write_bytes((gdir / "prefixes.bin").read_bytes())
    (tmp_path / "keys.txt").write_text("Somewhere Else\n", encoding="utf-8")
    assert gz._prefixes(tmp_path) is None
    assert gz._prefixes(gdir) is not None
    assert gz._prefixes(tmp_path / "missing") is None


def test_stoplist_words_are_all_text():
    """YAML reads a bare ``on``, ``off``, ``yes`` or ``no`` as a boolean: every word of the stop-lists
    must reach the geoparser as the word itself (the connector "on" of "Rostov-on-Don" was once True)."""
    stop = yaml.safe_load((GEODATA / "stoplists.yaml").read_text(encoding="utf-8"))
    for name, words in stop.items():
        values = words.values() if isinstance(words, dict) else [words]
        for group in values:
            if isinstance(group, list):
                bad = [w for w in group if not isinstance(w, str)]
                assert not bad, f"stoplists.yaml {name}: {bad} read as non-text (quote them)"


def test_the_connector_on_joins_a_name(g):
    assert "on" in g.connectors


def test_hash_tables_find_what_a_plain_search_finds(g):
    # ``_Hashes.find`` reads a bucket's bounds and bisects between them: the first position of a hash
    # in the whole sorted table, or -1, as a scan of the table finds it.
    import random

    from storymap.geoparse.keys import bucket_starts

    rng = random.Random(5)
    for table in (g._ix.hashes, g._prefix_hash):
        hashes = table.hashes.tolist()
        assert hashes == sorted(hashes) and table.starts.tolist() == bucket_starts(hashes, 32 - table.shift)
        first = {}
        for i, h in enumerate(hashes):
            first.setdefault(h, i)
        probes = [hashes[0], hashes[-1], *rng.sample(hashes, 500)]
        probes += [rng.randrange(2**32) for _ in range(2000)]
        probes += [h + 1 for h in rng.sample(hashes, 500)] + [h - 1 for h in rng.sample(hashes, 500)]
        for h in probes:
            assert table.find(h) == first.get(h, -1), h


def test_bucket_starts_are_where_each_bucket_starts():
    from storymap.geoparse.keys import bucket_starts

    hashes = sorted([0, 1, 5, 2**31, 2**31, 2**32 - 1, 3 << 29])
    for bits in (1, 2, 3, 8):
        starts = bucket_starts(hashes, bits)
        assert len(starts) == 2**bits + 1 and starts[-1] == len(hashes)
        for b in range(2**bits):
            assert hashes[starts[b] : starts[b + 1]] == [h for h in hashes if h >> (32 - bits) == b]


def test_keys_sharing_a_hash_are_each_found(g):
    # CRC-32 gives some names of the index one hash: each is found by its own text.
    keys = (GEODATA / "gazetteer" / "keys.txt").read_text(encoding="utf-8").splitlines()
    hashes = g._ix.hashes.hashes.tolist()
    shared = [i for i in range(1, len(hashes)) if hashes[i] == hashes[i - 1]]
    assert shared  # the 373,000 names of the index have a few
    for i in shared[:50]:
        for row in (i - 1, i):
            assert key_hash(keys[row]) == hashes[row] and g._ix.find(keys[row]) == row
            assert g.lookup(keys[row]) and g.known(keys[row])
    assert g._ix.find("Zzyzx Quux") == -1 and not g.lookup("Zzyzx Quux")


def test_a_form_that_may_name_nothing_has_no_readings(g):
    # ``may_name`` lets the recogniser skip ``readings``: False only where readings are empty.
    spans = importlib.import_module("storymap.geoparse.spans")
    text = (Path(__file__).resolve().parent.parent / "examples" / "us-colombia-white-house.txt").read_text(
        encoding="utf-8"
    )
    forms = {m.group(0) for m in re.finditer(r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}", text)}
    forms |= {f + "." for f in forms} | {"U.S.", "Colombian", "Ga.", "NYC", "Bogotá", "Sao Paulo", "Zzyzx"}
    forms |= {"Constanța", "Ümlaut Town", "White House", "Saint Paris", "St. Paris", "al-Bab"}
    skipped = 0
    for form in forms:
        if not g.may_name(form):
            skipped += 1
            assert spans.readings(g, form) == ((), False), form
    assert skipped > 20
    for table in (g._extra, g.demonyms, g.abbreviations, g.shortforms):
        assert all(g.may_name(k) for k in table)


def test_every_key_is_found_at_its_row_and_a_lone_surrogate_is_no_error(g):
    # ``_Index.find`` hashes a name's UTF-8 bytes itself (``keys.key_hash``, written out).
    keys = (GEODATA / "gazetteer" / "keys.txt").read_text(encoding="utf-8").splitlines()
    rows = [*range(0, len(keys), 211), *(i for i, k in enumerate(keys) if not k.isascii())][:4000]
    assert any(not keys[i].isascii() for i in rows)
    for i in rows:
        assert g._ix.find(keys[i]) == i and g.may_name(keys[i]), keys[i]
    for odd in ("Paris\ud800", "\udcff", "Zzyzx\ud83d"):
        assert g._ix.find(odd) == -1 and g.lookup(odd) == [] and not g.known(odd)
    assert not g.goes_on("Zzyzx") and g.goes_on("Rio de")
