"""Reports and their extractions written many at a time, in one transaction, with set-based
statements (SQLAlchemy Core, not an ORM object per row).

One report stored alone goes the same way as a batch of one, so the rules below hold for both:
the same id with the same text is a duplicate; the same id with a new text is a new version
(`ID@v2`) that supersedes the latest one; the same text under a new id is a copy, kept as a
pointer with no events of its own; reports whose MinHash signatures are near are linked. Re-saving
an article's extraction replaces its machine-made events; events a person reviewed stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Connection, TextClause, delete, insert, or_, select, text, update

from rasad.model import Fingerprint, Report
from rasad.store.ranks import review_rank
from rasad.store.schema import AggregateRow, EventRow, ReportBand, ReportLink, ReportRow
from rasad.text.normalise import norm

MAX_NEAR_DUPLICATE_CANDIDATES = 50  # a flood of copies of one story links to the first ones (no n² work)
_REPORTS, _EVENTS, _BANDS = ReportRow.__table__, EventRow.__table__, ReportBand.__table__


@dataclass
class AddResult:
    status: str  # stored, duplicate (stored before), copy (the text of another report), version (an update)
    article_id: str  # the id the report's events are kept under (a version's own id)
    near_duplicates: list[str]
    copy_of: str | None = None  # a copy's original: its events are the original's, kept once

    @property
    def keeps_events(self) -> bool:
        """Whether the report's extraction is kept: not for a copy of another report."""
        return self.copy_of is None


@dataclass(frozen=True)
class _Row:
    id: int
    article_id: str
    content_hash: str
    copy_of: str | None


@dataclass
class _Known:
    """The stored reports a batch can meet, kept current as the batch adds its own."""

    by_id: dict[str, list[_Row]] = field(default_factory=dict)  # an article id (or the one it versions) -> rows
    original: dict[str, str] = field(default_factory=dict)  # content hash -> the first report with that text

    def add(self, row: _Row, version_of: str | None) -> None:
        for key in {row.article_id, version_of} - {None}:
            self.by_id.setdefault(key, []).append(row)  # type: ignore[index]
        if row.copy_of is None:
            self.original.setdefault(row.content_hash, row.article_id)


def add_reports(conn: Connection, reports: list[Report], fts: bool) -> tuple[list[AddResult], set[str]]:
    """Store reports in order (a later one may be a version or a copy of an earlier one); returns
    each one's result and the article ids the batch superseded."""
    known = _prefetch(conn, reports)
    superseded: set[str] = set()
    results = []
    for report in reports:
        fp = _fingerprint(report)
        same = known.by_id.get(report.article_id, [])  # in id order: prefetched so, then added so
        hit = next((r for r in same if r.content_hash == fp.content_hash), None)
        if hit is not None:
            results.append(AddResult("duplicate", hit.article_id, [], hit.copy_of))
            continue
        values = _report_values(report, fp)
        status = "stored"
        if same:
            status = "version"
            values["version_of"], values["article_id"] = report.article_id, f"{report.article_id}@v{len(same) + 1}"
            _supersede(conn, same[-1].article_id, values["article_id"])
            superseded.add(same[-1].article_id)
        else:
            values["copy_of"] = known.original.get(fp.content_hash)
            status = "copy" if values["copy_of"] else status
        rid = conn.execute(insert(_REPORTS), values).inserted_primary_key[0]
        known.add(_Row(rid, values["article_id"], fp.content_hash, values["copy_of"]), values["version_of"])
        near = [] if values["copy_of"] else _link_near_duplicates(conn, rid, fp)
        if fts:
            conn.execute(text("INSERT INTO reports_fts(rowid, body) VALUES (:id, :body)"),
                         {"id": rid, "body": fts_text(f"{report.title or ''}\n{values['clean_text']}")})
        results.append(AddResult(status, values["article_id"], near, values["copy_of"]))
    return results, superseded


def save_extractions(conn: Connection, kept: dict[str, tuple[list[dict], list[dict]]],
                     superseded: AbstractSet[str] = frozenset()) -> int:
    """Replace the machine-made events and figures of each article in `kept` (events a person
    reviewed stay); events of an article superseded in this batch are marked so. Returns the count written."""
    if not kept:
        return 0
    ids = list(kept)
    reviewed = set(conn.scalars(select(EventRow.event_id).where(
        EventRow.article_id.in_(ids), EventRow.status != "machine")))
    conn.execute(delete(EventRow).where(EventRow.article_id.in_(ids), EventRow.status == "machine"))
    conn.execute(delete(AggregateRow).where(AggregateRow.article_id.in_(ids)))
    rows = [event_values(rec, superseded=aid in superseded)
            for aid, (events, _a) in kept.items() for rec in events if rec["event_id"] not in reviewed]
    if rows:
        conn.execute(insert(_EVENTS), rows)
    figures = [{"article_id": aid, "record": a} for aid, (_e, aggs) in kept.items() for a in aggs]
    if figures:
        conn.execute(insert(AggregateRow.__table__), figures)
    return len(rows)


