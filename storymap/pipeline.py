"""The one path from an article (or an edited story file) to a map.

``story_from_text`` and ``render`` are pure; ``build``, ``extract`` and
``find_places`` are the I/O edge: they read inputs and write outputs through
``storymap.files`` and are what the CLI (and a notebook) calls.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Unpack
from urllib.parse import quote, urljoin, urlsplit

from storymap import files
from storymap.article import parse_article
from storymap.chapters import cap_text, make_chapters, standfirst
from storymap.errors import InputError
from storymap.fetch import is_url
from storymap.geoparse import find_mentions, unresolved_names
from storymap.layers import Lexicon, assign_layers, load_lexicon
from storymap.model import Story
from storymap.places import group_places
from storymap.reading import find_places as find_places  # re-exported: the API of the pipeline
from storymap.reading import read_url
from storymap.resources import data_dir

if TYPE_CHECKING:
    from storymap.render.map import PageOptions

EXAMPLE = "us-colombia-white-house.txt"
OUTPUT_DIR = Path("output")

Source = str | Path | Story | None
LexiconArg = str | Path | Lexicon | None


@dataclass
class Result:
    """What a build produced: the story, the HTML (or YAML) text and where it was written."""

    story: Story
    text: str
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    #: Names used like places that the geoparser left off the map (articles only).
    unresolved: list[str] = field(default_factory=list)
    #: Other files written beside ``path`` (the still image, the GeoJSON).
    also: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: places, layers, chapters and what needs an editor's eye."""
        story = self.story
        review = [p.name for p in story.places if p.review]
        parts = [
            f"{_count(story.places, 'place')} in {_count(story.layers, 'layer')}, "
            f"{_count(story.chapters, 'chapter')}",
            f"{_count(self.unresolved, 'name')} left unresolved" + _listed(self.unresolved),
            f"{len(review)} to review" + _listed(review),
        ]
        return "; ".join(parts)

    def _repr_html_(self) -> str:
        """Show the map inline in Jupyter (an iframe around the self-contained page)."""
        if not self.text.lstrip().startswith("<!DOCTYPE html"):
            return f"<pre>{html_lib.escape(self.text)}</pre>"
        return (
            '<iframe style="width:100%;height:600px;border:0" '
            f'title="{html_lib.escape(self.story.title)}" srcdoc="{html_lib.escape(self.text)}"></iframe>'
        )


def story_from_text(text: str, fmt: str = "txt", source: str = "", lexicon: Lexicon | None = None) -> Story:
    """Article text -> mentions -> places -> layers and chapters -> ``Story`` (pure)."""
    return _analyse(text, fmt, source, lexicon)[0]


def _analyse(
    text: str, fmt: str, source: str, lexicon: Lexicon | None, page_url: str = ""
) -> tuple[Story, list[str], list[str]]:
    """The story of an article, the place-like names it could not put on the map, and what a cap cut."""
    article = parse_article(text, fmt, source)
    mentions = find_mentions(article.text)
    notes: list[str] = []
    places = group_places(article, mentions, notes)
    places, layers = assign_layers(places, lexicon, article.text)
    story = Story(
        title=article.title,
        standfirst=standfirst(article),
        source=source if is_url(source) else Path(source).name if source else "",
        site=article.site,
        byline=article.byline,
        date=article.date,
        url=article.url or page_url,
        layers=layers,
        places=places,
        chapters=cap_text(make_chapters(article, places), notes),
    )
    return story, unresolved_names(article.text, mentions), [f"{source or 'article'}: {n}" for n in notes]


def sync_layers(story: Story) -> Story:
    """Make each layer's ``places`` agree with the places' ``layer`` fields.

    In an edited story file the place's ``layer:`` is the truth; a place without
    one keeps the layer that lists it.
    """
    listed = {pid: layer.id for layer in story.layers for pid in layer.places}
    places = [p if p.layer else p.model_copy(update={"layer": listed.get(p.id, "")}) for p in story.places]
    layers = [
        layer.model_copy(update={"places": [p.id for p in places if p.layer == layer.id]})
        for layer in story.layers
    ]
    return story.model_copy(update={"places": places, "layers": layers})


