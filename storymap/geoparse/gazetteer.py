"""The gazetteer: every place name storymap knows, and what each name can refer to.

Two parts, both built by ``geodata/build.py`` and loaded in a few hundredths of a second:

* the compiled index in ``geodata/gazetteer/`` (GeoNames populated places with their
  alternate names, US counties): a hash-ordered key table with postings and an entry table,
  mapped into memory (``storymap.geoparse.arrays``), so nothing is parsed when it is opened
  and only the pages a lookup touches are read.  The key table is addressed by the top bits of
  the hash (``_Hashes``): a look-up reads two bucket bounds and compares a hash or two (a quarter
  of the buckets are empty: a name in one of those is rejected at once);
* the small tables (``storymap.geoparse.tables``): countries, first-level divisions, regions and
  waters of ``storymap.geoparse.areas``, the curated ``landmarks.yaml``, ``regions.yaml``,
  ``demonyms.yaml``, ``shortforms.yaml`` and ``stoplists.yaml`` and the derived word lists,
  compiled into ``gazetteer/tables.marshal`` (or from their sources when that file is out of date).

Lookups are exact and case-sensitive: the recogniser asks for the surface forms it sees.
"""

from __future__ import annotations

import json
import struct
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, TypeVar
from zlib import crc32

from storymap.geoparse import arrays
from storymap.geoparse import tables as _tables
from storymap.resources import data_dir

T = TypeVar("T")
K = TypeVar("K")

_KINDS = ("city", "admin")

#: How many surface forms each of the gazetteer's memos holds before it starts afresh.
MEMO_SIZE = 100_000

#: Match quality of a surface form: its primary name, an accent-folded spelling, an
#: alternate name (often a translation), a short form, a demonym.
PRIMARY, FOLDED, ALTERNATE, SHORT, DEMONYM = 0, 1, 2, 3, 4


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry: a place with a point and the facts resolution scores on."""

    ref: str
    name: str
    kind: str
    lat: float
    lon: float
    country: str
    admin1: str = ""
    population: int = 0
    capital: bool = False
    stands_for: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reading of a surface form: the entry and how the form names it."""

    entry: Entry
    quality: int


