"""Incidents in the store: the members linking reads, and the incident records it writes.

Functions over a `Store` (its sessions), so linking stays a stage of its own: it reads plain event
records with their reports' facts and gives back plain incident records.
"""

from __future__ import annotations

from sqlalchemy import case, delete, func, or_, select

from rasad.store.schema import AuditRow, EventRow, IncidentMemberRow, IncidentRow, ReportLink, ReportRow

REVIEWER_GRADES = ("Confirmed", "Discounted")
# A current news event: not background, not rejected by a reviewer, not superseded by a re-extraction.
CURRENT = (EventRow.background.is_(False), EventRow.status != "rejected", EventRow.superseded.is_(False))


def link_members(store, event_ids: list[str] | None = None) -> list[dict]:  # store: rasad.store.db.Store
    """The current news events (not background, rejected or superseded; or those named) with their
    reports' publication, source, address, the earlier report they nearly duplicate, and their incident."""
    with store.session() as s:
        q = (select(EventRow.record, ReportRow.published, ReportRow.source, ReportRow.url, ReportRow.id,
                    IncidentMemberRow.incident_id)
             .join(ReportRow, ReportRow.article_id == EventRow.article_id)
             .outerjoin(IncidentMemberRow, IncidentMemberRow.event_id == EventRow.event_id)
             .where(*CURRENT))
        if event_ids is not None:
            q = q.where(EventRow.event_id.in_(event_ids))
        rows = s.execute(q).all()
        ids = {r[4] for r in rows}
        earlier = _earlier_duplicates(s, ids)
    return [{"record": rec, "published": pub, "source": src, "url": url, "origin": earlier.get(rid),
             "incident_id": inc} for rec, pub, src, url, rid, inc in rows]


def _earlier_duplicates(s, report_ids: set[int]) -> dict[int, str]:  # s: Session
    """For each report, the article id of the earliest stored report it nearly duplicates."""
    if not report_ids:
        return {}
    pairs = s.execute(select(ReportLink.report_a, ReportLink.report_b).where(
        or_(ReportLink.report_a.in_(report_ids), ReportLink.report_b.in_(report_ids)))).all()
    first: dict[int, int] = {}
    for a, b in pairs:
        lo, hi = min(a, b), max(a, b)
        first[hi] = min(first.get(hi, lo), lo)
    names = {rid: aid for rid, aid in s.execute(
        select(ReportRow.id, ReportRow.article_id).where(ReportRow.id.in_(set(first.values()))))}
    return {rid: names[lo] for rid, lo in first.items() if lo in names}


def save_incidents(store, records: list[dict], members: dict[str, str]) -> None:
    """Write incident records (replacing those of the same ids) and event memberships; incidents no
    event belongs to any more go, unless a person reviewed them."""
    with store.writing.begin() as s:
        ids = [r["incident_id"] for r in records]
        previous = {i: rec for i, rec in s.execute(select(IncidentRow.incident_id, IncidentRow.record).where(
            IncidentRow.incident_id.in_(ids), IncidentRow.reviewed.is_(True)))}
        reviewed = set(previous)
        for r in records:  # a reviewer's grade stays when the incident grows
            kept = previous.get(r["incident_id"], {})
            if kept.get("grade") in REVIEWER_GRADES:
                r["grade"], r["grade_reason"] = kept["grade"], kept.get("grade_reason", "")
        _replace(s, ids, [_row(r, r["incident_id"] in reviewed or bool(r.get("reviewed"))) for r in records], members)
        live = select(IncidentMemberRow.incident_id)
        s.execute(delete(IncidentRow).where(IncidentRow.incident_id.not_in(live), IncidentRow.reviewed.is_(False)))


def _replace(s, ids: list[str], rows: list[IncidentRow], members: dict[str, str]) -> None:  # s: Session
    """Put `rows` in place of the incidents `ids`, and the events `members` in their incidents."""
    s.execute(delete(IncidentRow).where(IncidentRow.incident_id.in_(ids)))
    s.add_all(rows)
    s.execute(delete(IncidentMemberRow).where(IncidentMemberRow.event_id.in_(list(members))))
    s.add_all(IncidentMemberRow(event_id=e, incident_id=i) for e, i in members.items())


