"""A still image of the story map (PNG or SVG) with geopandas and matplotlib: for print, social cards,
slides and readers whose page runs no scripts.

The same basemap data, layer colours and place names as the interactive map, in Web Mercator,
with the title, a legend of the layers and a source credit line; no axes or frame. Sizes
follow the width, so the image reads the same at any size (text is legible at 600 px wide).
The same story gives the same bytes: fonts are matplotlib's own DejaVu, and PNG and SVG
carry no dates.
"""

from __future__ import annotations

import io
import itertools
import math
import warnings
from functools import cache
from typing import Any

from storymap.export.deps import need
from storymap.export.frames import place_rows
from storymap.model import Chapter, Story

SEA = "#cfe3ef"
LAND = "#f4f1ea"
BORDER = "#b9b2a3"
GRATICULE = "#a9c7da"
INK = "#1d2329"
MUTED = "#4f5a64"
DEFAULT_WIDTH = 1200
#: Height / width of every image (16:10).
ASPECT = 0.625
PT = 72 / 100  # points per pixel at dpi 100
MIN_SPAN = 12.0  # degrees of longitude shown around a lone place
MAX_LAT = 84.0
CREDIT = "Map: storymap · Basemap: Natural Earth"


def _mercator_y(lat: Any) -> Any:
    import numpy as np

    lat = np.clip(lat, -MAX_LAT, MAX_LAT)
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def _project(geoms: Any, shift: float = 0.0) -> Any:
    """Shapely geometries (lon/lat) in Web Mercator, in degree-like units (x is longitude + ``shift``)."""
    import numpy as np
    import shapely

    def fn(coords: Any) -> Any:
        return np.column_stack([coords[:, 0] + shift, _mercator_y(coords[:, 1])])

    return shapely.transform(geoms, fn)


@cache
def _basemap_geoms() -> tuple[Any, ...]:
    """The land the interactive map draws (``storymap.render.assets.basemap()``) as shapely polygons."""
    from shapely.geometry import Polygon

    from storymap.render.assets import basemap

    data = basemap()
    scale = data.get("scale") or 1
    out = []
    for polygon in data.get("polygons", []):
        rings = []
        for ring in polygon:
            xs = list(itertools.accumulate(ring[0::2]))
            ys = list(itertools.accumulate(ring[1::2]))
            rings.append([(x / scale, y / scale) for x, y in zip(xs, ys, strict=True)])
        shell = Polygon(rings[0], rings[1:]) if len(rings[0]) >= 3 else None
        if shell is not None and not shell.is_empty:
            out.append(shell if shell.is_valid else shell.buffer(0))
    return tuple(out)


def _extent(bounds: list[list[float]], aspect: float) -> tuple[float, float, float, float]:
    """``(x0, x1, y0, y1)`` in projected units around the web map's frame ``[[south, west], [north,
    east]]`` (longitudes may pass ±180), padded, with ``aspect`` = height / width."""
    (lat0, x0), (lat1, x1) = bounds
    y0, y1 = float(_mercator_y(lat0)), float(_mercator_y(lat1))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, MIN_SPAN) * 1.12
    h = max(y1 - y0, MIN_SPAN * aspect) * 1.16
    if h / w > aspect:
        w = h / aspect
    w = min(w, 400.0)
    h = w * aspect
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def _shifts(x0: float, x1: float) -> list[float]:
    """Longitude offsets (0, ±360) at which a copy of the world shows in ``[x0, x1]``."""
    return [k * 360.0 for k in (-1, 0, 1) if -180 + k * 360 < x1 and 180 + k * 360 > x0]