class Gazetteer:
    """Name -> candidate entries, plus the curated word tables the recogniser needs."""

    def __init__(self, root: Path, *, compiled: bool = True) -> None:
        """Open the index under ``root`` (``geodata/``) and load the small tables, from their compiled
        file when it is current (``compiled=False``: always from their sources)."""
        gdir = root / "gazetteer"
        try:
            keys = arrays.read(gdir / "keys.bin")
            postings = arrays.read(gdir / "postings.bin")
            table = arrays.read(gdir / "entries.bin")
            texts = arrays.mapped_text(gdir / "keys.txt"), arrays.mapped_text(gdir / "names.txt")
            fields = Entry.__slots__
            tables = _tables.load(root, fields) if compiled else None
        except FileNotFoundError as exc:
            raise FileNotFoundError(f"{exc.filename}: gazetteer index missing; run geodata/build.py") from exc
        self._by_ref: dict[str, int] = {}
        self._prefix_hash = _prefixes(gdir)
        #: Look-ups remembered per surface form, across documents (each emptied when it grows past
        #: ``MEMO_SIZE``; the rows of the key table past ``_Index.memo_size``): a name repeated in a
        #: text, or in a corpus, is looked up once.  Attributes of the instance, not defaults on the
        #: class: Python 3.11 reads an instance attribute that shadows a class one (and a class
        #: attribute through the instance) by its slow path.
        self.MEMO_SIZE = MEMO_SIZE
        self._memo: dict[str, tuple[Candidate, ...]] = {}
        self._known_memo: dict[str, bool] = {}
        self._goes_on_memo: dict[str, bool] = {}
        if tables is None:  # no compiled file, or its sources changed since: compile them here
            tables = compile_tables(root)
        self._ix = _Index(keys, postings, table, texts, tables)
        #: Surface form -> its row of the key table or -1 (``_Index.row``): read here first.
        self._rows = self._ix.rows
        self._entries: dict[str, Entry] = _Entries(tables["entries"])
        #: Surface form -> its (ref, quality) readings in the curated tables and areas.
        self._extra: dict[str, list[tuple[str, int]]] = _Readings(tables["extra"])
        #: Demonym -> ref ("Colombian" -> "country:CO").
        self.demonyms: dict[str, str] = tables["demonyms"]
        self.shortforms: dict[str, str] = tables["shortforms"]
        #: "City, ST" forms; a form with several readings ("WA": Washington or Western Australia)
        #: maps to the first here and to all of them in ``after_comma_all``.
        self.after_comma_all: dict[str, tuple[str, ...]] = tables["after_comma_all"]
        self.after_comma: dict[str, str] = tables["after_comma"]
        self.abbreviations: dict[str, str] = tables["abbreviations"]
        self.titles: frozenset[str] = tables["titles"]
        self.org_heads: frozenset[str] = tables["org_heads"]
        self.org_prefixes: frozenset[str] = tables["org_prefixes"]
        self.brands: frozenset[str] = tables["brands"]
        self.organisations: frozenset[str] = tables["organisations"]
        self.storms: frozenset[str] = tables["storms"]
        self.thing_heads: frozenset[str] = tables["thing_heads"]
        self.sky_names: frozenset[str] = tables["sky_names"]
        self.connectors: frozenset[str] = tables["connectors"]
        self.feature_words: frozenset[str] = tables["feature_words"]
        self.directions: dict[str, str] = tables["directions"]
        #: Frequency rank of each common lowercase English word (0 = most frequent).
        self.common_rank: dict[str, int] = tables["common_rank"]
        #: Lowercase English words (no proper nouns) by frequency rank: a capitalised one is
        #: capitalised by position (sentence starts, headings, page furniture) or inside a name.
        self.english_rank: dict[str, int] = tables["english_rank"]
        self.given_names: frozenset[str] = tables["given_names"]
        self.surnames: frozenset[str] = tables["surnames"]
        #: The names of the curated tables (``_extra``, demonyms, abbreviations, short forms), and the
        #: beginnings of those and of the organisations' names (``may_name``, ``goes_on``).
        self._small_names: frozenset[str] = tables["names"]
        self._small_prefixes: frozenset[str] = tables["name_beginnings"]

    @cached_property
    def common_words(self) -> frozenset[str]:
        """The common lowercase English words (``common_rank``'s), made when first asked for."""
        return frozenset(self.common_rank)

    @cached_property
    def english_words(self) -> frozenset[str]:
        """The lowercase English words (``english_rank``'s), made when first asked for."""
        return frozenset(self.english_rank)

    # ------------------------------------------------------------------ lookups

    def entry(self, ref: str) -> Entry | None:
        """The entry with this ref (``"gn:3688689"``, ``"country:CO"``), or None."""
        if ref in self._entries:
            return self._entries[ref]
        if ref not in self._by_ref:
            idx = -1
            if ref.startswith("gn:") and ref[3:].isdigit():
                idx = _find(self._ix.gid, int(ref[3:]))
            else:
                idx = next((i for i, other in self._ix.other_ids.items() if other == ref), -1)
            self._by_ref[ref] = idx
        idx = self._by_ref[ref]
        return self._ix.entry(idx) if idx >= 0 else None

    def lookup(self, key: str) -> list[Candidate]:
        """Every entry the exact surface form ``key`` can name (empty when none)."""
        return list(self.candidates(key))

    def candidates(self, key: str) -> tuple[Candidate, ...]:
        """``lookup`` as a shared tuple, remembered per key (the recogniser's hot path)."""
        memo = self._memo
        found = memo.get(key)
        if found is None:  # ``_remember``, written out: a first look-up of each name passes here
            if len(memo) >= self.MEMO_SIZE:
                memo.clear()
            found = memo[key] = tuple(self._lookup(key))
        return found

    def known(self, key: str) -> bool:
        """Whether ``key`` names anything (cheap pre-check for the recogniser), remembered per key."""
        return _remember(self._known_memo, key, self._known, self.MEMO_SIZE)

    def goes_on(self, words: str) -> bool:
        """Whether some longer name begins with ``words`` (cut after a word), so that reading more
        words may find one: the recogniser stops reading a run of words where none does.  True
        for words beyond ASCII (their accent-folded spellings are looked up too) and when the
        table of beginnings is missing; a hash collision only makes it read on.  Remembered per
        ``words``."""
        if not words.isascii() or self._prefix_hash is None:
            return True
        memo = self._goes_on_memo
        found = memo.get(words)
        if found is None:
            if len(memo) >= self.MEMO_SIZE:
                memo.clear()
            # ``words`` is ASCII here: its UTF-8 bytes, hashed as keys.key_hash does.
            found = words in self._small_prefixes or self._prefix_hash.find(crc32(words.encode())) >= 0
            memo[words] = found
        return found

    def may_name(self, key: str) -> bool:
        """False only when no table has the surface form ``key``: neither the index nor the curated
        tables (places, demonyms, abbreviations, short forms), nor, for a form beyond ASCII, its
        accent-folded spelling.  Most capitalised words name nothing; this tells so with one hash
        (its row of the key table is remembered, ``_row``: windows of different runs share words, and
        ``_lookup`` reads the row again), so the recogniser looks up (and remembers) only the forms
        that may name something."""
        i = self._rows.get(key)
        if i is None:
            i = self._ix.row(key)
        return i >= 0 or key in self._small_names or not key.isascii()

    def _lookup(self, key: str) -> list[Candidate]:
        out: list[Candidate] = []
        if key in self._extra:  # (a dict's own ``in``: most keys are in no curated table)
            for ref, quality in self._extra[key]:
                e = self._entries.get(ref) or self.entry(ref)  # aliases may name GeoNames towns
                if e is not None:
                    out.append(Candidate(e, quality))
        i = self._rows.get(key)
        if i is None:
            i = self._ix.row(key)
        if i >= 0:  # but for the entries the areas override (they have their own points)
            self._ix.readings(i, self._entries, out)
        return out

    def populated(self, min_population: int) -> list[Entry]:
        """Populated places of the GeoNames index with at least ``min_population``, or capitals.

        Sorted by population, largest first (ties by ref), for reference labels on the basemap.
        """
        return [self._ix.entry(i) for i in self.populated_table(min_population)[0].tolist()]

    def populated_table(self, min_population: int) -> tuple[Any, Any, Any, Any, Any]:
        """``populated`` as arrays, without making its entries (``entry_at`` makes one): entry
        indices in its order, and their latitudes, longitudes, populations and capital flags."""
        import numpy as np  # the map's basemap labels ask: a command that draws has numpy loaded anyway

        ix = self._ix
        pop = np.asarray(ix.pop)
        capital = np.asarray(ix.capital).astype(bool)
        idx = np.flatnonzero((pop >= min_population) | capital)
        gid = np.asarray(ix.gid)[idx].tolist()
        refs = [f"gn:{g}" if g >= 0 else ix.other_ids[i] for g, i in zip(gid, idx.tolist(), strict=True)]
        idx = idx[np.lexsort((np.array(refs, dtype=str), -pop[idx].astype(np.int64)))] if refs else idx
        lat = np.asarray(ix.lat_e5)[idx] / 100000
        lon = np.asarray(ix.lon_e5)[idx] / 100000
        return idx, lat, lon, pop[idx].astype(np.int64), capital[idx]

    def entry_at(self, index: int) -> Entry:
        """The entry at an index of ``populated_table``."""
        return self._ix.entry(int(index))

    def _known(self, key: str) -> bool:
        return key in self._extra or self._ix.find(key) >= 0


