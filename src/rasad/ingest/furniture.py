"""Remove page furniture (comment threads, share widgets, most-read lists) from report text.

Removal masks characters with spaces instead of deleting them, so the cleaned text keeps
the length of the input and every offset found in it is an offset into the input as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from rasad.profile import Profile
from rasad.text.normalise import norm


@dataclass(frozen=True)
class FurnitureRules:
    cut_from: tuple[re.Pattern[str], ...]
    drop_line: tuple[re.Pattern[str], ...]
    cut_from_anywhere: tuple[re.Pattern[str], ...] = ()
    mask_anywhere: tuple[re.Pattern[str], ...] = ()  # chrome glued inside a line ("Shared with Publicاستشهد")


@lru_cache(maxsize=8)
def load_rules(profile: Profile | str | Path | None = None) -> FurnitureRules:
    """A profile's furniture rules (furniture.yaml), or those of a rules file at a path."""
    if isinstance(profile, Profile | None):
        data = (profile or Profile.load()).data("furniture.yaml")
    else:
        data = yaml.safe_load(Path(profile).read_text(encoding="utf-8")) or {}
    return FurnitureRules(
        tuple(re.compile(p) for p in data.get("cut_from", [])),
        tuple(re.compile(p) for p in data.get("drop_line", [])),
        tuple(re.compile(p) for p in data.get("cut_from_anywhere", [])),
        tuple(re.compile(p) for p in data.get("mask_anywhere", [])),
    )


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def mask(text: str, title: str | None = None, rules: FurnitureRules | None = None) -> str:
    """Text of the same length with furniture replaced by spaces (line breaks kept). Works on spans,
    never a list of characters, so its memory stays a few times the text's."""
    rules = rules or load_rules()
    lines = _lines(text)
    blanks: list[tuple[int, int]] = []
    content_len = max(1, len(text.strip()))
    first_content = True
    for s, e in lines:
        line = text[s:e].strip()
        if not line:
            continue
        if (any(p.search(line) for p in rules.cut_from) and s > 0.4 * content_len
                or any(p.search(line) for p in rules.cut_from_anywhere)):
            blanks.append((s, len(text)))
            break
        drop = any(p.search(line) for p in rules.drop_line)
        if first_content and title and s > 0 and norm(line) == norm(title.strip()):
            drop = True  # headline repeated as the first paragraph
        if drop:
            blanks.append((s, e))
        elif s > 0 or not title:
            first_content = False
    masked = _blanked(text, blanks)
    glued = sorted({m.span() for p in rules.mask_anywhere for m in p.finditer(masked)})
    if glued:
        masked = _blanked(masked, _disjoint(glued))
    tail = _headline_tail(lines, masked)
    return masked if tail is None else _blanked(masked, [(tail, len(text))])


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlaps merged."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


_NOT_BREAK = re.compile(r"[^\n]")


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with every character but line breaks inside the spans (in order) made a space."""
    parts, pos = [], 0
    for s, e in spans:
        parts += [text[pos:s], _NOT_BREAK.sub(" ", text[s:e])]
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


_SENTENCE_END = re.compile(r"[.!?؟\"”»)]\s*$")


def _headline_tail(lines: list[tuple[int, int]], text: str) -> int | None:
    """Where a closing run of other articles' headlines starts ("اقرأ أيضاً" lists without their
    title): two or more short lines with no full stop after the last full sentence of the report."""
    body_end = None
    for s, e in lines:
        line = text[s:e].strip()
        if len(line.split()) >= 12 and _SENTENCE_END.search(line):
            body_end = e
    if body_end is None:
        return None
    after = [(s, e) for s, e in lines if s > body_end and text[s:e].strip()]
    short = all(len(text[s:e].split()) <= 14 and not _SENTENCE_END.search(text[s:e].strip()) for s, e in after)
    return after[0][0] if len(after) >= 2 and short else None


