"""CPU time of whole storymap processes against a baseline measured in the same run (issue 12).

    python bench/startup.py [--runs 5]

Each command runs as a fresh process, ``--runs`` times, interleaved with the others so that load
on the machine hits all of them alike; its CPU time (user + system, of the process and anything
it starts) comes from ``resource.getrusage(RUSAGE_CHILDREN)`` before and after, and the median
is reported. Targets:

* ``storymap --help``: under 0.3 s;
* ``storymap places`` of the seed article: under 0.3 s;
* ``storymap build`` of the seed (the map page with its inlined still image): at most 1.5 times
  the baseline ``python -c "import folium, geopandas, shapely, jinja2"``.

The commands run as ``python -m storymap`` with this checkout first on ``PYTHONPATH`` (the
``storymap`` console script adds its launcher's start-up, which is no part of storymap), with
bytecode cached in a temporary folder (``PYTHONPYCACHEPREFIX``) as an installed package has it.
The import profile of a command: ``python -X importtime -m storymap places FILE``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "examples" / "us-colombia-white-house.txt"
BASELINE = "import folium, geopandas, shapely, jinja2"


def process_env(tmp: Path) -> dict[str, str]:
    """The environment of a timed process: this checkout first on ``PYTHONPATH``, and bytecode
    cached in ``tmp/pycache`` (a folder of its own, not the checkout), as after a pip install,
    even where ``PYTHONDONTWRITEBYTECODE`` is set: compiling storymap's sources (and its
    dependencies') on every run would be measured otherwise. bench/batch.py uses it too."""
    return {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
    }


def cpu_seconds(cmd: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one run of ``cmd`` (and its children), run in this checkout:
    ``python -m`` puts the working directory first on the path, so another checkout's folder
    would otherwise choose which ``storymap`` is timed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (median reported)")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = process_env(Path(tmp))
        commands = {
            "python (empty)": [py, "-c", "pass"],
            "baseline": [py, "-c", BASELINE],
            "storymap --help": [py, "-m", "storymap", "--help"],
            "storymap places SEED": [py, "-m", "storymap", "places", str(SEED)],
            "storymap build SEED": [py, "-m", "storymap", "build", str(SEED), "-o", str(Path(tmp, "s.html"))],
        }
        for cmd in commands.values():  # warm the file cache: the first run reads everything from disk
            cpu_seconds(cmd, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(cpu_seconds(cmd, env))
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"CPU seconds of a whole process, median of {args.runs} runs (min-max):")
    for name, t in times.items():
        print(f"  {name:<22} {med[name]:6.3f} s  ({min(t):.3f}-{max(t):.3f})")
    base = med["baseline"]
    ratio = med["storymap build SEED"] / base
    print(f"baseline: python -c {BASELINE!r}")
    print()
    print(f"storymap --help        {med['storymap --help']:.3f} s   target < 0.3 s")
    print(f"storymap places SEED   {med['storymap places SEED']:.3f} s   target < 0.3 s")
    build = med["storymap build SEED"]
    print(f"storymap build SEED    {ratio:.2f} x baseline   target <= 1.5 x  ({build:.3f} s)")


if __name__ == "__main__":
    main()
