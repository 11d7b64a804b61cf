"""The site a batch leaves: ``index.html`` (every article, searchable and sortable),
``corpus.html`` (every place sized by the number of articles naming it, filtered by date,
source and layer), ``mentions.parquet`` (all mentions, GeoParquet) and ``failures.csv``.

Made from the per-article records alone, in article-id order, so the same records always give
the same bytes, whichever workers wrote them.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from storymap import files
from storymap.batch.work import GEOMETRY, RECORDS
from storymap.render import assets

#: Quoting sentences kept per place on the corpus map (the count covers every article).
QUOTES_PER_PLACE = 5
#: The columns of ``mentions.parquet``, besides its geometry (README: "mentions.parquet").
MENTION_COLUMNS = (
    "article_id",
    "article_title",
    "date",
    "source",
    "place_id",
    "place",
    "kind",
    "ref",
    "layer",
    "confidence",
    "start",
    "end",
    "text",
    "sentence",
)


def load_records(root: Path, ids: list[str]) -> list[dict[str, Any]]:
    """The records of ``ids`` (sorted by id), skipping any that a failed write left unreadable."""
    out = []
    for ident in sorted(ids):
        try:
            out.append(json.loads((root / RECORDS / f"{ident}.json").read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return out


def write_site(root: Path, ids: list[str], failures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write the index, the corpus map, the mentions table and the failures file; returns the
    records they were made from."""
    records = load_records(root, ids)
    files.write_atomic(root / "index.html", index_html(records, failures))
    files.write_atomic(root / "corpus.html", corpus_html(records))
    write_mentions(root, records)
    failures_path = root / "failures.csv"
    if failures:
        files.write_atomic(failures_path, failures_csv(failures))
    elif failures_path.exists():
        failures_path.unlink()
    return records


def failures_csv(failures: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "source", "reason"])
    for f in sorted(failures, key=lambda f: f["id"]):
        writer.writerow([f["id"], f.get("source", ""), f["reason"]])
    return buf.getvalue()


def _articles(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "title": r["title"],
            "date": r.get("date", ""),
            "source": r.get("outlet", ""),
            "places": len(r["places"]),
            "map": r["map"],
        }
        for r in records
    ]


def index_html(records: list[dict[str, Any]], failures: list[dict[str, Any]]) -> str:
    template = assets.environment().get_template("batch_index.html.j2")
    return template.render(
        articles=_articles(records), failures=len(failures), css=assets.static_text("batch.css")
    )


def corpus_data(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Places aggregated over the corpus: one entry per place, with the articles that name it."""
    articles = _articles(records)
    places: dict[str, dict[str, Any]] = {}
    layer_votes: dict[str, Counter] = {}
    for index, record in enumerate(records):
        for p in record["places"]:
            key = p["ref"] or f"{p['name']}|{p['lat']:.2f}|{p['lon']:.2f}"
            entry = places.setdefault(
                key,
                {
                    "name": p["name"],
                    "lat": round(p["lat"], 4),
                    "lon": round(p["lon"], 4),
                    "kind": p["kind"],
                    "articles": [],
                    "quotes": [],
                },
            )
            entry["articles"].append(index)
            layer_votes.setdefault(key, Counter())[p["layer"]] += 1
            if len(entry["quotes"]) < QUOTES_PER_PLACE and p["mentions"]:
                entry["quotes"].append([index, p["mentions"][0]["sentence"]])
    layers = sorted({title for votes in layer_votes.values() for title in votes})
    out_places = []
    for key in sorted(places, key=lambda k: (-len(places[k]["articles"]), places[k]["name"], k)):
        entry = places[key]
        top = sorted(layer_votes[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        entry["layer"] = layers.index(top)
        out_places.append(entry)
    return {
        "articles": [[a["title"], a["date"], a["source"], a["map"]] for a in articles],
        "layers": layers,
        "sources": sorted({a["source"] for a in articles if a["source"]}),
        "places": out_places,
    }


def corpus_html(records: list[dict[str, Any]]) -> str:
    """The corpus map as one offline page (folium map, Leaflet inlined, the world basemap)."""
    from storymap.batch.corpus import corpus_page

    return corpus_page(corpus_data(records))


def write_mentions(root: Path, records: list[dict[str, Any]]) -> None:
    """All mentions as one GeoParquet table (geometry: the place's point or area, EPSG:4326)."""
    import geopandas as gpd
    from shapely.geometry import Point, shape

    columns: dict[str, list[Any]] = {name: [] for name in MENTION_COLUMNS}
    geoms: list[Any] = []
    shapes: dict[str, Any] = {}
    for record in records:
        article = (record["id"], record["title"], record.get("date", ""), record.get("outlet", ""))
        for p in record["places"]:
            if p["geometry"]:
                if p["geometry"] not in shapes:
                    text = (root / GEOMETRY / f"{p['geometry']}.json").read_text(encoding="utf-8")
                    shapes[p["geometry"]] = shape(json.loads(text))
                geom = shapes[p["geometry"]]
            else:
                geom = Point(p["lon"], p["lat"])
            place = (p["id"], p["name"], p["kind"], p["ref"], p["layer"], p["confidence"])
            for m in p["mentions"]:
                # One list per column, not one dict per row: a 10,000-article site has ~300,000 rows.
                for name, value in zip(
                    MENTION_COLUMNS,
                    (*article, *place, m["start"], m["end"], m["text"], m["sentence"]),
                    strict=True,
                ):
                    columns[name].append(value)
                geoms.append(geom)
    frame = gpd.GeoDataFrame(columns, columns=list(MENTION_COLUMNS), geometry=geoms, crs="EPSG:4326")
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    files.write_atomic(root / "mentions.parquet", buf.getvalue())
