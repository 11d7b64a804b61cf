"""The one schema between Python and the map runtime: the ``storymap-config`` JSON block.

``build_map`` fills a :class:`RuntimeConfig`; the runtime (``templates/runtime/*.js``) reads it
as ``sm.cfg``. Every field is described in ``docs/runtime-config.md``; change both together.
Coordinates are degrees; a bounds is ``[[south, west], [north, east]]`` with ``west < east``
(a frame across the antimeridian has ``east > 180`` or ``west < -180``).

Plain dataclasses, checked by hand: the config is made by storymap itself, never read from a
user, and a pydantic schema for it cost every build about 0.03 s to create. They are checked and
written as the pydantic models they replace were: an unknown field is an error, numbers are
written as floats (a non-finite one as ``null``), lists and mappings as JSON lists and objects.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: ``[[south, west], [north, east]]``.
Bounds = list[list[float]]


def _float(value: Any, where: str) -> float | None:
    """A number as the JSON float it is written as (None for infinities and NaN, JSON's null)."""
    if not isinstance(value, int | float):
        raise TypeError(f"{where}: expected a number, got {value!r}")
    number = float(value)
    return number if math.isfinite(number) else None


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{where}: expected text, got {value!r}")
    return str(value)


def _bounds(value: Any, where: str) -> list[list[float | None]]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f"{where}: expected [[south, west], [north, east]], got {value!r}")
    corners = []
    for corner in value:
        if not isinstance(corner, Sequence) or isinstance(corner, str):
            raise TypeError(f"{where}: expected [[south, west], [north, east]], got {value!r}")
        corners.append([_float(v, where) for v in corner])
    return corners


def _texts(value: Any, where: str) -> list[str]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f"{where}: expected a list of text, got {value!r}")
    return [_text(v, where) for v in value]


def _mapping(value: Any, where: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{where}: expected a mapping, got {value!r}")
    return value


def _json(value: Any) -> Any:
    """A value of a style (any JSON value) as JSON: tuples as lists, non-finite floats as null."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    raise TypeError(f"styles: expected JSON values, got {value!r}")


@dataclass
class View:
    """What one chapter (or the overview) frames."""

    bounds: Bounds

    def as_json(self) -> dict[str, Any]:
        """The JSON-ready dict of this view."""
        return {"bounds": _bounds(self.bounds, "views.bounds")}


@dataclass
class Label:
    """A story label on the map: a place name beside its dot, or inside its area (``area``, italics)."""

    id: str
    text: str
    lat: float
    lon: float
    priority: float = 0.0
    area: bool = False

    def as_json(self) -> dict[str, Any]:
        """The JSON-ready dict of this label."""
        if not isinstance(self.area, bool):
            raise TypeError(f"labels.area: expected true or false, got {self.area!r}")
        return {
            "id": _text(self.id, "labels.id"),
            "text": _text(self.text, "labels.text"),
            "lat": _float(self.lat, "labels.lat"),
            "lon": _float(self.lon, "labels.lon"),
            "priority": _float(self.priority, "labels.priority"),
            "area": self.area,
        }


@dataclass
class RuntimeConfig:
    """Everything the runtime needs besides the story itself (``storymap-data``) and the basemap.

    ``views`` and ``labels`` take :class:`View` and :class:`Label` objects or the mappings of
    their fields (as ``render.framing`` makes them).
    """

    embed: bool = False
    layer_order: list[str] = field(default_factory=list)
    max_zoom: float = 7
    place_layer: dict[str, str] = field(default_factory=dict)
    mention_order: list[str] = field(default_factory=list)
    styles: dict[str, dict[str, Any]] = field(default_factory=dict)
    bounds: Bounds | None = None
    views: list[View] = field(default_factory=list)
    place_frames: dict[str, Bounds] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.views = [v if isinstance(v, View) else View(**_mapping(v, "views")) for v in self.views]
        self.labels = [v if isinstance(v, Label) else Label(**_mapping(v, "labels")) for v in self.labels]

    def as_json(self) -> dict[str, Any]:
        """The JSON-ready dict written into the page (keys sorted on output by ``html_json``)."""
        if not isinstance(self.embed, bool):
            raise TypeError(f"embed: expected true or false, got {self.embed!r}")
        place_layer = _mapping(self.place_layer, "place_layer")
        styles = _mapping(self.styles, "styles")
        frames = _mapping(self.place_frames, "place_frames")
        return {
            "embed": self.embed,
            "layer_order": _texts(self.layer_order, "layer_order"),
            "max_zoom": _float(self.max_zoom, "max_zoom"),
            "place_layer": {_text(k, "place_layer"): _text(v, "place_layer") for k, v in place_layer.items()},
            "mention_order": _texts(self.mention_order, "mention_order"),
            "styles": {_text(k, "styles"): _json(_mapping(v, "styles")) for k, v in styles.items()},
            "bounds": None if self.bounds is None else _bounds(self.bounds, "bounds"),
            "views": [v.as_json() for v in self.views],
            "place_frames": {_text(k, "place_frames"): _bounds(v, "place_frames") for k, v in frames.items()},
            "labels": [v.as_json() for v in self.labels],
        }
