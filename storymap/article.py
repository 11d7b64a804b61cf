"""Article stage: plain text, Markdown or HTML in, an ``Article`` with exact offsets out.

Pure: no disk or network I/O.  Every offset indexes ``Article.text``; for plain text that
is the input unchanged, for Markdown the visible text of its rendering (markdown-it-py, read
back with lxml), for a web page the article alone, read out of the page's menus, banners and
related links by ``storymap.webpage`` (trafilatura), with the page's headline, byline, date,
site name and canonical URL.
Sentences come from sentencex (rule-based, offline, linear) plus a small fix-up for
honorifics such as "Dr." that it splits on.  Headings and a title line are sentences too,
so every visible character of the text lies in exactly one sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import sentencex

from storymap.errors import InputError
from storymap.model import Article, Section, Sentence

if TYPE_CHECKING:  # Markdown and HTML need these; plain text (the common case) starts without them
    from markdown_it import MarkdownIt

#: Sentences longer than this are cut at a space so a quote stays readable in a popup.
MAX_SENTENCE = 1500
#: A plain-text line longer than this (in characters) is never a heading.
MAX_HEADING = 100
MAX_HEADING_WORDS = 14
#: Derived titles (an article without a headline) are at most about this long...
TITLE_LENGTH = 90
#: ...and a cut before a phrase may run this many characters over.
TITLE_SLACK = 6

FORMATS = ("txt", "md", "html")

_TERMINAL = ".!?:;,…。！？;"
_QUOTES = "\"'”’»“‘«)]"
# fmt: off
_SMALL_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "de", "del", "der", "for", "from", "in", "into", "la", "le",
    "nor", "of", "on", "or", "over", "per", "the", "to", "up", "upon", "via", "vs", "von", "with", "y",
})
# fmt: on
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_HONORIFIC = re.compile(
    r"(?:^|[\s(\"“‘'])(?:Adm|Amb|Atty|Brig|Capt|Cmdr|Col|Cpl|Det|Dr|Gen|Gov|Hon|Lt|Maj|Messrs|Mr|Mrs|Ms|"
    r"Mt|Prof|Pres|Pvt|Rep|Rev|Sen|Sgt|Sr|St|Supt)\.$"
)
_NOT_HEADING = re.compile(
    r"(?i)(?:by|updated|published|posted|photo|photograph|image|picture|caption|credits?|source|"
    r"read more|related|advertisement|copyright)\b|©"
)
_DATE = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d{4}-\d{2}-\d{2}\b"
)
_CLAUSE = re.compile(r"[,;:(]\s|\s[–—-]\s|\s(?:that|which|who|whom|where|while|after|before|because|as)\s")
_PHRASE = re.compile(
    r"\s(?:at|on|in|after|before|with|for|from|over|amid|during|despite|following|to|as|by)\s"
)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_STOP = re.compile(r"[.!?…。！？;]")
_SURROGATE = re.compile("[\ud800-\udfff]")


# --------------------------------------------------------------------------- public API


def parse_article(text: str, fmt: str = "txt", source: str = "") -> Article:
    """Parse an article into title, sections and sentences with offsets into ``Article.text``.

    ``fmt`` is ``"txt"``, ``"md"`` or ``"html"``.  Raises ``InputError`` for an article with
    no visible text and for an unknown format.
    """
    if fmt not in FORMATS:
        raise InputError(source, f"unknown article format {fmt!r}, expected one of {', '.join(FORMATS)}")
    page = None
    if fmt == "txt":
        body, spans, title = text, _text_spans(text), ""
    elif fmt == "md":
        front_title, text = _front_matter(text)
        blocks, title = _parse_html(_markdown().render(text))
        body, spans, title = _block_spans(blocks, title)
        title = front_title or title
    else:
        from storymap.webpage import read_page

        page = read_page(text)
        body, spans, title = _block_spans(page.blocks, page.title)
    if not spans:
        if fmt == "html":
            raise InputError(source, "article is empty (no article text found in the page)")
        raise InputError(
            source, "article is empty" if fmt == "txt" else f"article is empty (no text in the {fmt})"
        )
    article = _assemble(body, spans, title, source)
    if page is not None:
        article = replace(article, byline=page.byline, date=page.date, site=page.site, url=page.url)
    return article


# --------------------------------------------------------------------------- plain text


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line's visible content, stripped; blank lines give start == end."""
    pos, n = 0, len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        start, stop = pos, end
        while start < stop and _invisible(text[start]):
            start += 1
        while stop > start and _invisible(text[stop - 1]):
            stop -= 1
        yield start, stop
        if nl < 0:
            break
        pos = nl + 1


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def _text_spans(text: str) -> list[tuple[str, int, int]]:
    """Spans ``(kind, start, end)`` with kind title/heading/para for a plain-text article.

    One line is one paragraph, unless the text is hard-wrapped (short lines in blank-line
    separated blocks), in which case a block is a paragraph.  A heading is a short, title-cased
    line without terminal punctuation that is followed by a paragraph.
    """
    lines = [(s, e) for s, e in _lines(text)]
    content = [i for i, (s, e) in enumerate(lines) if e > s]
    if not content:
        return []
    lengths = sorted(lines[i][1] - lines[i][0] for i in content)
    blocks: list[list[int]] = []
    prev = -2
    for i in content:
        if i != prev + 1:
            blocks.append([])
        blocks[-1].append(i)
        prev = i
    wrapped = len(blocks) > 1 and lengths[int(len(lengths) * 0.9)] <= 120 and any(len(b) > 1 for b in blocks)
    heading_like = [_heading_like(text[s:e]) for s, e in lines]

    # Units are the candidate paragraphs: a line each, or a block each when hard-wrapped.
    units: list[tuple[int, int, bool]] = []  # start, end, could be a heading
    for block in blocks:
        if wrapped:
            head = block[0]
            rest = max(lines[i][1] - lines[i][0] for i in block[1:]) if len(block) > 1 else 0
            if len(block) > 1 and heading_like[head] and lines[head][1] - lines[head][0] < 0.7 * rest:
                # a short title-cased line right above a wrapped paragraph is its heading
                units.append((lines[head][0], lines[head][1], True))
                block = block[1:]
            units.append(
                (lines[block[0]][0], lines[block[-1]][1], len(block) == 1 and heading_like[block[0]])
            )
        else:
            units.extend((lines[i][0], lines[i][1], heading_like[i]) for i in block)

    spans: list[tuple[str, int, int]] = []
    first = 0
    if len(units) > 1 and units[0][2]:
        spans.append(("title", units[0][0], units[0][1]))
        first = 1
    for k in range(first, len(units)):
        s, e, could = units[k]
        is_heading = could and k + 1 < len(units) and not units[k + 1][2]
        spans.append(("heading" if is_heading else "para", s, e))
    return spans


