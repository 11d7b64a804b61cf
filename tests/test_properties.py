"""Property tests (hypothesis) for the article parser and the story file.

Random and hostile Unicode never crashes ``parse_article``; its offsets are always exact and
cover every visible character; any valid ``Story`` survives ``dump_story``/``load_story``.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storymap.article import parse_article
from storymap.errors import InputError
from storymap.model import PLACE_KINDS, Chapter, Layer, Place, PlaceMention, Story
from storymap.storyfile import dump_story, load_story

HOSTILE = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "`${alert(1)}`",
    "javascript:alert(1)",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\x00",
    "\x85",
    "\r",
    "U.S.",
    "Mr.",
    "D.C.",
    "Jan. 5.",
    "3.14",
    "“quoted.”",
    "...",
    "#",
    "## Heading",
    "- item",
    "*em*",
    "[link](http://x)",
    "<p>",
    "</h2>",
    "&amp;",
    "yes",
    "null",
    "~",
    "- ",
    ": ",
    "'",
    '"',
    "\\",
    "\t",
    " ",
]
WORDS = ["Washington", "Colombia", "the", "said", "Petro", "Big News Today", "trade"]

pieces = st.one_of(st.sampled_from(HOSTILE + WORDS), st.text(max_size=8))
structured = st.lists(st.lists(pieces, max_size=12).map(" ".join), max_size=12).map("\n".join)
any_text = st.one_of(st.text(max_size=300), structured)


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def check(article) -> None:
    text = article.text
    covered = [False] * len(text)
    previous_end = 0
    for s in article.sentences:
        assert text[s.start : s.end] == s.text
        assert s.text and not _invisible(s.text[0]) and not _invisible(s.text[-1])
        assert s.start >= previous_end
        assert 0 <= s.section < len(article.sections)
        previous_end = s.end
        covered[s.start : s.end] = [True] * (s.end - s.start)
    assert all(covered[i] for i, ch in enumerate(text) if not _invisible(ch))
    for a, b in zip(article.sections, article.sections[1:], strict=False):
        assert a.end <= b.start
    assert isinstance(article.title, str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, fmt=st.sampled_from(["txt", "md", "html"]))
def test_parse_article_never_crashes_and_offsets_are_exact(text, fmt):
    try:
        article = parse_article(text, fmt, "random.txt")
    except InputError as e:
        assert str(e).startswith("random.txt: article is empty")
        return
    check(article)
    if fmt == "txt":
        assert article.text == text


# --------------------------------------------------------------------------- stories

safe_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(HOSTILE + WORDS), max_size=6).map("".join),
)
ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True)
lat = st.floats(-90, 90, allow_nan=False)
lon = st.floats(-180, 180, allow_nan=False)
# Valid polygons only (a story file's geometry is checked and repaired on load): a quadrilateral
# around a corner, each side between 0.01 and 10 degrees, closed; a second one 20.5 degrees east.
ring = st.builds(
    lambda x, y, w, h, skew: [[x, y], [x + w, y], [x + w + skew, y + h], [x, y + h], [x, y]],
    st.floats(-180, 140, allow_nan=False),
    st.floats(-90, 70, allow_nan=False),
    st.floats(0.01, 10),
    st.floats(0.01, 10),
    st.floats(0, 5),
)
geometry = st.one_of(
    st.none(),
    st.builds(lambda r: {"type": "Polygon", "coordinates": [r]}, ring),
    st.builds(
        lambda r: {"type": "MultiPolygon", "coordinates": [[r], [[[x + 20.5, y] for x, y in r]]]}, ring
    ),
)
mention = st.builds(
    lambda start, length, text, sentence, section: PlaceMention(
        start=start, end=start + length, text=text, sentence=sentence, section=section
    ),
    st.integers(0, 10**7),
    st.integers(0, 100),
    safe_text,
    safe_text,
    safe_text,
)


@st.composite
def stories(draw) -> Story:
    place_ids = draw(st.lists(ids, unique=True, max_size=5))
    layer_ids = draw(st.lists(ids, unique=True, max_size=3))
    places = [
        Place(
            id=pid,
            name=draw(safe_text),
            kind=draw(st.sampled_from(PLACE_KINDS)),
            lat=draw(lat),
            lon=draw(lon),
            geometry=draw(geometry),
            country=draw(safe_text),
            layer=draw(st.sampled_from(["", *layer_ids])),
            confidence=draw(st.floats(0, 1)),
            ref=draw(safe_text),
            review=draw(st.booleans()),
            mentions=draw(st.lists(mention, max_size=3)),
        )
        for pid in place_ids
    ]
    subset = st.lists(st.sampled_from(place_ids), unique=True) if place_ids else st.just([])
    layers = [
        Layer(
            id=lid,
            title=draw(safe_text),
            color=draw(st.from_regex(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", fullmatch=True)),
            places=draw(subset),
        )
        for lid in layer_ids
    ]
    chapters = [
        Chapter(
            id=cid, title=draw(safe_text), text=draw(st.lists(safe_text, max_size=3)), places=draw(subset)
        )
        for cid in draw(st.lists(ids, unique=True, max_size=3))
    ]
    return Story(
        title=draw(safe_text),
        standfirst=draw(safe_text),
        source=draw(safe_text),
        layers=layers,
        places=places,
        chapters=chapters,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(story=stories())
def test_story_round_trips_through_yaml_and_json(story):
    text = dump_story(story)
    assert load_story(text) == story
    assert dump_story(load_story(text)) == text
    assert load_story(story.model_dump_json(), "story.json") == story
