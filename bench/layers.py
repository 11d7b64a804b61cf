"""How the layers fall on real articles: themes where the text supports them, kinds otherwise.

    python bench/layers.py [DIR_OR_FILE ...] [--geoparse] [--show NAME ...] [--limit N]

Builds the story of every ``*.txt`` article under the given folders (default: the article
texts of ``../shared/webpages/text/`` beside the repository, or ``$STORYMAP_WEBPAGES_DIR``)
and prints:

* how the places spread over the layers (share of all places per layer title);
* the share of places in "Other places" (the lexicon's catch-all layer);
* the share of articles whose largest layer is a theme of the lexicon, a fallback layer
  (by kind, by section, "Other places") or a tie;
* the articles with a military layer, with the sentence that put each place there, so a
  reader can check by eye that none of them is a sports report;
* with ``--show``, the layers (title: places) of the named articles and of the seed.

``--geoparse`` adds the articles of the LGL and TR-News corpora (``../shared/geoparse/``).
Nothing here is timed; it is a measurement of what readers would see.
"""

from __future__ import annotations

import argparse
import os
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from storymap.layers import default_lexicon  # noqa: E402
from storymap.model import Story  # noqa: E402
from storymap.pipeline import story_from_text  # noqa: E402

SEED = REPO / "examples" / "us-colombia-white-house.txt"


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


def largest(story: Story, themes: set[str]) -> str:
    """ "theme", "fallback" or "tie" for the layer with most places (no places: "")."""
    if not story.layers:
        return ""
    sizes = Counter({layer.id: len(layer.places) for layer in story.layers})
    top = max(sizes.values())
    kinds = {"theme" if lid in themes else "fallback" for lid, n in sizes.items() if n == top}
    return kinds.pop() if len(kinds) == 1 else "tie"


def describe(story: Story) -> str:
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
    args = parser.parse_args()

    docs = articles(args.paths or [webpages_dir()])
    if args.geoparse:
        docs += geoparse_articles()
    if args.limit:
        docs = docs[: args.limit]
    lexicon = default_lexicon()
    themes = {rule.id for rule in lexicon.rules}
    by_title: Counter[str] = Counter()
    tops: Counter[str] = Counter()
    other = places = mapped = 0
    stories: dict[str, Story] = {}
    for name, text in docs:
        if not text.strip():
            continue
        story = story_from_text(text, "txt", name)
        stories[name] = story
        if not story.places:
            continue
        mapped += 1
        places += len(story.places)
        for layer in story.layers:
            by_title[layer.title] += len(layer.places)
            if layer.id == lexicon.fallback.id:
                other += len(layer.places)
        tops[largest(story, themes)] += 1

    print(f"{mapped} articles with places ({len(docs)} read), {places} places")
    print(f"places in '{lexicon.fallback.title}': {other / max(places, 1):.1%}")
    print(
        "largest layer: "
        + ", ".join(f"{kind} {tops[kind] / max(mapped, 1):.1%}" for kind in ("theme", "fallback", "tie"))
    )
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
