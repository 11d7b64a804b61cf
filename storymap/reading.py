"""Reading an article from a file, standard input or a web page, and finding the places it names.

This is the path of ``storymap places``: it imports the geoparser and the article stage but
nothing of the story side (pydantic, layers, chapters) or of the map (folium), so the command
starts fast. ``storymap.pipeline`` re-exports both functions.
"""

from __future__ import annotations

from pathlib import Path

from storymap import files
from storymap.article import parse_article
from storymap.fetch import is_url
from storymap.geoparse import find_mentions
from storymap.model import Mention


def read_url(url: str) -> tuple[str, str, str]:
    """A web page fetched over HTTP(S): its text (decoded by its charset), format and final URL."""
    from storymap.fetch import fetch
    from storymap.webpage import decode_html

    page = fetch(url)
    return decode_html(page.data, url, page.charset), page.fmt, page.url


def find_places(path: str | Path, *, outlines: bool = True) -> tuple[str, list[Mention]]:
    """The article text of ``path`` (a file, ``"-"`` for standard input, or an http(s) URL) and the
    toponyms found in it; a web page is read exactly as ``build`` reads it (the article alone).
    ``outlines=False``: the mentions carry no area outlines (``find_mentions``)."""
    if is_url(path):
        text, fmt, _ = read_url(str(path))
    else:
        text, fmt = files.read_article(path)
    article = parse_article(text, fmt, str(path))
    return article.text, find_mentions(article.text, outlines=outlines)
