"""Plain data classes passed between pipeline stages.

Every stage takes and returns these; no stage reaches into another's internals.
Offsets (`start`, `end`) are always into the article text exactly as given.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

# ACLED's event types and sub-event types (the contract spells them exactly so).
TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}


_BLANK_RUN = re.compile(r"[^\S\n]*\n(?:[^\S\n]*\n)+")


def condense(masked: str) -> str:
    """Readable clean text: masked text with blank runs collapsed to one empty line."""
    out = _BLANK_RUN.sub("\n\n", masked)
    return "\n".join(line.strip() for line in out.strip().split("\n"))


@dataclass(frozen=True)
class Fingerprint:
    """A report's identity, computed at ingest (ingest.identity) and persisted by the store as given:
    the hash of its normalised words, its MinHash signature (packed 32-bit values), the LSH band keys
    under which near-duplicates are looked up, and the similarity from which one report is a near-
    duplicate of another."""

    content_hash: str
    signature: bytes
    bands: tuple[str, ...]
    near_threshold: float

    def similarity(self, other_signature: bytes) -> float:
        """Estimated share of word shingles this report has in common with another."""
        import numpy as np

        if not self.signature or len(self.signature) != len(other_signature):
            return 0.0
        return float(np.mean(np.frombuffer(self.signature, ">u4") == np.frombuffer(other_signature, ">u4")))


@dataclass
class Report:
    """One article as ingested: raw input, cleaned text and metadata."""

    article_id: str
    text: str  # the input with furniture masked by spaces: same length, so offsets are the input's
    title: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD
    source: str | None = None
    author: str | None = None
    origin: str | None = None  # path or URL it was read from
    raw: str | None = None  # the input as decoded, before furniture removal
    fingerprint: Fingerprint | None = None  # set at ingest, once the furniture is masked

    @property
    def clean(self) -> str:
        """The readable clean text (furniture gone, blank runs collapsed)."""
        return condense(self.text)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


NAMED_KINDS = ("unknown", "community", "camp", "neighbourhood", "landmark")  # places, not areas


@dataclass
class Location:
    name: str
    name_ar: str | None = None
    name_en: str | None = None
    pcode: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 1
    span: Span | None = None
    geonames_id: str | None = None  # the GeoNames id of the place, when that layer has it too
    kind: str = "community"  # community, neighbourhood, camp, region, admin1..3, road, unknown
    # The bare name is also a governorate's ("إدلب"): the text may mean the province. Read only
    # while extracting (a broad place folds into a precise one of its incident); never stored.
    names_area: bool = False
    # Read only while extracting: the identity (link.compare.place_key) of the place the text says
    # encloses this one ("قرية X التابعة لمدينة Y"), so a headline event at Y folds into X's.
    within: tuple | None = None
    # "30 كم جنوب شرق X": the stated distance and bearing from the named place (kept in the record)
    offset: dict[str, Any] | None = None

    @property
    def broad(self) -> bool:
        """A region or governorate, or a bare governorate's name that may mean the province; not a
        named village (or camp, or quarter) the gazetteer lacks, however roughly it could be placed."""
        return (self.geo_precision == 3 and self.kind not in NAMED_KINDS) or self.names_area

    def to_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "pcode": self.pcode,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "admin3": self.admin3,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
            "geonames_id": self.geonames_id,
            "offset": self.offset,  # null unless the text states a distance and direction, or "بين X وY"
        }


@dataclass
class Fatalities:
    total: int | None = None
    civilians: int | None = None
    children: int | None = None
    women: int | None = None
    combatants: dict[str, int] = field(default_factory=dict)
    qualifier: str | None = None  # exact, at_least, about, more_than

    def is_empty(self) -> bool:
        return self.total is None and self.civilians is None and not self.combatants


@dataclass
class Evidence:
    field: str
    start: int
    end: int
    text: str


@dataclass
class Event:
    event_id: str
    article_id: str
    event_type: str
    sub_event_type: str
    event_date: str | None = None
    date_range: list[str] | None = None
    time_precision: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    assoc_actor_2: list[str] = field(default_factory=list)
    civilian_targeting: bool = False
    location: Location | None = None
    fatalities: Fatalities = field(default_factory=Fatalities)
    injured: int | None = None
    weapons: list[str] = field(default_factory=list)
    background: bool = False
    reported_by: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    source: str | None = None
    url: str | None = None
    stance: str = "neutral"  # the report's framing, read from its vocabulary (profile's stances.yaml)

    def to_record(self) -> dict[str, Any]:
        fat = self.fatalities
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "event_date": self.event_date,
            "date_range": self.date_range,
            "time_precision": self.time_precision,
            "event_type": self.event_type,
            "sub_event_type": self.sub_event_type,
            "actor1": self.actor1,
            "actor2": self.actor2,
            "assoc_actor_1": self.assoc_actor_1,
            "assoc_actor_2": self.assoc_actor_2,
            "civilian_targeting": self.civilian_targeting,
            "location": self.location.to_record() if self.location else None,
            "fatalities": {
                "total": fat.total,
                "civilians": fat.civilians,
                "children": fat.children,
                "women": fat.women,
                "combatants": fat.combatants,
                "qualifier": fat.qualifier,
            },
            "injured": self.injured,
            "weapons": self.weapons,
            "background": self.background,
            "reported_by": self.reported_by,
            "evidence": [{"field": e.field, "start": e.start, "end": e.end, "text": e.text} for e in self.evidence],
            "confidence": round(self.confidence, 3),
            "source": self.source,
            "url": self.url,
            "stance": self.stance,
        }


@dataclass
class Aggregate:
    """A figure that is not one incident: weekly tallies, campaign totals."""

    article_id: str
    what: str
    value: int
    qualifier: str = "exact"
    actor: str | None = None
    span: Span | None = None
    reported_by: list[str] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = asdict(self.span) if self.span else None
        return d
