"""One flat schema for every table and map format (CSV, GeoJSON properties, Parquet): one column per
fact, figures as numbers, actor ids with their ACLED names, lists as lists, no nested objects, so
pandas, duckdb, GDAL and QGIS read the same columns whichever file they open."""

from __future__ import annotations

import json
from typing import Any

from rasad.export.acled_csv import acled_name
from rasad.profile import Profile

# (column, kind): kind is what Parquet stores (str, int, float, bool, date, list, json).
FLAT_SCHEMA: list[tuple[str, str]] = [
    ("event_id", "str"), ("article_id", "str"), ("event_date", "date"), ("year", "int"),
    ("time_precision", "int"), ("event_type", "str"), ("sub_event_type", "str"),
    ("actor1", "str"), ("actor1_name", "str"), ("assoc_actor_1", "list"),
    ("actor2", "str"), ("actor2_name", "str"), ("assoc_actor_2", "list"), ("civilian_targeting", "bool"),
    ("fatalities", "int"), ("civilians_killed", "int"), ("children_killed", "int"), ("women_killed", "int"),
    ("combatants_killed", "int"), ("injured", "int"), ("fatalities_qualifier", "str"),
    ("location", "str"), ("location_ar", "str"), ("location_en", "str"), ("pcode", "str"), ("geonames_id", "str"),
    ("admin1", "str"), ("admin2", "str"), ("admin3", "str"), ("latitude", "float"), ("longitude", "float"),
    ("geo_precision", "int"), ("location_offset", "json"),
    ("weapons", "list"), ("reported_by", "list"), ("source", "str"), ("url", "str"), ("stance", "str"),
    ("background", "bool"), ("confidence", "float"), ("status", "str"),
]
FLAT_COLUMNS = [name for name, _kind in FLAT_SCHEMA]


def flat_event(rec: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """An event record in the flat schema (every column present; None where the record has nothing)."""
    loc = rec.get("location") or {}
    fat = rec.get("fatalities") or {}
    day = rec.get("event_date") or ""
    combatants = fat.get("combatants") or {}
    return {
        "event_id": rec.get("event_id"), "article_id": rec.get("article_id"), "event_date": day or None,
        "year": int(day[:4]) if day else None, "time_precision": rec.get("time_precision"),
        "event_type": rec.get("event_type"), "sub_event_type": rec.get("sub_event_type"),
        "actor1": rec.get("actor1"), "actor1_name": acled_name(rec.get("actor1"), profile.actors, day) or None,
        "assoc_actor_1": list(rec.get("assoc_actor_1") or []),
        "actor2": rec.get("actor2"), "actor2_name": acled_name(rec.get("actor2"), profile.actors, day) or None,
        "assoc_actor_2": list(rec.get("assoc_actor_2") or []),
        "civilian_targeting": bool(rec.get("civilian_targeting")),
        "fatalities": fat.get("total"), "civilians_killed": fat.get("civilians"),
        "children_killed": fat.get("children"), "women_killed": fat.get("women"),
        "combatants_killed": sum(v for v in combatants.values() if v) if combatants else None,
        "injured": rec.get("injured"), "fatalities_qualifier": fat.get("qualifier"),
        "location": loc.get("name"), "location_ar": loc.get("name_ar"), "location_en": loc.get("name_en"),
        "pcode": loc.get("pcode"), "geonames_id": loc.get("geonames_id"),
        "admin1": loc.get("admin1"), "admin2": loc.get("admin2"), "admin3": loc.get("admin3"),
        "latitude": loc.get("latitude"), "longitude": loc.get("longitude"), "geo_precision": loc.get("geo_precision"),
        "location_offset": json.dumps(loc["offset"], ensure_ascii=False) if loc.get("offset") else None,
        "weapons": list(rec.get("weapons") or []), "reported_by": list(rec.get("reported_by") or []),
        "source": rec.get("source"), "url": rec.get("url"), "stance": rec.get("stance"),
        "background": bool(rec.get("background")), "confidence": rec.get("confidence"), "status": rec.get("status"),
    }
