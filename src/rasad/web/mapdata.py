"""The dashboard map's data: markers as GeoJSON features, one per event or incident, or one per grid
cell when a view holds more than the map draws one by one (clustering done by the database)."""

from __future__ import annotations

from typing import Any


def point(rec: dict[str, Any], actors: dict[str, str]) -> dict[str, Any]:
    """An event's or incident's marker: what its popup shows, and the page it links to."""
    loc = rec.get("location") or {}
    incident = "incident_id" in rec
    figures = rec.get("killed") or {} if incident else rec.get("fatalities") or {}
    killed = figures.get("best") if incident else figures.get("total")
    injured = rec.get("injured")
    props = {
        "id": rec["incident_id"] if incident else rec["event_id"],
        "href": f"/incidents/{rec['incident_id']}" if incident else f"/events/{rec['event_id']}",
        "date": rec.get("event_date"), "event_type": rec.get("event_type"), "sub_event_type": rec.get("sub_event_type"),
        "actor": actors.get(rec.get("actor1") or "", rec.get("actor1")), "killed": killed,
        "killed_range": [figures.get("min"), figures.get("max")] if incident else None,
        "injured": (injured or {}).get("best") if isinstance(injured, dict) else injured,
        "place": loc.get("name_ar") or loc.get("name") or loc.get("name_en"), "admin1": loc.get("admin1"),
        "precision": loc.get("geo_precision") or 1, "grade": rec.get("grade"),
    }
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [loc["longitude"], loc["latitude"]]},
            "properties": props}


def cell(lon: float, lat: float, count: int, killed: int) -> dict[str, Any]:
    """A grid cell's marker at the mean place of what it holds; the map zooms in on a click."""
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": {"cluster": True, "count": count, "killed": killed}}