def compile_tables(root: Path) -> dict[str, Any]:
    """The gazetteer's small tables compiled from their sources under ``root`` (``geodata/``): what
    ``geodata/build.py`` stores in ``gazetteer/tables.marshal`` (see ``storymap.geoparse.tables``)."""
    gdir = root / "gazetteer"
    gid = arrays.read(gdir / "entries.bin")["gid"]
    others = set(json.loads((gdir / "meta.json").read_text(encoding="utf-8"))["other_ids"].values())

    def in_index(ref: str) -> bool:
        if ref.startswith("gn:") and ref[3:].isdigit():
            return _find(gid, int(ref[3:])) >= 0
        return ref in others

    return _tables.compile_tables(root, Entry.__slots__, in_index)


class _Index:
    """The compiled name index (``geodata/gazetteer/``) mapped into memory, and what look-ups read of
    it: each surface form's row of the key table (``rows``), each entry made (``made``).  Its own
    object, with slots: Python 3.11 reads the attributes and finds the methods of an object without
    a ``__dict__`` by its fastest paths; the gazetteer's many attributes are kept in a dictionary,
    and finding a method of an object with one takes Python 3.11 several times as long."""

    __slots__ = (
        "hashes",
        "keys",
        "key_off",
        "post_off",
        "post_entry",
        "post_quality",
        "gid",
        "kind",
        "names",
        "name_off",
        "lat_e5",
        "lon_e5",
        "pop",
        "country",
        "admin1",
        "capital",
        "countries",
        "admin1s",
        "other_ids",
        "made",
        "rows",
        "memo_size",
    )

    def __init__(
        self,
        keys: dict[str, memoryview],
        postings: dict[str, memoryview],
        table: dict[str, memoryview],
        texts: tuple[Any, Any],
        tables: dict[str, Any],
    ) -> None:
        # Memoryviews over the mapped files (see storymap.geoparse.arrays): indexing gives ints and floats.
        self.hashes = _Hashes(keys["key_hash"], keys["key_bucket"])
        self.keys, self.names = texts
        self.key_off = keys["key_off"]
        self.post_off, self.post_entry = postings["post_off"], postings["post_entry"]
        self.post_quality = postings["post_quality"]
        self.gid, self.kind, self.name_off = table["gid"], table["kind"], table["name_off"]
        # Points in units of 1e-5 degrees: dividing gives the five-decimal float with no ``round`` call.
        self.lat_e5, self.lon_e5, self.pop = table["lat_e5"], table["lon_e5"], table["pop"]
        self.country, self.admin1, self.capital = table["country"], table["admin1"], table["capital"]
        self.countries: list[str] = tables["countries"]
        self.admin1s: list[str] = tables["admin1"]
        self.other_ids: dict[int, str] = tables["other_ids"]
        self.made: dict[int, Entry] = {}
        self.rows: dict[str, int] = {}
        self.memo_size = MEMO_SIZE

    def row(self, key: str) -> int:
        """``find(key)``, remembered in ``rows`` (emptied when it grows past ``memo_size``)."""
        rows = self.rows
        if len(rows) >= self.memo_size:
            rows.clear()
        i = rows[key] = self.find(key)
        return i

    def find(self, key: str) -> int:
        """The row of ``key`` in the key table, or -1 (``_Hashes.find``, written out: most names the
        recogniser asks for are in no table, and a miss is most of what it costs)."""
        try:
            raw = key.encode()
        except UnicodeEncodeError:  # a lone surrogate: keys.key_hash's bytes
            raw = key.encode("utf-8", "surrogatepass")
        h = crc32(raw)  # keys.key_hash
        table = self.hashes
        starts, b = table.starts, h >> table.shift
        i, end = starts[b], starts[b + 1]
        if i == end:
            return -1
        hashes = table.hashes
        if end - i > 1:
            i = bisect_left(hashes, h, i, end)
        while i < end and hashes[i] == h:  # names that share the hash are next to each other
            if self.keys[self.key_off[i] : self.key_off[i + 1] - 1] == raw:
                return i
            i += 1
        return -1

    def entry(self, idx: int) -> Entry:
        """The entry at ``idx`` of the entry table, made once."""
        e = self.made.get(idx)
        if e is None:
            gid, name_off = self.gid[idx], self.name_off
            # Entry(...) without the frozen dataclass's setattr calls (a first look-up makes thousands):
            # its mutable twin filled by plain attribute stores, then made an Entry (``_UnfrozenEntry``);
            # the arrays' items are already ints, floats and bools (``decode()``: UTF-8 with no codec
            # name to look up).
            e = _UnfrozenEntry()
            e.ref = f"gn:{gid}" if gid >= 0 else self.other_ids[idx]
            e.name = self.names[name_off[idx] : name_off[idx + 1] - 1].decode()
            e.kind = _KINDS[self.kind[idx]]
            e.lat = self.lat_e5[idx] / 100000
            e.lon = self.lon_e5[idx] / 100000
            e.country = self.countries[self.country[idx]]
            e.admin1 = self.admin1s[self.admin1[idx]]
            e.population = self.pop[idx]
            e.capital = self.capital[idx]
            e.stands_for = None
            e.__class__ = Entry
            self.made[idx] = e
        return e

    def readings(self, i: int, skip: dict[str, Entry], out: list[Candidate]) -> None:
        """Append to ``out`` the readings of the key at row ``i``, but those of entries whose refs are
        in ``skip``."""
        entry, quality, post_entry = self.entry, self.post_quality, self.post_entry
        for j in range(self.post_off[i], self.post_off[i + 1]):
            e = entry(post_entry[j])
            if e.ref not in skip:
                c = _UnfrozenCandidate()  # Candidate(...) without the frozen dataclass's setattr calls
                c.entry = e
                c.quality = quality[j]
                c.__class__ = Candidate
                out.append(c)


