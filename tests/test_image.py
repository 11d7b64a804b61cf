"""The still image (PNG, SVG) and its place in the page: fallback without scripts, print, social tags."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from test_export import hostile_story  # noqa: F401 - a fixture

from storymap import pipeline
from storymap.errors import InputError
from storymap.export.image import figure, render_image
from storymap.model import Story

SVG = "{http://www.w3.org/2000/svg}"


def _colors(png: bytes) -> dict[tuple[int, int, int], int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {color: n for n, color in image.getcolors(maxcolors=1 << 20)}


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def overview(seed_story):
    return render_image(seed_story, "png")


def test_png_size_and_not_blank(overview, seed_story):
    image = Image.open(io.BytesIO(overview))
    assert image.size == (1200, 750)
    colors = _colors(overview)
    assert len(colors) > 200  # land, sea, borders, fills, anti-aliased text
    assert max(colors.values()) < 0.6 * 1200 * 750  # no single colour fills the image
    for layer in seed_story.layers:  # every layer's markers (legend and places) in their exact colour
        assert colors.get(_rgb(layer.color), 0) > 100, layer.id


def test_chapter_image_shows_that_chapters_layers(seed_story):
    png = render_image(seed_story, "png", chapter=3, width=600)
    assert Image.open(io.BytesIO(png)).size == (600, 375)
    colors = _colors(png)
    shown = {seed_story.place(pid).layer for pid in seed_story.chapters[2].places}
    for layer in seed_story.layers:
        if layer.id in shown:
            assert colors.get(_rgb(layer.color), 0) > 20, layer.id
    assert png != render_image(seed_story, "png", width=600)


def test_images_are_deterministic(seed_story, overview):
    assert render_image(seed_story, "png") == overview
    assert render_image(seed_story, "svg") == render_image(seed_story, "svg")


def test_svg_has_the_title_legend_and_labels_as_text(seed_story):
    root = ET.fromstring(render_image(seed_story, "svg", width=900))
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert seed_story.title.split()[0] in texts
    for layer in seed_story.layers:
        assert layer.title in texts
    assert "Natural Earth" in texts
    assert root.get("width") == "648pt"  # 900 px at 72/100


def test_places_are_labelled_where_they_fit(seed_story):
    fig = figure(seed_story, None, 1200)
    labels = {t.get_text() for t in fig.axes[0].texts}
    points = {p.name for p in seed_story.places if p.geometry is None}
    assert len(labels & points) >= len(points) - 2  # a crowded name may be left out, not many
    assert labels <= {p.name for p in seed_story.places}
    boxes = [t.get_window_extent() for t in fig.axes[0].texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_palette_png_keeps_layer_colours_and_stays_small(seed_story):
    png = render_image(seed_story, "png", width=720, colors=32)
    assert len(png) < 45_000
    image = Image.open(io.BytesIO(png))
    assert image.mode == "P" and image.size == (720, 450)
    colors = _colors(png)
    for layer in seed_story.layers:
        assert colors.get(_rgb(layer.color), 0) > 20, layer.id


def test_hostile_text_is_drawn_literally_and_the_svg_runs_nothing(hostile_story):  # noqa: F811
    svg = render_image(hostile_story, "svg")
    root = ET.fromstring(svg)
    tags = {el.tag for el in root.iter()}
    assert f"{SVG}script" not in tags and f"{SVG}foreignObject" not in tags
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert hostile_story.title in texts
    render_image(hostile_story, "png")
    dollars = hostile_story.model_copy(update={"title": "$x^2$ and $\\frac{1}{0}$ cost $5"})
    layers = [layer.model_copy(update={"title": "$\\alpha$ layer"}) for layer in dollars.layers]
    texts = [
        t.text
        for t in ET.fromstring(render_image(dollars.model_copy(update={"layers": layers}), "svg")).iter(
            f"{SVG}text"
        )
    ]
    assert "$x^2$ and $\\frac{1}{0}$ cost $5" in texts  # no mathtext: dollars stay dollars
    assert any(t.startswith("$\\alpha$ layer (") for t in texts)


def test_an_empty_story_still_gives_an_image():
    png = render_image(Story(title="Nothing here"), "png", width=400)
    assert Image.open(io.BytesIO(png)).size == (400, 250)


def test_bad_chapter_and_width_name_the_option(seed_story):
    with pytest.raises(InputError, match=r"^--chapter: expected a chapter number from 1 to 6, got 7"):
        render_image(seed_story, "png", chapter=7)
    with pytest.raises(InputError, match="^--width:"):
        render_image(seed_story, "png", width=50)


# --------------------------------------------------------------------------- in the page


def test_the_page_inlines_a_small_still_image_with_alt_text(seed_story):
    html = pipeline.render(seed_story)
    img = re.search(
        r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" width="720" height="450" alt="([^"]*)">', html
    )
    assert img, "no inlined still image"
    assert len(img.group(1)) < 60_000  # base64: the page must stay <= 500 KB
    assert Image.open(io.BytesIO(base64.b64decode(img.group(1)))).size == (720, 450)
    assert img.group(2) == seed_story.alt_text()
    assert 'aria-describedby="sm-map-description"' in html
    assert f'<p class="sm-visually-hidden" id="sm-map-description">{seed_story.alt_text()}</p>' in html
    assert "@media print" in html and "og:image" not in html
    assert "<img" not in pipeline.render(seed_story, still=False)


def test_base_url_writes_the_card_and_social_tags(tmp_path):
    result = pipeline.build(
        None, tmp_path / "my map.html", base_url="https://news.example.org/maps", geojson=True
    )
    html = result.text
    assert '<meta property="og:image" content="https://news.example.org/maps/my%20map.png">' in html
    assert '<meta name="twitter:image" content="https://news.example.org/maps/my%20map.png">' in html
    assert '<meta property="og:url" content="https://news.example.org/maps/my%20map.html">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    card = tmp_path / "my map.png"
    assert result.also == [card, tmp_path / "my map.geojson"]
    assert Image.open(card).size == (1200, 750)
    assert (tmp_path / "my map.geojson").read_text(encoding="utf-8").startswith('{"type":"FeatureCollection"')


@pytest.mark.parametrize("url", ["news.example.org/maps", "javascript:alert(1)", "ftp://x.org/", "https://"])
def test_bad_base_url_is_refused(url, tmp_path):
    with pytest.raises(InputError, match="^--base-url:"):
        pipeline.build(None, tmp_path / "x.html", base_url=url)
    assert not list(tmp_path.iterdir())


def test_the_credit_names_the_publication_or_the_page(seed_story):
    from storymap.export.image import _credit

    assert _credit(seed_story) == "Source: us-colombia-white-house.txt · "
    web = seed_story.model_copy(update={"source": "https://www.example.org/a/b.html?x=1", "site": ""})
    assert _credit(web) == "Source: www.example.org · "
    assert _credit(web.model_copy(update={"site": "The Coastal Herald"})) == "Source: The Coastal Herald · "
    assert _credit(Story(title="t")) == ""


def test_the_png_places_the_same_names_without_overlaps(seed_story):
    from storymap.export import raster

    image, labels = raster.render_png(seed_story, None, None, 1200)
    assert image.size == (1200, 750) and image.mode == "RGB"
    names = [text for text, _ in labels]
    points = {p.name for p in seed_story.places if p.geometry is None}
    assert len(set(names) & points) >= len(points) - 2  # a crowded name may be left out, not many
    assert set(names) <= {p.name for p in seed_story.places}
    boxes = [box for _, box in labels]
    assert not any(raster._overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert all(b[0] >= 0 and b[2] <= 1200 and b[1] >= 0 and b[3] <= 750 for b in boxes)
    svg_names = {t.get_text() for t in figure(seed_story, None, 1200).axes[0].texts}
    assert len(set(names) & svg_names) >= len(svg_names) - 2  # the SVG names the same places


def test_the_png_is_drawn_without_matplotlib(tmp_path):
    """The page inlines the PNG in every build: drawing it must not import matplotlib."""
    import subprocess
    import sys

    code = (
        "import sys; from storymap import pipeline\n"
        "from storymap.export.image import render_image\n"
        "png = render_image(pipeline.sync_layers(pipeline.load(None)), 'png', width=720, colors=32)\n"
        "print(len(png) > 10_000, 'matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == ["True", "False"], done.stderr


@pytest.mark.parametrize("size", [(1, 1), (64, 64), (200, 65), (130, 300)])
def test_a_paint_through_its_inked_boxes_is_the_paint_through_the_whole_mask(size):
    """``_paint`` pastes only the boxes of its mask that hold ink: the same pixels as one paste."""
    import random

    from PIL import ImageDraw

    from storymap.export import raster

    rnd = random.Random(size[0] * 1000 + size[1])
    mask = Image.new("L", size, 0)
    pen = ImageDraw.Draw(mask)
    for _ in range(3):  # an outline, a filled shape and a lone pixel, in two inks
        pts = [(rnd.uniform(0, size[0]), rnd.uniform(0, size[1])) for _ in range(4)]
        pen.line(pts, fill=rnd.choice([77, 255]), width=1)
    pen.polygon([(0, 0), (size[0] / 3, 0), (0, size[1] / 3)], fill=128)
    mask.putpixel((size[0] - 1, size[1] - 1), 9)
    boxes = raster._inked_boxes(mask)
    covered = Image.new("L", size, 0)
    for box in boxes:
        assert 0 <= box[0] < box[2] <= size[0] and 0 <= box[1] < box[3] <= size[1]
        assert covered.crop(box).getbbox() is None  # disjoint
        covered.paste(255, box)
    assert all(c for m, c in zip(mask.tobytes(), covered.tobytes(), strict=True) if m)
    base = Image.effect_noise(size, 60).convert("RGB")
    whole, parts = base.copy(), base.copy()
    whole.paste((200, 30, 90), (0, 0, *size), mask)
    for box in boxes:
        parts.paste((200, 30, 90), box, mask.crop(box))
    assert parts.tobytes() == whole.tobytes()
    assert raster._inked_boxes(Image.new("L", size, 0)) == []
