"""Reading the article out of real-pattern news pages (snippets written for these tests)."""

from __future__ import annotations

import pytest
from pages import NEWS_PAGE, PARAS, latin1_page

from storymap import files, pipeline
from storymap.article import parse_article
from storymap.errors import InputError
from storymap.storyfile import dump_story, load_story
from storymap.webpage import declared_charset, decode_html

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
    path.write_bytes(latin1_page(declaration))
    text, fmt = files.read_article(path)
    assert fmt == "html" and "Bogotá" in text and "São Paulo" in text
    story = pipeline.build(path, write=False).story
    assert story.title == "Protestas en Bogotá"
    assert {"Bogotá", "Medellín"} <= {p.name for p in story.places}


def test_charset_comes_from_the_bom_then_the_header_then_the_page():
    page = latin1_page('<meta charset="iso-8859-1">')
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


# --------------------------------------------------------------------------- credit in the story


def _credited_story():
    story = pipeline.story_from_text(NEWS_PAGE, "html", "floods.html")
    return story.model_copy(
        update={
            "site": "<b>Herald</b> & Co",
            "byline": "<script>alert(1)</script>",
            "url": 'https://news.example.org/a?x=1&y="2"',
        }
    )


def test_the_story_file_round_trips_the_credit():
    story = _credited_story()
    text = dump_story(story, "floods.yaml")
    assert load_story(text, "floods.yaml") == story
    plain = dump_story(pipeline.story_from_text(PARAS[0], "txt", "a.txt"), "a.yaml")
    assert (
        "\nsite:" not in plain and "\nurl:" not in plain
    )  # no empty credit fields in a plain article's file


def test_a_story_file_link_must_be_http_or_https():
    text = dump_story(_credited_story(), "s.yaml").replace("url: https://", "url: javascript://")
    with pytest.raises(InputError, match=r"s\.yaml: line \d+: url: expected an http:// or https:// address"):
        load_story(text, "s.yaml")


def test_the_story_panel_credits_the_source_escaped():
    html = pipeline.render(_credited_story())
    assert (
        '<p class="sm-credit">Source: '
        '<span class="sm-credit-site">&lt;b&gt;Herald&lt;/b&gt; &amp; Co</span>, '
        '<span class="sm-credit-byline">&lt;script&gt;alert(1)&lt;/script&gt;</span>, '
        '<span class="sm-credit-date">2024-10-30</span> · <a class="sm-credit-link" '
        'href="https://news.example.org/a?x=1&amp;y=&#34;2&#34;" rel="noopener noreferrer" target="_blank">'
        "read the original</a></p>"
    ) in html
    assert "<script>alert(1)" not in html


def test_a_plain_article_has_no_credit_line():
    html = pipeline.render(pipeline.story_from_text(PARAS[0], "txt", "a.txt"))
    assert "sm-credit" not in html.split("<style", 1)[0] and 'class="sm-credit"' not in html


def test_widget_labels_inside_the_article_are_dropped():
    page = f"""<html><head><title>Floods close roads across Valencia</title></head><body><article>
<h1>Floods close roads across Valencia</h1><p>{PARAS[0]}</p><p>Share this:</p><p>Advertisement</p>
<p>{PARAS[1]}</p><p>Tweet this</p><p>Read more</p><h2>Farmers count the cost</h2><p>{PARAS[2]}</p>
</article></body></html>"""
    a = parse_article(page, "html", "floods.html")
    assert [p for s in a.sections for p in s.paragraphs] == PARAS[:3]
    assert [s.heading for s in a.sections] == ["", "Farmers count the cost"]


def test_subheadings_that_head_nothing_are_not_chapters():
    page = f"""<html><head><title>Floods close roads across Valencia</title></head><body><article>
<h1>Floods close roads across Valencia</h1><p>{PARAS[0]}</p><p>{PARAS[1]}</p>
<h2>Farmers count the cost</h2><p>{PARAS[2]}</p><h2>Trending</h2><h2>Showcase</h2><p>{PARAS[3]}</p>
<h2>Most read</h2></article></body></html>"""
    a = parse_article(page, "html", "floods.html")
    assert [s.heading for s in a.sections] == ["", "Farmers count the cost", "Showcase"]


# --------------------------------------------------------------------------- furniture inside the article


def _page(body: str, title: str = "Floods close roads across Valencia") -> str:
    head = f"<html><head><title>{title} | The Coastal Herald</title></head>"
    return f"{head}<body><article>{body}</article></body></html>"


def _paragraphs(page: str) -> list[str]:
    return [p for s in parse_article(page, "html", "p.html").sections for p in s.paragraphs]


def test_lists_of_links_are_furniture_and_lists_of_prose_are_text():
    crumbs = '<ul class="crumbs"><li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
    crumbs += "<li>Europe</li></ul>"
    tags = '<dl><dt>Keywords</dt><dd><a href="/t/gaza">Gaza</a>,</dd><dd><a href="/t/china">China</a></dd>'
    tags += "</dl>"
    steps = "".join(f"<li>{p}</li>" for p in PARAS[2:4])
    page = _page(f"{crumbs}<p>{PARAS[0]}</p><ul>{steps}</ul><p>{PARAS[1]}</p>{tags}")
    got = _paragraphs(page)
    assert got == [PARAS[0], *PARAS[2:4], PARAS[1]]


