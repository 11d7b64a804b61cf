"""The still image in the page: the fallback when scripts are off, the printed map, the social card.

The image is the PNG of ``storymap.export.image`` reduced to a small palette and inlined as a
data URI (about 30 KB); ``og:image``/``twitter:image`` point at the full-size PNG that
``storymap build --base-url`` writes beside the page. The alt text also describes the live
map to screen readers (``aria-describedby``).
"""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

from storymap.errors import InputError
from storymap.export.alttext import alt_text
from storymap.model import Story
from storymap.recent import Recent, digest
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
        self.src = inline_png(story) if still else ""
        self.width, self.height = INLINE_WIDTH, round(INLINE_WIDTH * ASPECT)
        self.image_url = image_url
        self.page_url = page_url
        self.image_width, self.image_height = CARD_WIDTH, round(CARD_WIDTH * ASPECT)


def inline_png(story: Story) -> str:
    """The palette PNG of a story as a data URI; the recent ones are kept, since it is pure (a story
    is often rendered more than once: the page and its embed)."""
    from storymap.export.image import render_image

    # The story's content, its outlines by digest: dumping them (most of a story's bytes) and
    # reading them back, as a JSON key would, costs more than the key is worth.
    dumped = story.model_dump(exclude={"places": {"__all__": {"geometry"}}})
    key = digest((dumped, [p.geometry for p in story.places]))
    uri = _RECENT.get(key)
    if uri is None:
        png = render_image(story, "png", width=INLINE_WIDTH, colors=INLINE_COLORS)
        uri = _RECENT.put(key, "data:image/png;base64," + base64.b64encode(png).decode("ascii"))
    return uri


_RECENT: Recent[bytes, str] = Recent(16)


def cache_clear() -> None:
    """Forget the images kept by ``inline_png`` (benchmarks time a cold render)."""
    _RECENT.clear()


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
