"""``storymap export`` and the export options of ``build`` and ``embed``, through click's runner."""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from test_fetch import server  # noqa: F401 - the local web server fixture

from storymap import pipeline
from storymap.cli import main

SEED = Path(__file__).resolve().parent.parent / "examples" / "us-colombia-white-house.txt"


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def story_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("story") / "story.yaml"
    assert CliRunner().invoke(main, ["extract", str(SEED), "-o", str(path)]).exit_code == 0
    return path


def test_export_takes_the_format_from_the_suffix(runner, story_file, tmp_path):
    out = tmp_path / "places.gpkg"
    result = runner.invoke(main, ["export", str(story_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    n = len(pipeline.load(story_file).places)
    assert f"Wrote {out}" in result.stdout and f"{n} places" in result.stdout
    assert len(gpd.read_file(out, layer="places")) == n


def test_export_default_output_names_the_format_and_chapter(runner, story_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["export", str(story_file), "--to", "GeoJSON"]).exit_code == 0
    assert (tmp_path / "output" / "story.geojson").is_file()
    result = runner.invoke(
        main, ["export", str(story_file), "--to", "png", "--chapter", "2", "--width", "400"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "story-chapter-2.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--to", "csv", "--chapter", "2"],
            "--chapter/--width: apply to --to png or svg only, not to --to csv",
        ),
        (["--to", "png", "--chapter", "9"], "--chapter: expected a chapter number from 1 to 6, got 9"),
        (["-o", "places.xlsx"], "--to: expected a format (geojson, gpkg, csv, parquet, png, svg)"),
    ],
)
def test_export_errors_are_one_line_with_exit_code_2(runner, story_file, tmp_path, args, message):
    result = runner.invoke(main, ["export", str(story_file), *args], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"storymap: error: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_a_missing_optional_package_is_named_with_its_extra(runner, story_file, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if pyarrow were not installed
    result = runner.invoke(main, ["export", str(story_file), "-o", str(tmp_path / "p.parquet")])
    assert result.exit_code == 1
    assert result.stderr == (
        "storymap: error: --to parquet needs pyarrow: "
        "pip install 'storymap[parquet]' (or pip install pyarrow)\n"
    )
    assert not (tmp_path / "p.parquet").exists()


def test_build_geojson_and_base_url(runner, story_file, tmp_path):
    out = tmp_path / "site" / "map.html"
    args = ["build", str(story_file), "-o", str(out), "--geojson", "--base-url", "https://n.example.org/m/"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    for name in ("map.html", "map.png", "map.geojson"):
        assert f"Wrote {out.parent / name}" in result.stdout
    assert len(gpd.read_file(out.parent / "map.geojson")) == len(pipeline.load(story_file).places)
    assert 'content="https://n.example.org/m/map.png"' in out.read_text(encoding="utf-8")
    bad = runner.invoke(
        main, ["build", str(story_file), "-o", str(tmp_path / "x.html"), "--base-url", "maps/"]
    )
    assert bad.exit_code == 2 and bad.stderr.startswith("storymap: error: --base-url: expected the http(s)")


def test_embed_with_the_story_describes_the_map(runner, story_file):
    story = pipeline.load(story_file)
    result = runner.invoke(main, ["embed", "https://n.example.org/m/map.html", "--story", str(story_file)])
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert f'title="Map: {story.title}"' in html
    assert 'aria-describedby="storymap-desc-' in html
    assert f">{story.alt_text()}</p>" in html
    plain = runner.invoke(main, ["embed", "https://n.example.org/m/map.html"]).stdout
    assert 'title="Story map"' in plain and "aria-describedby" not in plain


def test_export_takes_a_url_like_build(server, runner, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["export", f"{server}/news/valencia-floods.html", "--to", "geojson"])
    assert result.exit_code == 0, result.output
    frame = gpd.read_file(tmp_path / "output" / "valencia-floods.geojson")
    assert "Valencia" in set(frame["name"])
