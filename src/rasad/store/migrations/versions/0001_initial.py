"""Initial schema: reports, links, events, aggregates, audit log, users, full-text index.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.String(200), nullable=False, unique=True, index=True),
        sa.Column("content_hash", sa.String(40), nullable=False, index=True),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(32)),
        sa.Column("source", sa.String(200)),
        sa.Column("author", sa.String(200)),
        sa.Column("origin", sa.Text),
        sa.Column("raw_text", sa.Text, nullable=False),
        sa.Column("clean_text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "report_bands",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), index=True),
        sa.Column("band", sa.String(24), index=True),
    )
    op.create_table(
        "report_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_a", sa.Integer, sa.ForeignKey("reports.id"), index=True),
        sa.Column("report_b", sa.Integer, sa.ForeignKey("reports.id"), index=True),
        sa.Column("kind", sa.String(32)),
        sa.Column("similarity", sa.Float),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(64), nullable=False, unique=True, index=True),
        sa.Column("article_id", sa.String(200), nullable=False, index=True),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("event_date", sa.String(10), index=True),
        sa.Column("event_type", sa.String(64), index=True),
        sa.Column("sub_event_type", sa.String(64)),
        sa.Column("actor1", sa.String(32), index=True),
        sa.Column("admin1", sa.String(64), index=True),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("fatalities", sa.Integer),
        sa.Column("civilian_targeting", sa.Boolean),
        sa.Column("background", sa.Boolean),
        sa.Column("status", sa.String(16)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "aggregates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.String(200), index=True),
        sa.Column("record", sa.JSON),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(64), index=True),
        sa.Column("user", sa.String(100)),
        sa.Column("at", sa.DateTime(timezone=True)),
        sa.Column("action", sa.String(16)),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), unique=True),
        sa.Column("token_hash", sa.String(128)),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Trigram tokens match inside clitic-glued words (وكفرنبو); text is stored normalised.
        op.execute("CREATE VIRTUAL TABLE reports_fts USING fts5(body, tokenize='trigram')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE reports_fts")
    for table in ("users", "audit_log", "aggregates", "events", "report_links", "report_bands", "reports"):
        op.drop_table(table)
