"""A ``Story`` as tables: one row per place (``places_frame``) and one per mention (``mentions_frame``).

Both are GeoDataFrames in EPSG:4326. A place's geometry is its polygon when it has one (a
country, a sea, a region) and its point otherwise; a mention carries its place's point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shapely.geometry import shape

from storymap.export.deps import need
from storymap.model import Story
from storymap.render.views import needs_review

if TYPE_CHECKING:
    import geopandas

#: The columns of ``places_frame`` in order (the geometry column comes last).
PLACE_COLUMNS = (
    "id",
    "name",
    "kind",
    "layer",
    "layer_title",
    "color",
    "confidence",
    "review",
    "mentions",
    "chapters",
    "first_sentence",
    "country",
    "ref",
    "lat",
    "lon",
)
#: The columns of ``mentions_frame`` in order (the geometry column comes last).
MENTION_COLUMNS = ("place", "name", "layer", "start", "end", "text", "sentence", "section", "lat", "lon")
OTHER_TITLE = "Other places"
OTHER_COLOR = "#666666"
CRS = "EPSG:4326"


def place_rows(story: Story) -> list[dict[str, Any]]:
    """The rows of ``places_frame`` as plain dicts, geometry as a GeoJSON dict (pure)."""
    layers = {layer.id: layer for layer in story.layers}
    chapters: dict[str, list[str]] = {}
    for chapter in story.chapters:
        for pid in chapter.places:
            chapters.setdefault(pid, []).append(chapter.id)
    rows = []
    for p in story.places:
        layer = layers.get(p.layer)
        rows.append(
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "layer": p.layer,
                "layer_title": layer.title if layer else OTHER_TITLE,
                "color": layer.color if layer else OTHER_COLOR,
                "confidence": float(p.confidence),
                "review": bool(needs_review(p)),
                "mentions": len(p.mentions),
                "chapters": ",".join(chapters.get(p.id, [])),
                "first_sentence": p.mentions[0].sentence if p.mentions else "",
                "country": p.country,
                "ref": p.ref,
                "lat": float(p.lat),
                "lon": float(p.lon),
                "geometry": p.geometry or {"type": "Point", "coordinates": [float(p.lon), float(p.lat)]},
            }
        )
    return rows


def mention_rows(story: Story) -> list[dict[str, Any]]:
    """The rows of ``mentions_frame`` as plain dicts, in the order of the article text (pure)."""
    rows = []
    for p in story.places:
        for m in p.mentions:
            rows.append(
                {
                    "place": p.id,
                    "name": p.name,
                    "layer": p.layer,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "sentence": m.sentence,
                    "section": m.section,
                    "lat": float(p.lat),
                    "lon": float(p.lon),
                    "geometry": {"type": "Point", "coordinates": [float(p.lon), float(p.lat)]},
                }
            )
    rows.sort(key=lambda r: (r["start"], r["end"], r["place"]))
    return rows


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> geopandas.GeoDataFrame:
    gpd = need("geopandas", "a GeoDataFrame of the story")
    import pandas as pd

    data = {c: [r[c] for r in rows] for c in columns}
    frame = pd.DataFrame(data, columns=list(columns))
    for c in columns:  # the same dtypes whether or not there are rows
        frame[c] = frame[c].astype(DTYPES.get(c, "str"))
    geometry = gpd.GeoSeries([ccw(shape(r["geometry"])) for r in rows], crs=CRS, index=frame.index)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS)


#: Column dtypes other than text.
DTYPES = {
    "confidence": "float64",
    "lat": "float64",
    "lon": "float64",
    "review": "bool",
    "mentions": "int64",
    "start": "int64",
    "end": "int64",
}


def ccw(geom: Any) -> Any:
    """Polygons with counter-clockwise exterior and clockwise interior rings (RFC 7946's right-hand rule)."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    if isinstance(geom, Polygon):
        return orient(geom, sign=1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])
    return geom


def places_frame(story: Story) -> geopandas.GeoDataFrame:
    """One row per place: its point or area in EPSG:4326 and the columns of ``PLACE_COLUMNS``."""
    return _frame(place_rows(story), PLACE_COLUMNS)


def mentions_frame(story: Story) -> geopandas.GeoDataFrame:
    """One row per mention (offsets into the article, text, sentence, section), its place's point."""
    return _frame(mention_rows(story), MENTION_COLUMNS)
