"""Locate the package data (``geodata/`` and ``templates/``), and recognise geometry read from it.

In a checkout they sit at the top level of the repository; an installed wheel
carries them inside the package (``storymap/geodata``, ``storymap/templates``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The directory of package data ``name`` (``"geodata"`` or ``"templates"``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"storymap package data {name!r} is missing (looked in {_PACKAGE})")


#: Geometries read from the package data and handed out shared, by object id (``own_geometry``).
_OWN: dict[int, Any] = {}


def own_geometry(geometry: Any) -> Any:
    """Mark ``geometry``, read from the package data and checked when that was built, as the
    package's own; returns it. Callers share it read-only and keep it for the process."""
    _OWN[id(geometry)] = geometry
    return geometry


def is_own_geometry(value: Any) -> bool:
    """Whether ``value`` is (that very object) a geometry marked by ``own_geometry``: a story built
    from the gazetteer need not check it again, while any other geometry (a story file's) is."""
    return value is not None and _OWN.get(id(value)) is value
