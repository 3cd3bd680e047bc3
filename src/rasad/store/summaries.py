"""What the dashboard shows, summed in the database: totals, events per day and perpetrator, and the
map's markers, grouped into grid cells when a view holds too many to draw one by one.

Each read of events is a grouped scan of the summary index (migration 0008: current news events'
status, place, perpetrator, type, day, toll and point), of incidents their summary columns, so the
dashboard costs a few index scans and its page weighs the same with 100 events or 100,000.
"""

from __future__ import annotations

from sqlalchemy import Integer, cast, func, select

from rasad.store.db import EventFilter, Store
from rasad.store.schema import EventRow, IncidentRow

POINTS = 800  # the most markers a view draws one by one; more are grouped into cells


def totals(store: Store, f: EventFilter) -> tuple[int, int]:
    """(events, killed) the filter keeps."""
    with store.session() as s:
        n, killed = s.execute(store.filtered(select(func.count(EventRow.id), func.sum(EventRow.fatalities)), f)).one()
    return n or 0, killed or 0


def per_day(store: Store, f: EventFilter) -> list[tuple[str, str | None, int, int]]:
    """(day, perpetrator, events, killed) of the dated events the filter keeps, by day. (Grouped by
    expressions, not bare columns: SQLite would otherwise walk a (perpetrator, day) index in order
    and read every row, four times slower than scanning the summary index and sorting the groups.)"""
    keys = (func.coalesce(EventRow.event_date, ""), func.coalesce(EventRow.actor1, ""))
    with store.session() as s:
        q = store.filtered(select(*keys, func.count(), func.coalesce(func.sum(EventRow.fatalities), 0)),
                           f).group_by(*keys)
        rows = [(d, a or None, n, k) for d, a, n, k in s.execute(q) if d]
    return sorted(rows, key=lambda r: (r[0], r[1] or ""))


def _incidents(q, f: EventFilter):  # noqa: ANN001, ANN202 - SQLAlchemy select in and out
    """Incidents narrowed as their events would be by the dashboard's filters (days, place, perpetrator, type)."""
    for column, value in ((IncidentRow.admin1, f.admin1), (IncidentRow.actor1, f.actor),
                          (IncidentRow.event_type, f.event_type)):
        if value:
            q = q.where(column == value)
    if f.since:
        q = q.where(IncidentRow.event_date >= f.since)
    if f.until:
        q = q.where(IncidentRow.event_date <= f.until)
    if f.bbox:
        q = q.where(IncidentRow.longitude.between(f.bbox[0], f.bbox[2]),
                    IncidentRow.latitude.between(f.bbox[1], f.bbox[3]))
    return q


def incident_totals(store: Store, f: EventFilter) -> tuple[int, int]:
    """(incidents, the sum of their best killed figures) the dashboard's filters keep."""
    with store.session() as s:
        n, killed = s.execute(_incidents(select(func.count(IncidentRow.id), func.sum(IncidentRow.killed_best)),
                                         f)).one()
    return n or 0, killed or 0


def cell_degrees(zoom: int) -> float:
    """A grid cell about 64 screen pixels wide at this zoom (a 256-pixel tile spans 360 / 2^zoom degrees)."""
    return 360.0 / 2 ** max(0, min(zoom, 22)) / 4


def markers(store: Store, f: EventFilter, zoom: int, incidents: bool = False) -> tuple[str, list]:
    """The map's markers in `f.bbox`: ("points", records) when there are at most POINTS located ones,
    else ("cells", [(lon, lat, count, killed)]) — each cell at the mean place of what it holds."""
    table = IncidentRow if incidents else EventRow
    located = (table.latitude.is_not(None), table.longitude.is_not(None))
    if incidents:
        def query(*columns):  # noqa: ANN002, ANN202
            return _incidents(select(*columns), f)
    else:
        def query(*columns):  # noqa: ANN002, ANN202
            return store.filtered(select(*columns), f)
    killed = IncidentRow.killed_best if incidents else EventRow.fatalities
    with store.session() as s:
        n = s.scalar(query(func.count()).where(*located))
        if n <= POINTS:
            rows = s.scalars(query(table.record).where(*located).order_by(table.id))
            return "points", list(rows)
        cell = cell_degrees(zoom)
        keys = (cast((table.longitude + 180) / cell, Integer), cast((table.latitude + 90) / cell, Integer))
        q = query(func.avg(table.longitude), func.avg(table.latitude), func.count(),
                  func.coalesce(func.sum(killed), 0)).where(*located).group_by(*keys)
        return "cells", [tuple(r) for r in s.execute(q)]
