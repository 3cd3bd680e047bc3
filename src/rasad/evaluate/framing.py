"""Framing never changes the reading: swap one side's words for an actor with another side's
(the profile's `evaluation.yaml: framing`) and count the events whose type, place, figures,
perpetrator or news/history standing change."""

from __future__ import annotations

from dataclasses import dataclass, field

from rasad.evaluate.common import Extractor, pct
from rasad.model import Event
from rasad.profile import Profile


def reading(ev: Event) -> tuple:
    """What a swap of words must leave as it is."""
    loc = ev.location
    return (ev.event_type, ev.sub_event_type, (loc.pcode, loc.name_ar) if loc else None, ev.fatalities.total,
            ev.fatalities.civilians, ev.injured, ev.actor1, ev.background)


@dataclass
class FramingScore:
    swaps: int = 0  # report readings compared
    events: int = 0
    flipped: int = 0
    examples: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"swapped_readings": self.swaps, "events": self.events, "flipped_events": self.flipped,
                "flip_pct": pct(self.flipped, self.events)}


def evaluate_framing(rows: list[dict], extractor: Extractor, profile: Profile) -> FramingScore:
    score = FramingScore()
    groups = profile.data("evaluation.yaml").get("framing") or []
    for row in rows:
        for group in groups:
            for word in (w for w in group if w in row["text"]):
                base = sorted(map(reading, extractor(row["text"], row.get("published"), row["id"])), key=str)
                for other in (w for w in group if w != word):
                    swapped = row["text"].replace(word, other)
                    got = sorted(map(reading, extractor(swapped, row.get("published"), row["id"])), key=str)
                    _compare(score, row["id"], word, other, base, got)
    return score


def _compare(score: FramingScore, rid: str, word: str, other: str, base: list, got: list) -> None:
    score.swaps += 1
    score.events += len(base)
    changed = len(set(base) ^ set(got))
    if changed:
        score.flipped += max(1, changed // 2)
        score.examples.append({"id": rid, "swap": f"{word} -> {other}", "changed": changed})
