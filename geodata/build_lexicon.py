"""Write ``storymap/data/layers.json``: the shipped layer lexicon (``layers.yaml``) as JSON.

    python geodata/build_lexicon.py

``layers.yaml`` is what people read and edit (comments, one keyword a line); the program reads
this JSON twin, so building a map from an article needs no YAML parser. The YAML is read with the
checks a user's lexicon gets (``storymap.validate.load_yaml``). Rebuilding is byte-identical;
``tests/test_layers.py`` checks that the twin is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from storymap import validate  # noqa: E402

SOURCE = HERE.parent / "storymap" / "data" / "layers.yaml"
OUT = SOURCE.with_suffix(".json")


def build(text: str) -> str:
    """The JSON twin of a lexicon's YAML text."""
    _, data = validate.load_yaml(text, SOURCE.name, max_bytes=validate.MAX_LEXICON_BYTES)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    OUT.write_text(build(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{OUT.relative_to(HERE.parent)}: {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
