"""The ``storymap`` command: a thin layer over ``storymap.pipeline``.

Each command parses its arguments, calls one library function and turns a
``StorymapError`` into one line on stderr and its exit code (2 for bad input or
usage, 1 for anything else).  ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import gc
import importlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from storymap.errors import StorymapError

if TYPE_CHECKING:  # the pipeline pulls in folium and the gazetteer: each command imports what it needs
    from storymap import pipeline
    from storymap.model import Mention

#: Characters a terminal may act on: C0 and C1 controls (escape sequences), DEL, line and paragraph
#: separators, and the bidirectional overrides that reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class _PathArgument(click.ParamType):
    """A file path taken as given: ``storymap.files`` checks it and reports problems on one line."""

    name = "path"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        return value if isinstance(value, Path) else Path(value)


INPUT = OUTPUT = _PathArgument()
#: Files or http(s) URLs (a URL is no path: it is passed on as it is).
SOURCE = click.STRING
#: ``pipeline.EXPORT_FORMATS``, spelled out so that ``storymap --help`` need not import the pipeline
#: (tests/test_batch.py checks that the two agree).
EXPORT_FORMATS = ("geojson", "gpkg", "csv", "parquet", "png", "svg")
#: ``storymap.embed.MAX_HEIGHT`` (embed imports the renderer), checked equal by the same test.
MAX_HEIGHT = 10_000
TITLE_HELP = "Title of the map, instead of the article's headline (or the title derived from its lead)."


def run() -> None:
    """The ``storymap`` program (console script and ``python -m storymap``): one command, then exit.

    The cyclic garbage collector is paused while the command's modules are imported (and the data it
    keeps loaded, such as the gazetteer of ``storymap places``) and what they made is frozen
    (``gc.freeze``) before the command runs: module objects live until the process ends, and the full
    collections that would walk them again and again meanwhile (a tenth of a seed build) free nothing.
    What the command made is frozen too once it is done, so that the collections of the interpreter's
    shutdown do not walk it either (a twentieth of ``storymap places``): the process ends there.
    ``main`` itself (tests, ``CliRunner``) leaves the collector alone.
    """
    global _PAUSED
    if gc.isenabled():
        gc.disable()
        _PAUSED = True
    try:
        main()
    finally:
        _resume()
        gc.freeze()


#: Whether ``run`` paused the collector and the command has not resumed it yet.
_PAUSED = False


def _resume() -> None:
    global _PAUSED
    if _PAUSED:
        _PAUSED = False
        gc.freeze()
        gc.enable()


def _clean_errors(
    command: Callable[..., Any] | None = None, *, needs: tuple[str, ...] = (), keeps: tuple[str, ...] = ()
) -> Callable[..., Any]:
    """Report storymap's own errors (and unexpected ones) as one line, not a traceback.

    ``needs`` names the modules the command imports, ``keeps`` the functions (``"module:name"``) that
    load what it keeps until the process ends, called before the collector resumes (see ``run``).
    """
    if command is None:
        return functools.partial(_clean_errors, needs=needs, keeps=keeps)

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = (ctx.find_root().obj or {}).get("debug", False)
        try:
            if _PAUSED:
                for name in needs:
                    importlib.import_module(name)
                for target in keeps:
                    module, _, function = target.partition(":")
                    getattr(importlib.import_module(module), function)()
            _resume()
            return command(*args, **kwargs)
        except StorymapError as exc:
            if debug:
                raise
            click.echo(f"storymap: error: {printable(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # an escaped bug still gets one line; --debug shows where
            if debug:
                raise
            click.echo(
                printable(f"storymap: internal error: {type(exc).__name__}: {exc} (rerun with --debug)"),
                err=True,
            )
            ctx.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="storymap")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn a news article into an interactive, layered, offline story map."""
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("source", required=False, type=SOURCE)
@click.option(
    "-o",
    "--output",
    type=OUTPUT,
    help="HTML file to write [output/NAME.html]; - for standard output.",
)
@click.option("--title", help=TITLE_HELP)
@click.option("--tiles", metavar="NAME|URL", help="Add online tiles: an xyzservices name or a URL template.")
@click.option("--embed", is_flag=True, help="Compact layout for small iframes.")
@click.option(
    "--layers", "lexicon", type=INPUT, help="A layer lexicon YAML file (see storymap/data/layers.yaml)."
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the page will be published: writes NAME.png beside it for og:image/twitter:image.",
)
@click.option("--geojson", is_flag=True, help="Also write the places as NAME.geojson beside the map.")
@_clean_errors(needs=("storymap.pipeline", "storymap.render", "storymap.export.raster"))
def build(
    source: str | None,
    output: Path | None,
    title: str | None,
    tiles: str | None,
    embed: bool,
    lexicon: Path | None,
    base_url: str | None,
    geojson: bool,
) -> None:
    """Build the map of SOURCE: an article (.txt, .md, .html), a story file (.yaml, .json)
    or the http(s) URL of a web page.

    Without SOURCE, builds the bundled example article.
    """
    from storymap import pipeline

    if source is None:
        click.echo(f"No input given: building the bundled example ({pipeline.EXAMPLE}).", err=True)
    result = pipeline.build(
        _source(source),
        output,
        tiles=tiles,
        embed=embed,
        lexicon=lexicon,
        title=title,
        base_url=base_url,
        geojson=geojson,
    )
    _report(result)


