"""The story's places (and mentions) as GIS files: GeoJSON, GeoPackage, CSV and GeoParquet, as bytes.

Pure apart from a private temporary directory for the GeoPackage (an SQLite file that GDAL
writes only to disk); ``storymap.files`` writes the bytes atomically. Coordinates are
rounded to ``PRECISION`` decimals (about 0.1 m) in the text formats; polygons follow RFC 7946's
right-hand rule everywhere.
"""

from __future__ import annotations

import io
import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

from shapely.geometry import mapping

from storymap.export.deps import need
from storymap.export.frames import DTYPES, ccw, mentions_frame, places_frame
from storymap.model import Story

PRECISION = 6
#: Export format -> file suffix.
FORMATS = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv", "parquet": ".parquet"}
#: A fixed timestamp for the GeoPackage's metadata tables, so the same story gives the same file.
GPKG_DATE = "2000-01-01T00:00:00Z"


def _round(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        value = round(float(coords), PRECISION)
        return 0.0 if value == 0 else value  # no "-0.0"
    return [_round(c) for c in coords]


def _value(value: Any) -> Any:
    """A JSON value from a pandas cell (numpy scalars to Python; NaN to null)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def geojson_dict(frame: Any) -> dict[str, Any]:
    """A GeoDataFrame as an RFC 7946 FeatureCollection (dict): CCW exteriors, rounded coordinates."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    features = []
    for row, geom in zip(frame[columns].itertuples(index=False, name=None), frame.geometry, strict=True):
        gj = mapping(ccw(geom))
        features.append(
            {
                "type": "Feature",
                "properties": {c: _value(v) for c, v in zip(columns, row, strict=True)},
                "geometry": {"type": gj["type"], "coordinates": _round(gj["coordinates"])},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(story: Story) -> bytes:
    """The places as RFC 7946 GeoJSON (UTF-8, one feature per line, deterministic)."""
    collection = geojson_dict(places_frame(story))
    lines = [
        json.dumps(f, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        for f in collection["features"]
    ]
    body = ",\n".join(lines)
    return ('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n").encode("utf-8")


#: Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR), after any quotes.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def _defuse(value: str) -> str:
    """``value`` with a ``'`` in front if a spreadsheet would take it for a formula (OWASP CSV injection)."""
    return "'" + value if _FORMULA.match(value) else value


def _restore(value: str) -> str:
    """The inverse of ``_defuse``."""
    return value[1:] if _FORMULA.match(value) and value.startswith("'") else value


def csv_bytes(story: Story) -> bytes:
    """The places as CSV: every column, ``lat``/``lon`` (the label point) and ``wkt`` (the geometry).

    A text cell that a spreadsheet would run as a formula gets a ``'`` in front; ``read_csv``
    takes it off again.
    """
    import shapely

    frame = places_frame(story)
    table = frame.drop(columns=frame.geometry.name)
    for column in table.columns:
        if column not in DTYPES:
            table[column] = table[column].map(_defuse)
    table["wkt"] = shapely.to_wkt(frame.geometry.values, rounding_precision=PRECISION, trim=True)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n", float_format=None)
    return buffer.getvalue().encode("utf-8")


def read_csv(path: str | Path) -> Any:
    """A CSV written by ``csv_bytes`` back as a GeoDataFrame (text stays text, however it looks)."""
    gpd = need("geopandas", "reading a storymap CSV")
    import pandas as pd

    table = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    for column in table.columns:
        if column not in DTYPES and column != "wkt":
            table[column] = table[column].map(_restore)
    for column, dtype in DTYPES.items():
        if column in table:
            table[column] = (
                table[column].map({"True": True, "False": False})
                if dtype == "bool"
                else table[column].astype(dtype)
            )
    geometry = gpd.GeoSeries.from_wkt(table.pop("wkt"), crs="EPSG:4326")
    return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")


def parquet_bytes(story: Story) -> bytes:
    """The places as GeoParquet (1.0.0 metadata, WKB geometry, EPSG:4326)."""
    need("pyarrow", "--to parquet")
    buffer = io.BytesIO()
    places_frame(story).to_parquet(buffer, index=False, schema_version="1.0.0", compression="zstd")
    return buffer.getvalue()


def gpkg_bytes(story: Story) -> bytes:
    """A GeoPackage with two layers: ``places`` (points and areas) and ``mentions`` (points)."""
    pyogrio = need("pyogrio", "--to gpkg")
    with tempfile.TemporaryDirectory(prefix="storymap-") as tmp:
        path = Path(tmp) / "story.gpkg"
        options = {"OGR_CURRENT_DATE": GPKG_DATE}
        previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
        pyogrio.set_gdal_config_options(options)
        try:
            for layer, frame in (("places", places_frame(story)), ("mentions", mentions_frame(story))):
                pyogrio.write_dataframe(
                    frame, path, layer=layer, driver="GPKG", promote_to_multi=False, geometry_type="Unknown"
                )
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
        return path.read_bytes()


def export_bytes(story: Story, fmt: str) -> bytes:
    """The story's data in ``fmt`` (one of ``FORMATS``)."""
    writers = {"geojson": geojson_bytes, "gpkg": gpkg_bytes, "csv": csv_bytes, "parquet": parquet_bytes}
    return writers[fmt](story)
