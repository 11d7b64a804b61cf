"""Benchmark hostile inputs: time, peak memory and output size of one ``storymap build`` each.

    python bench/hostile.py [--repeat-kb 60 120] [--polygon-points 1000000]

Each case runs in its own process (so peak memory is that run's alone) with a timeout, and prints
one line: case, exit code, seconds, peak resident memory and the size of the HTML written.  The
cases are an article of one place name repeated (``Paris Paris ...``), a story file with one
polygon of many points, and a billion-laughs lexicon.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(done.returncode, peak, done.stderr.decode(errors="replace").strip().splitlines()[-1:])
"""
BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
layers: [{id: x, title: X, keywords: [*d,*d,*d,*d,*d,*d,*d,*d,*d]}]
"""


def run(case: str, args: list[str], cwd: Path, timeout: float) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", MEASURE, sys.executable, "-m", "storymap", *args]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{case:<34} timed out after {timeout:.0f} s")
        return
    seconds = time.perf_counter() - started
    code, peak_kb, last = done.stdout.split(" ", 2)
    out = cwd / "out.html"
    size = out.stat().st_size if out.exists() else 0
    print(
        f"{case:<34} exit {code}  {seconds:7.1f} s  peak {int(peak_kb) / 1024:7.0f} MB  "
        f"html {size / 1e6:7.2f} MB  {last.strip()[:100]}"
    )
    if out.exists():
        out.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat-kb", type=int, nargs="*", default=[60, 120])
    parser.add_argument("--polygon-points", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=900)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        for kb in options.repeat_kb:
            (cwd / "paris.txt").write_text("Paris " * (kb * 1024 // 6), encoding="utf-8")
            run(f"'Paris ' repeated, {kb} KB", ["build", "paris.txt", "-o", "out.html"], cwd, options.timeout)
        n = options.polygon_points
        ring = ", ".join(
            f"[{math.cos(i * 2 * math.pi / n) * 10:.5f}, {math.sin(i * 2 * math.pi / n) * 10:.5f}]"
            for i in range(n)
        )
        geometry = f"{{type: Polygon, coordinates: [[{ring}]]}}"
        story = (
            f"title: T\nplaces:\n- {{id: z, name: Z, kind: region, lat: 0, lon: 0, geometry: {geometry}}}\n"
        )
        (cwd / "big.yaml").write_text(story, encoding="utf-8")
        run(f"story, polygon of {n:,} points", ["build", "big.yaml", "-o", "out.html"], cwd, options.timeout)
        (cwd / "a.txt").write_text("Talks in Paris ended.\n", encoding="utf-8")
        (cwd / "bomb.yaml").write_text(BOMB, encoding="utf-8")
        run(
            "billion-laughs lexicon",
            ["build", "a.txt", "--layers", "bomb.yaml", "-o", "out.html"],
            cwd,
            options.timeout,
        )


if __name__ == "__main__":
    main()
