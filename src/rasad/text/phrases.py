"""Find many phrases at once in a normalised text, at word boundaries, allowing Arabic proclitics.

One Aho-Corasick pass finds every phrase; a hit counts when it ends at a word boundary and what
stands between the previous boundary and its start is a proclitic (و ف ب ل ك and their pairs).
An "ال" phrase after a lam is also found with the alef elided ("للأتارب" = ل + الأتارب).
Overlapping hits keep the longest.
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


class PhraseMatcher:
    def __init__(self, entries: Iterable[tuple[str, Any]] = (), normalised: bool = False) -> None:
        self._values: dict[str, Any] = {}
        for phrase, value in entries:
            key = phrase if normalised else " ".join(norm(phrase).split())
            if key:
                self._values.setdefault(key, value)
        self._auto: ahocorasick.Automaton | None = None

    def __contains__(self, key: str) -> bool:
        return key in self._values

    @property
    def automaton(self) -> ahocorasick.Automaton:
        if self._auto is None:
            auto = ahocorasick.Automaton()
            for key in self._values:
                auto.add_word(key, key)
            for key in self._values:
                if key.startswith(_AL) and len(key) > 4 and key[1:] not in self._values:
                    auto.add_word(key[1:], key)
            auto.make_automaton()
            self._auto = auto
        return self._auto

    def __getstate__(self) -> dict:
        return {"_values": self._values, "_auto": None}

    def find(self, text: str, longest: bool = True) -> list[Hit]:
        """Hits in reading order; with `longest`, overlapping hits keep the longest."""
        if not self._values:
            return []
        hits: list[Hit] = []
        for end_idx, key in self.automaton.iter(text):
            surface_len = len(key) if text.endswith(key, 0, end_idx + 1) else len(key) - 1
            start, end = end_idx + 1 - surface_len, end_idx + 1
            if end < len(text) and text[end].isalpha():
                continue
            ws, floor = start, max(0, start - _LONGEST_PREFIX - 2)  # a proclitic, and an elided alef's lam
            while ws > floor and text[ws - 1].isalpha():
                ws -= 1
            if ws > 0 and text[ws - 1].isalpha():
                continue  # inside a longer word: no proclitic is that long
            prefix = text[ws:start]
            if surface_len != len(key):  # elided alef: the prefix must end in a lam
                if not prefix.endswith("ل") or prefix[:-1] not in PROCLITICS:
                    continue
                prefix = prefix[:-1]
            elif prefix not in PROCLITICS:
                continue
            if prefix and len(key) - (2 if key.startswith(_AL) else 0) < 3:
                continue  # a proclitic on a very short phrase is more likely another word
            hits.append(Hit(start, end, key, self._values[key], ws, prefix))
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
