"""Whole-word keyword matching for the layer lexicon: stems, set phrases and place names.

A keyword matches whole words, case-insensitively.  A trailing ``*`` marks a real stem:
it matches the stem with an ordinary English ending ("traffick*" -> "trafficking",
"traffickers"; "bomb*" -> "bombing", "bombers"), never any word that merely starts with
it ("port*" does not match "Portland" or "portfolio", "bomb*" does not match "Bombay").
A keyword of several words matches them in a row, whatever separates them ("air strike"
also matches "air-strike").  Words are runs of letters and digits, so "drug-smuggling"
holds "drug" and "smuggling".

All the word lists of a lexicon share one ``WordIndex``: one pass over a sentence's words
finds every list's matches, each distinct word looked up once (articles of many megabytes
stay fast).  Pure: no I/O, nothing about any article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

#: The endings a stem keyword may take (none, or one of these, optionally pluralised).
SUFFIXES = (
    "e", "s", "es", "ed", "d", "ing", "er", "or", "ion", "ation", "ment", "al", "ial", "ally",
    "y", "ies", "ied", "ist", "ism", "ive", "ity", "ities", "ee", "ure", "t", "cy", "cies",
)  # fmt: skip
_ENDINGS = frozenset({""} | {s for suffix in SUFFIXES for s in (suffix, suffix + "s")})
_WORD = re.compile(r"\w+")
#: Distinct words remembered by one index before it starts afresh (bounded memory).
_MAX_SEEN = 200_000

#: A match: (first word index, index after the last word, the keyword as written).
Match = tuple[int, int, str]


def words(text: str) -> list[str]:
    """The words of ``text``, lowercased."""
    return [w.lower() for w in _WORD.findall(text)]


def _fits(word: str, part: str) -> bool:
    """Whether ``word`` is the keyword part ``part`` (``stem*`` takes an ordinary ending)."""
    if part.endswith("*"):
        stem = part[:-1]
        return word.startswith(stem) and word[len(stem) :] in _ENDINGS
    return word == part


@dataclass
class WordIndex:
    """Several named word lists, matched together in one pass over the words of a text."""

    lists: Mapping[str, Sequence[str]]
    _first: dict[str, list[tuple[str, tuple[str, ...], str]]] = field(init=False, default_factory=dict)
    _stems: dict[str, list[tuple[str, tuple[str, ...], str]]] = field(init=False, default_factory=dict)
    _lengths: tuple[int, ...] = field(init=False, default=())
    _seen: dict[str, list[tuple[str, tuple[str, ...], str]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for name, keywords in self.lists.items():
            for keyword in keywords:
                parts = tuple(words(keyword.rstrip("*")))
                if not parts:
                    continue
                if keyword.endswith("*"):
                    parts = (*parts[:-1], parts[-1] + "*")
                entry = (name, parts[1:], keyword)
                if parts[0].endswith("*"):
                    self._stems.setdefault(parts[0][:-1], []).append(entry)
                else:
                    self._first.setdefault(parts[0], []).append(entry)
        self._lengths = tuple(sorted({len(stem) for stem in self._stems}))

    def _starting(self, word: str) -> list[tuple[str, tuple[str, ...], str]]:
        """The keywords whose first word ``word`` is (cached per distinct word)."""
        found = self._seen.get(word)
        if found is None:
            found = list(self._first.get(word, ()))
            for n in self._lengths:
                if n > len(word):
                    break
                if word[n:] in _ENDINGS:
                    found += self._stems.get(word[:n], ())
            if len(self._seen) >= _MAX_SEEN:
                self._seen.clear()
            self._seen[word] = found
        return found

    def find(self, tokens: Sequence[str]) -> dict[str, list[Match]]:
        """Each list's matches in ``tokens``: left to right, longest first, never overlapping."""
        candidates: dict[str, list[Match]] = {}
        for i, word in enumerate(tokens):
            for name, rest, keyword in self._starting(word):
                end = i + 1 + len(rest)
                if end <= len(tokens) and all(_fits(tokens[i + 1 + k], p) for k, p in enumerate(rest)):
                    candidates.setdefault(name, []).append((i, end, keyword))
        found: dict[str, list[Match]] = {}
        for name, matches in candidates.items():
            matches.sort(key=lambda m: (m[0], -m[1]))
            kept: list[Match] = []
            for match in matches:
                if not kept or match[0] >= kept[-1][1]:
                    kept.append(match)
            found[name] = kept
        return found


def covered(matches: Iterable[Match]) -> set[int]:
    """The word indices that ``matches`` cover."""
    return {i for start, end, _ in matches for i in range(start, end)}


def outside(matches: Iterable[Match], taken: set[int]) -> list[Match]:
    """The matches that share no word with ``taken`` (place names, set phrases)."""
    return [m for m in matches if not any(i in taken for i in range(m[0], m[1]))]


def count(keywords: Sequence[str], text: str, excluded: Sequence[str] = ()) -> int:
    """How many ``keywords`` occur in ``text`` outside the ``excluded`` phrases (one-off use)."""
    found = WordIndex({"k": keywords, "x": excluded}).find(words(text))
    return len(outside(found.get("k", []), covered(found.get("x", []))))
