"""Drawing the map part of the still image: basemap, places and labels, in Web Mercator.

Everything follows the interactive map: the land it draws (``storymap.render.assets.basemap``),
its frames and label points (``storymap.render.framing``) and its Leaflet styles
(``storymap.render.map``), so the still changes when the page does. x is longitude (copies of
the world at ±360 for frames across the antimeridian), y is the Mercator ordinate in degrees.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from storymap.model import Story

LAND = "#f4f1ea"
BORDER = "#b9b2a3"
GRATICULE = "#a9c7da"
INK = "#1d2329"
PT = 72 / 100  # points per pixel at dpi 100
MIN_SPAN = 12.0  # degrees of longitude shown around a lone place
MAX_LAT = 84.0


def mercator_y(lat: Any) -> Any:
    import numpy as np

    lat = np.clip(lat, -MAX_LAT, MAX_LAT)
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def wrap_words(text: str, fits: Callable[[str], bool], most: int) -> list[str]:
    """``text`` in at most ``most`` lines that each ``fits`` (measured by the caller's font).

    A cut text ends in "…"; a single word too wide for a line is shortened with "…".
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most]
        while lines[-1] and not fits(lines[-1] + " …"):
            lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
        lines[-1] += " …"
    for i, line in enumerate(lines):  # a single word wider than the image
        while len(line) > 1 and not fits(line):
            line = line[:-2] + "…"
        lines[i] = line
    return lines


def project(geoms: Any, shift: float = 0.0) -> Any:
    """Shapely geometries (lon/lat) in Web Mercator, in degree-like units (x is longitude + ``shift``)."""
    import numpy as np
    import shapely

    def fn(coords: Any) -> Any:
        return np.column_stack([coords[:, 0] + shift, mercator_y(coords[:, 1])])

    return shapely.transform(geoms, fn)


def _basemap_geoms() -> tuple[Any, ...]:
    """The land the interactive map draws (``storymap.render.assets.basemap()``) as shapely polygons
    (worked out when geodata/ was built: ``storymap.render.world.land``)."""
    from storymap.render import world

    return world.land()


def extent(bounds: list[list[float]], aspect: float) -> tuple[float, float, float, float]:
    """``(x0, x1, y0, y1)`` in projected units around the web map's frame ``[[south, west], [north,
    east]]`` (longitudes may pass ±180), padded, with ``aspect`` = height / width."""
    (lat0, x0), (lat1, x1) = bounds
    y0, y1 = float(mercator_y(lat0)), float(mercator_y(lat1))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, MIN_SPAN) * 1.12
    h = max(y1 - y0, MIN_SPAN * aspect) * 1.16
    if h / w > aspect:
        w = h / aspect
    w = min(w, 400.0)
    h = w * aspect
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def shifts(x0: float, x1: float) -> list[float]:
    """Longitude offsets (0, ±360) at which a copy of the world shows in ``[x0, x1]``."""
    return [k * 360.0 for k in (-1, 0, 1) if -180 + k * 360 < x1 and 180 + k * 360 > x0]


def draw_basemap(ax: Any, extent: tuple[float, float, float, float], shifts: list[float], px: float) -> None:
    """Land and borders, clipped to the view plus a margin, and the graticule, as on the web map."""
    import geopandas as gpd
    from shapely.geometry import box

    x0, x1, y0, y1 = extent
    lat_lo = math.degrees(math.atan(math.sinh(math.radians(max(y0, -180))))) - 2
    lat_hi = math.degrees(math.atan(math.sinh(math.radians(min(y1, 180))))) + 2
    geoms = _basemap_geoms()
    for shift in shifts if geoms else []:
        land = gpd.GeoSeries(list(geoms)).clip(box(x0 - shift - 2, lat_lo, x1 - shift + 2, lat_hi))
        land = land[~land.is_empty]
        if len(land):
            gpd.GeoSeries(project(land.values, shift)).plot(
                ax=ax, color=LAND, edgecolor=BORDER, linewidth=0.6 * px * PT, zorder=1
            )
    for lon in range(-540, 541, 15):
        ax.plot([lon, lon], [-200, 200], color=GRATICULE, linewidth=0.6 * px * PT, zorder=2)
    for lat in range(-75, 76, 15):
        y = float(mercator_y(lat))
        ax.plot([-720, 720], [y, y], color=GRATICULE, linewidth=0.6 * px * PT, zorder=2)


