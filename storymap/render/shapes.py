"""A place's GeoJSON outline as shapely geometry, made once per process and shared (``shape``).

The framing, the basemap's re-cut outlines and the still image each ask for the same outlines; a
shapely geometry is immutable, so one made from the GeoJSON serves them all. Polygons and
MultiPolygons are built from their rings at once (``shapely.linearrings``/``polygons``), the same
geometry as ``shapely.geometry.shape`` makes, point for point (a test compares every outline of
the gazetteer); anything else goes through ``shape`` itself.
"""

from __future__ import annotations

from typing import Any

from storymap.recent import Recent, digest

#: Geometries made lately, by digest of their GeoJSON (a batch meets the same countries again).
_SHAPES: Recent[bytes, Any] = Recent(256)


def shape(geometry: dict[str, Any], key: bytes | None = None) -> Any:
    """The shapely geometry of a GeoJSON geometry (``key``: its ``recent.digest`` if known)."""
    key = digest(geometry) if key is None else key
    found = _SHAPES.get(key)
    return _SHAPES.put(key, _made(geometry)) if found is None else found


def _made(geometry: dict[str, Any]) -> Any:
    import numpy as np
    import shapely
    from shapely.geometry import shape as slow

    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
    if not polygons or not all(polygons):
        return slow(geometry)
    try:
        rings = [np.asarray(ring, dtype=float) for polygon in polygons for ring in polygon]
        if any(ring.ndim != 2 or ring.shape[1] != 2 or len(ring) < 4 for ring in rings):
            return slow(geometry)
        ring_of = np.repeat(np.arange(len(rings)), [len(ring) for ring in rings])
        made = shapely.linearrings(np.concatenate(rings), indices=ring_of)
        parts = shapely.polygons(
            made, indices=np.repeat(np.arange(len(polygons)), [len(p) for p in polygons])
        )
    except (ValueError, TypeError, shapely.errors.GEOSException):
        return slow(geometry)
    return parts[0] if kind == "Polygon" else shapely.multipolygons(parts)
