"""Readers for the gazetteer formats users have: OCHA P-coded points (GeoJSON, CSV, XLSX), admin
boundaries (GeoJSON, TopoJSON), admin alias lists, neighbourhood location lists, GeoNames dumps
and a simple user CSV. Each returns plain `Place`s; faults in real files (truncated UTF-8, duplicate
names, blank coordinates) are tolerated, never fatal."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from rasad.extras import need
from rasad.geo.places import Place

# OCHA column names, old GeoJSON style and the newer HDX table style.
_OCHA_COLS = {
    "name_en": ("NAME_EN", "admin4Name_en", "ADM4_EN", "Name_EN"),
    "name_ar": ("NAME_ARA", "NAME_AR", "admin4Name_ar", "ADM4_AR", "Name_AR"),
    "pcode": ("PCODE", "admin4Pcode", "ADM4_PCODE", "Pcode"),
    "admin1": ("ADMIN1_EN", "admin1Name_en", "ADM1_EN"),
    "admin1_ar": ("ADMIN1_ARA", "admin1Name_ar", "ADM1_AR"),
    "admin2": ("ADMIN2_EN", "admin2Name_en", "ADM2_EN"),
    "admin2_ar": ("ADMIN2_ARA", "admin2Name_ar", "ADM2_AR"),
    "admin3": ("ADMIN3_EN", "admin3Name_en", "ADM3_EN"),
    "admin3_ar": ("ADMIN3_ARA", "admin3Name_ar", "ADM3_AR"),
    "lat": ("LATITUDE", "latitude", "Latitude", "lat", "y"),
    "lon": ("LONGITUDE", "longitude", "Longitude", "lon", "x"),
    "capital": ("CAPIT_LVL", "capital", "admin_lvl_capital"),
}


def read_json(path: Path) -> object:
    # errors='replace' tolerates the truncated UTF-8 in some OCHA names.
    return json.loads(path.read_bytes().decode("utf-8-sig", errors="replace"))


def _get(row: dict, key: str) -> object:
    for col in _OCHA_COLS[key]:
        if row.get(col) not in (None, ""):
            return row[col]
    return None


def _float(v: object) -> float | None:
    try:
        f = float(str(v).strip())
    except (TypeError, ValueError):
        return None
    return f if f == f else None


def _clean(v: object) -> str:
    return str(v or "").replace("\ufffd", "").strip()


def ocha_rows(rows: Iterator[dict], source: str) -> Iterator[Place]:
    for row in rows:
        name_ar = _clean(_get(row, "name_ar"))
        name_en = _clean(_get(row, "name_en"))
        if not (name_ar or name_en):
            continue
        cap = _float(_get(row, "capital"))
        yield Place(
            pid=-1, name_ar=name_ar, name_en=name_en, kind="community", pcode=_clean(_get(row, "pcode")) or None,
            admin1=_clean(_get(row, "admin1")) or None, admin1_ar=_clean(_get(row, "admin1_ar")) or None,
            admin2=_clean(_get(row, "admin2")) or None, admin2_ar=_clean(_get(row, "admin2_ar")) or None,
            admin3=_clean(_get(row, "admin3")) or None, admin3_ar=_clean(_get(row, "admin3_ar")) or None,
            latitude=_float(_get(row, "lat")), longitude=_float(_get(row, "lon")),
            prior=(4 - cap) if cap else 0.0, source=source,
        )


def _geom_point(geom: dict | None) -> tuple[float | None, float | None]:
    if not geom:
        return None, None
    coords = geom.get("coordinates")
    if geom.get("type") == "Point" and coords:
        return coords[1], coords[0]
    if geom.get("type") == "MultiPoint" and coords:
        return coords[0][1], coords[0][0]
    return None, None


def load_geojson(path: Path) -> list[Place]:
    """OCHA community points, or admin polygons (recognised by their properties)."""
    doc = read_json(path)
    feats = doc.get("features", []) if isinstance(doc, dict) else []
    if not feats:
        return []
    props0 = feats[0].get("properties") or {}
    if "ADMIN3_EN" in props0 or "admin4Pcode" in props0 or "LATITUDE" in props0:
        rows = []
        for f in feats:
            p = dict(f.get("properties") or {})
            if p.get("LATITUDE") in (None, ""):
                p["LATITUDE"], p["LONGITUDE"] = _geom_point(f.get("geometry"))
            rows.append(p)
        return list(ocha_rows(iter(rows), path.name))
    return [admin_place(f.get("properties") or {}, f.get("geometry"), path.name) for f in feats]


def admin_level(pcode: str) -> int:
    """The admin level an OCHA P-code encodes: a country prefix of letters, then two digits a level
    ("XY07" -> 1, "XY0705" -> 2, "XY070500" -> 3); 0 for anything else."""
    digits = len(pcode) - len(pcode.rstrip("0123456789"))
    prefix = pcode[:len(pcode) - digits]
    if not prefix.isalpha() or digits % 2 or not 2 <= digits <= 6:
        return 0
    return digits // 2


def admin_place(props: dict, geom: dict | None, source: str) -> Place:
    pcode = _clean(props.get("PCODE") or props.get("ADM3_PCODE") or props.get("ADM2_PCODE")
                   or props.get("ADM1_PCODE"))
    level = admin_level(pcode) or 1
    lat, lon = polygon_centroid(geom)
    return Place(
        pid=-1, name_ar=_clean(props.get("NAME_ARA") or props.get("NAME_AR")),
        name_en=_clean(props.get("NAME_EN")), kind=f"admin{level}", pcode=pcode or None,
        admin1=_clean(props.get("ADMIN1_EN") or props.get("ADM1_EN")) or (
            _clean(props.get("NAME_EN")) if level == 1 else None),
        admin2=_clean(props.get("ADMIN2_EN") or props.get("ADM2_EN")) or (
            _clean(props.get("NAME_EN")) if level == 2 else None),
        admin3=_clean(props.get("NAME_EN")) if level == 3 else None,
        latitude=lat, longitude=lon, prior=3 - level + 1, source=source,
    )


def polygon_centroid(geom: dict | None) -> tuple[float | None, float | None]:
    """Mean of the outer ring's vertices: good enough for a region's representative point."""
    if not geom:
        return None, None
    coords = geom.get("coordinates") or []
    ring: list = []
    if geom.get("type") == "Polygon" and coords:
        ring = coords[0]
    elif geom.get("type") == "MultiPolygon" and coords:
        ring = max((poly[0] for poly in coords), key=len)
    if not ring:
        return _geom_point(geom)
    return sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring)


def load_topojson(path: Path) -> list[Place]:
    doc = read_json(path)
    out = []
    for obj in (doc.get("objects") or {}).values():
        for g in obj.get("geometries", []):
            props = g.get("properties") or {}
            p = admin_place(props, None, path.name)
            p.admin1 = _clean(props.get("ADM1_EN")) or p.admin1
            p.admin2 = _clean(props.get("ADM2_EN")) or p.admin2
            out.append(p)
    return out


def load_alias_json(path: Path) -> list[Place]:
    """Governorates, districts or sub-districts with Arabic/English aliases and centroids."""
    out = []
    for rec in read_json(path) or []:
        pcode = (rec.get("externalIds") or {}).get("ochaPcode")
        level = admin_level(pcode) if pcode else 0
        if not level:
            level = 3 if rec.get("districtId") else 2 if rec.get("governorateId") else 1
        c = rec.get("centroid") or {}
        aliases = [a["value"] for a in rec.get("aliases", []) if a.get("language") == "ar" and a.get("value")]
        out.append(Place(
            pid=-1, name_ar=(rec.get("name") or {}).get("ar", ""), name_en=(rec.get("name") or {}).get("en", ""),
            kind=f"admin{level}", pcode=pcode, latitude=_float(c.get("latitude")),
            longitude=_float(c.get("longitude")), prior=3 - level + 1, aliases=aliases, source=path.name,
            parent=rec.get("districtId") or rec.get("governorateId"),
        ))
    return out


def load_location_json(path: Path) -> list[Place]:
    """Neighbourhoods and landmarks with an Arabic name and coordinates (records with arabic_name)."""
    out = []
    for rec in read_json(path) or []:
        name_ar = _clean(rec.get("arabic_name"))
        if not name_ar:
            continue
        out.append(Place(
            pid=-1, name_ar=name_ar, name_en=_clean(rec.get("name")), kind="neighbourhood",
            latitude=_float(rec.get("latitude")), longitude=_float(rec.get("longitude")),
            prior=-1.0, source=path.name, parent=_clean(rec.get("region")).title() or None,
        ))
    return out


def load_geonames(path: Path) -> list[Place]:
    """GeoNames dump (SY.txt): populated places, landmarks and areas with their Arabic alternate names."""
    out = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 15 or cols[6] not in ("P", "L", "S", "T", "A"):
                continue
            alts = [a for a in cols[3].split(",") if any("\u0600" <= ch <= "\u06ff" for ch in a)]
            if not alts:
                continue
            pop = int(cols[14] or 0) if cols[14].isdigit() else 0
            out.append(Place(
                pid=-1, name_ar=alts[0], name_en=cols[1], kind="populated" if cols[6] == "P" else "landmark",
                latitude=_float(cols[4]), longitude=_float(cols[5]), aliases=alts[1:],
                prior=-1.0 + min(1.0, pop / 1e6), source=path.name, layer=1, geonames_id=cols[0] or None,
                # admin columns may hold P-codes ("SY07"): the gazetteer names them when it merges
                admin1=cols[10] or None, admin2=cols[11] or None,
            ))
    return out


def load_user_csv(text: str, source: str) -> list[Place]:
    """Columns name_ar, name_en, latitude, longitude, kind, parent (aliases optional, '|'-separated)."""
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        if not (row.get("name_ar") or "").strip():
            continue
        out.append(Place(
            pid=-1, name_ar=row["name_ar"].strip(), name_en=(row.get("name_en") or "").strip(),
            kind=(row.get("kind") or "landmark").strip(), latitude=_float(row.get("latitude")),
            longitude=_float(row.get("longitude")), parent=(row.get("parent") or "").strip() or None,
            aliases=[a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()],
            admin1=(row.get("admin1") or "").strip() or None, source=source,
        ))
    return out


def load_xlsx(path: Path) -> list[Place]:
    openpyxl = need("openpyxl", "xlsx", f"reading the spreadsheet {path.name}")
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out: list[Place] = []
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            continue
        names = [str(h or "") for h in header]
        dicts = (dict(zip(names, r, strict=False)) for r in rows)
        out.extend(ocha_rows(dicts, path.name))
    return out


def load_path(path: Path) -> list[Place]:
    """Any supported gazetteer file, by name and content; unknown files give no places."""
    name = path.name.lower()
    if name.endswith((".geojson",)):
        return load_geojson(path)
    if name.endswith(".xlsx"):
        return load_xlsx(path)
    if name.endswith(".txt") and not name.startswith("readme"):
        return load_geonames(path)
    if name.endswith(".csv"):
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        header = text.split("\n", 1)[0]
        if "name_ar" in header:
            return load_user_csv(text, path.name)
        return list(ocha_rows(csv.DictReader(io.StringIO(text)), path.name))
    if name.endswith(".json"):
        doc = read_json(path)
        if isinstance(doc, dict) and doc.get("type") == "Topology":
            return load_topojson(path)
        if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
            return load_geojson(path)
        if isinstance(doc, list) and doc and isinstance(doc[0], dict):
            if "arabic_name" in doc[0]:
                return load_location_json(path)
            if "aliases" in doc[0] and "name" in doc[0]:
                return load_alias_json(path)
    return []
