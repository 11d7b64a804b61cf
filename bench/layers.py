"""How the layers fall on real articles: themes where the text supports them, kinds otherwise.

    python bench/layers.py [DIR_OR_FILE ...] [--geoparse] [--show NAME ...] [--military]
                           [--limit N] [--code CHECKOUT]

Builds the story of every ``*.txt`` article under the given folders (default: the article
texts of ``../shared/webpages/text/`` beside the repository, or ``$STORYMAP_WEBPAGES_DIR``)
and prints:

* how the places spread over the layers (share of all places per layer title);
* the share of places in "Other places" (the lexicon's catch-all layer);
* the share of articles whose largest layer is a theme of the lexicon, a layer by kind,
  "Other places" or a tie, and how often "Other places" is (one of) the biggest;
* how many articles read as sports reports (four or more different words of this
  script's own sports list, independent of the lexicon) and how many of those show a
  military layer (the goal is none);
* with ``--military``, every place put in the military layer with its first sentence, so
  a reader can check by eye that none of them comes from a sports report;
* with ``--show``, the layers (title: places) of the named articles and of the seed.

``--geoparse`` adds the articles of the LGL and TR-News corpora (``../shared/geoparse/``).
Nothing here is timed; it is a measurement of what readers would see.  It reads the
lexicon only through ``default_lexicon()``, so ``--code OLD_CHECKOUT`` (storymap imported
from there) gives the "before" figures of the same measurement.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

SEED = REPO / "examples" / "us-colombia-white-house.txt"

#: This script's own judge of a sports report (not the lexicon's sense, which it checks).
SPORT = re.compile(
    r"\b(cricket|football|soccer|rugby|tennis|golf|hockey|baseball|basketball|wickets?|innings|"
    r"league|coach|goals?|match|striker|batting|bowlers?|quarterback|touchdowns?|playoffs?|"
    r"tournament|championship|stadium|referee|umpire|midfielder|defender|scored|season)\b",
    re.IGNORECASE,
)


def webpages_dir() -> Path:
    env = os.environ.get("STORYMAP_WEBPAGES_DIR")
    return Path(env) if env else REPO.parent / "shared" / "webpages" / "text"


def geoparse_articles() -> list[tuple[str, str]]:
    """(name, text) of every article of the LGL and TR-News corpora."""
    env = os.environ.get("STORYMAP_GEOPARSE_DIR")
    folder = Path(env) if env else REPO.parent / "shared" / "geoparse"
    out = []
    for corpus in ("lgl.xml", "TR-News.xml"):
        path = folder / corpus
        if not path.exists():
            print(f"{path}: not found, skipped", file=sys.stderr)
            continue
        for i, art in enumerate(ET.parse(path).getroot().iter("article")):
            out.append((f"{corpus.split('.')[0]}#{i}", art.findtext("text") or ""))
    return out


def articles(paths: list[Path]) -> list[tuple[str, str]]:
    out = []
    for path in paths:
        files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
        out += [(f.stem, f.read_text(encoding="utf-8", errors="replace")) for f in files]
    return out


def largest(story: Any, themes: set[str], fallback: str) -> str:
    """What the layer with most places is: "theme", "kind", "other" or "tie" ("" if no places)."""
    if not story.layers:
        return ""
    sizes = Counter({layer.id: len(layer.places) for layer in story.layers})
    top = max(sizes.values())
    kinds = {
        "theme" if lid in themes else "other" if lid == fallback else "kind"
        for lid, n in sizes.items()
        if n == top
    }
    return kinds.pop() if len(kinds) == 1 else "tie"


def is_sport(text: str) -> bool:
    return len({m.lower() for m in SPORT.findall(text)}) >= 4


def describe(story: Any) -> str:
    names = {p.id: p.name for p in story.places}
    return "\n".join(
        f"    {layer.title}: {', '.join(names[pid] for pid in layer.places)}" for layer in story.layers
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="folders of .txt articles, or files")
    parser.add_argument("--geoparse", action="store_true", help="add the LGL and TR-News articles")
    parser.add_argument("--show", nargs="*", default=[], help="print the layers of these articles")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--military", action="store_true", help="list the places put in 'military'")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout to import storymap from")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    from storymap.layers import default_lexicon
    from storymap.pipeline import story_from_text

    docs = articles(args.paths or [webpages_dir()])
    if args.geoparse:
        docs += geoparse_articles()
    if args.limit:
        docs = docs[: args.limit]
    lexicon = default_lexicon()
    themes = {rule.id for rule in lexicon.rules}
    by_title: Counter[str] = Counter()
    tops: Counter[str] = Counter()
    other = places = mapped = other_biggest = sport = sport_military = 0
    stories: dict[str, Any] = {}
    for name, text in docs:
        if not text.strip():
            continue
        story = story_from_text(text, "txt", name)
        stories[name] = story
        if not story.places:
            continue
        mapped += 1
        places += len(story.places)
        sizes = {layer.id: len(layer.places) for layer in story.layers}
        for layer in story.layers:
            by_title[layer.title] += len(layer.places)
            if layer.id == lexicon.fallback.id:
                other += len(layer.places)
        tops[largest(story, themes, lexicon.fallback.id)] += 1
        other_biggest += sizes.get(lexicon.fallback.id, 0) == max(sizes.values())
        if is_sport(text):
            sport += 1
            sport_military += "military" in sizes

    share = lambda n: f"{n / max(mapped, 1):.1%}"  # noqa: E731
    print(f"{mapped} articles with places ({len(docs)} read), {places} places")
    print(f"places in '{lexicon.fallback.title}': {other / max(places, 1):.1%}")
    print("largest layer: " + ", ".join(f"{k} {share(tops[k])}" for k in ("theme", "kind", "other", "tie")))
    print(f"articles where '{lexicon.fallback.title}' is (one of) the biggest layers: {share(other_biggest)}")
    print(f"sports reports: {sport}, with a military layer: {sport_military}")
    print("share of places per layer:")
    for title, n in by_title.most_common():
        print(f"  {n / max(places, 1):6.1%}  {title}")
    if args.military:
        print("places in 'military':")
        for name, story in stories.items():
            for p in story.places:
                if p.layer == "military":
                    print(f"  {name}: {p.name} <- {p.mentions[0].sentence[:110]!r}")
    for name in args.show:
        story = stories.get(name) or story_from_text(
            (webpages_dir() / f"{name}.txt").read_text(), "txt", name
        )
        print(f"{name}:\n{describe(story)}")
    seed = story_from_text(SEED.read_text(encoding="utf-8"), "txt", SEED.name)
    print(f"seed ({SEED.name}):\n{describe(seed)}")


if __name__ == "__main__":
    main()
