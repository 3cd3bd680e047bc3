"""Flat CSV: every field of the event record as a column (nested ones as location_*, fatalities_*),
for spreadsheets and tools that take any table."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

from rasad.export.parquet import flat_record
from rasad.export.registry import ExportOptions, register
from rasad.profile import Profile


@register("csv", "csv", "text/csv", "CSV")
def write_flat_csv(records: Iterable[dict], fh: IO[str], profile: Profile,
    options: ExportOptions | None = None) -> int:
    rows = [flat_record(r) for r in records]
    columns = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(fh, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)
