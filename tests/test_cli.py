"""The command line through click's runner: thin commands, clean errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main

SEED = Path(__file__).resolve().parent.parent / "examples" / "us-colombia-white-house.txt"


@pytest.fixture()
def runner():
    return CliRunner()


def test_build_without_input_builds_the_bundled_example(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "output" / "us-colombia-white-house.html"
    assert out.is_file()
    assert "bundled example" in result.stderr
    assert f"Wrote {out}" in result.stdout
    assert "places in" in result.stdout and "layers" in result.stdout and "left unresolved" in result.stdout


def test_extract_edit_build(runner, tmp_path):
    story = tmp_path / "story.yaml"
    assert runner.invoke(main, ["extract", str(SEED), "-o", str(story)]).exit_code == 0
    text = story.read_text(encoding="utf-8")
    assert "Washington" in text
    out = tmp_path / "map.html"
    result = runner.invoke(main, ["build", str(story), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()


def test_places_json_lines_one_object_per_file(runner, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Flooding hit Lagos and Accra on Monday.", encoding="utf-8")
    result = runner.invoke(main, ["places", "--json", str(SEED), str(other)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [rec["file"] for rec in lines] == [str(SEED), str(other)]
    text = other.read_text(encoding="utf-8")
    names = set()
    for m in lines[1]["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]
        assert set(m) == {
            "text",
            "start",
            "end",
            "name",
            "kind",
            "lat",
            "lon",
            "country",
            "confidence",
            "geometry",
        }
        names.add(m["name"])
    assert {"Lagos", "Accra"} <= names
    seed_kinds = {m["kind"]: m["geometry"] for m in lines[0]["mentions"]}
    assert seed_kinds["water"]["type"] in ("Polygon", "MultiPolygon")
    assert seed_kinds["city"] is None


def test_places_reads_standard_input_and_prints_a_table(runner):
    result = runner.invoke(main, ["places", "-"], input="Talks in Nairobi ended.")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("-: 1 mentions")
    assert "Nairobi" in result.stdout and "KE" in result.stdout


def test_embed_prints_an_iframe_snippet(runner):
    result = runner.invoke(main, ["embed", "https://example.org/map.html", "--aspect", "16:9"])
    assert result.exit_code == 0, result.output
    assert "<iframe" in result.stdout and 'title="Story map"' in result.stdout


def test_embed_height_and_aspect_are_exclusive(runner):
    result = runner.invoke(
        main, ["embed", "https://example.org/m.html", "--height", "400", "--aspect", "4:3"]
    )
    assert result.exit_code == 2
    assert "not both" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["build", "missing.txt"], "missing.txt"),
        (["places", "missing.txt"], "missing.txt"),
        (["extract", "missing.txt"], "missing.txt"),
    ],
)
def test_bad_input_is_one_line_exit_2_no_traceback(runner, tmp_path, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("storymap: error: ")
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["--debug", "build", "missing.txt"])
    assert result.exit_code != 0
    assert result.exception is not None and type(result.exception).__name__ == "InputError"


def test_output_path_that_is_a_directory_fails_cleanly(runner, tmp_path):
    result = runner.invoke(main, ["build", str(SEED), "-o", str(tmp_path)])
    assert result.exit_code != 0
    assert str(tmp_path) in result.stderr and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_python_dash_m_storymap_has_help():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "storymap", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("build", "extract", "places", "embed"):
        assert command in done.stdout


def test_places_imports_only_the_geoparser():
    """`storymap places` on a plain-text article starts without the story side, the map or numpy."""
    import subprocess
    import sys

    heavy = ("numpy", "shapely", "pydantic", "yaml", "lxml", "markdown_it", "folium", "storymap.story")
    code = (
        "import sys; from storymap.cli import main\n"
        f"try: main(['places', {str(SEED)!r}])\n"
        "except SystemExit: pass\n"
        f"print([m for m in {heavy!r} if m in sys.modules], file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "White House" in done.stdout and "Caribbean Sea" in done.stdout, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


def test_the_program_freezes_its_imports_and_main_leaves_the_collector_alone(runner, tmp_path):
    """`run` (console script, `python -m storymap`) pauses the cyclic collector for the command's
    imports and freezes them; the page is the one `main` writes, and `main` changes nothing."""
    import gc
    import subprocess
    import sys

    out = tmp_path / "run.html"
    code = (
        "import atexit, gc, sys\n"
        "from storymap import cli\n"
        "report = lambda: print('collector', gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)\n"
        "atexit.register(report)\n"
        f"sys.argv = ['storymap', 'build', {str(SEED)!r}, '-o', {str(out)!r}]\n"
        "cli.run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "collector True True", done.stderr
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    result = runner.invoke(main, ["build", str(SEED), "-o", str(tmp_path / "main.html")])
    assert result.exit_code == 0, result.output
    assert (gc.get_freeze_count(), gc.isenabled()) == (frozen, enabled)
    assert (tmp_path / "main.html").read_bytes() == out.read_bytes()
