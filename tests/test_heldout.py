"""The geoparser on held-out news unlike the benchmark corpora (tests/data/heldout.yaml).

Every expected place must be found with the right country and within 161 km of the
expected point (or, for an area, with an outline containing it); every "not a place" string
must not be a mention.  ``python tests/test_heldout.py`` prints the score and the misses.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from shapely.geometry import Point, shape

from storymap.geoparse import find_mentions
from storymap.model import Mention

DATA = Path(__file__).resolve().parent / "data" / "heldout.yaml"
KM = 161.0
PASSAGES: list[dict[str, Any]] = yaml.safe_load(DATA.read_text(encoding="utf-8"))["passages"]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _span(text: str, surface: str, nth: int) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = text.find(surface, start + 1)
        assert start >= 0, f"{surface!r} (occurrence {nth}) is not in the passage"
    return start, start + len(surface)


def _near(m: Mention, lat: float, lon: float) -> bool:
    if _km(m.lat, m.lon, lat, lon) <= KM:
        return True
    return m.geometry is not None and shape(m.geometry).covers(Point(lon, lat))


def check(passage: dict[str, Any]) -> tuple[list[str], dict[str, int]]:
    """Problems with one passage, and its counts (places, found, right, not-places, false hits)."""
    text = passage["text"].strip()
    mentions = find_mentions(text)
    problems: list[str] = []
    counts = {"places": 0, "found": 0, "right": 0, "not_places": 0, "false": 0}
    for ex in passage["expect"]:
        start, end = _span(text, ex["text"], ex.get("nth", 1))
        hits = [m for m in mentions if m.start < end and start < m.end]
        if ex.get("place", True) is False:
            counts["not_places"] += 1
            if hits:
                counts["false"] += 1
                problems.append(f"{ex['text']!r} is not a place, got {[(m.text, m.ref) for m in hits]}")
            continue
        counts["places"] += 1
        if not hits:
            problems.append(f"{ex['text']!r} not found")
            continue
        counts["found"] += 1
        m = hits[0]
        countries = ex["country"] if isinstance(ex["country"], list) else [ex["country"]]
        if m.country in countries and _near(m, ex["lat"], ex["lon"]):
            counts["right"] += 1
        else:
            km = _km(m.lat, m.lon, ex["lat"], ex["lon"])
            got = f"{m.name} ({m.ref}, {m.country or '-'})"
            problems.append(f"{ex['text']!r} -> {got} {km:.0f} km off, expected {countries}")
    return problems, counts


@pytest.mark.parametrize("passage", PASSAGES, ids=[p["id"] for p in PASSAGES])
def test_heldout_passage(passage: dict[str, Any]) -> None:
    problems, _ = check(passage)
    assert not problems, "\n".join(problems)


def test_heldout_set_is_well_formed() -> None:
    ids = [p["id"] for p in PASSAGES]
    assert len(ids) == len(set(ids)) >= 30
    for p in PASSAGES:
        text = p["text"].strip()
        for ex in p["expect"]:
            _span(text, ex["text"], ex.get("nth", 1))
            if ex.get("place", True):
                assert -90 <= ex["lat"] <= 90 and -180 <= ex["lon"] <= 180


if __name__ == "__main__":
    total = {"places": 0, "found": 0, "right": 0, "not_places": 0, "false": 0}
    for p in PASSAGES:
        problems, counts = check(p)
        for k, v in counts.items():
            total[k] += v
        for line in problems:
            print(f"{p['id']}: {line}")
    print(
        f"places {total['places']}: found {total['found']}, right within {KM:.0f} km {total['right']}; "
        f"not-places {total['not_places']}: false hits {total['false']}"
    )
