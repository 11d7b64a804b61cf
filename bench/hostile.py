"""Benchmark hostile inputs: time, peak memory and output size of one ``storymap build`` each.

    python bench/hostile.py [--repeat-kb 600 6144] [--scale-mb 1 5 10 20] [--polygon-points 1000000]

Each case runs in its own process (so peak memory is that run's alone) with a timeout, and prints
one line: case, exit code, wall seconds, CPU seconds (user + system, as ``/usr/bin/time -v`` counts
them), peak resident memory (``ru_maxrss``, the "Maximum resident set size" of ``time -v``) and the
size of the HTML written.  The cases are an article of one place name repeated (``Paris Paris ...``),
ordinary news text of 1 to 20 MB (the LGL and TR-News corpora and the saved web pages under
``/work/shared``, or ``--corpus``, joined and repeated at run time: nothing is copied into the
repo), a story file with one polygon of many points, and a billion-laughs lexicon.  The scaling
cases end with CPU seconds per MB and the ratio of the largest to the smallest: linear time gives a
ratio near 1.  Targets (issue 11): linear from 1 to 20 MB, peak memory under 1 GB for the 20 MB
article and for 6 MB of one repeated place name.
"""

from __future__ import annotations

import argparse
import html
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")
MEASURE = """
import resource, subprocess, sys
limit = int(sys.argv.pop(1))
def cap():  # the machine is shared: a run that would take all its memory fails instead
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
done = subprocess.run(sys.argv[1:], capture_output=True, preexec_fn=cap)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
last = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
print(done.returncode, use.ru_utime + use.ru_stime, use.ru_maxrss, last)
"""
BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
layers: [{id: x, title: X, keywords: [*d,*d,*d,*d,*d,*d,*d,*d,*d]}]
"""
MB = 1024 * 1024


#: Address-space limit of each build (``--memory-limit-gb``).
LIMIT = [4 * 1024 * MB]


def run(case: str, args: list[str], cwd: Path, timeout: float) -> tuple[float, float] | None:
    """Build once in a child process; print one line and return (CPU seconds, peak MB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", MEASURE, str(LIMIT[0]), sys.executable, "-m", "storymap", *args]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{case:<34} timed out after {timeout:.0f} s", flush=True)
        return None
    seconds = time.perf_counter() - started
    code, cpu, peak_kb, last = done.stdout.split(" ", 3)
    out = cwd / "out.html"
    size = out.stat().st_size if out.exists() else 0
    peak = int(peak_kb) / 1024
    print(
        f"{case:<34} exit {code}  {seconds:6.1f} s wall  {float(cpu):6.1f} s cpu  peak {peak:6.0f} MB  "
        f"html {size / 1e6:6.2f} MB  {last.strip()[:90]}",
        flush=True,
    )
    if out.exists():
        out.unlink()
    return float(cpu), peak


def corpus(extra: list[Path]) -> str:
    """Ordinary news text: the shared geoparsing corpora and saved pages, read at run time."""
    texts: list[str] = []
    for name in ("lgl.xml", "TR-News.xml"):
        path = SHARED / "geoparse" / name
        if path.exists():
            xml = path.read_text(encoding="utf-8")
            texts += [html.unescape(t) for t in re.findall(r"<text><!\[CDATA\[(.*?)\]\]></text>", xml, re.S)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SHARED / "webpages" / "text").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in extra]
    if not texts:
        raise SystemExit("no corpus found: pass --corpus FILE ...")
    return "\n\n".join(t.strip() for t in texts if t.strip())


def ordinary(base: str, mb: float) -> str:
    """``base`` repeated to ``mb`` megabytes (of characters), cut at a paragraph break."""
    n = int(mb * MB)
    text = "\n\n".join([base] * (n // (len(base) + 2) + 1))
    cut = text.rfind("\n\n", 0, n)
    return text[: cut if cut > 0 else n]


def scaling(rows: list[tuple[float, float, float]], what: str) -> None:
    """CPU seconds per MB at each size and the ratio of the largest to the smallest."""
    rows = [r for r in rows if r[1] > 0]
    if not rows:
        return
    per = [(mb, cpu / mb, peak) for mb, cpu, peak in rows]
    print(f"{what}: " + ", ".join(f"{mb:g} MB {s:.2f} s/MB" for mb, s, _ in per))
    if len(per) > 1:
        ratio = per[-1][1] / per[0][1]
        print(
            f"{what}: time per MB at {per[-1][0]:g} MB / at {per[0][0]:g} MB = {ratio:.2f} "
            f"(1.0 = linear); peak memory at most {max(p for *_, p in per):.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat-kb", type=int, nargs="*", default=[600, 6144])
    parser.add_argument("--scale-mb", type=float, nargs="*", default=[1, 5, 10, 20])
    parser.add_argument("--corpus", type=Path, nargs="*", default=[], help="more plain-text articles")
    parser.add_argument("--polygon-points", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--memory-limit-gb", type=float, default=4, help="address space of each build")
    options = parser.parse_args()
    LIMIT[0] = int(options.memory_limit_gb * 1024 * MB)
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        out, timeout = ["-o", "out.html"], options.timeout
        for kb in options.repeat_kb:
            (cwd / "paris.txt").write_text("Paris " * (kb * 1024 // 6), encoding="utf-8")
            run(f"'Paris ' repeated, {kb:,} KB", ["build", "paris.txt", *out], cwd, timeout)
        if options.scale_mb:
            base = corpus(options.corpus)
            rows = []
            for mb in options.scale_mb:
                (cwd / "news.txt").write_text(ordinary(base, mb), encoding="utf-8")
                got = run(f"news text, {mb:g} MB", ["build", "news.txt", *out], cwd, timeout)
                if got:
                    rows.append((mb, *got))
            scaling(rows, "news text")
        if options.polygon_points:
            n = options.polygon_points
            ring = ", ".join(
                f"[{math.cos(i * 2 * math.pi / n) * 10:.5f}, {math.sin(i * 2 * math.pi / n) * 10:.5f}]"
                for i in range(n)
            )
            geometry = f"{{type: Polygon, coordinates: [[{ring}]]}}"
            place = f"{{id: z, name: Z, kind: region, lat: 0, lon: 0, geometry: {geometry}}}"
            story = f"title: T\nplaces:\n- {place}\n"
            (cwd / "big.yaml").write_text(story, encoding="utf-8")
            run(f"story, polygon of {n:,} points", ["build", "big.yaml", *out], cwd, timeout)
        (cwd / "a.txt").write_text("Talks in Paris ended.\n", encoding="utf-8")
        (cwd / "bomb.yaml").write_text(BOMB, encoding="utf-8")
        run("billion-laughs lexicon", ["build", "a.txt", "--layers", "bomb.yaml", *out], cwd, timeout)


if __name__ == "__main__":
    main()
