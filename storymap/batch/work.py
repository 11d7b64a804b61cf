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
    root = Path(site)
    try:
        content, fmt = _content(job)
        key = hashlib.sha256(f"{settings.key()}|{fmt}|{job.fingerprint(content)}".encode()).hexdigest()
        record_path = root / RECORDS / f"{job.id}.json"
        if _same_key(record_path, key) and (root / MAPS / f"{job.id}.html").exists():
            return {"id": job.id, "status": "skipped", "reason": ""}
        record, html = _map(job, content, fmt, settings)
        record["key"] = key
        files.write_atomic(root / MAPS / f"{job.id}.html", html)
        for geom_key, geometry in record.pop("_geometries").items():
            target = root / GEOMETRY / f"{geom_key}.json"
            if not target.exists():
                files.write_atomic(target, json.dumps(geometry, sort_keys=True, separators=(",", ":")))
        files.write_atomic(record_path, json.dumps(record, sort_keys=True, ensure_ascii=False, indent=1))
        return {"id": job.id, "status": "built", "reason": ""}
    except StorymapError as exc:
        return {"id": job.id, "status": "failed", "reason": str(exc), "source": job.source}
    except Exception as exc:  # one bad article never ends the batch
        return {
            "id": job.id,
            "status": "failed",
            "reason": f"{type(exc).__name__}: {exc}",
            "source": job.source,
        }


def run_chunk(jobs: list[Job], settings: Settings, site: str) -> list[dict[str, Any]]:
    """A partition of the batch (what a Dask task or a pool task runs)."""
    return [run_job(job, settings, site) for job in jobs]


def _same_key(path: Path, key: str) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("key") == key
    except (OSError, ValueError):
        return False


def _map(job: Job, content: str, fmt: str, settings: Settings) -> tuple[dict[str, Any], str]:
    from storymap import pipeline

    if not content.strip():
        raise StorymapError(f"{job.source}: the article is empty")
    story = pipeline.story_from_text(content, fmt, job.source, _lexicon(settings.lexicon))
    if job.title:
        story = story.model_copy(update={"title": job.title})
    html = pipeline.render(story, tiles=settings.tiles or None, still=settings.still)
    titles = {layer.id: layer.title for layer in story.layers}
    geometries: dict[str, Any] = {}
    places = []
    for place in story.places:
        geom_key = ""
        if place.geometry is not None:
            text = json.dumps(place.geometry, sort_keys=True, separators=(",", ":"))
            geom_key = hashlib.sha1(text.encode()).hexdigest()[:20]
            geometries[geom_key] = place.geometry
        places.append(
            {
                "id": place.id,
                "ref": place.ref,
                "name": place.name,
                "kind": place.kind,
                "lat": place.lat,
                "lon": place.lon,
                "geometry": geom_key,
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
