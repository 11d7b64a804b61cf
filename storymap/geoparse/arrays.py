"""Flat files of named, typed arrays, mapped into memory: the gazetteer index loads in O(1).

The format (written by ``geodata/build.py``, read at run time) is a 16-byte magic string, the
length of a JSON header as a 4-byte little-endian integer, the header
``{"arrays": {name: [typecode, offset, count]}}`` and then each array's items, little-endian,
at offsets that are multiples of 8. ``typecode`` is a ``struct``/``memoryview`` format letter
(``Q i I H B f ?``). Reading maps the file and casts each slice into a ``memoryview``: nothing is
parsed or copied, pages are read from disk when an item is first used, and processes that open
the same file share its pages. Neither side needs numpy.
"""

from __future__ import annotations

import json
import mmap
import struct
import sys
from array import array
from pathlib import Path

MAGIC = b"STORYMAP-ARRAYS\x00"
#: Bytes per item of each type code: the same on every platform storymap runs on.
SIZES = {"Q": 8, "q": 8, "i": 4, "I": 4, "H": 2, "B": 1, "f": 4, "?": 1}


def write(path: Path, arrays: dict[str, tuple[str, bytes]]) -> None:
    """Write ``{name: (typecode, little-endian item bytes)}`` to ``path`` (deterministic bytes)."""
    header: dict[str, list] = {}
    offset = 0
    for name, (code, data) in arrays.items():
        if code not in SIZES or len(data) % SIZES[code]:
            raise ValueError(f"{name}: {len(data)} bytes are no whole number of {code!r} items")
        header[name] = [code, offset, len(data) // SIZES[code]]
        offset += -(-len(data) // 8) * 8
    head = json.dumps({"arrays": header}, sort_keys=True).encode("ascii")
    start = -(-(len(MAGIC) + 4 + len(head)) // 8) * 8
    out = bytearray(MAGIC + struct.pack("<I", len(head)) + head)
    out += bytes(start - len(out))
    for _code, data in arrays.values():
        out += data
        out += bytes(-len(out) % 8)
    path.write_bytes(bytes(out))


def read(path: Path) -> dict[str, memoryview]:
    """The arrays of ``path`` as read-only memoryviews over the mapped file (``FileNotFoundError``
    when it is missing, ``ValueError`` when it is no array file)."""
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if mm[: len(MAGIC)] != MAGIC:
        raise ValueError(f"{path}: not a storymap array file; run geodata/build.py")
    (size,) = struct.unpack_from("<I", mm, len(MAGIC))
    head_end = len(MAGIC) + 4 + size
    header = json.loads(mm[len(MAGIC) + 4 : head_end])["arrays"]
    base = -(-head_end // 8) * 8
    whole = memoryview(mm)
    out = {}
    for name, (code, offset, count) in header.items():
        start = base + offset
        raw = whole[start : start + count * SIZES[code]]
        if sys.byteorder != "little" and SIZES[code] > 1:  # pragma: no cover - big-endian hosts
            items = array(code, raw.tobytes())
            items.byteswap()
            raw = memoryview(items).cast("B")
        out[name] = raw.cast(code)
    return out


def mapped_text(path: Path) -> mmap.mmap:
    """A text file mapped read-only: slicing it gives ``bytes``, as the whole file read would."""
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
