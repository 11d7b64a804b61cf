"""The embed kit: a responsive iframe snippet for a published story map.

Without ``height`` or ``aspect`` the snippet starts at 600 px and follows the height the map
page reports through ``postMessage`` (``{"type": "storymap:height", "height": N}``); its small
script checks the sender and the message shape before touching the frame.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from storymap.errors import InputError
from storymap.render.assets import environment

DEFAULT_HEIGHT = 600
MAX_HEIGHT = 10_000
MIN_RATIO, MAX_RATIO = 0.1, 10.0
_ASPECT = re.compile(r"[ \t]*(\d+(?:\.\d+)?)[ \t]*:[ \t]*(\d+(?:\.\d+)?)[ \t]*")


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if not url.strip() or len(url) > 8192 or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in url):
        raise InputError("URL", f"expected the address of the published map, got {url!r}")
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        raise InputError(
            "URL", f"expected an http(s) address or a relative path, got scheme {parts.scheme!r}"
        )
    return url.strip()


def _ratio(aspect: str) -> float:
    """Height as a percentage of width for ``W:H`` (the padding-top of the responsive box)."""
    match = _ASPECT.fullmatch(aspect) if len(aspect) <= 40 else None
    width, height = (float(match.group(1)), float(match.group(2))) if match else (0.0, 0.0)
    if not match or width <= 0 or height <= 0:
        raise InputError("--aspect", f"expected a ratio W:H such as 16:9 or 4:3, got {aspect!r}")
    ratio = height / width
    if not MIN_RATIO <= ratio <= MAX_RATIO:
        raise InputError(
            "--aspect", f"expected a ratio between 10:1 and 1:10 (like 16:9 or 4:3), got {aspect!r}"
        )
    return round(100 * ratio, 4)


def embed_snippet(
    url: str,
    *,
    height: int | None = None,
    aspect: str | None = None,
    title: str = "Story map",
    description: str = "",
) -> str:
    """HTML that embeds the map at ``url`` in a responsive iframe with a ``title`` attribute.

    ``aspect`` ("16:9") keeps a fixed ratio; ``height`` fixes the height in pixels; with
    neither, the frame adopts the height the map reports (auto-height). ``description``
    (the story's alt text, ``Story.alt_text()``) describes the map to screen readers
    through ``aria-describedby``.
    """
    url = _check_url(url)
    if height is not None and aspect is not None:
        raise InputError("--height/--aspect", "give one of --height and --aspect, not both")
    if height is not None and (
        isinstance(height, bool) or not isinstance(height, int) or not 100 <= height <= MAX_HEIGHT
    ):
        raise InputError(
            "--height", f"expected a whole number of pixels from 100 to {MAX_HEIGHT}, got {height!r}"
        )
    ratio = _ratio(aspect) if aspect is not None else None
    template = environment().get_template("embed_snippet.html.j2")
    return (
        template.render(
            url=url,
            title=title.strip() or "Story map",
            ratio=ratio,
            height=height or DEFAULT_HEIGHT,
            auto=height is None and ratio is None,
            description=" ".join(description.split()),
            description_id="storymap-desc-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:10],
        ).strip()
        + "\n"
    )
