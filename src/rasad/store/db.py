"""The store: reports, events, review audit; every write in its own transaction.

A report is committed as soon as it is ingested (or, from `rasad extract`'s single writer, with
the small batch it came in), so a crash mid-batch loses nothing already committed, and re-running
skips what is there (same article id or same content) without duplicates.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Text, cast, create_engine, delete, event, func, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from rasad.model import Report
from rasad.store import writes
from rasad.store.schema import AggregateRow, AuditRow, EventRow, ReportLink, ReportRow, SessionRow, UserRow
from rasad.store.writes import PUNCT, AddResult, event_values, fts_text
from rasad.text.normalise import normalise

COUNT_TTL_S = 5.0
ROLES = ("reader", "reviewer", "admin")  # read; review events and incidents; all that and take reports in
SESSION_HOURS = float(os.environ.get("RASAD_SESSION_HOURS", 12))


def default_db_url(path: str | None = None) -> str:
    """--db PATH, else RASAD_DB, else rasad.db in the user's data directory. URLs pass through."""
    value = path or os.environ.get("RASAD_DB")
    if value and "://" in value:
        return value
    if not value:
        folder = Path(user_data_dir("rasad"))
        folder.mkdir(parents=True, exist_ok=True)
        value = str(folder / "rasad.db")
    Path(value).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(value).expanduser()}"


