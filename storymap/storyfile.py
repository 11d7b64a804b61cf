"""The story file: a ``Story`` as human-editable YAML (or JSON), validated with line numbers.

Pure: text in, text out.  ``dump_story`` writes block-style YAML in a reading order with
a header that says how to edit and rebuild, and marks low-confidence places for review.
The quoted sentences come last, each once and numbered (``# 0``, ``# 1`` ...): a mention's
``sentence: N`` names one of them.  Files written before that table, whose mentions carry
their sentence as text, still load.
``load_story`` composes the YAML node tree first so that every problem, from a syntax
error to a pydantic validation error or an unknown layer, is reported as one line with the
file, the line and the field.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from pydantic import ValidationError

from storymap import validate
from storymap.errors import InputError
from storymap.model import Story

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_one_line = validate.one_line
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

HEADER = """\
# storymap story file. Edit it, then rebuild the map with:
#     storymap build {source}
# - Rename a layer: change its title. Colours are hex, like '#1f77b4'.
# - Move a place to another layer: change the place's `layer:` to that layer's id
#   (the place's `layer:` wins over the layers' `places:` lists).
# - Fix a place: edit its name, lat (-90..90) or lon (-180..180).
# - Add a place: copy a place block, give it a new id (lowercase letters, digits, - or _)
#   and a layer; list its id under a chapter's `places:` to show it in that chapter.
# Places marked "# review" were matched with low confidence: check them first.
"""

_ORDER = {
    "story": (
        "title",
        "standfirst",
        "source",
        "site",
        "byline",
        "date",
        "url",
        "layers",
        "places",
        "chapters",
        "sentences",
    ),
    "layer": ("id", "title", "color", "places"),
    "place": (
        "id",
        "name",
        "kind",
        "layer",
        "lat",
        "lon",
        "country",
        "confidence",
        "review",
        "ref",
        "geometry",
    ),
    "chapter": ("id", "title", "places", "text"),
    "mention": ("text", "start", "end", "sentence", "section"),
    "sentence": ("text", "section"),
}
#: Story fields left out of the file when empty (the publisher's credit of an article that has none).
_OPTIONAL = ("site", "byline", "date", "url")
_PATH = re.compile(r"^((?:[A-Za-z_]\w*)(?:\[\d+\]|\.[A-Za-z_]\w*)*): ")
_PATH_PART = re.compile(r"\[(\d+)\]|\.?([A-Za-z_]\w*)")
_PLACEHOLDER = "__storymap_coordinates_placeholder__"
_DUPLICATE = re.compile(r"^(\w+): duplicate id '(.*)'$")


# --------------------------------------------------------------------------- dump


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Safe dumper: flow style for coordinate and id lists, block style elsewhere."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = bool(data) and (_numeric(data) or all(isinstance(x, str) and validate.is_id(x) for x in data))
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _numeric(data: Any) -> bool:
    if isinstance(data, list):
        return bool(data) and all(_numeric(x) for x in data)
    return isinstance(data, int | float) and not isinstance(data, bool)


_Dumper.add_representer(list, _represent_list)


def _ordered(data: dict[str, Any], kind: str) -> dict[str, Any]:
    """``data`` with the keys of ``kind`` first, in reading order, then any others."""
    order = _ORDER[kind]
    out = {k: data[k] for k in order if k in data}
    out.update((k, v) for k, v in data.items() if k not in out)
    return out


def _yaml(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def _dump_place(place: dict[str, Any]) -> str:
    """One place as a list item; long coordinate arrays are written directly as flow lists.

    Polygons hold thousands of numbers and PyYAML represents each in Python; writing them
    ourselves, in the same flow style and number format, is many times faster.
    """
    geometry = place.get("geometry")
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if not _numeric(coords):
        return _yaml([place])
    first = {"type": geometry["type"]} if "type" in geometry else {}  # GeoJSON reads best type-first
    place = {**place, "geometry": {**first, **geometry, "coordinates": _PLACEHOLDER}}
    text = _yaml([place])
    key = f"coordinates: {_PLACEHOLDER}\n"
    if text.count(_PLACEHOLDER) != 1 or key not in text:
        return _yaml([{**place, "geometry": geometry}])
    at = text.index(key)
    indent = at - (text.rfind("\n", 0, at) + 1) + 2
    return text.replace(key, f"coordinates: {_wrap(_flow(coords), indent)}\n")


def _flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text  # as PyYAML does


def _wrap(flow: str, indent: int, width: int = 100) -> str:
    """Break a flow list between positions (``], [``) so lines stay near ``width``."""
    lines, line = [], ""
    pieces = flow.split("], ")
    for i, piece in enumerate(pieces):
        piece += "]" if i < len(pieces) - 1 else ""
        if line and indent + len(line) + len(piece) > width:
            lines.append(line + ",")
            line = piece
        else:
            line = f"{line}, {piece}" if line else piece
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def dump_story(story: Story, source: str = "") -> str:
    """The story as YAML an editor can change by hand; ``load_story`` reads it back equal.

    ``source`` is the path the YAML will be written to, for the rebuild command in the header.
    """
    data = story.model_dump(mode="json")
    parts = [HEADER.format(source=source or "<this file>")]
    top = _ordered(data, "story")
    for key, value in top.items():
        if key in _OPTIONAL and not value:
            continue
        if key == "places" and value:
            parts.append("places:\n")
            for place in value:
                if place.get("geometry") is None:
                    place.pop("geometry", None)
                place["mentions"] = [_ordered(m, "mention") for m in place.get("mentions", [])]
                if place.get("review"):
                    parts.append(
                        f"# review: low confidence ({place.get('confidence', 0):.2f}), check this place\n"
                    )
                parts.append(_dump_place(_ordered(place, "place")))
        elif key in ("layers", "chapters") and value:
            parts.append(_yaml({key: [_ordered(item, key[:-1]) for item in value]}))
        elif key == "sentences" and value:
            parts.append(
                "# The sentences that quote the places: a mention's `sentence: N` is number N.\nsentences:\n"
            )
            for i, sentence in enumerate(value):
                if not sentence.get("section"):
                    sentence.pop("section", None)  # the lead, before any heading
                parts.append(f"# {i}\n" + _yaml([_ordered(sentence, "sentence")]))
        else:
            parts.append(_yaml({key: value}))
    return "".join(parts)


# --------------------------------------------------------------------------- load


def load_story(text: str, source: str = "story.yaml") -> Story:
    """Parse and validate a story file (YAML, or JSON when ``source`` ends in ``.json``).

    Raises ``InputError(source, "line N: field: problem")`` for anything wrong, on one line.
    """
    if not text.strip():
        raise InputError(source, "story file is empty")
    node = None
    validate.check_size(text, source, validate.MAX_STORY_BYTES, validate.MAX_STORY_VALUES)
    if source.lower().endswith(".json"):
        data = _load_json(text, source)
        try:
            validate.check_depth(text, source)
            node = yaml.compose(text, Loader=_Loader)  # JSON is YAML: its node tree gives the lines
        except (yaml.YAMLError, InputError, RecursionError):
            node = None
    else:
        node, data = validate.load_yaml(text, source)
    if not isinstance(data, dict):
        got = "nothing" if data is None else type(data).__name__
        raise InputError(
            source, f"line 1: expected a mapping with title, layers, places and chapters, got {got}"
        )
    try:
        return Story.model_validate(data)
    except ValidationError as e:
        raise InputError(source, _explain(e, node)) from None


def _load_json(text: str, source: str) -> Any:
    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a number JSON allows")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"duplicate key {key!r}")
            out[key] = value
        return out

    try:
        return json.loads(text, parse_constant=no_constant, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as e:
        raise InputError(source, f"line {e.lineno}, column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise InputError(source, "nested too deeply to be a story file") from None
    except ValueError as e:
        raise InputError(source, f"not valid JSON: {e}") from None


# --------------------------------------------------------------------------- validation errors -> lines


def _explain(error: ValidationError, root: yaml.Node | None) -> str:
    """The first problem (in file order) as ``line N: field.path: message (got value)``."""
    problems = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        node = _find(root, loc)
        if not loc:  # a model-level check names its own path at the start of the message
            d = _DUPLICATE.match(msg)
            m = _PATH.match(msg)
            if d:
                loc, node = _duplicate(root, d.group(1), d.group(2))
                msg = f"duplicate id {d.group(2)!r}"
            elif m:
                loc = _parse_path(m.group(1))
                msg = msg[m.end() :]
                node = _find(root, loc)
        if err["type"] == "missing" and loc:
            msg, loc = f"missing required field {loc[-1]!r}", loc[:-1]
        elif err["type"] == "extra_forbidden":
            msg = "unknown field (a typo?)"
        elif err["type"] == "string_type" and err.get("input") is not None:
            msg = f"expected text, got {_short(err.get('input'))}; put it in quotes"
        elif "got" not in msg and not isinstance(err.get("input"), dict | list):
            msg += f" (got {_short(err.get('input'))})"
        line = _line(node) if node is not None else 0
        problems.append((line, f"{_path(loc)}: {msg}" if loc else msg))
    problems.sort(key=lambda p: p[0] or 1 << 30)
    line, text = problems[0]
    more = (
        f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
        if len(problems) > 1
        else ""
    )
    return _one_line((f"line {line}: " if line else "") + text + more)


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _parse_path(path: str) -> tuple[Any, ...]:
    return tuple(int(i) if i else name for i, name in _PATH_PART.findall(path))


def _short(value: Any) -> str:
    r = repr(value)
    return r if len(r) <= 60 else r[:57] + "..."


def _find(root: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """The deepest node along ``loc``; for a missing key, the mapping that lacks it."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    nxt = v
                    break
            if nxt is None:
                return node
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def _duplicate(root: yaml.Node | None, what: str, ident: str) -> tuple[tuple[Any, ...], yaml.Node | None]:
    """Location of the second item of list ``what`` whose id is ``ident``."""
    items = _find(root, (what,))
    seen = False
    if isinstance(items, yaml.SequenceNode):
        for i, item in enumerate(items.value):
            id_node = _find(item, ("id",))
            if isinstance(id_node, yaml.ScalarNode) and id_node.value == ident:
                if seen:
                    return (what, i, "id"), id_node
                seen = True
    return (what,), items


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
