"""Benchmark ``storymap batch``: throughput per core, scaling, Dask overhead, memory, growth;
plus CLI start-up and the seed build against importing its libraries.

    python bench/batch.py [--articles N] [--skip-dask] [--keep DIR]

Builds a synthetic corpus of N articles (default 10,000) in a temporary folder from the LGL and
TR-News texts (``$STORYMAP_GEOPARSE_DIR`` or ``../shared/geoparse/``) and the saved web-page texts
(``../shared/webpages/text/``), repeating them as needed, then maps it:

* local, 1 worker (in-process) and 2 worker processes; Dask ``LocalCluster`` with 2 workers;
* each run in a fresh process and a fresh site folder, so no run reuses another's records;
* CPU = user + system time of the whole process tree (driver, workers, Dask scheduler/nannies);
  "per core" = articles per wall-second divided by the workers; peak memory = largest RSS of one
  worker process (the driver for the in-process run);
* growth: the 2-worker local run on N/10 articles against N (linear when CPU per article stays flat).

Targets (issue 12): >= 30 articles per CPU-second per core; 2 workers >= 1.7x the rate of 1;
``storymap --help`` and ``storymap places`` < 0.3 s CPU; seed build <= 1.5x
``python -c "import folium, geopandas, shapely, jinja2"``. On a shared machine wall-clock figures
(rates per core, scaling) depend on the load; CPU-second figures do not.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent.parent / "shared" if (REPO.parent.parent / "shared").is_dir() else REPO.parent / "shared"
GEOPARSE = Path(os.environ.get("STORYMAP_GEOPARSE_DIR", SHARED / "geoparse"))
WEBPAGES = SHARED / "webpages" / "text"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}


def source_texts() -> list[tuple[str, str]]:
    """(title, text) of every article of the shared corpora."""
    out: list[tuple[str, str]] = []
    for name in ("lgl.xml", "TR-News.xml"):
        path = GEOPARSE / name
        if path.is_file():
            for art in ET.parse(path).getroot().iter("article"):
                text = (art.findtext("text") or "").strip()
                title = (art.findtext("title") or "").strip() or text.split("\n", 1)[0][:80]
                if text:
                    out.append((title, text))
    if WEBPAGES.is_dir():
        for path in sorted(WEBPAGES.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace").strip()
            if text:
                out.append(("", text))
    if not out:
        sys.exit(f"bench/batch.py: no corpus found in {GEOPARSE} or {WEBPAGES}")
    return out


def write_corpus(folder: Path, n: int, texts: list[tuple[str, str]]) -> Path:
    """``n`` article files in ``folder``, cycling through ``texts``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (title, text) in zip(range(n), itertools.cycle(texts), strict=False):
        body = f"{title}\n\n{text}\n" if title and not text.startswith(title) else text + "\n"
        (folder / f"a{i:05d}.txt").write_text(body, encoding="utf-8")
    return folder


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_one(route: str, folder: Path, site: Path) -> dict:
    """Map ``folder`` into ``site`` in a fresh process; wall, CPU of its tree, peak memory."""
    cpu0, t0 = _child_cpu(), time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--run", route, str(folder), str(site)],
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    wall, cpu = time.perf_counter() - t0, _child_cpu() - cpu0
    if proc.returncode != 0:
        sys.exit(f"bench/batch.py: the {route} run failed:\n{proc.stderr[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out.update(wall_total=wall, cpu=cpu)
    shutil.rmtree(site, ignore_errors=True)
    return out


def _run_here(route: str, folder: str, site: str) -> None:
    """The child side of ``run_one`` (``--run``): one batch, then its figures as JSON."""
    t0 = time.perf_counter()
    from storymap.batch import run_batch

    kind, workers = route.split(":")
    kwargs = {"dask": "local"} if kind == "dask" else {}
    report = run_batch([folder], site, jobs=int(workers), progress=False, **kwargs)
    wall = time.perf_counter() - t0
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    worker_rss = child_rss or self_rss  # no child process: the driver did the work itself
    print(
        json.dumps(
            {
                "built": report.built,
                "failed": len(report.failures),
                "wall": wall,
                "worker_rss_mb": worker_rss / 1024,
                "driver_rss_mb": self_rss / 1024,
            }
        )
    )


def cpu_of(cmd: list[str], runs: int = 3) -> float:
    """Least CPU seconds (user + system, whole process tree) of ``runs`` runs of ``cmd``."""
    best = float("inf")
    for _ in range(runs):
        cpu0 = _child_cpu()
        subprocess.run(cmd, env=ENV, capture_output=True, check=False, cwd=tempfile.gettempdir())
        best = min(best, _child_cpu() - cpu0)
    return best


def startup_figures(scratch: Path) -> None:
    py = sys.executable
    seed = REPO / "examples" / "us-colombia-white-house.txt"
    help_cpu = cpu_of([py, "-m", "storymap", "--help"])
    places_help = cpu_of([py, "-m", "storymap", "places", "--help"])
    places_seed = cpu_of([py, "-m", "storymap", "places", str(seed)])
    build = cpu_of([py, "-m", "storymap", "build", str(seed), "-o", str(scratch / "seed.html")])
    imports = cpu_of([py, "-c", "import folium, geopandas, shapely, jinja2"])
    print("\nCLI start-up (CPU s, best of 3; target < 0.3)")
    print(f"  storymap --help              {help_cpu:6.3f}  {'ok' if help_cpu < 0.3 else 'OVER'}")
    print(f"  storymap places --help       {places_help:6.3f}  {'ok' if places_help < 0.3 else 'OVER'}")
    print(f"  storymap places SEED         {places_seed:6.3f}  {'ok' if places_seed < 0.3 else 'OVER'}")
    print("Seed build vs imports (CPU s, best of 3; target ratio <= 1.5)")
    print(f"  storymap build SEED          {build:6.3f}")
    print(f"  import folium, geopandas,... {imports:6.3f}")
    print(
        f"  ratio                        {build / imports:6.2f}  {'ok' if build / imports <= 1.5 else 'OVER'}"
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--run":
        _run_here(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size [10000]")
    parser.add_argument("--skip-dask", action="store_true", help="leave out the Dask run")
    parser.add_argument("--skip-startup", action="store_true", help="leave out CLI start-up figures")
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="storymap-bench-"))
    try:
        texts = source_texts()
        n, small = args.articles, max(1, args.articles // 10)
        base = args.keep or scratch
        big = write_corpus(base / f"corpus-{n}", n, texts)
        little = write_corpus(base / f"corpus-{small}", small, texts)
        sizes = [len(p.read_bytes()) for p in big.iterdir()]
        print(
            f"corpus: {n} articles from {len(texts)} distinct texts, "
            f"{sum(sizes) / 1e6:.1f} MB, median {sorted(sizes)[len(sizes) // 2] / 1e3:.1f} KB; "
            f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        )
        routes = ["local:1", "local:2"] + ([] if args.skip_dask else ["dask:2"])
        results = {}
        print(
            f"\n{'route':8} {'articles':>8} {'wall s':>8} {'CPU s':>8} {'art/CPU-s':>10} "
            f"{'art/s/core':>10} {'peak MB/worker':>15}"
        )
        for route in routes:
            r = results[route] = run_one(route, big, scratch / "site")
            workers = int(route.split(":")[1])
            print(
                f"{route:8} {r['built']:8d} {r['wall_total']:8.1f} {r['cpu']:8.1f} "
                f"{r['built'] / r['cpu']:10.1f} "
                f"{r['built'] / r['wall_total'] / workers:10.1f} {r['worker_rss_mb']:15.0f}"
                + (f"  ({r['failed']} failed)" if r["failed"] else "")
            )
        one, two = results["local:1"], results["local:2"]
        speedup = (two["built"] / two["wall_total"]) / (one["built"] / one["wall_total"])
        print(f"\n2 local workers vs 1: {speedup:.2f}x the rate (target >= 1.7; wall clock, shared machine)")
        print(f"articles per CPU-second: {one['built'] / one['cpu']:.1f} (target >= 30)")
        if "dask:2" in results:
            d = results["dask:2"]
            print(
                f"Dask (2 workers) vs local (2 workers): CPU per article {d['cpu'] / two['cpu'] - 1:+.0%}, "
                f"wall {d['wall_total'] / two['wall_total'] - 1:+.0%}"
            )
        grow = run_one("local:2", little, scratch / "site")
        per_small, per_big = grow["cpu"] / grow["built"], two["cpu"] / two["built"]
        marginal = (two["cpu"] - grow["cpu"]) / max(1, two["built"] - grow["built"])
        fixed = grow["cpu"] - marginal * grow["built"]
        print(
            f"growth {small} -> {n} articles (local, 2 workers): "
            f"CPU {grow['cpu']:.1f} s -> {two['cpu']:.1f} s = {fixed:.1f} s fixed "
            f"(start-up, imports, gazetteer per worker) + {marginal * 1e3:.0f} ms per article; "
            f"CPU per article {per_small * 1e3:.0f} -> {per_big * 1e3:.0f} ms, "
            f"peak MB/worker {grow['worker_rss_mb']:.0f} -> {two['worker_rss_mb']:.0f} (flat = linear)"
        )
        if not args.skip_startup:
            startup_figures(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
