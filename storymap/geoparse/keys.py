"""Name keys shared by the run-time gazetteer and its build script (``geodata/build.py``).

The compiled index is ordered by ``key_hash`` and indexes every name also in its
accent-folded spelling (``fold``); its table of name beginnings holds ``word_prefixes``; both
sides must compute them the same way, so both import them from here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: A word of a name: a maximal run of letters and digits (what the recogniser reads as one word).
_WORD = re.compile(r"[^\W_]+")


def key_hash(key: str) -> int:
    """The stable 64-bit hash of a name that orders the key table (same in every process and build)."""
    return int.from_bytes(
        hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little"
    )


def fold(s: str) -> str:
    """``s`` without diacritics ("Bogotá" -> "Bogota", "Constanța" -> "Constanta")."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def word_prefixes(key: str) -> list[str]:
    """``key`` cut after each of its words but the last ("Rio de Janeiro" -> "Rio", "Rio de"): the
    beginnings a longer name may have (``Gazetteer.goes_on``)."""
    ends = [m.end() for m in _WORD.finditer(key)]
    return [key[:e] for e in ends[:-1]]
