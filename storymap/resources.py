"""Locate the package data: ``geodata/`` and ``templates/``.

In a checkout they sit at the top level of the repository; an installed wheel
carries them inside the package (``storymap/geodata``, ``storymap/templates``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The directory of package data ``name`` (``"geodata"`` or ``"templates"``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"storymap package data {name!r} is missing (looked in {_PACKAGE})")
