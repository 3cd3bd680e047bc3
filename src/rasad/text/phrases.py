"""Find many phrases at once in a normalised text, at word boundaries, allowing Arabic proclitics.

One Aho-Corasick pass finds every phrase; a hit counts when it ends at a word boundary and what
stands between the previous boundary and its start is a proclitic (و ف ب ل ك and their pairs).
An "ال" phrase after a lam is also found with the alef elided ("للأتارب" = ل + الأتارب).
Overlapping hits keep the longest. Letters of another script glued on are no part of the word
(page chrome: "Publicعاجل").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

from rasad.lang.ar.morphology import proclitic_stacks
from rasad.text.normalise import norm

# The proclitic stacks a phrase may carry (lang/ar's clitic model; ك is left out before phrases).
PROCLITICS = frozenset({"", *proclitic_stacks()})
_AL = "ال"
_LONGEST_PREFIX = max(map(len, PROCLITICS))


@dataclass
class Hit:
    start: int  # the phrase itself, without its proclitic
    end: int
    key: str
    value: Any
    word_start: int  # where the word carrying the proclitic starts
    prefix: str


def _joins(a: str, b: str) -> bool:
    """Whether b continues the word a ends: both letters, of one script ("Publicعاجل" is two words:
    page chrome glued to the post)."""
    return a.isalpha() and b.isalpha() and (a >= "\u0600") == (b >= "\u0600")


class PhraseMatcher:
    """`hashtags`: a phrase of several words is also found with a later word tagged ("الاحتلال
    #الروسي"), as posts write them."""

    def __init__(self, entries: Iterable[tuple[str, Any]] = (), normalised: bool = False,
                 hashtags: bool = False) -> None:
        self._values: dict[str, Any] = {}
        for phrase, value in entries:
            key = phrase if normalised else " ".join(norm(phrase).split())
            if key:
                self._values.setdefault(key, value)
        self._hashtags = hashtags
        self._auto: ahocorasick.Automaton | None = None

    def __contains__(self, key: str) -> bool:
        return key in self._values

    def _surfaces(self, key: str) -> list[str]:
        if not self._hashtags or " " not in key:
            return [key]
        words = key.split(" ")
        tagged = [" ".join(words[:i]) + " #" + " ".join(words[i:]) for i in range(1, len(words))]
        return [key, *tagged, " #".join(words)]

    @property
    def automaton(self) -> ahocorasick.Automaton:
        """Every surface of every phrase, to (phrase, whether its alef is elided after a lam)."""
        if self._auto is None:
            auto = ahocorasick.Automaton()
            for key in self._values:
                for surface in self._surfaces(key):
                    auto.add_word(surface, (key, False))
            for key in self._values:
                if key.startswith(_AL) and len(key) > 4 and key[1:] not in self._values:
                    auto.add_word(key[1:], (key, True))
            auto.make_automaton()
            self._auto = auto
        return self._auto

    def __getstate__(self) -> dict:
        return {"_values": self._values, "_hashtags": self._hashtags, "_auto": None}

    def find(self, text: str, longest: bool = True) -> list[Hit]:
        """Hits in reading order; with `longest`, overlapping hits keep the longest."""
        if not self._values:
            return []
        hits = [h for end_idx, (key, elided) in self.automaton.iter(text)
                if (h := self._hit(text, end_idx, key, elided)) is not None]
        if longest:
            hits.sort(key=lambda h: (-(h.end - h.start), h.start))
            kept: list[Hit] = []
            taken = bytearray(len(text) + 1)  # 1 where a kept hit's word lies
            for h in hits:
                if taken.find(1, h.word_start, h.end) == -1:
                    kept.append(h)
                    taken[h.word_start:h.end] = b"\x01" * (h.end - h.word_start)
            hits = kept
        hits.sort(key=lambda h: h.start)
        return hits

    def _hit(self, text: str, end_idx: int, key: str, elided: bool) -> Hit | None:
        """The hit ending at end_idx if it stands at word boundaries with only a proclitic before it."""
        end = end_idx + 1
        if end < len(text) and text[end].isalpha() and _joins(text[end_idx], text[end]):
            return None
        start = end - (len(key) - 1 if elided else self._surface_len(text, end, key))
        if start > 0 and not text[start - 1].isalpha():
            ws = start  # the common case: the phrase starts a word
        else:
            ws, floor = start, max(0, start - _LONGEST_PREFIX - 2)  # a proclitic, and an elided alef's lam
            while ws > floor and _joins(text[ws - 1], text[ws]):
                ws -= 1
            if ws > 0 and _joins(text[ws - 1], text[ws]):
                return None  # inside a longer word: no proclitic is that long
        prefix = text[ws:start]
        if elided:  # the prefix must end in a lam
            if not prefix.endswith("ل") or prefix[:-1] not in PROCLITICS:
                return None
            prefix = prefix[:-1]
        elif prefix not in PROCLITICS:
            return None
        if prefix and len(key) - (2 if key.startswith(_AL) else 0) < 3:
            return None  # a proclitic on a very short phrase is more likely another word
        return Hit(start, end, key, self._values[key], ws, prefix)

    def _surface_len(self, text: str, end: int, key: str) -> int:
        """The length of the surface ending at `end`: the phrase, or a tagged form of it."""
        if not self._hashtags or text.endswith(key, 0, end):
            return len(key)
        return next(len(s) for s in self._surfaces(key) if text.endswith(s, 0, end))
