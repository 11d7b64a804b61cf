"""The validation layer for everything a user hands in: YAML files, geometry, ids, colours, URLs.

Story files and layer lexicons are written by people and passed around between desks; tile URLs
and embed options come from scripts.  Every check that protects the program from such input lives
here, so each loader applies the same rules:

- YAML is refused *before* it is parsed when it is oversized or nested absurdly deep, and its node
  tree is refused when it uses anchors and aliases (a "billion laughs" file is a few hundred bytes).
- Geometry must be a GeoJSON Polygon or MultiPolygon with finite coordinates in range and at most
  ``MAX_VERTICES`` positions; invalid rings (self-intersections, bow ties) are repaired by shapely.
- Ids and colours match in full (``fullmatch``: a trailing newline is not part of an id).
- A tile URL is parsed and rebuilt: http or https, a real host name, only Leaflet's placeholders.

Pure: text and values in, values out or ``ValueError``/``InputError`` with a one-line message.
"""

from __future__ import annotations

import ipaddress
import math
import pickle
import re
from itertools import accumulate
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from storymap.errors import InputError
from storymap.recent import Recent, digest

if TYPE_CHECKING:  # PyYAML is imported where YAML is read: building from an article needs none
    import yaml

#: A story file bigger than this is not something a person edits (the biggest real ones are ~2 MB).
MAX_STORY_BYTES = 16 * 1024 * 1024
#: Values (counted cheaply as commas and lines) in one story file: parsing costs memory per value,
#: so a file of a million coordinates is refused before it is parsed.
MAX_STORY_VALUES = 500_000
#: A layer lexicon is a short list of keywords.
MAX_LEXICON_BYTES = 1024 * 1024
#: YAML and JSON nesting limit (a story file needs 6 levels, a MultiPolygon 4 more).
MAX_DEPTH = 100
#: Positions in one place's polygon (the embedded gazetteer's biggest has about 2,500).
MAX_VERTICES = 50_000
#: Longest tile URL template accepted.
MAX_URL = 2048

_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_LEAD = re.compile(r"^[ \t?:-]+", re.MULTILINE)

ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


# --------------------------------------------------------------------------- ids and colours


def is_id(value: str) -> bool:
    """Whether ``value`` is an id: lowercase letters, digits, ``-`` and ``_``, the whole string."""
    return isinstance(value, str) and ID.fullmatch(value) is not None


def is_color(value: str) -> bool:
    """Whether ``value`` is a hex colour ``#rgb`` or ``#rrggbb``, the whole string."""
    return isinstance(value, str) and COLOR.fullmatch(value) is not None


# --------------------------------------------------------------------------- YAML


