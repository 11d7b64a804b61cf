"""Check that a change to the geoparser leaves every output unchanged.

    python bench/geoparse_same.py save FILE    # before the change
    python bench/geoparse_same.py check FILE   # after it: lists every difference

``PYTHONPATH=OTHER_CHECKOUT python bench/geoparse_same.py save FILE`` saves another checkout's
outputs (the storymap package is imported before anything else, from the path given).

Runs ``find_mentions`` over every article of the LGL and TR-News corpora (see
``bench/geoparse.py``) and writes, or compares with, one line per mention: the corpus, the
article, the span and every field of the mention (a digest of its outline).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

# storymap first, so that PYTHONPATH chooses which checkout is compared (bench/geoparse.py puts
# its own repository first on the path).
import storymap.geoparse  # noqa: E402, F401

sys.path.insert(0, str(Path(__file__).resolve().parent))

from geoparse import CORPORA, corpus_dir, load  # noqa: E402


def lines() -> list[str]:
    """One line per mention over both corpora."""
    from storymap.geoparse import find_mentions

    out = []
    root = corpus_dir()
    for key, name in CORPORA.items():
        for i, doc in enumerate(load(root / name, realign=False)):
            for m in find_mentions(doc.text):
                shape = json.dumps(m.geometry, sort_keys=True) if m.geometry is not None else ""
                digest = hashlib.sha1(shape.encode()).hexdigest()[:10] if shape else "-"
                out.append(
                    f"{key}\t{i}\t{m.start}\t{m.end}\t{m.text!r}\t{m.name!r}\t{m.kind}\t{m.lat!r}\t{m.lon!r}"
                    f"\t{m.country}\t{m.confidence!r}\t{m.ref}\t{m.demonym}\t{m.stands_for}\t{digest}"
                )
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print("usage: geoparse_same.py save|check FILE", file=sys.stderr)
        return 2
    path = Path(argv[1])
    now = lines()
    if argv[0] == "save":
        path.write_text("\n".join(now) + "\n", encoding="utf-8")
        print(f"{len(now)} mentions saved to {path}")
        return 0
    before = path.read_text(encoding="utf-8").splitlines()
    gone = sorted(set(before) - set(now))
    new = sorted(set(now) - set(before))
    for line in gone:
        print(f"- {line}")
    for line in new:
        print(f"+ {line}")
    same = not gone and not new and len(before) == len(now)
    print(f"{'SAME' if same else 'DIFFERENT'}: {len(before)} mentions before, {len(now)} now")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
