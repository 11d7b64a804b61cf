"""Benchmark reading articles out of real saved news pages.

    python bench/extract.py [--pages DIR] [--limit N] [--worst N] [--baseline]

Reads ``html/NAME.html`` and ``text/NAME.txt`` from ``--pages``, ``$STORYMAP_WEBPAGES_DIR`` or
``shared/webpages/`` beside the repository or a folder above it (never copied into it), and applies
that folder's scoring protocol:

* tokens are the Unicode ``\\w+`` runs of a text; shingles are runs of 4 tokens counted with
  multiplicity (a text of fewer than 4 tokens is one shingle);
* per page, tp = sum of min(expected, extracted) over shingles, fp the extracted surplus, fn the
  expected surplus, normalised to add up to 1; precision and recall per page (both 1 when fp and
  fn are 0, precision 0 when nothing was extracted), each averaged over the pages; F1 is the
  harmonic mean of the two averages.

Pages whose expected text is empty or a reviewer's note in capitals ("MISSED LAST PARAGRAPH",
"EXTRACTED NOTHING") are not scored (the README says: where text and page disagree, trust the
page); they still count for refusals, since most of them hold an article.  A second line scores
the pages again without those whose expected text plainly is not the page's article: text that is
not visible on the page at all (slide captions kept in script data; found mechanically, fewer
than half of its shingles in the page's visible text) and the pages listed in ``NOT_THE_ARTICLE``.

It also builds each page's story exactly as ``storymap build page.html`` does and reports the
share of map places whose every quoted sentence lies outside the expected text ("boilerplate
places"; a sentence lies inside when at least half of its shingles occur in the expected text),
and the pages refused (``article is empty`` or any other error) in each group; refusing a page
without expected text (a site front page, a redirect) is right.

``--baseline`` also scores the visible-text reader storymap used before (every visible text of
the page except nav, aside, footer and form), rebuilt here in a few lines for comparison.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_TOKEN = re.compile(r"\w+")

#: Pages whose expected text is plainly not their article (checked by reading the page).
NOT_THE_ARTICLE = {
    "architecturaldigest.com2": "a video page; the expected text is the newsletter sign-up box",
    "elle.com1": "a catwalk collection page; the expected text is the newsletter sign-up box",
}


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """4-token shingles of ``text`` with multiplicity (one shingle for a text under 4 tokens)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def page_scores(expected: str, extracted: str) -> tuple[float, float]:
    """Precision and recall of one page by the protocol (tp, fp, fn normalised to add up to 1)."""
    exp, got = shingles(expected), shingles(extracted)
    tp = sum((exp & got).values())
    fp = sum((got - exp).values())
    fn = sum((exp - got).values())
    total = tp + fp + fn
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def inside(sentence: str, expected: Counter[tuple[str, ...]], expected_text: str) -> bool:
    """True when the sentence comes from the expected article text."""
    sh = shingles(sentence)
    if not sh:
        return True  # nothing to judge
    first = next(iter(sh))
    if len(first) < 4:  # a short sentence: its tokens in a row somewhere in the expected text
        return re.search(r"\W+".join(map(re.escape, first)), expected_text) is not None
    found = sum(n for s, n in sh.items() if s in expected)
    return found >= 0.5 * sum(sh.values())


@dataclass
class Tally:
    refused: dict[str, list[str]] = field(default_factory=lambda: {"scored": [], "noted": [], "none": []})
    places: int = 0
    boilerplate: list[str] = field(default_factory=list)
    per_page: list[tuple[float, float, float, str]] = field(default_factory=list)
    #: Scored pages whose expected text plainly is not the page's article.
    disagree: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def f1(self, leave_out: set[str] = frozenset()) -> tuple[float, float, float, int]:
        """F1, precision, recall and the number of pages scored, leaving out some pages."""
        kept = [(pp, rr) for _, pp, rr, name in self.per_page if name not in leave_out]
        p = sum(pp for pp, _ in kept) / len(kept) if kept else 0.0
        r = sum(rr for _, rr in kept) / len(kept) if kept else 0.0
        return (2 * p * r / (p + r) if p + r else 0.0), p, r, len(kept)


