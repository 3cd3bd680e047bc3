"""Incidents: one record per incident, and which incident each event was linked into.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("incident_id", sa.String(32), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("event_date", sa.String(10), nullable=True),
        sa.Column("civilians_killed_best", sa.Integer(), nullable=True),
        sa.Column("reviewed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_incidents_incident_id", "incidents", ["incident_id"], unique=True)
    op.create_index("ix_incidents_event_date", "incidents", ["event_date"])
    op.create_table(
        "incident_members",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("incident_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_incident_members_incident_id", "incident_members", ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_incident_members_incident_id", table_name="incident_members")
    op.drop_table("incident_members")
    op.drop_index("ix_incidents_event_date", table_name="incidents")
    op.drop_index("ix_incidents_incident_id", table_name="incidents")
    op.drop_table("incidents")
