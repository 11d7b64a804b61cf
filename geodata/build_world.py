"""Write ``geodata/world_shapes.bin``: the 1:110m world as ready geometry (``storymap.render.world``).

    python geodata/build_world.py

Reads ``geodata/basemap.json`` and ``geodata/areas.json.gz`` (``build_areas.py``); no network.
Run it after ``build_areas.py``. Rebuilding is byte-identical; ``tests/test_world.py`` checks that
the file is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from storymap.render import world  # noqa: E402  (the renderer reads what this writes)

OUT = HERE / world.FILE


def main() -> None:
    OUT.write_bytes(world.build())
    print(f"{OUT.name}: {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
