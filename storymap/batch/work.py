"""The work on one article, as a worker runs it: read, map, write the map and a record.

A worker process keeps the gazetteer and the layer lexicon it loaded for the first article, so
each worker loads them once. Everything an article leaves in the site folder is written
atomically: ``maps/ID.html``, ``records/ID.json`` (what the index, the corpus map and the
mentions table are made from) and ``records/geometry/KEY.json`` (each area shape once).
A rerun skips an article whose record holds the same fingerprint (content + settings).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from storymap import __version__, files
from storymap.batch.inputs import Job
from storymap.errors import StorymapError
from storymap.recent import Recent, digest, remembered

MAPS = "maps"
RECORDS = "records"
GEOMETRY = "records/geometry"


@dataclass(frozen=True)
class Settings:
    """What every map of the batch depends on besides its article (part of the fingerprint)."""

    lexicon: str = ""
    tiles: str = ""
    #: Inline each map's still image (for readers without scripts, and print): about 0.2 s of CPU
    #: per article, several times the rest of the map, so a batch leaves it out unless asked.
    still: bool = False

    def key(self) -> str:
        return f"storymap {__version__}|lexicon={self.lexicon}|tiles={self.tiles}|still={self.still}"


@cache
def _lexicon(path: str):
    from storymap.pipeline import _lexicon as load

    return load(path) if path else None


def _content(job: Job) -> tuple[str, str]:
    """The article's text and its format (``txt``, ``md`` or ``html``), read or fetched here."""
    if job.text is not None:
        return job.text, job.fmt
    if job.url:
        from storymap.pipeline import read_url

        text, fmt, _ = read_url(job.url)
        return text, fmt
    return files.read_article(job.path)


def run_job(job: Job, settings: Settings, site: str) -> dict[str, Any]:
    """Map one article; returns ``{"id", "status": "built"|"skipped"|"failed", "reason"}``."""
    return run_chunk([job], settings, site)[0]


def run_chunk(jobs: list[Job], settings: Settings, site: str) -> list[dict[str, Any]]:
    """A partition of the batch (what a Dask task or a pool task runs): each article's map and
    shapes are written, then (once those are durable) the records, so that a record never stands
    for a map that a crash lost. A folder is made durable once per partition, not per file."""
    root = Path(site)
    results: list[dict[str, Any]] = []
    records: list[tuple[int, Path, str]] = []  # (index in results, path, text)
    for job in jobs:
        try:
            written = _write_map(job, settings, root)
        except Exception as exc:  # one bad article never ends the batch
            results.append(_failed(job, exc))
            continue
        if written is None:
            results.append({"id": job.id, "status": "skipped", "reason": ""})
        else:
            records.append((len(results), *written))
            results.append({"id": job.id, "status": "built", "reason": ""})
    if records:
        files.sync_folder(root / MAPS)
        files.sync_folder(root / GEOMETRY)
    for i, path, text in records:
        try:
            files.write_atomic(path, text, sweep=False, sync_folder=False)
        except Exception as exc:
            results[i] = _failed(jobs[i], exc)
    if records:
        files.sync_folder(root / RECORDS)
    return results


def _failed(job: Job, exc: Exception) -> dict[str, Any]:
    reason = str(exc) if isinstance(exc, StorymapError) else f"{type(exc).__name__}: {exc}"
    return {"id": job.id, "status": "failed", "reason": reason, "source": job.source}


def _write_map(job: Job, settings: Settings, root: Path) -> tuple[Path, str] | None:
    """Write the article's map and its new shapes; its record's path and text, to be written once
    the map is durable (None: the article is unchanged since its record was written)."""
    content, fmt = _content(job)
    key = hashlib.sha256(f"{settings.key()}|{fmt}|{job.fingerprint(content)}".encode()).hexdigest()
    record_path = root / RECORDS / f"{job.id}.json"
    if _same_key(record_path, key) and (root / MAPS / f"{job.id}.html").exists():
        return None
    record, html = _map(job, content, fmt, settings)
    record["key"] = key
    files.write_atomic(root / MAPS / f"{job.id}.html", html, sweep=False, sync_folder=False)
    for geom_key, geometry in record.pop("_geometries").items():
        target = root / GEOMETRY / f"{geom_key}.json"
        if not target.exists():
            text = json.dumps(geometry, sort_keys=True, separators=(",", ":"))
            files.write_atomic(target, text, sweep=False, sync_folder=False)
    return record_path, json.dumps(record, sort_keys=True, ensure_ascii=False, indent=1)


def sweep(site: str | Path) -> None:
    """Remove what killed runs left half-written in the site's folders (before a batch starts:
    the workers' writes then skip the per-file sweep)."""
    for folder in (MAPS, RECORDS, GEOMETRY):
        files.remove_stale_temps(Path(site) / folder)


def _same_key(path: Path, key: str) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("key") == key
    except (OSError, ValueError):
        return False


#: Areas' keys (``_geometry_key``) by ``recent.digest`` of their GeoJSON: the same countries and
#: seas come back in article after article.
_GEOMETRY_KEYS: Recent[bytes, str] = Recent(1024)


def _geometry_key(geometry: dict[str, Any]) -> str:
    """The key an area's shape is stored under (``records/geometry/KEY.json``): a hash of its
    JSON text (sorted keys)."""
    d = digest(geometry)
    key = _GEOMETRY_KEYS.get(d)
    if key is None:
        text = json.dumps(geometry, sort_keys=True, separators=(",", ":"))
        key = _GEOMETRY_KEYS.put(d, hashlib.sha1(text.encode()).hexdigest()[:20])
    return key


def _map(job: Job, content: str, fmt: str, settings: Settings) -> tuple[dict[str, Any], str]:
    from storymap import pipeline

    if not content.strip():
        raise StorymapError(f"{job.source}: the article is empty")
    story = pipeline.story_from_text(content, fmt, job.source, _lexicon(settings.lexicon))
    if job.title:
        story = story.model_copy(update={"title": job.title})
    with remembered():  # the outlines' digests taken for the page serve for their keys here
        html = pipeline.render(story, tiles=settings.tiles or None, still=settings.still)
        keys = [None if p.geometry is None else _geometry_key(p.geometry) for p in story.places]
    titles = {layer.id: layer.title for layer in story.layers}
    geometries: dict[str, Any] = {}
    places = []
    for place, geom_key in zip(story.places, keys, strict=True):
        if geom_key is not None:
            geometries[geom_key] = place.geometry
        places.append(
            {
                "id": place.id,
                "ref": place.ref,
                "name": place.name,
                "kind": place.kind,
                "lat": place.lat,
                "lon": place.lon,
                "geometry": geom_key or "",
                "layer": titles.get(place.layer, "Other places"),
                "confidence": place.confidence,
                "mentions": [
                    {"start": m.start, "end": m.end, "text": m.text, "sentence": m.sentence}
                    for m in place.mentions
                ],
            }
        )
    record = {
        "id": job.id,
        "source": job.source,
        "title": story.title or job.id,
        "date": job.date,
        "outlet": job.outlet,
        "url": job.url,
        "map": f"{MAPS}/{job.id}.html",
        "places": places,
        "_geometries": geometries,
    }
    return record, html
