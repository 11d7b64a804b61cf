"""Web pages: the bytes of a page decoded by its own charset, and the article read out of it.

Pure: no disk or network I/O.  A saved or fetched news page is mostly chrome (menus, cookie
banners, related links, share widgets); ``read_page`` keeps the article alone with trafilatura,
an extractor made for the job, then drops what its links and place show to be furniture (lists
of links, teasers after the article, embed code quoted as text, the headline repeated above the
body); when trafilatura's reading holds no sentence at all (a menu), the readability reading that
trafilatura ships is taken instead if it finds prose elsewhere on the page.  Body F1 0.950 on the
pages of ``bench/extract.py`` (0.928 with trafilatura alone, 0.67 keeping every visible text).
The headline, byline, date, site name and canonical URL come from the page's metadata.
trafilatura is imported here only, when a page is read.
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
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*\s*\Z")
_WORDS = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W+")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
#: A block that is only a date and time ("Friday, August 1, 2014", "On May 23, 2014 at 1:30 PM").
_DATELINE = re.compile(
    rf"(?i)(?:(?:on|posted|published|updated)\s+)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?|\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{1,4}})"
    rf"(?:,?\s+\d{{4}})?(?:,?\s+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{{2,4}})?)?"
)
#: HTML source quoted as text: a tag up to its closing tag, or to the end of the text.
_MARKUP = re.compile(
    r"<(iframe|script|object|embed|video|audio|div|a|img)\b[^<>]*>(?:.*?</\1\s*>|[^<]*\Z)?", re.I | re.S
)
_HTML_BLOCK = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "blockquote", "pre", "ul", "ol"}
    | {"dl", "dt", "dd", "table", "section", "article", "figure", "figcaption", "br", "header", "footer"}
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
    deep = _depth(root) > MAX_DEPTH
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = _extract(trafilatura, root, deep)
    if doc is None:
        return Page(title=_title(root.findtext(".//title") or ""))
    title = _title(doc.title or root.findtext(".//title") or "")
    blocks = _kept(_blocks(_pruned(doc.body)), title)
    if not deep and not any(_is_prose(t) for _, t in blocks):
        # no sentence at all (a menu, a row of teasers): a second extractor may find the article
        other = _kept(_readability_blocks(lxml.html.document_fromstring(data, parser=parser)), title)
        if any(_is_prose(t) for _, t in other) and _disjoint(blocks, other):
            blocks = other
    return Page(
        blocks=_without_empty_headings(blocks),
        title=title,
        byline=_clean(doc.author or ""),
        date=_clean(doc.date or ""),
        site=_clean(doc.sitename or ""),
        url=_http_url(doc.url or ""),
    )


def _kept(blocks: Iterator[tuple[BlockKind, str]], title: str) -> list[tuple[BlockKind, str]]:
    """The article's blocks without widget labels and without the headline where it repeats the title
    (an ``h1`` above the first paragraph, or a heading that the title starts with)."""
    kept: list[tuple[BlockKind, str]] = []
    body = False  # a paragraph of prose has come
    for kind, text in blocks:
        if _UI_BLOCK.fullmatch(text.strip(" .!|·•>")):
            continue
        if not body and (kind == "h1" or _DATELINE.fullmatch(text)):
            continue  # the headline and dateline above the body: the title and date say them
        if kind != "para" and _repeats(text, title):
            continue
        body = body or (kind == "para" and _is_prose(text))
        if kind == "heading" and _is_prose(text) and text.endswith("."):
            kind = "para"  # a standfirst set as a heading: a sentence, not a section's title
        kept.append((kind, text))
    return kept


def _repeats(heading: str, title: str) -> bool:
    """True when a heading is the title, or its first three words or more (the title may add a site name)."""
    h, t = _fold(heading), _fold(title)
    return bool(h) and (h == t or (len(h.split()) >= 3 and t.startswith(h + " ")))


def _is_prose(text: str) -> bool:
    """A sentence or more: at least eight words (or 20 characters of a script written without
    spaces) ending in sentence punctuation."""
    long = len(text.split()) >= 8 or (len(text) >= 20 and text.count(" ") < 3)
    return long and _SENTENCE_END.search(text) is not None


def _disjoint(a: list[tuple[BlockKind, str]], b: list[tuple[BlockKind, str]]) -> bool:
    """True when two readings of a page share (almost) no run of four words."""
    sa, sb = _shingles(" ".join(t for _, t in a)), _shingles(" ".join(t for _, t in b))
    return len(sa & sb) < 0.2 * min(len(sa), len(sb)) if sa and sb else True


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.casefold())
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))} if words else set()


def _without_empty_headings(blocks: list[tuple[BlockKind, str]]) -> list[tuple[BlockKind, str]]:
    """Blocks without the subheadings that head nothing (a "Trending" or "Showcase" box left empty)."""
    kept = []
    for i, (kind, text) in enumerate(blocks):
        nxt = blocks[i + 1][0] if i + 1 < len(blocks) else None
        if kind == "heading" and nxt in (None, "heading", "h1"):
            continue
        kept.append((kind, text))
    return kept


def _extract(trafilatura, root, deep: bool):  # noqa: ANN001, ANN202 - the module and an lxml element
    return trafilatura.bare_extraction(
        root,
        # the fallback extractors (justext) are quadratic in nesting depth: skip them on absurd trees
        fast=deep,
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        include_links=True,  # for link density: a list of links is navigation, not article text
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _readability_blocks(root) -> Iterator[tuple[BlockKind, str]]:  # noqa: ANN001 - an lxml element
    """The page's blocks as readability reads them (trafilatura ships it as its own fallback)."""
    try:
        from trafilatura.external import try_readability
    except ImportError:  # a trafilatura without it: no second opinion
        return iter(())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _html_blocks(try_readability(root))


