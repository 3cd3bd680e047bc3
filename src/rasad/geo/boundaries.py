"""Governorate and district outlines from the gazetteer's polygon files, simplified for drawing.

Simplified with shapely (Douglas-Peucker keeping topology), never by dropping vertices, so a
border keeps its shape and no outline opens a gap.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasad.extras import need
from rasad.geo.gazetteer import source_paths
from rasad.geo.loaders import admin_level, read_json

TOLERANCE = 0.002  # degrees (~200 m): finer than a district's outline shows at the zoom that shows it whole


@dataclass(frozen=True)
class Outline:
    level: int  # 1 governorate, 2 district
    pcode: str
    name_en: str
    name_ar: str
    geometry: dict  # GeoJSON (Multi)Polygon, simplified


def _simplified(geom: dict, tolerance: float) -> dict:
    shapely = need("shapely", "web", "Drawing the map's outlines")
    shape = shapely.geometry.shape(geom).simplify(tolerance, preserve_topology=True)
    return shapely.geometry.mapping(shapely.set_precision(shape, 1e-4))


def _admin_features(paths: tuple[str, ...] | None) -> Iterator[tuple[int, str, dict, dict]]:
    """(admin level, P-code, properties, geometry) of every feature of the polygon GeoJSON files among
    the gazetteer sources."""
    for f in source_paths(list(paths) if paths else None):
        if f.name.endswith(".geojson"):
            doc = read_json(Path(f))
            for feat in doc.get("features", []) if isinstance(doc, dict) else []:
                props = feat.get("properties") or {}
                pcode = str(props.get("PCODE") or "")
                yield admin_level(pcode), pcode, props, feat.get("geometry") or {}


@lru_cache(maxsize=4)
def outlines(paths: tuple[str, ...] | None = None, tolerance: float = TOLERANCE) -> tuple[Outline, ...]:
    """Admin1 and admin2 outlines from any polygon GeoJSON among the gazetteer sources."""
    out = [Outline(level, pcode, str(props.get("NAME_EN") or ""),
                   str(props.get("NAME_ARA") or props.get("NAME_AR") or ""), _simplified(geom, tolerance))
           for level, pcode, props, geom in _admin_features(paths)
           if geom.get("type") in ("Polygon", "MultiPolygon") and level in (1, 2)]
    return tuple(sorted(out, key=lambda o: o.level))  # governorates first, districts drawn over them


@lru_cache(maxsize=4)
def admin1_names(paths: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The governorates' English names (a filter's choices), without simplifying any outline."""
    return tuple(sorted({str(props["NAME_EN"]) for level, _p, props, _g in _admin_features(paths)
                         if level == 1 and props.get("NAME_EN")}))


@lru_cache(maxsize=4)
def outlines_geojson(paths: tuple[str, ...] | None = None) -> str:
    """The outlines as one GeoJSON FeatureCollection (what the dashboard's map draws under its markers)."""
    features = [{"type": "Feature", "id": o.pcode, "geometry": o.geometry,
                 "properties": {"pcode": o.pcode, "level": o.level, "name_en": o.name_en, "name_ar": o.name_ar}}
                for o in outlines(paths)]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))
