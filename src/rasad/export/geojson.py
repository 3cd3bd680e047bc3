"""GeoJSON: one point feature per event, the record's fields as properties."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from rasad.export.registry import ExportOptions, register
from rasad.profile import Profile


def geojson_feature(rec: dict[str, Any]) -> dict[str, Any]:
    loc = rec.get("location") or {}
    geom = None
    if loc.get("latitude") is not None and loc.get("longitude") is not None:
        geom = {"type": "Point", "coordinates": [loc["longitude"], loc["latitude"]]}
    props = {k: v for k, v in rec.items() if k not in ("location", "evidence")}
    props.update({f"location_{k}": v for k, v in loc.items()})
    return {"type": "Feature", "id": rec["event_id"], "geometry": geom, "properties": props}


@register("geojson", "geojson", "application/geo+json", "GeoJSON")
def write_geojson(records: Iterable[dict], fh: IO[str], profile: Profile,
    options: ExportOptions | None = None) -> int:
    feats = [geojson_feature(r) for r in records]
    json.dump({"type": "FeatureCollection", "features": feats}, fh, ensure_ascii=False)
    return len(feats)
