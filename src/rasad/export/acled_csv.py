"""ACLED's CSV: ACLED's columns in ACLED's order, actor names from the profile's catalogue."""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, Any

from rasad.export.registry import ExportOptions, register, write_csv
from rasad.link.summary import generic_sources
from rasad.profile import Profile

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
_DISORDER = {"Protests": "Demonstrations", "Riots": "Demonstrations",
             "Strategic developments": "Strategic developments"}


# ACLED's inter codes and the labels its exports now carry.
INTER_LABELS = {1: "State forces", 2: "Rebel groups", 3: "Political militias", 4: "Identity militias",
                5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces"}


def acled_name(actor_id: str | None, catalogue: dict[str, dict], day: str = "") -> str:
    """The actor's ACLED name on the event's day: a catalogue entry may name periods
    ([{until: YYYY-MM-DD, name}, {name}]), as ACLED renames a state's forces when its government changes."""
    if not actor_id:
        return ""
    names = catalogue.get(actor_id, {}).get("acled", actor_id)
    if isinstance(names, str):
        return names
    for period in names:
        if not period.get("until") or (day and day <= str(period["until"])):
            return str(period["name"])
    return str(names[-1]["name"])


def acled_names(spec: dict[str, Any]) -> list[str]:
    """Every ACLED name a catalogue entry gives its actor, over all its periods."""
    names = spec.get("acled") or []
    return [names] if isinstance(names, str) else [str(p["name"]) for p in names]


def _inter(actor_id: str | None, catalogue: dict[str, dict]) -> int | str:
    return catalogue.get(actor_id, {}).get("inter", "") if actor_id else 0


def _labelled(i1: int | str, i2: int | str, interaction: int | str) -> tuple[str, str, str]:
    """inter1, inter2 and interaction as ACLED's text labels ("State forces-Civilians")."""
    l1, l2 = INTER_LABELS.get(i1, ""), INTER_LABELS.get(i2, "")  # type: ignore[arg-type]
    if l1 and l2:
        both = sorted([(i1, l1), (i2, l2)])
        return l1, l2, f"{both[0][1]}-{both[1][1]}"
    return l1, l2, f"{l1} only" if l1 else ""


@dataclass(frozen=True)
class Outlet:
    name: str
    scale: str


@lru_cache(maxsize=8)
def outlets(profile: Profile) -> dict[str, Outlet]:
    """The profile's outlet catalogue (outlets.csv): every name, alias and source code, casefolded,
    to the outlet's ACLED-style name and source scale."""
    path = profile.path("outlets.csv")
    out: dict[str, Outlet] = {}
    if not path.is_file():
        return out
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            outlet = Outlet(row["name"].strip(), (row.get("scale") or "").strip())
            keys = [row["name"], row.get("code") or "", *(row.get("aliases") or "").split("|")]
            out.update({k.strip().casefold(): outlet for k in keys if k.strip()})
    return out


def _sources(rec: dict[str, Any], profile: Profile) -> tuple[str, str]:
    """`source`: the outlet and the organisations it cites, by name, each once (kinds of witness such as
    "activists" are no outlet); `source_scale`: their scales as ACLED joins them ("Subnational-National")."""
    catalogue = outlets(profile)
    generic = generic_sources(profile)
    names: dict[str, str] = {}
    for given in [rec.get("source") or "", *(rec.get("reported_by") or [])]:
        if not given or given in generic:
            continue
        known = catalogue.get(given.strip().casefold())
        if known is None and given.isupper():
            continue  # a source code the catalogue does not name
        names.setdefault(known.name if known else given.strip(), known.scale if known else "")
    scales = list(dict.fromkeys(sc for sc in names.values() if sc))
    return "; ".join(names), "-".join(scales)


_DONE = {"Air/drone strike": "carried out an air/drone strike on", "Shelling/artillery/missile attack": "shelled",
         "Armed clash": "clashed with {actor2} in", "Attack": "attacked {actor2} in",
         "Remote explosive/landmine/IED": "an explosive device went off in"}


def _notes(rec: dict[str, Any], loc: dict[str, Any], fat: dict[str, Any], actor1: str, actor2: str) -> str:
    """A sentence as ACLED writes its notes, from the record's fields; a reviewer's note after it."""
    day = rec.get("event_date") or ""
    when = f"On {int(day[8:10])} {_MONTHS[int(day[5:7]) - 1]} {day[:4]}, " if len(day) == 10 else ""
    where = _location_en(loc) or "an unknown place"
    if loc.get("admin1") and loc["admin1"] != where:
        where += f" ({loc['admin1']})"
    who = actor1 or "unidentified forces"
    verb = _DONE.get(rec.get("sub_event_type", ""))
    if verb is None:  # "Government regains territory", "Arrests" ...: the type, after who did it
        notes = f"{when}{who}: {rec.get('sub_event_type', 'event').lower()} in {where}."
    elif verb.startswith("an "):
        notes = f"{when}{verb} {where}."
    else:
        notes = f"{when}{who} {verb.format(actor2=actor2 or 'unidentified forces')} {where}."
    if rec.get("weapons"):
        notes += f" Weapons: {', '.join(w.replace('_', ' ') for w in rec['weapons'])}."
    told = [_killed(fat), f"{rec['injured']} injured" if rec.get("injured") else ""]
    if any(told):
        notes += " " + ", ".join(t for t in told if t) + "."
    if rec.get("notes"):
        notes += f" Reviewer: {rec['notes']}"
    return notes


def _killed(fat: dict[str, Any]) -> str:
    total, civilians = fat.get("total"), fat.get("civilians")
    if not total:
        return ""
    if civilians == total:
        return f"{total} civilian{'s' if total > 1 else ''} killed"
    return f"{total} killed, {civilians} of them civilians" if civilians else f"{total} killed"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _actors(rec: dict[str, Any], catalogue: dict[str, dict], inter: str) -> dict[str, Any]:
    day = rec.get("event_date") or ""
    i1, i2 = _inter(rec.get("actor1"), catalogue), _inter(rec.get("actor2"), catalogue)
    both: int | str = int(f"{min(i1, i2)}{max(i1, i2)}") if i1 and i2 else (i1 * 10 if i1 else "")  # type: ignore
    codes: tuple[Any, Any, Any] = (i1, i2, both) if inter == "numeric" else _labelled(i1, i2, both)
    return {
        "actor1": acled_name(rec.get("actor1"), catalogue, day),
        "assoc_actor_1": "; ".join(acled_name(a, catalogue, day) for a in rec.get("assoc_actor_1") or []),
        "inter1": codes[0],
        "actor2": acled_name(rec.get("actor2"), catalogue, day),
        "assoc_actor_2": "; ".join(acled_name(a, catalogue, day) for a in rec.get("assoc_actor_2") or []),
        "inter2": codes[1],
        "interaction": codes[2],
    }


_RELATIVE = re.compile(r"^(?:near |between |[\d.]+ km [NSEW]{1,2} of )(.+?)(?: and .+)?$")


def _location_en(loc: dict[str, Any]) -> str:
    """ACLED's location: the named place in English ("near Binnish", "5 km W of Binnish" -> "Binnish",
    at geo_precision 2), else the smallest admin unit's English name, Arabic only when nothing else is known."""
    name = loc.get("name_en") or ""
    found = _RELATIVE.match(name)
    if found:
        return found.group(1)
    return name or loc.get("admin3") or loc.get("admin2") or loc.get("admin1") or loc.get("name") or ""


def _place(loc: dict[str, Any]) -> dict[str, Any]:
    return {
        "admin1": loc.get("admin1") or "",
        "admin2": loc.get("admin2") or "",
        "admin3": loc.get("admin3") or "",
        "location": _location_en(loc),
        "latitude": loc.get("latitude") if loc.get("latitude") is not None else "",
        "longitude": loc.get("longitude") if loc.get("longitude") is not None else "",
        "geo_precision": loc.get("geo_precision") or "",
    }


def acled_row(rec: dict[str, Any], profile: Profile, options: ExportOptions | None = None) -> dict[str, Any]:
    """One event record as an ACLED row (ACLED's column names and order)."""
    options = options or ExportOptions()
    loc = rec.get("location") or {}
    fat = rec.get("fatalities") or {}
    country = profile.country
    day = rec.get("event_date") or ""
    actors = _actors(rec, profile.actors, options.inter)
    source, scale = _sources(rec, profile)
    return {
        "event_id_cnty": f"{country.id_prefix}{rec['event_id'][:10].upper()}",
        "event_date": day,
        "year": day[:4] if day else "",
        "time_precision": rec.get("time_precision") or "",
        "disorder_type": _DISORDER.get(rec.get("event_type", ""), "Political violence"),
        "event_type": rec.get("event_type", ""),
        "sub_event_type": rec.get("sub_event_type", ""),
        **actors,
        "civilian_targeting": "Civilian targeting" if rec.get("civilian_targeting") else "",
        "iso": country.iso, "region": country.region, "country": country.name,
        **_place(loc),
        "source": source,
        "source_scale": scale,
        "notes": _notes(rec, loc, fat, actors["actor1"], actors["actor2"]),
        "fatalities": fat.get("total") or 0,
        "tags": "background" if rec.get("background") else "",
        "timestamp": rec.get("updated_at") or int(time.time()),  # last modified, when stored
    }


def acled_records(records: Iterable[dict], options: ExportOptions) -> Iterator[dict]:
    """The records that are ACLED rows: background (historical) events only when asked, as ACLED users
    count every row."""
    return (r for r in records if options.include_background or not r.get("background"))


@register("acled-csv", "csv", "text/csv", "ACLED CSV")
def write_acled_csv(records: Iterable[dict], fh: IO[str], profile: Profile,
                    options: ExportOptions | None = None) -> int:
    options = options or ExportOptions()
    return write_csv(acled_records(records, options), fh, ACLED_COLUMNS, lambda rec: acled_row(rec, profile, options))
