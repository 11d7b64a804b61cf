"""Name keys shared by the run-time gazetteer and its build script (``geodata/build.py``).

The compiled index is ordered by ``key_hash`` and indexes every name also in its
accent-folded spelling (``fold``); its table of name beginnings holds ``word_prefixes``; both
tables are addressed through ``bucket_starts``; both sides must compute them the same way, so both
import them from here.
"""

from __future__ import annotations

import re
import unicodedata
from zlib import crc32

#: A word of a name: a maximal run of letters and digits (what the recogniser reads as one word).
_WORD = re.compile(r"[^\W_]+")


def key_hash(key: str) -> int:
    """The stable 32-bit hash of a name that orders the key tables (same in every process and build).

    CRC-32 of the UTF-8 bytes: one C call, several times cheaper than a cryptographic hash, and most
    names the recogniser looks up are in no table, so the hash is most of what a miss costs.  Two
    names may share a hash: the key table stores each name's text, and a look-up compares it; for
    the table of beginnings a shared hash only makes the recogniser read one more word."""
    return crc32(key.encode("utf-8", "surrogatepass"))


def bucket_starts(hashes: list[int], bits: int) -> list[int]:
    """For sorted 32-bit ``hashes``: where the hashes whose top ``bits`` bits are ``b`` start, for
    every ``b`` (and their count at the end, ``2**bits + 1`` numbers).  A look-up reads the two
    starts of its bucket, so it binary-searches a few hashes rather than the whole table, and a
    name in an empty bucket (most names that are in no table) is rejected at once."""
    shift = 32 - bits
    out = [0] * ((1 << bits) + 1)
    for h in hashes:
        out[(h >> shift) + 1] += 1
    for b in range(1 << bits):
        out[b + 1] += out[b]
    return out


def fold(s: str) -> str:
    """``s`` without diacritics ("Bogotá" -> "Bogota", "Constanța" -> "Constanta")."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def word_prefixes(key: str) -> list[str]:
    """``key`` cut after each of its words but the last ("Rio de Janeiro" -> "Rio", "Rio de"): the
    beginnings a longer name may have (``Gazetteer.goes_on``)."""
    ends = [m.end() for m in _WORD.finditer(key)]
    return [key[:e] for e in ends[:-1]]
