"""A workbench that stays fast at 100,000 events: each event's P-code and review rank as columns
(the search's "events at this place" and the queue's order read an index, not every record), a
partial index of current news events (not superseded, not background: what the workbench shows)
holding what the dashboard's totals, timeline, facets and map grid group by, so they never read a
record; and each incident's place, perpetrator, type, best toll, point, grade and spread of tolls
as columns (the dashboard's filters and sums, the map, the review queue's order).

The partial index's condition is written as SQLAlchemy writes `.is_(False)` (IS 0 / IS false): a
database uses a partial index only for queries whose conditions match its own.

Revision ID: 0008
Revises: 0007
"""

import json

import sqlalchemy as sa
from alembic import op

from rasad.store.ranks import review_rank

revision = "0008"
down_revision = "0007"
SUMMARY = ["status", "admin1", "actor1", "event_type", "event_date", "fatalities", "latitude", "longitude"]
INCIDENT_COLUMNS = (("admin1", sa.String(64)), ("actor1", sa.String(32)), ("event_type", sa.String(64)),
                    ("killed_best", sa.Integer), ("latitude", sa.Float), ("longitude", sa.Float),
                    ("grade", sa.String(16)), ("killed_spread", sa.Integer))  # store.incidents.summary_columns


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("pcode", sa.String(32)))
        batch.add_column(sa.Column("review_rank", sa.Integer))
    with op.batch_alter_table("incidents") as batch:
        for name, kind in INCIDENT_COLUMNS:
            batch.add_column(sa.Column(name, kind))
    _fill_events()
    _fill_incidents()
    op.create_index("ix_events_pcode", "events", ["pcode"])
    op.create_index("ix_events_queue", "events", ["status", "superseded", "review_rank", "id"])
    op.create_index("ix_events_summary", "events", SUMMARY,
                    sqlite_where=sa.text("superseded IS 0 AND background IS 0"),
                    postgresql_where=sa.text("superseded IS false AND background IS false"))


def _records(table: str, key: str):  # noqa: ANN202 - rows of (key, record) read in pages
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(sa.text(f"SELECT id, {key}, record FROM {table} WHERE id > :last ORDER BY id LIMIT 2000"),
                            {"last": last}).all()
        if not rows:
            return
        yield [(k, r if isinstance(r, dict) else json.loads(r)) for _i, k, r in rows]
        last = rows[-1][0]


def _fill_events() -> None:
    conn = op.get_bind()
    for page in _records("events", "event_id"):
        conn.execute(sa.text("UPDATE events SET pcode = :pcode, review_rank = :rank WHERE event_id = :key"),
                     [{"key": k, "pcode": (r.get("location") or {}).get("pcode"), "rank": review_rank(r)}
                      for k, r in page])


def _fill_incidents() -> None:
    from rasad.store.incidents import summary_columns

    conn = op.get_bind()
    sets = ", ".join(f"{name} = :{name}" for name, _kind in INCIDENT_COLUMNS)
    for page in _records("incidents", "incident_id"):
        conn.execute(sa.text(f"UPDATE incidents SET {sets} WHERE incident_id = :key"),
                     [{"key": k, **summary_columns(r)} for k, r in page])


def downgrade() -> None:
    for name in ("ix_events_summary", "ix_events_queue", "ix_events_pcode"):
        op.drop_index(name, table_name="events")
    with op.batch_alter_table("incidents") as batch:
        for name, _kind in INCIDENT_COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table("events") as batch:
        batch.drop_column("review_rank")
        batch.drop_column("pcode")