def _heading_like(line: str) -> bool:
    """Short, no terminal punctuation, and title-ish (most significant words capitalised).

    Bylines, datelines, photo credits and the like are title-cased too but never headings.
    """
    if not line or len(line) > MAX_HEADING or line[-1] in _TERMINAL or line[-1] in _QUOTES:
        return False
    if _NOT_HEADING.match(line) or _DATE.search(line):
        return False
    words = _WORD.findall(line)
    if not words or len(words) > MAX_HEADING_WORDS:
        return False
    if not any(ch.isupper() or ch.islower() for ch in line):
        return len(line) <= 40  # scripts without case: only shortness and punctuation to go on
    if not words[0][0].isupper():
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised >= 0.75 * len(significant)


# --------------------------------------------------------------------------- HTML and Markdown


_MD: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    return _MD


# fmt: off
_BLOCK = frozenset({
    "address", "article", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_SKIP = frozenset({
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "nav", "aside", "footer", "form", "button", "select", "textarea", "audio", "video", "map",
})
# fmt: on


class _Blocks:
    """Visible text of an HTML tree as blocks ``(kind, text)``, kind h1/heading/para."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []
        self._buf: list[str] = []
        self._headings: list[str] = []
        self._pre = 0

    def walk(self, root: Any) -> list[tuple[str, str]]:
        """The blocks of an lxml tree."""
        from lxml import etree

        # iterwalk is iterative: no recursion however deep the (hostile) tree is
        skipping = None
        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if skipping is not None:
                if event == "end" and el is skipping:
                    skipping = None
                    self._text(el.tail)
                continue
            if event == "start":
                if tag in _SKIP:
                    skipping = el
                    continue
                if tag in _BLOCK:
                    self._flush()
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    self._headings.append(tag)
                elif tag == "pre":
                    self._pre += 1
                self._text(el.text)
            else:
                if tag in _BLOCK:
                    self._flush()
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._headings:
                    self._headings.pop()
                elif tag == "pre" and self._pre:
                    self._pre -= 1
                self._text(el.tail)
        self._flush()
        return self.blocks

    def _text(self, text: str | None) -> None:
        if text:
            self._buf.append(text)

    def _flush(self) -> None:
        raw = "".join(self._buf)
        self._buf.clear()
        text = raw.strip("\n") if self._pre else _HTML_SPACE.sub(" ", raw).strip(" ")
        if not text or not any(not _invisible(ch) for ch in text):
            return
        level = self._headings[-1] if self._headings else ""
        kind = "h1" if level == "h1" else "heading" if level in ("h2", "h3") else "para"
        self.blocks.append((kind, text))


def _parse_html(html: str) -> tuple[list[tuple[str, str]], str]:
    """Blocks of visible text and the ``<title>`` of rendered Markdown (libxml2, in recovery mode).

    libxml2 is linear on hostile markup, where the stdlib parser of Python 3.11 can take minutes.
    """
    from lxml import etree

    data = _SURROGATE.sub("\ufffd", html).replace("\x00", "\ufffd").encode("utf-8")
    # huge_tree lifts libxml2's 10 MB cap on one text node (a 20 MB article in one <p>); nesting
    # stays capped (2048 levels), so hostile depth costs nothing.
    parser = etree.HTMLParser(
        encoding="utf-8", recover=True, no_network=True, remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.LxmlError:
        root = None
    if root is None:
        return [], ""
    title = root.findtext("head/title") or ""
    return _Blocks().walk(root), title


def _block_spans(blocks: list[tuple[str, str]], title: str) -> tuple[str, list[tuple[str, int, int]], str]:
    """Text of HTML blocks, its spans and the title (``title`` if given, else the first <h1>)."""
    title = " ".join(title.split())
    parts: list[str] = []
    spans: list[tuple[str, int, int]] = []
    pos = 0
    have_title = bool(title)
    for kind, block in blocks:
        if kind == "h1":
            kind = "heading" if have_title else "title"
            if kind == "title":
                title, have_title = " ".join(block.split()), True
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(block)
        spans.append((kind, pos, pos + len(block)))
        pos += len(block)
    return "".join(parts), spans, title


def _front_matter(text: str) -> tuple[str, str]:
    """The ``title:`` of a leading ``---`` YAML front-matter block, and the text without the block."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return "", text
    import yaml

    title = ""
    try:
        meta = yaml.safe_load(m.group(1)) if len(m.group(1)) < 65536 else None
    except (yaml.YAMLError, RecursionError):  # front matter is a courtesy: never fail on it
        meta = None
    if isinstance(meta, dict) and isinstance(meta.get("title"), str | int | float):
        title = " ".join(str(meta["title"]).split())
    return title, text[m.end() :]


# --------------------------------------------------------------------------- assembly


def _assemble(text: str, spans: list[tuple[str, int, int]], title: str, source: str) -> Article:
    sections: list[Section] = []
    sentences: list[Sentence] = []
    heading, start, end, paragraphs = "", -1, -1, []
    first_para = ""

    def close() -> None:
        if start >= 0:
            sections.append(Section(heading, start, end, tuple(paragraphs)))

    for kind, s, e in spans:
        if kind == "heading":
            close()
            heading, start, end, paragraphs = " ".join(text[s:e].split()), s, e, []
            sentences.extend(_cut(text, s, e, len(sections)))
            continue
        if start < 0:
            start = s
        end = e
        if kind == "title":
            title = title or " ".join(text[s:e].split())
            sentences.extend(_cut(text, s, e, len(sections)))
        else:
            paragraphs.append(" ".join(text[s:e].split()))
            found = list(_sentences(text, s, e, len(sections)))
            if not first_para and found:
                first_para = found[0].text
            sentences.extend(found)
    close()
    if not title:
        title = headline(first_para or (sentences[0].text if sentences else ""))
    return Article(
        text=text, title=title, sections=tuple(sections), sentences=tuple(sentences), source=source
    )


def _sentences(text: str, start: int, end: int, section: int) -> Iterator[Sentence]:
    """Sentences of one paragraph ``text[start:end]``, trimmed, with honorific splits undone."""
    chunk = text[start:end]
    if not _STOP.search(chunk):  # nothing to split on: spare the segmenter call
        yield from _cut(text, start, end, section)
        return
    # sentencex is native code that needs valid UTF-8; a lone surrogate becomes U+FFFD (same length).
    safe = _SURROGATE.sub("\ufffd", chunk)
    bounds = [(b["start_index"], b["end_index"]) for b in sentencex.get_sentence_boundaries("en", safe)]
    merged: list[tuple[int, int]] = []
    for s, e in bounds:
        if merged and _HONORIFIC.search(chunk[merged[-1][0] : merged[-1][1]].rstrip()):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    covered = 0
    for s, e in merged:
        s, e = max(s, covered), max(e, covered)
        covered = e
        yield from _cut(text, start + s, start + e, section)
    if covered < len(chunk):  # never lose text the segmenter did not report
        yield from _cut(text, start + covered, end, section)


def _cut(text: str, start: int, end: int, section: int) -> Iterator[Sentence]:
    """Trim ``text[start:end]`` and yield it as sentences of at most ``MAX_SENTENCE`` characters."""
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    while start < end:
        stop = end
        if stop - start > MAX_SENTENCE:
            space = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
            stop = space if space > start else start + MAX_SENTENCE
        s, e = start, stop
        while e > s and _invisible(text[e - 1]):
            e -= 1
        if e > s:
            yield Sentence(s, e, text[s:e], section)
        start = stop
        while start < end and _invisible(text[start]):
            start += 1


def headline(sentence: str) -> str:
    """A title made from a lead sentence: at most about ``TITLE_LENGTH`` characters, cut at a clause.

    Newsrooms want the who-did-what of the lead, so a long sentence is cut at its last clause break
    (a comma, a dash, "that", "which" ...) that leaves 30 to ``TITLE_LENGTH`` characters, else
    before a phrase ("at the White House", "on Tuesday") that leaves at most ``TITLE_SLACK`` more;
    only a sentence with neither is cut at a word, with an ellipsis.
    """
    s = " ".join(sentence.split()).rstrip(_TERMINAL + _QUOTES + " ")
    if len(s) <= TITLE_LENGTH:
        return s
    for pattern in (_CLAUSE, _PHRASE):
        cuts = [m.start() for m in pattern.finditer(s, 30) if m.start() <= TITLE_LENGTH + TITLE_SLACK]
        if cuts:
            within = [c for c in cuts if c <= TITLE_LENGTH]
            return s[: (within or cuts)[-1]].rstrip(_TERMINAL + " ")
    cut = s.rfind(" ", 0, TITLE_LENGTH)
    words = s[: cut if cut > 20 else TITLE_LENGTH].split(" ")
    while len(words) > 1 and words[-1].lower().strip(_TERMINAL) in _SMALL_WORDS:
        words.pop()
    return " ".join(words).rstrip(_TERMINAL + " ") + "…"
