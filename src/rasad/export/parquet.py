"""Parquet: flat records (nested values as columns or JSON text), for pandas and duckdb."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from rasad.export.registry import ExportOptions, register
from rasad.extras import need
from rasad.profile import Profile


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


@register("parquet", "parquet", "application/vnd.apache.parquet", "Parquet", binary=True)
def write_parquet(records: Iterable[dict], fh: IO[bytes], profile: Profile,
    options: ExportOptions | None = None) -> int:
    pa = need("pyarrow", "parquet", "Parquet output")
    pq = need("pyarrow.parquet", "parquet", "Parquet output")
    rows = [flat_record(r) for r in records]
    pq.write_table(pa.Table.from_pylist(rows), fh)
    return len(rows)
