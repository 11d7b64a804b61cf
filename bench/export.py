"""Benchmark the exports: size and time of each data format and image, and what the still image
adds to the page (bytes and build time).

Times are CPU seconds of this process (``time.process_time``, best of N runs, after a warm-up
that pays the imports), so a busy machine changes them little. Targets (issue 10): the seed
page stays <= 500 KB with the inlined image (image <= 60 KB).

    python bench/export.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storymap import pipeline  # noqa: E402
from storymap.export.formats import export_bytes  # noqa: E402
from storymap.export.image import render_image  # noqa: E402
from storymap.render.still import INLINE_COLORS, INLINE_WIDTH, cache_clear, inline_png  # noqa: E402


def best(fn, runs: int) -> tuple[float, object]:
    """Least CPU seconds of ``runs`` calls of ``fn`` and its last result."""
    times, out = [], None
    for _ in range(runs):
        start = time.process_time()
        out = fn()
        times.append(time.process_time() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    start = time.process_time()
    import geopandas  # noqa: F401
    import matplotlib.backends.backend_agg  # noqa: F401

    print(f"import geopandas + matplotlib: {time.process_time() - start:.2f} s CPU")
    story = pipeline.load(None)
    print(f"seed story: {len(story.places)} places, {sum(len(p.mentions) for p in story.places)} mentions\n")
    print(f"{'output':<34} {'bytes':>9} {'CPU s':>7}")
    rows = [(f, lambda f=f: export_bytes(story, f)) for f in ("geojson", "gpkg", "csv", "parquet")]
    rows += [
        ("png 1200 px", lambda: render_image(story, "png")),
        ("png 600 px", lambda: render_image(story, "png", width=600)),
        ("png chapter 3, 1200 px", lambda: render_image(story, "png", chapter=3)),
        ("svg 1200 px", lambda: render_image(story, "svg")),
        (
            f"inline png {INLINE_WIDTH} px, {INLINE_COLORS} colours",
            lambda: render_image(story, "png", width=INLINE_WIDTH, colors=INLINE_COLORS),
        ),
    ]
    for name, fn in rows:
        fn()  # warm-up
        seconds, data = best(fn, args.runs)
        print(f"{name:<34} {len(data):>9,} {seconds:>7.2f}")
    cache_clear()
    with_still, html = best(lambda: (cache_clear(), pipeline.render(story))[1], args.runs)
    without, plain = best(lambda: pipeline.render(story, still=False), args.runs)
    uri = inline_png(story)
    print(f"\nseed page with the still image:    {len(html.encode()):>9,} bytes, render {with_still:.2f} s")
    print(f"seed page without (still=False):   {len(plain.encode()):>9,} bytes, render {without:.2f} s")
    print(f"inlined image (base64 data URI):   {len(uri):>9,} bytes (target <= 60 KB; page <= 500 KB)")


if __name__ == "__main__":
    main()
