"""Data and images out of a ``Story``: GeoDataFrames, GIS files, a still image and alt text.

Each concern has its own module: ``frames`` (story -> GeoDataFrames), ``formats`` (GeoJSON,
GeoPackage, CSV, GeoParquet as bytes), ``image`` (a PNG or SVG still with matplotlib) and
``alttext`` (a text description of the map). geopandas and matplotlib are imported only by
the modules that need them.
"""

from __future__ import annotations

from storymap.export.alttext import alt_text

__all__ = ["alt_text"]