def load_yaml(text: str, source: str, *, max_bytes: int = MAX_STORY_BYTES) -> tuple[yaml.Node | None, Any]:
    """Parse YAML safely: the node tree (for line numbers) and the data.

    Refuses, with ``InputError(source, "line N: ...")``: text over ``max_bytes``, nesting deeper
    than ``MAX_DEPTH``, anchors and aliases, duplicate keys and any YAML syntax error.
    """
    import yaml

    check_size(text, source, max_bytes)
    check_depth(text, source)
    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            check_tree(node, source)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        raise InputError(source, yaml_problem(e)) from None
    except yaml.YAMLError as e:
        raise InputError(source, f"not valid YAML: {one_line(str(e))}") from None
    except RecursionError:
        raise InputError(source, f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()
    return node, data


def check_size(text: str, source: str, max_bytes: int, max_values: int | None = None) -> None:
    """Refuse text longer than ``max_bytes`` characters, or with more than ``max_values`` values
    (commas and lines, an upper bound of what a parser builds), before any parsing."""
    if len(text) > max_bytes:
        raise InputError(source, f"too large: {len(text):,} characters, the limit is {max_bytes:,}")
    values = text.count(",") + text.count("\n") if max_values is not None else 0
    if max_values is not None and values > max_values:
        raise InputError(
            source,
            f"too many values: about {values:,} (commas and lines), the limit is {max_values:,}; "
            "simplify the polygons",
        )


def check_depth(text: str, source: str) -> None:
    """Refuse absurdly nested documents before composing them: deep enough, libyaml overflows its stack.

    Block nesting is bounded by the indentation (spaces and ``- ``, ``? ``, ``: `` indicators that
    start a line) and flow nesting by bracket depth, so most files pass a cheap check; the others
    get an exact one from the (non-recursive) event parser.
    """
    block = max(map(len, _LEAD.findall(text)), default=0)
    brackets = _NOT_BRACKET.sub("", text)
    flow = max(accumulate(1 if ch in "[{" else -1 for ch in brackets), default=0)
    if block <= MAX_DEPTH and flow <= MAX_DEPTH:
        return
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_yaml_loader()):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1
                    raise InputError(source, f"line {line}: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as e:
        if "nesting depth" in str(e.problem):  # PyYAML >= 6.0.3 has its own, higher limit
            line = e.problem_mark.line + 1 if e.problem_mark else 1
            raise InputError(source, f"line {line}: nested more than {MAX_DEPTH} levels deep") from None
        raise InputError(source, yaml_problem(e)) from None
    except RecursionError:
        raise InputError(source, f"nested more than {MAX_DEPTH} levels deep") from None


def check_tree(root: yaml.Node, source: str) -> None:
    """Refuse aliases (a billion-laughs file would explode once constructed) and duplicate keys."""
    import yaml

    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise InputError(
                source, f"line {_line(node)}: YAML anchors and aliases (&name, *name) are not allowed here"
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in keys:
                        raise InputError(source, f"line {_line(k)}: duplicate key {k.value!r}")
                    keys.add(k.value)
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def yaml_problem(e: yaml.MarkedYAMLError) -> str:
    """A YAML error as ``line N, column M: problem`` on one line."""
    mark = e.problem_mark or e.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = e.problem or "invalid YAML"
    if e.context and e.context_mark and e.context_mark is not mark:
        problem += f" ({e.context} on line {e.context_mark.line + 1})"
    return where + one_line(problem)


def _yaml_loader() -> Any:
    """PyYAML's C loader where it was built with libyaml, else its Python one."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def one_line(s: str) -> str:
    """``s`` with every run of whitespace (newlines included) made one space."""
    return " ".join(s.split())


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


# --------------------------------------------------------------------------- geometry


#: Geometries checked lately, by a digest of their content: a result (pickled, so each caller
#: gets its own copy). A batch meets the same countries in article after article.
_CHECKED: Recent[bytes, bytes] = Recent(64)


def geometry(value: dict[str, Any]) -> dict[str, Any]:
    """A checked GeoJSON Polygon or MultiPolygon (``ValueError`` naming the bad part otherwise).

    Every position is two (or three) finite numbers with longitude in -180..180 and latitude in
    -90..90; rings have at least four positions; the whole geometry has at most ``MAX_VERTICES``.
    Unclosed rings are closed; invalid polygons (self-intersections) are repaired with
    ``shapely.make_valid`` and keep only their areas.  Returns the geometry with float coordinates.
    """
    try:
        key = digest(value)
    except Exception:  # not plain data: checked below, not remembered
        return _geometry(value)
    if key in _CHECKED:
        return pickle.loads(_CHECKED[key])
    checked = _geometry(value)
    _CHECKED.put(key, pickle.dumps(checked, protocol=5))
    return checked


def _geometry(value: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a GeoJSON mapping with type and coordinates, got {_short(value)}")
    kind = value.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"expected a GeoJSON Polygon or MultiPolygon, got type {_short(kind)}")
    extra = sorted(set(value) - {"type", "coordinates", "bbox"})
    if extra:
        raise ValueError(f"unknown field {extra[0]!r} (a GeoJSON geometry has type and coordinates)")
    if "coordinates" not in value:
        raise ValueError("missing required field 'coordinates'")
    coords = value["coordinates"]
    counter = [0]
    if kind == "Polygon":
        polygons = [_polygon(coords, "coordinates", counter)]
    else:
        if not isinstance(coords, list) or not coords:
            raise ValueError(f"coordinates: expected a non-empty list of polygons, got {_short(coords)}")
        polygons = [_polygon(p, f"coordinates[{i}]", counter) for i, p in enumerate(coords)]
    return _repaired(kind, polygons)


def _polygon(rings: Any, where: str, counter: list[int]) -> list[list[list[float]]]:
    if not isinstance(rings, list) or not rings:
        raise ValueError(f"{where}: expected a non-empty list of rings, got {_short(rings)}")
    return [_ring(ring, f"{where}[{i}]", counter) for i, ring in enumerate(rings)]


def _ring(ring: Any, where: str, counter: list[int]) -> list[list[float]]:
    if not isinstance(ring, list):
        raise ValueError(f"{where}: expected a list of [lon, lat] positions, got {_short(ring)}")
    counter[0] += len(ring)
    if counter[0] > MAX_VERTICES:
        raise ValueError(f"too many positions: more than {MAX_VERTICES:,} in one geometry; simplify it")
    out = [_position(p, f"{where}[{i}]") for i, p in enumerate(ring)]
    if out and out[0] != out[-1]:
        out.append(out[0])  # GeoJSON rings are closed; be kind to hand-written ones
    if len(out) < 4:
        raise ValueError(f"{where}: a ring needs at least 4 positions (3 corners), got {len(ring)}")
    return out


def _position(pos: Any, where: str) -> list[float]:
    if not isinstance(pos, list) or len(pos) not in (2, 3):
        raise ValueError(f"{where}: expected a position [lon, lat], got {_short(pos)}")
    for i, x in enumerate(pos):
        if isinstance(x, bool) or not isinstance(x, int | float):
            raise ValueError(f"{where}[{i}]: expected a number, got {_short(x)}")
        if isinstance(x, float) and not math.isfinite(x):
            raise ValueError(f"{where}[{i}]: expected a finite number, got {x}")
    lon, lat = float(pos[0]), float(pos[1])
    if not -180 <= lon <= 180:
        raise ValueError(f"{where}[0]: longitude must be in -180..180, got {pos[0]}")
    if not -90 <= lat <= 90:
        raise ValueError(f"{where}[1]: latitude must be in -90..90, got {pos[1]}")
    return [lon, lat]


def _repaired(kind: str, polygons: list[list[list[list[float]]]]) -> dict[str, Any]:
    import shapely
    from shapely.geometry import MultiPolygon, Polygon, mapping

    shapes = [Polygon(p[0], p[1:]) for p in polygons]
    geom = shapes[0] if kind == "Polygon" else MultiPolygon(shapes)
    if shapely.is_valid(geom):
        coords: Any = polygons if kind == "MultiPolygon" else polygons[0]
        return {"type": kind, "coordinates": coords}
    fixed = shapely.make_valid(geom)
    parts = [g for g in getattr(fixed, "geoms", [fixed]) if isinstance(g, Polygon | MultiPolygon)]
    fixed = shapely.union_all(parts) if parts else Polygon()
    if fixed.is_empty or fixed.area == 0:
        raise ValueError("coordinates: the polygon has no area (all its corners are on one line)")
    out = mapping(fixed)
    return {"type": out["type"], "coordinates": _lists(out["coordinates"])}


def _lists(value: Any) -> Any:
    if isinstance(value, tuple | list) and value and isinstance(value[0], int | float):
        return [float(value[0]), float(value[1])]
    return [_lists(v) for v in value]


def _short(value: Any) -> str:
    r = repr(value)
    return r if len(r) <= 60 else r[:57] + "..."


# --------------------------------------------------------------------------- URLs

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PLACEHOLDERS = frozenset({"z", "x", "y", "s", "r"})
# Kept as they are in a rebuilt path or query; everything else is percent-encoded.
_SAFE_PATH = "/{}-._~!$&()*+,;=:@%"


def tile_url(url: str, option: str = "--tiles") -> tuple[str, str]:
    """A tile URL template parsed and rebuilt from its parts: ``(url, host)``.

    Only http and https; the host is a DNS name (labels of letters, digits and ``-``, with
    Leaflet's ``{s}`` allowed as a label) or an IP address; no user name or password; only the
    placeholders ``{z}``, ``{x}``, ``{y}``, ``{s}`` and ``{r}``; ``{z}``, ``{x}`` and ``{y}``
    required.  Anything else in the path or query is percent-encoded, so the rebuilt URL holds no
    quote, angle bracket or space.  ``InputError(option, ...)`` otherwise.
    """

    def refuse(problem: str) -> InputError:
        return InputError(
            option, f"{problem}; expected a URL template like https://tile.example.org/{{z}}/{{x}}/{{y}}.png"
        )

    if len(url) > MAX_URL:
        raise refuse(f"URL is {len(url):,} characters long, the limit is {MAX_URL:,}")
    if any(ord(c) < 33 or 0x7F <= ord(c) < 0xA0 for c in url):
        raise refuse(f"URL contains spaces or control characters: {_short(url)}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise refuse(f"not a valid URL ({e}): {_short(url)}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise refuse(f"only http and https tile URLs are allowed, got {_short(parts.scheme or url)}")
    if parts.username is not None or parts.password is not None:
        raise refuse("a user name or password in the tile URL is not allowed")
    host = _host(parts.hostname or "")
    if host is None:
        raise refuse(f"not a valid host name: {_short(parts.hostname or '')}")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    path = quote(unquote(parts.path), safe=_SAFE_PATH)
    query = quote(unquote(parts.query), safe=_SAFE_PATH + "?")
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, path or "/", query, ""))
    names = _PLACEHOLDER.findall(rebuilt)
    unknown = sorted(set(names) - _PLACEHOLDERS)
    if unknown or rebuilt.count("{") != len(names) or rebuilt.count("}") != len(names):
        allowed = "{z}, {x}, {y}, {s} and {r}"
        raise refuse(f"only the placeholders {allowed} are allowed, got {_short(url)}")
    if not {"z", "x", "y"} <= set(names):
        raise refuse(f"the URL needs {{z}}, {{x}} and {{y}}, got {_short(url)}")
    return rebuilt, host


def _host(name: str) -> str | None:
    """The host in ASCII (IDNA), or None when it is not a DNS name or IP address."""
    if not name or len(name) > 253:
        return None
    try:
        return str(ipaddress.ip_address(name.strip("[]")))
    except ValueError:
        pass
    try:
        ascii_name = name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_name.rstrip(".").split(".")
    ok = all(label == "{s}" or _LABEL.fullmatch(label) for label in labels)
    return ascii_name if ok and labels[-1] != "{s}" else None
