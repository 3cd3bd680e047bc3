"""Numbers in Arabic news text: digits (Arabic-Indic digits are folded by normalisation), number
words and their compounds ("خمسة وعشرون"), scales ("450 ألف"), vague amounts ("عشرات") kept apart
from exact figures, and the qualifier before a figure ("أكثر من", "ما لا يقل عن", "نحو")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasad.text.lexicon import numbers

_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")  # "و7" is و then 7


@dataclass
class Quantity:
    start: int  # offsets in the normalised text
    end: int
    value: int | None  # the figure; for a vague amount a conventional lower bound
    qualifier: str = "exact"  # exact, at_least, about, more_than
    vague: bool = False


@lru_cache(maxsize=1)
def _qualifiers() -> list[tuple[str, str]]:
    return sorted(numbers()["qualifiers"].items(), key=lambda kv: -len(kv[0]))


@lru_cache(maxsize=1)
def _word_table() -> dict[str, tuple[int, str]]:
    """Every number word, and every one with a leading و, to (value, section)."""
    n = numbers()
    table: dict[str, tuple[int, str]] = {}
    for section in ("hundreds", "tens", "units"):  # the first section listing a word wins, as read
        for w, v in n[section].items():
            table["و" + w] = (v, section)
    for section in ("hundreds", "tens", "units"):
        for w, v in n[section].items():
            table[w] = (v, section)
    return table


def _word_value(word: str) -> tuple[int, str] | None:
    """(value, section) of one number word, a leading و allowed."""
    return _word_table().get(word)


def _qualifier_before(text: str, pos: int) -> str:
    before = text[max(0, pos - 20):pos].rstrip()
    for phrase, q in _qualifiers():
        if before.endswith(phrase) and (len(before) == len(phrase) or not before[-len(phrase) - 1].isalpha()):
            return q
    return "exact"


def quantities(text: str) -> list[Quantity]:
    """Every quantity in a normalised text, in reading order (fresh objects: callers shift them)."""
    return [Quantity(q.start, q.end, q.value, q.qualifier, q.vague) for q in _quantities(text)]


@lru_cache(maxsize=512)
def _quantities(text: str) -> tuple[Quantity, ...]:
    return tuple(_scan(text)) if _may_count(text) else ()


@lru_cache(maxsize=1)
def _counting() -> re.Pattern[str]:
    """A digit, or a number word standing as a whole token: where any quantity must start."""
    n = numbers()
    words = sorted({*n["units"], *n["tens"], *n["hundreds"], *n["vague"]}, key=len, reverse=True)
    return re.compile(r"\d|(?<![^\W\d_])و?(?:" + "|".join(map(re.escape, words)) + r")(?![^\W\d_])")


def _may_count(text: str) -> bool:
    """Most sentences hold no number at all: one regex search says so before the token scan."""
    return _counting().search(text) is not None


MAX_DIGITS = 12  # a longer run of digits is an id or a phone number, never a count


def _digits_value(digits: str) -> int | None:
    """The value of "1200" or "3.5" (decimals dropped); None for what cannot be a count."""
    whole = digits.split(".")[0]
    if not whole or len(whole) > MAX_DIGITS or not whole.isdigit():
        return None
    return int(whole)


def _scan(text: str) -> list[Quantity]:
    n = numbers()
    toks = list(_TOKEN.finditer(text))
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        tok = toks[i].group()
        start = toks[i].start()
        value: int | None = None
        j = i + 1
        digits = tok[2:] if tok.startswith("ال") and tok[2:].isdigit() else tok
        if digits.replace(",", "").replace(".", "").isdigit():
            value = _digits_value(digits.replace(",", ""))
        elif _word_value(tok):
            # a number word after "و" that no number before it continues starts a new quantity:
            # "قتيل وثلاثة جرحى" (a continued one, "خمسة وعشرون", is read in the loop below)
            start += tok.startswith("و") and tok not in n["units"] and tok not in n["tens"] \
                and tok not in n["hundreds"]
            value, section = _word_value(tok)
            # "ثلاثة عشر", "خمسة وعشرون", "مئة وخمسون"
            while j < len(toks):
                nxt = toks[j].group()
                if section == "units" and nxt in ("عشر", "عشره") and value < 10:
                    value += 10
                    section = "teens"
                    j += 1
                    continue
                wv = _word_value(nxt) if nxt.startswith("و") else None
                if wv and ((section == "units" and wv[1] == "tens")
                           or (section == "hundreds" and wv[1] in ("units", "tens"))):
                    value += wv[0]
                    section = wv[1]
                    j += 1
                    continue
                break
        elif tok in n["vague"]:
            out.append(Quantity(start, toks[i].end(), n["vague"][tok], "at_least", vague=True))
            i += 1
            continue
        if value is None:
            i += 1
            continue
        if j < len(toks) and toks[j].group() in n["scales"]:
            value *= n["scales"][toks[j].group()]
            j += 1
        end = toks[j - 1].end()
        out.append(Quantity(start, end, value, _qualifier_before(text, start)))
        i = j
    return out
