"""Linking: event records of many reports grouped into incidents.

Works on plain event records (dicts, as stored and exported) with the report facts linking needs
(`Member`). Candidates are blocked by day (within DAY_SLACK, wider for a week- or month-precise
date) and place (the same P-code and name, points closer than the looser geo precision allows, or
one village name the gazetteer put at two namesakes), then scored; a member joins the best-scoring
incident or founds a new one. Incremental: pass the incidents linked so far and only the new
members are placed. An incident's id is fixed by its founding member, so it survives growth and
relinking.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from rasad.geo.places import compact, distance_km
from rasad.link.compare import blamed, identity, span_of

DAY_SLACK = 1  # days between two tellings of one incident dated to the day
WIDE_SLACK = 7  # for a member dated to a week or a span
SAME_PLACE_KM = {1: 3.0, 2: 10.0, 3: 40.0}  # by the looser of two geo precisions
JOIN_SCORE = 0.5  # the least score at which a member joins an incident
NAMESAKE_SCORE = 0.6  # place score of one name the gazetteer put at two places (weaker than one place)


@dataclass
class Member:
    """One event record with the facts of its report that linking reads."""

    record: dict
    published: str | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None  # the report it copies, if ingest found it a near-duplicate

    @property
    def event_id(self) -> str:
        return self.record["event_id"]

    @property
    def article_id(self) -> str:
        return self.record["article_id"]


@dataclass
class Incident:
    incident_id: str
    members: list[Member] = field(default_factory=list)
    reviewed: bool = False


def incident_id(founder: Member) -> str:
    return "INC-" + hashlib.sha1(founder.event_id.encode("utf-8")).hexdigest()[:12]


def _day(record: dict) -> tuple[date, date] | None:
    return span_of(record.get("date_range"), record.get("event_date"))


def _slack(a: dict, b: dict) -> int:
    return WIDE_SLACK if _imprecise(a, b) else DAY_SLACK


GROUND = {"Battles", "Violence against civilians"}  # event types of action on the ground
GROUND_SUBS = {"Arrests"}  # sub-types of other event types that are action on the ground too


def family(record: dict) -> tuple:
    """Remote violence is one family (shelling told with an airstrike is one incident); so is
    action on the ground (one raid is told as a clash, an attack, abductions or arrests); other
    types keep their sub-type."""
    if record["event_type"] == "Explosions/Remote violence":
        return (record["event_type"],)
    if record["event_type"] in GROUND or record["sub_event_type"] in GROUND_SUBS:
        return ("ground",)
    return (record["event_type"], record["sub_event_type"])


def _place_score(a: dict | None, b: dict | None) -> float:
    """1 for one place, falling with distance to 0 at the looser precision's limit."""
    if not a or not b:
        return 0.0
    if a.get("pcode") and _place_key(a) == _place_key(b):
        return 1.0
    if _same_name(a, b) and a.get("pcode") != b.get("pcode"):
        return NAMESAKE_SCORE
    if None in (a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        return 1.0 if compact(a["name"]) == compact(b["name"]) else 0.0
    limit = SAME_PLACE_KM.get(max(a.get("geo_precision") or 1, b.get("geo_precision") or 1), 3.0)
    km = distance_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
    return max(0.0, 1.0 - km / limit) if km <= limit else 0.0


def _same_name(a: dict, b: dict) -> bool:
    """Two reports naming one place that the gazetteer resolved to two namesakes."""
    return _place_key(a)[1] == _place_key(b)[1] and max(a.get("geo_precision") or 1, b.get("geo_precision") or 1) == 1


def _day_gap(a: dict, b: dict) -> int | None:
    sa, sb = _day(a), _day(b)
    if sa is None or sb is None:
        return None
    return max(0, (sa[0] - sb[1]).days, (sb[0] - sa[1]).days)


def sides(record: dict) -> set[str]:
    """The sides a telling blames: its perpetrator and those with it, not "UNKNOWN"."""
    return blamed(record.get("actor1"), record.get("assoc_actor_1", []))


def _killed(record: dict) -> int | None:
    f = record.get("fatalities") or {}
    return f.get("civilians") if f.get("civilians") is not None else f.get("total")


def pair_score(a: dict, b: dict) -> float:
    """How well two event records tell one incident: 0 when they cannot (another family, day or
    place); else place, day, perpetrator and figures weighed together."""
    if family(a) != family(b):
        return 0.0
    gap = _day_gap(a, b)
    if gap is None or gap > _slack(a, b):
        return 0.0
    place = _place_score(a.get("location"), b.get("location"))
    if place <= 0.0:
        return 0.0
    score = 0.5 * place + (0.25 if gap == 0 else 0.1)
    sa, sb = sides(a), sides(b)
    score += 0.15 if sa & sb else (0.0 if sa and sb else 0.08)
    ka, kb = _killed(a), _killed(b)
    score += 0.1 if ka is not None and ka == kb else 0.0
    return score


def _score(incident: Incident, m: Member) -> float:
    """A member against an incident: never two strikes of one report (its events at one place, day
    and family are one strike told with two attributions), nor further in days from the incident's
    founding telling than `_founder_slack` (members chain no incident across days); else its best
    pair."""
    if any(x.article_id == m.article_id and not _one_strike(x.record, m.record) for x in incident.members):
        return 0.0
    founder = incident.members[0].record
    gap = _day_gap(founder, m.record)
    if gap is None or gap > _founder_slack(founder, m.record):
        return 0.0
    return max(pair_score(x.record, m.record) for x in incident.members)


def _founder_slack(founder: dict, m: dict) -> int:
    """Days a member may stand from the founding telling: a week for a week- or span-dated one; a
    day for a raid on the ground at the founder's very place (a night raid is told the next morning
    as "فجر اليوم" and the evening before as "الليلة"); else none."""
    if _imprecise(founder, m):
        return _slack(founder, m)
    if family(founder) == ("ground",) and _place_key(founder.get("location")) == _place_key(m.get("location")):
        return DAY_SLACK
    return 0


def _place_key(loc: dict | None) -> tuple | None:
    return identity(loc.get("pcode"), loc.get("name_ar"), loc["name"]) if loc else None


def _one_strike(a: dict, b: dict) -> bool:
    """A report's two events at one place, day and family: one strike told with two attributions (a
    place the report names beside a town, sharing the town's P-code, is that town's strike)."""
    la, lb = a.get("location") or {}, b.get("location") or {}
    return family(a) == family(b) and _day_gap(a, b) == 0 and \
        (_place_key(la) == _place_key(lb) or bool(la.get("pcode")) and la.get("pcode") == lb.get("pcode"))


def _imprecise(a: dict, b: dict) -> bool:
    """A date to the week or a span may be days off."""
    return max(a.get("time_precision") or 1, b.get("time_precision") or 1) > 1


class _Blocks:
    """Incidents by the days their members fall on and a coarse grid cell of their places, for
    candidates among the few incidents nearby in time and space."""

    CELL_DEG = 0.5  # about 50 km: wider than the loosest same-place distance

    def __init__(self) -> None:
        self.by_key: dict[tuple, dict[str, Incident]] = defaultdict(dict)

    @classmethod
    def _cell(cls, m: Member) -> tuple[int, int] | None:
        loc = m.record.get("location") or {}
        if loc.get("latitude") is None or loc.get("longitude") is None:
            return None
        return int(loc["latitude"] // cls.CELL_DEG), int(loc["longitude"] // cls.CELL_DEG)

    def add(self, incident: Incident, m: Member) -> None:
        span = _day(m.record)
        if span is None:
            return
        cell = self._cell(m)
        d = span[0]
        while d <= span[1] and (d - span[0]).days <= 31:
            self.by_key[(d, cell)][incident.incident_id] = incident
            self.by_key[(d, self._name(m))][incident.incident_id] = incident
            d += timedelta(days=1)

    @staticmethod
    def _name(m: Member) -> str:
        loc = m.record.get("location") or {}
        return identity(None, loc.get("name_ar"), loc.get("name") or "")[1]

    def near(self, m: Member) -> list[Incident]:
        span = _day(m.record)
        if span is None:
            return []
        slack = WIDE_SLACK if (m.record.get("time_precision") or 1) > 1 else DAY_SLACK
        cell = self._cell(m)
        cells = [None] if cell is None else [(cell[0] + i, cell[1] + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
        cells += [None] if cell is not None else []  # places with no point: matched by name
        cells.append(self._name(m))  # namesakes the gazetteer told apart
        out: dict[str, Incident] = {}
        d = span[0] - timedelta(days=slack)
        while d <= span[1] + timedelta(days=slack):
            for c in cells:
                out.update(self.by_key.get((d, c), {}))
            d += timedelta(days=1)
        return list(out.values())


def telling_order(m: Member) -> tuple:
    """Members in the order they were told: publication, then report, then event."""
    return (m.published or "", m.article_id, m.event_id)


def link(members: list[Member], incidents: list[Incident] | None = None) -> list[Incident]:
    """The incidents so far with the new members placed (a member already linked is left where it
    is): re-running on the same members changes nothing."""
    out = list(incidents or [])
    blocks = _Blocks()
    placed = set()
    for inc in out:
        for m in inc.members:
            blocks.add(inc, m)
            placed.add(m.event_id)
    for m in sorted(members, key=telling_order):
        if m.event_id in placed or _day(m.record) is None or not m.record.get("location"):
            continue
        best, best_score = None, JOIN_SCORE
        for inc in blocks.near(m):
            s = _score(inc, m)
            if s > best_score:
                best, best_score = inc, s
        if best is None:
            best = Incident(incident_id(m))
            out.append(best)
        best.members.append(m)
        blocks.add(best, m)
        placed.add(m.event_id)
    return out
