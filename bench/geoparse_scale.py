"""How the geoparser's time grows with the size of one article.

    python bench/geoparse_scale.py [--sizes 1,5,10,20] [--repeated 0.6,6]

For each size (in MB) a fresh process geoparses one article and reports its CPU time, the
time per MB and its peak memory: ordinary news (the LGL and TR-News articles of
``bench/geoparse.py``'s corpora, concatenated and repeated up to the size) and one place
name repeated ("Paris Paris Paris ...").  Growth is linear when the time per MB stays flat.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
import storymap.geoparse
sys.path.insert(0, sys.argv[3])
from geoparse import CORPORA, corpus_dir, load
from storymap.geoparse import find_mentions
kind, size = sys.argv[1], int(float(sys.argv[2]) * 1_000_000)
if kind == "repeated":
    text = ("Paris " * (size // 6 + 1))[:size]
else:
    base = "\n\n".join(d.text for name in CORPORA.values() for d in load(corpus_dir() / name, realign=False))
    text = ((base + "\n\n") * (size // len(base) + 1))[:size]
find_mentions("Warm-up in Paris, Texas, and the eastern Pacific.")
t0 = time.process_time()
n = len(find_mentions(text))
cpu = time.process_time() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cpu": cpu, "mentions": n, "rss": rss}))
"""


def run(kind: str, mb: float) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, str(mb), str(REPO / "bench")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,5,10,20", help="sizes of ordinary news, MB (default 1,5,10,20)")
    ap.add_argument("--repeated", default="0.6,6", help="sizes of one repeated name, MB (default 0.6,6)")
    args = ap.parse_args(argv)
    print("| article | MB | CPU s | CPU s per MB | mentions | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for kind, sizes in (("ordinary news", args.sizes), ("repeated", args.repeated)):
        per_mb = []
        for mb in (float(x) for x in sizes.split(",") if x):
            r = run("repeated" if kind == "repeated" else "news", mb)
            per_mb.append(r["cpu"] / mb)
            label = '"Paris " repeated' if kind == "repeated" else kind
            print(
                f"| {label} | {mb:g} | {r['cpu']:.2f} | {r['cpu'] / mb:.2f} | {r['mentions']} "
                f"| {r['rss']:.0f} |",
                flush=True,
            )
        if len(per_mb) > 1:
            print(f"|   growth: CPU per MB, largest size / smallest: {per_mb[-1] / per_mb[0]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
