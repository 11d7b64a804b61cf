"""Reading the article out of real-pattern news pages (snippets written for these tests)."""

from __future__ import annotations

import pytest

from storymap import files, pipeline
from storymap.article import parse_article
from storymap.errors import InputError
from storymap.webpage import declared_charset, decode_html

PARAS = [
    "Torrential rain flooded towns south of Valencia on Tuesday night, sweeping cars through the streets "
    "of Paiporta and cutting the motorway to Madrid for most of the morning.",
    "Emergency services in the region said more than a hundred people had been rescued from roofs and "
    "cars, and the national weather agency kept its red warning for the coast until Wednesday evening.",
    "In the orange groves around Alzira, growers said the water had destroyed much of the harvest only "
    "weeks before it was due to be picked, and the regional government promised emergency aid.",
    "Further north, in Castellón, schools stayed closed while engineers checked the bridges over the "
    "river, which rose by four metres in a single night according to the basin authority.",
    "Critics asked why the alert reached mobile phones only after the water was already in the streets "
    "of Chiva, hours after the weather agency first warned of extreme rainfall over the inland hills.",
]

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Floods close roads across Valencia | The Coastal Herald</title>
<link rel="canonical" href="https://news.example.org/2024/10/30/valencia-floods">
<meta property="og:site_name" content="The Coastal Herald">
<meta property="og:title" content="Floods close roads across Valencia">
<meta name="author" content="Marta Ruiz">
<meta property="article:published_time" content="2024-10-30T09:15:00Z">
<script>window.dataLayer = [{{"page": "article", "section": "Europe"}}];</script>
</head><body>
<a class="skip" href="#main">Skip to main content</a>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience on our site.
By continuing to browse you agree to our use of cookies.</p><button>Accept all</button></div>
<header class="site-header"><nav><ul><li><a href="/world">World</a></li><li><a href="/us">United States</a>
</li><li><a href="/china">China</a></li><li><a href="/russia">Russia</a></li><li><a href="/gaza">Gaza</a>
</li></ul></nav></header>
<main id="main"><article>
<h1>Floods close roads across Valencia</h1>
<div class="byline">By <a href="/authors/marta-ruiz">Marta Ruiz</a> · 30 October 2024</div>
<div class="share"><a href="https://twitter.com/share">Share on Twitter</a>
<a href="https://facebook.com/share">Share on Facebook</a> <span>Share this:</span></div>
<p>{PARAS[0]}</p>
<p>{PARAS[1]}</p>
<h2>Farmers count the cost</h2>
<p>{PARAS[2]}</p>
<p>{PARAS[3]}</p>
<h2>A warning ignored</h2>
<p>{PARAS[4]}</p>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Wildfires rage near Athens</a></li>
<li><a href="/b">Storm hits Hong Kong</a></li><li><a href="/c">Heatwave in Berlin</a></li></ul></aside>
</main>
<footer><p>© 2024 The Coastal Herald, London. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""

CLUTTER = (
    "Skip to main content",
    "cookies",
    "Accept all",
    "World",
    "United States",
    "China",
    "Russia",
    "Gaza",
    "Share",
    "Related stories",
    "Athens",
    "Hong Kong",
    "Berlin",
    "London",
    "Privacy",
    "dataLayer",
)


def test_a_news_page_gives_its_article_alone_with_subheadings_as_sections():
    a = parse_article(NEWS_PAGE, "html", "floods.html")
    assert a.title == "Floods close roads across Valencia"
    assert [s.heading for s in a.sections] == ["", "Farmers count the cost", "A warning ignored"]
    assert [p for s in a.sections for p in s.paragraphs] == PARAS
    for junk in CLUTTER:
        assert junk not in a.text, junk


def test_a_news_page_gives_its_metadata():
    a = parse_article(NEWS_PAGE, "html", "floods.html")
    assert (a.site, a.byline, a.date) == ("The Coastal Herald", "Marta Ruiz", "2024-10-30")
    assert a.url == "https://news.example.org/2024/10/30/valencia-floods"


def test_the_map_shows_the_article_places_and_none_from_menus_or_related_links():
    story = pipeline.story_from_text(NEWS_PAGE, "html", "floods.html")
    names = {p.name for p in story.places}
    assert {"Valencia", "Madrid", "Castellón"} <= names
    assert not names & {"United States", "China", "Russia", "Gaza", "Athens", "Hong Kong", "Berlin", "London"}
    assert (story.site, story.byline, story.date) == ("The Coastal Herald", "Marta Ruiz", "2024-10-30")
    assert story.url == "https://news.example.org/2024/10/30/valencia-floods"
    assert story.chapters[0].text[0] == PARAS[0]  # not "Skip to main content" or a cookie notice


