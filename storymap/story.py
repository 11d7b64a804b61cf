"""The story-side types: ``Story``, ``Place``, ``Layer``, ``Chapter`` and ``PlaceMention``.

They are pydantic models because they round-trip through the editable story file and must be
validated. ``storymap.model`` re-exports them (``from storymap.model import Story``) and imports
this module only when one is first asked for, so commands that only find places (``storymap
places``) start without pydantic.

A place's mentions are offsets into the article plus the sentence that quotes them.  In memory
the mentions of one sentence share one string; stored (``Story.model_dump``: the story file and
the page's ``storymap-data``) the story keeps each sentence once, in a ``sentences`` table, and
each mention names its sentence by index, so a sentence that names places a hundred times is
written once.
"""

from __future__ import annotations

import pickle
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from storymap import validate
from storymap.model import PlaceKind
from storymap.resources import is_own_geometry

_HTTP_URL = re.compile(r"(?i)https?://[^\s/?#]+\S*\Z")


def _check_id(v: str) -> str:
    if not validate.is_id(v):
        raise ValueError(f"expected an id of lowercase letters, digits, '-' or '_', got {v!r}")
    return v


#: Ids of places, layers and chapters: they end up in URLs (``#layers=a,b``) and HTML ids.
Id = Annotated[str, AfterValidator(_check_id)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class PlaceMention(_Model):
    """Where a place is mentioned: offsets into the article text, and the sentence quoting it.

    ``sentence`` and ``section`` (the heading above it) are text here; stored with a ``Story``
    they become an index into the story's ``sentences`` table (see the module docstring).
    """

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    sentence: str
    section: str = ""

    @model_validator(mode="after")
    def _span(self) -> PlaceMention:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class Place(_Model):
    """A place on the map: one entity, however many times the article names it."""

    id: Id
    name: str
    kind: PlaceKind
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    geometry: dict[str, Any] | None = None
    country: str = ""
    layer: str = ""
    confidence: float = Field(default=1.0, ge=0, le=1)
    ref: str = ""
    review: bool = False
    mentions: list[PlaceMention] = Field(default_factory=list)

    @field_validator("geometry", mode="wrap")
    @classmethod
    def _geometry(cls, v: Any, handler: ValidatorFunctionWrapHandler) -> dict[str, Any] | None:
        if is_own_geometry(v):  # the gazetteer's, checked when geodata/ was built: a copy of it
            return {"type": v["type"], "coordinates": pickle.loads(pickle.dumps(v["coordinates"], 5))}
        v = handler(v)
        return None if v is None else validate.geometry(v)


class Layer(_Model):
    """A thematic layer: a toggleable group of places with one colour."""

    id: Id
    title: str
    color: str = "#3366cc"
    places: list[str] = Field(default_factory=list)

    @field_validator("color")
    @classmethod
    def _color(cls, v: str) -> str:
        if not validate.is_color(v):
            raise ValueError(f"expected a hex colour like '#1f77b4', got {v!r}")
        return v.lower()


class Chapter(_Model):
    """One article section: its heading, its paragraphs and the places it names."""

    id: Id
    title: str
    text: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)


