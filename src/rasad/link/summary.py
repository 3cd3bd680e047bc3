"""An incident's record (spec: incident-record.md): what its members agree on, its figures as a range
with a best value, its independent origins, Airwars' grade with its reason, and where sources
disagree."""

from __future__ import annotations

from collections import Counter

from rasad.extract.frames import SUB_RANK
from rasad.link.incidents import Incident, Member, sides
from rasad.profile import Profile

FIGURES = ("civilians_killed", "killed", "injured", "children_killed", "women_killed")
FIGURES_RULE = ("best is the figure stated by the most independent origins, the latest of those told "
                "equally often (a rising toll replaces an earlier one, it is never added); min and max span "
                "every stated figure")


def figure(record: dict, key: str) -> int | None:
    """One member's stated figure."""
    f = record.get("fatalities") or {}
    if key == "injured":
        return record.get("injured")
    if key == "killed":
        return f.get("total")
    if key == "civilians_killed":
        if f.get("civilians") is not None:
            return f["civilians"]
        return f.get("total") if f.get("total") is not None and not f.get("combatants") else None
    return f.get("children" if key == "children_killed" else "women")


def _range(members: list[Member], key: str, generic: frozenset[str] = frozenset()) -> dict:
    """min, best and max of one figure (spec: the latest figure from the most independent origins)."""
    by_value: dict[int, list[Member]] = {}
    for m in members:
        v = figure(m.record, key)
        if v is not None:
            by_value.setdefault(v, []).append(m)
    if not by_value:
        return {"min": None, "best": None, "max": None}
    best = max(by_value, key=lambda v: (origin_count(by_value[v], generic),
                                        max(m.published or "" for m in by_value[v]), v))
    return {"min": min(by_value), "best": best, "max": max(by_value)}


def _own_origins(m: Member, generic: frozenset[str]) -> set[str]:
    """Who a telling rests on: each named organisation it cites, and the report itself when it
    cites its own kinds of witness (each kind apart: medical sources and residents are two) or none."""
    cited = m.record.get("reported_by") or []
    named = {f"cites:{s}" for s in cited if s not in generic}
    kinds = {f"report:{m.article_id}:{s}" for s in cited if s in generic}
    return named | kinds or {f"report:{m.article_id}"}


def origin_count(members: list[Member], generic: frozenset[str] = frozenset()) -> int:
    """Independent origins: reports that cite the same original (a named organisation, not
    "ناشطون") count once, one report citing two organisations counts both, and a copy of a report
    counts as the report it copies."""
    own: dict[str, set[str]] = {}
    for m in members:
        own.setdefault(m.article_id, set()).update(_own_origins(m, generic))
    out: set[str] = set()
    for m in members:
        out |= own.get(m.origin, {f"report:{m.origin}"}) if m.origin else own[m.article_id]
    return len(out)


def generic_sources(profile: Profile) -> frozenset[str]:
    """The profile's source kinds that are no one organisation (sources.yaml `generic`)."""
    return frozenset(profile.data("sources.yaml").get("generic", []))


def speakers(profile: Profile) -> dict[str, str]:
    """The profile's sources that speak for a belligerent (sources.yaml `speaks_for`)."""
    return dict(profile.data("sources.yaml").get("speaks_for", {}))


def shared_skies(profile: Profile) -> list[dict]:
    """The profile's groups of belligerents that strike the same ground from afar, each with the
    days it held (sources.yaml `shared_skies`)."""
    return list(profile.data("sources.yaml").get("shared_skies", []))


def _mode(values: list) -> object:
    values = [v for v in values if v is not None]
    return Counter(values).most_common(1)[0][0] if values else None


def _type(members: list[Member]) -> tuple[str, str]:
    types = [(m.record["event_type"], m.record["sub_event_type"]) for m in members]
    if all(t[0] == "Explosions/Remote violence" for t in types):
        return max(types, key=lambda t: SUB_RANK.get(t[1], 0))
    return _mode(types)  # type: ignore[return-value]


def _attributions(members: list[Member]) -> list[dict]:
    by: dict[str, list[str]] = {}
    for m in members:
        a = m.record.get("actor1")
        if a and a != "UNKNOWN":
            by.setdefault(a, []).append(m.article_id)
    return [{"actor1": a, "sources": s} for a, s in sorted(by.items(), key=lambda kv: -len(kv[1]))]


def _contradictions(members: list[Member]) -> list[dict]:
    fields = {
        "actor1": lambda r: r.get("actor1") if r.get("actor1") != "UNKNOWN" else None,
        "location": lambda r: (r.get("location") or {}).get("pcode") or (r.get("location") or {}).get("name"),
        "event_date": lambda r: r.get("event_date"),
        "civilians_killed": lambda r: figure(r, "civilians_killed"),
        "killed": lambda r: figure(r, "killed"),
    }
    out = []
    for name, get in fields.items():
        values: dict = {}
        for m in members:
            v = get(m.record)
            if v is not None:
                values.setdefault(v, []).append(m.article_id)
        if len(values) > 1:
            out.append({"field": name, "values": [{"value": v, "sources": s} for v, s in values.items()]})
    return out


