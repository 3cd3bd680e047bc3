"""Report identity: article ids, content hashes, and MinHash signatures for near-duplicates.

MinHash over word 3-shingles estimates the share of shingles two reports have in common, which
stays high when an outlet republishes a report with a changed headline or a few words edited;
LSH bands let the store find candidates without comparing every pair.
"""

from __future__ import annotations

import hashlib
import random
import re
import struct

import numpy as np

from rasad.model import Fingerprint, Report
from rasad.text.normalise import norm

_WORD = re.compile(r"\w+")
NUM_PERM = 64
BANDS = 16  # 16 bands of 4 rows: pairs at 0.7 similarity become candidates 99.9% of the time
ROWS = NUM_PERM // BANDS
NEAR_DUPLICATE_SIMILARITY = 0.6
_RNG = random.Random(20240601)  # fixed: signatures must stay comparable across runs and versions
_A = np.array([_RNG.getrandbits(64) | 1 for _ in range(NUM_PERM)], dtype=np.uint64)
_B = np.array([_RNG.getrandbits(64) for _ in range(NUM_PERM)], dtype=np.uint64)


def words(text: str) -> list[str]:
    return _WORD.findall(norm(text))


def content_hash(text: str | list[str]) -> str:
    """Hash of the normalised words, so whitespace and diacritic edits do not change it."""
    ws = words(text) if isinstance(text, str) else text
    return hashlib.sha1(" ".join(ws).encode("utf-8")).hexdigest()


def minhash(text: str | list[str], size: int = 3) -> list[int]:
    """NUM_PERM 32-bit minimum hashes (multiply-shift family) of the text's word shingles."""
    ws = words(text) if isinstance(text, str) else list(text)
    if len(ws) < size:
        ws += [""] * (size - len(ws))
    shingles = np.fromiter(
        {int.from_bytes(hashlib.blake2b(" ".join(ws[i:i + size]).encode(), digest_size=8).digest())
         for i in range(len(ws) - size + 1)}, dtype=np.uint64)
    lowest = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for at in range(0, len(shingles), _CHUNK):  # NUM_PERM x chunk at a time: memory flat in the text's length
        with np.errstate(over="ignore"):
            hashed = (_A[:, None] * shingles[None, at:at + _CHUNK] + _B[:, None]) >> np.uint64(32)
        np.minimum(lowest, hashed.min(axis=1), out=lowest)
    return [int(x) for x in lowest]


_CHUNK = 16_384
def similarity(sig_a: list[int], sig_b: list[int]) -> float:
    """Estimated Jaccard similarity of the two reports' shingle sets."""
    return sum(x == y for x, y in zip(sig_a, sig_b, strict=True)) / len(sig_a)


def band_keys(sig: list[int]) -> list[str]:
    """One key per LSH band; reports sharing any key are near-duplicate candidates."""
    return [hashlib.blake2b(struct.pack(f">{ROWS}I", *sig[i * ROWS:(i + 1) * ROWS]), digest_size=8).hexdigest()
            for i in range(BANDS)]


def pack(sig: list[int]) -> bytes:
    return struct.pack(f">{len(sig)}I", *sig)


def unpack(data: bytes) -> list[int]:
    return list(struct.unpack(f">{len(data) // 4}I", data))


def fingerprint(report: Report) -> Fingerprint:
    """The identity of a report's clean text (furniture masked), for the store."""
    ws = words(report.clean)
    sig = minhash(ws)
    return Fingerprint(content_hash(ws), pack(sig), tuple(band_keys(sig)), NEAR_DUPLICATE_SIMILARITY)
