"""Writers for event records: JSON Lines, ACLED CSV, GeoJSON, Parquet."""

from rasad.export.writers import FORMATS, write_events

__all__ = ["FORMATS", "write_events"]