def default_pages() -> Path:
    """``$STORYMAP_WEBPAGES_DIR``, else ``shared/webpages`` beside the repository (or a folder above it)."""
    env = os.environ.get("STORYMAP_WEBPAGES_DIR")
    if env:
        return Path(env)
    for parent in REPO.parents:
        if (parent / "shared" / "webpages" / "html").is_dir():
            return parent / "shared" / "webpages"
    return REPO.parent / "shared" / "webpages"


def is_note(text: str) -> bool:
    """A reviewer's note in capitals ("MISSED LAST PARAGRAPH", "EXTRACTED NOTHING") instead of text."""
    words = text.split()
    letters = [ch for ch in text if ch.isalpha()]
    return len(words) < 40 and bool(letters) and sum(ch.isupper() for ch in letters) >= 0.6 * len(letters)


def pages(root: Path, limit: int | None) -> list[tuple[str, Path, str | None]]:
    """(name, page, expected text): ``""`` when the expected text is empty or a reviewer's note, None
    when there is no expected text (a front page, a redirect, or an article under another name)."""
    html = sorted((root / "html").glob("*.html"))
    out = []
    for path in html[:limit] if limit else html:
        text_path = root / "text" / f"{path.stem}.txt"
        text = text_path.read_text(encoding="utf-8") if text_path.is_file() else None
        if text is not None and (not text.strip() or is_note(text)):
            text = ""
        out.append((path.stem, path, text))
    return out


def run(
    items: list[tuple[str, Path, str | None]],
    read: Callable[[str, str], tuple[str, list[tuple[str, list[str]]]]],
) -> Tally:
    """Score one reader: ``read(page, name)`` gives the article text and (place, sentences) pairs."""
    from storymap import files
    from storymap.errors import StorymapError

    tally = Tally()
    for name, html_path, expected in items:
        kind = "scored" if expected else "none" if expected is None else "noted"
        page = files.read_text(html_path)
        if expected and (name in NOT_THE_ARTICLE or not on_the_page(expected, page)):
            tally.disagree.add(name)
        start = time.process_time()
        try:
            text, places = read(page, html_path.name)
        except StorymapError:
            tally.refused[kind].append(name)
            if expected:
                tally.per_page.append((0.0, 0.0, 0.0, name))
            continue
        finally:
            tally.seconds += time.process_time() - start
        if not expected:
            continue
        p, r = page_scores(expected, text)
        tally.per_page.append((2 * p * r / (p + r) if p + r else 0.0, p, r, name))
        exp = shingles(expected)
        for place, sentences in places:
            tally.places += 1
            if not any(inside(s, exp, expected) for s in sentences):
                tally.boilerplate.append(f"{name}: {place}")
    return tally


def visible_text(page: str) -> str:
    """All text of a page outside scripts, styles and templates (what a reader could ever see)."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page.encode("utf-8"))
    except Exception:  # noqa: BLE001 - an unreadable page shows nothing
        return ""
    for el in [e for e in root.iter() if isinstance(e.tag, str) and e.tag in ("script", "style", "template")]:
        el.drop_tree()
    return " ".join(root.itertext())


def on_the_page(expected: str, page: str) -> bool:
    """True when at least half of the expected text's shingles are visible text of the page."""
    want = shingles(expected)
    return sum((want & shingles(visible_text(page))).values()) >= 0.5 * sum(want.values())