def draw_places(
    ax: Any, story: Story, rows: list[dict[str, Any]], chosen: set[str], shifts: list[float], px: float
) -> None:
    """The places styled exactly as on the web map (``storymap.render.map``'s Leaflet styles):
    countries, then wide areas and zones, then points; places outside the chapter fade."""
    import geopandas as gpd
    from shapely.geometry import shape

    from storymap.render.map import _style, area_class

    order = {"country": 0, "wide": 1, "zone": 2}
    colors = {r["id"]: r["color"] for r in rows}
    places = sorted(story.places, key=lambda p: (order.get(area_class(p), 3), story.places.index(p)))
    for place in places:
        style = _style(place, colors[place.id])
        fade = 1.0 if place.id in chosen else 0.3
        weight = float(style.get("weight", 1))
        dash = style.get("dashArray")
        line: Any = (0, tuple(float(n) / weight for n in str(dash).split())) if dash else "solid"
        edge = rgba(style.get("color", colors[place.id]), float(style.get("opacity", 1)) * fade)
        fill_alpha = float(style.get("fillOpacity", 0.2)) if style.get("fill", True) else 0.0
        face = rgba(style.get("fillColor", colors[place.id]), fill_alpha * fade)
        if place.geometry is not None:
            geom = shape(place.geometry)
            gpd.GeoSeries([project(geom, shift) for shift in shifts]).plot(
                ax=ax,
                facecolor=face,
                edgecolor=edge,
                linewidth=weight * px * PT,
                linestyle=line,
                zorder=3 + order.get(area_class(place), 0),
            )
            continue
        radius = float(style.get("radius", 7)) * px
        ax.scatter(
            [place.lon + shift for shift in shifts],
            [float(mercator_y(place.lat))] * len(shifts),
            s=(2 * radius * PT) ** 2,
            facecolor=face,
            edgecolor=edge,
            linewidths=weight * px * PT,
            linestyles=line,
            zorder=7 if fade == 1 else 6,
        )


def draw_labels(
    ax: Any, renderer: Any, story: Story, chosen: set[str], shifts: list[float], px: float
) -> None:
    """Names of the places in view, in the web map's label order and at its label points (points
    before areas, weightier first), each where it covers no marker and no other name; a name that
    fits nowhere is left out rather than piled on another."""
    from matplotlib.patheffects import withStroke

    from storymap.render import framing

    frame = ax.get_window_extent(renderer)
    points = [p for p in story.places if p.geometry is None]
    markers = [_marker_box(ax, p.lon + shift, p.lat, px) for p in points for shift in shifts]
    taken = _Boxes(markers, room=len(story.places))
    halo = [withStroke(linewidth=3 * px * PT, foreground="white")]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    kinds = {p.id: p.kind for p in story.places}
    for label in framing.labels(story):
        if label["id"] not in chosen:
            continue
        y = float(mercator_y(label["lat"]))
        x = next((label["lon"] + s for s in shifts if x0 <= label["lon"] + s <= x1), None)
        if x is None or not y0 <= y <= y1:
            continue
        is_point = not label["area"]
        g, d = (10 * px, 7 * px) if is_point else (0.0, 14 * px)
        spots = [
            (g, 0, "left", "center"),
            (-g, 0, "right", "center"),
            (0, g, "center", "bottom"),
            (0, -g, "center", "top"),
            (d, d, "left", "bottom"),
            (-d, d, "right", "bottom"),
            (d, -d, "left", "top"),
            (-d, -d, "right", "top"),
        ]
        if not is_point:
            spots = [
                (0, 0, "center", "center"),
                *spots[2:4],
                (0, 2 * d, "center", "bottom"),
                (0, -2 * d, "center", "top"),
            ]
        for dx, dy, ha, va in spots:
            text = ax.annotate(
                flat(label["text"]),
                (x, y),
                xytext=(dx * PT, dy * PT),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=(12.5 if is_point else 12) * px * PT,
                fontweight="bold" if is_point else "normal",
                fontstyle="italic" if kinds.get(label["id"]) in ("water", "region") else "normal",
                color=INK,
                path_effects=halo,
                zorder=8,
                annotation_clip=False,
            )
            text.set_parse_math(False)
            bbox = text.get_window_extent(renderer).expanded(1.04, 1.08)
            inside = frame.contains(bbox.x0, bbox.y0) and frame.contains(bbox.x1, bbox.y1)
            if inside and not taken.overlaps(bbox):
                taken.add(bbox)
                break
            text.remove()


class _Boxes:
    """Display boxes already taken, as arrays: one overlap test against all of them at once
    (what ``Bbox.overlaps`` tests, edges touching included)."""

    def __init__(self, boxes: list[Any], room: int) -> None:
        import numpy as np

        self.extents = np.empty((len(boxes) + room, 4))
        self.n = 0
        for b in boxes:
            self.add(b)

    def add(self, bbox: Any) -> None:
        if self.n == len(self.extents):
            import numpy as np

            self.extents = np.concatenate([self.extents, np.empty_like(self.extents)])
        x0, y0, x1, y1 = bbox.extents
        self.extents[self.n] = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        self.n += 1

    def overlaps(self, bbox: Any) -> bool:
        x0, y0, x1, y1 = bbox.extents
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        e = self.extents[: self.n]
        hit = (x0 <= e[:, 2]) & (e[:, 0] <= x1) & (y0 <= e[:, 3]) & (e[:, 1] <= y1)
        return bool(hit.any())


def _marker_box(ax: Any, lon: float, lat: float, px: float) -> Any:
    """The display box of a point's marker, so that no label covers it."""
    from matplotlib.transforms import Bbox

    x, y = ax.transData.transform((lon, float(mercator_y(lat))))
    radius = 9 * px
    return Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)


def rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    """A hex colour with ``alpha`` as a matplotlib RGBA tuple."""
    h = color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


def flat(text: str) -> str:
    """``text`` on one line with single spaces."""
    return " ".join(text.split())