class Story(_Model):
    """Everything the renderer needs; round-trips through the story file.

    ``source`` is the input's file name; ``site``, ``byline``, ``date`` and ``url`` credit the
    publisher of a web page (the story panel shows them, with ``url`` as the link).
    """

    title: str
    standfirst: str = ""
    source: str = ""
    site: str = ""
    byline: str = ""
    date: str = ""
    url: str = ""
    layers: list[Layer] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    chapters: list[Chapter] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if v and not _HTTP_URL.match(v):
            raise ValueError(f"expected an http:// or https:// address, got {v!r}")
        return v

    @model_validator(mode="before")
    @classmethod
    def _read_sentence_table(cls, data: Any) -> Any:
        """Mentions stored as ``sentence: N`` take sentence N (and its section) from ``sentences``.

        Mentions that carry their sentence as text (story files written before the table) are
        read as they are, so old files still load.
        """
        if isinstance(data, dict) and ("sentences" in data or isinstance(data.get("places"), list)):
            return resolve_sentences(data)
        return data

    @model_serializer(mode="wrap")
    def _write_sentence_table(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        return sentence_table(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _references(self) -> Story:
        place_ids = [p.id for p in self.places]
        layer_ids = [layer.id for layer in self.layers]
        _unique("places", place_ids)
        _unique("layers", layer_ids)
        _unique("chapters", [c.id for c in self.chapters])
        known_places, known_layers = set(place_ids), set(layer_ids)
        for i, p in enumerate(self.places):
            if p.layer and p.layer not in known_layers:
                raise ValueError(
                    f"places[{i}].layer: unknown layer {p.layer!r} (known: {sorted(known_layers)})"
                )
        for kind, items in (("layers", self.layers), ("chapters", self.chapters)):
            for i, item in enumerate(items):
                for j, pid in enumerate(item.places):
                    if pid not in known_places:
                        raise ValueError(f"{kind}[{i}].places[{j}]: unknown place {pid!r}")
        return self

    def place(self, place_id: str) -> Place:
        """The place with this id (KeyError if absent)."""
        for p in self.places:
            if p.id == place_id:
                return p
        raise KeyError(place_id)

    def to_geodataframe(self) -> Any:
        """One row per place as a ``geopandas.GeoDataFrame`` in EPSG:4326 (point or area geometry).

        Columns: see ``storymap.export.frames.PLACE_COLUMNS``.
        """
        from storymap.export.frames import places_frame

        return places_frame(self)

    def mentions_frame(self) -> Any:
        """One row per mention (offsets, text, sentence, section) as a ``GeoDataFrame`` of points."""
        from storymap.export.frames import mentions_frame

        return mentions_frame(self)

    def to_image(self, fmt: str = "png", *, chapter: int | None = None, width: int = 1200) -> bytes:
        """A still image of the map (``"png"`` or ``"svg"`` bytes), of chapter ``chapter`` if given."""
        from storymap.export.image import render_image

        return render_image(self, fmt, chapter=chapter, width=width)

    def alt_text(self, chapter: int | None = None) -> str:
        """The map described in words (for alt text), or chapter ``chapter``'s view (1-based)."""
        from storymap.export.alttext import alt_text

        return alt_text(self, chapter)


def sentence_table(data: dict[str, Any]) -> dict[str, Any]:
    """A dumped story with each distinct (sentence, section) stored once in ``data["sentences"]``.

    The table is in order of first mention in the article; each mention's ``sentence`` becomes
    its index in the table and its ``section`` moves to the table entry.  Pure and deterministic.
    """
    first: dict[tuple[str, str], tuple[int, int]] = {}  # key -> (first start, order seen)
    places = data.get("places") or []
    for place in places:
        for m in place.get("mentions") or []:
            key = (m["sentence"], m.get("section", ""))
            seen = first.get(key)
            if seen is None:
                first[key] = (m["start"], len(first))
            elif m["start"] < seen[0]:
                first[key] = (m["start"], seen[1])
    keys = sorted(first, key=first.__getitem__)
    index = {key: i for i, key in enumerate(keys)}
    out = dict(data)
    out["places"] = [
        {
            **place,
            "mentions": [
                {
                    **{k: v for k, v in m.items() if k != "section"},
                    "sentence": index[(m["sentence"], m.get("section", ""))],
                }
                for m in place.get("mentions") or []
            ],
        }
        for place in places
    ]
    out["sentences"] = [{"text": text, "section": section} for text, section in keys]
    return out


def resolve_sentences(data: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`sentence_table`: a copy of ``data`` whose mentions hold their sentence.

    Raises ``ValueError`` naming the field (``places[0].mentions[2].sentence: ...``) for a
    malformed table or an index it does not have.
    """
    data = dict(data)
    table = data.pop("sentences", [])
    if not isinstance(table, list):
        raise ValueError(f"sentences: expected a list of sentences, got {type(table).__name__}")
    rows: list[tuple[str, str]] = []
    for i, row in enumerate(table):
        if isinstance(row, str):  # a bare sentence without a section
            row = {"text": row}
        if not isinstance(row, dict):
            raise ValueError(f"sentences[{i}]: expected a mapping with text and section, got {row!r}")
        unknown = sorted(set(row) - {"text", "section"})
        if unknown:
            raise ValueError(f"sentences[{i}].{unknown[0]}: unknown field (a typo?)")
        text, section = row.get("text"), row.get("section", "")
        for name, value in (("text", text), ("section", section)):
            if not isinstance(value, str):
                raise ValueError(f"sentences[{i}].{name}: expected text, got {value!r}")
        rows.append((text, section))  # type: ignore[arg-type]
    places = data.get("places")
    if not isinstance(places, list):
        return data
    resolved: list[Any] = []
    for i, place in enumerate(places):
        mentions = place.get("mentions") if isinstance(place, dict) else None
        if not isinstance(mentions, list) or not any(
            isinstance(m, dict) and _is_index(m.get("sentence")) for m in mentions
        ):
            resolved.append(place)
            continue
        out = []
        for j, m in enumerate(mentions):
            if isinstance(m, dict) and _is_index(m.get("sentence")):
                n = m["sentence"]
                if not 0 <= n < len(rows):
                    have = f"the story has {len(rows)}" if rows else "the story has no sentences: list"
                    raise ValueError(f"places[{i}].mentions[{j}].sentence: no sentence {n} ({have})")
                text, section = rows[n]
                m = {**m, "sentence": text, "section": m.get("section", section)}
            out.append(m)
        resolved.append({**place, "mentions": out})
    data["places"] = resolved
    return data


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unique(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what}: duplicate id {i!r}")
        seen.add(i)
