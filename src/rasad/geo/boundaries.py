"""Governorate and district outlines from the gazetteer's polygon files, simplified for drawing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rasad.geo.gazetteer import source_paths
from rasad.geo.loaders import admin_level, read_json


@dataclass(frozen=True)
class Outline:
    level: int  # 1 governorate, 2 district
    pcode: str
    name_en: str
    name_ar: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings


def _rings(geom: dict, step: int) -> list[tuple[tuple[float, float], ...]]:
    polys = geom["coordinates"] if geom.get("type") == "MultiPolygon" else [geom.get("coordinates") or []]
    out = []
    for poly in polys:
        if poly and len(poly[0]) >= 4:
            ring = poly[0][::step] + [poly[0][0]]
            out.append(tuple((round(x, 4), round(y, 4)) for x, y in ring))
    return out


@lru_cache(maxsize=4)
def outlines(paths: tuple[str, ...] | None = None, step: int = 4) -> tuple[Outline, ...]:
    """Admin1 and admin2 outlines from any polygon GeoJSON among the gazetteer sources."""
    out: list[Outline] = []
    for f in source_paths(list(paths) if paths else None):
        if not f.name.endswith(".geojson"):
            continue
        doc = read_json(Path(f))
        for feat in doc.get("features", []) if isinstance(doc, dict) else []:
            geom = feat.get("geometry") or {}
            if geom.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            props = feat.get("properties") or {}
            pcode = str(props.get("PCODE") or "")
            level = admin_level(pcode)
            if level in (1, 2):
                out.append(Outline(level, pcode, str(props.get("NAME_EN") or ""),
                                   str(props.get("NAME_ARA") or props.get("NAME_AR") or ""),
                                   tuple(_rings(geom, step))))
    return tuple(sorted(out, key=lambda o: o.level))  # governorates filled first, districts drawn over them
