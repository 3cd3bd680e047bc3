"""Tables for notebooks: what `rasad.extract` gives, or any event records (stored, exported), as a
pandas DataFrame in the flat schema, as ACLED's rows, or as a GeoDataFrame of points. pandas and
geopandas are optional: a missing one is a message naming its extra."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rasad.export.acled_csv import ACLED_COLUMNS, acled_records, acled_row
from rasad.export.flat import FLAT_COLUMNS, flat_event
from rasad.export.registry import ExportOptions
from rasad.extract import Result
from rasad.extras import need
from rasad.profile import Profile


def _records(events: Result | Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return events.records() if isinstance(events, Result) else list(events)


def to_frame(events: Result | Iterable[dict[str, Any]], profile: Profile | None = None) -> Any:
    """A DataFrame with the flat schema's columns (the CSV's and Parquet's), dates as datetimes."""
    pd = need("pandas", "notebook", "DataFrames")
    profile = profile or Profile.load()
    frame = pd.DataFrame([flat_event(r, profile) for r in _records(events)], columns=FLAT_COLUMNS)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


def to_acled(events: Result | Iterable[dict[str, Any]], profile: Profile | None = None,
             options: ExportOptions | None = None) -> Any:
    """A DataFrame of ACLED's columns and rows, as the ACLED CSV writes them (no background rows unless
    `options.include_background`)."""
    pd = need("pandas", "notebook", "DataFrames")
    profile, options = profile or Profile.load(), options or ExportOptions()
    rows = [acled_row(r, profile, options) for r in acled_records(_records(events), options)]
    return pd.DataFrame(rows, columns=ACLED_COLUMNS)


def to_geodataframe(events: Result | Iterable[dict[str, Any]], profile: Profile | None = None) -> Any:
    """`to_frame` as a GeoDataFrame of points on WGS 84 (events without coordinates have none)."""
    gpd = need("geopandas", "geo", "GeoDataFrames")
    frame = to_frame(events, profile)
    points = gpd.points_from_xy(frame["longitude"], frame["latitude"])
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


@dataclass
class Extracted(Result):
    """What `rasad.extract` gives: the Result, with its tables one call away."""

    profile: Profile | None = field(default=None, repr=False)

    def to_frame(self) -> Any:
        return to_frame(self, self.profile)

    def to_acled(self, options: ExportOptions | None = None) -> Any:
        return to_acled(self, self.profile, options)

    def to_geodataframe(self) -> Any:
        return to_geodataframe(self, self.profile)
