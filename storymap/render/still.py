"""The still image in the page: the fallback when scripts are off, the printed map, the social card.

The image is the PNG of ``storymap.export.image`` reduced to a small palette and inlined as a
data URI (about 30 KB); ``og:image``/``twitter:image`` point at the full-size PNG that
``storymap build --base-url`` writes beside the page. The alt text also describes the live
map to screen readers (``aria-describedby``).
"""

from __future__ import annotations

import base64
from functools import lru_cache
from urllib.parse import urlsplit

from storymap.errors import InputError
from storymap.export.alttext import alt_text
from storymap.model import Story
from storymap.render.elements import StoryElement

#: The inlined fallback: its width in pixels and palette size (keeps it near 40 KB).
INLINE_WIDTH = 720
INLINE_COLORS = 32
#: The social card written beside the page (og:image).
CARD_WIDTH = 1200


class StillImage(StoryElement):
    """The inlined still image (shown without scripts and in print), its alt text and social tags."""

    template_name = "still_image.html.j2"
    element_name = "StillImage"

    def __init__(
        self, story: Story, *, still: bool = True, image_url: str | None = None, page_url: str | None = None
    ) -> None:
        super().__init__()
        from storymap.export.image import ASPECT

        self.alt = alt_text(story)
        self.title = story.title
        self.description = story.standfirst
        self.src = inline_png(story.model_dump_json()) if still else ""
        self.width, self.height = INLINE_WIDTH, round(INLINE_WIDTH * ASPECT)
        self.image_url = image_url
        self.page_url = page_url
        self.image_width, self.image_height = CARD_WIDTH, round(CARD_WIDTH * ASPECT)


@lru_cache(maxsize=16)
def inline_png(story_json: str) -> str:
    """The palette PNG of a story (given as its JSON) as a data URI; cached, since it is pure."""
    from storymap.export.image import render_image

    story = Story.model_validate_json(story_json)
    png = render_image(story, "png", width=INLINE_WIDTH, colors=INLINE_COLORS)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def check_base_url(url: str) -> str:
    """``url`` as the folder address of the published page, ending in ``/`` (http or https)."""
    parts = urlsplit(url.strip())
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(ord(c) < 33 for c in url.strip())
    ):
        raise InputError(
            "--base-url", f"expected the http(s) address of the folder the map is published in, got {url!r}"
        )
    base = url.strip()
    return base if base.endswith("/") else base + "/"
