"""Per-sentence frames: which trigger governs which places, who acted on whom, and when.

A sentence is cut into trigger segments (from one trigger to the next). Places and actors in a
segment belong to its trigger; a place or actor before the first trigger belongs to it too.
Actors after a target marker ("على", "ضد", "مواقع", "لسيطرة") are targets, the others perpetrators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
_MARKERS = TARGET_MARKERS | SOURCE_MARKERS
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
        return self.triggers[0].info


def _words_before(text: str, pos: int, n: int = 2) -> list[str]:
    words = _WORD.findall(text[max(0, pos - 40):pos])
    return [strip_known(w, _MARKERS, "وبلف") if len(w) > 3 else w for w in words[-n:]]


_LINKS = frozenset(normed(_ROLES["links"]))


def role(text: str, actor: ActorMention) -> str:
    """perpetrator, target or source, from the words right before the actor's name ("مواقع قسد",
    "قياديا في داعش": the word before a linking preposition counts too)."""
    before = _words_before(text, actor.word_start, 3)
    if any(w in SOURCE_MARKERS for w in before[-2:]):
        return "source"
    last = before[-2:] if before and before[-1] in _LINKS else before[-1:]
    if actor.actor == "CIV" or any(w in TARGET_MARKERS for w in last):
        return "target"
    return "perpetrator"


_CLAUSE_BREAK = re.compile(rf"[,;:]\s*|\s(?=(?:{alternation(_ROLES['clause_openers'])})\s)")


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of the sentence text[start:end]: cut at commas and at بينما/فيما/كما/ثم."""
    out, pos = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


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
        if in_clause:
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
        r = role(text, actor)
        if r == "source":
            continue
        frame = next((f for f in frames if f.start <= actor.start < f.end), frames[-1])
        (frame.targets if r == "target" else frame.perpetrators).append(actor)
    return frames


_CIVILIAN_OBJECT = re.compile(rf"(?<!\w)[وبلف]?(?:ال)?(?:{alternation(_ROLES['civilian_objects'])})(?!\w)")


def civilian_target(text: str, start: int, end: int) -> bool:
    """Whether the sentence names a civilian object or civilians: a camp, homes, a market, ..."""
    return bool(_CIVILIAN_OBJECT.search(text, start, end))
