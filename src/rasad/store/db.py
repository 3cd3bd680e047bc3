"""The store: reports, events, review audit; every write in its own transaction.

A report is committed as soon as it is ingested, so a crash mid-batch loses nothing already
stored, and re-running skips what is there (same article id or same content) without duplicates.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import create_engine, delete, event, or_, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from rasad.ingest.identity import (
    NEAR_DUPLICATE_SIMILARITY,
    band_keys,
    content_hash,
    minhash,
    pack,
    similarity,
    unpack,
    words,
)
from rasad.model import Report
from rasad.store.schema import AggregateRow, EventRow, ReportBand, ReportLink, ReportRow
from rasad.text.normalise import norm, normalise

MAX_NEAR_DUPLICATE_CANDIDATES = 50


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


@dataclass
class AddResult:
    status: str  # stored, duplicate
    article_id: str
    near_duplicates: list[str]


def migrate(engine: Engine) -> None:
    cfg = Config(str(Path(__file__).parent / "alembic.ini"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    # ---- reports -------------------------------------------------------------------------
    def add_report(self, report: Report) -> AddResult:
        clean = report.clean
        ws = words(clean)
        chash = content_hash(ws)
        with self.session.begin() as s:
            dup = s.scalar(select(ReportRow.article_id).where(
                or_(ReportRow.article_id == report.article_id, ReportRow.content_hash == chash)))
            if dup:
                return AddResult("duplicate", dup, [])
            sig = minhash(ws)
            row = ReportRow(
                article_id=report.article_id, content_hash=chash, minhash=pack(sig), title=report.title,
                url=report.url,
                published=report.published, source=report.source, author=report.author,
                origin=report.origin, raw_text=report.raw or report.text, clean_text=clean,
            )
            s.add(row)
            s.flush()
            near = self._link_near_duplicates(s, row, sig)
            if self.is_sqlite:
                s.execute(text("INSERT INTO reports_fts(rowid, body) VALUES (:id, :body)"),
                          {"id": row.id, "body": fts_text(f"{report.title or ''}\n{clean}")})
        return AddResult("stored", report.article_id, near)

    def _link_near_duplicates(self, s: Session, row: ReportRow, sig: list[int]) -> list[str]:
        keys = band_keys(sig)
        # Capped: a flood of copies of one story links to the first ones, not to every copy (no n² work).
        cand_ids = set(s.scalars(select(ReportBand.report_id).where(ReportBand.band.in_(keys))
                                 .distinct().limit(MAX_NEAR_DUPLICATE_CANDIDATES)))
        s.add_all(ReportBand(report_id=row.id, band=k) for k in keys)
        found = []
        if cand_ids:
            for cid, aid, other in s.execute(select(ReportRow.id, ReportRow.article_id, ReportRow.minhash)
                                             .where(ReportRow.id.in_(cand_ids))).all():
                sim = similarity(sig, unpack(other))
                if sim >= NEAR_DUPLICATE_SIMILARITY:
                    s.add(ReportLink(report_a=row.id, report_b=cid, similarity=round(sim, 3)))
                    found.append(aid)
        return found

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
        with self.session.begin() as s:
            kept = set(s.scalars(select(EventRow.event_id).where(
                EventRow.article_id == article_id, EventRow.status != "machine")))
            s.execute(delete(EventRow).where(EventRow.article_id == article_id, EventRow.status == "machine"))
            s.execute(delete(AggregateRow).where(AggregateRow.article_id == article_id))
            written = 0
            for rec in events:
                if rec["event_id"] in kept:
                    continue
                s.add(event_row(rec))
                written += 1
            s.add_all(AggregateRow(article_id=article_id, record=a) for a in aggregates)
        return written

    def events(self, since: str | None = None, until: str | None = None, admin1: str | None = None,
               actor: str | None = None, event_type: str | None = None, include_rejected: bool = False,
               limit: int | None = None, offset: int = 0) -> list[dict]:
        """Stored event records, filtered; parameters are bound, never pasted into SQL."""
        with self.session() as s:
            q = select(EventRow.record).order_by(EventRow.event_date, EventRow.id)
            if since:
                q = q.where(EventRow.event_date >= since)
            if until:
                q = q.where(EventRow.event_date <= until)
            if admin1:
                q = q.where(EventRow.admin1 == admin1)
            if actor:
                q = q.where(EventRow.actor1 == actor)
            if event_type:
                q = q.where(EventRow.event_type == event_type)
            if not include_rejected:
                q = q.where(EventRow.status != "rejected")
            return list(s.scalars(q.offset(offset).limit(limit)))

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


_PUNCT = re.compile(r"[^\w\s]+")


def fts_text(text: str) -> str:
    """What the full-text index holds: normalised words, punctuation gone, spaces collapsed."""
    return " ".join(_PUNCT.sub(" ", norm(text)).split())


def event_row(rec: dict) -> EventRow:
    loc = rec.get("location") or {}
    return EventRow(
        event_id=rec["event_id"], article_id=rec["article_id"], record=rec, event_date=rec.get("event_date"),
        event_type=rec["event_type"], sub_event_type=rec["sub_event_type"], actor1=rec.get("actor1"),
        admin1=loc.get("admin1"), latitude=loc.get("latitude"), longitude=loc.get("longitude"),
        fatalities=(rec.get("fatalities") or {}).get("total"), civilian_targeting=bool(rec.get("civilian_targeting")),
        background=bool(rec.get("background")), status="machine",
    )


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
    flat = _PUNCT.sub(lambda m: " " * len(m.group()), view.text)
    for v in variants:
        pos = flat.find(v)
        if pos >= 0:
            s, e = view.to_original(pos, pos + len(v))
            a, b = max(0, s - width), min(len(clean), e + width)
            return clean[a:b].replace("\n", " ")
    return clean[: 2 * width].replace("\n", " ")


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API hook
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def open_store(db: str | None = None) -> Store:
    return Store(default_db_url(db))
