"""Bounded windows over a long report, so its cost is what its parts cost.

Reading a report weighs every place against every other it names (the resolver) and looks back
over the report for the incident a sentence continues: worth it for an article, quadratic for a
1 MB dump of a channel's posts. A report longer than one window is read as groups of whole
paragraphs of at most `size` characters (a paragraph longer than that is cut at a sentence end,
then at a space), each window on its own, and the events of all of them merged as one report's.
"""

from __future__ import annotations

import os
import re

WINDOW_CHARS = int(os.environ.get("RASAD_WINDOW_CHARS", 16_000))  # over twice the longest news article seen

_PARAGRAPH_END = re.compile(r"\n")
_SENTENCE_END = re.compile(r"[.!?؟]\s+|\n")


def windows(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets covering `text` in order, each at most `size` characters (`WINDOW_CHARS`),
    cut at the last paragraph break that fits, else the last sentence end, else the last space."""
    size = max(size or WINDOW_CHARS, 200)
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > size:
        end = _cut(text, start, start + size)
        out.append((start, end))
        start = end
    out.append((start, n))
    return out


def _cut(text: str, start: int, limit: int) -> int:
    """The end of a window opened at `start` that may reach `limit` (exclusive)."""
    floor = start + (limit - start) // 4  # a window is never cut to less than a quarter of its size
    for pattern in (_PARAGRAPH_END, _SENTENCE_END):
        last = None
        for m in pattern.finditer(text, floor, limit):
            last = m
        if last is not None:
            return last.end()
    space = text.rfind(" ", floor, limit)
    return space + 1 if space > 0 else limit
