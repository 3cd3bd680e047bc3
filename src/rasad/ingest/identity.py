"""Report identity: article ids, content hashes, and SimHash fingerprints for near-duplicates."""

from __future__ import annotations

import hashlib
import re

from rasad.text.normalise import norm

_WORD = re.compile(r"\w+")


def content_hash(text: str) -> str:
    """Hash of the normalised words, so whitespace and diacritic edits do not change it."""
    words = _WORD.findall(norm(text))
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def simhash(text: str, shingle: int = 3) -> int:
    """64-bit SimHash over word shingles of the normalised text."""
    words = _WORD.findall(norm(text))
    if len(words) < shingle:
        words = words + [""] * (shingle - len(words))
    acc = [0] * 64
    for i in range(len(words) - shingle + 1):
        h = int.from_bytes(hashlib.blake2b(" ".join(words[i : i + shingle]).encode(), digest_size=8).digest())
        for bit in range(64):
            acc[bit] += 1 if (h >> bit) & 1 else -1
    return sum(1 << bit for bit in range(64) if acc[bit] > 0)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def bands(h: int, n: int = 4) -> list[int]:
    """Split a 64-bit hash into n bands; two hashes within n-1 bits share at least one band."""
    width = 64 // n
    return [(h >> (i * width)) & ((1 << width) - 1) for i in range(n)]


NEAR_DUPLICATE_BITS = 3
