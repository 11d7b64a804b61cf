"""Sort places into layers: themes where the sentences support them, kinds otherwise.

The lexicon is data (``storymap/data/layers.yaml``; a user may pass their own).  A place
scores each theme by the keywords in the sentences that mention it; senses mute homonyms
(in a sports report an "attack" is not military).  A theme layer is shown only when the
article supports it: its keywords occur in at least ``ARTICLE_MIN`` sentences, and at least
one place has ``PLACE_MIN`` hits of its own with no other theme as strong.  A place joins
the shown theme it scores clearly best in (ties go to the theme more of the article speaks
of; a place with a single hit must have no tie at all).  Every other place joins the
layer of its kind ("Cities and towns", "Seas and waters"...), or the fallback layer when
the lexicon has no kind layers.  Nothing here knows about any article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from pydantic import ValidationError

from storymap import validate, wording
from storymap.errors import InputError
from storymap.model import PLACE_KINDS, Layer, Place

_DEFAULT = "layers.yaml"
_TWIN = "layers.json"

#: Keyword hits one place needs in its own sentences to bring a theme layer onto the map.
PLACE_MIN = 2
#: Keyword hits a place needs to join a theme layer that is on the map.
JOIN_MIN = 1
#: Sentences of the article that must speak of a theme for its layer to be shown.
ARTICLE_MIN = 3
#: Distinct words of a sense that make the whole article read in that sense.
REGISTER_MIN = 3

_EXCEPT, _SENSE = "except:", "sense:"
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])\s+|\n+")


@dataclass(frozen=True)
class LayerRule:
    """One layer of the lexicon: its look, the words that select it, or the kinds it gathers."""

    id: str
    title: str
    color: str
    keywords: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def hits(self, text: str) -> int:
        """How many keywords of this layer occur in ``text`` (outside its ``except`` phrases)."""
        return wording.count(self.keywords, text, self.excluded)


@dataclass(frozen=True)
class Sense:
    """Words that show another sense of some layers' keywords (sport: "attack" is not war)."""

    id: str
    words: tuple[str, ...]
    mutes: frozenset[str]

    def hits(self, text: str) -> int:
        """How many words of this sense occur in ``text``."""
        return wording.count(self.words, text)


@dataclass(frozen=True)
class Lexicon:
    """Theme layers in priority order, senses, layers by kind and the layer for the rest."""

    rules: tuple[LayerRule, ...]
    fallback: LayerRule
    senses: tuple[Sense, ...] = ()
    kinds: tuple[LayerRule, ...] = ()

    @cached_property
    def index(self) -> wording.WordIndex:
        """Every word list of the lexicon in one index: themes, their exceptions, senses."""
        lists: dict[str, tuple[str, ...]] = {}
        for rule in self.rules:
            lists[rule.id] = rule.keywords
            lists[_EXCEPT + rule.id] = rule.excluded
        for sense in self.senses:
            lists[_SENSE + sense.id] = sense.words
        return wording.WordIndex(lists)


