"""Time and peak memory of storymap on 1x, 10x and 100x the seed article: is growth linear?

    python bench/size.py [--sizes 1,10,100] [--big] [--stages parse,story,dump,load,render]
                         [--timeout SECONDS]

Each size runs in a fresh subprocess, so memory figures do not leak between sizes. The
subprocess first warms up (imports, gazetteer, templates: fixed costs paid once per
process, reported separately), then times each stage on an article made of N copies of
the seed (best of several runs for the small sizes):

* parse  - ``article.parse_article`` (text -> title, sections, sentences)
* story  - ``pipeline.story_from_text`` (the whole article -> ``Story`` path, parse included)
* dump   - ``storyfile.dump_story`` (``Story`` -> the editable YAML story file)
* load   - ``storyfile.load_story`` of that YAML (parse, validate, line-aware errors)
* render - ``pipeline.render`` (``Story`` -> self-contained HTML page)

Times are CPU seconds of the benchmark process (``time.process_time``), so other work on
the machine disturbs them less than wall-clock time would. Peak memory is the process's
peak RSS after the work minus its RSS after the warm-up (``ru_maxrss``): what the work
itself needed. Each ``xN`` column is a figure divided by the same figure at 1x; compare
it with the size ratio (at 1x the figures are tiny and noisy: read the 10x -> 100x step).
``per MB`` is the CPU time of all stages per megabyte of article: flat means linear.

``--big`` adds a ~20 MB article (issue 4: "a 20 MB article completes"). A size that runs
past ``--timeout`` is stopped; the stages it finished are reported and the rest marked
``>T``. Stages that are not importable yet are skipped and say so.
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


# --------------------------------------------------------------------------- the measuring child


def child(copies: int, stages: list[str], repeat: int) -> None:
    """Warm up, then time each stage; prints the figures so far as a JSON line after each stage."""
    sys.path.insert(0, str(REPO))
    from storymap.article import parse_article
    from storymap.storyfile import dump_story, load_story

    figures: dict = {"copies": copies, "skipped": []}
    t0 = time.perf_counter()
    funcs = {
        "parse": lambda text: parse_article(text, "txt", "bench.txt"),
        "dump": dump_story,
        "load": load_story,
    }
    try:
        from storymap.pipeline import render, story_from_text

        funcs["story"] = lambda text: story_from_text(text, "txt", "bench.txt")
        funcs["render"] = render
        if "render" in stages:
            render(story_from_text(article(1), "txt", "bench.txt"))
        else:
            story_from_text(article(1), "txt", "bench.txt")
    except ImportError as e:
        figures["skipped"].append(f"story and render: {e}")
    figures["warmup_s"] = time.perf_counter() - t0

    text = article(copies)
    figures["chars"] = len(text)
    figures["mb"] = len(text.encode("utf-8")) / 1e6
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    story, yaml_text = None, None
    emit(figures, rss_before)
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
            figures["mentions"] = sum(len(p.mentions) for p in out.places)
        elif stage == "dump":
            yaml_text = out
        emit(figures, rss_before)


def emit(figures: dict, rss_before: int) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    figures["peak_mb"] = max(peak - rss_before, 0) / 1024
    print(json.dumps(figures), flush=True)


def _story_without_pipeline(parsed):  # noqa: ANN001, ANN202 - Article -> Story
    """A place-less story of the article's chapters, for when the pipeline is not importable."""
    from storymap.model import Chapter, Story

    chapters = [
        Chapter(id=f"c{i}", title=s.heading, text=list(s.paragraphs)) for i, s in enumerate(parsed.sections)
    ]
    return Story(title=parsed.title, chapters=chapters)


# --------------------------------------------------------------------------- the parent


def run(copies: int, stages: list[str], timeout: float) -> dict:
    """Figures of one size from a fresh process; ``timed_out`` is set if it was stopped."""
    repeat = 10 if copies <= 1 else 3 if copies <= 10 else 1
    cmd = [sys.executable, __file__, "--child", str(copies), "--stages", ",".join(stages)]
    cmd += ["--repeat", str(repeat)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=timeout)
        out, timed_out = done.stdout, False
        if done.returncode != 0:
            raise SystemExit(f"size {copies}x failed:\n{done.stderr}")
    except subprocess.TimeoutExpired as e:
        out, timed_out = e.stdout or "", True
        if isinstance(out, bytes):
            out = out.decode()
    lines = out.strip().splitlines()
    if not lines:
        raise SystemExit(f"size {copies}x printed nothing within {timeout:.0f} s")
    figures = json.loads(lines[-1])
    figures["timed_out"] = timed_out
    return figures


def report(rows: list[dict], stages: list[str], timeout: float) -> None:
    base = rows[0]
    timed = [s for s in stages if s in base]
    print(f"warm-up (imports, gazetteer, templates; once per process): {base['warmup_s']:.2f} s")
    for skipped in base["skipped"]:
        print(f"skipped {skipped}")
    head = f"{'size':>6} {'MB':>6} {'x1':>6} {'sent.':>7} {'mentions':>8}"
    head += "".join(f" {s + ' s':>9} {'x1':>6}" for s in timed)
    head += f" {'peak MB':>8} {'x1':>6} {'per MB s':>8}"
    print(head)
    for r in rows:
        line = f"{r['copies']:>5}x {r['mb']:>6.2f} {r['chars'] / base['chars']:>6.0f}"
        line += f" {r.get('sentences', '-'):>7} {r.get('mentions', '-'):>8}"
        for s in timed:
            if s in r:
                line += f" {r[s]:>9.3f} {r[s] / base[s] if base[s] else 0:>6.1f}"
            else:
                line += f" {'>' + format(timeout, '.0f'):>9} {'-':>6}"
        mem_ratio = r["peak_mb"] / base["peak_mb"] if base["peak_mb"] > 0 else float("nan")
        per_mb = sum(r[s] for s in timed if s in r) / r["mb"]
        line += f" {r['peak_mb']:>8.1f} {mem_ratio:>6.1f} {per_mb:>8.2f}"
        print(line + ("  (stopped at the time limit)" if r["timed_out"] else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated multiples of the seed article")
    parser.add_argument("--big", action="store_true", help="also run a ~20 MB article")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"a comma-separated subset of {STAGES}")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per size (default 600)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    stages = [s for s in args.stages.split(",") if s]
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s) {sorted(unknown)}; expected some of {','.join(STAGES)}")
    if args.child is not None:
        child(args.child, stages, args.repeat)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.big:
        sizes.append(-(-BIG_BYTES // len(article(1).encode("utf-8"))))
    rows = []
    for copies in sizes:
        rows.append(run(copies, stages, args.timeout))
        print(f"  ran {copies}x in a fresh process", file=sys.stderr)
    report(rows, stages, args.timeout)


if __name__ == "__main__":
    main()
