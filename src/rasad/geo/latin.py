"""Finding a place by a name typed in Latin letters: "Kafr Zeita", "Kafar Zita", "Kobani", "Derik".

Transliterations of one Arabic name differ mostly in vowels, doubled letters, hyphens and the article
(al-, el-, ad-...), so names are compared by a key without those, and by their consonant skeleton
("kfrzt" for all three spellings of كفرزيتا) when no key is equal; candidates are ranked by rapidfuzz's
ratio of the keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

_ARTICLE = re.compile(r"(?:(?<=\s)|^)(?:a|e)(?:l|d|r|s|sh|t|z|n)[-' ](?=\w)")
_NOT_LETTER = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLE = re.compile(r"(.)\1+")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
LEAST_RATIO = 75  # below this the closest name is not offered


def is_latin(name: str) -> bool:
    """Whether a query is written without Arabic letters."""
    return bool(name.strip()) and not _ARABIC.search(name)


def latin_key(name: str) -> str:
    """Lower case, accents and apostrophes gone, the article dropped, no spaces: "Al-Malikiyah" -> "malikiyah"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = _ARTICLE.sub("", plain.replace("`", "'").strip())
    return _NOT_LETTER.sub("", plain)


def skeleton(key: str) -> str:
    """The key's consonants, doubled letters once: "kafrzeita" -> "kfrzt"."""
    return _DOUBLE.sub(r"\1", key[:1] + _VOWELS.sub("", key[1:]))


class LatinIndex:
    """Place ids by the keys and skeletons of their Latin names."""

    def __init__(self, names: Iterable[tuple[str, int]]) -> None:
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.by_skeleton: dict[str, set[str]] = defaultdict(set)
        for name, pid in names:
            key = latin_key(name)
            if len(key) >= 2:
                self.by_key[key].add(pid)
                self.by_skeleton[skeleton(key)].add(key)

    def find(self, name: str) -> dict[int, float]:
        """Place ids for a typed name, with how close their closest Latin name is (0-100)."""
        key = latin_key(name)
        out: dict[int, float] = {}
        for k in self.by_skeleton.get(skeleton(key), ()) if key else ():
            ratio = fuzz.ratio(key, k)
            if ratio >= LEAST_RATIO:
                for pid in self.by_key[k]:
                    out[pid] = max(out.get(pid, 0.0), ratio)
        return out
