"""Benchmark ``storymap batch``: throughput per core, scaling, Dask overhead, memory, growth;
plus CLI start-up and the seed build against importing its libraries.

    python bench/batch.py [--articles N] [--skip-dask] [--skip-startup] [--keep DIR]

Builds a synthetic corpus of N articles (default 10,000, the issue's figure) in a temporary
folder from the LGL and TR-News texts (``$STORYMAP_GEOPARSE_DIR`` or ``../shared/geoparse/``),
repeating them as needed, then maps it:

* local, 1 worker (in-process) and 2 worker processes; Dask ``LocalCluster`` with 2 workers;
* each run in a fresh process and a fresh site folder, so no run reuses another's records;
* CPU = user + system time of the whole process tree (driver, workers, Dask scheduler/nannies);
  "articles per CPU-second" is the rate of one core when the machine is otherwise idle, and
  depends little on the load (wall-clock figures do: the machine load is printed with them);
* peak memory = largest RSS of one worker process (the driver for the in-process run);
* 2 workers vs 1: measured on the wall clock, and projected for two idle cores from CPU time
  (all the driver's CPU counted as serial: writing the site, collecting results);
* growth: the 2-worker local run on N/10 articles against N (linear when the CPU per article,
  the site's share and the peak memory stay flat).

The CLI start-up figures time fresh ``python -m storymap`` processes with their bytecode cached
in the temporary folder (``process_env`` of ``bench/startup.py``), as an installed package has it,
also where ``PYTHONDONTWRITEBYTECODE`` is set.

Targets (issue 12): >= 30 articles per CPU-second per core; 2 workers >= 1.7x the rate of 1;
``storymap --help`` and ``storymap places`` < 0.3 s CPU; seed build <= 1.5x
``python -c "import folium, geopandas, shapely, jinja2"``.
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
    if not out:
        sys.exit(f"bench/batch.py: no corpus found in {GEOPARSE} (lgl.xml, TR-News.xml)")
    return out


def write_corpus(folder: Path, n: int, texts: list[tuple[str, str]]) -> Path:
    """``n`` article files in ``folder``, cycling through ``texts``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (title, text) in zip(range(n), itertools.cycle(texts), strict=False):
        body = f"{title}\n\n{text}\n" if title and not text.startswith(title) else text + "\n"
        (folder / f"a{i:05d}.txt").write_text(body, encoding="utf-8")
    return folder


def _load() -> str:
    return "load {:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg())


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_one(route: str, folder: Path, site: Path) -> dict:
    """Map ``folder`` into ``site`` in a fresh process; wall, CPU of its tree, peak memory."""
    cpu0, t0, load0 = _child_cpu(), time.perf_counter(), os.getloadavg()[0]
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
    out.update(wall_total=wall, cpu=cpu, load=(load0 + os.getloadavg()[0]) / 2)
    shutil.rmtree(site, ignore_errors=True)
    return out


def _run_here(route: str, folder: str, site: str) -> None:
    """The child side of ``run_one`` (``--run``): one batch, then its figures as JSON."""
    t0, c0 = time.perf_counter(), time.process_time()
    from storymap.batch import run, run_batch

    kind, workers = route.split(":")
    kwargs = {"dask": "local"} if kind == "dask" else {}
    site_cpu = 0.0
    write_site = run.write_site

    def timed_write_site(*args):
        nonlocal site_cpu
        c = time.process_time()
        records = write_site(*args)
        site_cpu = time.process_time() - c
        return records

    run.write_site = timed_write_site
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
                "site_wall": report.site_seconds,
                "site_cpu": site_cpu,
                "driver_cpu": time.process_time() - c0,
                "worker_rss_mb": worker_rss / 1024,
                "driver_rss_mb": self_rss / 1024,
            }
        )
    )


def cpu_of(cmd: list[str], env: dict[str, str], runs: int = 3) -> float:
    """Least CPU seconds (user + system, whole process tree) of ``runs`` runs of ``cmd``, after
    one run that is not counted (it fills the bytecode cache and the file cache)."""
    best = float("inf")
    for i in range(runs + 1):
        cpu0 = _child_cpu()
        subprocess.run(cmd, env=env, capture_output=True, check=False, cwd=tempfile.gettempdir())
        if i:
            best = min(best, _child_cpu() - cpu0)
    return best


