"""Article stage: title, sections and sentences with exact offsets, for text, Markdown and HTML."""

from __future__ import annotations

import pytest

from storymap.article import MAX_SENTENCE, headline, parse_article
from storymap.errors import InputError

SEED_HEADINGS = [
    "Diplomatic Gestures Mark New Chapter in US-Colombia Relations",
    "Counternarcotics Cooperation Takes Center Stage",
    "From Sanctions to Cooperation",
    "Venezuela and Regional Cooperation",
    "Historical Alliance Under Strain",
]


def assert_offsets(article):
    for s in article.sentences:
        assert s.text == article.text[s.start : s.end]
        assert s.text == s.text.strip() and s.text
        assert 0 <= s.section < len(article.sections)
    starts = [s.start for s in article.sentences]
    assert starts == sorted(starts)
    for a, b in zip(article.sentences, article.sentences[1:], strict=False):
        assert a.end <= b.start


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed(seed_text):
    return parse_article(seed_text, "txt", "us-colombia-white-house.txt")


def test_seed_text_is_kept_verbatim(seed, seed_text):
    assert seed.text == seed_text
    assert seed.source == "us-colombia-white-house.txt"


def test_seed_title_is_the_main_clause_of_the_lead(seed):
    # at most about 90 characters (never a four-line block), cut where a phrase begins
    assert seed.title == (
        "President Donald Trump and Colombian President Gustavo Petro held a nearly two-hour meeting"
    )


def test_seed_sections_are_the_lead_and_the_five_headings(seed):
    assert [s.heading for s in seed.sections] == ["", *SEED_HEADINGS]
    assert [len(s.paragraphs) for s in seed.sections] == [2, 2, 2, 2, 2, 3]
    assert seed.sections[0].paragraphs[0].startswith("President Donald Trump and Colombian President")
    assert seed.sections[2].paragraphs[1].startswith("Additionally, Petro urged Trump")
    assert seed.sections[-1].paragraphs[-1].endswith("whether they will be permanently lifted.")
    for section in seed.sections:
        if section.heading:
            assert seed.text[section.start : section.start + len(section.heading)] == section.heading
        for paragraph in section.paragraphs:
            assert paragraph in seed.text[section.start : section.end]


def test_seed_sentences_have_exact_offsets(seed):
    assert_offsets(seed)
    # 28 body sentences plus the 5 headings, which are quotable lines too
    assert len(seed.sentences) == 33
    assert seed.sentences[0].text.endswith("after weeks of hostile exchanges.")
    assert seed.sentences[1].text.startswith("The meeting, which took place in the Oval Office")
    headings = [s.text for s in seed.sentences if s.text in SEED_HEADINGS]
    assert headings == SEED_HEADINGS


def test_seed_abbreviations_do_not_end_sentences(seed):
    texts = [s.text for s in seed.sentences]
    assert not any(t.endswith("U.S.") for t in texts)
    assert any("providing the U.S. president with names of individuals" in t for t in texts)
    assert any(t.startswith("Meanwhile, the U.S. added Colombia") for t in texts)
    assert any(t.startswith("This comes after Petro criticized the U.S. operation") for t in texts)


def test_seed_sentence_sections_follow_headings(seed):
    by_section = {}
    for s in seed.sentences:
        by_section.setdefault(s.section, []).append(s.text)
    assert by_section[2][0] == "Counternarcotics Cooperation Takes Center Stage"
    assert any("Dubai, Madrid, and Miami" in t for t in by_section[2])
    assert any("Cartagena" in t for t in by_section[4])
    mid = seed.text.index("Dubai")
    assert seed.sentences[seed.sentence_at(mid)].section == 2


# --------------------------------------------------------------------------- plain text rules


def test_abbreviations_decimals_and_quotes():
    text = (
        'Mr. Smith flew to Washington, D.C. on Jan. 5. He paid $3.50 for coffee. "Is it over?" she asked. '
        "Dr. Jones agreed. The U.S. economy grew 2.5 percent."
    )
    a = parse_article(text)
    assert [s.text for s in a.sentences] == [
        "Mr. Smith flew to Washington, D.C. on Jan. 5.",
        "He paid $3.50 for coffee.",
        '"Is it over?" she asked.',
        "Dr. Jones agreed.",
        "The U.S. economy grew 2.5 percent.",
    ]
    assert_offsets(a)


def test_closing_quote_stays_with_its_sentence():
    a = parse_article("Petro said the pair emerged “with a positive view.” Trump agreed.")
    assert [s.text for s in a.sentences] == [
        "Petro said the pair emerged “with a positive view.”",
        "Trump agreed.",
    ]


def test_first_heading_like_line_is_the_title():
    text = (
        "Talks in Washington Go Well\nThe leaders met on Tuesday. They agreed.\n"
        "Trade Disputes\nEcuador objected.\n"
    )
    a = parse_article(text)
    assert a.title == "Talks in Washington Go Well"
    assert [s.heading for s in a.sections] == ["", "Trade Disputes"]
    assert a.sections[0].paragraphs == ("The leaders met on Tuesday. They agreed.",)
    assert a.sentences[0].text == "Talks in Washington Go Well" and a.sentences[0].section == 0
    assert_offsets(a)


