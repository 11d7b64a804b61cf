"""Sort places into thematic layers with a transparent keyword lexicon.

The lexicon is data (``storymap/data/layers.yaml``; a user may pass their own):
each layer lists keywords, and a place goes to the layer whose keywords occur most
often in the sentences that mention it.  Nothing here knows about any article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import ValidationError

from storymap import validate
from storymap.errors import InputError
from storymap.model import Layer, Place

_DEFAULT = "layers.yaml"


@dataclass(frozen=True)
class LayerRule:
    """One layer of the lexicon: its look and the words that select it."""

    id: str
    title: str
    color: str
    pattern: re.Pattern[str] | None

    def hits(self, text: str) -> int:
        """How many keywords of this layer occur in ``text``."""
        return len(self.pattern.findall(text)) if self.pattern else 0


@dataclass(frozen=True)
class Lexicon:
    """The layers in priority order, and the layer for places no keyword selects."""

    rules: tuple[LayerRule, ...]
    fallback: LayerRule


def parse_lexicon(data: Any, source: str = "layers") -> Lexicon:
    """Validate a lexicon mapping (as loaded from YAML) into a ``Lexicon``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("layers"), list) or not data["layers"]:
        raise InputError(source, "expected a mapping with a non-empty 'layers' list")
    rules = tuple(_rule(item, f"layers[{i}]", source) for i, item in enumerate(data["layers"]))
    fallback = _rule(data.get("fallback") or {"id": "context", "title": "Other places"}, "fallback", source)
    ids = [r.id for r in (*rules, fallback)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(source, f"layers: duplicate id {duplicates[0]!r}")
    return Lexicon(rules=rules, fallback=fallback)


def load_lexicon(text: str, source: str) -> Lexicon:
    """Parse lexicon YAML text (read by the caller) into a ``Lexicon``."""
    _, data = validate.load_yaml(text, source, max_bytes=validate.MAX_LEXICON_BYTES)
    return parse_lexicon(data, source)


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with storymap."""
    from importlib.resources import files

    text = files("storymap").joinpath("data", _DEFAULT).read_text(encoding="utf-8")
    return load_lexicon(text, _DEFAULT)


def assign_layers(places: Sequence[Place], lexicon: Lexicon | None = None) -> tuple[list[Place], list[Layer]]:
    """Give every place a layer; return the places and the non-empty layers in lexicon order."""
    lexicon = lexicon or default_lexicon()
    chosen: list[Place] = []
    members: dict[str, list[str]] = {}
    for place in places:
        rule = choose_layer(place, lexicon)
        chosen.append(place.model_copy(update={"layer": rule.id}))
        members.setdefault(rule.id, []).append(place.id)
    layers = [
        Layer(id=rule.id, title=rule.title, color=rule.color, places=members[rule.id])
        for rule in (*lexicon.rules, lexicon.fallback)
        if rule.id in members
    ]
    return chosen, layers


def choose_layer(place: Place, lexicon: Lexicon) -> LayerRule:
    """The rule with the most keyword hits in the place's sentences (first listed wins ties)."""
    sentences = dict.fromkeys(m.sentence for m in place.mentions)
    text = "\n".join(sentences)
    best, best_hits = lexicon.fallback, 0
    for rule in lexicon.rules:
        hits = rule.hits(text)
        if hits > best_hits:
            best, best_hits = rule, hits
    return best


def _rule(item: Any, where: str, source: str) -> LayerRule:
    if not isinstance(item, Mapping):
        raise InputError(source, f"{where}: expected a mapping with id, title, color, keywords")
    keywords = item.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip("*") for k in keywords):
        raise InputError(source, f"{where}.keywords: expected a list of words, got {keywords!r}")
    try:
        layer = Layer(
            id=item.get("id", ""), title=str(item.get("title", "")), color=item.get("color", "#4d4d4d")
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        raise InputError(source, f"{where}.{field}: {error['msg']}") from None
    return LayerRule(
        id=layer.id, title=layer.title or layer.id, color=layer.color, pattern=_pattern(keywords)
    )


def _pattern(keywords: list[str]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    alternatives = sorted((re.escape(k[:-1]) + r"\w*" if k.endswith("*") else re.escape(k)) for k in keywords)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)