def figure(story: Story, chapter: int | None = None, width: int = DEFAULT_WIDTH) -> Any:
    """The matplotlib ``Figure`` of the overview, or of chapter ``chapter`` (1-based)."""
    need("matplotlib", "the still image")
    need("geopandas", "the still image")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    chap = _chapter(story, chapter)
    height = round(width * ASPECT)
    px = width / 600  # one pixel of the design at 600 px wide: every size follows the width
    fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    canvas.draw_idle = lambda *args, **kwargs: None  # geopandas asks for a redraw after each plot
    renderer = canvas.get_renderer()
    rows = place_rows(story)
    focus = [r for r in rows if chap is None or r["id"] in set(chap.places)]

    # ---- bands: title (and chapter) on top; legend and credit line at the bottom; the map between
    title_px = 17 * px
    title_lines = _wrap(fig, renderer, _flat(story.title) or "Story map", title_px * PT, 0.96 * width, 3)
    sub = f"Chapter {chapter}: {_flat(chap.title)}" if chap is not None else ""
    y = height - 10 * px
    for line in title_lines:
        fig.text(
            0.02,
            y / height,
            line,
            ha="left",
            va="top",
            fontsize=title_px * PT,
            fontweight="bold",
            family="DejaVu Serif",
            color=INK,
            parse_math=False,
        )
        y -= title_px * 1.25
    if sub:
        fig.text(
            0.02,
            (y - 2 * px) / height,
            _short(sub, 90),
            ha="left",
            va="top",
            fontsize=12.5 * px * PT,
            color=MUTED,
            parse_math=False,
        )
        y -= 17 * px
    top = y - 8 * px
    source = f"Source: {_short(_flat(story.source), 60)} · " if story.source.strip() else ""
    fig.text(
        0.02,
        6 * px / height,
        source + CREDIT,
        ha="left",
        va="bottom",
        fontsize=10 * px * PT,
        color=MUTED,
        parse_math=False,
    )
    legend_top = _legend(fig, renderer, rows, focus, px, base=22 * px)
    bottom = legend_top + 4 * px
    ax = fig.add_axes((0.0, bottom / height, 1.0, (top - bottom) / height))
    ax.set_axis_off()
    fig.patches.append(_rect(fig, (0.0, bottom / height), 1.0, (top - bottom) / height, SEA))

    from storymap.render import framing

    view = framing.views(story)[chapter or 0]["bounds"]
    x0, x1, y0, y1 = _extent(view, (top - bottom) / width)
    shifts = _shifts(x0, x1)
    _draw_basemap(ax, (x0, x1, y0, y1), shifts, px)
    chosen = {r["id"] for r in focus}
    _draw_places(ax, story, rows, chosen, shifts, px)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("auto")
    _draw_labels(ax, renderer, story, chosen, shifts, px)
    return fig


def _legend(
    fig: Any, renderer: Any, rows: list[dict[str, Any]], focus: list[dict[str, Any]], px: float, base: float
) -> float:
    """The layers in view as one row (or as few rows as fit) above ``base``; returns its top in pixels."""
    from matplotlib.lines import Line2D

    layers = _legend_rows(rows, focus)
    if not layers:
        return base
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=11 * px * PT,
            markerfacecolor=color,
            markeredgecolor="white",
            markeredgewidth=1.5 * px * PT,
        )
        for color, _ in layers
    ]
    width, height = fig.bbox.width, fig.bbox.height
    for ncol in range(len(layers), 0, -1):
        legend = fig.legend(
            handles,
            [label for _, label in layers],
            loc="lower left",
            bbox_to_anchor=(0.01, base / height),
            ncol=ncol,
            fontsize=11.5 * px * PT,
            frameon=False,
            borderpad=0.2,
            handletextpad=0.3,
            columnspacing=1.4,
            labelcolor=INK,
        )
        for t in legend.get_texts():
            t.set_parse_math(False)
        box = legend.get_window_extent(renderer)
        if box.width <= 0.97 * width or ncol == 1:
            return box.y1
        legend.remove()
    return base  # pragma: no cover - the loop always returns


def _draw_basemap(ax: Any, extent: tuple[float, float, float, float], shifts: list[float], px: float) -> None:
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
            gpd.GeoSeries(_project(land.values, shift)).plot(
                ax=ax, color=LAND, edgecolor=BORDER, linewidth=0.6 * px * PT, zorder=1
            )
    for lon in range(-540, 541, 15):
        ax.plot([lon, lon], [-200, 200], color=GRATICULE, linewidth=0.6 * px * PT, zorder=2)
    for lat in range(-75, 76, 15):
        y = float(_mercator_y(lat))
        ax.plot([-720, 720], [y, y], color=GRATICULE, linewidth=0.6 * px * PT, zorder=2)


