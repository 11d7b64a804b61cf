"""What a batch reads: files, folders, globs, tables of articles and lists of URLs -> ``Job``s.

Each job carries the article's text (or the URL to fetch), its format and whatever metadata the
input gives (title, date, source, url). Ids are unique, stable and safe as file names, so a rerun
finds the same article under the same name.
"""

from __future__ import annotations

import glob
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from storymap.errors import InputError

ARTICLE_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".parquet"}
URL_LIST_SUFFIXES = {".urls"}
_URL = re.compile(r"^https?://\S+$", re.I)
_TEXT_COLUMNS = ("text", "body", "content")
_HTML_COLUMNS = ("html",)


@dataclass(frozen=True)
class Job:
    """One article to map. ``text`` is None when it is read (or fetched) by the worker."""

    id: str
    source: str
    fmt: str = "txt"
    text: str | None = None
    path: str = ""
    url: str = ""
    title: str = ""
    date: str = ""
    outlet: str = ""

    def fingerprint(self, content: str) -> str:
        """Hash of what the map depends on: the content and the metadata shown with it."""
        h = hashlib.sha256()
        for part in (self.fmt, self.title, self.date, self.outlet, self.url, content):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()


def slug(text: str, most: int = 60) -> str:
    """A file-name-safe id: ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:most].strip("-")
    return out or "article"


def expand(inputs: Iterable[str | Path]) -> list[Job]:
    """Every article named by ``inputs``, in a stable order, with unique ids."""
    jobs: list[Job] = []
    for item in inputs:
        jobs.extend(_expand_one(str(item)))
    return _unique_ids(jobs)


def _expand_one(item: str) -> Iterator[Job]:
    if _URL.match(item):
        yield Job(id=slug(item.split("://", 1)[1]), source=item, fmt="html", url=item)
        return
    path = Path(item)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if child.suffix.lower() in ARTICLE_SUFFIXES:
                yield _file_job(child, base=path)
        return
    if any(c in item for c in "*?["):
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            raise InputError(item, "the pattern matches no file")
        for match in matches:
            if Path(match).is_file():
                yield from _expand_one(match)
        return
    if not path.exists():
        raise InputError(item, "no such file or folder")
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        yield from _table_jobs(path)
    elif suffix in URL_LIST_SUFFIXES or (suffix == ".txt" and _is_url_list(path)):
        for url in _urls(path):
            yield Job(id=slug(url.split("://", 1)[1]), source=url, fmt="html", url=url)
    elif suffix in ARTICLE_SUFFIXES:
        yield _file_job(path, base=path.parent)
    else:
        raise InputError(
            item,
            "expected an article (.txt, .md, .html), a table (.jsonl, .csv, .parquet), "
            "a list of URLs (.urls) or a folder",
        )


def _file_job(path: Path, base: Path) -> Job:
    rel = path.relative_to(base) if path.is_relative_to(base) else Path(path.name)
    return Job(
        id=slug(str(rel.with_suffix(""))),
        source=str(path),
        fmt=ARTICLE_SUFFIXES[path.suffix.lower()],
        path=str(path),
    )


def _is_url_list(path: Path) -> bool:
    """A .txt file whose every non-blank line is an http(s) URL (read at most 64 KB to decide)."""
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        lines = [line.strip() for line in fh.read(65536).splitlines() if line.strip()]
    return bool(lines) and all(_URL.match(line) for line in lines)


def _urls(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [s for line in lines if (s := line.strip()) and not s.startswith("#")]


def _table_jobs(path: Path) -> Iterator[Job]:
    for n, row in enumerate(_rows(path), start=1):
        text = next((str(row[c]) for c in _TEXT_COLUMNS if _present(row.get(c))), None)
        html = next((str(row[c]) for c in _HTML_COLUMNS if _present(row.get(c))), None)
        url = str(row["url"]) if _present(row.get("url")) else ""
        ident = str(row["id"]) if _present(row.get("id")) else f"{path.stem}-{n}"
        source = f"{path}#{n}"
        if text is None and html is None and not url:
            yield Job(id=slug(ident), source=source, fmt="txt", text="", title="(empty row)")
            continue
        yield Job(
            id=slug(ident),
            source=source,
            fmt="html" if text is None and html is not None else "txt",
            text=text if text is not None else html,
            url=url,
            title=_str(row.get("title")),
            date=_str(row.get("date")),
            outlet=_str(row.get("source")),
        )


def _present(value: object) -> bool:
    return value is not None and value == value and str(value).strip() != ""  # NaN != NaN


def _str(value: object) -> str:
    return str(value).strip() if _present(value) else ""


def _rows(path: Path) -> Iterator[dict]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open("r", encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{line_no}", f"not a JSON object: {exc.msg}") from None
                if not isinstance(row, dict):
                    raise InputError(f"{path}:{line_no}", "expected one JSON object per line")
                yield row
        return
    import pandas as pd  # a table reader; pandas comes with geopandas

    try:
        frame = (
            pd.read_csv(path, dtype=str, keep_default_na=False) if suffix == ".csv" else pd.read_parquet(path)
        )
    except Exception as exc:  # pandas/pyarrow raise many types for a broken table
        raise InputError(str(path), f"cannot read the table: {exc}") from None
    yield from frame.to_dict(orient="records")


def _unique_ids(jobs: list[Job]) -> list[Job]:
    seen: dict[str, int] = {}
    out = []
    for job in jobs:
        n = seen.get(job.id, 0)
        seen[job.id] = n + 1
        if n:
            job = Job(**{**job.__dict__, "id": f"{job.id}-{n + 1}"})
        out.append(job)
    return out
