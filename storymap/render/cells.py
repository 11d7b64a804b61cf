"""The basemap's pre-encoded cells: ``geodata/basemap_cells.pack`` (``geodata/build_cells.py``).

Land and land borders are stored already in the page's encoding (:mod:`storymap.render.polyline`),
cut into cells on a fixed grid, so a story's basemap is picked and joined, not cut, when a page
renders. Tiers, each cut into cells of its own size (``TIERS``; a cut costs bytes, so the coarser
tiers have bigger cells):

- ``detail``: Natural Earth 1:10m simplified by 0.002° (about 200 m), scale 1000, 1° cells;
- ``near5``: the same simplified by 0.02° (about 2 km), scale 100, in 5° cells (the renderer cuts
  the detail cells out of the few it joins them to);
- ``world30``: Natural Earth 1:110m, scale 100, in 30° cells.

A cell's key is ``"x,y"`` with ``x, y`` the floor of lon/lat divided by its size. Its content is
``{"land": [[ring, ...], ...], "borders": [line, ...]}``: land clipped to the cell on the stored
grid (so neighbouring cells meet exactly and the runtime fills them as one path, without seams)
and borders cut at its edges.

File layout: ``MAGIC``, the length of the index (4 bytes, little-endian), the index (JSON:
``{"blobs": {"tier/x,y": [offset, length]}, "numbers": {tier: [offset, length]}, "scales":
{tier: scale}}``, offsets from the end of the index), then zlib blobs: one per tier and block
(``TIERS``: the block's size) holding ``{"x,y": content}`` of its cells, and per tier in
``COUNTED`` a uint32 array (180 / cell, 360 / cell; south to north, west to east): how many encoded
integers each cell holds (the detail budget). Pure but for reading the file (once per process).
"""

from __future__ import annotations

import json
import struct
import zlib
from functools import cache, lru_cache
from typing import Any

from storymap.resources import data_dir

MAGIC = b"storymap basemap cells 1\n"
FILE = "basemap_cells.pack"
#: Each tier's cell size and the size of the blocks its cells are stored in (degrees).
TIERS = {"detail": (1, 5), "near5": (5, 5), "world30": (30, 30)}
#: The tiers whose cells' integer counts are stored.
COUNTED = ("detail", "near5")

Content = dict[str, list[Any]]


@cache
def _pack() -> tuple[bytes, int, dict[str, Any]]:
    """The file's bytes, where its blobs start, and its index; without it, no cells."""
    try:
        raw = (data_dir("geodata") / FILE).read_bytes()
    except FileNotFoundError:
        return b"", 0, {"blobs": {}, "numbers": {}, "scales": dict.fromkeys(TIERS, 100)}
    if not raw.startswith(MAGIC):
        raise ValueError(f"{FILE}: expected a storymap basemap cells file, got something else")
    (size,) = struct.unpack_from("<I", raw, len(MAGIC))
    start = len(MAGIC) + 4
    return raw, start + size, json.loads(raw[start : start + size])


def _blob(span: list[int]) -> bytes:
    raw, base, _ = _pack()
    offset, length = span
    return zlib.decompress(raw[base + offset : base + offset + length])


def scale(tier: str) -> int:
    """The integer scale of a tier's encoded coordinates."""
    return _pack()[2]["scales"][tier]


@lru_cache(maxsize=1024)
def block(tier: str, key: str) -> dict[str, Content]:
    """The cells of one block of a tier, ``{"x,y": content}`` (empty for open sea)."""
    span = _pack()[2]["blobs"].get(f"{tier}/{key}")
    return json.loads(_blob(span)) if span else {}


def blocks(tier: str) -> list[str]:
    """The keys of a tier's blocks that hold anything, in the file's (sorted) order."""
    prefix = f"{tier}/"
    return [k[len(prefix) :] for k in _pack()[2]["blobs"] if k.startswith(prefix)]


def cell(tier: str, x: int, y: int) -> Content | None:
    """One cell of a tier (``x, y``: in the tier's cells), or None where it holds nothing."""
    size, per_block = TIERS[tier]
    per = per_block // size
    return block(tier, f"{x // per},{y // per}").get(f"{x},{y}")


def shape(tier: str) -> tuple[int, int]:
    """Rows and columns of a tier's grid of cells."""
    size = TIERS[tier][0]
    return 180 // size, 360 // size


@cache
def numbers(tier: str) -> Any:
    """How many encoded integers each cell of a tier in ``COUNTED`` holds: uint32 array indexed
    ``[y + 90 / size, x + 180 / size]`` (``x, y`` in the tier's cells)."""
    import numpy as np

    span = _pack()[2]["numbers"].get(tier)
    if span is None:
        return np.zeros(shape(tier), dtype=np.uint32)
    return np.frombuffer(_blob(span), dtype="<u4").reshape(shape(tier))


def write(scales: dict[str, int], contents: dict[str, dict[str, Content]], counts: dict[str, Any]) -> bytes:
    """The file for ``contents`` (``{"tier/block key": {"x,y": content}}``) and ``counts`` (the
    ``numbers`` array of each tier in ``COUNTED``): deterministic bytes."""
    import numpy as np

    blobs, index, offset = [], {}, 0
    for name in sorted(contents, key=_order):
        text = json.dumps(contents[name], separators=(",", ":"), sort_keys=True)
        data = zlib.compress(text.encode(), 9)
        index[name] = [offset, len(data)]
        blobs.append(data)
        offset += len(data)
    spans = {}
    for tier in COUNTED:
        data = zlib.compress(np.ascontiguousarray(counts[tier], dtype="<u4").tobytes(), 9)
        spans[tier] = [offset, len(data)]
        blobs.append(data)
        offset += len(data)
    head = json.dumps({"blobs": index, "numbers": spans, "scales": scales}, separators=(",", ":")).encode()
    return MAGIC + struct.pack("<I", len(head)) + head + b"".join(blobs)


def _order(name: str) -> tuple[int, int, int]:
    """Blobs by tier, then south to north, then west to east."""
    tier, key = name.split("/")
    x, y = map(int, key.split(","))
    return list(TIERS).index(tier), y, x
