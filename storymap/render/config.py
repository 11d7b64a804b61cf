"""The one schema between Python and the map runtime: the ``storymap-config`` JSON block.

``build_map`` fills a :class:`RuntimeConfig`; the runtime (``templates/runtime/*.js``) reads it
as ``sm.cfg``. Every field is described in ``docs/runtime-config.md``; change both together.
Coordinates are degrees; a bounds is ``[[south, west], [north, east]]`` with ``west < east``
(a frame across the antimeridian has ``east > 180`` or ``west < -180``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: ``[[south, west], [north, east]]``.
Bounds = list[list[float]]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


class View(_Schema):
    """What one chapter (or the overview) frames."""

    bounds: Bounds


class Label(_Schema):
    """A story label on the map: a place name beside its dot, or inside its area (``area``, italics)."""

    id: str
    text: str
    lat: float
    lon: float
    priority: float = 0.0
    area: bool = False


class RuntimeConfig(_Schema):
    """Everything the runtime needs besides the story itself (``storymap-data``) and the basemap."""

    embed: bool = False
    layer_order: list[str] = Field(default_factory=list)
    max_zoom: float = 7
    place_layer: dict[str, str] = Field(default_factory=dict)
    mention_order: list[str] = Field(default_factory=list)
    styles: dict[str, dict[str, Any]] = Field(default_factory=dict)
    bounds: Bounds | None = None
    views: list[View] = Field(default_factory=list)
    place_frames: dict[str, Bounds] = Field(default_factory=dict)
    labels: list[Label] = Field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The JSON-ready dict written into the page (keys sorted on output by ``html_json``)."""
        return self.model_dump(mode="json")
