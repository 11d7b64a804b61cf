"""Optional packages of the exports, imported where used with an error that names the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from storymap.errors import MissingExtra

#: Module -> (package to install, storymap extra that brings it; "" for a dependency of storymap
#: itself, which only a broken install lacks).
PACKAGES = {
    "geopandas": ("geopandas", ""),
    "pyogrio": ("pyogrio", ""),
    "matplotlib": ("matplotlib", ""),
    "pyarrow": ("pyarrow", "parquet"),
    "mapclassify": ("mapclassify", "notebook"),
}


def need(module: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature`` or raise ``MissingExtra`` naming what to pip install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package, extra = PACKAGES.get(module.split(".")[0], (module, ""))
        raise MissingExtra(feature, package, extra) from None