def _draw_places(
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
        edge = _rgba(style.get("color", colors[place.id]), float(style.get("opacity", 1)) * fade)
        fill_alpha = float(style.get("fillOpacity", 0.2)) if style.get("fill", True) else 0.0
        face = _rgba(style.get("fillColor", colors[place.id]), fill_alpha * fade)
        if place.geometry is not None:
            geom = shape(place.geometry)
            gpd.GeoSeries([_project(geom, shift) for shift in shifts]).plot(
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
            [float(_mercator_y(place.lat))] * len(shifts),
            s=(2 * radius * PT) ** 2,
            facecolor=face,
            edgecolor=edge,
            linewidths=weight * px * PT,
            linestyles=line,
            zorder=7 if fade == 1 else 6,
        )


def _draw_labels(
    ax: Any, renderer: Any, story: Story, chosen: set[str], shifts: list[float], px: float
) -> None:
    """Names of the places in view, in the web map's label order and at its label points (points
    before areas, weightier first), each where it covers no marker and no other name; a name that
    fits nowhere is left out rather than piled on another."""
    from matplotlib.patheffects import withStroke

    from storymap.render import framing

    frame = ax.get_window_extent(renderer)
    taken = [
        _marker_box(ax, p.lon + shift, p.lat, px)
        for p in story.places
        if p.geometry is None
        for shift in shifts
    ]
    halo = [withStroke(linewidth=3 * px * PT, foreground="white")]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    kinds = {p.id: p.kind for p in story.places}
    for label in framing.labels(story):
        if label["id"] not in chosen:
            continue
        y = float(_mercator_y(label["lat"]))
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
                _flat(label["text"]),
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
            if inside and not any(bbox.overlaps(other) for other in taken):
                taken.append(bbox)
                break
            text.remove()


def _wrap(fig: Any, renderer: Any, text: str, size: float, room: float, most: int) -> list[str]:
    """``text`` in at most ``most`` lines no wider than ``room`` pixels in the title font (measured)."""
    probe = fig.text(0, 0, "", fontsize=size, fontweight="bold", family="DejaVu Serif", parse_math=False)

    def fits(line: str) -> bool:
        probe.set_text(line)
        return probe.get_window_extent(renderer).width <= room

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
    probe.remove()
    return lines


def _marker_box(ax: Any, lon: float, lat: float, px: float) -> Any:
    """The display box of a point's marker, so that no label covers it."""
    from matplotlib.transforms import Bbox

    x, y = ax.transData.transform((lon, float(_mercator_y(lat))))
    radius = 9 * px
    return Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)


def _rect(fig: Any, xy: tuple[float, float], w: float, h: float, color: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(xy, w, h, transform=fig.transFigure, facecolor=color, edgecolor="none", zorder=-1)


def _legend_rows(rows: list[dict[str, Any]], focus: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """``(colour, "Title (n)")`` for each layer with a place in view, in story order."""
    out: dict[str, tuple[str, str, int]] = {}
    for r in focus:
        key = r["layer"] or "_other"
        color, title, n = out.get(key, (r["color"], r["layer_title"], 0))
        out[key] = (color, title, n + 1)
    order = list(dict.fromkeys(r["layer"] or "_other" for r in rows))
    return [(out[k][0], f"{_short(_flat(out[k][1]), 40)} ({out[k][2]})") for k in order if k in out]


def _chapter(story: Story, chapter: int | None) -> Chapter | None:
    if chapter is None:
        return None
    if not 1 <= chapter <= len(story.chapters):
        from storymap.errors import InputError

        raise InputError(
            "--chapter", f"expected a chapter number from 1 to {len(story.chapters)}, got {chapter}"
        )
    return story.chapters[chapter - 1]


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    h = color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


_RC = {
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",
    "svg.hashsalt": "storymap",
    "path.simplify": True,
    "text.usetex": False,
}


def render_image(
    story: Story,
    fmt: str = "png",
    *,
    chapter: int | None = None,
    width: int = DEFAULT_WIDTH,
    colors: int | None = None,
) -> bytes:
    """The still image as PNG or SVG bytes (deterministic).

    ``colors`` (PNG only) reduces the image to a palette of that many colours: a much smaller
    file, as the page inlines for readers without scripts.
    """
    mpl = need("matplotlib", "the still image")
    from storymap.errors import InputError

    if fmt not in ("png", "svg"):
        raise InputError("--to", f"expected png or svg for an image, got {fmt!r}")
    if isinstance(width, bool) or not isinstance(width, int) or not 200 <= width <= 6000:
        raise InputError("--width", f"expected a width from 200 to 6000 pixels, got {width!r}")
    with mpl.rc_context(_RC), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs a font lacks draw as boxes; that is no error
        fig = figure(story, chapter, width)
        buffer = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "storymap"})
            return buffer.getvalue()
        fig.savefig(buffer, format="png", metadata={"Software": None})
    if colors is None:
        return buffer.getvalue()
    return _palette_png(buffer.getvalue(), colors, [layer.color for layer in story.layers])


def _palette_png(png: bytes, colors: int, exact: list[str]) -> bytes:
    """``png`` reduced to ``colors`` colours (no dithering), keeping each colour of ``exact`` as it is."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    keep = list(dict.fromkeys([INK, "#ffffff", *exact]))[: colors // 2]
    base = image.quantize(
        colors=colors - len(keep), method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    palette = base.getpalette()[: 3 * (colors - len(keep))]
    for color in keep:
        palette += [round(c * 255) for c in _rgba(color, 1)[:3]]
    palette_image = Image.new("P", (1, 1))
    palette_image.putpalette(palette + [0] * (768 - len(palette)))
    small = image.quantize(palette=palette_image, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()
