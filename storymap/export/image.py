"""A still image of the story map (PNG or SVG): for print, social cards, slides and readers whose
page runs no scripts.

The map part follows the interactive map: its basemap, frames, label points and styles. This
module lays out the image around it: the title (and chapter), a legend of the layers in view and
a source credit line; no axes or frame. Sizes follow the width, so the image reads the same at
any size (text is legible at 600 px wide). The SVG is a matplotlib figure (``figure``, the map
part in ``storymap.export.draw``); the PNG, which every page inlines, is drawn with Pillow in the
same layout (``storymap.export.raster``), without matplotlib's import. The same story gives the
same bytes: fonts are matplotlib's own DejaVu, and PNG and SVG carry no dates.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from storymap.export import draw
from storymap.export.deps import need
from storymap.export.draw import INK, PT
from storymap.export.frames import place_rows
from storymap.model import Chapter, Story

SEA = "#cfe3ef"
MUTED = "#4f5a64"
DEFAULT_WIDTH = 1200
#: Height / width of every image (16:10).
ASPECT = 0.625
CREDIT = "Map: storymap · Basemap: Natural Earth"
#: The palette image (what every page inlines): shapes drawn at twice the size, not three times, and
#: zlib level 7, not Pillow's ``optimize`` (level 9): about 0.1 s less of each build's CPU for a
#: file about 6 % larger (some 1.5 KB), that looks the same at its 32 colours.
PALETTE_SUPERSAMPLE = 2
PALETTE_ZLIB_LEVEL = 7


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
    title_lines = _wrap(fig, renderer, draw.flat(story.title) or "Story map", title_px * PT, 0.96 * width, 3)
    sub = f"Chapter {chapter}: {draw.flat(chap.title)}" if chap is not None else ""
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
    source = _credit(story)
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
    x0, x1, y0, y1 = draw.extent(view, (top - bottom) / width)
    shifts = draw.shifts(x0, x1)
    draw.draw_basemap(ax, (x0, x1, y0, y1), shifts, px)
    chosen = {r["id"] for r in focus}
    draw.draw_places(ax, story, rows, chosen, shifts, px)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("auto")
    draw.draw_labels(ax, renderer, story, chosen, shifts, px)
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


def _wrap(fig: Any, renderer: Any, text: str, size: float, room: float, most: int) -> list[str]:
    """``text`` in at most ``most`` lines no wider than ``room`` pixels in the title font (measured)."""
    probe = fig.text(0, 0, "", fontsize=size, fontweight="bold", family="DejaVu Serif", parse_math=False)

    def fits(line: str) -> bool:
        probe.set_text(line)
        return probe.get_window_extent(renderer).width <= room

    lines = draw.wrap_words(text, fits, most)
    probe.remove()
    return lines


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
    return [(out[k][0], f"{_short(draw.flat(out[k][1]), 40)} ({out[k][2]})") for k in order if k in out]


def _chapter(story: Story, chapter: int | None) -> Chapter | None:
    if chapter is None:
        return None
    if not 1 <= chapter <= len(story.chapters):
        from storymap.errors import InputError

        raise InputError(
            "--chapter", f"expected a chapter number from 1 to {len(story.chapters)}, got {chapter}"
        )
    return story.chapters[chapter - 1]


def _credit(story: Story) -> str:
    """``"Source: <site> · "``: the publication, else the page's host, else the file; ``""`` if none."""
    from urllib.parse import urlsplit

    name = story.site.strip()
    for address in (story.url, story.source):
        if not name and address.strip().lower().startswith(("http://", "https://")):
            name = urlsplit(address.strip()).hostname or ""
    name = name or story.source.strip().replace("\\", "/").rsplit("/", 1)[-1]
    return f"Source: {_short(draw.flat(name), 60)} · " if name else ""


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
    from storymap.errors import InputError

    if fmt not in ("png", "svg"):
        raise InputError("--to", f"expected png or svg for an image, got {fmt!r}")
    if isinstance(width, bool) or not isinstance(width, int) or not 200 <= width <= 6000:
        raise InputError("--width", f"expected a width from 200 to 6000 pixels, got {width!r}")
    if fmt == "png":  # Pillow draws it (storymap.export.raster): no matplotlib to import
        from storymap.export import raster

        if colors is None:
            image, _ = raster.render_png(story, _chapter(story, chapter), chapter, width)
            return raster.png_bytes(image)
        # A palette of a few colours smooths edges less than the third supersample would.
        image, _ = raster.render_png(story, _chapter(story, chapter), chapter, width, PALETTE_SUPERSAMPLE)
        return _palette_png(image, colors, [layer.color for layer in story.layers])
    mpl = need("matplotlib", "the still image")
    with mpl.rc_context(_RC), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs a font lacks draw as boxes; that is no error
        fig = figure(story, chapter, width)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "storymap"})
        return buffer.getvalue()


def _palette_png(image: Any, colors: int, exact: list[str]) -> bytes:
    """The RGB ``image`` as a PNG of ``colors`` colours (no dithering), keeping each colour of ``exact``."""
    from PIL import Image

    keep = list(dict.fromkeys([INK, "#ffffff", SEA, draw.LAND, *exact]))[: colors // 2]
    base = image.quantize(
        colors=colors - len(keep), method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    palette = base.getpalette()[: 3 * (colors - len(keep))]
    for color in keep:
        palette += [round(c * 255) for c in draw.rgba(color, 1)[:3]]
    palette_image = Image.new("P", (1, 1))
    palette_image.putpalette(palette + [0] * (768 - len(palette)))
    small = image.quantize(palette=palette_image, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", compress_level=PALETTE_ZLIB_LEVEL)
    return out.getvalue()
