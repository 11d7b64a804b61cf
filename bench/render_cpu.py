"""CPU of the seed map's first render in headless Chromium, optionally against another checkout.

    python bench/render_cpu.py [--runs N] [--against /path/to/other/checkout]

``bench/render.py`` times the ``storymap-painted`` mark; on a shared machine that time mostly
measures the load. This script traces each load (Chromium's own trace) and adds up, from the
navigation to the mark, the CPU time (thread time, not wall time) of the renderer's main thread
and of every thread of the browser, so two pages can be compared under load. With ``--against``
it builds the seed page there too (``python -c`` in that checkout) and alternates the two pages,
load after load, so both meet the same load. Prints medians and minimums. The browser is launched
as ``bench/render.py`` launches it (``render.launch``: without the omnibox popup Chromium builds
for every new window, in a renderer of its own, during the measured load).
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from render import launch  # noqa: E402

BUILD = "import sys; from storymap import pipeline; from storymap.render import render_html; " + (
    "open(sys.argv[1], 'w', encoding='utf-8').write(render_html(pipeline.load(None)))"
)
TASKS = ("ThreadControllerImpl::RunTask", "RunTask", "ThreadPool_RunTask")
PAINTED = "(performance.getEntriesByName('storymap-painted')[0] || {}).startTime"


def build(checkout: Path, out: Path) -> None:
    """The seed page as ``checkout``'s code renders it."""
    env = {"PYTHONPATH": str(checkout)}
    subprocess.run([sys.executable, "-c", BUILD, str(out)], cwd=checkout, env=env, check=True)


def cpu_of(events: list[dict]) -> tuple[float, float]:
    """(renderer main thread, all threads) CPU ms from the navigation to the painted mark."""
    mark = next(e for e in events if e.get("name") == "storymap-painted")
    starts = [
        e for e in events if e.get("name") == "navigationStart" and "file:" in json.dumps(e.get("args"))
    ]
    t0, t1 = starts[-1]["ts"], mark["ts"]
    threads: dict[tuple[int, int], list[dict]] = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and e.get("name") in TASKS and t0 <= e["ts"] <= t1:
            threads[(e["pid"], e["tid"])].append(e)
    main = every = 0.0
    for thread, tasks in threads.items():
        end = 0
        for e in sorted(tasks, key=lambda e: e["ts"]):
            if e["ts"] >= end:  # top-level tasks only (nested ones are inside)
                every += e.get("tdur", 0) / 1000
                if thread == (mark["pid"], mark["tid"]):
                    main += e.get("tdur", 0) / 1000
                end = e["ts"] + e["dur"]
    return main, every


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="loads of each page (median reported)")
    parser.add_argument("--against", type=Path, help="another storymap checkout to compare with")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        pages = {"this checkout": Path(tmp, "this.html")}
        build(ROOT, pages["this checkout"])
        if args.against:
            pages[str(args.against)] = Path(tmp, "other.html")
            build(args.against.resolve(), pages[str(args.against)])
        seen: dict[str, dict[str, list[float]]] = {k: collections.defaultdict(list) for k in pages}
        with sync_playwright() as pw:
            browser = launch(pw)
            order = list(pages)
            for i in range(args.runs):
                for name in order if i % 2 == 0 else order[::-1]:
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    page = context.new_page()
                    trace = Path(tmp, "trace.json")
                    browser.start_tracing(
                        page=page, path=str(trace), categories=["toplevel", "blink.user_timing", "loading"]
                    )
                    page.goto(pages[name].as_uri(), wait_until="load")
                    painted = page.wait_for_function(PAINTED, timeout=30_000).json_value()
                    browser.stop_tracing()
                    context.close()
                    main_ms, all_ms = cpu_of(json.loads(trace.read_text())["traceEvents"])
                    for key, value in (("painted", painted), ("main", main_ms), ("all", all_ms)):
                        seen[name][key].append(value)
            browser.close()
    print(f"seed page, first render (storymap-painted), {args.runs} loads each; ms, median (min)")
    print(f"{'':28} {'painted at':>14} {'main-thread CPU':>16} {'all-threads CPU':>16}")
    for name, values in seen.items():
        cells = [
            f"{statistics.median(values[k]):.0f} ({min(values[k]):.0f})" for k in ("painted", "main", "all")
        ]
        print(f"{name[-28:]:28} {cells[0]:>14} {cells[1]:>16} {cells[2]:>16}")


if __name__ == "__main__":
    main()
