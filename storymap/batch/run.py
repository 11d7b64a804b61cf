"""Running a batch: split the articles into partitions, run them on local cores or on a Dask
cluster, report progress, then make the site (index, corpus map, mentions table).

Local runs use a process pool (each worker process loads the gazetteer once); ``dask="local"``
starts a ``LocalCluster``; ``dask="tcp://host:8786"`` uses an existing scheduler whose workers
share the output folder. Every route writes the same files.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storymap.batch import manifest
from storymap.batch.inputs import Job, expand
from storymap.batch.site import iter_records, shapes_of, write_site
from storymap.batch.work import Settings, run_chunk, sweep
from storymap.errors import InputError, StorymapError

CHUNK = 16
#: How long ``--dask tcp://...`` waits for the scheduler before giving up.
CONNECT_TIMEOUT = "10s"


class MissingExtra(StorymapError):
    """An optional dependency of ``storymap batch`` is not installed (exit code 2)."""

    exit_code = 2

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(f"storymap batch needs the '{module}' package: pip install 'storymap[{extra}]'")


@dataclass
class BatchReport:
    """What a batch did: counts, the failures with their reasons, and where the site is."""

    site: Path
    built: int = 0
    skipped: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    #: Of ``seconds``, the time the driver spent writing the site (index, corpus map, mentions table).
    site_seconds: float = 0.0
    #: Files of articles no longer in the input that this run removed (paths inside ``site``).
    removed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.built + self.skipped + len(self.failures)

    def summary(self) -> str:
        maps = sum(1 for p in self.removed if p.endswith(".html"))
        gone = f"; removed the maps of {maps} articles no longer in the input" if maps else ""
        return (
            f"{self.total} articles: {self.built} built, {self.skipped} unchanged, "
            f"{len(self.failures)} failed{gone}; site in {self.site}"
        )


def partitions(jobs: Sequence[Job], size: int = CHUNK) -> list[list[Job]]:
    """Consecutive partitions of at most ``size`` jobs."""
    return [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]


def run_batch(
    inputs: Iterable[str | Path],
    site: str | Path,
    *,
    jobs: int | None = None,
    dask: str | None = None,
    lexicon: str | Path | None = None,
    tiles: str | None = None,
    still: bool = False,
    progress: bool | None = None,
) -> BatchReport:
    """Map every article of ``inputs`` into the folder ``site`` (see the module docstring)."""
    started = time.perf_counter()
    _require("geopandas", "batch")
    _require("pyarrow", "batch")
    job_list = expand(inputs)
    if not job_list:
        raise InputError("INPUT", "no articles found in the inputs given")
    root = Path(site).resolve()
    root.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        lexicon=str(Path(lexicon).resolve()) if lexicon else "", tiles=tiles or "", still=still
    )
    before = manifest.begin(root, [j.id for j in job_list])
    sweep(root)
    chunks = partitions(job_list)
    tick = _progress(len(job_list), progress)
    results: list[dict[str, Any]] = []

    def done(chunk_results: list[dict[str, Any]]) -> None:
        results.extend(chunk_results)
        tick(len(chunk_results))

    if dask:
        _run_dask(dask, chunks, settings, str(root), done, jobs)
    else:
        _run_local(chunks, settings, str(root), done, jobs)
    tick(0, close=True)
    report = BatchReport(site=root)
    for r in results:
        if r["status"] == "built":
            report.built += 1
        elif r["status"] == "skipped":
            report.skipped += 1
        else:
            report.failures.append(r)
    failed = {f["id"] for f in report.failures}
    ok_ids = [j.id for j in job_list if j.id not in failed]
    site_started = time.perf_counter()
    shapes = write_site(root, ok_ids, report.failures)
    # A failed article keeps its last map and record (and the shapes that record uses).
    for record in iter_records(root, failed):
        shapes |= shapes_of(record)
    report.removed = manifest.finish(root, [j.id for j in job_list], before, shapes)
    report.site_seconds = time.perf_counter() - site_started
    report.seconds = time.perf_counter() - started
    return report


def _require(module: str, extra: str) -> None:
    """Fail early, in one line naming the extra to install, when an optional dependency is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise MissingExtra(module, extra)


def _run_local(chunks, settings, site, done: Callable, jobs: int | None) -> None:
    workers = jobs or min(len(chunks), os.cpu_count() or 1)
    if workers <= 1 or len(chunks) == 1:
        for chunk in chunks:
            done(run_chunk(chunk, settings, site))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_chunk, chunk, settings, site) for chunk in chunks]
        for future in as_completed(futures):
            done(future.result())


def _run_dask(address: str, chunks, settings, site, done: Callable, jobs: int | None) -> None:
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError:
        raise InputError("--dask", "needs the 'distributed' package: pip install 'storymap[dask]'") from None
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(
                n_workers=jobs or 2, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
        else:
            try:
                client = Client(address, timeout=CONNECT_TIMEOUT)
            except Exception as exc:  # OSError/TimeoutError, or ValueError for a malformed address
                reason = " ".join(str(exc).split()) or type(exc).__name__
                raise InputError(
                    "--dask", f"cannot reach a Dask scheduler at {address!r}: {reason}"
                ) from None
        with client:
            futures = client.map(run_chunk, chunks, settings=settings, site=site, pure=False)
            for future in dask_completed(futures):
                done(future.result())
    finally:
        if cluster is not None:
            cluster.close()


def _progress(total: int, enabled: bool | None) -> Callable[..., None]:
    """A tqdm bar on a terminal; plain 'N/M articles' lines (about every 10 %) in logs."""
    stream = sys.stderr
    interactive = stream.isatty() if enabled is None else enabled
    if interactive and importlib.util.find_spec("tqdm") is None:
        interactive = None  # no bar without tqdm (storymap[batch]): plain lines instead
    if interactive:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="article", file=stream, dynamic_ncols=True)

        def tick(n: int, close: bool = False) -> None:
            bar.update(n)
            if close:
                bar.close()

        return tick
    if enabled is False:
        return lambda n, close=False: None
    state = {"done": 0, "said": 0}
    step = max(1, total // 10)

    def line(n: int, close: bool = False) -> None:
        state["done"] += n
        if state["done"] - state["said"] >= step or (close and state["said"] < state["done"]):
            state["said"] = state["done"]
            print(f"storymap batch: {state['done']}/{total} articles", file=stream, flush=True)

    return line
