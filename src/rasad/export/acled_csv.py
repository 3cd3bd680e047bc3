"""ACLED's CSV: ACLED's columns in ACLED's order, actor names from the profile's catalogue."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import IO, Any

from rasad.export.registry import register, write_csv
from rasad.profile import Profile

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
_DISORDER = {"Protests": "Demonstrations", "Riots": "Demonstrations",
             "Strategic developments": "Strategic developments"}


def _acled_name(actor_id: str | None, catalogue: dict[str, dict]) -> str:
    if not actor_id:
        return ""
    return catalogue.get(actor_id, {}).get("acled", actor_id)


def _inter(actor_id: str | None, catalogue: dict[str, dict]) -> int | str:
    return catalogue.get(actor_id, {}).get("inter", "") if actor_id else 0


def _notes(rec: dict[str, Any], loc: dict[str, Any], fat: dict[str, Any]) -> str:
    notes = f"{rec.get('sub_event_type', '')} in {loc.get('name_en') or loc.get('name') or 'unknown place'}"
    if fat.get("total"):
        notes += f"; {fat['total']} killed"
    if rec.get("injured"):
        notes += f"; {rec['injured']} injured"
    return notes


def _actors(rec: dict[str, Any], catalogue: dict[str, dict]) -> dict[str, Any]:
    i1, i2 = _inter(rec.get("actor1"), catalogue), _inter(rec.get("actor2"), catalogue)
    return {
        "actor1": _acled_name(rec.get("actor1"), catalogue),
        "assoc_actor_1": "; ".join(_acled_name(a, catalogue) for a in rec.get("assoc_actor_1") or []),
        "inter1": i1,
        "actor2": _acled_name(rec.get("actor2"), catalogue),
        "assoc_actor_2": "; ".join(_acled_name(a, catalogue) for a in rec.get("assoc_actor_2") or []),
        "inter2": i2,
        "interaction": int(f"{min(i1, i2)}{max(i1, i2)}") if i1 and i2 else (i1 * 10 if i1 else ""),
    }


def _place(loc: dict[str, Any]) -> dict[str, Any]:
    return {
        "admin1": loc.get("admin1") or "",
        "admin2": loc.get("admin2") or "",
        "admin3": loc.get("admin3") or "",
        "location": loc.get("name_en") or loc.get("name") or "",
        "latitude": loc.get("latitude") if loc.get("latitude") is not None else "",
        "longitude": loc.get("longitude") if loc.get("longitude") is not None else "",
        "geo_precision": loc.get("geo_precision") or "",
    }


def acled_row(rec: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """One event record as an ACLED row (ACLED's column names and order)."""
    loc = rec.get("location") or {}
    fat = rec.get("fatalities") or {}
    country = profile.country
    day = rec.get("event_date") or ""
    return {
        "event_id_cnty": f"{country.id_prefix}{rec['event_id'][:10].upper()}",
        "event_date": day,
        "year": day[:4] if day else "",
        "time_precision": rec.get("time_precision") or "",
        "disorder_type": _DISORDER.get(rec.get("event_type", ""), "Political violence"),
        "event_type": rec.get("event_type", ""),
        "sub_event_type": rec.get("sub_event_type", ""),
        **_actors(rec, profile.actors),
        "civilian_targeting": "Civilian targeting" if rec.get("civilian_targeting") else "",
        "iso": country.iso, "region": country.region, "country": country.name,
        **_place(loc),
        "source": "; ".join(x for x in [rec.get("source") or "", *(rec.get("reported_by") or [])] if x),
        "source_scale": "",
        "notes": _notes(rec, loc, fat),
        "fatalities": fat.get("total") or 0,
        "tags": "background" if rec.get("background") else "",
        "timestamp": int(time.time()),
    }


@register("acled-csv", "csv", "text/csv", "ACLED CSV")
def write_acled_csv(records: Iterable[dict], fh: IO[str], profile: Profile) -> int:
    return write_csv(records, fh, ACLED_COLUMNS, lambda rec: acled_row(rec, profile))