def keep_batch(conn: Connection, reports: list[Report], fts: bool,
               extraction: Callable[[int, AddResult], tuple[list[dict], list[dict]] | None]) -> list[AddResult]:
    """Reports, then the extraction `extraction(i, result)` gives for each kept one (None: none)."""
    results, superseded = add_reports(conn, reports, fts)
    kept: dict[str, tuple[list[dict], list[dict]]] = {}
    for i, res in enumerate(results):
        got = extraction(i, res)
        if got is not None:
            kept[res.article_id] = got
    save_extractions(conn, kept, superseded)
    return results


def event_values(rec: dict, superseded: bool = False) -> dict:
    """An event record as the events table's column values (a machine-made row)."""
    loc = rec.get("location") or {}
    return {
        "event_id": rec["event_id"], "article_id": rec["article_id"], "record": rec,
        "event_date": rec.get("event_date"), "event_type": rec["event_type"],
        "sub_event_type": rec["sub_event_type"], "actor1": rec.get("actor1"), "admin1": loc.get("admin1"),
        "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
        "fatalities": (rec.get("fatalities") or {}).get("total"),
        "civilian_targeting": bool(rec.get("civilian_targeting")), "background": bool(rec.get("background")),
        "status": "machine", "superseded": superseded, "version": 1, "updated_at": datetime.now(UTC),
        "pcode": loc.get("pcode"), "review_rank": review_rank(rec),
    }


PUNCT = re.compile(r"[^\w\s]+")


def fts_text(text: str) -> str:
    """What the full-text index holds: normalised words, punctuation gone, spaces collapsed."""
    return " ".join(PUNCT.sub(" ", norm(text)).split())


def _fingerprint(report: Report) -> Fingerprint:
    if report.fingerprint is None:
        raise ValueError(f"{report.article_id}: no fingerprint (reports are stored as ingest reads them)")
    return report.fingerprint


def _prefetch(conn: Connection, reports: list[Report]) -> _Known:
    """The stored reports with a batch report's id (or versioning it) or its text."""
    known = _Known()
    ids = list({r.article_id for r in reports})
    hashes = list({_fingerprint(r).content_hash for r in reports})
    c = _REPORTS.c
    rows = conn.execute(select(c.id, c.article_id, c.content_hash, c.copy_of, c.version_of).where(
        or_(c.article_id.in_(ids), c.version_of.in_(ids), c.content_hash.in_(hashes))).order_by(c.id))
    for rid, aid, chash, copy_of, version_of in rows:
        known.add(_Row(rid, aid, chash, copy_of), version_of)
    return known


def _report_values(report: Report, fp: Fingerprint) -> dict:
    return {
        "article_id": report.article_id, "content_hash": fp.content_hash, "minhash": fp.signature,
        "title": report.title, "url": report.url, "published": report.published, "source": report.source,
        "author": report.author, "origin": report.origin, "raw_text": report.raw or report.text,
        "clean_text": report.clean, "copy_of": None, "version_of": None, "superseded_by": None,
        "ingested_at": datetime.now(UTC),
    }


def _supersede(conn: Connection, older: str, newer: str) -> None:
    """A later version supersedes the latest one before it: its events stay, marked superseded."""
    conn.execute(update(_REPORTS).where(_REPORTS.c.article_id == older).values(superseded_by=newer))
    conn.execute(update(_EVENTS).where(_EVENTS.c.article_id == older).values(superseded=True))


@lru_cache(maxsize=8)
def _firsts_under(n_keys: int) -> TextClause:
    """The first few reports filed under each of `n_keys` bands, each read off the band index (written
    out once per band count: built as an expression per report, it cost more than the query)."""
    per_band = MAX_NEAR_DUPLICATE_CANDIDATES // max(1, n_keys) + 1
    parts = [f"SELECT report_id FROM (SELECT report_id FROM report_bands WHERE band = :b{i} ORDER BY id "
             f"LIMIT {per_band}) AS f{i}" for i in range(n_keys)]
    return text(" UNION ".join(parts))


def _link_near_duplicates(conn: Connection, rid: int, fp: Fingerprint) -> list[str]:
    keys = list(fp.bands)
    # The first few reports under each band, read straight off the band index: the cost of a report
    # stays the same however many near-copies of it the store already holds.
    cand_ids = set(conn.scalars(_firsts_under(len(keys)), {f"b{i}": k for i, k in enumerate(keys)})) if keys else set()
    conn.execute(insert(_BANDS), [{"report_id": rid, "band": k} for k in keys])
    found, links = [], []
    if cand_ids:
        c = _REPORTS.c
        for cid, aid, other in conn.execute(select(c.id, c.article_id, c.minhash).where(c.id.in_(cand_ids))):
            sim = fp.similarity(other)
            if sim >= fp.near_threshold:
                links.append({"report_a": rid, "report_b": cid, "similarity": round(sim, 3), "kind": "near_duplicate"})
                found.append(aid)
    if links:
        conn.execute(insert(ReportLink.__table__), links)
    return found
