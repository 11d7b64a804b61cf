"""Small builders for hand-made articles and mentions used by the unit tests."""

from __future__ import annotations

import re

from storymap.model import Article, Mention, Section, Sentence


def article(*sections: tuple[str, str]) -> Article:
    """An article from (heading, body) pairs; sentences split on '. '."""
    text, secs, sents = "", [], []
    for index, (heading, body) in enumerate(sections):
        start = len(text)
        if heading:
            text += heading + "\n"
        body_start = len(text)
        text += body + "\n"
        for m in re.finditer(r"[^.]+\.?", body):
            s, e = body_start + m.start(), body_start + m.end()
            while s < e and text[s] == " ":
                s += 1
            if s < e:
                sents.append(Sentence(start=s, end=e, text=text[s:e], section=index))
        secs.append(Section(heading=heading, start=start, end=len(text), paragraphs=(body,)))
    return Article(text=text, title="A test", sections=tuple(secs), sentences=tuple(sents))


def mention(text: str, needle: str, *, occurrence: int = 0, **fields) -> Mention:
    """A mention of ``needle`` (its n-th occurrence) in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    defaults = {
        "name": needle,
        "kind": "city",
        "lat": 1.0,
        "lon": 2.0,
        "country": "XX",
        "confidence": 0.9,
        "ref": f"test:{needle.lower()}",
    }
    defaults.update(fields)
    return Mention(start=start, end=start + len(needle), text=needle, **defaults)
