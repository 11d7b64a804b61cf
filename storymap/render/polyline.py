"""The basemap's text encoding of rings and lines (shared by the renderer and the build of
``geodata/basemap_cells.pack``, ``geodata/build_cells.py``).

A ring or line is one string: the integers ``x0, y0, dx1, dy1, ...`` (lon/lat * scale; the first
point, then each step) in the encoded-polyline alphabet (each number zig-zagged, ``~(v << 1)`` for
negatives, written in 5-bit groups low first, ``+ 0x20`` on every group but the last, ``+ 63``).
The runtime's basemap module (``templates/runtime/basemap.js``) decodes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def delta(coords: Any, scale: int) -> str:
    """A ring or line as text: the first point, then each step, in integers (lon/lat * scale)
    written with the encoded-polyline alphabet (5-bit groups, ASCII 63-126; about 2 bytes a
    number where JSON digits take 4). Repeated points are dropped."""
    import numpy as np

    xy = np.rint(np.asarray(coords, dtype=float)[:, :2] * scale).astype(np.int64)
    if len(xy) == 0:
        return ""
    steps = np.diff(xy, axis=0)
    steps = steps[np.any(steps != 0, axis=1)]
    v = np.concatenate((xy[0], steps.ravel()))
    return "".join([_number(z) for z in ((v << 1) ^ (v >> 63)).tolist()])


def _number(z: int) -> str:
    """One zig-zagged (non-negative) number in 5-bit groups, low first."""
    out = []
    while z >= 0x20:
        out.append(chr((0x20 | (z & 0x1F)) + 63))
        z >>= 5
    out.append(chr(z + 63))
    return "".join(out)


#: The characters of a group that another group follows (``0x20 + 63`` and up).
_CONTINUED = tuple(chr(c) for c in range(95, 127))


def numbers(text: str) -> int:
    """How many numbers an encoded ring or line holds."""
    return len(text) - sum(map(text.count, _CONTINUED))


def parts(geom: Any, kind: str) -> list[Any]:
    """The parts of one kind ("Polygon", "LineString") of a geometry or list of geometries."""
    if isinstance(geom, list):
        return [p for g in geom for p in parts(g, kind)]
    if geom is None or geom.is_empty:
        return []
    if hasattr(geom, "geoms"):
        return [p for g in geom.geoms for p in parts(g, kind)]
    return [geom] if geom.geom_type == kind else []


def encode_many(lines: Sequence[Any], scale: int) -> tuple[list[str], list[int]]:
    """``delta`` of many rings or lines at once, and how many numbers each holds (what
    ``numbers`` counts): one pass over all their points instead of one per line."""
    import numpy as np
    import shapely

    if not lines:
        return [], []
    geoms = np.empty(len(lines), dtype=object)
    geoms[:] = lines
    sizes = shapely.get_num_coordinates(geoms)
    xy = np.rint(shapely.get_coordinates(geoms) * scale).astype(np.int64)
    owner = np.repeat(np.arange(len(lines)), sizes)
    first = np.zeros(len(xy), dtype=bool)
    first[np.cumsum(sizes)[sizes > 0] - sizes[sizes > 0]] = True
    rows = xy.copy()
    rows[1:] -= xy[:-1]  # each point's step from the one before (first points: the point itself)
    rows[first] = xy[first]
    kept = first | np.any(rows != 0, axis=1)  # repeated points dropped
    counts = 2 * np.bincount(owner[kept], minlength=len(lines))
    values = rows[kept].ravel()
    z = ((values << 1) ^ (values >> 63)).astype(np.uint64)  # zig-zagged
    # Each number in 5-bit groups, low first: a row of up to 13 groups per number, the unused ones
    # masked out; every group but a number's last gets 0x20; all get 63.
    groups = (z[:, None] >> (5 * np.arange(13, dtype=np.uint64))[None, :]) & np.uint64(0x1F)
    length = np.ones(len(z), dtype=np.int64)
    rest = z >> np.uint64(5)
    while rest.any():
        length += rest > 0
        rest >>= np.uint64(5)
    used = np.arange(13)[None, :] < length[:, None]
    more = np.arange(13)[None, :] < (length - 1)[:, None]
    chars = (groups + np.where(more, 0x20 + 63, 63).astype(np.uint64))[used].astype(np.uint8)
    text = chars.tobytes().decode("ascii")
    owner = np.repeat(np.arange(len(lines)), counts)  # the line of each number
    chars_per_line = np.bincount(owner, weights=length, minlength=len(lines))
    ends = np.cumsum(chars_per_line).astype(np.int64).tolist()
    starts = [0, *ends[:-1]]
    return [text[i:j] for i, j in zip(starts, ends, strict=True)], counts.tolist()


def polygons(geom: Any, scale: int) -> list[list[str]]:
    """The polygons of a geometry as lists of encoded rings (shell first); rings of fewer than
    three points at this scale are dropped (a polygon with its shell)."""
    import numpy as np
    import shapely

    polys = parts(geom, "Polygon")
    if not polys:
        return []
    geoms = np.empty(len(polys), dtype=object)
    geoms[:] = polys
    rings, owner = shapely.get_rings(geoms, return_index=True)  # each polygon's shell, then holes
    texts, counts = encode_many(list(rings), scale)
    out: list[list[str]] = []
    previous = -1
    for i, text, count in zip(owner.tolist(), texts, counts, strict=True):
        if i != previous:  # a shell
            previous = i
            shell_kept = count >= 6
            if shell_kept:
                out.append([text])
        elif shell_kept and count >= 6:
            out[-1].append(text)
    return out


def lines(geom: Any, scale: int) -> list[str]:
    """The lines of a geometry (merged where they join) as encoded lines of two points or more."""
    import shapely

    found = parts(geom, "LineString")
    if len(found) > 1:
        found = parts(shapely.line_merge(shapely.multilinestrings(found)), "LineString")
    texts, counts = encode_many(found, scale)
    return [text for text, count in zip(texts, counts, strict=True) if count >= 4]


def decode(text: str, scale: int) -> Any:
    """One encoded ring or line back to an (n, 2) array of lon/lat (the inverse of ``delta``)."""
    import numpy as np

    b = np.frombuffer(text.encode("ascii"), dtype=np.uint8).astype(np.int64) - 63
    if not len(b):
        return np.zeros((0, 2))
    last = b < 0x20  # the last group of each number
    ends = np.flatnonzero(last)
    starts = np.concatenate(([0], ends[:-1] + 1))
    shift = 5 * (np.arange(len(b)) - np.repeat(starts, ends - starts + 1))
    z = np.add.reduceat((b & 0x1F) << shift, starts)
    v = np.where(z & 1, ~(z >> 1), z >> 1)
    return np.cumsum(v.reshape(-1, 2), axis=0) / scale


def decode_many(texts: Sequence[str], scale: int) -> tuple[Any, Any]:
    """Many encoded rings or lines at once: an (n, 2) array of all their lon/lat points and the
    index of the ring or line each point belongs to (what ``shapely.linearrings`` takes)."""
    import numpy as np

    if not texts:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    b = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).astype(np.int64) - 63
    last = b < 0x20  # the last group of each number (a number never spans two texts)
    ends = np.flatnonzero(last)
    starts = np.concatenate(([0], ends[:-1] + 1))
    shift = 5 * (np.arange(len(b)) - np.repeat(starts, ends - starts + 1))
    z = np.add.reduceat((b & 0x1F) << shift, starts)
    v = np.where(z & 1, ~(z >> 1), z >> 1).reshape(-1, 2)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    char_owner = np.repeat(np.arange(len(texts)), lengths)
    owner = char_owner[ends[1::2]]  # the text of each point (its y's last character)
    total = np.cumsum(v, axis=0)
    first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])  # each text's first point
    before = np.zeros_like(total)
    before[first[1:]] = total[first[1:] - 1]  # the running sum up to the text before
    offset = np.repeat(before[first], np.diff(np.r_[first, len(v)]), axis=0)
    return (total - offset) / scale, owner
