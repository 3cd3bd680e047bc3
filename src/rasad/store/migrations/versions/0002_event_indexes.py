"""Composite indexes for the event list: filter by governorate or actor, ordered by date.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_index("ix_events_admin1_date", "events", ["admin1", "event_date"])
    op.create_index("ix_events_actor1_date", "events", ["actor1", "event_date"])
    op.create_index("ix_events_status", "events", ["status"])


def downgrade() -> None:
    for name in ("ix_events_status", "ix_events_actor1_date", "ix_events_admin1_date"):
        op.drop_index(name, table_name="events")