class _Hashes:
    """A sorted table of 32-bit hashes with where each bucket of them starts (``keys.bucket_starts``):
    finding a hash reads the two bounds of its bucket and binary-searches the few hashes between
    them, instead of the whole table (a bisect over a memoryview makes an int of every item it
    compares)."""

    __slots__ = ("hashes", "starts", "shift")

    def __init__(self, hashes: memoryview, starts: memoryview) -> None:
        bits = (len(starts) - 1).bit_length() - 1
        if len(starts) != (1 << bits) + 1 or starts[-1] != len(hashes):
            raise ValueError("hash table: bucket starts do not match the hashes; run geodata/build.py")
        self.hashes, self.starts, self.shift = hashes, starts, 32 - bits

    def find(self, h: int) -> int:
        """The first position of ``h``, or -1."""
        starts, b = self.starts, h >> self.shift
        lo, hi = starts[b], starts[b + 1]
        if lo == hi:
            return -1
        hashes = self.hashes
        i = bisect_left(hashes, h, lo, hi) if hi - lo > 1 else lo
        return i if i < hi and hashes[i] == h else -1


def _prefixes(gdir: Path) -> _Hashes | None:
    """The hash table of ``prefixes.bin``, or None when the file is missing or was computed from
    another keys.txt (then ``Gazetteer.goes_on`` is always True: slower, never wrong)."""
    try:
        found = arrays.read(gdir / "prefixes.bin")
        size = (gdir / "keys.txt").stat().st_size
        if int(found["keys_size"][0]) != size:
            return None
        return _Hashes(found["prefix_hash"], found["prefix_bucket"])
    except (FileNotFoundError, ValueError, KeyError):
        return None


