"""Per-process memories of pure results: a batch meets the same countries, outlines and stories
again and again, and one build renders a story more than once (the page and its embed).

``digest`` keys plain data; ``Recent`` is a dict of bounded size that forgets its oldest entry.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")

#: Within ``remembered``: the digests taken, by the id of their value (held, so no other object
#: takes its id meanwhile).
_TAKEN: ContextVar[dict[int, tuple[Any, bytes]] | None] = ContextVar("storymap_digests", default=None)


def digest(value: Any) -> bytes:
    """A digest of plain data (dicts, lists, numbers, strings), taken of its pickle: several times
    faster than of its JSON text (equal dicts with their keys in another order only miss).
    Within ``remembered`` the digest of one object is taken once."""
    taken = _TAKEN.get()
    if taken is None:
        return hashlib.sha1(pickle.dumps(value, protocol=5)).digest()
    found = taken.get(id(value))
    if found is None or found[0] is not value:
        found = taken[id(value)] = (value, hashlib.sha1(pickle.dumps(value, protocol=5)).digest())
    return found[1]


@contextmanager
def remembered() -> Iterator[None]:
    """Take each object's ``digest`` once while this lasts (one page of a story asks for the
    digest of each of its outlines several times): for work that does not change the data it
    digests meanwhile, such as rendering a story."""
    if _TAKEN.get() is not None:
        yield
        return
    token = _TAKEN.set({})
    try:
        yield
    finally:
        _TAKEN.reset(token)


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
