"""Embedded store: SQLite (or PostgreSQL) through SQLAlchemy, schema by Alembic migrations."""

from rasad.store.db import Store, default_db_url, open_store

__all__ = ["Store", "default_db_url", "open_store"]
