"""Event records out: JSON Lines (the contract), ACLED's CSV columns, GeoJSON points, Parquet."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import yaml

from rasad.profiles import profile_dir

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
_DISORDER = {"Protests": "Demonstrations", "Riots": "Demonstrations",
             "Strategic developments": "Strategic developments"}
_COUNTRY = {"iso": 760, "region": "Middle East", "country": "Syria"}


@lru_cache(maxsize=4)
def _catalogue() -> dict[str, dict]:
    return yaml.safe_load((profile_dir() / "actors.yaml").read_text(encoding="utf-8"))["actors"]


def _acled_name(actor_id: str | None) -> str:
    if not actor_id:
        return ""
    return _catalogue().get(actor_id, {}).get("acled", actor_id)


def _inter(actor_id: str | None) -> int | str:
    return _catalogue().get(actor_id, {}).get("inter", "") if actor_id else 0


def acled_row(rec: dict[str, Any]) -> dict[str, Any]:
    """One event record as an ACLED row (ACLED's column names and order)."""
    loc = rec.get("location") or {}
    fat = rec.get("fatalities") or {}
    i1, i2 = _inter(rec.get("actor1")), _inter(rec.get("actor2"))
    day = rec.get("event_date") or ""
    notes = f"{rec.get('sub_event_type', '')} in {loc.get('name_en') or loc.get('name') or 'unknown place'}"
    if fat.get("total"):
        notes += f"; {fat['total']} killed"
    if rec.get("injured"):
        notes += f"; {rec['injured']} injured"
    return {
        "event_id_cnty": f"SYR{rec['event_id'][:10].upper()}",
        "event_date": day,
        "year": day[:4] if day else "",
        "time_precision": rec.get("time_precision") or "",
        "disorder_type": _DISORDER.get(rec.get("event_type", ""), "Political violence"),
        "event_type": rec.get("event_type", ""),
        "sub_event_type": rec.get("sub_event_type", ""),
        "actor1": _acled_name(rec.get("actor1")),
        "assoc_actor_1": "; ".join(_acled_name(a) for a in rec.get("assoc_actor_1") or []),
        "inter1": i1,
        "actor2": _acled_name(rec.get("actor2")),
        "assoc_actor_2": "; ".join(_acled_name(a) for a in rec.get("assoc_actor_2") or []),
        "inter2": i2,
        "interaction": int(f"{min(i1, i2)}{max(i1, i2)}") if i1 and i2 else (i1 * 10 if i1 else ""),
        "civilian_targeting": "Civilian targeting" if rec.get("civilian_targeting") else "",
        **_COUNTRY,
        "admin1": loc.get("admin1") or "",
        "admin2": loc.get("admin2") or "",
        "admin3": loc.get("admin3") or "",
        "location": loc.get("name_en") or loc.get("name") or "",
        "latitude": loc.get("latitude") if loc.get("latitude") is not None else "",
        "longitude": loc.get("longitude") if loc.get("longitude") is not None else "",
        "geo_precision": loc.get("geo_precision") or "",
        "source": "; ".join(x for x in [rec.get("source") or "", *(rec.get("reported_by") or [])] if x),
        "source_scale": "",
        "notes": notes,
        "fatalities": fat.get("total") or 0,
        "tags": "background" if rec.get("background") else "",
        "timestamp": int(time.time()),
    }


def geojson_feature(rec: dict[str, Any]) -> dict[str, Any]:
    loc = rec.get("location") or {}
    geom = None
    if loc.get("latitude") is not None and loc.get("longitude") is not None:
        geom = {"type": "Point", "coordinates": [loc["longitude"], loc["latitude"]]}
    props = {k: v for k, v in rec.items() if k not in ("location", "evidence")}
    props.update({f"location_{k}": v for k, v in loc.items()})
    return {"type": "Feature", "id": rec["event_id"], "geometry": geom, "properties": props}


def flat_record(rec: dict[str, Any]) -> dict[str, Any]:
    """A record with nested values flattened (location_*, fatalities_*) or as JSON text, for tables."""
    out: dict[str, Any] = {}
    for k, v in rec.items():
        if k in ("location", "fatalities") and isinstance(v, dict):
            for kk, vv in v.items():
                out[f"{k}_{kk}"] = json.dumps(vv, ensure_ascii=False) if isinstance(vv, dict | list) else vv
        elif isinstance(v, dict | list):
            out[k] = json.dumps(v, ensure_ascii=False)
        else:
            out[k] = v
    return out


def _jsonl(records: Iterable[dict], fh: IO[str]) -> int:
    n = 0
    for rec in records:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def _acled_csv(records: Iterable[dict], fh: IO[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow(acled_row(rec))
        n += 1
    return n


def _geojson(records: Iterable[dict], fh: IO[str]) -> int:
    feats = [geojson_feature(r) for r in records]
    json.dump({"type": "FeatureCollection", "features": feats}, fh, ensure_ascii=False)
    return len(feats)


FORMATS = ("jsonl", "acled-csv", "geojson", "parquet")


def write_events(records: Iterable[dict], fmt: str, out: str | Path | IO[str] | None) -> int:
    """Write records in `fmt` to a path, an open text stream, or stdout (None); returns the count."""
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        if out is None or not isinstance(out, str | Path):
            raise ValueError("parquet needs an output file (--out)")
        rows = [flat_record(r) for r in records]
        pq.write_table(pa.Table.from_pylist(rows), str(out))
        return len(rows)
    writer = {"jsonl": _jsonl, "acled-csv": _acled_csv, "geojson": _geojson}[fmt]
    if out is None:
        import sys

        return writer(records, sys.stdout)
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return writer(records, fh)
    return writer(records, out)