def test_heading_needs_a_following_paragraph_and_title_case():
    text = (
        "The talks went well. Both sides said so.\n"
        "the leaders then left without a word\n"  # lower case: a paragraph
        "Closing Remarks\n"  # last line, nothing follows: a paragraph
    )
    a = parse_article(text)
    assert [s.heading for s in a.sections] == [""]
    assert len(a.sections[0].paragraphs) == 3


def test_bylines_datelines_and_credits_are_not_headings():
    text = (
        "Petro Meets Trump at the White House\n"
        "By Jane Doe and John Roe\n"
        "Updated November 26 2026\n"
        "The two leaders met on Tuesday.\n"
        "Photo Credit Reuters\n"
        "© 2026 The Daily Planet\n"
        "Trade Talks Resume\n"
        "Ecuador and Colombia argued.\n"
    )
    a = parse_article(text)
    assert a.title == "Petro Meets Trump at the White House"
    assert [s.heading for s in a.sections] == ["", "Trade Talks Resume"]
    assert a.sections[0].paragraphs[:2] == ("By Jane Doe and John Roe", "Updated November 26 2026")


def test_lines_ending_in_punctuation_are_not_headings():
    a = parse_article("First Line Here.\nA Question Of Trust?\nThe body follows here, at length.\n")
    assert [s.heading for s in a.sections] == [""]


def test_hard_wrapped_text_joins_lines_into_paragraphs():
    text = (
        "The Meeting\n\n"
        "President Trump and President Petro met at the White House on\n"
        "Tuesday. The talks lasted nearly two hours and both described\n"
        "them as friendly.\n\n"
        "Trade and Energy\n\n"
        "Petro raised a trade dispute with Ecuador and asked the United\n"
        "States to mediate.\n"
    )
    a = parse_article(text)
    assert a.title == "The Meeting"
    assert [s.heading for s in a.sections] == ["", "Trade and Energy"]
    assert a.sections[0].paragraphs == (
        "President Trump and President Petro met at the White House on Tuesday. The talks lasted nearly "
        "two hours and both described them as friendly.",
    )
    texts = [s.text for s in a.sentences]
    assert "President Trump and President Petro met at the White House on\nTuesday." in texts
    assert_offsets(a)


def test_hard_wrapped_heading_without_a_blank_line():
    text = (
        "Trade and Energy\n"
        "Petro raised a trade dispute with Ecuador and asked the United States\n"
        "to mediate, officials said on Tuesday in a statement from Bogotá.\n\n"
        "President Donald Trump and Colombian President Gustavo Petro held a\n"
        "meeting at the White House on Tuesday that both leaders described.\n"
    )
    a = parse_article(text)
    assert a.title == "Trade and Energy"
    assert [len(s.paragraphs) for s in a.sections] == [2]
    assert (
        a.sections[0]
        .paragraphs[1]
        .startswith("President Donald Trump and Colombian President Gustavo Petro held")
    )


def test_crlf_and_invisible_characters_are_trimmed():
    a = parse_article("\ufeffFirst sentence here.\r\n\u200bSecond one.\u200b\r\n")
    assert [s.text for s in a.sentences] == ["First sentence here.", "Second one."]
    assert_offsets(a)


def test_overlong_sentence_is_cut_at_spaces():
    text = ("word " * 2000).strip() + "."
    a = parse_article(text)
    assert len(a.sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE for s in a.sentences)
    assert "".join(s.text for s in a.sentences).replace(" ", "") == text.replace(" ", "")
    assert_offsets(a)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n", "\u200b\u200b", "\ufeff\n"])
def test_empty_article_is_an_input_error(text):
    with pytest.raises(InputError) as info:
        parse_article(text, "txt", "empty.txt")
    assert str(info.value) == "empty.txt: article is empty"


def test_unknown_format_is_an_input_error():
    with pytest.raises(InputError, match="unknown article format 'pdf'"):
        parse_article("Hello.", "pdf", "x.pdf")


# --------------------------------------------------------------------------- titles


def test_headline_keeps_short_sentences_and_drops_the_full_stop():
    assert headline("Petro visits Washington.") == "Petro visits Washington"


def test_headline_cuts_long_sentences_at_a_clause_or_a_word():
    long_clause = "Word " * 40
    cut = headline(long_clause)
    assert cut.endswith("…") and len(cut) <= 91
    assert not cut[:-1].endswith(" ")
    assert headline(
        "A" * 30 + " met B in the capital city of the country on a long day, " + "and more " * 20
    ) == ("A" * 30 + " met B in the capital city of the country on a long day")


# --------------------------------------------------------------------------- HTML


