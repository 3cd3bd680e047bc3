"""Flat CSV: the flat schema (export/flat.py), for spreadsheets and tools that take any table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from rasad.export.flat import FLAT_COLUMNS, flat_event
from rasad.export.registry import ExportOptions, register, write_csv
from rasad.profile import Profile


@register("csv", "csv", "text/csv", "CSV")
def write_flat_csv(records: Iterable[dict], fh: IO[str], profile: Profile,
                   options: ExportOptions | None = None) -> int:
    """The flat schema's columns, lists joined with "; ", nothing written for None."""
    def row(rec: dict) -> dict:
        return {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in flat_event(rec, profile).items()}

    return write_csv(records, fh, FLAT_COLUMNS, row)
