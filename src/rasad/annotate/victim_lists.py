"""Victims listed one by one under a heading that names the dead: "أسماء الشهداء: 1- NAME 2- NAME",
"ينعون إليكم استشهاد أبنائهم 1- الشهيد NAME 2- الشهيد NAME". The list is numbered; its length is
the toll of the sentence that opens it, when that sentence gives no figure of its own."""

from __future__ import annotations

import re

from rasad.annotate.casualties import Casualty
from rasad.lang.ar.words import alternation, table
from rasad.text.sentences import Sentence

_W = table("casualties.yaml")["grammar"]
_HEAD = re.compile(rf"(?<!\w)[وبلف]?(?:ال)?(?:{alternation(_W['victim_list_heads'])})(?!\w)")
_ITEM = re.compile(r"(?<!\d)(\d{1,2})\s*[-.)]\s*(?=\D)")
MIN_ITEMS = 2


def _numbers(text: str, start: int, end: int) -> list[int]:
    return [int(m.group(1)) for m in _ITEM.finditer(text, start, end)]


def _count(numbers: list[int]) -> int:
    """How many victims the numbers 1, 2, 3 ... count, read from the start of the list."""
    n = 0
    for x in numbers:
        if x != n + 1:
            break
        n = x
    return n


def victim_lists(text: str, sentences: list[Sentence], casualties: list[list[Casualty]]) -> None:
    """Add the count of each numbered victim list to the sentence heading it (in place)."""
    for i, sent in enumerate(sentences):
        head = _HEAD.search(text, sent.start, sent.end)
        if head is None or any(c.kind == "killed" and c.value for c in casualties[i]):
            continue
        numbers = _numbers(text, head.end(), sent.end)
        for nxt in sentences[i + 1:]:
            found = _numbers(text, nxt.start, nxt.end)
            if not _ITEM.match(text, nxt.start) or not found:
                break
            numbers += found
        count = _count(numbers)
        if count >= MIN_ITEMS:
            casualties[i].append(Casualty("killed", head.start(), head.end(), count, rule="victims_numbered"))