HTML = """<!doctype html><html><head><title>Site | Talks</title><style>p{color:red}</style>
<script>alert("</p>x")</script></head><body><nav><a href="/">Home</a> World</nav>
<header><h1>Petro meets Trump &amp; talks</h1></header>
<p>The meeting in <b>Washington</b>, D.C. was long. Mr. Petro left at 5 p.m.</p>
<h2>Trade</h2><p>Colombia and
   Ecuador argued.<br>Talks continue &lt;/script&gt;.</p><script>document.write('evil')</script>
<h3>Next</h3><p>They meet again in Madrid.</p><ul><li>Madrid</li><li>Miami</li></ul>
<footer>(c) Site</footer></body></html>"""


def test_html_uses_a_real_parser_and_drops_scripts_styles_and_chrome():
    a = parse_article(HTML, "html", "a.html")
    assert a.title == "Petro meets Trump & talks"
    assert [s.heading for s in a.sections] == ["", "Trade", "Next"]
    assert a.sections[0].paragraphs == ("The meeting in Washington, D.C. was long. Mr. Petro left at 5 p.m.",)
    assert a.sections[1].paragraphs == ("Colombia and Ecuador argued.", "Talks continue </script>.")
    assert a.sections[2].paragraphs[0] == "They meet again in Madrid."
    for junk in ("alert", "evil", "color:red", "Home", "(c) Site", "Site | Talks"):
        assert junk not in a.text
    assert "Talks continue </script>." in a.text  # entities decode to literal text: it is data
    assert_offsets(a)


@pytest.mark.parametrize(
    "html",
    [
        "<a" * 200_000,
        "</" * 200_000,
        "<![CDATA[" * 100_000,
        "<?" * 200_000,
        "<!" * 200_000,
        "<div>" * 100_000,
    ],
    ids=["open", "close", "cdata", "pi", "decl", "deep"],
)
def test_hostile_markup_is_parsed_in_linear_time(html):
    # Python 3.11's html.parser needs minutes for some of these (400 KB of "<a": 257 s); libxml2 is linear
    try:
        article = parse_article(html + "<p>Visible text.</p><script>hidden()</script>", "html")
    except InputError as e:
        assert "article is empty" in str(e)
    else:
        assert "hidden" not in article.text
        assert_offsets(article)


def test_one_huge_paragraph_is_kept_whole():
    a = parse_article("<p>" + "word " * 2_500_000 + "end.</p>", "html")
    assert len(a.text) == 12_500_004 and a.text.endswith("word end.")


def test_html_title_falls_back_to_the_title_element():
    a = parse_article("<title>Talks  in\nBogotá</title><p>They met.</p>", "html")
    assert a.title == "Talks in Bogotá"
    assert a.text == "They met."


def test_html_title_element_loses_the_site_name():
    a = parse_article(
        "<title>Petro meets Trump at the White House | The Daily</title><p>They met.</p>", "html"
    )
    assert a.title == "Petro meets Trump at the White House"


def test_html_without_text_is_empty():
    with pytest.raises(InputError, match="x.html: article is empty"):
        parse_article("<html><script>var a = 1;</script><p> </p></html>", "html", "x.html")


def test_html_survives_broken_markup():
    a = parse_article("<p>Open <b>bold <i>italic</p><div>Next</span> block.</div><p>Unclosed <em>end", "html")
    assert [s.text for s in a.sentences] == ["Open bold italic", "Next block.", "Unclosed end"]


# --------------------------------------------------------------------------- Markdown


def test_markdown_headings_and_inline_markup():
    md = (
        "# Petro *meets* Trump\n\n"
        "The meeting in [Washington](https://example.org), **D.C.** was long.\nIt ended late.\n\n"
        "## Trade `talks`\n\n- Colombia\n- Ecuador\n\n<script>alert(1)</script>\n"
    )
    a = parse_article(md, "md", "a.md")
    assert a.title == "Petro meets Trump"
    assert [s.heading for s in a.sections] == ["", "Trade talks"]
    assert a.sections[0].paragraphs == ("The meeting in Washington, D.C. was long. It ended late.",)
    assert a.sections[1].paragraphs == ("Colombia", "Ecuador")
    assert "https://" not in a.text and "*" not in a.text and "alert" not in a.text
    assert_offsets(a)


def test_markdown_without_heading_derives_the_title():
    a = parse_article("Petro visited *Washington* on Tuesday. Trump praised him.", "md")
    assert a.title == "Petro visited Washington on Tuesday"


def test_markdown_front_matter_gives_the_title_and_is_not_text():
    md = "---\ntitle: 'Petro: the visit'\nauthor: A. Writer\n---\n\nPetro visited Washington on Tuesday.\n"
    a = parse_article(md, "md")
    assert a.title == "Petro: the visit"
    assert a.text == "Petro visited Washington on Tuesday."


def test_broken_front_matter_is_ignored():
    for meta in ("title: [unclosed", "[" * 5000):
        a = parse_article(f"---\n{meta}\n---\nPetro visited Washington.\n", "md")
        assert a.title == "Petro visited Washington" and a.text == "Petro visited Washington."
