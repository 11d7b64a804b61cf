"""The still image as PNG, drawn with Pillow: the layout, styles and labels of the matplotlib figure
(``storymap.export.image``, which still draws the SVG), at a fraction of the cost.

Every ``storymap build`` inlines this image, and importing matplotlib alone takes longer than
drawing the whole image here. Shapes are drawn at ``SUPERSAMPLE`` times the size and scaled
down, which smooths their edges as matplotlib's antialiasing does; text is drawn at the final
size. Fonts are the DejaVu faces that matplotlib ships (found on disk, not imported), so both
formats use the same letters. Deterministic: the same story gives the same bytes.
"""

from __future__ import annotations

import importlib.util
import io
import math
from functools import cache
from pathlib import Path
from typing import Any

from storymap.export import draw
from storymap.export.draw import BORDER, GRATICULE, INK, LAND
from storymap.export.frames import place_rows
from storymap.export.image import ASPECT, CREDIT, MUTED, SEA, _credit, _legend_rows, _short
from storymap.model import Chapter, Story

#: Shapes are drawn at this many times the size, then each block of pixels is averaged.
SUPERSAMPLE = 3

#: Faces by (family, bold, italic).
_FACES = {
    ("sans", False, False): "DejaVuSans.ttf",
    ("sans", True, False): "DejaVuSans-Bold.ttf",
    ("sans", False, True): "DejaVuSans-Oblique.ttf",
    ("sans", True, True): "DejaVuSans-BoldOblique.ttf",
    ("serif", True, False): "DejaVuSerif-Bold.ttf",
}


@cache
def _font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        from storymap.export.deps import need

        need("matplotlib", "the still image")  # raises MissingExtra naming the package
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


@cache
def font(size: float, bold: bool = False, italic: bool = False, serif: bool = False) -> Any:
    """A DejaVu face at ``size`` pixels (the em size, as matplotlib's points at 100 dpi)."""
    from PIL import ImageFont

    name = _FACES[("serif" if serif else "sans", bold, italic)]
    return ImageFont.truetype(str(_font_dir() / name), size=max(1, round(size)))


def _rgb(color: str) -> tuple[int, int, int]:
    r, g, b, _ = draw.rgba(color, 1)
    return round(r * 255), round(g * 255), round(b * 255)


