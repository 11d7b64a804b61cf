"""Issue 4, as a user meets it: every bad input gives one line, an exit code, no traceback
and no output file (not even a temporary one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from storymap.cli import main

SEED = Path(__file__).resolve().parent.parent / "examples" / "us-colombia-white-house.txt"

STORY = """\
title: A story
layers:
  - id: talks
    title: Talks
    color: "{color}"
    places: [{listed}]
places:
  - id: bogota
    name: Bogotá
    kind: city
    layer: {layer}
    lat: {lat}
    lon: -74.08
chapters: []
"""


def story(color="#123456", listed="bogota", layer="talks", lat="4.6"):
    return STORY.format(color=color, listed=listed, layer=layer, lat=lat)


CASES = {  # case: (suffix, content, fragment of the message)
    "missing": (".txt", None, "no such file"),
    "directory": (".txt", "<dir>", "is a directory"),
    "empty": (".txt", b"", "empty"),
    "whitespace": (".txt", b" \n\t\n  \n", "empty"),
    "latin-1": (".txt", "Caf\u00e9 in Bogot\u00e1.".encode("latin-1"), "invalid byte 0xe9 at offset 3"),
    "binary": (".txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "yaml-syntax": (".yaml", b"title: [unclosed\nplaces: {\n", "line"),
    "yaml-field": (".yaml", story(lat="123").encode(), "places[0].lat"),
    "unknown-layer": (".yaml", story(layer="nope", listed="").encode(), "unknown layer 'nope'"),
    "unknown-place": (".yaml", story(listed="bogota, atlantis").encode(), "unknown place 'atlantis'"),
    "bad-colour": (".yaml", story(color="reddish").encode(), "hex colour"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, case):
    suffix, content, expected = CASES[case]
    source = tmp_path / f"input{suffix}"
    if content == "<dir>":
        source.mkdir()
    elif content is not None:
        source.write_bytes(content)
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out_dir / "map.html")])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"storymap: error: {source}")
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert not out_dir.exists() or not any(out_dir.iterdir())


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks_are_accepted(tmp_path, encoding):
    source = tmp_path / "bom.txt"
    source.write_bytes("Talks opened in Nairobi on Monday.\n".encode(encoding))
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "bom.html")])
    assert result.exit_code == 0, result.output
    assert "1 place in" in result.stdout


@pytest.mark.parametrize("where", ["under-a-file", "is-a-directory"])
def test_unwritable_output_fails_cleanly_and_leaves_nothing(tmp_path, where):
    blocker = tmp_path / "blocker"
    if where == "under-a-file":
        blocker.write_text("a file, not a directory", encoding="utf-8")
        target = blocker / "map.html"
    else:
        blocker.mkdir()
        target = blocker
    before = sorted(p.name for p in tmp_path.rglob("*"))
    result = CliRunner().invoke(main, ["build", str(SEED), "-o", str(target)])
    assert result.exit_code == (1 if where == "under-a-file" else 2)  # a directory is a wrong argument
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"storymap: error: {target}")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_failed_rebuild_keeps_the_previous_map(tmp_path):
    out = tmp_path / "map.html"
    assert CliRunner().invoke(main, ["build", str(SEED), "-o", str(out)]).exit_code == 0
    good = out.read_bytes()
    bad = tmp_path / "bad.yaml"
    bad.write_text(story(lat="999"), encoding="utf-8")
    assert CliRunner().invoke(main, ["build", str(bad), "-o", str(out)]).exit_code == 2
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "map.html"]


def test_no_places_builds_a_map_and_warns(tmp_path):
    source = tmp_path / "quiet.txt"
    source.write_text("Nothing happened today. It was quiet.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(tmp_path / "quiet.html")])
    assert result.exit_code == 0
    assert "storymap: warning:" in result.stderr and "no places found" in result.stderr
    assert (tmp_path / "quiet.html").is_file()