def render(story: Story, **options: Unpack[PageOptions]) -> str:
    """A ``Story`` as one self-contained HTML page (pure; options: ``render.map.PageOptions``)."""
    from storymap.render import render_html  # folium: only for the commands that draw a map

    return render_html(sync_layers(story), **options)


def load(source: Source = None, lexicon: LexiconArg = None) -> Story:
    """Read an article or a story file (or take a ``Story``) and return the story."""
    return _load(source, lexicon)[0]


def _load(
    source: Source, lexicon: LexiconArg, title: str | None = None
) -> tuple[Story, list[str], list[str]]:
    story, unresolved, notes = _read_story(source, lexicon)
    if title is not None:
        title = " ".join(title.split())
        if not title:
            raise InputError("--title", "expected a title, got an empty one")
        story = story.model_copy(update={"title": title})
    return story, unresolved, notes


def _read_story(source: Source, lexicon: LexiconArg) -> tuple[Story, list[str], list[str]]:
    if isinstance(source, Story):
        return source, [], []
    path = example_path() if source is None else source
    if is_url(path):
        text, fmt, final = read_url(str(path))
        return _analyse(text, fmt, str(path), _lexicon(lexicon), page_url=final)
    if files.is_story_file(path):
        from storymap.storyfile import load_story  # PyYAML: only for story files

        return load_story(files.read_text(path), str(path)), [], []
    text, fmt = files.read_article(path)
    return _analyse(text, fmt, str(path), _lexicon(lexicon))


def build(
    source: Source = None,
    output: str | Path | None = None,
    *,
    tiles: str | None = None,
    embed: bool = False,
    lexicon: LexiconArg = None,
    title: str | None = None,
    write: bool = True,
    base_url: str | None = None,
    geojson: bool = False,
    still: bool = True,
) -> Result:
    """Build the map of an article or story file and write it to ``output``.

    ``source`` is a path to an article (.txt, .md, .html), a story file (.yaml,
    .json), an http(s) URL of a web page, a ``Story``, or None for the bundled example.
    ``output`` defaults to ``output/<name>.html``; ``title`` replaces the story's title.
    With ``write=False`` nothing touches the disk.
    ``base_url`` is where the page will be published: the still image is written beside
    the page (``<name>.png``) and named in the page's ``og:image``/``twitter:image`` tags.
    ``geojson`` also writes the places as ``<name>.geojson``; ``still=False`` leaves the
    inlined still image (the no-script and print fallback) out of the page.
    """
    story, unresolved, notes = _load(source, lexicon, title)
    image_url = page_url = None
    if base_url is not None:
        from storymap.render.still import check_base_url

        base = check_base_url(base_url)
        name = Path(output or _default_output(source, ".html"))
        image_url = urljoin(base, quote(name.stem + ".png"))
        page_url = urljoin(base, quote(name.name))
    html = render(story, tiles=tiles, embed=embed, still=still, image_url=image_url, page_url=page_url)
    result = Result(story=story, text=html, warnings=notes + _warnings(story), unresolved=unresolved)
    if write:
        target = Path(output or _default_output(source, ".html"))
        synced = sync_layers(story)
        if base_url is not None:
            from storymap.export.image import render_image
            from storymap.render.still import CARD_WIDTH

            png = render_image(synced, "png", width=CARD_WIDTH)
            result.also.append(_write(target.with_suffix(".png"), png, source, lexicon))
        if geojson:
            from storymap.export.formats import geojson_bytes

            result.also.append(_write(target.with_suffix(".geojson"), geojson_bytes(synced), source, lexicon))
        result.path = _write(target, html, source, lexicon)
    return result


