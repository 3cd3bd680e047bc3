"""SQLAlchemy tables. Changes here need an Alembic revision in migrations/versions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ReportRow(Base):
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(200), unique=True, index=True)
    content_hash: Mapped[str] = mapped_column(String(40), index=True)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str | None] = mapped_column(Text)
    raw_text: Mapped[str] = mapped_column(Text)
    clean_text: Mapped[str] = mapped_column(Text)
    copy_of: Mapped[str | None] = mapped_column(String(200))  # the same text stored first under this id
    version_of: Mapped[str | None] = mapped_column(String(200), index=True)  # the article this updates
    superseded_by: Mapped[str | None] = mapped_column(String(200))  # a later version of this article
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ReportBand(Base):
    """LSH band keys of each report's MinHash signature, to find near-duplicate candidates."""

    __tablename__ = "report_bands"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    band: Mapped[str] = mapped_column(String(24), index=True)


class ReportLink(Base):
    """Near-duplicate pairs (the same report republished with small edits)."""

    __tablename__ = "report_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_a: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    report_b: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="near_duplicate")
    similarity: Mapped[float] = mapped_column(Float)


class EventRow(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    article_id: Mapped[str] = mapped_column(String(200), index=True)
    record: Mapped[dict] = mapped_column(JSON)
    event_date: Mapped[str | None] = mapped_column(String(10), index=True)
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    sub_event_type: Mapped[str] = mapped_column(String(64))
    actor1: Mapped[str | None] = mapped_column(String(32), index=True)
    admin1: Mapped[str | None] = mapped_column(String(64), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    civilian_targeting: Mapped[bool] = mapped_column(Boolean, default=False)
    background: Mapped[bool] = mapped_column(Boolean, default=False)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)  # its report has a later version
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by every review write
    status: Mapped[str] = mapped_column(String(16), default="machine")  # machine, accepted, edited, rejected, added
    pcode: Mapped[str | None] = mapped_column(String(32))  # the place's P-code (indexed: events at a place)
    review_rank: Mapped[int | None] = mapped_column(Integer)  # the queue's order (store.ranks)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class AggregateRow(Base):
    __tablename__ = "aggregates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(200), index=True)
    record: Mapped[dict] = mapped_column(JSON)


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), index=True)
    user: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    action: Mapped[str] = mapped_column(String(16))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)  # why the reviewer changed it, in their words


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    role: Mapped[str] = mapped_column(String(16), default="reviewer", server_default="reviewer")


class SessionRow(Base):
    """A browser's login: the hash of its own random token, whose it is, and when it ends."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    user: Mapped[str] = mapped_column(String(100), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IncidentRow(Base):
    """An incident's record (spec: incident-record.md), rewritten whenever linking changes it."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    record: Mapped[dict] = mapped_column(JSON)
    event_date: Mapped[str | None] = mapped_column(String(10), index=True)
    civilians_killed_best: Mapped[int | None] = mapped_column(Integer)
    # What the dashboard filters, sums and maps, as columns (store.incidents.summary_columns)
    killed_best: Mapped[int | None] = mapped_column(Integer)
    admin1: Mapped[str | None] = mapped_column(String(64))
    actor1: Mapped[str | None] = mapped_column(String(32))
    event_type: Mapped[str | None] = mapped_column(String(64))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(16))  # Weak, Fair, Contested, Confirmed, Discounted
    killed_spread: Mapped[int | None] = mapped_column(Integer)  # highest minus lowest death toll told
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class IncidentMemberRow(Base):
    """Which incident an event was linked into; kept apart from the event rows so that re-extracting a
    report (same event ids) keeps its events' incidents."""

    __tablename__ = "incident_members"
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    incident_id: Mapped[str] = mapped_column(String(32), index=True)


class LearnedPlaceRow(Base):
    """A place a reviewer set for a name the gazetteer lacks (store.learned: a user layer for later reports)."""

    __tablename__ = "learned_places"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name_ar: Mapped[str] = mapped_column(String(200), index=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    admin1: Mapped[str | None] = mapped_column(String(64))
    admin2: Mapped[str | None] = mapped_column(String(64))
    parent: Mapped[str | None] = mapped_column(String(200))  # the nearest town when it was set
    article_id: Mapped[str | None] = mapped_column(String(200))  # the report it was set for
    reviewer: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