class _Canvas:
    """An RGB image drawn at ``SUPERSAMPLE`` times its size; coordinates are final pixels, y down.
    Shapes are clipped to ``clip`` (the map's band)."""

    def __init__(
        self, width: int, height: int, clip: tuple[float, float, float, float], supersample: int = SUPERSAMPLE
    ) -> None:
        from PIL import Image, ImageDraw

        self.width, self.height, self.s = width, height, supersample
        self.image = Image.new("RGB", (width * self.s, height * self.s), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.clip = tuple(round(v * self.s) for v in clip)

    def rect(self, box: tuple[float, float, float, float], color: str) -> None:
        self.image.paste(_rgb(color), tuple(round(v * self.s) for v in box))

    def shapes(
        self,
        rings: list[list[Any]],
        fill: tuple[str, float] | None,
        edge: tuple[str, float, float, tuple[float, ...] | None] | None,
    ) -> None:
        """Polygons (each a list of rings as ``(n, 2)`` arrays of pixels, the first the outline, the
        rest holes) with a fill ``(colour, alpha)`` and an edge ``(colour, alpha, width px, dash
        pattern in px or None)``. Points go to Pillow as flat lists of numbers."""
        s = self.s
        scaled = [[ring * s for ring in polygon] for polygon in rings]
        if fill is not None and fill[1] > 0:
            masked = scaled
            if fill[1] >= 1:  # opaque (the land): straight onto the image, holes through a mask
                for polygon in scaled:
                    if len(polygon) == 1 and len(polygon[0]) >= 3:
                        self.draw.polygon(polygon[0].ravel().tolist(), fill=_rgb(fill[0]))
                masked = [polygon for polygon in scaled if len(polygon) > 1]

            def paint_fill(md: Any, shift: tuple[float, float], ink: int) -> None:
                for polygon in masked:
                    for k, ring in enumerate(polygon):
                        if len(ring) >= 3:
                            md.polygon((ring - shift).ravel().tolist(), fill=ink if k == 0 else 0)

            self._paint(masked, paint_fill, fill[0], fill[1], 0)
        if edge is not None and edge[1] > 0 and edge[2] > 0:
            width = max(1, round(edge[2] * s))
            pattern = [d * s for d in edge[3]] if edge[3] else None
            if edge[1] >= 1 and pattern is None:  # opaque lines (borders): straight onto the image
                for polygon in scaled:
                    for ring in polygon:
                        self.draw.line(ring.ravel().tolist(), fill=_rgb(edge[0]), width=width, joint="curve")
                return

            def paint_edge(md: Any, shift: tuple[float, float], ink: int) -> None:
                for polygon in scaled:
                    for ring in polygon:
                        pts = (ring - shift).tolist()
                        for part in _dashed(pts, pattern) if pattern else [pts]:
                            if len(part) >= 2:
                                md.line(
                                    [x for point in part for x in point], fill=ink, width=width, joint="curve"
                                )

            self._paint(scaled, paint_edge, edge[0], edge[1], width)

    def lines(self, segments: list[list[tuple[float, float]]], color: str, width: float) -> None:
        """Opaque lines (``finish`` paints over what passes the clip box)."""
        s = self.s
        for seg in segments:
            self.draw.line([(x * s, y * s) for x, y in seg], fill=_rgb(color), width=max(1, round(width * s)))

    def _paint(self, rings: list, painter: Any, color: str, alpha: float, margin: int) -> None:
        """Paint ``color`` at ``alpha`` through a mask that ``painter(draw, offset, ink)`` draws in
        ``ink`` (``alpha`` as a byte), over the part of the clip box that the rings' bounds (plus
        ``margin``) cover."""
        from PIL import Image, ImageDraw

        arrays = [ring for polygon in rings for ring in polygon if len(ring)]
        if not arrays:
            return
        lo = [float(min(ring[:, k].min() for ring in arrays)) for k in (0, 1)]
        hi = [float(max(ring[:, k].max() for ring in arrays)) for k in (0, 1)]
        cx0, cy0, cx1, cy1 = self.clip
        x0, y0 = max(cx0, math.floor(lo[0]) - margin), max(cy0, math.floor(lo[1]) - margin)
        x1, y1 = min(cx1, math.ceil(hi[0]) + margin + 1), min(cy1, math.ceil(hi[1]) + margin + 1)
        if x1 <= x0 or y1 <= y0:
            return
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        # The mask holds 0 and the ink only (Pillow's shapes are not antialiased): drawn in
        # ``alpha``'s byte at once, as full 255 scaled by ``alpha`` would be.
        painter(ImageDraw.Draw(mask), (x0, y0), round(255 * alpha) if alpha < 1 else 255)
        # Pasted only where the mask holds ink: elsewhere the paste would leave every pixel as it is
        # (an outline's mask is nearly all 0), and Pillow blends each pixel of the box at a cost.
        fill = _rgb(color)
        for left, top, right, bottom in _inked_boxes(mask):
            self.image.paste(
                fill, (x0 + left, y0 + top, x0 + right, y0 + bottom), mask.crop((left, top, right, bottom))
            )

    def finish(self) -> Any:
        """The image at its size; whatever was drawn outside the clip box is painted over in white."""

        w, h = self.image.size
        _, top, _, bottom = self.clip
        self.image.paste((255, 255, 255), (0, 0, w, top))
        self.image.paste((255, 255, 255), (0, bottom, w, h))
        return self.image.reduce(self.s)  # the mean of each s x s block: supersampled edges


#: ``_inked_boxes`` looks for ink in blocks of this many pixels square.
INK_BLOCK = 64


def _inked_boxes(mask: Any) -> list[tuple[int, int, int, int]]:
    """Boxes ``(left, top, right, bottom)`` of ``mask`` that cover each of its non-zero pixels,
    disjoint: for each row of ``INK_BLOCK``-pixel blocks, its runs of blocks that hold any."""
    import numpy as np

    pixels = np.asarray(mask)
    h, w = pixels.shape
    rows, cols = -(-h // INK_BLOCK), -(-w // INK_BLOCK)
    inked = np.zeros((rows * INK_BLOCK, cols * INK_BLOCK), dtype=bool)
    inked[:h, :w] = pixels != 0
    blocks = inked.reshape(rows, INK_BLOCK, cols, INK_BLOCK).any(axis=(1, 3))
    boxes = []
    for r, row in enumerate(blocks):
        if not row.any():
            continue
        edges = np.flatnonzero(np.diff(np.concatenate(([False], row, [False])).astype(np.int8))).tolist()
        top, bottom = r * INK_BLOCK, min((r + 1) * INK_BLOCK, h)
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            boxes.append((start * INK_BLOCK, top, min(end * INK_BLOCK, w), bottom))
    return boxes


def _disc(
    image: Any,
    x: float,
    y: float,
    r: float,
    face: tuple[str, float],
    edge: tuple[str, float, float],
    s: int = SUPERSAMPLE,
) -> None:
    """A marker on the final image: a disc of radius ``r`` with its edge line centred on its rim."""
    from PIL import Image, ImageDraw

    ec, ea, ew = edge
    box = math.ceil(r + ew) + 2
    big = Image.new("RGBA", (2 * box * s, 2 * box * s), (0, 0, 0, 0))
    d = ImageDraw.Draw(big)
    c = box * s
    outer, inner = (r + ew / 2) * s, (r - ew / 2) * s
    d.ellipse([c - outer, c - outer, c + outer, c + outer], fill=(*_rgb(ec), round(255 * ea)))
    d.ellipse([c - inner, c - inner, c + inner, c + inner], fill=(*_rgb(face[0]), round(255 * face[1])))
    small = big.convert("RGBa").reduce(s).convert("RGBA")
    image.paste(small, (round(x) - box, round(y) - box), small)


def _dashed(points: list[tuple[float, float]], pattern: list[float]) -> list[list[tuple[float, float]]]:
    """The "on" pieces of a polyline under a dash ``pattern`` (on, off, on, off... lengths)."""
    out: list[list[tuple[float, float]]] = []
    i, left, on = 0, pattern[0], True
    current: list[tuple[float, float]] = [points[0]] if points else []
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while seg - pos > left:
            pos += left
            t = pos / seg
            p = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            if on:
                current.append(p)
                out.append(current)
            current = [p]
            on = not on
            i = (i + 1) % len(pattern)
            left = pattern[i]
        left -= seg - pos
        if on:
            current.append((x1, y1))
    if on and len(current) >= 2:
        out.append(current)
    return out


def render_png(
    story: Story, chapter: Chapter | None, number: int | None, width: int, supersample: int = SUPERSAMPLE
) -> tuple[Any, list[tuple[str, tuple[float, float, float, float]]]]:
    """The still image of ``story`` (of chapter ``chapter``, number ``number``) as a Pillow RGB image,
    and the place names drawn on it with their boxes ``(left, top, right, bottom)`` in pixels.
    Shapes and markers are drawn at ``supersample`` times the size."""
    from PIL import ImageDraw

    height = round(width * ASPECT)
    px = width / 600
    rows = place_rows(story)
    focus = [r for r in rows if chapter is None or r["id"] in set(chapter.places)]

    # ---- bands: title (and chapter) on top; legend and credit line at the bottom; the map between
    title_px = 17 * px
    title_font = font(title_px, bold=True, serif=True)
    lines = _wrap(draw.flat(story.title) or "Story map", title_font, 0.96 * width, 3)
    texts: list[tuple[float, float, str, Any, str, str]] = []  # x, y, text, font, colour, anchor
    y = 10 * px
    for line in lines:
        texts.append((0.02 * width, y, line, title_font, INK, "la"))
        y += title_px * 1.25
    if chapter is not None:
        sub = _short(f"Chapter {number}: {draw.flat(chapter.title)}", 90)
        texts.append((0.02 * width, y + 2 * px, sub, font(12.5 * px), MUTED, "la"))
        y += 17 * px
    top = y + 8 * px
    texts.append((0.02 * width, height - 6 * px, _credit(story) + CREDIT, font(10 * px), MUTED, "ld"))
    legend = _legend(_legend_rows(rows, focus), px, width, height - 22 * px)
    bottom = legend[0] - 4 * px
    clip = (0.0, top, float(width), bottom)
    canvas = _Canvas(width, height, clip, supersample)
    canvas.rect(clip, SEA)

    from storymap.render import framing

    view = framing.views(story)[number or 0]["bounds"]
    x0, x1, y0, y1 = draw.extent(view, (bottom - top) / width)

    to_px = _Pixels(x0, x1, y0, y1, width, top, bottom)

    shifts = draw.shifts(x0, x1)
    _basemap(canvas, (x0, x1, y0, y1), shifts, px, to_px)
    chosen = {r["id"] for r in focus}
    points = _places(canvas, story, rows, chosen, shifts, px, to_px)
    image = canvas.finish()
    for _, (x, y), r, face, edge in sorted(points, key=lambda p: p[0]):  # the chapter's places on top
        if clip[1] - r <= y <= clip[3] + r:
            _disc(image, x, y, r, face, edge, supersample)
    for x, y, r, color, ring in legend[1]:
        _disc(image, x, y, r, (color, 1.0), ("#ffffff", 1.0, ring), supersample)
    pen = ImageDraw.Draw(image)
    for x, yy, text, f, color, anchor in texts + legend[2]:
        pen.text((x, yy), text, font=f, fill=_rgb(color), anchor=anchor)
    marker = 9 * px
    taken = [(x - marker, y - marker, x + marker, y + marker) for _, (x, y), *_ in points]
    labels = _labels(pen, story, chosen, shifts, px, to_px, clip, taken)
    return image, labels


def _wrap(text: str, f: Any, room: float, most: int) -> list[str]:
    """``text`` in at most ``most`` lines no wider than ``room`` pixels (as ``image._wrap``)."""

    def fits(line: str) -> bool:
        return f.getlength(line) <= room

    return draw.wrap_words(text, fits, most)


def _legend(
    layers: list[tuple[str, str]], px: float, width: int, base: float
) -> tuple[float, list[tuple], list[tuple]]:
    """Legend rows above ``base`` (y down): its top, its markers and its texts. Columns are filled
    as matplotlib fills them (the first columns take the extra entries), as few rows as fit."""
    if not layers:
        return base, [], []
    size = 11.5 * px
    f = font(size)
    marker = 11 * px
    handle = 2.0 * size  # matplotlib: handlelength 2 (font sizes), the marker at its middle
    gap, pad, spacing = 0.3 * size, 0.2 * size, 1.4 * size
    base -= 0.5 * size  # matplotlib's borderaxespad, between the anchor and the legend's frame
    row_h = max(marker, size) + 0.5 * size  # a line of text and labelspacing 0.5
    widths = [handle + gap + f.getlength(label) for _, label in layers]
    for ncol in range(len(layers), 0, -1):
        nrows, large = divmod(len(layers), ncol)
        columns, k = [], 0
        for c in range(ncol):
            n = nrows + (1 if c < large else 0)
            columns.append(list(range(k, k + n)))
            k += n
        columns = [c for c in columns if c]
        total = sum(max(widths[i] for i in col) for col in columns) + spacing * (len(columns) - 1) + 2 * pad
        if total <= 0.97 * width or ncol == 1:
            break
    rows = max(len(c) for c in columns)
    top = base - pad - rows * row_h + 0.5 * size
    markers, texts = [], []
    x = 0.01 * width + 0.5 * size + pad
    for col in columns:
        for r, i in enumerate(col):
            cy = top + r * row_h + row_h / 2 - 0.25 * size
            color, label = layers[i]
            markers.append((x + handle / 2, cy, marker / 2, color, 1.5 * px))
            texts.append((x + handle + gap, cy, label, f, INK, "lm"))
        x += max(widths[i] for i in col) + spacing
    return top - pad, markers, texts


def _basemap(canvas: _Canvas, extent: tuple, shifts: list[float], px: float, to_px: Any) -> None:
    """Land and borders clipped to the view, and the graticule, as ``draw.draw_basemap``."""
    import shapely

    x0, x1, y0, y1 = extent
    lat_lo = math.degrees(math.atan(math.sinh(math.radians(max(y0, -180))))) - 2
    lat_hi = math.degrees(math.atan(math.sinh(math.radians(min(y1, 180))))) + 2
    geoms = draw._basemap_geoms()
    for shift in shifts if geoms else []:
        land = shapely.clip_by_rect(list(geoms), x0 - shift - 2, lat_lo, x1 - shift + 2, lat_hi)
        land = [g for g in land if not g.is_empty]
        if land:
            rings = _rings(draw.project(land, shift), to_px)
            canvas.shapes(rings, (LAND, 1.0), (BORDER, 1.0, 0.6 * px, None))
    grid = [[to_px(lon, -200), to_px(lon, 200)] for lon in range(-540, 541, 15) if x0 <= lon <= x1]
    grid += [
        [to_px(x0, float(draw.mercator_y(lat))), to_px(x1, float(draw.mercator_y(lat)))]
        for lat in range(-75, 76, 15)
        if y0 <= float(draw.mercator_y(lat)) <= y1
    ]
    canvas.lines(grid, GRATICULE, 0.6 * px)  # opaque: straight onto the image


class _Pixels:
    """Projected map coordinates (x, Mercator y) to pixels of the image, y down: ``(x, y)`` numbers
    or an ``(n, 2)`` array of them, by the same arithmetic (so the same floats)."""

    def __init__(
        self, x0: float, x1: float, y0: float, y1: float, width: int, top: float, bottom: float
    ) -> None:
        self.x0, self.dx, self.y0, self.dy = x0, x1 - x0, y0, y1 - y0
        self.width, self.bottom, self.band = width, bottom, bottom - top

    def __call__(self, x: float, yy: float) -> tuple[float, float]:
        return (x - self.x0) / self.dx * self.width, self.bottom - (yy - self.y0) / self.dy * self.band

    def array(self, xy: Any) -> Any:
        import numpy as np

        out = np.empty_like(xy)
        out[:, 0] = (xy[:, 0] - self.x0) / self.dx * self.width
        out[:, 1] = self.bottom - (xy[:, 1] - self.y0) / self.dy * self.band
        return out


def _rings(geoms: Any, to_px: _Pixels) -> list[list[Any]]:
    """Polygons of shapely geometries as rings of pixel points (``(n, 2)`` arrays)."""
    import shapely

    out = []
    for g in geoms:
        for poly in getattr(g, "geoms", [g]):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            rings = [poly.exterior, *poly.interiors]
            out.append([to_px.array(shapely.get_coordinates(ring)) for ring in rings])
    return out


def _places(
    canvas: _Canvas,
    story: Story,
    rows: list[dict[str, Any]],
    chosen: set[str],
    shifts: list[float],
    px: float,
    to_px: Any,
) -> list[tuple]:
    """The places styled as on the web map (as ``draw.draw_places``): areas are drawn, points are
    returned as ``(fade, (x, y), radius, face, edge)`` to go on top."""
    from storymap.render import shapes
    from storymap.render.map import _style, area_class

    order = {"country": 0, "wide": 1, "zone": 2}
    colors = {r["id"]: r["color"] for r in rows}
    places = sorted(story.places, key=lambda p: (order.get(area_class(p), 3), story.places.index(p)))
    points = []
    for place in places:
        style = _style(place, colors[place.id])
        fade = 1.0 if place.id in chosen else 0.3
        weight = float(style.get("weight", 1))
        dash = style.get("dashArray")
        pattern = tuple(float(n) * px for n in str(dash).split()) if dash else None
        edge = (style.get("color", colors[place.id]), float(style.get("opacity", 1)) * fade, weight * px)
        fill_alpha = (float(style.get("fillOpacity", 0.2)) if style.get("fill", True) else 0.0) * fade
        face = (style.get("fillColor", colors[place.id]), fill_alpha)
        if place.geometry is not None:
            outline = shapes.shape(place.geometry)
            rings = _rings([draw.project(outline, shift) for shift in shifts], to_px)
            canvas.shapes(rings, face, (*edge, pattern))
            continue
        radius = float(style.get("radius", 7)) * px
        y = float(draw.mercator_y(place.lat))
        points += [(fade, to_px(place.lon + shift, y), radius, face, edge) for shift in shifts]
    return points


def _labels(
    pen: Any,
    story: Story,
    chosen: set[str],
    shifts: list[float],
    px: float,
    to_px: Any,
    clip: tuple,
    taken: list[tuple[float, float, float, float]],
) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Names of the places in view where they cover no marker and no other name (as
    ``draw.draw_labels``: the web map's label order and points, the same eight spots); returns
    each name drawn with its box."""
    from storymap.render import framing

    kinds = {p.id: p.kind for p in story.places}
    left, top, right, bottom = clip
    taken = list(taken)
    placed = []
    halo = max(1, round(1.5 * px))
    for label in framing.labels(story):
        if label["id"] not in chosen:
            continue
        y = float(draw.mercator_y(label["lat"]))
        spot_xy = None
        for s in shifts:
            x, yy = to_px(label["lon"] + s, y)
            if left <= x <= right and top <= yy <= bottom:
                spot_xy = (x, yy)
                break
        if spot_xy is None:
            continue
        x, y = spot_xy
        is_point = not label["area"]
        f = font(
            12.5 * px if is_point else 12 * px,
            bold=is_point,
            italic=kinds.get(label["id"]) in ("water", "region"),
        )
        g, d = (10 * px, 7 * px) if is_point else (0.0, 14 * px)
        spots = [
            (g, 0, "lm"),
            (-g, 0, "rm"),
            (0, -g, "md"),
            (0, g, "ma"),
            (d, -d, "ld"),
            (-d, -d, "rd"),
            (d, d, "la"),
            (-d, d, "ra"),
        ]
        if not is_point:
            spots = [(0, 0, "mm"), *spots[2:4], (0, -2 * d, "md"), (0, 2 * d, "ma")]
        text = draw.flat(label["text"])
        for dx, dy, anchor in spots:
            box = _text_box(x + dx, y + dy, text, f, anchor)
            inside = left <= box[0] and box[2] <= right and top <= box[1] and box[3] <= bottom
            if inside and not any(_overlap(box, other) for other in taken):
                taken.append(box)
                placed.append((text, box))
                pen.text(
                    (x + dx, y + dy),
                    text,
                    font=f,
                    fill=_rgb(INK),
                    anchor=anchor,
                    stroke_width=halo,
                    stroke_fill=(255, 255, 255),
                )
                break
    return placed


def _text_box(x: float, y: float, text: str, f: Any, anchor: str) -> tuple[float, float, float, float]:
    """The box a label takes, as matplotlib measures text (its advance width by the font's ascent
    plus descent, whatever the letters), a little enlarged (``Bbox.expanded(1.04, 1.08)``)."""
    ascent, descent = f.getmetrics()
    w, h = f.getlength(text), ascent + descent
    cx = x + {"l": w / 2, "m": 0.0, "r": -w / 2}[anchor[0]]
    cy = y + {"a": h / 2, "m": 0.0, "d": -h / 2}[anchor[1]]
    return cx - 0.52 * w, cy - 0.54 * h, cx + 0.52 * w, cy + 0.54 * h


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def png_bytes(image: Any) -> bytes:
    """``image`` as PNG bytes, without metadata."""
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
