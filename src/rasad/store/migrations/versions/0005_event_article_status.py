"""An index on (article_id, status): re-extracting a report deletes its machine-made events, and with
only ix_events_status SQLite searched every machine event for that, so storing slowed down as the
store grew; on both columns the statement touches only the report's own rows.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_index("ix_events_article_status", "events", ["article_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_events_article_status", "events")
