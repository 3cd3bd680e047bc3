"""Per-sentence frames: which trigger governs which places, who acted on whom, and when.

A sentence is cut into trigger segments (from one trigger to the next). Places and actors in a
segment belong to its trigger; a place or actor before the first trigger belongs to it too.
Actors after a target marker ("على", "ضد", "مواقع", "لسيطرة") are targets, the others perpetrators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rasad.annotate.lexicons import TriggerInfo
from rasad.annotate.mentions import ActorMention, TriggerMention
from rasad.lang.ar.morphology import strip_known
from rasad.lang.ar.words import alternation, normed, table
from rasad.model import Location
from rasad.text.dates import DateMention

_WORD = re.compile(r"\w+")
_ROLES = table("roles.yaml")
TARGET_MARKERS = frozenset(normed(_ROLES["target_markers"]))
# "الإعلام التابع لـX", "وسائل إعلام X": an actor named as a source, not a side.
SOURCE_MARKERS = frozenset(normed(_ROLES["source_markers"]))
_SUPPORT = frozenset(normed(_ROLES["support_markers"]))
_MARKERS = TARGET_MARKERS | SOURCE_MARKERS | _SUPPORT
REMOTE = ("air", "shelling", "chemical", "suicide", "explosive", "grenade")
# ACLED's hierarchy when remote tactics co-occur: the higher sub-event type names the event.
SUB_RANK = {"Chemical weapon": 6, "Air/drone strike": 5, "Suicide bomb": 4, "Remote explosive/landmine/IED": 3,
            "Shelling/artillery/missile attack": 2, "Grenade": 1}


@dataclass
class Frame:
    """One trigger's share of a sentence."""

    triggers: list[TriggerMention]
    places: list[Location] = field(default_factory=list)
    perpetrators: list[ActorMention] = field(default_factory=list)
    targets: list[ActorMention] = field(default_factory=list)
    supporters: list[ActorMention] = field(default_factory=list)  # who backs the perpetrator
    date: DateMention | None = None
    start: int = 0
    end: int = 0
    told_actor: str | None = None  # naming no actor: who did what the report told just before

    @property
    def kinds(self) -> set[str]:
        return {t.info.kind for t in self.triggers}

    def main(self) -> TriggerInfo:
        """The governing trigger under ACLED's hierarchy (airstrike over shelling, ...)."""
        remote = [t for t in self.triggers if t.info.kind in REMOTE]
        if remote:
            return max(remote, key=lambda t: SUB_RANK[t.info.sub_event_type]).info
        killing = [t for t in self.triggers if t.info.kind == "assassination"]
        return (killing or self.triggers)[0].info  # a raid that kills is an attack


def _words_before(text: str, pos: int, n: int = 2) -> list[str]:
    words = _WORD.findall(text[max(0, pos - 40):pos])
    return [strip_known(w, _MARKERS, "وبلف") if len(w) > 3 else w for w in words[-n:]]


_LINKS = frozenset(normed(_ROLES["links"]))
_ROLE_ADJECTIVES = frozenset(normed(_ROLES["role_adjectives"]))


_AGENT_VERBS = frozenset(normed(_ROLES["agent_verbs"]))
_AGENT_NOUNS = frozenset(normed(_ROLES["agent_nouns"]))
_PASSIVE = frozenset(normed(_ROLES["passive_markers"]))
_OBJECT_AFTER = re.compile(r"\s+(?:ل|على\s|علي\s|ضد\s)")
_HIT_NOUNS = frozenset(normed(_ROLES["hit_nouns"] + _ROLES["civilian_objects"]))
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


def _object_after(text: str, end: int) -> bool:
    """What was hit follows the actor: with ل, على or ضد, or a bare noun of a hit place or thing."""
    if _OBJECT_AFTER.match(text, end):
        return True
    nxt = _NEXT_WORD.match(text, end)
    word = nxt.group(1) if nxt else ""
    return word in _HIT_NOUNS or word.startswith("ال") and word[2:] in _HIT_NOUNS


