"""Sentence and paragraph segmentation for Arabic news text."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? ؟ or a line break; a full stop between digits is a decimal point, one
# inside a web address ("الاخبار.نت", "site.com") ends nothing, nor does one after a lone letter
# ("م.د", "ق. س"): an abbreviation. "؛" is a pause inside the sentence.
_BOUNDARY = re.compile(r"(?<!\d)(?<!\b\w)[.!?؟](?!\d|(?:نت|كوم|com|net|org|info|tv)\b)|\n+")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Line-based paragraphs as (start, end) offsets, blank lines dropped."""
    out = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        if line.strip():
            out.append((s, e))
        pos = e + 1
    return out


def sentences(text: str) -> list[Sentence]:
    """Sentences with offsets into `text`; whitespace trimmed, empty ones dropped."""
    out: list[Sentence] = []
    for p_index, (ps, pe) in enumerate(paragraphs(text)):
        start = ps
        for m in _BOUNDARY.finditer(text, ps, pe):
            _add(out, text, start, m.end(), p_index)
            start = m.end()
        _add(out, text, start, pe, p_index)
    return out


def _add(out: list[Sentence], text: str, s: int, e: int, para: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s and any(c.isalnum() for c in text[s:e]):
        out.append(Sentence(s, e, text[s:e], para))
