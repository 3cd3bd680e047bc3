"""Parquet: the flat schema as GeoParquet, for pandas, geopandas, duckdb and QGIS."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable
from datetime import date
from itertools import islice
from typing import IO, Any

from rasad.export.flat import FLAT_SCHEMA, flat_event
from rasad.export.registry import ExportOptions, register
from rasad.extras import need
from rasad.profile import Profile


@register("parquet", "parquet", "application/vnd.apache.parquet", "Parquet", binary=True)
def write_parquet(records: Iterable[dict], fh: IO[bytes], profile: Profile,
                  options: ExportOptions | None = None) -> int:
    """GeoParquet 1.0: the flat schema with Arrow types (dates, lists, numbers) and a WKB point
    `geometry` column (longitude, latitude on WGS 84), so geopandas, duckdb and QGIS read it as spatial."""
    pa = need("pyarrow", "parquet", "Parquet output")
    pq = need("pyarrow.parquet", "parquet", "Parquet output")
    types = {"str": pa.string(), "json": pa.string(), "int": pa.int64(), "float": pa.float64(),
             "bool": pa.bool_(), "date": pa.date32(), "list": pa.list_(pa.string())}
    geo = {"version": "1.0.0", "primary_column": "geometry",
           "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}}}
    whole = bool(options and options.record_column)
    schema = pa.schema([(name, types[kind]) for name, kind in FLAT_SCHEMA] + [("geometry", pa.binary())]
                       + ([("record", pa.string())] if whole else []), metadata={b"geo": json.dumps(geo).encode()})
    n = 0
    with pq.ParquetWriter(fh, schema) as writer:  # row group by row group: memory stays flat
        typed = (_typed(flat_event(r, profile), r if whole else None) for r in records)
        for rows in iter(lambda: list(islice(typed, ROW_GROUP)), []):
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n


ROW_GROUP = 50_000


def _typed(row: dict[str, Any], record: dict[str, Any] | None = None) -> dict[str, Any]:
    """A flat row with its day as a date and its point as WKB (little-endian Point); with `record`,
    the whole record as JSON beside it."""
    if record is not None:
        row["record"] = json.dumps(record, ensure_ascii=False)
    day = row["event_date"]
    row["event_date"] = date.fromisoformat(day) if day else None
    lon, lat = row["longitude"], row["latitude"]
    row["geometry"] = struct.pack("<BIdd", 1, 1, lon, lat) if lon is not None and lat is not None else None
    return row