def role(text: str, actor: ActorMention, subject_before: bool = False) -> str:
    """perpetrator, target, supporter or source, from the words right before the actor's name ("مواقع قسد",
    "قياديا في داعش": the word before a linking preposition counts too; "استهدفت فصائل المعارضة"
    names the subject unless `subject_before`, a side named before the verb)."""
    before = _words_before(text, actor.word_start, 3)
    if any(w in SOURCE_MARKERS for w in before[-2:]):
        return "source"
    if actor.actor != "CIV" and (before[-1:] and before[-1] in _SUPPORT
                                 or before[-2:-1] and before[-2] in _SUPPORT and before[-1] in ("من", "ب")):
        return "supporter"
    if actor.actor != "CIV" and before and before[-1] in _AGENT_VERBS | _AGENT_NOUNS:
        return _after_targeting(text, actor, before, subject_before)
    last = before[-1:]
    if before and before[-1] in _LINKS:  # "قياديا في داعش", "قياديا سابقا في المعارضة"
        last = before[-3:] if len(before) > 2 and before[-2] in _ROLE_ADJECTIVES else before[-2:]
    if actor.actor == "CIV" or any(w in TARGET_MARKERS for w in last):
        return "target"
    return "perpetrator"


def _after_targeting(text: str, actor: ActorMention, before: list[str], subject_before: bool) -> str:
    if len(before) > 1 and before[-2] in _PASSIVE:
        return "target"  # "تم استهداف رتل": passive, the actor was hit
    if before[-1] in _AGENT_VERBS:
        return "target" if subject_before else "perpetrator"
    return "perpetrator" if _object_after(text, actor.end) else "target"


_CLAUSE_BREAK = re.compile(rf"[,;:]\s*|(?<=\s)-+\s*|\s-+(?=\s)|\s(?=(?:{alternation(_ROLES['clause_openers'])})\s)")


@lru_cache(maxsize=256)  # keys hold a report's text: a few reports' worth, never a batch's
def clauses(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Clause spans of the sentence text[start:end]: cut at commas, at a dash standing apart ("قرب X
    -المستهدف"; "أرض-أرض" is one word) and at بينما/فيما/كما/ثم. (Asked of one sentence by several
    readers, so kept.)"""
    out, pos = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return tuple(out)


_INSTRUMENT = re.compile(r"ب(?:ال)?$")


def _instrument(text: str, cs: int, in_clause: list[TriggerMention]) -> bool:
    """A clause opening with "بـ" and a weapon ("، بقذائف المدفعية والصواريخ") names what the clause
    before struck with; it is no attack of its own."""
    first = in_clause[0]
    return all(t.info.weapon for t in in_clause) and bool(_INSTRUMENT.match(text[cs:first.start].strip()))


def segment(text: str, start: int, end: int, triggers: list[TriggerMention], places: list[tuple[int, Location]],
            actors: list[ActorMention]) -> list[Frame]:
    """Frames for the sentence text[start:end] (normalised offsets): one per clause that holds a
    trigger; a clause without one ("، اليوم الأحد،", "، وأخرى في ريف المدينة الكبرى") belongs to the frame before
    it, or to the first frame when it opens the sentence."""
    if not triggers:
        return []
    frames: list[Frame] = []
    for cs, ce in clauses(text, start, end):
        in_clause = [t for t in triggers if cs <= t.start < ce]
        if in_clause and frames and _instrument(text, cs, in_clause):
            frames[-1].triggers += in_clause  # "استهدفت X، بقذائف المدفعية": the weapon of the clause before
            frames[-1].end = ce
        elif in_clause:
            frames.append(Frame(in_clause, start=cs, end=ce))
        elif frames:
            frames[-1].end = ce
    if not frames:
        return []
    frames[0].start = start
    frames[-1].end = end
    for a, b in zip(frames, frames[1:], strict=False):
        a.end = b.start
    for pos, loc in places:
        frame = next((f for f in frames if f.start <= pos < f.end), frames[-1])
        frame.places.append(loc)
    for actor in actors:
        r = role(text, actor, _side_before(actor, actors, frames))
        if r == "source":
            continue
        frame = next((f for f in frames if f.start <= actor.start < f.end), frames[-1])
        {"target": frame.targets, "supporter": frame.supporters}.get(r, frame.perpetrators).append(actor)
    return frames


def _side_before(actor: ActorMention, actors: list[ActorMention], frames: list[Frame]) -> bool:
    """Whether a side is named before `actor` in its frame ("قوات النظام استهدفت الفصائل")."""
    frame = next((f for f in frames if f.start <= actor.start < f.end), None)
    return frame is not None and any(frame.start <= a.start < actor.start and a.actor not in ("CIV", "UNKNOWN")
                                     for a in actors)


_CIVILIAN_OBJECT = re.compile(rf"(?<!\w)[وبلف]?(?:ال)?(?:{alternation(_ROLES['civilian_objects'])})(?!\w)")


def civilian_target(text: str, start: int, end: int) -> bool:
    """Whether the sentence names a civilian object or civilians: a camp, homes, a market, ..."""
    return bool(_CIVILIAN_OBJECT.search(text, start, end))