def export(
    source: Source,
    output: str | Path | None = None,
    *,
    to: str | None = None,
    chapter: int | None = None,
    width: int | None = None,
    lexicon: LexiconArg = None,
    title: str | None = None,
) -> Result:
    """Write the places of an article or story file as data or as a still image.

    ``to`` is one of ``EXPORT_FORMATS`` (default: from the suffix of ``output``):
    GeoJSON, GeoPackage (layers ``places`` and ``mentions``), CSV (with lat/lon and WKT),
    GeoParquet, or a PNG/SVG image of the overview or of chapter ``chapter`` (1-based),
    ``width`` pixels wide. ``output`` defaults to ``output/<name>.<suffix>``; ``title``
    replaces the story's title. ``source`` is anything ``build`` reads.
    """
    fmt = _export_format(to, output)
    image = fmt in ("png", "svg")
    if not image and (chapter is not None or width is not None):
        raise InputError("--chapter/--width", f"apply to --to png or svg only, not to --to {fmt}")
    story, unresolved, notes = _load(source, lexicon, title)
    story = sync_layers(story)
    if image:
        from storymap.export.image import DEFAULT_WIDTH, render_image

        data = render_image(story, fmt, chapter=chapter, width=width or DEFAULT_WIDTH)
    else:
        from storymap.export.formats import export_bytes

        data = export_bytes(story, fmt)
    suffix = ("" if chapter is None else f"-chapter-{chapter}") + "." + fmt
    target = output or _default_output(source, suffix)
    path = _write(target, data, source, lexicon)
    warnings = notes + _warnings(story)
    return Result(story=story, text="", path=path, warnings=warnings, unresolved=unresolved)


EXPORT_FORMATS = ("geojson", "gpkg", "csv", "parquet", "png", "svg")
_SUFFIX_FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".csv": "csv",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".png": "png",
    ".svg": "svg",
}


def _export_format(to: str | None, output: str | Path | None) -> str:
    if to is not None:
        fmt = to.lower()
        if fmt not in EXPORT_FORMATS:
            raise InputError("--to", f"expected one of {', '.join(EXPORT_FORMATS)}, got {to!r}")
        return fmt
    suffix = Path(str(output)).suffix.lower() if output is not None else ""
    if suffix in _SUFFIX_FORMATS:
        return _SUFFIX_FORMATS[suffix]
    raise InputError("--to", f"expected a format ({', '.join(EXPORT_FORMATS)}) or an -o file with its suffix")


def extract(
    source: Source, output: str | Path | None = None, *, lexicon: LexiconArg = None, title: str | None = None
) -> Result:
    """Write the editable story file (YAML) of an article or URL; ``storymap build`` renders it."""
    from storymap.storyfile import dump_story

    story, unresolved, notes = _load(source, lexicon, title)
    target = Path(output or _default_output(source, ".yaml"))
    text = dump_story(story, source="<this file>" if files.is_stdout(output) else str(target))
    path = _write(output or target, text, source, lexicon)
    warnings = notes + _warnings(story)
    return Result(story=story, text=text, path=path, warnings=warnings, unresolved=unresolved)


def _write(output: str | Path, text: str | bytes, source: Source, lexicon: LexiconArg) -> Path | None:
    """Write ``text`` to ``output`` (``-``: standard output, and None is returned), never over an input."""
    if files.is_stdout(output):
        files.write_stdout(text)
        return None
    inputs = tuple(x for x in (source, lexicon) if isinstance(x, str | Path) and not is_url(x))
    if source is None:
        inputs += (example_path(),)
    return files.write_atomic(output, text, inputs=inputs)


def example_path() -> Path:
    """The bundled example article."""
    return data_dir("examples") / EXAMPLE


def _lexicon(lexicon: LexiconArg) -> Lexicon | None:
    if lexicon is None or isinstance(lexicon, Lexicon):
        return lexicon
    return load_lexicon(files.read_text(lexicon), str(lexicon))


def _default_output(source: Source, suffix: str) -> Path:
    if isinstance(source, Story):
        raise InputError("output", "expected an output path when building from a Story object")
    if is_url(source):
        return OUTPUT_DIR / f"{_url_stem(str(source))}{suffix}"
    stem = Path(source).stem if source not in (None, "-") else Path(EXAMPLE).stem
    return OUTPUT_DIR / f"{stem}{suffix}"


def _url_stem(url: str) -> str:
    """A file name for a URL's map: its last path segment, else its host (``page`` if neither)."""
    parts = urlsplit(url)
    segment = next((p for p in reversed(parts.path.split("/")) if p), "") or parts.hostname or ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(segment).stem if "." in segment[1:] else segment)
    return stem.strip(".-")[:80] or "page"


def _count(items: list, word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _listed(names: list[str], most: int = 5) -> str:
    if not names:
        return ""
    more = f", +{len(names) - most} more" if len(names) > most else ""
    return f" ({', '.join(names[:most])}{more})"


def _warnings(story: Story) -> list[str]:
    if not story.places:
        return [f"{story.source or 'article'}: no places found; the map has nothing to show"]
    return []