def parse_lexicon(data: Any, source: str = "layers") -> Lexicon:
    """Validate a lexicon mapping (as loaded from YAML) into a ``Lexicon``."""
    if not isinstance(data, Mapping) or not isinstance(data.get("layers"), list) or not data["layers"]:
        raise InputError(source, "expected a mapping with a non-empty 'layers' list")
    rules = tuple(_rule(item, f"layers[{i}]", source) for i, item in enumerate(data["layers"]))
    kinds = tuple(
        _kind_rule(item, f"kinds[{i}]", source) for i, item in enumerate(_list(data, "kinds", source))
    )
    fallback = _rule(data.get("fallback") or {"id": "context", "title": "Other places"}, "fallback", source)
    ids = [r.id for r in (*rules, *kinds, fallback)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(source, f"layers: duplicate id {duplicates[0]!r}")
    themes = {r.id for r in rules}
    senses = tuple(
        _sense(item, f"senses[{i}]", source, themes) for i, item in enumerate(_list(data, "senses", source))
    )
    return Lexicon(rules=rules, fallback=fallback, senses=senses, kinds=kinds)


def load_lexicon(text: str, source: str) -> Lexicon:
    """Parse lexicon YAML text (read by the caller) into a ``Lexicon``."""
    _, data = validate.load_yaml(text, source, max_bytes=validate.MAX_LEXICON_BYTES)
    return parse_lexicon(data, source)


@cache
def default_lexicon() -> Lexicon:
    """The lexicon shipped with storymap (``layers.yaml``, read from its JSON twin ``layers.json``,
    which ``geodata/build_lexicon.py`` writes: no YAML parser to import for it)."""
    import json
    from importlib.resources import files

    text = files("storymap").joinpath("data", _TWIN).read_text(encoding="utf-8")
    return parse_lexicon(json.loads(text), _DEFAULT)


def assign_layers(
    places: Sequence[Place], lexicon: Lexicon | None = None, text: str | None = None
) -> tuple[list[Place], list[Layer]]:
    """Give every place a layer; return the places and the non-empty layers in lexicon order.

    ``text`` is the whole article, read for the senses and the support of each theme; without
    it the sentences that mention the places stand for the article.
    """
    lexicon = lexicon or default_lexicon()
    evidence = Evidence(lexicon, places, text)
    scores = {place.id: evidence.place_scores(place) for place in places}
    shown = evidence.shown_themes(places, scores)
    rules = {rule.id: rule for rule in lexicon.rules}
    chosen: list[Place] = []
    members: dict[str, list[str]] = {}
    for place in places:
        theme = best_theme(scores[place.id], lexicon, shown, JOIN_MIN, evidence.support)
        rule = rules[theme] if theme else kind_rule(place, lexicon)
        chosen.append(place.model_copy(update={"layer": rule.id}))
        members.setdefault(rule.id, []).append(place.id)
    layers = [
        Layer(id=rule.id, title=rule.title, color=rule.color, places=members[rule.id])
        for rule in (*lexicon.rules, *lexicon.kinds, lexicon.fallback)
        if rule.id in members
    ]
    return chosen, layers


def choose_layer(place: Place, lexicon: Lexicon) -> LayerRule:
    """The layer of one place judged on its own sentences: its clear best theme, else its kind."""
    evidence = Evidence(lexicon, [place], None)
    theme = best_theme(evidence.place_scores(place), lexicon, {rule.id for rule in lexicon.rules})
    return next(rule for rule in lexicon.rules if rule.id == theme) if theme else kind_rule(place, lexicon)


def best_theme(
    scores: Mapping[str, int],
    lexicon: Lexicon,
    allowed: set[str],
    least: int = PLACE_MIN,
    support: Mapping[str, int] | None = None,
) -> str | None:
    """The theme with most hits, if it has at least ``least`` and is ``allowed``; else None.

    Between themes with as many hits (at least ``PLACE_MIN``), the one ``support`` ranks
    higher (the sentences of the article that speak of it) wins; any other tie is no theme.
    """
    ranked = sorted(((scores.get(r.id, 0), r.id) for r in lexicon.rules), key=lambda x: -x[0])
    if not ranked or ranked[0][0] < least:
        return None
    top = [theme for hits, theme in ranked if hits == ranked[0][0]]
    if len(top) > 1:
        if support is None or ranked[0][0] < PLACE_MIN:
            return None
        top.sort(key=lambda t: -support.get(t, 0))
        if support.get(top[0], 0) == support.get(top[1], 0):
            return None
    return top[0] if top[0] in allowed else None


def kind_rule(place: Place, lexicon: Lexicon) -> LayerRule:
    """The layer for the place's kind, or the fallback layer."""
    return next((rule for rule in lexicon.kinds if place.kind in rule.kinds), lexicon.fallback)


class Evidence:
    """Keyword hits per sentence, with place names left out and homonyms muted by their sense."""

    def __init__(self, lexicon: Lexicon, places: Sequence[Place], text: str | None) -> None:
        self.lexicon = lexicon
        names = {n for p in places for n in (p.name, *(m.text for m in p.mentions))}
        self._names = wording.WordIndex({"names": sorted(names)})
        if text is None:
            text = "\n".join(dict.fromkeys(m.sentence for p in places for m in p.mentions))
        self.sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
        self._raw: dict[str, tuple[dict[str, int], dict[str, list[str]]]] = {}
        self._cache: dict[str, dict[str, int]] = {}
        self._support: dict[str, int] | None = None
        self.muted = self._register()

    def _read(self, sentence: str) -> tuple[dict[str, int], dict[str, list[str]]]:
        """Hits of each theme and the words of each sense in one sentence, before any muting."""
        if sentence not in self._raw:
            tokens = wording.words(sentence)
            found = self.lexicon.index.find(tokens)
            names = wording.covered(self._names.find(tokens).get("names", ()))
            hits = {
                rule.id: len(
                    wording.outside(
                        found.get(rule.id, ()), names | wording.covered(found.get(_EXCEPT + rule.id, ()))
                    )
                )
                for rule in self.lexicon.rules
            }
            senses = {
                sense.id: [m[2].lower() for m in wording.outside(found.get(_SENSE + sense.id, ()), names)]
                for sense in self.lexicon.senses
            }
            self._raw[sentence] = (hits, senses)
        return self._raw[sentence]

    def _register(self) -> frozenset[str]:
        """Layers muted in the whole article: a sense it is written in ("a cricket report")."""
        muted: set[str] = set()
        for sense in self.lexicon.senses:
            said = [w for s in self.sentences for w in self._read(s)[1][sense.id]]
            against = sum(
                self._read(s)[0].get(layer_id, 0) for s in self.sentences for layer_id in sense.mutes
            )
            if len(set(said)) >= REGISTER_MIN and len(said) >= against:
                muted |= sense.mutes
        return frozenset(muted)

    def sentence_scores(self, sentence: str) -> dict[str, int]:
        """Hits of each theme in one sentence, after names are left out and senses applied."""
        if sentence not in self._cache:
            raw, senses = self._read(sentence)
            hits = {layer_id: 0 if layer_id in self.muted else n for layer_id, n in raw.items()}
            for sense in self.lexicon.senses:
                n = len(senses[sense.id])
                for layer_id in sense.mutes & hits.keys():
                    if n and n >= hits[layer_id]:
                        hits[layer_id] = 0
            self._cache[sentence] = hits
        return self._cache[sentence]

    def place_scores(self, place: Place) -> dict[str, int]:
        """Hits of each theme in the distinct sentences that mention ``place``."""
        total = dict.fromkeys((rule.id for rule in self.lexicon.rules), 0)
        for sentence in dict.fromkeys(m.sentence for m in place.mentions):
            for layer_id, n in self.sentence_scores(sentence).items():
                total[layer_id] += n
        return total

    @property
    def support(self) -> dict[str, int]:
        """For each theme, how many sentences of the article speak of it."""
        if self._support is None:
            self._support = dict.fromkeys((rule.id for rule in self.lexicon.rules), 0)
            for sentence in self.sentences:
                for layer_id, n in self.sentence_scores(sentence).items():
                    self._support[layer_id] += n > 0
        return self._support

    def shown_themes(self, places: Sequence[Place], scores: Mapping[str, Mapping[str, int]]) -> set[str]:
        """Themes the article supports: ``ARTICLE_MIN`` sentences, one place with ``PLACE_MIN`` hits."""
        everything = {rule.id for rule in self.lexicon.rules}
        shown = {best_theme(scores[p.id], self.lexicon, everything, PLACE_MIN, self.support) for p in places}
        return {t for t in shown if t and self.support[t] >= ARTICLE_MIN}


def _list(data: Mapping[str, Any], key: str, source: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise InputError(source, f"{key}: expected a list, got {type(value).__name__}")
    return value


def _words(item: Mapping[str, Any], key: str, where: str, source: str) -> tuple[str, ...]:
    words = item.get(key, [])
    if not isinstance(words, list) or not all(isinstance(k, str) and wording.words(k) for k in words):
        raise InputError(source, f"{where}.{key}: expected a list of words, got {words!r}")
    return tuple(words)


def _layer(item: Any, where: str, source: str) -> Layer:
    if not isinstance(item, Mapping):
        raise InputError(source, f"{where}: expected a mapping with id, title, color, keywords")
    try:
        return Layer(
            id=item.get("id", ""), title=str(item.get("title", "")), color=item.get("color", "#4d4d4d")
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"])
        raise InputError(source, f"{where}.{field}: {error['msg']}") from None


def _rule(item: Any, where: str, source: str) -> LayerRule:
    layer = _layer(item, where, source)
    keywords = _words(item, "keywords", where, source)
    excluded = _words(item, "except", where, source)
    return LayerRule(
        id=layer.id, title=layer.title or layer.id, color=layer.color, keywords=keywords, excluded=excluded
    )


def _kind_rule(item: Any, where: str, source: str) -> LayerRule:
    layer = _layer(item, where, source)
    kinds = item.get("kinds")
    if not isinstance(kinds, list) or not kinds or not all(k in PLACE_KINDS for k in kinds):
        raise InputError(source, f"{where}.kinds: expected a list of {', '.join(PLACE_KINDS)}, got {kinds!r}")
    return LayerRule(id=layer.id, title=layer.title or layer.id, color=layer.color, kinds=tuple(kinds))


def _sense(item: Any, where: str, source: str, themes: set[str]) -> Sense:
    if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
        raise InputError(source, f"{where}: expected a mapping with id, words, mutes")
    mutes = item.get("mutes")
    if not isinstance(mutes, list) or not mutes or not all(isinstance(m, str) and m in themes for m in mutes):
        raise InputError(source, f"{where}.mutes: expected a list of layer ids from 'layers', got {mutes!r}")
    return Sense(id=item["id"], words=_words(item, "words", where, source), mutes=frozenset(mutes))
