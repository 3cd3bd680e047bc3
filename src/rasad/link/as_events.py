"""Incident records in the shape of event records, so every export format writes incidents too:
ACLED's convention of the lowest figure in `fatalities`, every outlet in `source`."""

from __future__ import annotations


def as_event_record(inc: dict) -> dict:
    """The incident with the event record's fields filled from it (its own fields kept)."""
    low = {k: (inc.get(k) or {}).get("min") for k in ("killed", "civilians_killed", "children_killed",
                                                       "women_killed", "injured")}
    members = inc.get("members") or []
    return {
        **inc,
        "event_id": inc["incident_id"],
        "article_id": "; ".join(m["article_id"] for m in members),
        "fatalities": {"total": low["killed"], "civilians": low["civilians_killed"], "children": low["children_killed"],
                       "women": low["women_killed"], "combatants": {}, "qualifier": "exact"},
        "injured": low["injured"],
        "injured_range": inc.get("injured"),
        "civilian_targeting": inc.get("actor2") == "CIV",
        "background": False,
        "source": "; ".join(dict.fromkeys(m.get("source") or "" for m in members if m.get("source"))),
        "url": members[0].get("url") if members else None,
        "reported_by": [],
    }