def _find(view: memoryview, value: int) -> int:
    """Index of the first ``value`` in a memoryview of 4-byte ints, or -1 (a scan at C speed)."""
    data, needle = view.tobytes(), struct.pack("=i", value)
    i = data.find(needle)
    while i >= 0 and i % 4:
        i = data.find(needle, i + 1)
    return i // 4 if i >= 0 else -1


class _Unpacked(dict):
    """A table whose values are stored packed, each in one string (``tables.pack_values``,
    ``pack_readings``), and unpacked (``_unpack``) when first asked for, then kept: a document needs
    a few of the thousands, and unpacking them all would cost every process that loads the tables."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        v = dict.__getitem__(self, key)
        return self._unpacked(key, v) if type(v) is str else v

    def get(self, key: str, default: Any = None) -> Any:
        v = dict.get(self, key, _MISSING)
        if v is _MISSING:
            return default
        return self._unpacked(key, v) if type(v) is str else v

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self[key] for key in self]

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(key, self[key]) for key in self]

    def _unpacked(self, key: str, packed: str) -> Any:
        value = self._unpack(packed)
        dict.__setitem__(self, key, value)
        return value

    @staticmethod
    def _unpack(packed: str) -> Any:
        raise NotImplementedError


_MISSING = object()


class _Entries(_Unpacked):
    """ref -> ``Entry`` of the areas, landmarks and curated regions (``tables.pack_values``)."""

    __slots__ = ()

    @staticmethod
    def _unpack(packed: str) -> Entry:
        e = _UnfrozenEntry()  # Entry(*values) without the frozen dataclass's setattr calls
        for name, v in zip(Entry.__slots__, _tables.unpack_values(packed), strict=True):
            setattr(e, name, v)
        e.__class__ = Entry
        return e


class _Readings(_Unpacked):
    """Surface form -> its readings, (ref, quality) pairs (``tables.pack_readings``)."""

    __slots__ = ()
    _unpack = staticmethod(_tables.unpack_readings)


class _UnfrozenEntry:
    """A mutable twin of ``Entry``: the same slots, so an instance filled by plain attribute stores
    becomes an ``Entry`` by ``obj.__class__ = Entry`` (Python checks that the two lay out their
    instances alike), a third of the cost of calling each slot's setter."""

    __slots__ = Entry.__slots__


class _UnfrozenCandidate:
    """A mutable twin of ``Candidate`` (see ``_UnfrozenEntry``)."""

    __slots__ = Candidate.__slots__


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process from the package data."""
    return Gazetteer(data_dir("geodata"))


def _remember(memo: dict[K, T], key: K, compute: Callable[[K], T], size: int) -> T:
    """``compute(key)``, remembered in ``memo``; the memo starts afresh once it holds ``size`` keys."""
    found = memo.get(key)
    if found is None:
        if len(memo) >= size:
            memo.clear()
        found = memo[key] = compute(key)
    return found


def remember_by_ids(
    memo: dict[tuple[int, ...], T], items: Sequence[Any], compute: Callable[[Any], T], size: int
) -> T:
    """``compute(items)``, remembered in ``memo`` under the ids of ``items``: objects the look-ups share
    across texts (entries, candidates), so a list of them comes again in text after text.  What
    ``compute`` returns must hold ``items``, so that their ids name no other objects while it is
    remembered; the memo starts afresh once it holds ``size`` keys.  (``_remember``, written out: the
    recogniser and resolution ask this for every span.)"""
    key = tuple(map(id, items))
    found = memo.get(key)
    if found is None:
        if len(memo) >= size:
            memo.clear()
        found = memo[key] = compute(items)
    return found
