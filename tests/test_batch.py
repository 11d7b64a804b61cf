"""storymap batch: inputs of every kind, failures, resume, the mentions table and the CLI."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import pytest
from batchdata import ARTICLES, META, rows, write_csv, write_folder
from click.testing import CliRunner

from storymap.batch import expand, run_batch
from storymap.batch import run as batch_run
from storymap.cli import main


def _batch(*args: str) -> object:
    return CliRunner().invoke(main, ["batch", *args])


@pytest.fixture(scope="module")
def folder_site(tmp_path_factory) -> Path:
    """The four articles from a folder, mapped in-process."""
    root = tmp_path_factory.mktemp("folder")
    report = run_batch([write_folder(root / "in")], root / "site", jobs=1, progress=False)
    assert (report.built, report.skipped, report.failures) == (len(ARTICLES), 0, [])
    return root / "site"


# --- inputs ------------------------------------------------------------------------------------


def test_folder_and_glob_list_the_articles_in_a_stable_order(tmp_path):
    folder = write_folder(tmp_path / "in")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an article: ignored in a folder
    (folder / "sub").mkdir()
    (folder / "sub" / "story.md").write_text("# Rome\n\nRome and Milan.\n", encoding="utf-8")
    jobs = expand([folder])
    assert [j.id for j in jobs] == sorted([*ARTICLES, "sub-story"])
    assert {j.id: j.fmt for j in jobs}["sub-story"] == "md"
    globbed = expand([str(folder / "*.txt")])
    assert [j.id for j in globbed] == sorted(ARTICLES)
    assert all(j.text is None and Path(j.path).is_file() for j in globbed)


def test_tables_give_text_title_date_and_source(tmp_path):
    import pandas as pd

    csv_jobs = expand([write_csv(tmp_path / "a.csv")])
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows()), encoding="utf-8")
    parquet = tmp_path / "a.parquet"
    frame = pd.DataFrame(rows())
    frame.loc[1, "text"] = None
    frame["html"] = [
        None,
        "<html><body><h1>Drought</h1><p>Nairobi waits for rain.</p></body></html>",
        None,
        None,
    ]
    frame.to_parquet(parquet)
    for jobs in (csv_jobs, expand([jsonl]), expand([parquet])):
        assert [(j.id, j.date, j.outlet) for j in jobs] == META
        assert jobs[0].title == "Floods close schools in Paris"
        assert jobs[0].text.startswith("Heavy rain flooded streets in Paris")
    html_job = expand([parquet])[1]
    assert (html_job.fmt, html_job.text.startswith("<html>")) == ("html", True)


def test_a_url_list_gives_url_jobs_and_an_article_stays_an_article(tmp_path):
    urls = tmp_path / "feed.txt"
    urls.write_text("https://example.org/news/a-story\n\nhttp://example.org/b?id=2\n", encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("https://example.org/source\n\nFloods in Paris and Lyon.\n", encoding="utf-8")
    url_jobs = expand([urls])
    assert [(j.url, j.fmt, j.text) for j in url_jobs] == [
        ("https://example.org/news/a-story", "html", None),
        ("http://example.org/b?id=2", "html", None),
    ]
    assert [j.id for j in url_jobs] == ["example-org-news-a-story", "example-org-b-id-2"]
    (job,) = expand([article])
    assert (job.url, job.path, job.fmt) == ("", str(article), "txt")


def test_ids_stay_unique_when_names_collide(tmp_path):
    write_folder(tmp_path / "x")
    write_folder(tmp_path / "y")
    ids = [j.id for j in expand([tmp_path / "x", tmp_path / "y"])]
    assert len(ids) == len(set(ids)) == 2 * len(ARTICLES)


# --- the site ----------------------------------------------------------------------------------


def test_the_site_has_one_map_per_article_an_index_and_a_corpus_map(folder_site):
    maps = sorted(p.stem for p in (folder_site / "maps").glob("*.html"))
    assert maps == sorted(ARTICLES)
    index = (folder_site / "index.html").read_text(encoding="utf-8")
    for ident in ARTICLES:
        assert f'href="maps/{ident}.html"' in index
    assert "Floods close schools in Paris" in index
    corpus = (folder_site / "corpus.html").read_text(encoding="utf-8")
    data = json.loads(corpus.split('id="storymap-corpus">', 1)[1].split("</script>", 1)[0])
    by_name = {p["name"]: p for p in data["places"]}
    # Paris is named by two articles: one place, two articles (aggregated, not one marker per mention)
    assert len(by_name["Paris"]["articles"]) == 2
    assert len([p for p in data["places"] if p["name"] == "Paris"]) == 1
    assert {"Nairobi", "Lima", "Berlin"} <= set(by_name)
    assert not (folder_site / "failures.csv").exists()


def test_mentions_parquet_reads_back_with_geopandas(folder_site):
    import geopandas as gpd

    frame = gpd.read_parquet(folder_site / "mentions.parquet")
    records = [json.loads(p.read_text()) for p in (folder_site / "records").glob("*.json")]
    assert len(frame) == sum(len(pl["mentions"]) for r in records for pl in r["places"]) > 10
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geom_type) <= {"Point", "Polygon", "MultiPolygon"}
    assert "Point" in set(frame.geom_type)
    assert set(frame.article_id) == set(ARTICLES)
    paris = frame[frame.place == "Paris"]
    assert set(paris.article_id) == {"paris-floods", "peru-japan-deal"}
    assert paris.geometry.iloc[0].x == pytest.approx(2.35, abs=0.05)
    assert all(s in ARTICLES[a] for a, s in zip(frame.article_id, frame.sentence, strict=True))
    assert {"layer", "confidence", "place", "sentence"} <= set(frame.columns)


def test_the_mentions_table_gathered_in_arrow_chunks_is_the_same_file(folder_site, tmp_path, monkeypatch):
    """However few rows a chunk holds (an Arrow table every few rows, a float column that is all
    ints in some chunks), the site's files are those of the whole table made at once."""
    import shutil

    import geopandas as gpd

    from storymap.batch import site

    ids = sorted(ARTICLES)
    whole = tmp_path / "whole"
    shutil.copytree(folder_site, whole)
    for name in ("index.html", "corpus.html", "mentions.parquet"):
        (whole / name).unlink()
    shapes = site.write_site(whole, ids, [])
    assert shapes == {p["geometry"] for r in site.iter_records(whole, ids) for p in r["places"]} - {""}
    chunked = tmp_path / "chunked"
    shutil.copytree(whole, chunked)
    records = chunked / "records"
    first = json.loads((records / f"{ids[0]}.json").read_text(encoding="utf-8"))
    for place in first["places"]:  # a chunk whose confidences are all ints, among floats
        place["confidence"] = 1
    (records / f"{ids[0]}.json").write_text(json.dumps(first), encoding="utf-8")
    (whole / "records" / f"{ids[0]}.json").write_text(json.dumps(first), encoding="utf-8")
    site.write_site(whole, ids, [])
    monkeypatch.setattr(site, "CHUNK_ROWS", 3)
    assert site.write_site(chunked, ids, []) == shapes
    for name in ("index.html", "corpus.html", "mentions.parquet"):
        assert (chunked / name).read_bytes() == (whole / name).read_bytes(), name
    frame = gpd.read_parquet(chunked / "mentions.parquet")
    assert str(frame.confidence.dtype) == "float64" and (frame.article_id == ids[0]).sum() > 3


