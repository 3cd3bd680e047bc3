"""Mentions found in the normalised text: actors, triggers, weapons and cited sources."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rasad.annotate.lexicons import Lexicons, TriggerInfo
from rasad.lang.ar.morphology import strip_known, strip_one
from rasad.lang.ar.words import normed, table
from rasad.text.numbers import quantities

_WORD = re.compile(r"\w+")


@dataclass
class ActorMention:
    start: int
    end: int
    actor: str
    word_start: int = -1  # where the word carrying a proclitic starts ("وجبهة النصرة")

    def __post_init__(self) -> None:
        if self.word_start < 0:
            self.word_start = self.start


@dataclass
class TriggerMention:
    start: int
    end: int
    info: TriggerInfo


@dataclass
class TagMention:
    """A weapon or a cited source."""

    start: int
    end: int
    tag: str


def _prev_word(text: str, pos: int) -> str:
    words = _WORD.findall(text[max(0, pos - 30):pos])
    return words[-1] if words else ""


def find_actors(text: str, lex: Lexicons) -> list[ActorMention]:
    """Actors named outright, generic names resolved by context ("التنظيم" is ISIS in a report about
    ISIS), and nationality adjectives after military nouns ("غارات روسية")."""
    named = [ActorMention(h.start, h.end, h.value, h.word_start) for h in lex.actors.find(text)]
    present = {m.actor for m in named}
    out = list(named)
    taken = [(m.start, m.end) for m in named]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for h in lex.actor_context.find(text):
        prefer, default = h.value
        choice = next((a for a in prefer if a in present), default)
        if choice and free(h.start, h.end):
            out.append(ActorMention(h.start, h.end, choice, h.word_start))
            taken.append((h.start, h.end))
    for h in lex.nationality.find(text):
        prev = _prev_word(text, h.word_start)
        bare = strip_known(prev, lex.military_nouns, "وبل")
        if bare in lex.military_nouns and free(h.start, h.end):
            out.append(ActorMention(h.start, h.end, h.value, h.word_start))
    out.sort(key=lambda m: m.start)
    return out


def find_triggers(text: str, lex: Lexicons) -> list[TriggerMention]:
    """Trigger words, less those inside a phrase that tells no event ("وقف إطلاق النار") and those
    that mean something else before a toll ("سقوط 3 قتلى")."""
    neutral = [(h.start, h.end) for h in lex.not_triggers.find(text)]
    return [TriggerMention(h.start, h.end, h.value) for h in lex.triggers.find(text)
            if not any(s <= h.start < e for s, e in neutral)
            and not (h.key in lex.not_before_toll and _toll_or_munitions(text, h.end, lex))]


_QUALIFIERS = frozenset(normed(table("casualties.yaml")["grammar"]["qualifier_words"]))


def _toll_or_munitions(text: str, pos: int, lex: Lexicons) -> bool:
    """"سقوط 3 قتلى", "سقوط شهيد", "سقوط قذائف": a figure, a victim or a munition comes next
    (after any "ما لا يقل عن", "أكثر من")."""
    m = _WORD.search(text, pos, pos + 40)
    for _ in range(5):
        if m is None or m.group() not in _QUALIFIERS:
            break
        m = _WORD.search(text, m.end(), m.end() + 40)
    if m is None:
        return False
    word = m.group()
    bare = strip_one(word, "وب")
    figure = quantities(text[m.start():m.start() + 25])
    return (bool(figure and figure[0].start == 0) or bare == "عدد" or bare in lex.persons
            or bool(lex.casualty_words.find(bare)) or bool(lex.weapon_words.find(bare))
            or bool(lex.triggers.find(bare)))


def find_weapons(text: str, lex: Lexicons) -> list[TagMention]:
    return [TagMention(h.start, h.end, h.value) for h in lex.weapon_words.find(text)]


def find_sources(text: str, lex: Lexicons) -> list[TagMention]:
    return [TagMention(h.start, h.end, h.value) for h in lex.sources.find(text)]