def _html_blocks(root) -> Iterator[tuple[BlockKind, str]]:  # noqa: ANN001 - an lxml element
    """Blocks ``(kind, text)`` of an HTML fragment: headings ``h1``-``h3`` and paragraphs."""
    from lxml import etree

    buf: list[str] = []
    heads: list[str] = []

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "template"):
            if event == "end" and el.tail:
                buf.append(el.tail)
            continue
        if event == "start":
            if tag in _HTML_BLOCK:
                yield from _flush(buf, heads)
            if tag in ("h1", "h2", "h3"):
                heads.append(tag)
            if el.text:
                buf.append(el.text)
        else:
            if tag in _HTML_BLOCK:
                yield from _flush(buf, heads)
            if tag in ("h1", "h2", "h3") and heads:
                heads.pop()
            if el.tail and el is not root:
                buf.append(el.tail)
    yield from _flush(buf, heads)


# --------------------------------------------------------------------------- page furniture


def _pruned(body):  # noqa: ANN001, ANN202 - trafilatura's article tree (or None)
    """trafilatura's article tree without what is page furniture by its links and place:

    * lists of links (breadcrumbs, tag rows, "related" lists): most items are a link and nothing else;
    * lists of teasers after the last paragraph of prose, every item linking elsewhere;
    * trailing sections headed by a link (teasers of other pages) or heading nothing;
    * HTML source quoted as text (an ``<iframe ...>`` embed code shown to browsers without frames).
    """
    if body is None:
        return None
    for lst in list(body.iter("list")):
        items = [i for i in lst if i.tag == "item" and _text(i).strip()]
        links = sum(_link_share(i) >= 0.9 for i in items)
        if (items and links >= 0.5 * len(items)) or _teasers(lst, items):
            _drop(lst)
    kids = list(body)
    end = len(kids)
    for i in reversed([i for i, el in enumerate(kids) if el.tag == "head"]):
        heads_nothing = not "".join(_text(el) for el in kids[i + 1 : end]).strip()
        if i == 0 or not (heads_nothing or _link_share(kids[i]) >= 0.9):
            break
        for el in kids[i:end]:
            _drop(el)
        end = i
    for el in reversed(list(body)):  # a row of links closing the body: tags, "more on" links
        if el.tag not in ("p", "list") or _link_share(el) < 0.9:
            break
        _drop(el)
    for el in body.iter():
        if el.tag == "code" or any(a.tag == "code" for a in el.iterancestors()):
            continue  # a code sample quoting HTML is article text
        for attr in ("text", "tail"):
            value = getattr(el, attr)
            if value and "<" in value:
                setattr(el, attr, _MARKUP.sub(" ", value))
    return body


def _teasers(lst, items: list) -> bool:  # noqa: ANN001 - a trafilatura list and its items
    """A list after the body's last paragraph of prose whose every item links elsewhere."""
    return (
        len(items) >= 2
        and all(next(i.iter("ref"), None) is not None for i in items)
        and not any(el.tag == "p" and _is_prose(_text(el)) for el in lst.itersiblings())
    )


def _text(el) -> str:  # noqa: ANN001 - an lxml element
    return "".join(el.itertext())


def _link_share(el) -> float:  # noqa: ANN001 - an lxml element
    """The share of an element's letters and digits that are link text."""
    letters = len(_NON_WORD.sub("", _text(el)))
    linked = sum(len(_NON_WORD.sub("", _text(ref))) for ref in el.iter("ref"))
    return linked / letters if letters else 0.0


def _drop(el) -> None:  # noqa: ANN001 - an lxml element
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


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

    from lxml import etree

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK:
                yield from _flush(buf, heads)
            if tag == "head":
                heads.append(_level(el.get("rend", "")))
            if el.text and tag != "lb":
                buf.append(el.text)
        else:
            if tag in _BLOCK:
                yield from _flush(buf, heads)
            if tag == "head" and heads:
                heads.pop()
            if el.tail and el is not body:
                buf.append(el.tail)
    yield from _flush(buf, heads)


def _flush(buf: list[str], heads: list[str]) -> Iterator[tuple[BlockKind, str]]:
    """The block gathered in ``buf`` (emptied): a heading inside an open ``head``/``hN``, else a paragraph.

    ``heads`` holds the open headings' levels: ``h1`` is the headline, ``""`` reads as text.
    """
    text = _clean("".join(buf))
    buf.clear()
    if text:
        level = heads[-1] if heads else ""
        yield ("h1" if level == "h1" else "heading" if level else "para"), text


def _level(rend: str) -> str:
    """``h1`` for the page's headline, ``h`` for a subheading, ``""`` for h4-h6 (run-in, read as text)."""
    rend = rend.lower()
    if rend == "h1":
        return "h1"
    return "" if rend in ("h4", "h5", "h6") else "h"


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _fold(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().casefold()


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