def test_a_table_carries_dates_and_sources_to_the_index(tmp_path):
    report = run_batch([write_csv(tmp_path / "a.csv")], tmp_path / "site", jobs=1, progress=False)
    assert report.built == len(META)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    for _, date, source in META:
        assert f"<td>{date}</td><td>{source}</td>" in index


# --- failures and resume -----------------------------------------------------------------------


def test_a_broken_file_mid_run_is_listed_and_the_site_still_finished(tmp_path):
    folder = write_folder(tmp_path / "in")
    (folder / "m-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "n-latin1.txt").write_bytes("Caf\xe9 in Paris".encode("latin-1"))
    result = _batch(str(folder), "-o", str(tmp_path / "site"), "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert f"{len(ARTICLES) + 2} articles: {len(ARTICLES)} built, 0 unchanged, 2 failed" in result.output
    with (tmp_path / "site" / "failures.csv").open(encoding="utf-8") as fh:
        failures = {row["id"]: row for row in csv.DictReader(fh)}
    assert set(failures) == {"m-binary", "n-latin1"}
    assert failures["m-binary"]["source"] == str(folder / "m-binary.txt")
    assert "binary" in failures["m-binary"]["reason"] and "\n" not in failures["m-binary"]["reason"]
    assert "UTF-8" in failures["n-latin1"]["reason"]
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "2 could not be mapped" in index and "m-binary" not in index
    assert sorted(p.stem for p in (tmp_path / "site" / "maps").glob("*.html")) == sorted(ARTICLES)
    assert (tmp_path / "site" / "corpus.html").is_file() and (
        tmp_path / "site" / "mentions.parquet"
    ).is_file()


def test_a_rerun_rebuilds_only_what_changed(tmp_path):
    folder = write_folder(tmp_path / "in")
    site = tmp_path / "site"
    assert run_batch([folder], site, jobs=1, progress=False).built == len(ARTICLES)
    stamps = {p.name: p.stat().st_mtime_ns for p in (site / "maps").glob("*.html")}
    again = run_batch([folder], site, jobs=1, progress=False)
    assert (again.built, again.skipped) == (0, len(ARTICLES))
    time.sleep(0.01)
    changed = folder / "berlin-rail.txt"
    changed.write_text(ARTICLES["berlin-rail"].replace("Hamburg", "Cologne"), encoding="utf-8")
    os.utime(folder / "kenya-drought.txt")  # touched, content unchanged: still skipped
    third = run_batch([folder], site, jobs=1, progress=False)
    assert (third.built, third.skipped) == (1, len(ARTICLES) - 1)
    after = {p.name: p.stat().st_mtime_ns for p in (site / "maps").glob("*.html")}
    assert [n for n in stamps if after[n] != stamps[n]] == ["berlin-rail.html"]
    assert "Cologne" in (site / "maps" / "berlin-rail.html").read_text(encoding="utf-8")
    frame = __import__("geopandas").read_parquet(site / "mentions.parquet")
    assert "Cologne" in set(frame.text) and "Hamburg" not in set(frame.text)


def test_a_batch_sweeps_what_a_killed_run_left_half_written(tmp_path):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # a run that no longer exists
    site = tmp_path / "site"
    stale = [
        site / "maps" / f".paris-floods.html.storymap-{proc.pid}.k1.tmp",
        site / "records" / f".paris-floods.json.storymap-{proc.pid}.k2.tmp",
        site / "records" / "geometry" / f".0123.json.storymap-{proc.pid}.k3.tmp",
    ]
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    report = run_batch([write_folder(tmp_path / "in")], site, jobs=1, progress=False)
    assert report.built == len(ARTICLES)
    assert [p for p in stale if p.exists()] == []
    assert list(site.rglob("*.tmp")) == []


def test_a_record_that_cannot_be_written_fails_its_article_only(tmp_path, monkeypatch):
    from storymap import files

    write = files.write_atomic

    def flaky(path, data, **kwargs):
        if Path(path).name == "kenya-drought.json":
            raise OSError(28, "No space left on device")
        return write(path, data, **kwargs)

    monkeypatch.setattr(files, "write_atomic", flaky)
    site = tmp_path / "site"
    report = run_batch([write_folder(tmp_path / "in")], site, jobs=1, progress=False)
    assert report.built == len(ARTICLES) - 1
    assert [(f["id"], f["reason"]) for f in report.failures] == [
        ("kenya-drought", "OSError: [Errno 28] No space left on device")
    ]
    assert sorted(p.stem for p in (site / "records").glob("*.json")) == sorted(
        set(ARTICLES) - {"kenya-drought"}
    )
    monkeypatch.undo()
    again = run_batch([write_folder(tmp_path / "in")], site, jobs=1, progress=False)
    assert (again.built, again.skipped, again.failures) == (1, len(ARTICLES) - 1, [])


def _shapes(site: Path) -> set[str]:
    return {p.name for p in (site / "records" / "geometry").glob("*.json")}


def _used_shapes(site: Path) -> set[str]:
    records = [json.loads(p.read_text(encoding="utf-8")) for p in (site / "records").glob("*.json")]
    return {f"{pl['geometry']}.json" for r in records for pl in r["places"] if pl["geometry"]}


def test_a_rerun_removes_the_outputs_of_articles_no_longer_in_the_input(tmp_path):
    folder = write_folder(tmp_path / "in")
    site = tmp_path / "site"
    run_batch([folder], site, jobs=1, progress=False)
    shapes = _shapes(site)
    mine = site / "maps" / "my-notes.html"  # not written by storymap: never removed
    mine.write_text("<p>notes</p>", encoding="utf-8")
    (folder / "kenya-drought.txt").unlink()
    report = run_batch([folder], site, jobs=1, progress=False)
    assert (report.built, report.skipped) == (0, len(ARTICLES) - 1)
    articles = [p for p in report.removed if not p.startswith("records/geometry/")]
    assert articles == ["maps/kenya-drought.html", "records/kenya-drought.json"]
    assert "removed the maps of 1 articles no longer in the input" in report.summary()
    assert not (site / "maps" / "kenya-drought.html").exists()
    assert not (site / "records" / "kenya-drought.json").exists()
    assert mine.read_text(encoding="utf-8") == "<p>notes</p>"
    assert "kenya-drought" not in (site / "index.html").read_text(encoding="utf-8")
    assert "Nairobi" not in (site / "corpus.html").read_text(encoding="utf-8")
    frame = __import__("geopandas").read_parquet(site / "mentions.parquet")
    assert "kenya-drought" not in set(frame.article_id) and len(set(frame.article_id)) == len(ARTICLES) - 1
    # Kenya's outline was only the leaving article's: it goes; the shapes still used stay.
    assert _shapes(site) == _used_shapes(site) and _shapes(site) < shapes
    listed = json.loads((site / ".storymap-batch.json").read_text(encoding="utf-8"))["files"]
    assert "maps/kenya-drought.html" not in listed and "maps/my-notes.html" not in listed
    # Back in the input: mapped again.
    write_folder(folder)
    assert run_batch([folder], site, jobs=1, progress=False).built == 1


def test_a_tampered_manifest_cannot_remove_other_files(tmp_path):
    folder = write_folder(tmp_path / "in")
    site = tmp_path / "site"
    run_batch([folder], site, jobs=1, progress=False)
    outside = tmp_path / "outside.html"
    outside.write_text("keep", encoding="utf-8")
    (site / "notes.txt").write_text("keep", encoding="utf-8")
    listed = ["../outside.html", "notes.txt", "maps/../../outside.html", str(outside)]
    (site / ".storymap-batch.json").write_text(json.dumps({"files": listed}), encoding="utf-8")
    report = run_batch([folder], site, jobs=1, progress=False)
    assert report.removed == []
    assert outside.read_text(encoding="utf-8") == "keep" and (site / "notes.txt").exists()


def test_new_settings_rebuild_every_map(tmp_path):
    folder = write_folder(tmp_path / "in")
    lexicon = tmp_path / "layers.yaml"
    lexicon.write_text(
        (Path(__file__).resolve().parent.parent / "storymap" / "data" / "layers.yaml").read_text(
            encoding="utf-8"
        )
        + "\n",
        encoding="utf-8",
    )
    run_batch([folder], tmp_path / "site", jobs=1, progress=False)
    report = run_batch([folder], tmp_path / "site", jobs=1, progress=False, lexicon=lexicon)
    assert report.built == len(ARTICLES)


# --- the command line --------------------------------------------------------------------------


def test_cli_prints_the_summary_and_exits_0_when_all_built(tmp_path):
    result = _batch(str(write_folder(tmp_path / "in")), "-o", str(tmp_path / "site"), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert f"{len(ARTICLES)} articles: {len(ARTICLES)} built, 0 unchanged, 0 failed" in result.output
    assert "Traceback" not in result.output


def test_cli_bad_usage_is_one_line_and_exit_2(tmp_path):
    missing = _batch(str(tmp_path / "nowhere"), "-o", str(tmp_path / "site"))
    assert missing.exit_code == 2
    assert missing.output.strip().splitlines() == [
        f"storymap: error: {tmp_path / 'nowhere'}: no such file or folder"
    ]
    assert _batch(str(tmp_path)).exit_code == 2  # no -o
    bad = tmp_path / "list.docx"
    bad.write_bytes(b"PK")
    wrong = _batch(str(bad), "-o", str(tmp_path / "site"))
    assert wrong.exit_code == 2 and len(wrong.output.strip().splitlines()) == 1


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free, and nothing listens there once closed
    monkeypatch.setattr(batch_run, "CONNECT_TIMEOUT", "1s")
    result = _batch(
        str(write_folder(tmp_path / "in")), "-o", str(tmp_path / "site"), "--dask", f"tcp://127.0.0.1:{port}"
    )
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert line.startswith(
        f"storymap: error: --dask: cannot reach a Dask scheduler at 'tcp://127.0.0.1:{port}'"
    )


def test_progress_lines_in_logs(tmp_path, capsys):
    run_batch([write_folder(tmp_path / "in")], tmp_path / "site", jobs=1)
    err = capsys.readouterr().err
    assert f"storymap batch: {len(ARTICLES)}/{len(ARTICLES)} articles" in err


def test_the_readme_batch_example_runs_as_written(tmp_path):
    import re
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A whole archive") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    assert block.startswith("pip install '.[batch]'\n")
    script = block.removeprefix("pip install '.[batch]'\n").replace(
        "storymap batch", f"{sys.executable} -m storymap batch"
    )
    shutil.copytree(root / "examples", tmp_path / "examples")
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        ["bash", "-ec", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "3 articles: 3 built, 0 unchanged, 0 failed" in done.stdout
    for name in ("index.html", "corpus.html", "mentions.parquet", "maps/paris-floods.html"):
        assert (tmp_path / "site" / name).is_file()


def test_the_cli_starts_without_the_heavy_libraries():
    """`storymap --help` (and the batch driver's start) import no folium, pandas, pydantic or pipeline."""
    import subprocess
    import sys

    from storymap import cli, embed, pipeline

    assert cli.EXPORT_FORMATS == pipeline.EXPORT_FORMATS
    assert cli.MAX_HEIGHT == embed.MAX_HEIGHT
    heavy = ("folium", "pandas", "pydantic", "geopandas", "storymap.pipeline", "storymap.model")
    code = f"import sys, storymap.cli; print([m for m in {heavy!r} if m in sys.modules])"
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "[]", out.stderr


def test_maps_leave_out_the_still_image_unless_asked(tmp_path):
    folder = write_folder(tmp_path / "in")
    run_batch([folder], tmp_path / "site", jobs=1, progress=False)
    plain = (tmp_path / "site" / "maps" / "paris-floods.html").read_text(encoding="utf-8")
    report = run_batch([folder], tmp_path / "site", jobs=1, progress=False, still=True)
    assert report.built == len(ARTICLES)  # a new setting: every map again
    with_still = (tmp_path / "site" / "maps" / "paris-floods.html").read_text(encoding="utf-8")
    assert "sm-still" in with_still and "sm-still" not in plain


def test_an_areas_key_is_the_hash_of_its_sorted_json_however_often_it_comes():
    import hashlib

    from storymap.batch.work import _geometry_key

    def plain(geometry):
        text = json.dumps(geometry, sort_keys=True, separators=(",", ":"))
        return hashlib.sha1(text.encode()).hexdigest()[:20]

    square = {"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}
    other = {"coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.5], [0.0, 0.0]]], "type": "Polygon"}
    for geometry in (square, other, dict(square), square, other):
        assert _geometry_key(geometry) == plain(geometry)
    assert _geometry_key(square) != _geometry_key(other)
