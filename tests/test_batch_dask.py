"""storymap batch on a real Dask cluster: a scheduler and two workers started here as processes on
127.0.0.1; the site they write must be byte for byte the site of the local run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from batchdata import ARTICLES, write_csv, write_folder
from click.testing import CliRunner

from storymap.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """``tcp://127.0.0.1:PORT`` of a scheduler with two one-thread workers; all stopped afterwards."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    scratch = tmp_path_factory.mktemp("dask")
    logs = [(scratch / f"{name}.log").open("wb") for name in ("scheduler", "worker1", "worker2")]
    dask = [sys.executable, "-m", "dask"]
    procs = [
        subprocess.Popen(
            [*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            env=env,
            stdout=logs[0],
            stderr=subprocess.STDOUT,
            cwd=scratch,
        )
    ]
    try:
        for n in (1, 2):
            procs.append(
                subprocess.Popen(
                    [
                        *dask,
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--no-nanny",
                        "--local-directory",
                        str(scratch / f"w{n}"),
                    ],
                    env=env,
                    stdout=logs[n],
                    stderr=subprocess.STDOUT,
                    cwd=scratch,
                )
            )
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            assert len(client.scheduler_info()["workers"]) == 2
        yield address
    finally:
        for proc in reversed(procs):
            proc.kill()  # nothing to save: the test's output is already on disk
        for proc in procs:
            proc.wait(timeout=30)
        for log in logs:
            log.close()


def _tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_dask_cluster_writes_the_same_site_as_the_local_run(scheduler, tmp_path):
    folder = write_folder(tmp_path / "in")
    table = write_csv(tmp_path / "table.csv")
    (folder / "z-broken.txt").write_bytes(b"\x00\x01\x02binary\xff")
    runner = CliRunner()
    local = runner.invoke(
        main, ["batch", str(folder), str(table), "-o", str(tmp_path / "local"), "--jobs", "1"]
    )
    remote = runner.invoke(
        main, ["batch", str(folder), str(table), "-o", str(tmp_path / "dask"), "--dask", scheduler]
    )
    assert local.exit_code == remote.exit_code == 1, (local.output, remote.output)
    n = 2 * len(ARTICLES) + 1
    assert f"{n} articles: {n - 1} built, 0 unchanged, 1 failed" in remote.output
    local_tree, dask_tree = _tree(tmp_path / "local"), _tree(tmp_path / "dask")
    assert sorted(dask_tree) == sorted(local_tree)
    for name in ("index.html", "corpus.html", "mentions.parquet", "failures.csv"):
        assert name in dask_tree
    assert len([n for n in dask_tree if n.startswith("maps/")]) == n - 1
    different = [name for name in local_tree if local_tree[name] != dask_tree[name]]
    assert different == []
    # the workers did the work: a rerun on the cluster finds every article unchanged
    again = runner.invoke(
        main, ["batch", str(folder), str(table), "-o", str(tmp_path / "dask"), "--dask", scheduler]
    )
    assert f"{n} articles: 0 built, {n - 1} unchanged, 1 failed" in again.output
