"""GeoJSON: one point feature per event, the flat schema as its properties."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from rasad.export.flat import flat_event
from rasad.export.registry import ExportOptions, register
from rasad.profile import Profile


def geojson_feature(rec: dict[str, Any], profile: Profile | None = None) -> dict[str, Any]:
    """A point feature whose properties are the flat schema: numbers GDAL and QGIS read as numbers."""
    props = flat_event(rec, profile or Profile.load())
    geom = None
    if props["latitude"] is not None and props["longitude"] is not None:
        geom = {"type": "Point", "coordinates": [props["longitude"], props["latitude"]]}
    return {"type": "Feature", "id": rec["event_id"], "geometry": geom, "properties": props}


@register("geojson", "geojson", "application/geo+json", "GeoJSON")
def write_geojson(records: Iterable[dict], fh: IO[str], profile: Profile,
                  options: ExportOptions | None = None) -> int:
    """A FeatureCollection written feature by feature, so an export of any size holds one in memory."""
    fh.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for rec in records:
        fh.write((",\n" if n else "\n") + json.dumps(geojson_feature(rec, profile), ensure_ascii=False))
        n += 1
    fh.write("\n]}\n")
    return n
