"""Report versions and copies, and event versions for review edits.

Report versions and copies: an updated article is a new version (both texts kept, events follow
the version they came from, an older version's events superseded); a copy under a new id points at
the first report and has no events of its own.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("copy_of", sa.String(200), nullable=True))
        batch.add_column(sa.Column("version_of", sa.String(200), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(200), nullable=True))
    op.create_index("ix_reports_version_of", "reports", ["version_of"])
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("superseded", sa.Boolean(), nullable=False, server_default=sa.false()))
        # bumped by every review write: an edit made against an older version is refused (409)
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("version")
        batch.drop_column("superseded")
    op.drop_index("ix_reports_version_of", table_name="reports")
    with op.batch_alter_table("reports") as batch:
        for col in ("superseded_by", "version_of", "copy_of"):
            batch.drop_column(col)
