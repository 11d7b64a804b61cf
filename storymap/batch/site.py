"""The site a batch leaves: ``index.html`` (every article, searchable and sortable),
``corpus.html`` (every place sized by the number of articles naming it, filtered by date,
source and layer), ``mentions.parquet`` (all mentions, GeoParquet) and ``failures.csv``.

Made from the per-article records alone, in article-id order, so the same records always give
the same bytes, whichever workers wrote them. The records are read one at a time: the index and
the corpus map keep a few fields of each, and the mentions go into Arrow columns (``_Mentions``),
so a corpus's records are never all in memory at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
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


def iter_records(root: Path, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    """The records of ``ids`` (sorted by id), one at a time, skipping any that a failed write left
    unreadable."""
    for ident in sorted(ids):
        try:
            yield json.loads((root / RECORDS / f"{ident}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue


def shapes_of(record: dict[str, Any]) -> set[str]:
    """The keys of the area shapes (``GEOMETRY/KEY.json``) a record's places use."""
    return {p["geometry"] for p in record["places"] if p["geometry"]}


def write_site(root: Path, ids: list[str], failures: list[dict[str, Any]]) -> set[str]:
    """Write the index, the corpus map, the mentions table and the failures file, reading each
    record once; returns the keys of the area shapes the records use."""
    articles: list[dict[str, Any]] = []
    corpus = _Corpus()
    mentions = _Mentions(root)
    shapes: set[str] = set()
    for record in iter_records(root, ids):
        corpus.add(len(articles), record)
        articles.append(_article(record))
        mentions.add(record)
        shapes |= shapes_of(record)
    files.write_atomic(root / "index.html", index_html(articles, failures))
    files.write_atomic(root / "corpus.html", _corpus_page(corpus.data(articles)))
    files.write_atomic(root / "mentions.parquet", mentions.parquet())
    failures_path = root / "failures.csv"
    if failures:
        files.write_atomic(failures_path, failures_csv(failures))
    elif failures_path.exists():
        failures_path.unlink()
    return shapes


def failures_csv(failures: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "source", "reason"])
    for f in sorted(failures, key=lambda f: f["id"]):
        writer.writerow([f["id"], f.get("source", ""), f["reason"]])
    return buf.getvalue()


def _article(record: dict[str, Any]) -> dict[str, Any]:
    """What the index and the corpus map show of an article."""
    return {
        "id": record["id"],
        "title": record["title"],
        "date": record.get("date", ""),
        "source": record.get("outlet", ""),
        "places": len(record["places"]),
        "map": record["map"],
    }


def index_html(articles: list[dict[str, Any]], failures: list[dict[str, Any]]) -> str:
    """The index page of these articles (``_article`` of each record, in id order)."""
    template = assets.environment().get_template("batch_index.html.j2")
    return template.render(articles=articles, failures=len(failures), css=assets.static_text("batch.css"))


class _Corpus:
    """Places aggregated over the corpus, one record at a time: one entry per place, with the
    articles that name it (by index) and its first quotes."""

    def __init__(self) -> None:
        self.places: dict[str, dict[str, Any]] = {}
        self.layer_votes: dict[str, Counter] = {}

    def add(self, index: int, record: dict[str, Any]) -> None:
        """Count the places of the article at ``index`` (in id order)."""
        for p in record["places"]:
            key = p["ref"] or f"{p['name']}|{p['lat']:.2f}|{p['lon']:.2f}"
            entry = self.places.setdefault(
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
            self.layer_votes.setdefault(key, Counter())[p["layer"]] += 1
            if len(entry["quotes"]) < QUOTES_PER_PLACE and p["mentions"]:
                entry["quotes"].append([index, p["mentions"][0]["sentence"]])

    def data(self, articles: list[dict[str, Any]]) -> dict[str, Any]:
        """The corpus map's data (see ``corpus_data``) for the ``articles`` added."""
        places, layer_votes = self.places, self.layer_votes
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


def corpus_data(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Places aggregated over the corpus: one entry per place, with the articles that name it."""
    corpus = _Corpus()
    for index, record in enumerate(records):
        corpus.add(index, record)
    return corpus.data([_article(r) for r in records])


def _corpus_page(data: dict[str, Any]) -> str:
    from storymap.batch.corpus import corpus_page

    return corpus_page(data)


#: Rows of mentions gathered as Python values before they go into an Arrow table.
CHUNK_ROWS = 20_000


class _Mentions:
    """The rows of ``mentions.parquet``, gathered record by record: every ``CHUNK_ROWS`` rows the
    Python values go into an Arrow table (a few bytes a value; the records' objects took hundreds),
    so memory grows with the table, not with the records. The table written is the one a single
    ``GeoDataFrame`` of all the rows gives (the same bytes)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.columns: dict[str, list[Any]] = {name: [] for name in MENTION_COLUMNS}
        self.tables: list[Any] = []
        self.geoms: list[Any] = []
        self.shapes: dict[str, Any] = {}

    def add(self, record: dict[str, Any]) -> None:
        """The mentions of one record (geometry: the place's point or area, EPSG:4326)."""
        from shapely.geometry import Point, shape

        columns = self.columns
        article = (record["id"], record["title"], record.get("date", ""), record.get("outlet", ""))
        for p in record["places"]:
            if p["geometry"]:
                if p["geometry"] not in self.shapes:
                    text = (self.root / GEOMETRY / f"{p['geometry']}.json").read_text(encoding="utf-8")
                    self.shapes[p["geometry"]] = shape(json.loads(text))
                geom = self.shapes[p["geometry"]]
            else:
                geom = Point(p["lon"], p["lat"])
            place = (p["id"], p["name"], p["kind"], p["ref"], p["layer"], p["confidence"])
            for m in p["mentions"]:
                # One list per column, not one dict per row.
                for name, value in zip(
                    MENTION_COLUMNS,
                    (*article, *place, m["start"], m["end"], m["text"], m["sentence"]),
                    strict=True,
                ):
                    columns[name].append(value)
                self.geoms.append(geom)
        if len(columns["start"]) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.columns["start"]:
            self.tables.append(pa.table(self.columns))
            self.columns = {name: [] for name in MENTION_COLUMNS}

    def parquet(self) -> bytes:
        """All the mentions as GeoParquet bytes."""
        import geopandas as gpd
        import pyarrow as pa

        if self.tables:  # a big corpus: the Arrow tables joined (ints and floats of a column as floats)
            self._flush()
            table = pa.concat_tables(self.tables, promote_options="permissive")
            self.tables = []
            data: Any = table.to_pandas()
            del table
        else:
            data = self.columns
        frame = gpd.GeoDataFrame(data, columns=list(MENTION_COLUMNS), geometry=self.geoms, crs="EPSG:4326")
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        return buf.getvalue()