def claims(members: list[Member]) -> set[str]:
    """The perpetrators sources put forward against each other: every actor named, when two
    reports name no actor in common; else none. One report naming two sides (a joint or a confused
    telling) makes no competing claim."""
    per: dict[str, set[str]] = {}
    for m in members:
        per.setdefault(m.article_id, set()).update(sides(m.record) - {"CIV"})
    told = [s for s in per.values() if s]
    return set().union(*told) if any(not (x & y) for x in told for y in told) else set()


def _shares_skies(members: list[Member], named: set[str], shared: list[dict]) -> set[str] | None:
    """The group of belligerents that struck the same ground from afar on the incident's day, if
    every actor named for this remote strike is one of them (then no report can tell whose it was)."""
    if not named or any(m.record.get("event_type") != "Explosions/Remote violence" for m in members):
        return None
    day = str(members[0].record.get("event_date") or "")
    for g in shared:
        if named <= set(g["actors"]) and str(g.get("from", "")) <= day <= str(g.get("until", "9999")):
            return set(g["actors"])
    return None


def grade(members: list[Member], origins: int, speaks_for: dict[str, str] | None = None,
          actor1: str | None = None, shared: list[dict] | None = None) -> tuple[str, str]:
    """Airwars' grade and its reason: Confirmed when the perpetrator's (`actor1`) own statement is
    cited for it (`speaks_for`: source id -> belligerent) and no report blames another; Contested
    when reports name different perpetrators, or when the one named shares the skies with another
    belligerent (`shared`: groups the profile lists); else Weak for one origin, Fair for two or
    more. Discounted is a reviewer's."""
    named = claims(members)
    own = sorted({s for m in members for s in m.record.get("reported_by") or []
                  if (speaks_for or {}).get(s) == actor1 == m.record.get("actor1")})
    if own and not named:
        return "Confirmed", f"the perpetrator's own statement is cited: {', '.join(own)}"
    if named:
        return "Contested", f"sources name different perpetrators: {', '.join(sorted(named))}"
    blamed = {m.record.get("actor1") for m in members} - {None, "UNKNOWN", "CIV"}
    group = _shares_skies(members, blamed, shared or [])
    if group:
        return "Contested", f"{', '.join(sorted(group))} strike the same ground; no report can tell whose it was"
    if origins <= 1:
        return "Weak", "one origin tells it"
    told_by = {m.record.get("stance") for m in members} - {None, "neutral"}
    across = f", told from {len(told_by)} sides ({', '.join(sorted(told_by))})" if len(told_by) > 1 else ""
    return "Fair", f"{origins} independent origins agree on what happened{across}"


def summarise(incident: Incident, profile: Profile | None = None) -> dict:
    """The incident record, read with the profile's sources (which make no origin of their own,
    which speak for a belligerent)."""
    generic, speaks_for = (generic_sources(profile), speakers(profile)) if profile else (frozenset(), {})
    shared = shared_skies(profile) if profile else []
    members = sorted(incident.members, key=lambda m: (m.published or "", m.article_id))
    records = [m.record for m in members]
    located = [r["location"] for r in records if r.get("location")]
    event_type, sub = _type(members)
    origins = origin_count(members, generic)
    actor1 = _mode([r.get("actor1") for r in records if r.get("actor1") != "UNKNOWN"]) or \
        _mode([r.get("actor1") for r in records])
    g, reason = grade(members, origins, speaks_for, actor1, shared)
    out = {
        "incident_id": incident.incident_id,
        "members": [{"event_id": m.event_id, "article_id": m.article_id, "source": m.source,
                     "published": m.published, "url": m.url} for m in members],
        "event_type": event_type, "sub_event_type": sub,
        "event_date": _mode([r.get("event_date") for r in records]),
        "date_range": next((r["date_range"] for r in records if r.get("date_range")), None),
        "time_precision": min((r.get("time_precision") or 1 for r in records), default=None),
        "location": min(located, key=lambda loc: (loc.get("geo_precision") or 9)) if located else None,
        "actor1": actor1,
        "assoc_actor_1": sorted({a for r in records for a in r.get("assoc_actor_1", [])} - {actor1}),
        "actor2": _mode([r.get("actor2") for r in records]),
        "assoc_actor_2": sorted({a for r in records for a in r.get("assoc_actor_2", [])}),
        "attributions": _attributions(members),
        **{key: _range(members, key, generic) for key in FIGURES},
        "figures_rule": FIGURES_RULE,
        "toll_timeline": [{"published": m.published, "article_id": m.article_id, "source": m.source,
                           "killed": figure(m.record, "killed"),
                           "civilians_killed": figure(m.record, "civilians_killed"),
                           "injured": figure(m.record, "injured")}
                          for m in members if any(figure(m.record, k) is not None for k in FIGURES)],
        "origins": origins, "grade": g, "grade_reason": reason,
        "stances": {m.article_id: m.record.get("stance", "neutral") for m in members},
        "contradictions": _contradictions(members),
        "reviewed": incident.reviewed,
    }
    return out