def _row(rec: dict, reviewed: bool) -> IncidentRow:
    return IncidentRow(incident_id=rec["incident_id"], record={**rec, "reviewed": reviewed},
                       event_date=rec.get("event_date"), reviewed=reviewed,
                       civilians_killed_best=(rec.get("civilians_killed") or {}).get("best"), **summary_columns(rec))


def summary_columns(rec: dict) -> dict:
    """An incident record's place, perpetrator, type and best toll as the incidents table's columns,
    so the dashboard filters and sums incidents without reading their records."""
    loc = rec.get("location") or {}
    killed = rec.get("killed") or {}
    low, high = killed.get("min"), killed.get("max")
    return {"admin1": loc.get("admin1"), "actor1": rec.get("actor1"), "event_type": rec.get("event_type"),
            "killed_best": killed.get("best"), "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
            "grade": rec.get("grade"), "killed_spread": high - low if low is not None and high is not None else None}


def to_review(store, limit: int = 10) -> list[dict]:  # store: rasad.store.db.Store
    """Incidents no person has reviewed, what most needs one first: contested ones (sources that
    contradict each other), then the widest spread of death tolls, then the highest toll."""
    contested = case((IncidentRow.grade == "Contested", 0), else_=1)
    with store.session() as s:
        q = select(IncidentRow.record).where(IncidentRow.reviewed.is_(False)).order_by(
            contested, func.coalesce(IncidentRow.killed_spread, -1).desc(),
            func.coalesce(IncidentRow.killed_best, -1).desc(), IncidentRow.incident_id).limit(limit)
        return list(s.scalars(q))


def incidents(store, since: str | None = None, until: str | None = None, limit: int | None = None,
              offset: int = 0) -> list[dict]:
    """Stored incident records, by day."""
    with store.session() as s:
        q = select(IncidentRow.record).order_by(IncidentRow.event_date, IncidentRow.incident_id)
        if since:
            q = q.where(IncidentRow.event_date >= since)
        if until:
            q = q.where(IncidentRow.event_date <= until)
        return list(s.scalars(q.offset(offset).limit(limit)))


def count_incidents(store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count(IncidentRow.id))) or 0


def get_incident(store, incident_id: str) -> dict | None:
    with store.session() as s:
        return s.scalar(select(IncidentRow.record).where(IncidentRow.incident_id == incident_id))


def drop_departed(store) -> set[str]:
    """Forget memberships of events no longer current (re-extracted away, rejected, superseded, now
    background); the incidents they left, to be summarised again."""
    current = select(EventRow.event_id).where(*CURRENT)
    with store.writing.begin() as s:
        gone = s.execute(select(IncidentMemberRow.event_id, IncidentMemberRow.incident_id)
                         .where(IncidentMemberRow.event_id.not_in(current))).all()
        if gone:
            s.execute(delete(IncidentMemberRow).where(IncidentMemberRow.event_id.in_([e for e, _i in gone])))
    return {i for _e, i in gone}


def member_ids(store, incident_id: str) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(IncidentMemberRow.event_id).where(IncidentMemberRow.incident_id == incident_id)))


def write_review(store, records: list[dict], members: dict[str, str], removed: list[str], audit: list[dict]) -> None:
    """A reviewer's change in one transaction: the incidents it rewrites (marked reviewed, so that
    relinking keeps them), their members, the incidents it empties, and its audit entries."""
    with store.writing.begin() as s:
        _replace(s, [r["incident_id"] for r in records] + removed, [_row(r, True) for r in records], members)
        s.add_all(AuditRow(event_id=a["incident_id"], user=a["user"], action=a["action"], before=a.get("before"),
                           after=a.get("after")) for a in audit)
