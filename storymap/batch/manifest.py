"""What a batch wrote into its site folder (``.storymap-batch.json``), so that a rerun removes
the maps and records of articles that are no longer in its input.

Only files the manifest lists (which storymap wrote: ``maps/ID.html``, ``records/ID.json``,
``records/geometry/KEY.json``) are ever removed; anything else in the folder is left alone. The
manifest is extended with the run's planned outputs *before* any worker writes, so an
interrupted run still leaves every file it may have written on the list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from storymap import files
from storymap.batch.work import GEOMETRY, MAPS, RECORDS

NAME = ".storymap-batch.json"
#: The only paths a manifest may name (a tampered manifest cannot reach outside these folders).
_OWNED = re.compile(
    rf"^(?:{MAPS}/[A-Za-z0-9][A-Za-z0-9._-]*\.html|{RECORDS}/[A-Za-z0-9][A-Za-z0-9._-]*\.json"
    rf"|{GEOMETRY}/[0-9a-f]+\.json)$"
)


def article_files(ident: str) -> list[str]:
    """The files one article leaves in the site (besides its shared area shapes)."""
    return [f"{MAPS}/{ident}.html", f"{RECORDS}/{ident}.json"]


def read(root: Path) -> set[str]:
    """The files the manifest in ``root`` lists (none when there is none, or it is unreadable)."""
    try:
        listed = json.loads((root / NAME).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return set()
    return {p for p in listed if isinstance(p, str) and _OWNED.match(p) and ".." not in p}


def write(root: Path, paths: Iterable[str]) -> None:
    text = json.dumps({"files": sorted(set(paths))}, indent=0, ensure_ascii=True)
    files.write_atomic(root / NAME, text + "\n")


def begin(root: Path, ids: Iterable[str]) -> set[str]:
    """Before a run: add the run's article files to the manifest; returns what it listed before."""
    before = read(root)
    write(root, before | {p for ident in ids for p in article_files(ident)})
    return before


def finish(root: Path, ids: Iterable[str], before: set[str], shapes: Iterable[str]) -> list[str]:
    """After a run: remove the listed files of articles no longer in the input, and area shapes
    no current record uses; write the manifest of what is left. Returns the removed paths.

    ``shapes`` are the keys of the area shapes the current articles' records use (see
    ``site.shapes_of``).
    """
    ids = list(ids)
    keep = {p for ident in ids for p in article_files(ident)}
    used = {f"{GEOMETRY}/{key}.json" for key in shapes}
    listed = before | keep | {p for p in used if (root / p).exists()}
    for path in before - keep:  # a leaving article's shapes are on the list even if written unlisted
        if path.startswith(f"{RECORDS}/") and not path.startswith(f"{GEOMETRY}/"):
            listed |= _shapes_of(root / path)
    removed = []
    for path in sorted(listed - keep - used):
        target = root / path
        if target.is_file():
            target.unlink()
            removed.append(path)
    write(root, {p for p in keep | used if (root / p).exists()})
    return removed


def _shapes_of(record_path: Path) -> set[str]:
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        return {f"{GEOMETRY}/{p['geometry']}.json" for p in record["places"] if p.get("geometry")}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
