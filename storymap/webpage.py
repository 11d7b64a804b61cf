"""Web pages: the bytes of a page decoded by its own charset, and the article read out of it.

Pure: no disk or network I/O.  A saved or fetched news page is mostly chrome (menus, cookie
banners, related links, share widgets); ``read_page`` keeps the article alone with trafilatura,
an extractor made for the job (body F1 0.96 on the pages of ``bench/extract.py``, against 0.67
for keeping every visible text), and reads the headline, byline, date, site name and canonical
URL from the page's metadata.  trafilatura is imported here only, when a page is read.
"""

from __future__ import annotations

import codecs
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

from storymap.errors import InputError

#: What an HTML block of the extracted article is: the headline, a subheading or a paragraph.
BlockKind = str  # "h1" | "heading" | "para"

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:+-]+)""", re.I)
#: A block that is only a widget's label (share buttons, ads, "read more") is page furniture, not text.
_UI_BLOCK = re.compile(
    r"(?i)(?:share|tweet|link|digg|email|print|pin|like|follow|save)"
    r"(?: (?:this|it|on \w+)(?: story| article)?)?:?"
    r"|advertisement|advert|ad|sponsored(?: content)?|reprints?|permalink|close|<< ?close|x|×|loading\.*"
    r"|(?:read|see|show) (?:more|less|all)|around the web|powered by \w+|take (?:the )?quiz"
    r"|related(?: stories| articles)?:?|skip to (?:main )?content|back to top|comments?"
)
#: Real pages nest a few dozen levels; beyond this the page gets the fast extraction only.
MAX_DEPTH = 256
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_TITLE_SEPARATOR = re.compile(r"(\s+[|–—·»:-]{1,2}\s+)")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# The WHATWG encoding standard reads these labels as windows-1252, as every browser does.
_AS_WINDOWS_1252 = frozenset({"latin_1", "ascii", "cp1252", "iso8859_1"})


@dataclass(frozen=True)
class Page:
    """The article of a web page: its blocks ``(kind, text)`` and what the page says about it."""

    blocks: list[tuple[BlockKind, str]] = field(default_factory=list)
    title: str = ""
    byline: str = ""
    date: str = ""
    site: str = ""
    url: str = ""


# --------------------------------------------------------------------------- decoding


def declared_charset(data: bytes) -> str:
    """The charset a page declares in its first 4 KB (``<meta charset>``, ``http-equiv`` or ``<?xml``)."""
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii").lower() if m else ""


def decode_html(data: bytes, name: str, charset: str = "") -> str:
    """The text of an HTML page: by its byte-order mark, else ``charset`` (an HTTP header), else
    the page's own declaration, else UTF-8, else windows-1252 (what browsers assume).

    Raises ``InputError`` naming ``name`` for an unknown charset or bytes that are not in the
    declared one.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(data, codec, name, "its byte-order mark", "UTF-8" if "8" in codec else "UTF-16")
    label = (charset or declared_charset(data)).strip().lower()
    if label:
        try:
            codec = codecs.lookup(label).name.replace("-", "_")
        except LookupError:
            raise InputError(name, f"the page declares an unknown charset {label!r}") from None
        if codec in _AS_WINDOWS_1252:
            return data.decode("cp1252", errors="replace")  # a few unmapped bytes are no reason to refuse
        if codec.startswith("utf_16") or codec.startswith("utf_32"):
            codec = "utf-8"  # a page without a BOM that says UTF-16 was saved as UTF-8 (browsers agree)
        return _decode(data, codec, name, f"its declared charset {label!r}", label.upper())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _decode(data: bytes, codec: str, name: str, why: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        bad = f"invalid byte 0x{e.object[e.start]:02x} at offset {e.start}"
        raise InputError(name, f"not {label} text despite {why}: {bad}") from None


# --------------------------------------------------------------------------- reading


def read_page(html: str) -> Page:
    """The article of a web page (``Page.blocks`` is empty when the page holds no article text)."""
    import lxml.html
    import trafilatura

    data = _SURROGATE.sub("\ufffd", html).replace("\x00", "\ufffd").encode("utf-8")
    # huge_tree lifts libxml2's 10 MB cap on one text node; nesting stays capped, so hostile depth is cheap
    parser = lxml.html.HTMLParser(
        encoding="utf-8", recover=True, no_network=True, remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (ValueError, lxml.etree.LxmlError):
        return Page()
    # trafilatura logs, and dateutil warns about time zones it cannot name: neither is for the user
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = _extract(trafilatura, root)
    if doc is None:
        return Page(title=_title(root.findtext(".//title") or ""))
    title = _title(doc.title or root.findtext(".//title") or "")
    blocks = [
        (k, t)
        for k, t in _blocks(doc.body)
        if not (k == "h1" and _same(t, title)) and not _UI_BLOCK.fullmatch(t.strip(" .!|·•>"))
    ]
    return Page(
        blocks=_without_empty_headings(blocks),
        title=title,
        byline=_clean(doc.author or ""),
        date=_clean(doc.date or ""),
        site=_clean(doc.sitename or ""),
        url=_http_url(doc.url or ""),
    )


def _without_empty_headings(blocks: list[tuple[BlockKind, str]]) -> list[tuple[BlockKind, str]]:
    """Blocks without the subheadings that head nothing (a "Trending" or "Showcase" box left empty)."""
    kept = []
    for i, (kind, text) in enumerate(blocks):
        nxt = blocks[i + 1][0] if i + 1 < len(blocks) else None
        if kind == "heading" and nxt in (None, "heading", "h1"):
            continue
        kept.append((kind, text))
    return kept


def _extract(trafilatura, root):  # noqa: ANN001, ANN202 - the module and an lxml element
    return trafilatura.bare_extraction(
        root,
        # the fallback extractors (justext) are quadratic in nesting depth: skip them on absurd trees
        fast=_depth(root) > MAX_DEPTH,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _depth(root) -> int:  # noqa: ANN001 - an lxml element
    """How deep the tree nests (iteratively: libxml2 allows 2048 levels, which recursion would not)."""
    from lxml import etree

    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


_BLOCK = frozenset(
    {"p", "head", "item", "list", "quote", "table", "row", "cell", "code", "div", "body", "lb"}
)


def _blocks(body) -> Iterator[tuple[BlockKind, str]]:  # noqa: ANN001 - an lxml element
    """Blocks ``(kind, text)`` of trafilatura's article tree: ``head`` elements are headings
    (``h1`` apart), everything else a paragraph; a line break ends a paragraph."""
    if body is None:
        return
    buf: list[str] = []
    heads: list[str] = []

    def flush() -> Iterator[tuple[BlockKind, str]]:
        text = _clean("".join(buf))
        buf.clear()
        if text:
            level = heads[-1] if heads else ""
            yield ("h1" if level == "h1" else "heading" if level else "para"), text

    from lxml import etree

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK:
                yield from flush()
            if tag == "head":
                heads.append(_level(el.get("rend", "")))
            if el.text and tag != "lb":
                buf.append(el.text)
        else:
            if tag in _BLOCK:
                yield from flush()
            if tag == "head" and heads:
                heads.pop()
            if el.tail and el is not body:
                buf.append(el.tail)
    yield from flush()


def _level(rend: str) -> str:
    """``h1`` for the page's headline, ``h`` for a subheading, ``""`` for h4-h6 (run-in, read as text)."""
    rend = rend.lower()
    if rend == "h1":
        return "h1"
    return "" if rend in ("h4", "h5", "h6") else "h"


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _same(a: str, b: str) -> bool:
    fold = lambda s: re.sub(r"\W+", " ", s).strip().casefold()  # noqa: E731
    return bool(a) and fold(a) == fold(b)


def _title(title: str) -> str:
    return site_name_dropped(_clean(title))


def site_name_dropped(title: str) -> str:
    """``"Petro meets Trump | The Daily"`` -> ``"Petro meets Trump"``.

    Drops one short (site-name-like) segment at the end, and one at the start when set off by
    ``|`` or ``»``; the headline is what remains.
    """
    parts = _TITLE_SEPARATOR.split(title)  # text, separator, text, ...
    if len(parts) >= 3 and len(parts[-1]) <= 30 and len(parts[-1]) < len("".join(parts[:-2])):
        parts = parts[:-2]
    if len(parts) >= 3 and parts[1].strip() in ("|", "»") and len(parts[0]) < len("".join(parts[2:])):
        parts = parts[2:]
    return "".join(parts).strip()


def _http_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL without spaces, else ``""``."""
    url = url.strip()
    return url if re.match(r"(?i)https?://[^\s/?#]+[^\s]*\Z", url) else ""
