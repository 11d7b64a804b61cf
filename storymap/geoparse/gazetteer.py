"""The gazetteer: every place name storymap knows, and what each name can refer to.

Two sources are merged when first used:

* the compiled index in ``geodata/gazetteer/`` (GeoNames populated places with their
  alternate names, US counties), built by ``geodata/build.py``.  It is a hash-ordered
  key table read with numpy, so loading takes a tenth of a second instead of building a
  dict or automaton of 344,000 names;
* small tables built in memory: ``storymap.geoparse.areas`` (countries, first-level divisions,
  regions, waters) and the curated ``landmarks.yaml``, ``regions.yaml``,
  ``demonyms.yaml``, ``shortforms.yaml`` and ``stoplists.yaml`` with the derived word
  lists.

Lookups are exact and case-sensitive: the recogniser asks for the surface forms it sees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from storymap.geoparse import areas as _areas
from storymap.geoparse.keys import key_hash
from storymap.resources import data_dir

_KINDS = ("city", "admin")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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

    def __init__(self, root: Path) -> None:
        gdir = root / "gazetteer"
        try:
            with np.load(gdir / "keys.npz") as k:
                self._hash = k["key_hash"]
                self._post_off = k["post_off"]
                self._post_entry = k["post_entry"]
                self._post_quality = k["post_quality"]
            with np.load(gdir / "entries.npz") as e:
                self._gid = e["gid"]
                self._kind = e["kind"]
                self._lat = e["lat"]
                self._lon = e["lon"]
                self._pop = e["pop"]
                self._country = e["country"]
                self._admin1 = e["admin1"]
                self._capital = e["capital"]
            meta = json.loads((gdir / "meta.json").read_text(encoding="utf-8"))
            self._keys = (gdir / "keys.txt").read_bytes()
            self._names = (gdir / "names.txt").read_bytes()
        except FileNotFoundError as exc:
            raise FileNotFoundError(f"{exc.filename}: gazetteer index missing; run geodata/build.py") from exc
        self._countries: list[str] = meta["countries"]
        self._admin1s: list[str] = meta["admin1"]
        self._other_ids: dict[int, str] = {int(k): v for k, v in meta["other_ids"].items()}
        newlines = np.flatnonzero(np.frombuffer(self._keys, dtype=np.uint8) == 10)
        self._key_off = np.concatenate(([0], newlines + 1)).astype(np.int64)
        newlines = np.flatnonzero(np.frombuffer(self._names, dtype=np.uint8) == 10)
        self._name_off = np.concatenate(([0], newlines + 1)).astype(np.int64)
        self._cache: dict[int, Entry] = {}
        self._by_ref: dict[str, int] = {}
        self._extra: dict[str, list[tuple[str, int]]] = {}
        self._entries: dict[str, Entry] = {}
        self._load_curated(root)
        self._load_areas(json.loads((gdir / "area-stats.json").read_text(encoding="utf-8")))
        for r in self._curated_regions:
            kind = r.get("kind", "region")  # "water" for lakes and rivers
            # Towns and districts the compiled index lacks are "place:<id>" ("El Alto", "Guma").
            ref = f"place:{r['id']}" if kind in _KINDS else f"{kind}:{r['id']}"
            known = [x for x, _ in self._extra.get(r["name"], ()) if x in self._entries]
            if ref in self._entries or known:  # storymap.geoparse.areas has it (with an outline)
                for d in r.get("demonyms", ()):
                    self.demonyms.setdefault(d, ref if ref in self._entries else known[0])
                continue
            self._entries[ref] = Entry(
                ref, r["name"], kind, r["lat"], r["lon"], r["country"], population=r.get("population", 0)
            )
            for n in (r["name"], *r.get("names", ())):
                self._add(n, ref, PRIMARY)
            for d in r.get("demonyms", ()):
                self.demonyms.setdefault(d, ref)
        for form, ref in self._aliases.items():
            if self.entry(ref) is not None:
                self._add(form, ref, PRIMARY)
        for e in self._entries.values():
            if e.kind == "admin" and e.country == "US" and len(e.admin1) == 2:
                self.after_comma.setdefault(e.admin1, e.ref)  # postal codes: "Austin, TX"
                self.after_comma_all.setdefault(e.admin1, (e.ref,))

    # ------------------------------------------------------------------ curated tables

    def _add(self, key: str, ref: str, quality: int) -> None:
        refs = self._extra.setdefault(key, [])
        if (ref, quality) not in refs:
            refs.append((ref, quality))

    def _load_areas(self, stats: dict[str, list]) -> None:
        for a in _areas.areas():
            pop, code = stats.get(a.id, (0, ""))
            admin1 = (code or a.id.rsplit("-", 1)[-1]) if a.kind == "admin" else ""
            self._entries[a.id] = Entry(
                a.id, a.name, a.kind, a.lat, a.lon, a.country, admin1, a.population or pop
            )
            for n in a.names:
                if not n or not (n[0].isupper() or _HYPHENATED.match(n)):
                    continue
                if a.kind == "admin" and (
                    n.lower() in self.directions or n in self.feature_words or n in _GENERIC_WORDS
                ):
                    continue  # districts called "North" or "Central" are not what a capital word means
                self._add(n, a.id, PRIMARY if n == a.name else ALTERNATE)

    def _load_curated(self, root: Path) -> None:
        def read(name: str) -> dict:
            return yaml.load((root / name).read_text(encoding="utf-8"), Loader=_Loader)

        for lm in read("landmarks.yaml")["landmarks"]:
            ref = f"landmark:{lm['id']}"
            self._entries[ref] = Entry(
                ref, lm["name"], "landmark", lm["lat"], lm["lon"], lm["country"], stands_for=lm["stands_for"]
            )
            for n in (lm["name"], *lm.get("names", ())):
                self._add(n, ref, PRIMARY)
        self._curated_regions = read("regions.yaml")["regions"]
        self.demonyms: dict[str, str] = {}
        for dem, target in read("demonyms.yaml")["demonyms"].items():
            ref = target if ":" in target else f"country:{target}"
            self.demonyms[dem] = ref
            if dem[-2:] in ("an", "er") or dem[-1] == "i":
                self.demonyms[dem + "s"] = ref
        short = read("shortforms.yaml")
        self.shortforms: dict[str, str] = dict(short["anywhere"])
        #: "City, ST" forms; a form with several readings ("WA": Washington or Western Australia)
        #: maps to the first here and to all of them in ``after_comma_all``.
        self.after_comma_all: dict[str, tuple[str, ...]] = {
            k: (v,) if isinstance(v, str) else tuple(v) for k, v in short["after_comma"].items()
        }
        self.after_comma: dict[str, str] = {k: v[0] for k, v in self.after_comma_all.items()}
        self._aliases: dict[str, str] = dict(short.get("aliases") or {})
        self.abbreviations: dict[str, str] = {a: self.after_comma[a] for a in short["abbreviations_anywhere"]}
        stop = read("stoplists.yaml")
        self.titles: frozenset[str] = frozenset(stop["titles"])
        self.org_heads: frozenset[str] = frozenset(stop["org_heads"])
        self.org_prefixes: frozenset[str] = frozenset(stop["org_prefixes"])
        self.brands: frozenset[str] = frozenset(stop["brands"])
        self.organisations: frozenset[str] = frozenset(stop.get("organisations") or ())
        self.storms: frozenset[str] = frozenset(stop.get("storms") or ())
        self.thing_heads: frozenset[str] = frozenset(stop.get("thing_heads") or ())
        self.sky_names: frozenset[str] = frozenset(stop.get("sky_names") or ())
        self.connectors: frozenset[str] = frozenset(stop["connectors"])
        self.feature_words: frozenset[str] = frozenset(stop["feature_words"])
        self.directions: dict[str, str] = {w: d for d, words in stop["directions"].items() for w in words}
        ranked = _word_list(root / "common-words.txt")
        #: Frequency rank of each common lowercase English word (0 = most frequent).
        self.common_rank: dict[str, int] = {w: i for i, w in enumerate(ranked)}
        self.common_words = frozenset(ranked)
        #: Lowercase English words (no proper nouns) by frequency rank: a capitalised one is
        #: capitalised by position (sentence starts, headings, page furniture) or inside a name.
        self.english_rank: dict[str, int] = {
            w: i for i, w in enumerate(_word_list(root / "english-words.txt"))
        }
        self.english_words = frozenset(self.english_rank)
        self.given_names = frozenset(_word_list(root / "given-names.txt"))
        self.surnames = frozenset(_word_list(root / "surnames.txt"))

    # ------------------------------------------------------------------ lookups

    def entry(self, ref: str) -> Entry | None:
        """The entry with this ref (``"gn:3688689"``, ``"country:CO"``), or None."""
        if ref in self._entries:
            return self._entries[ref]
        if ref not in self._by_ref:
            idx = -1
            if ref.startswith("gn:") and ref[3:].isdigit():
                hits = np.flatnonzero(self._gid == int(ref[3:]))
                idx = int(hits[0]) if len(hits) else -1
            else:
                idx = next((i for i, other in self._other_ids.items() if other == ref), -1)
            self._by_ref[ref] = idx
        idx = self._by_ref[ref]
        return self._static(idx) if idx >= 0 else None

    def _static(self, idx: int) -> Entry:
        e = self._cache.get(idx)
        if e is None:
            gid = int(self._gid[idx])
            ref = f"gn:{gid}" if gid >= 0 else self._other_ids[idx]
            e = Entry(
                ref,
                self._names[self._name_off[idx] : self._name_off[idx + 1] - 1].decode("utf-8"),
                _KINDS[int(self._kind[idx])],
                round(float(self._lat[idx]), 5),
                round(float(self._lon[idx]), 5),
                self._countries[int(self._country[idx])],
                self._admin1s[int(self._admin1[idx])],
                int(self._pop[idx]),
                bool(self._capital[idx]),
            )
            self._cache[idx] = e
        return e

    #: Look-ups remembered per surface form, across documents (emptied when they grow past
    #: ``MEMO_SIZE``): a name repeated in a text, or in a corpus, is looked up once.
    _memo: dict[str, tuple[Candidate, ...]] | None = None
    _known_memo: dict[str, bool] | None = None
    MEMO_SIZE = 200_000

    def lookup(self, key: str) -> list[Candidate]:
        """Every entry the exact surface form ``key`` can name (empty when none)."""
        return list(self.candidates(key))

    def candidates(self, key: str) -> tuple[Candidate, ...]:
        """``lookup`` as a shared tuple, remembered per key (the recogniser's hot path)."""
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        found = memo.get(key)
        if found is None:
            if len(memo) >= self.MEMO_SIZE:
                memo.clear()
            found = memo[key] = tuple(self._lookup(key))
        return found

    def prefetch(self, keys: Iterable[str]) -> None:
        """Remember at once which of many surface forms name nothing: one vectorised search of
        the key table instead of one per form (the recogniser asks for every run of words)."""
        memo = self._memo
        if memo is None:
            memo = self._memo = {}
        new = [k for k in dict.fromkeys(keys) if k not in memo and k not in self._extra]
        if not new:
            return
        if len(memo) + len(new) >= self.MEMO_SIZE:
            memo.clear()
        hashes = np.fromiter((key_hash(k) for k in new), dtype=np.uint64, count=len(new))
        rows = np.minimum(np.searchsorted(self._hash, hashes), len(self._hash) - 1)
        for key, hit in zip(new, (self._hash[rows] == hashes).tolist(), strict=True):
            if not hit:
                memo[key] = ()

    def known(self, key: str) -> bool:
        """Whether ``key`` names anything (cheap pre-check for the recogniser), remembered per key."""
        memo = self._known_memo
        if memo is None:
            memo = self._known_memo = {}
        found = memo.get(key)
        if found is None:
            if len(memo) >= self.MEMO_SIZE:
                memo.clear()
            found = memo[key] = self._known(key)
        return found

    def _lookup(self, key: str) -> list[Candidate]:
        out: list[Candidate] = []
        for ref, quality in self._extra.get(key, ()):
            e = self._entries.get(ref) or self.entry(ref)  # aliases may name GeoNames towns
            if e is not None:
                out.append(Candidate(e, quality))
        h = key_hash(key)
        i = int(np.searchsorted(self._hash, np.uint64(h)))
        if i < len(self._hash) and int(self._hash[i]) == h:
            raw = self._keys[self._key_off[i] : self._key_off[i + 1] - 1]
            if raw == key.encode("utf-8", "surrogatepass"):
                for j in range(int(self._post_off[i]), int(self._post_off[i + 1])):
                    e = self._static(int(self._post_entry[j]))
                    if e.ref not in self._entries:  # areas override the fallback points
                        out.append(Candidate(e, int(self._post_quality[j])))
        return out

    def populated(self, min_population: int) -> list[Entry]:
        """Populated places of the GeoNames index with at least ``min_population``, or capitals.

        Sorted by population, largest first (ties by ref), for reference labels on the basemap.
        """
        idx = np.flatnonzero((self._pop >= min_population) | self._capital)
        entries = [self._static(int(i)) for i in idx]
        return sorted(entries, key=lambda e: (-e.population, e.ref))

    def _known(self, key: str) -> bool:
        if key in self._extra:
            return True
        h = key_hash(key)
        i = int(np.searchsorted(self._hash, np.uint64(h)))
        return i < len(self._hash) and int(self._hash[i]) == h


def _word_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process from the package data."""
    return Gazetteer(data_dir("geodata"))