def startup_figures(scratch: Path) -> None:
    """CLI start-up and the seed build against importing its libraries, each process with its
    bytecode cached in ``scratch`` as ``bench/startup.py`` runs them (``process_env``)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from startup import process_env

    env = process_env(scratch)
    py = sys.executable
    seed = REPO / "examples" / "us-colombia-white-house.txt"
    help_cpu = cpu_of([py, "-m", "storymap", "--help"], env)
    places_help = cpu_of([py, "-m", "storymap", "places", "--help"], env)
    places_seed = cpu_of([py, "-m", "storymap", "places", str(seed)], env)
    build = cpu_of([py, "-m", "storymap", "build", str(seed), "-o", str(scratch / "seed.html")], env)
    imports = cpu_of([py, "-c", "import folium, geopandas, shapely, jinja2"], env)
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


def _growth(grow: dict, two: dict, small: int, n: int) -> None:
    per_small, per_big = grow["cpu"] / grow["built"], two["cpu"] / two["built"]
    wall_small, wall_big = grow["wall_total"] / grow["built"], two["wall_total"] / two["built"]
    marginal = (two["cpu"] - grow["cpu"]) / max(1, two["built"] - grow["built"])
    fixed = grow["cpu"] - marginal * grow["built"]
    print(
        f"  growth {small} -> {n} articles (local, 2 workers): CPU per article "
        f"{per_small * 1e3:.1f} -> {per_big * 1e3:.1f} ms (ratio {per_big / per_small:.2f}); "
        f"wall per article {wall_small * 1e3:.1f} -> {wall_big * 1e3:.1f} ms "
        f"(ratio {wall_big / wall_small:.2f}, load {grow['load']:.1f} -> {two['load']:.1f}); "
        f"CPU {grow['cpu']:.1f} s -> {two['cpu']:.1f} s = {fixed:.1f} s fixed "
        f"(start-up, imports, gazetteer per worker) + {marginal * 1e3:.1f} ms per article; "
        f"site CPU {grow['site_cpu']:.1f} -> {two['site_cpu']:.1f} s; "
        f"peak MB/worker {grow['worker_rss_mb']:.0f} -> {two['worker_rss_mb']:.0f} (flat = linear)",
        flush=True,
    )


def _dask(d: dict, two: dict) -> None:
    print(
        f"  Dask (2 workers) vs local (2 workers): CPU {d['cpu'] / two['cpu'] - 1:+.0%} "
        f"({(d['cpu'] - two['cpu']) / d['built'] * 1e3:+.1f} ms per article), "
        f"wall {d['wall_total'] / two['wall_total'] - 1:+.0%}",
        flush=True,
    )


def _scaling(one: dict, two: dict) -> None:
    wall_speedup = (two["built"] / two["wall_total"]) / (one["built"] / one["wall_total"])
    workers_cpu = two["cpu"] - two["driver_cpu"]
    projected = (one["cpu"] / one["built"]) / ((workers_cpu / 2 + two["driver_cpu"]) / two["built"])
    print(
        f"\narticles per CPU-second (one core, 1 worker): {one['built'] / one['cpu']:.1f} "
        f"(target >= 30); {one['cpu'] / one['built'] * 1e3:.0f} ms CPU per article"
    )
    print(
        f"2 local workers vs 1: {wall_speedup:.2f}x the rate on the wall clock (shared machine, "
        f"load {one['load']:.1f} / {two['load']:.1f}); {projected:.2f}x projected for 2 idle cores "
        f"from CPU time (driver {two['driver_cpu']:.1f} s CPU of {two['cpu']:.1f}, site "
        f"{two['site_cpu']:.1f} s; target >= 1.7)",
        flush=True,
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
            f"{os.cpu_count()} CPUs, {_load()} (1/5/15 min)",
            flush=True,
        )
        # The 2-worker runs first, the long 1-worker run last: each figure is printed once its runs
        # are done, so a run cut short still leaves the figures it reached.
        runs = [("local:2", n), ("local:2", small)]
        runs += [] if args.skip_dask else [("dask:2", n)]
        runs += [("local:1", n)]
        results: dict[tuple[str, int], dict] = {}
        print(
            f"\n{'route':8} {'articles':>8} {'wall s':>8} {'CPU s':>8} {'art/CPU-s':>10} "
            f"{'art/s/core':>10} {'peak MB/worker':>15} {'site CPU s':>10}  machine load",
            flush=True,
        )
        for route, size in runs:
            r = results[route, size] = run_one(route, big if size == n else little, scratch / "site")
            workers = int(route.split(":")[1])
            print(
                f"{route:8} {r['built']:8d} {r['wall_total']:8.1f} {r['cpu']:8.1f} "
                f"{r['built'] / r['cpu']:10.1f} "
                f"{r['built'] / r['wall_total'] / workers:10.1f} {r['worker_rss_mb']:15.0f} "
                f"{r['site_cpu']:10.1f}  {r['load']:.1f}"
                + (f"  ({r['failed']} failed)" if r["failed"] else ""),
                flush=True,
            )
            if (route, size) == ("local:2", small):
                _growth(results["local:2", small], results["local:2", n], small, n)
            if route == "dask:2":
                _dask(results["dask:2", n], results["local:2", n])
        _scaling(results["local:1", n], results["local:2", n])
        if not args.skip_startup:
            startup_figures(scratch)
        print(f"\nmachine at the end: {_load()} (1/5/15 min)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