def test_teasers_after_the_article_are_dropped_and_linked_subheadings_inside_it_kept():
    teasers = (
        '<h3>Trending</h3><h2><a href="/a">Wildfires rage near Athens</a></h2>'
        '<p>Crews fought the flames through the night. <a href="/a">Full article</a></p>'
        '<h2><a href="/b">Storm hits Hong Kong</a></h2>'
        '<p>Ferries stayed in port. <a href="/b">Full article</a></p>'
    )
    quizzes = "".join(
        f'<li><a href="/quiz/{i}"></a><h4>Quiz {i}</h4><p>How well do you know Berlin?</p>Take quiz</li>'
        for i in range(3)
    )
    page = _page(
        f'<p>{PARAS[0]}</p><h2><a href="/growers">Farmers count the cost</a></h2><p>{PARAS[2]}</p>'
        f"<h2>A warning ignored</h2><p>{PARAS[4]}</p>{teasers}<ul>{quizzes}</ul>"
    )
    a = parse_article(page, "html", "p.html")
    assert [s.heading for s in a.sections] == ["", "Farmers count the cost", "A warning ignored"]
    assert [p for s in a.sections for p in s.paragraphs] == [PARAS[0], PARAS[2], PARAS[4]]
    for junk in ("Athens", "Hong Kong", "Berlin", "Full article", "Trending"):
        assert junk not in a.text, junk


def test_embed_code_shown_as_text_is_dropped_and_a_code_sample_kept():
    embed = (
        "&lt;iframe width='670' src='https://video.example.org/embed/1'&gt;Your browser does not support"
        " frames. &lt;a href='https://video.example.org/1'&gt;Watch the video.&lt;/a&gt;&lt;/iframe&gt;"
    )
    sample = '&lt;iframe src="/map" width="300"&gt;&lt;/iframe&gt;'
    page = _page(f"<p>{PARAS[0]} {embed}</p><p>{PARAS[1]}</p><pre><code>{sample}</code></pre>")
    text = parse_article(page, "html", "p.html").text
    assert PARAS[0] in text and "browser does not support" not in text and "video.example.org" not in text
    assert '<iframe src="/map" width="300"></iframe>' in text


def test_the_headline_above_the_article_is_the_title_not_a_section():
    page = (
        "<html><head><title>Valencia floods: roads closed | The Coastal Herald</title></head><body><article>"
        f"<h1>Floods close roads across Valencia</h1><p>{PARAS[0]}</p><p>{PARAS[1]}</p>"
        f"<h2>Farmers count the cost</h2><p>{PARAS[2]}</p></article></body></html>"
    )
    a = parse_article(page, "html", "p.html")
    assert [s.heading for s in a.sections] == ["", "Farmers count the cost"]
    assert "Floods close roads" not in a.text
    repeated = _page(f"<p>{PARAS[0]}</p><h2>Floods close roads across Valencia</h2><p>{PARAS[1]}</p>")
    assert parse_article(repeated, "html", "p.html").text == f"{PARAS[0]}\n\n{PARAS[1]}"


def test_when_trafilatura_reads_only_a_menu_readability_reads_the_article(monkeypatch):
    from lxml import etree

    from storymap import webpage

    page = _page("".join(f"<p>{p}</p>" for p in PARAS[:3]))
    real = webpage._extract

    def menu_only(trafilatura, root, deep):  # trafilatura picking the menu, as it does on some pages
        doc = real(trafilatura, root, deep)
        menu = "Close Subscribe HOMES Gardens TRAVEL Coast Islands Search Renew"
        body = etree.fromstring(f"<body><p>{menu}</p></body>")
        doc.body = body
        return doc

    monkeypatch.setattr(webpage, "_extract", menu_only)
    assert _paragraphs(page) == PARAS[:3]
    assert (a := parse_article(page, "html", "p.html")).title == "Floods close roads across Valencia"
    assert "Subscribe" not in a.text


def test_a_menu_is_kept_when_readability_finds_no_other_prose(monkeypatch):
    from lxml import etree

    from storymap import webpage

    page = _page("<p>Close</p><p>Subscribe</p><p>Gardens</p><p>Weekly letter</p>")
    real = webpage._extract

    def menu_only(trafilatura, root, deep):
        doc = real(trafilatura, root, deep)
        body = etree.fromstring("<body><p>Close Subscribe Gardens</p></body>")
        doc.body = body
        return doc

    monkeypatch.setattr(webpage, "_extract", menu_only)
    assert _paragraphs(page) == ["Close Subscribe Gardens"]


def test_a_dateline_above_the_body_is_not_the_intro_but_dates_inside_it_are_text():
    page = _page(
        f"<p>On May 23, 2014 at 1:30 PM</p><p>{PARAS[0]}</p><p>Meetings this year:</p>"
        f"<p>Friday, August 1, 2014</p><p>{PARAS[1]}</p>"
    )
    assert _paragraphs(page) == [PARAS[0], "Meetings this year:", "Friday, August 1, 2014", PARAS[1]]


def test_a_sentence_is_prose_in_any_script():
    from storymap.webpage import _is_prose

    assert _is_prose(PARAS[0])
    assert _is_prose("香港行政长官在各方压力下就其大宅的违章建筑问题到立法会接受质询，并向香港民众道歉。")
    assert not _is_prose("Close Subscribe HOMES Gardens TRAVEL Coast Islands Search Renew")
    assert not _is_prose("Sign up.")


def test_a_standfirst_set_as_a_heading_is_a_paragraph_not_a_chapter_title():
    dek = "Rain flooded the towns south of Valencia overnight, and the roads to Madrid are still closed."
    page = _page(f"<h2>{dek}</h2><p>{PARAS[0]}</p><h2>Farmers count the cost</h2><p>{PARAS[2]}</p>")
    a = parse_article(page, "html", "p.html")
    assert [s.heading for s in a.sections] == ["", "Farmers count the cost"]
    assert [p for s in a.sections for p in s.paragraphs] == [dek, PARAS[0], PARAS[2]]