def test_a_page_inside_an_asp_net_form_is_read():
    page = f"""<html><head><title>Council approves budget - Riverside Gazette</title></head><body>
<form method="post" action="./article.aspx?id=123" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk" />
<div id="ctl00_MainContent_pnlArticle" class="article"><h1>Council approves budget</h1>
<p>{PARAS[0]}</p><p>{PARAS[1]}</p><p>{PARAS[2]}</p></div>
<div id="ctl00_Footer">Copyright Riverside Gazette</div></form></body></html>"""
    a = parse_article(page, "html", "council.aspx.html")
    assert a.title == "Council approves budget"
    assert [p for s in a.sections for p in s.paragraphs] == PARAS[:3]
    assert "VIEWSTATE" not in a.text and "Copyright" not in a.text


def _latin1_page(declaration: str) -> bytes:
    return (
        f"<html><head>{declaration}<title>Protestas en Bogotá</title></head><body><article>"
        f"<h1>Protestas en Bogotá</h1><p>Miles de personas marcharon en Bogotá y en São Paulo el martes "
        f"para pedir más empleo, según la policía, que cerró las calles del centro durante la mañana.</p>"
        f"<p>En Medellín, la alcaldía abrió un diálogo con los sindicatos y prometió una reunión el jueves "
        f"con los representantes de los trabajadores del puerto y de las fábricas textiles.</p>"
        f"</article></body></html>"
    ).encode("iso-8859-1")


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
        '<meta charset="iso-8859-1">',
        "<meta charset=latin1>",
    ],
)
def test_a_page_declaring_iso_8859_1_is_read_by_its_declaration(tmp_path, declaration):
    path = tmp_path / "bogota.html"
    path.write_bytes(_latin1_page(declaration))
    text, fmt = files.read_article(path)
    assert fmt == "html" and "Bogotá" in text and "São Paulo" in text
    story = pipeline.build(path, write=False).story
    assert story.title == "Protestas en Bogotá"
    assert {"Bogotá", "Medellín"} <= {p.name for p in story.places}


def test_charset_comes_from_the_bom_then_the_header_then_the_page():
    page = _latin1_page('<meta charset="iso-8859-1">')
    assert declared_charset(page) == "iso-8859-1"
    assert "Bogotá" in decode_html(page, "p.html")
    assert "Bogotá" in decode_html(page.decode("latin-1").encode("utf-8"), "p.html", charset="utf-8")
    assert "Bogotá" in decode_html(b"\xef\xbb\xbf" + "<p>Bogotá</p>".encode(), "p.html", charset="latin-1")
    assert decode_html("<p>Bogotá</p>".encode(), "p.html") == "<p>Bogotá</p>"  # undeclared: UTF-8 first
    assert decode_html(b"<p>Bogot\xe1</p>", "p.html") == "<p>Bogotá</p>"  # ...then windows-1252


def test_bytes_against_the_declared_charset_or_an_unknown_charset_are_one_clear_error():
    with pytest.raises(
        InputError,
        match=r"p\.html: not UTF-8 text despite its declared charset 'utf-8': "
        r"invalid byte 0xe1 at offset \d+",
    ):
        decode_html(b'<meta charset="utf-8"><p>Bogot\xe1</p>', "p.html")
    with pytest.raises(InputError, match=r"p\.html: the page declares an unknown charset 'klingon'"):
        decode_html(b'<meta charset="klingon"><p>x</p>', "p.html")


def test_a_page_without_article_text_is_refused_in_one_line():
    page = "<html><head><title>Home</title><script>load()</script></head><body><nav></nav></body></html>"
    with pytest.raises(
        InputError, match=r"^blank\.html: article is empty \(no article text found in the page\)$"
    ):
        parse_article(page, "html", "blank.html")


def test_places_reads_a_page_exactly_as_build_does(tmp_path):
    path = tmp_path / "floods.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    text, mentions = pipeline.find_places(path)
    assert text == parse_article(NEWS_PAGE, "html", str(path)).text
    story = pipeline.build(path, write=False).story
    assert {m.name for m in mentions} == {p.name for p in story.places}
    assert "Gaza" not in {m.name for m in mentions}
