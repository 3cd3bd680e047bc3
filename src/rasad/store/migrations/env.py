"""Alembic environment: the connection is handed in by rasad.store.db.migrate."""

from alembic import context

from rasad.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
