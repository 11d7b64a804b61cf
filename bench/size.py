"""Time and peak memory of storymap on 1x, 10x and 100x the seed article: is growth linear?

    python bench/size.py [--sizes 1,10,100] [--big] [--stages parse,story,dump,render]

Each size runs in a fresh subprocess, so memory figures do not leak between sizes. The
subprocess first warms up (imports, gazetteer, templates: fixed costs paid once per
process, reported separately), then times each stage on the article made of N copies of
the seed (best of several runs for the small sizes):

* parse  - ``article.parse_article`` (text -> title, sections, sentences)
* story  - ``pipeline.story_from_text`` (the whole article -> ``Story`` path, parse included)
* dump   - ``storyfile.dump_story`` (``Story`` -> the editable YAML story file)
* load   - ``storyfile.load_story`` of that YAML (parse, validate, line-aware errors)
* render - ``pipeline.render`` (``Story`` -> self-contained HTML page)

Times are CPU seconds of the benchmark process (``time.process_time``), so other work on
the machine disturbs them less than wall-clock time would.

Peak memory is the process's peak RSS after the work minus its RSS after the warm-up
(``ru_maxrss``), i.e. what the work itself needed. The table prints each figure and its
ratio to 1x next to the size ratio: linear growth shows as ``time/size`` staying near 1
(at 1x, timer and allocator noise dominate; read the 10x -> 100x step).

``--big`` adds a ~20 MB article (issue 4: "a 20 MB article completes"). Stages that are not
importable yet are skipped and say so.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "examples" / "us-colombia-white-house.txt"
STAGES = ("parse", "story", "dump", "load", "render")
BIG_BYTES = 20 * 1024 * 1024


def article(copies: int) -> str:
    """``copies`` copies of the seed, as separate runs of paragraphs (a long, realistic article)."""
    seed = SEED.read_text(encoding="utf-8").strip()
    return "\n\n".join([seed] * copies) + "\n"


def child(copies: int, stages: list[str], repeat: int) -> dict:
    """Runs in the subprocess: warm up, then time each stage; returns the figures."""
    sys.path.insert(0, str(REPO))
    from storymap.article import parse_article

    figures: dict = {"copies": copies, "skipped": []}
    t0 = time.perf_counter()
    funcs = {"parse": lambda text: parse_article(text, "txt", "bench.txt")}
    try:
        from storymap.pipeline import render, story_from_text

        funcs["story"] = lambda text: story_from_text(text, "txt", "bench.txt")
        funcs["render"] = render
    except ImportError as e:
        figures["skipped"].append(f"story/render: {e}")
    from storymap.storyfile import dump_story, load_story

    funcs["dump"] = dump_story
    funcs["load"] = load_story

    seed = article(1)
    warm_story = funcs["story"](seed) if "story" in funcs else None
    if warm_story is not None and "render" in stages:
        funcs["render"](warm_story)
    figures["warmup_s"] = time.perf_counter() - t0

    text = article(copies)
    figures["chars"] = len(text)
    figures["bytes"] = len(text.encode("utf-8"))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    story, yaml_text = None, None
    for stage in stages:
        if stage not in funcs:
            continue
        if stage in ("dump", "load", "render") and story is None:
            story = _story_without_pipeline(parse_article(text, "txt", "bench.txt"))
        if stage == "load" and yaml_text is None:
            yaml_text = dump_story(story)
        arg = {"parse": text, "story": text, "dump": story, "render": story, "load": yaml_text}[stage]
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            out = funcs[stage](arg)
            best = min(best, time.process_time() - start)
        figures[stage] = best
        if stage == "parse":
            figures["sentences"] = len(out.sentences)
        elif stage == "story":
            story = out
            figures["places"] = len(out.places)
            figures["mentions"] = sum(len(p.mentions) for p in out.places)
        elif stage == "dump":
            yaml_text = out
            figures["yaml_mb"] = len(out.encode("utf-8")) / 1e6
        elif stage == "render":
            figures["html_mb"] = len(out.encode("utf-8")) / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures["peak_mb"] = max(peak - rss_before, 0) / 1024  # ru_maxrss is in KiB on Linux
    figures["process_peak_mb"] = peak / 1024
    return figures


def _story_without_pipeline(parsed):  # noqa: ANN001, ANN202 - Article -> Story
    """A place-less story of the article's chapters, for when the pipeline is not importable."""
    from storymap.model import Chapter, Story

    chapters = [
        Chapter(id=f"c{i}", title=s.heading, text=list(s.paragraphs)) for i, s in enumerate(parsed.sections)
    ]
    return Story(title=parsed.title, chapters=chapters)


def run(copies: int, stages: list[str]) -> dict:
    repeat = 10 if copies <= 1 else 3 if copies <= 10 else 1
    cmd = [
        sys.executable,
        __file__,
        "--child",
        str(copies),
        "--stages",
        ",".join(stages),
        "--repeat",
        str(repeat),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"size {copies}x failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(rows: list[dict], stages: list[str]) -> None:
    base = rows[0]
    timed = [s for s in stages if s in base]
    print(f"warm-up (imports, gazetteer, templates; once per process): {base['warmup_s']:.2f} s")
    for skipped in base["skipped"]:
        print(f"skipped {skipped}")
    head = f"{'size':>6} {'MB':>6} {'sent.':>7} {'mentions':>8}"
    head += "".join(f" {s + ' s':>9} {'x1':>6}" for s in timed)
    head += f" {'peak MB':>8} {'x1':>6} {'time/size':>9}"
    print(head)
    total0 = sum(base[s] for s in timed)
    for r in rows:
        scale = r["chars"] / base["chars"]
        line = f"{r['copies']:>5}x {r['bytes'] / 1e6:>6.2f} {r.get('sentences', 0):>7}"
        line += f" {r.get('mentions', '-'):>8}"
        for s in timed:
            line += f" {r[s]:>9.3f} {r[s] / base[s] if base[s] else 0:>6.1f}"
        mem_ratio = r["peak_mb"] / base["peak_mb"] if base["peak_mb"] > 0 else float("nan")
        total = sum(r[s] for s in timed)
        line += f" {r['peak_mb']:>8.1f} {mem_ratio:>6.1f} {total / total0 / scale:>9.2f}"
        print(line)
    print("xN columns: figure / the same figure at 1x.")
    print("time/size: (total time ratio) / (size ratio); about 1 or below = linear or better.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated multiples of the seed article")
    parser.add_argument("--big", action="store_true", help="also run a ~20 MB article")
    parser.add_argument(
        "--stages", default=",".join(STAGES), help=f"comma-separated subset of {','.join(STAGES)}"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    stages = [s for s in args.stages.split(",") if s]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s) {sorted(unknown)}; expected some of {','.join(STAGES)}")
    if args.child is not None:
        print(json.dumps(child(args.child, stages, args.repeat)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.big:
        sizes.append(-(-BIG_BYTES // len(article(1).encode("utf-8"))))
    rows = []
    for copies in sizes:
        rows.append(run(copies, stages))
        print(f"  ran {copies}x in a fresh process", file=sys.stderr)
    report(rows, stages)


if __name__ == "__main__":
    main()