@main.command()
@click.argument("source", type=SOURCE)
@click.option(
    "--to",
    "fmt",
    type=click.Choice(EXPORT_FORMATS, case_sensitive=False),
    help="Format [from the suffix of -o].",
)
@click.option("-o", "--output", type=OUTPUT, help="File to write [output/NAME.FORMAT].")
@click.option("--chapter", type=click.IntRange(min=1), help="Image of chapter N instead of the overview.")
@click.option("--width", type=click.IntRange(200, 6000), help="Image width in pixels [1200].")
@click.option("--title", help=TITLE_HELP)
@click.option("--layers", "lexicon", type=INPUT, help="A layer lexicon YAML file.")
@_clean_errors(needs=("storymap.pipeline",))
def export(
    source: str,
    fmt: str | None,
    output: Path | None,
    chapter: int | None,
    width: int | None,
    title: str | None,
    lexicon: Path | None,
) -> None:
    """Export the places of SOURCE (article, story file or http(s) URL) as GIS data or a still image.

    geojson (RFC 7946), gpkg (layers places and mentions), csv (lat/lon and WKT), parquet
    (GeoParquet), png or svg (the map with title, legend and credit; --chapter N, --width PX).
    """
    from storymap import pipeline

    result = pipeline.export(
        _source(source), output, to=fmt, chapter=chapter, width=width, lexicon=lexicon, title=title
    )
    _report(result)


@main.command()
@click.argument("source", type=SOURCE)
@click.option(
    "-o",
    "--output",
    type=OUTPUT,
    help="Story file to write [output/NAME.yaml]; - for standard output.",
)
@click.option("--title", help=TITLE_HELP)
@click.option("--layers", "lexicon", type=INPUT, help="A layer lexicon YAML file.")
@_clean_errors(needs=("storymap.pipeline",))
def extract(source: str, output: Path | None, title: str | None, lexicon: Path | None) -> None:
    """Write the editable story file of SOURCE (a file or an http(s) URL); edit it, then
    `storymap build story.yaml`."""
    from storymap import pipeline

    _report(pipeline.extract(_source(source), output, lexicon=lexicon, title=title))


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per input file.")
@_clean_errors(needs=("storymap.reading",), keeps=("storymap.geoparse.gazetteer:gazetteer",))
def places(files: tuple[str, ...], as_json: bool) -> None:
    """List the places found in each FILE ('-' reads standard input; an http(s) URL fetches the page)."""
    from storymap.reading import find_places  # the geoparser alone: no story types, no map

    for name in files:
        text, mentions = find_places(name, outlines=as_json)  # the table shows no outlines
        if as_json:
            record = {"file": name, "mentions": [_mention_json(m) for m in mentions]}
            click.echo(printable(json.dumps(record, ensure_ascii=False, sort_keys=True), json_escapes=True))
        else:
            click.echo(_table(name, mentions))


