"""A tiny corpus for the batch tests: short articles naming well-known places, written here."""

from __future__ import annotations

import csv
from pathlib import Path

ARTICLES = {
    "paris-floods": (
        "Floods close schools in Paris\n\nHeavy rain flooded streets in Paris on Monday. Trains between "
        "Paris and Lyon were cancelled, and the Seine rose above its banks near Rouen.\n"
    ),
    "kenya-drought": (
        "Drought hits farmers in Kenya\n\nFarmers near Nairobi say the drought is the worst in decades. "
        "Aid groups in Mombasa are sending water to villages in northern Kenya.\n"
    ),
    "peru-japan-deal": (
        "Peru signs a trade deal with Japan\n\nOfficials from Lima and Tokyo signed the agreement on Friday. "
        "Exporters hope to sell more coffee to Japan, and analysts in Paris praised it.\n"
    ),
    "berlin-rail": (
        "Rail strike in Germany\n\nTrains stood still in Berlin and Munich on Tuesday as drivers walked out. "
        "Commuters in Hamburg waited for buses.\n"
    ),
}

#: (id, date, source) of each article when it comes from a table.
META = [
    ("paris-floods", "2024-01-10", "Le Courrier"),
    ("kenya-drought", "2024-06-01", "Daily Wire Service"),
    ("peru-japan-deal", "2025-03-01", "Le Courrier"),
    ("berlin-rail", "2025-05-20", "Daily Wire Service"),
]


def write_folder(folder: Path) -> Path:
    """The articles as .txt files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def rows() -> list[dict[str, str]]:
    """The articles as table rows (id, title, text, date, source)."""
    out = []
    for ident, date, source in META:
        title, _, body = ARTICLES[ident].partition("\n\n")
        out.append({"id": ident, "title": title, "text": body, "date": date, "source": source})
    return out


def write_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "title", "text", "date", "source"])
        writer.writeheader()
        writer.writerows(rows())
    return path
