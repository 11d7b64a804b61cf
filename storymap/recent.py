"""Per-process memories of pure results: a batch meets the same countries, outlines and stories
again and again, and one build renders a story more than once (the page and its embed).

``digest`` keys plain data; ``Recent`` is a dict of bounded size that forgets its oldest entry.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")


def digest(value: Any) -> bytes:
    """A digest of plain data (dicts, lists, numbers, strings), taken of its pickle: several times
    faster than of its JSON text (equal dicts with their keys in another order only miss)."""
    return hashlib.sha1(pickle.dumps(value, protocol=5)).digest()


class Recent(dict[K, V]):
    """A dict of at most ``size`` entries: ``put`` forgets the oldest to make room."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: K, value: V) -> V:
        """Remember ``value`` under ``key`` and return it."""
        while len(self) >= self.size:
            self.pop(next(iter(self)))
        self[key] = value
        return value
