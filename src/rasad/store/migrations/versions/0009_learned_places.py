"""Places that learn: a place a reviewer sets for a name the gazetteer lacks, with the report it came
from and who set it; written out as a user layer that later extractions read.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "learned_places",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name_ar", sa.String(200), nullable=False, index=True),
        sa.Column("name_en", sa.String(200)),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("latitude", sa.Float, nullable=False),
        sa.Column("longitude", sa.Float, nullable=False),
        sa.Column("admin1", sa.String(64)),
        sa.Column("admin2", sa.String(64)),
        sa.Column("parent", sa.String(200)),
        sa.Column("article_id", sa.String(200)),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("learned_places")