def migrate(engine: Engine) -> None:
    cfg = Config(str(Path(__file__).parent / "alembic.ini"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        # Many request threads share the store: a pool large enough that none waits for a connection.
        self.engine = create_engine(url, pool_size=20, max_overflow=20)
        self.write_engine = self.engine
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            # Writes take SQLite's write lock when they begin (BEGIN IMMEDIATE), so a read-then-write
            # never fails to upgrade its lock under another process's write; reads are never blocked (WAL).
            self.write_engine = create_engine(url, pool_size=5, max_overflow=10)
            event.listen(self.write_engine, "connect", _sqlite_write_connection)
            event.listen(self.write_engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        migrate(self.write_engine)
        self.session = sessionmaker(self.engine, expire_on_commit=False)
        self.writing = sessionmaker(self.write_engine, expire_on_commit=False)
        self._counts: dict[str, tuple[float, int]] = {}

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    # ---- reports -------------------------------------------------------------------------
    def add_report(self, report: Report) -> AddResult:
        """Keep a report as ingest gave it (its fingerprint included). The same id with the same text
        is a duplicate; the same id with a new text is a new version (`ID@v2`, the older one's events
        superseded); the same text under a new id is a copy of the first, kept as a pointer with no
        events of its own; reports whose signatures are near are linked."""
        try:
            return self._add_report(report)
        except IntegrityError:  # another process stored the same report a moment ago: it is a duplicate now
            return self._add_report(report)

    def _add_report(self, report: Report) -> AddResult:
        with self.writing.begin() as s:
            results, _ = writes.add_reports(s.connection(), [report], self.is_sqlite)
        return results[0]

    def keep_batch(self, reports: list[Report],
                   extraction: Callable[[int, AddResult], tuple[list[dict], list[dict]] | None]) -> list[AddResult]:
        """Many reports and their extractions in one transaction (a batch of `rasad extract`'s single
        writer): `extraction(i, result)` gives report i's events and figures to keep under
        `result.article_id`, or None to keep none. All or nothing: on any error nothing is written."""
        with self.writing.begin() as s:
            results = writes.keep_batch(s.connection(), reports, self.is_sqlite, extraction)
        self._counts.clear()
        return results

    def get_report(self, article_id: str) -> ReportRow | None:
        with self.session() as s:
            return s.scalar(select(ReportRow).where(ReportRow.article_id == article_id))

    def iter_reports(self, article_ids: Iterable[str] | None = None) -> list[ReportRow]:
        with self.session() as s:
            q = select(ReportRow).order_by(ReportRow.id)
            if article_ids is not None:
                q = q.where(ReportRow.article_id.in_(list(article_ids)))
            return list(s.scalars(q))

    def count_reports(self) -> int:
        with self.session() as s:
            return s.scalar(text("SELECT count(*) FROM reports"))

    def near_duplicates(self, article_id: str) -> list[str]:
        with self.session() as s:
            rid = s.scalar(select(ReportRow.id).where(ReportRow.article_id == article_id))
            if rid is None:
                return []
            rows = s.execute(select(ReportLink.report_a, ReportLink.report_b).where(
                or_(ReportLink.report_a == rid, ReportLink.report_b == rid))).all()
            others = {a if b == rid else b for a, b in rows}
            return list(s.scalars(select(ReportRow.article_id).where(ReportRow.id.in_(others))))

    # ---- events -----------------------------------------------------------------------------------
    def save_extraction(self, article_id: str, events: list[dict], aggregates: list[dict]) -> int:
        """Replace an article's machine-made events and figures; events a person reviewed stay as they
        are (re-extraction never overwrites a human edit). Returns how many events were written."""
        with self.writing.begin() as s:
            written = writes.save_extractions(s.connection(), {article_id: (events, aggregates)})
        self._counts.clear()
        return written

    def filtered(self, q, f: EventFilter):  # noqa: ANN001, ANN201 - SQLAlchemy select in and out
        """`q` narrowed to the events `f` keeps (every value a bound parameter)."""
        if f.since:
            q = q.where(EventRow.event_date >= f.since)
        if f.until:
            q = q.where(EventRow.event_date <= f.until)
        if f.admin1:
            q = q.where(EventRow.admin1 == f.admin1)
        if f.actor:
            q = q.where(EventRow.actor1 == f.actor)
        if f.event_type:
            q = q.where(EventRow.event_type == f.event_type)
        if f.civilian_targeting is not None:
            q = q.where(EventRow.civilian_targeting == f.civilian_targeting)
        if f.article_id:
            q = q.where(EventRow.article_id == f.article_id)
        if f.bbox:
            min_lon, min_lat, max_lon, max_lat = f.bbox
            q = q.where(EventRow.longitude.between(min_lon, max_lon), EventRow.latitude.between(min_lat, max_lat))
        if not f.include_background:
            q = q.where(EventRow.background.is_(False))
        if f.status:
            q = q.where(EventRow.status == f.status)
        elif not f.include_rejected:
            q = q.where(EventRow.status != "rejected")
        q = self._figures_filtered(q, f)
        if not f.include_superseded and not f.article_id:
            q = q.where(EventRow.superseded.is_(False))
        return q

    @staticmethod
    def _figures_filtered(q, f: EventFilter):  # noqa: ANN001, ANN205 - SQLAlchemy select in and out
        """The filters on figures, confidence, precision and source (the last three read the record)."""
        if f.min_fatalities is not None:
            q = q.where(EventRow.fatalities >= f.min_fatalities)
        if f.max_fatalities is not None:
            q = q.where(EventRow.fatalities <= f.max_fatalities)
        if f.max_confidence is not None:
            q = q.where(EventRow.record["confidence"].as_float() <= f.max_confidence)
        if f.geo_precision is not None:
            q = q.where(EventRow.record["location"]["geo_precision"].as_integer() == f.geo_precision)
        if f.source:
            q = q.where(cast(EventRow.record["reported_by"], Text).contains(json.dumps(f.source)[1:-1]))
        return q

    def facets(self, f: EventFilter) -> dict[str, dict[str, int]]:
        """How many events the filter leaves per governorate, perpetrator, type and review status: one
        grouped read of the summary index (migration 0008), summed per facet here (a few hundred groups)."""
        out: dict[str, dict[str, int]] = {"admin1": {}, "actor": {}, "event_type": {}, "status": {}}
        columns = (EventRow.admin1, EventRow.actor1, EventRow.event_type, EventRow.status)
        with self.session() as s:
            rows = s.execute(self.filtered(select(*columns, func.count()), f).group_by(*columns)).all()
        for *keys, n in rows:
            for name, key in zip(out, keys, strict=True):
                if key is not None:
                    out[name][str(key)] = out[name].get(str(key), 0) + n
        return out

    def events(self, f: EventFilter | None = None, limit: int | None = None, offset: int = 0,
               sort: str = "event_date", descending: bool = False) -> list[dict]:
        """Stored event records, filtered; every value is a bound parameter, never pasted into SQL."""
        with self.session() as s:
            q = self.filtered(select(EventRow.record, EventRow.status, EventRow.updated_at),
                               f or EventFilter()).order_by(*_order(sort, descending))
            return [{**rec, "status": status, "updated_at": _epoch(at)}
                    for rec, status, at in s.execute(q.offset(offset).limit(limit))]

    def queue(self, limit: int = 50) -> list[dict]:
        """Machine-made events no one has reviewed, what most needs a person first: news before
        background, least confident first (in tenths), then the highest tolls."""
        with self.session() as s:  # the order is one indexed column (store.ranks.review_rank)
            q = select(EventRow.record, EventRow.status).where(
                EventRow.status == "machine", EventRow.superseded.is_(False)).order_by(
                EventRow.review_rank, EventRow.id).limit(limit)
            return [{**rec, "status": status} for rec, status in s.execute(q)]

    def events_at(self, pcodes: list[str], limit: int = 50) -> list[dict]:
        """Current events placed at any of these P-codes, newest first."""
        if not pcodes:
            return []
        with self.session() as s:
            q = self.filtered(select(EventRow.record, EventRow.status), EventFilter()).where(
                EventRow.pcode.in_(pcodes)).order_by(*_order("event_date", True)).limit(limit)
            return [{**rec, "status": status} for rec, status in s.execute(q)]

    def titles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Headline by article id, for lists that link to reports."""
        ids = list(set(article_ids))
        if not ids:
            return {}
        with self.session() as s:
            return {a: t for a, t in s.execute(select(ReportRow.article_id, ReportRow.title)
                                                .where(ReportRow.article_id.in_(ids))) if t}

    def aggregates(self, article_id: str) -> list[dict]:
        """A report's aggregate figures (weekly tolls, strike counts, campaign totals), as extracted."""
        with self.session() as s:
            return list(s.scalars(select(AggregateRow.record).where(AggregateRow.article_id == article_id)
                                  .order_by(AggregateRow.id)))

    def review_progress(self) -> tuple[int, int]:
        """(events a person has reviewed, all current events)."""
        with self.session() as s:
            counts = dict(s.execute(select(EventRow.status, func.count()).where(
                EventRow.superseded.is_(False)).group_by(EventRow.status)).all())
        total = sum(counts.values())
        return total - counts.get("machine", 0), total

    def events_json(self, f: EventFilter | None = None, limit: int | None = None, offset: int = 0,
                    sort: str = "event_date", descending: bool = False) -> list[str]:
        """Like `events`, as JSON text straight from the store: no decoding and re-encoding on the
        API's hot path."""
        raw = cast(EventRow.record, Text)  # JSON text on SQLite and PostgreSQL alike
        with self.session() as s:
            q = self.filtered(select(raw, EventRow.status), f or EventFilter()).order_by(
                *_order(sort, descending)).offset(offset).limit(limit)
            return [f'{rec[:-1].rstrip()}, "status": "{status}"}}' for rec, status in s.execute(q)]

    def count_events(self, f: EventFilter | None = None) -> int:
        """How many events match; remembered for five seconds (forgotten at once when this process stores
        or adds events), as a list's total need not be fresher. Review edits do not forget it: under a
        stream of edits every list would count its rows again."""
        f = f or EventFilter()
        key = repr(f)
        hit = self._counts.get(key)
        if hit is not None and time.monotonic() - hit[0] < COUNT_TTL_S:
            return hit[1]
        with self.session() as s:
            n = s.scalar(self.filtered(select(func.count(EventRow.id)), f))
        if len(self._counts) > 1000:
            self._counts.clear()
        self._counts[key] = (time.monotonic(), n)
        return n

    def get_event(self, event_id: str) -> dict | None:
        with self.session() as s:
            row = s.execute(select(EventRow.record, EventRow.status, EventRow.version)
                            .where(EventRow.event_id == event_id)).first()
        return {**row[0], "status": row[1], "version": row[2] or 1} if row else None

    def review(self, event_id: str, user: str, action: str, record: dict | None = None,
               change: Callable[[dict], dict] | None = None, expected_version: int | None = None,
               reason: str | None = None) -> dict:
        """Accept, reject or edit an event, or add one (action "add" with a record). An edit applies
        `change` to the record as it is inside the write transaction, so concurrent edits of other
        fields are never reverted; with `expected_version`, an event changed since is a Conflict.
        Every change goes to the audit log (who, when, before, after) in the same transaction."""
        status = {"accept": "accepted", "reject": "rejected", "edit": "edited", "add": "added"}[action]
        with self.writing.begin() as s:
            row = s.scalar(select(EventRow).where(EventRow.event_id == event_id).with_for_update())
            if action == "add":
                if row is not None:
                    raise KeyError(f"event {event_id} exists")
                row, before = event_row(record), None
                s.add(row)
            else:
                before = self._check(row, event_id, expected_version)
                new = change(dict(row.record)) if change is not None else record
                if new is not None:
                    _set_record(row, {**new, "event_id": event_id, "article_id": row.article_id})
                row.version = (row.version or 1) + 1
            row.status = status
            after = {**row.record, "status": status, "version": row.version or 1}
            s.add(AuditRow(event_id=event_id, user=user, action=action, before=before, after=after,
                           reason=(reason or "").strip()[:2000] or None))
        if action == "add":
            self._counts.clear()  # a new event changes every total; an edit's totals may lag a second
        return after

    @staticmethod
    def _check(row: EventRow | None, event_id: str, expected_version: int | None) -> dict:
        if row is None:
            raise KeyError(f"no event {event_id}")
        if expected_version is not None and expected_version != (row.version or 1):
            raise Conflict(f"event {event_id} is at version {row.version}, not {expected_version}: "
                           "it changed since it was read")
        return {**row.record, "status": row.status, "version": row.version or 1}

    def audit(self, event_id: str | None = None) -> list[dict]:
        with self.session() as s:
            q = select(AuditRow).order_by(AuditRow.id)
            if event_id:
                q = q.where(AuditRow.event_id == event_id)
            return [{"event_id": a.event_id, "user": a.user, "at": a.at.isoformat(), "action": a.action,
                     "before": a.before, "after": a.after, "reason": a.reason,
                     "changes": audit_changes(a.before, a.after)} for a in s.scalars(q)]

    # ---- users -------------------------------------------------------------------------------------
    def add_user(self, name: str, role: str | None = None) -> str:
        """Create (or re-key) a user; returns the API token, of which only a hash is stored. A new
        user is a reviewer unless `role` says otherwise; re-keying keeps the role unless given."""
        if role is not None and role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        token = secrets.token_urlsafe(24)
        with self.writing.begin() as s:
            row = s.scalar(select(UserRow).where(UserRow.name == name))
            if row is None:
                s.add(UserRow(name=name, token_hash=hash_token(token), role=role or "reviewer"))
            else:
                row.token_hash = hash_token(token)
                row.role = role or row.role
        return token

    def set_role(self, name: str, role: str) -> bool:
        """Give a user a role (reader, reviewer, admin); False when there is no such user."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        with self.writing.begin() as s:
            return bool(s.execute(update(UserRow).where(UserRow.name == name).values(role=role)).rowcount)

    def users(self) -> list[tuple[str, str, datetime]]:
        """(name, role, created) of every user, by name."""
        with self.session() as s:
            return list(s.execute(select(UserRow.name, UserRow.role, UserRow.created_at).order_by(UserRow.name)))

    def revoke_user(self, name: str) -> bool:
        """Remove a user: their token and their sessions open nothing any more. False when there is no such user."""
        with self.writing.begin() as s:
            s.execute(delete(SessionRow).where(SessionRow.user == name))
            return bool(s.execute(delete(UserRow).where(UserRow.name == name)).rowcount)

    def user_for_token(self, token: str | None) -> str | None:
        who = self.who(token)
        return who[0] if who else None

    def who(self, token: str | None) -> tuple[str, str] | None:
        """(name, role) of the user an API token belongs to."""
        if not token:
            return None
        with self.session() as s:
            row = s.execute(select(UserRow.name, UserRow.role).where(UserRow.token_hash == hash_token(token))).first()
        return (row[0], row[1]) if row else None

    def open_session(self, user: str, hours: float = SESSION_HOURS) -> str:
        """A browser session for `user`: a new random token (only its hash kept) ending in `hours`."""
        token = secrets.token_urlsafe(24)
        with self.writing.begin() as s:
            s.execute(delete(SessionRow).where(SessionRow.expires_at < datetime.now(UTC)))  # old ones go
            s.add(SessionRow(token_hash=hash_token(token), user=user,
                             expires_at=datetime.now(UTC) + timedelta(hours=hours)))
        return token

    def session_user(self, token: str | None) -> tuple[str, str] | None:
        """(name, role) of an unexpired session's user; None for an unknown, ended or expired one."""
        if not token:
            return None
        with self.session() as s:
            row = s.execute(select(UserRow.name, UserRow.role, SessionRow.expires_at)
                            .join(SessionRow, SessionRow.user == UserRow.name)
                            .where(SessionRow.token_hash == hash_token(token))).first()
        if row is None or _aware(row[2]) <= datetime.now(UTC):
            return None
        return row[0], row[1]

    def close_session(self, token: str | None) -> None:
        if token:
            with self.writing.begin() as s:
                s.execute(delete(SessionRow).where(SessionRow.token_hash == hash_token(token)))

    def search(self, query: str, limit: int = 20) -> list[tuple[str, str | None, str]]:
        """(article_id, title, snippet) of reports containing the query, insensitive to
        diacritics, hamza and ة/ه forms, and to a space inside a compound name."""
        variants = query_variants(query)
        if not variants:
            return []
        with self.session() as s:
            if self.is_sqlite and all(len(v) >= 3 for v in variants):
                expr = " OR ".join('"' + v.replace('"', '""') + '"' for v in variants)
                ids = list(s.scalars(text(
                    "SELECT rowid FROM reports_fts WHERE reports_fts MATCH :q ORDER BY rank LIMIT :n"),
                    {"q": expr, "n": limit}))
                rows = {r.id: r for r in s.scalars(select(ReportRow).where(ReportRow.id.in_(ids)))}
                hits = [rows[i] for i in ids if i in rows]
            else:
                conds = [ReportRow.clean_text.contains(v) for v in variants + [query]]
                hits = list(s.scalars(select(ReportRow).where(or_(*conds)).limit(limit)))
        return [(r.article_id, r.title, _snippet(r.clean_text, variants)) for r in hits]


def _epoch(at: datetime | None) -> int | None:
    """A stored time as Unix seconds (SQLite gives it back without its zone, which was UTC)."""
    if at is None:
        return None
    return int((at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp())


@dataclass
class EventFilter:
    since: str | None = None
    until: str | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | None = None
    civilian_targeting: bool | None = None
    article_id: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    include_background: bool = True
    include_rejected: bool = False
    include_superseded: bool = False  # events of a report that has a later version
    status: str | None = None  # machine (unreviewed), accepted, edited, rejected, added
    min_fatalities: int | None = None
    max_fatalities: int | None = None
    max_confidence: float | None = None  # the doubtful ones
    geo_precision: int | None = None  # 1 a town, 2 near one, 3 a region
    source: str | None = None  # an outlet or organisation the event is reported by


SORTABLE = {"event_date": EventRow.event_date, "event_type": EventRow.event_type, "actor1": EventRow.actor1,
            "admin1": EventRow.admin1, "fatalities": EventRow.fatalities, "status": EventRow.status}


def _order(sort: str, descending: bool) -> tuple:
    """ORDER BY for an event list: a known column (else the date), rows without a value last either
    way (an undated event is not the newest or the oldest), then the row id to break ties."""
    column = SORTABLE.get(sort, EventRow.event_date)
    return (column.desc().nulls_last(), EventRow.id.desc()) if descending else \
        (column.asc().nulls_last(), EventRow.id)


def _aware(at: datetime) -> datetime:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Conflict(Exception):
    """An edit made against a version of an event that is no longer the current one."""


def _set_record(row: EventRow, rec: dict) -> None:
    fresh = event_row(rec)
    for attr in ("record", "event_date", "event_type", "sub_event_type", "actor1", "admin1", "latitude",
                 "longitude", "fatalities", "civilian_targeting", "background", "pcode", "review_rank"):
        setattr(row, attr, getattr(fresh, attr))


AUDIT_SKIP = frozenset({"version", "evidence", "updated_at"})


def audit_changes(before: dict | None, after: dict | None) -> list[dict]:
    """What one audited change did, field by field ("fatalities.total": 3 -> 5), for the page and API."""
    flat_a, flat_b = _flat(before or {}), _flat(after or {})
    return [{"field": k, "before": flat_a.get(k), "after": flat_b.get(k)}
            for k in sorted(set(flat_a) | set(flat_b)) if flat_a.get(k) != flat_b.get(k) and k not in AUDIT_SKIP]


def _flat(rec: dict, prefix: str = "") -> dict:
    out: dict = {}
    for k, v in rec.items():
        if isinstance(v, dict) and k in ("fatalities", "location"):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def event_row(rec: dict) -> EventRow:
    values = event_values(rec)
    del values["superseded"], values["version"], values["updated_at"]
    return EventRow(**values)


def query_variants(query: str) -> list[str]:
    """The normalised query, the same without spaces, and each one-space split of a single word."""
    q = fts_text(query)
    if not q:
        return []
    out = [q]
    joined = q.replace(" ", "")
    if joined != q:
        out.append(joined)
    if " " not in q and len(q) >= 5:
        out += [f"{q[:i]} {q[i:]}" for i in range(2, len(q) - 1)]
    return out


def _snippet(clean: str, variants: list[str], width: int = 60) -> str:
    view = normalise(clean)
    flat = PUNCT.sub(lambda m: " " * len(m.group()), view.text)
    for v in variants:
        pos = flat.find(v)
        if pos >= 0:
            s, e = view.to_original(pos, pos + len(v))
            a, b = max(0, s - width), min(len(clean), e + width)
            return clean[a:b].replace("\n", " ")
    return clean[: 2 * width].replace("\n", " ")


def _sqlite_write_connection(dbapi_conn, record) -> None:  # noqa: ANN001 - DB-API hook
    _sqlite_pragmas(dbapi_conn, record)
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN IMMEDIATE itself


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API hook
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def open_store(db: str | None = None) -> Store:
    return Store(default_db_url(db))