def storymap_reader(page: str, name: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """The page read exactly as ``storymap build page.html`` reads it."""
    from storymap import pipeline
    from storymap.article import parse_article

    article = parse_article(page, "html", name)
    story = pipeline.story_from_text(page, "html", name)
    return article.text, [(p.name, [m.sentence for m in p.mentions]) for p in story.places]


def baseline_reader(page: str, name: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """The old reader: all visible text but nav, aside, footer and form, mapped as plain text."""
    import lxml.html

    from storymap import pipeline
    from storymap.errors import InputError

    skip = {"script", "style", "noscript", "template", "svg", "iframe", "nav", "aside", "footer", "form"}
    skip |= {"button", "select", "textarea", "audio", "video", "object", "canvas"}
    try:
        root = lxml.html.document_fromstring(page.encode("utf-8"))
    except Exception as e:  # noqa: BLE001 - an unreadable page is a refused page
        raise InputError(name, "article is empty") from e
    body = root.find("body")
    for el in [e for e in root.iter() if isinstance(e.tag, str) and e.tag.lower() in skip]:
        if el.getparent() is not None:
            el.drop_tree()
    blocks = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "br", "section", "article", "tr"}
    for el in (body if body is not None else root).iter():
        if isinstance(el.tag, str) and el.tag.lower() in blocks:
            el.tail = "\n" + (el.tail or "")
    visible = "".join((body if body is not None else root).itertext())
    lines = [" ".join(t.split()) for t in visible.split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise InputError(name, "article is empty")
    story = pipeline.story_from_text(text, "txt", name)
    return text, [(p.name, [m.sentence for m in p.mentions]) for p in story.places]


def report(label: str, tally: Tally, counts: Counter[str], worst: int) -> None:
    f1, p, r, n = tally.f1()
    share = len(tally.boilerplate) / tally.places if tally.places else 0.0
    print(f"{label}")
    print(f"  body F1 {f1:.3f}  precision {p:.3f}  recall {r:.3f}  ({n} pages scored)")
    f1, p, r, n = tally.f1(tally.disagree)
    print(
        f"  body F1 {f1:.3f}  precision {p:.3f}  recall {r:.3f}  ({n} pages, trusting the page where the"
        f" expected text is not its article: {', '.join(sorted(tally.disagree))})"
    )
    names = sorted(name for *_, name in tally.per_page)
    halves = [tally.f1(set(names[1::2]))[0], tally.f1(set(names[0::2]))[0]]
    print(
        f"  body F1 on each half (pages of even / odd rank by name, a check on over-fitting): "
        f"{halves[0]:.3f} / {halves[1]:.3f}"
    )
    for kind, what in (
        ("scored", "pages with an expected article"),
        ("noted", "pages with an article but a reviewer's note for text"),
        ("none", "pages without expected text (front pages, redirects, other languages)"),
    ):
        names = tally.refused[kind]
        print(
            f"  refused: {len(names)} of {counts[kind]} {what}" + (f" ({', '.join(names)})" if names else "")
        )
    print(f"  boilerplate places: {len(tally.boilerplate)} of {tally.places} map places ({share:.1%})")
    n = sum(counts.values())
    print(f"  CPU time: {tally.seconds:.1f} s ({tally.seconds / max(1, n) * 1000:.0f} ms a page)")
    if worst:
        print("  worst pages (F1 precision recall):")
        for f, pp, rr, name in sorted(tally.per_page)[:worst]:
            print(f"    {f:.3f} {pp:.3f} {rr:.3f}  {name}")
        for line in tally.boilerplate[: 3 * worst]:
            print(f"    boilerplate place: {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=None, help="folder with html/ and text/")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages")
    parser.add_argument("--baseline", action="store_true", help="also score the old visible-text reader")
    args = parser.parse_args(argv)
    root = args.pages or default_pages()
    if not (root / "html").is_dir():
        print(f"bench/extract.py: {root}: expected a folder with html/ and text/", file=sys.stderr)
        return 2
    items = pages(root, args.limit)
    counts = Counter("scored" if t else "none" if t is None else "noted" for _, _, t in items)
    print(
        f"{len(items)} pages from {root}: {counts['scored']} scored, {counts['noted']} with a reviewer's note"
        f" or nothing for text (not scored), {counts['none']} without text"
    )
    report("storymap (article extractor)", run(items, storymap_reader), counts, args.worst)
    if args.baseline:
        report("baseline (old visible-text reader)", run(items, baseline_reader), counts, args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