@main.command()
@click.argument("url")
@click.option("--height", type=click.IntRange(min=100, max=MAX_HEIGHT), help="Fixed iframe height in pixels.")
@click.option("--aspect", metavar="W:H", help="Responsive aspect ratio, e.g. 16:9.")
@click.option("--title", help="The iframe's title (for screen readers) [the story's title, or 'Story map'].")
@click.option(
    "--story",
    "source",
    type=SOURCE,
    help="The article, story file or URL of the map: describes the map to screen readers (alt text).",
)
@_clean_errors
def embed(url: str, height: int | None, aspect: str | None, title: str | None, source: str | None) -> None:
    """Print a responsive iframe snippet that embeds the map published at URL."""
    if height is not None and aspect is not None:
        raise click.UsageError("give --height or --aspect, not both")
    from storymap.embed import embed_snippet

    description = ""
    if source is not None:
        from storymap import pipeline

        story = pipeline.load(_source(source))
        description = story.alt_text()
        title = title if title is not None else f"Map: {story.title}"
    snippet = embed_snippet(
        url, height=height, aspect=aspect, title=title or "Story map", description=description
    )
    click.echo(snippet)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "site",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the site: index.html, corpus.html, maps/, mentions.parquet.",
)
@click.option("--jobs", type=click.IntRange(min=1), help="Local worker processes [all cores].")
@click.option("--dask", metavar="local|tcp://HOST:PORT", help="Run on a Dask cluster (needs storymap[dask]).")
@click.option("--layers", "lexicon", type=INPUT, help="A layer lexicon YAML file.")
@click.option("--tiles", metavar="NAME|URL", help="Add online tiles to each article's map.")
@click.option(
    "--still", is_flag=True, help="Inline each map's still image (no-script readers, print); slower."
)
@_clean_errors
def batch(
    inputs: tuple[str, ...],
    site: Path,
    jobs: int | None,
    dask: str | None,
    lexicon: Path | None,
    tiles: str | None,
    still: bool,
) -> None:
    """Map every article of INPUTS (files, folders, globs, .jsonl/.csv/.parquet tables, .urls lists)
    into the site folder: one map per article, an index page, a corpus map and mentions.parquet.

    Unchanged articles are skipped on a rerun. Exit code 0 when every article was mapped,
    1 when some failed (listed in SITE/failures.csv), 2 for bad usage or input.
    """
    from storymap.batch import run_batch

    report = run_batch(inputs, site, jobs=jobs, dask=dask, lexicon=lexicon, tiles=tiles, still=still)
    click.echo(report.summary())
    if report.failures:
        click.echo(f"storymap: {len(report.failures)} failed, see {report.site / 'failures.csv'}", err=True)
        click.get_current_context().exit(1)


def printable(text: str, json_escapes: bool = False) -> str:
    """``text`` fit for a terminal: control characters shown escaped (``\\x1b``, ``\\u202e``).

    With ``json_escapes`` they become ``\\uXXXX``, which leaves a JSON line valid and equal.
    """

    def escape(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\u{code:04x}" if json_escapes or code > 0xFF else f"\\x{code:02x}"

    return _UNPRINTABLE.sub(escape, text)


def _source(source: str | None) -> str | Path | None:
    """A URL stays a string; anything else is a path."""
    from storymap.fetch import is_url  # with its dataclass: not imported by `storymap --help`

    if source is None or is_url(source):
        return source
    return Path(source)


def _report(result: pipeline.Result) -> None:
    to_stderr = result.path is None  # `-o -`: standard output carries the page itself
    for warning in result.warnings:
        click.echo(f"storymap: warning: {printable(warning)}", err=True)
    click.echo(f"Wrote {printable(str(result.path or '<stdout>'))}", err=to_stderr)
    for path in result.also:
        click.echo(f"Wrote {printable(str(path))}", err=to_stderr)
    click.echo(printable(result.summary()), err=to_stderr)


def _mention_json(m: Mention) -> dict[str, Any]:
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "name": m.name,
        "kind": m.kind,
        "lat": m.lat,
        "lon": m.lon,
        "country": m.country,
        "confidence": m.confidence,
        "geometry": m.geometry if m.kind in ("country", "admin", "water", "region") else None,
    }


def _table(name: str, mentions: list[Mention]) -> str:
    rows = [("START", "TEXT", "PLACE", "KIND", "CC", "LAT", "LON", "CONF")]
    for m in mentions:
        flag = " ?" if m.confidence < 0.5 else ""
        rows.append(
            (
                str(m.start),
                printable(m.text),
                printable(m.name),
                m.kind,
                printable(m.country),
                f"{m.lat:.3f}",
                f"{m.lon:.3f}",
                f"{m.confidence:.2f}{flag}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"{printable(name)}: {len(mentions)} mentions ('?' marks low confidence, to review)"]
    lines += [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
