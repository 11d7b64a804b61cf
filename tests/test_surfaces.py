"""Every surface a user hands in, attacked: story files, lexicons, options, output paths.

The invariant, for generated hostile inputs and for each known repro: the run ends (a hang guard
fails the test instead of blocking the suite), exits 0 with a map or 2 with one line on stderr,
shows no traceback and leaves no file behind but the map it was asked for.  Runs go through
click's ``CliRunner`` in-process; the few that need a real process (kill -9, a FIFO, stdout) run
as subprocesses with a timeout.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storymap.cli import main, printable

ROOT = Path(__file__).resolve().parent.parent
GUARD = 60  # seconds: a generous hang guard, not a speed target (bench/ has the figures)
ARTICLE = "Talks in Paris ended early. Officials flew to Berlin and then to Nairobi on Monday.\n"
SQUARE = [[2.0, 48.0], [3.0, 48.0], [3.0, 49.0], [2.0, 49.0], [2.0, 48.0]]


def base_story() -> dict:
    return {
        "title": "A story",
        "source": "a.txt",
        "layers": [{"id": "news", "title": "News", "color": "#1f77b4", "places": ["paris", "berlin"]}],
        "places": [
            {
                "id": "paris",
                "name": "Paris",
                "kind": "region",
                "layer": "news",
                "lat": 48.5,
                "lon": 2.5,
                "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
                "mentions": [{"start": 9, "end": 14, "text": "Paris", "sentence": "Talks in Paris."}],
            },
            {"id": "berlin", "name": "Berlin", "kind": "city", "layer": "news", "lat": 52.5, "lon": 13.4},
        ],
        "chapters": [{"id": "lead", "title": "Lead", "text": ["Talks in Paris."], "places": ["paris"]}],
    }


def base_lexicon() -> dict:
    return {
        "layers": [
            {"id": "diplomacy", "title": "Talks", "color": "#aa3377", "keywords": ["talk*", "officials"]}
        ],
        "fallback": {"id": "other", "title": "Other places", "color": "#666666"},
    }


# --------------------------------------------------------------------------- strategies

CONTROL = st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "Co"])
hostile_text = st.one_of(
    st.text(max_size=12),
    st.text(CONTROL, min_size=1, max_size=6),
    st.sampled_from(
        [
            "paris\n",
            "#fff\n",
            "\x1b[2J\x1b]0;title\x07",
            "</script><script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "\u202eevil",
            "${alert(1)}",
            "x" * 5000,
        ]
    ),
)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -0.0, 2**63, 91, 181, -181]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, hostile_text)
hostile_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)

STORY_PATHS = [
    ("title",),
    ("source",),
    ("standfirst",),
    ("layers", 0, "id"),
    ("layers", 0, "color"),
    ("layers", 0, "title"),
    ("layers", 0, "places"),
    ("layers", 0, "places", 0),
    ("places", 0, "id"),
    ("places", 0, "name"),
    ("places", 0, "kind"),
    ("places", 0, "lat"),
    ("places", 0, "lon"),
    ("places", 0, "layer"),
    ("places", 0, "confidence"),
    ("places", 0, "geometry"),
    ("places", 0, "geometry", "type"),
    ("places", 0, "geometry", "coordinates"),
    ("places", 0, "geometry", "coordinates", 0),
    ("places", 0, "geometry", "coordinates", 0, 1),
    ("places", 0, "geometry", "coordinates", 0, 1, 0),
    ("places", 0, "mentions", 0, "start"),
    ("places", 0, "mentions", 0, "sentence"),
    ("places", 1, "id"),
    ("places", 1, "lat"),
    ("chapters", 0, "id"),
    ("chapters", 0, "text"),
    ("chapters", 0, "places", 0),
    ("chapters",),
]
LEXICON_PATHS = [
    ("layers",),
    ("layers", 0),
    ("layers", 0, "id"),
    ("layers", 0, "title"),
    ("layers", 0, "color"),
    ("layers", 0, "keywords"),
    ("layers", 0, "keywords", 0),
    ("fallback",),
    ("fallback", "id"),
    ("fallback", "color"),
]


def _set(data, path, value):
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


BOMB = (
    'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nlol2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
)


def _wrappers(text: str, cut: int) -> dict[str, str]:
    return {
        "as-is": text,
        "bomb": BOMB + text,
        "deep-flow": text + "deep: " + "[" * 3000 + "]" * 3000 + "\n",
        "deep-block": text + "deep:\n" + "".join(" " * i + "-\n" for i in range(0, 400, 2)),
        "truncated": text[: cut % (len(text) + 1)],
        "duplicate-key": text + text.split("\n", 1)[0] + "\n",
        "tabs": text.replace("  ", "\t"),
    }


@st.composite
def hostile_documents(draw, base, paths):
    data = base()
    for path, value in draw(
        st.lists(st.tuples(st.sampled_from(paths), hostile_values), min_size=1, max_size=3)
    ):
        with contextlib.suppress(KeyError, IndexError, TypeError):
            _set(data, path, value)
    as_json = draw(st.booleans())
    if as_json:
        text = json.dumps(data, allow_nan=True, ensure_ascii=draw(st.booleans()))
        return "story.json", text
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    wrapper = draw(st.sampled_from(sorted(_wrappers("", 0))))
    return "story.yaml", _wrappers(text, draw(st.integers(min_value=0)))[wrapper]


# --------------------------------------------------------------------------- the invariant


class _Hang(Exception):
    pass


@contextlib.contextmanager
def hang_guard(seconds: int = GUARD):
    def fire(signum, frame):
        raise _Hang(f"the run did not end within {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_clean(args: list[str], directory: Path, outputs: tuple[str, ...] = ("out.html",)):
    """Run the CLI in ``directory`` and check the invariant; return the result."""
    before = set(os.listdir(directory))
    old = os.getcwd()
    os.chdir(directory)
    try:
        with hang_guard():
            result = CliRunner().invoke(main, args)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 2), (args, result.exit_code, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        result.exception
    )
    assert "Traceback" not in result.output
    after = set(os.listdir(directory))
    if result.exit_code == 0:
        assert after - before <= set(outputs), after - before
    else:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("storymap: error: "), result.stderr
        assert after == before, after - before
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), repr(result.output)
    return result


def check_page(path: Path) -> None:
    html = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="storymap-data">(.*?)</script>', html, re.S)
    assert block and json.loads(block.group(1))
    assert "<script>alert" not in html and "<img src=x" not in html


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@SETTINGS
@given(hostile_documents(base_story, STORY_PATHS))
def test_hostile_story_files_give_a_map_or_one_line(doc):
    name, text = doc
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / name).write_text(text, encoding="utf-8")
        result = run_clean(["build", name, "-o", "out.html"], directory)
        if result.exit_code == 0:
            check_page(directory / "out.html")


@SETTINGS
@given(hostile_documents(base_lexicon, LEXICON_PATHS))
def test_hostile_lexicons_give_a_map_or_one_line(doc):
    _, text = doc
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "a.txt").write_text(ARTICLE, encoding="utf-8")
        (directory / "lex.yaml").write_text(text, encoding="utf-8")
        result = run_clean(["build", "a.txt", "--layers", "lex.yaml", "-o", "out.html"], directory)
        if result.exit_code == 0:
            check_page(directory / "out.html")


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(hostile_text, st.text(max_size=40)), st.sampled_from(["--aspect", "--height", "--title", "url"])
)
def test_hostile_embed_options_give_a_snippet_or_an_error(value, option):
    args = (
        ["embed", "--", value]
        if option == "url"
        else ["embed", f"{option}={value}", "https://example.org/m.html"]
    )
    with hang_guard():
        result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 2), (result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    if result.exit_code == 0:
        assert "<script>alert" not in result.stdout and "<img" not in result.stdout
        assert result.stdout.count("<iframe") == 1


@settings(max_examples=40, deadline=None)
@given(st.one_of(hostile_text, st.text(max_size=40)), st.sampled_from(["--tiles", "--output"]))
def test_hostile_build_options_give_a_map_or_one_line(value, option):
    if option == "--output" and ("/" in value or value in ("", "-")):
        value = "out.html"  # paths outside the test directory, and stdout, have their own tests
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "a.txt").write_text(ARTICLE, encoding="utf-8")
        if option == "--tiles":
            args, outputs = ["build", "a.txt", f"--tiles={value}", "-o", "out.html"], ("out.html",)
        else:
            args, outputs = ["build", "a.txt", f"--output={value}"], (value,)
        result = run_clean(args, directory, outputs)
        if result.exit_code == 0:
            check_page(directory / outputs[0])
        assert (directory / "a.txt").read_text(encoding="utf-8") == ARTICLE


# --------------------------------------------------------------------------- the repros


def _story_with_geometry(geometry: str) -> str:
    return (
        "title: T\nlayers:\n- {id: a, title: A}\nplaces:\n"
        f"- {{id: zone, name: Zone, kind: region, layer: a, lat: 1, lon: 1, geometry: {geometry}}}\n"
    )


HANGS = [
    "{type: Polygon, coordinates: x}",
    '{type: Polygon, coordinates: "abc"}',
    '{type: Polygon, coordinates: [[["a", "b"]]]}',
]
BAD_COORDINATES = [
    "{type: Polygon, coordinates: 5}",
    "{type: Polygon, coordinates: {a: 1}}",
    "{type: Polygon}",
    "{type: Polygon, coordinates: null}",
    "{type: Polygon, coordinates: [[[1]]]}",
    "{type: Polygon, coordinates: [[[.nan, 1], [2, 2], [3, 1], [.nan, 1]]]}",
    "{type: Polygon, coordinates: [[[.inf, 1], [2, 2], [3, 1], [1, 1]]]}",
    "{type: Polygon, coordinates: [[[1, 1], [2, x], [3, 1], [1, 1]]]}",
    "{type: Polygon, coordinates: []}",
    "{type: Polygon, coordinates: [[]]}",
    "{type: Polygon, coordinates: [[[0, 0], [1, 1], [2, 2], [0, 0]]]}",
    "{type: Polygon, coordinates: [[[0, 0], [500, 1], [1, 0], [0, 0]]]}",
    "{type: MultiPolygon, coordinates: [[[0, 0], [1, 1], [1, 0], [0, 0]]]}",
]


@pytest.mark.parametrize("geometry", HANGS + BAD_COORDINATES)
def test_bad_geometry_is_refused_with_file_line_and_field(tmp_path, geometry):
    (tmp_path / "s.yaml").write_text(_story_with_geometry(geometry), encoding="utf-8")
    result = run_clean(["build", "s.yaml", "-o", "out.html"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("storymap: error: s.yaml: line 5: places[0].geometry: ")


@pytest.mark.parametrize(
    "geometry",
    [
        "{type: Polygon, coordinates: [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}",  # a bow tie: repaired
        "{type: Polygon, coordinates: [[[0, 0], [1, 0], [1, 1]]]}",  # not closed: closed
        "{type: Polygon, coordinates: [[[0, 0, 9], [1, 0, 9], [1, 1, 9], [0, 0, 9]]]}",  # 3D: flattened
    ],
)
def test_repairable_geometry_gives_a_valid_map(tmp_path, geometry):
    from shapely.geometry import shape

    (tmp_path / "s.yaml").write_text(_story_with_geometry(geometry), encoding="utf-8")
    assert run_clean(["build", "s.yaml", "-o", "out.html"], tmp_path).exit_code == 0
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="storymap-data">(.*?)</script>', html, re.S)
    place = json.loads(block.group(1))["places"][0]
    assert shape(place["geometry"]).is_valid


@pytest.mark.parametrize(
    ("yaml_line", "problem"),
    [
        ('layers: [{id: a, title: A, color: "#fff\\n"}]', "layers[0].color: expected a hex colour"),
        ('places: [{id: "paris\\n", name: P, kind: city, lat: 1, lon: 2}]', "places[0].id: expected an id"),
    ],
)
def test_trailing_newlines_do_not_pass(tmp_path, yaml_line, problem):
    (tmp_path / "s.yaml").write_text(f"title: T\n{yaml_line}\n", encoding="utf-8")
    result = run_clean(["build", "s.yaml", "-o", "out.html"], tmp_path)
    assert result.exit_code == 2 and problem in result.stderr


def test_a_billion_laughs_lexicon_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    bomb = (
        BOMB + "lol3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nlayers: [{id: x, title: X, keywords: [*c,*c,*c,*c]}]\n"
    )
    (tmp_path / "lex.yaml").write_text(bomb, encoding="utf-8")
    result = run_clean(["build", "a.txt", "--layers", "lex.yaml", "-o", "out.html"], tmp_path)
    assert result.exit_code == 2 and "anchors and aliases" in result.stderr


def test_a_lexicon_nested_5000_deep_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "lex.yaml").write_text("layers: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    result = run_clean(["build", "a.txt", "--layers", "lex.yaml", "-o", "out.html"], tmp_path)
    assert result.exit_code == 2 and "nested more than 100 levels deep" in result.stderr


def test_script_in_a_tile_url_never_reaches_the_page(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for url in (
        "https://<img src=x onerror=alert(1)>/{z}/{x}/{y}.png",
        "https://<img/src=x/onerror=alert(1)>/{z}/{x}/{y}",
    ):
        result = run_clean(["build", "a.txt", "--tiles", url, "-o", "out.html"], tmp_path)
        assert result.exit_code == 2 and result.stderr.startswith("storymap: error: --tiles: ")
    url = "https://tiles.example.org/<b>/{z}/{x}/{y}.png?a=\"'"
    assert run_clean(["build", "a.txt", "--tiles", url, "-o", "out.html"], tmp_path).exit_code == 0
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "https://tiles.example.org/%3Cb%3E/{z}/{x}/{y}.png?a=%22%27" in html
    assert "<b>" not in html


@pytest.mark.parametrize("command", ["build", "extract"])
def test_output_onto_the_input_is_refused(tmp_path, command):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    os.link(tmp_path / "a.txt", tmp_path / "hard.txt")
    for target in ("a.txt", "./a.txt", "link.txt", "hard.txt", str(tmp_path / "a.txt")):
        result = run_clean([command, "a.txt", "-o", target], tmp_path)
        assert result.exit_code == 2 and "is the input file" in result.stderr
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == ARTICLE


def test_a_story_file_and_a_lexicon_are_inputs_too(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "lex.yaml").write_text(yaml.safe_dump(base_lexicon()), encoding="utf-8")
    assert run_clean(["extract", "a.txt", "-o", "s.yaml"], tmp_path, ("s.yaml",)).exit_code == 0
    story = (tmp_path / "s.yaml").read_bytes()
    assert run_clean(["build", "s.yaml", "-o", "s.yaml"], tmp_path).exit_code == 2
    assert run_clean(["build", "a.txt", "--layers", "lex.yaml", "-o", "lex.yaml"], tmp_path).exit_code == 2
    assert (tmp_path / "s.yaml").read_bytes() == story


def test_building_the_default_output_itself_is_refused(tmp_path):
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "article.html").write_text("<p>Talks in Paris.</p>", encoding="utf-8")
    result = run_clean(["build", "output/article.html"], tmp_path)
    assert result.exit_code == 2 and "is the input file" in result.stderr
    assert (tmp_path / "output" / "article.html").read_text(encoding="utf-8") == "<p>Talks in Paris.</p>"


def test_devices_fifos_and_directories_are_never_replaced(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    for target, kind in (("fifo", "a FIFO"), ("dir", "a directory"), ("/dev/zero", "a device")):
        result = run_clean(["build", "a.txt", "-o", target], tmp_path)
        assert result.exit_code == 2 and kind in result.stderr, result.stderr
    assert Path("/dev/zero").is_char_device() and (tmp_path / "fifo").is_fifo()


def test_dev_null_discards_the_map_and_stays_a_device(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert run_clean(["build", "a.txt", "-o", os.devnull], tmp_path).exit_code == 0
    assert Path(os.devnull).is_char_device()


def test_a_fifo_as_input_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "in.txt")
    result = run_clean(["build", "in.txt", "-o", "out.html"], tmp_path)
    assert result.exit_code == 2 and "is a FIFO" in result.stderr


def test_a_300_character_output_name_is_a_clean_error(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run_clean(["build", "a.txt", "-o", "x" * 300 + ".html"], tmp_path)
    assert result.exit_code == 2 and "file name too long" in result.stderr


def test_control_characters_reach_the_terminal_escaped(tmp_path):
    story = {"title": "\x1b]0;pwned\x07T", "source": "\x1b[2J\x9b31m.txt", "places": [], "layers": []}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(story), encoding="utf-8")
    result = run_clean(["build", "s.yaml", "-o", "out.html"], tmp_path)
    assert result.exit_code == 0
    assert "\\x1b[2J\\x9b31m.txt: no places found" in result.stderr
    (tmp_path / "a\x1b[2J.txt").write_text("Talks in \u202eParis.\n", encoding="utf-8")
    result = run_clean(["places", "a\x1b[2J.txt"], tmp_path)
    assert result.stdout.startswith("a\\x1b[2J.txt: 1 mentions")
    result = run_clean(["places", "--json", "a\x1b[2J.txt"], tmp_path)
    assert json.loads(result.stdout)["file"] == "a\x1b[2J.txt"


def test_printable_escapes_what_a_terminal_acts_on():
    assert printable("a\x1b[2Jb\x07\x9b\u202e\u2028\t\n") == "a\\x1b[2Jb\\x07\\x9b\\u202e\\u2028\\x09\\x0a"
    assert printable("Bogotá — 東京") == "Bogotá — 東京"
    assert (
        json.loads(printable(json.dumps("\x1b\x9b\u202e", ensure_ascii=False), json_escapes=True))
        == "\x1b\x9b\u202e"
    )


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--aspect", "99999999999999999999:1"], "--aspect: expected a ratio between 10:1 and 1:10"),
        (["--aspect", "16:9\n"], "--aspect: expected a ratio W:H"),
        (["--height", "1e23"], "'1e23' is not a valid integer"),
        (["--height", "100000"], "100000 is not in the range 100<=x<=10000"),
    ],
)
def test_embed_options_are_bounded(args, problem):
    result = CliRunner().invoke(main, ["embed", "https://example.org/m.html", *args])
    assert result.exit_code == 2 and problem in result.stderr


# --------------------------------------------------------------------------- real processes


def test_dash_o_dash_writes_the_map_to_standard_output(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run_clean(["build", "a.txt", "-o", "-"], tmp_path, outputs=())
    assert result.exit_code == 0 and "Wrote <stdout>" in result.stderr
    assert run_clean(["build", "a.txt", "-o", "map.html"], tmp_path, ("map.html",)).exit_code == 0
    assert result.stdout_bytes == (tmp_path / "map.html").read_bytes()  # the same page, byte for byte
    result = run_clean(["extract", "a.txt", "-o", "-"], tmp_path, outputs=())
    assert result.exit_code == 0 and result.stdout.startswith("# storymap story file")
    assert "storymap build <this file>" in result.stdout


def test_kill_9_during_a_build_keeps_the_old_map_and_the_next_run_cleans_up(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "out.html").write_text("old map", encoding="utf-8")
    # Stop the writer right after its temporary file is written, as kill -9 would.
    script = (
        "import os, signal, sys\n"
        "import storymap.files as f\n"
        "real = f.os.replace\n"
        "def die(a, b):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "f.os.replace = die\n"
        "from storymap.cli import main\n"
        "sys.exit(main(['build', 'a.txt', '-o', 'out.html']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, timeout=GUARD
    )
    assert done.returncode == -signal.SIGKILL
    leftovers = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".out.html.storymap-")  # recognisable
    assert (tmp_path / "out.html").read_text(encoding="utf-8") == "old map"
    assert run_clean(["build", "a.txt", "-o", "out.html"], tmp_path).exit_code == 0  # cleans up
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "out.html"]
    assert (tmp_path / "out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --------------------------------------------------------------------------- bounded resources


def test_a_place_named_over_and_over_is_quoted_up_to_the_cap(tmp_path, monkeypatch):
    from storymap import places

    monkeypatch.setattr(places, "MAX_MENTIONS_PER_PLACE", 20)
    (tmp_path / "a.txt").write_text("Talks in Paris. " * 30 + "Then Berlin.\n", encoding="utf-8")
    result = run_clean(["build", "a.txt", "-o", "out.html"], tmp_path)
    assert result.exit_code == 0
    warning = "storymap: warning: a.txt: Paris: 30 mentions, the map quotes and links the first 20"
    assert warning in result.stderr
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="storymap-data">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    counts = {p["name"]: len(p["mentions"]) for p in data["places"]}
    assert counts == {"Paris": 20, "Berlin": 1}


def test_a_huge_sentence_is_quoted_around_the_mention():
    from storymap import pipeline, places

    text = "word " * 2000 + "Nairobi " + "word " * 2000 + "."
    story = pipeline.story_from_text(text, "txt", "a.txt")
    (quote,) = story.place("nairobi").mentions
    assert "Nairobi" in quote.sentence and len(quote.sentence) <= places.MAX_QUOTE
    assert quote.sentence in text  # a piece of the article, as it is


def test_places_beyond_the_cap_keep_the_most_mentioned(monkeypatch):
    from storymap import pipeline, places

    monkeypatch.setattr(places, "MAX_PLACES", 2)
    text = "Talks in Lima. Then Oslo and Oslo. Then Cairo, Cairo and Cairo.\n"
    assert [p.name for p in pipeline.story_from_text(text, "txt", "a.txt").places] == ["Oslo", "Cairo"]
    notes: list[str] = []
    from storymap.article import parse_article
    from storymap.geoparse import find_mentions

    article = parse_article(text, "txt", "a.txt")
    kept = places.group_places(article, find_mentions(article.text), notes)
    assert [p.name for p in kept] == ["Oslo", "Cairo"] and notes == [
        "3 places, the map shows the 2 mentioned most"
    ]
