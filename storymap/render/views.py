"""What the popup, places-list and legend templates show about a place: data, never HTML.

Also the colour arithmetic that keeps text on layer colours readable (WCAG AA).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from storymap.model import LOW_CONFIDENCE, Place

MAX_QUOTES = 3
KIND_LABELS = {
    "city": "City",
    "country": "Country",
    "admin": "Region",
    "water": "Sea or water",
    "region": "Region",
    "landmark": "Landmark",
}


# --------------------------------------------------------------------------- colours


def _luminance(color: str) -> float:
    hexes = color.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(c * 2 for c in hexes)
    channels = [int(hexes[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two hex colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color_on(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (always >= 4.5:1, WCAG AA)."""
    return "#000000" if contrast(background, "#000000") >= contrast(background, "#ffffff") else "#ffffff"


def mix(color: str, other: str, share: float) -> str:
    """``color`` blended with ``other``: ``share`` of ``color``, the rest of ``other`` (hex in, hex out)."""
    a, b = color.lstrip("#"), other.lstrip("#")
    a, b = (h if len(h) == 6 else "".join(c * 2 for c in h) for h in (a, b))
    channels = (round(int(a[i : i + 2], 16) * share + int(b[i : i + 2], 16) * (1 - share)) for i in (0, 2, 4))
    return "#" + "".join(f"{c:02x}" for c in channels)


INK = "#1d2329"
PAPER = "#ffffff"


def mention_colors(color: str) -> dict[str, str]:
    """Colours of a highlighted mention in the chapter text, from its layer colour.

    ``bg``: a light tint that keeps the ink at >= 4.5:1 (WCAG AA for text); ``line``: the layer
    colour darkened until it stands out from the paper at >= 3:1 (non-text contrast); ``on`` and
    ``on_ink``: the solid layer colour with black or white text, for the emphasised state.
    """
    share = 0.22
    bg = mix(color, PAPER, share)
    while contrast(INK, bg) < 4.5 and share > 0:
        share = round(share - 0.02, 2)
        bg = mix(color, PAPER, share)
    line, dark = color, 1.0
    while contrast(line, PAPER) < 3 and dark > 0:
        dark = round(dark - 0.05, 2)
        line = mix(color, "#000000", dark)
    return {"bg": bg, "line": line, "on": color, "on_ink": text_color_on(color)}


# --------------------------------------------------------------------------- popups


def mark_segments(sentence: str, needles: list[str]) -> list[dict[str, Any]]:
    """Split ``sentence`` into plain and marked runs; every occurrence of a needle is marked."""
    spans: list[tuple[int, int]] = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        start = sentence.find(needle)
        while start >= 0:
            end = start + len(needle)
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
            start = sentence.find(needle, end)
    out: list[dict[str, Any]] = []
    pos = 0
    for s, e in sorted(spans):
        if s > pos:
            out.append({"text": sentence[pos:s], "mark": False})
        out.append({"text": sentence[s:e], "mark": True})
        pos = e
    if pos < len(sentence) or not out:
        out.append({"text": sentence[pos:], "mark": False})
    return out


def _quotes(place: Place) -> list[dict[str, Any]]:
    """The distinct sentences quoting ``place`` in article order, with its mentions marked."""
    grouped: OrderedDict[tuple[str, str], list[str]] = OrderedDict()
    for m in sorted(place.mentions, key=lambda m: m.start):
        grouped.setdefault((m.section, m.sentence), []).append(m.text)
    return [
        {"section": section, "sentence": sentence, "segments": mark_segments(sentence, texts)}
        for (section, sentence), texts in grouped.items()
    ]


def needs_review(place: Place) -> bool:
    """Whether an editor should check this place (flagged, or resolved with low confidence)."""
    return place.review or place.confidence < LOW_CONFIDENCE


def place_view(place: Place, layer_title: str, color: str) -> dict[str, Any]:
    """Everything the popup and places-list templates show about one place (data, not HTML)."""
    quotes = _quotes(place)
    n = len(place.mentions)
    if needs_review(place):
        reason = f"low confidence ({place.confidence:.0%})" if place.confidence < LOW_CONFIDENCE else ""
        reason = reason or "flagged for review"
    else:
        reason = ""
    return {
        "id": place.id,
        "name": place.name,
        "kind_label": KIND_LABELS.get(place.kind, place.kind),
        "country": place.country,
        "layer_title": layer_title,
        "color": color,
        "text_color": text_color_on(color),
        "count_label": "Mentioned once" if n == 1 else f"Mentioned {n} times",
        "review": bool(reason),
        "review_reason": reason,
        "quotes": quotes[:MAX_QUOTES],
        "more": max(0, len(quotes) - MAX_QUOTES),
        "sentence": quotes[0]["sentence"] if quotes else "",
    }
