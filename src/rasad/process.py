"""The verbs every front end shares: read reports, extract their events, store both.

The CLI, the web app, the benchmarks and the batch engines call these and nothing deeper, so a
report goes the same way into the store whichever door it came in by.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from rasad.extract.pipeline import Result, extract_report
from rasad.geo.gazetteer import Gazetteer
from rasad.ingest.furniture import load_rules, mask
from rasad.ingest.readers import IngestError, Item, finish, from_record, iter_inputs, read_text_report
from rasad.model import Report
from rasad.profile import Profile


@dataclass
class Extracted:
    """One report's extraction as plain records (what workers send back and the store keeps)."""

    report: Report
    events: list[dict]
    aggregates: list[dict]
    error: str | None = None


def read(inputs: list[str], profile: Profile, stdin: io.TextIOBase | None = None) -> Iterator[Item]:
    """Every report in paths, folders, URLs or '-', furniture masked; bad items as `IngestError`s."""
    return iter_inputs(inputs, stdin, profile)


def read_stored(store, profile: Profile) -> Iterator[Item]:  # store: rasad.store.Store
    """The reports `ingest` stored, read again as ingestion reads them (furniture masked), for
    `rasad extract --stored`; a copy or an article an update replaced is left out."""
    rules = load_rules(profile)
    for row in store.iter_reports():
        if row.copy_of or row.superseded_by:
            continue
        report = Report(article_id=row.article_id, text=row.raw_text, raw=row.raw_text, title=row.title,
                        url=row.url, published=row.published, source=row.source, author=row.author,
                        origin=row.origin)
        yield finish(report, rules)


def read_record(rec: dict, name: str, profile: Profile) -> Item:
    """A report from an API record: inline text or HTML, or a URL to fetch."""
    if rec.get("url") and not (rec.get("text") or rec.get("html")):
        return next(iter_inputs([rec["url"]], profile=profile), IngestError(rec["url"], "nothing read"))
    item = from_record(rec, name, None)
    if isinstance(item, IngestError):
        return item
    return finish(item, load_rules(profile))


EXTRACT_BUDGET_S = float(os.environ.get("RASAD_EXTRACT_BUDGET", 30))
EXTRACT_MEMORY_MB = float(os.environ.get("RASAD_EXTRACT_MEMORY_MB", 1024))


class OverBudget(Exception):
    pass


def extract_one(report: Report, gaz: Gazetteer, budget_s: float | None = None,
                memory_mb: float | None = None) -> Extracted:
    """The report's events and aggregate figures as records; a failure, or a report that takes
    longer than its time budget or more memory than its memory budget, is the item's error, never
    the batch's. (The budgets are kept by a timer signal and an address-space limit, so they hold
    in the CLI and the worker processes, where extraction runs in the main thread.)"""
    budget = EXTRACT_BUDGET_S if budget_s is None else budget_s
    memory = EXTRACT_MEMORY_MB if memory_mb is None else memory_mb
    try:
        with _time_budget(budget), _memory_budget(memory):
            res = extract_report(report, gaz)
    except OverBudget:
        return Extracted(report, [], [], f"extraction over its {budget:g} s budget")
    except MemoryError:
        return Extracted(report, [], [], f"extraction over its {memory:g} MB memory budget")
    except Exception as exc:  # the extractor must not stop a batch; the item is reported instead
        return Extracted(report, [], [], f"extraction failed ({exc.__class__.__name__}: {exc})")
    return Extracted(report, [e.to_record() for e in res.events], [a.to_record() for a in res.reports])


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def over(signum: int, frame: object) -> None:
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, over)
    # The timer fires again every 50 ms after the budget: a raise that lands where it is swallowed
    # (a garbage-collector callback) is raised again until it stops the extraction.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        _disarm(previous)


@contextmanager
def _memory_budget(megabytes: float) -> Iterator[None]:
    """At most `megabytes` more address space while the block runs (main thread only: the limit is
    the whole process's, and a server's other threads must not feel it)."""
    try:
        import resource
    except ImportError:  # not on this platform
        yield
        return
    if megabytes <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + int(megabytes * 2**20)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """The process's address space now, in bytes."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _disarm(previous: object) -> None:
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)  # type: ignore[arg-type]
            return
        except OverBudget:  # the timer fired on the way out: disarm again
            continue


def store_one(store, done: Extracted):  # store: rasad.store.Store -> AddResult
    """Keep the report and its extraction. A re-run replaces the events of the same report; an
    updated article's events are kept under its version's id (`ID@v2`); a copy of a report already
    stored keeps no events (they are the original's, counted once) and `done.events` is emptied."""
    res = store.add_report(done.report)
    kept = _kept_extraction(done, res)
    if kept is not None:
        try:
            store.save_extraction(res.article_id, *kept)
        except IntegrityError:  # another process saved this report's events a moment ago: save them again
            store.save_extraction(res.article_id, *kept)
    _settle(done, res, kept)
    return res


def store_batch(store, batch: list[Extracted]) -> list:  # store: rasad.store.Store -> [AddResult | Exception]
    """Keep many extractions in one transaction, as `store_one` keeps each; if the batch fails, each
    report is kept on its own, so one bad report costs only itself (its exception in its place)."""
    planned: dict[int, tuple[list[dict], list[dict]] | None] = {}

    def extraction(i: int, res) -> tuple[list[dict], list[dict]] | None:
        planned[i] = _kept_extraction(batch[i], res)
        return planned[i]

    try:
        results = store.keep_batch([d.report for d in batch], extraction)
    except Exception:  # nothing of the batch was written: each report on its own
        return [_attempt(store, d) for d in batch]
    for i, (done, res) in enumerate(zip(batch, results, strict=True)):
        _settle(done, res, planned[i])
    return results


STORE_BATCH = 200  # reports a writer commits at once
STORE_WAIT_S = 2.0  # ...or after this long, so a slow stream is never far from committed


def stored_stream(store, items: Iterable[Extracted | IngestError], batch: int = STORE_BATCH,
                  wait_s: float = STORE_WAIT_S) -> Iterator[tuple[Extracted | IngestError, object]]:
    """Each item, in order, with what the store made of it (an AddResult, an exception, or None for
    an item not stored: an error, or no store): the one writer of a batch run, committing every
    `batch` reports or `wait_s` seconds, so a crash loses at most the batch in hand, which a re-run redoes."""
    pending: list[Extracted | IngestError] = []
    since = time.monotonic()
    for item in items:
        if not pending:
            since = time.monotonic()
        pending.append(item)
        if len(pending) >= batch or time.monotonic() - since >= wait_s:
            yield from _flush(store, pending)
            pending = []
    yield from _flush(store, pending)


def _flush(store, pending: list) -> Iterator[tuple[Extracted | IngestError, object]]:
    good = [x for x in pending if isinstance(x, Extracted) and not x.error] if store is not None else []
    results = dict(zip(map(id, good), store_batch(store, good), strict=True)) if good else {}
    for item in pending:
        yield item, results.get(id(item))


def _attempt(store, done: Extracted):  # -> AddResult | Exception
    try:
        return store_one(store, done)
    except Exception as exc:  # reported in the item's place; the batch goes on
        return exc


def _kept_extraction(done: Extracted, res) -> tuple[list[dict], list[dict]] | None:
    """What the store keeps of an extraction, under the id the store gave it (not yet on `done`,
    so a rolled-back batch changes nothing)."""
    if not res.keeps_events:
        return None
    if res.article_id == done.report.article_id:
        return done.events, done.aggregates
    return _rekeyed(done, res.article_id)


def _settle(done: Extracted, res, kept: tuple[list[dict], list[dict]] | None) -> None:
    """`done` as stored: a copy's events emptied, a version's events under its version's id."""
    if kept is None:
        done.events, done.aggregates = [], []
    else:
        done.events, done.aggregates = kept
        done.report.article_id = res.article_id


def _rekeyed(done: Extracted, article_id: str) -> tuple[list[dict], list[dict]]:
    """An update's events under its version's id, with ids of their own (stable across re-runs)."""
    events = [dict(rec, article_id=article_id,
                   event_id=hashlib.sha1(f"{rec['event_id']}|{article_id}".encode()).hexdigest()[:16])
              for rec in done.events]
    return events, [dict(rec, article_id=article_id) for rec in done.aggregates]


def extract_text(text: str, gaz: Gazetteer, published: str | None = None, source: str | None = None,
                 article_id: str | None = None, url: str | None = None) -> Result:
    """Events and aggregate figures from one text, read as ingestion reads a plain-text report
    (headline on the first line, the profile's page furniture masked), so offsets point into `text`."""
    from rasad.tables import Extracted

    report = read_text_report(text, article_id=article_id, url=url, published=published, source=source)
    report.text = mask(text, report.title, load_rules(gaz.profile))  # no language check: any text is read
    result = extract_report(report, gaz)
    return Extracted(result.events, result.reports, profile=gaz.profile)


def _member(row: dict):  # -> rasad.link.incidents.Member
    """A stored event with its report's facts (store/incidents.py `link_members`), as linking reads it."""
    from rasad.link.incidents import Member

    return Member(row["record"], row["published"], row["source"], row["url"], row["origin"])


@dataclass
class Linked:
    """What one linking pass did."""

    new_members: int  # events placed in an incident for the first time
    incidents: int  # incidents in the store afterwards
    touched: int  # incidents founded or grown, whose records were written


def link_stored(store, profile: Profile) -> Linked:  # store: rasad.store.Store
    """Link the store's unlinked news events into its incidents (new or existing); only incidents
    that grew or lost events are summarised and written again, so a re-run with nothing new writes
    nothing, and an incident all of whose events went is dropped (unless a person reviewed it)."""
    from rasad.link.incidents import Incident, Member, link, telling_order
    from rasad.link.summary import summarise
    from rasad.store import incidents as stored

    left = stored.drop_departed(store)  # incidents some events left: summarised again below
    rows = stored.link_members(store)
    existing: dict[str, Incident] = {}
    new: list[Member] = []
    for r in rows:
        m = _member(r)
        if r["incident_id"]:
            existing.setdefault(r["incident_id"], Incident(r["incident_id"])).members.append(m)
        else:
            new.append(m)
    for inc in existing.values():
        inc.members.sort(key=telling_order)
    incidents = link(new, list(existing.values()))
    fresh = {m.event_id for m in new}
    touched = [inc for inc in incidents if inc.incident_id in left or any(m.event_id in fresh for m in inc.members)]
    stored.save_incidents(store, [summarise(inc, profile) for inc in touched],
                          {m.event_id: inc.incident_id for inc in touched for m in inc.members})
    placed = sum(1 for inc in touched for m in inc.members if m.event_id in fresh)
    return Linked(placed, stored.count_incidents(store), len(touched))


INCIDENT_ACTIONS = ("merge", "split", "confirm", "discount")


def review_incident(store, profile: Profile, incident_id: str, user: str, action: str,  # store: rasad.store.Store
                    other: str | None = None, event_ids: list[str] | None = None) -> dict:
    """A reviewer's verdict on an incident, audited like event edits: merge `other` into it, split
    `event_ids` out into an incident of their own, or confirm / discount it. Reviewed incidents keep
    their members when the store is linked again. Returns the incident's record afterwards."""
    from rasad.link.incidents import Incident, Member, telling_order
    from rasad.link.incidents import incident_id as new_id
    from rasad.link.summary import summarise
    from rasad.store import incidents as stored

    before = stored.get_incident(store, incident_id)
    if before is None or action not in INCIDENT_ACTIONS:
        raise KeyError(f"no incident {incident_id} or no action {action}")
    ids = stored.member_ids(store, incident_id)
    groups: dict[str, list[str]] = {incident_id: ids}
    removed: list[str] = []
    if action == "merge":
        if not other or other == incident_id or stored.get_incident(store, other) is None:
            raise KeyError(f"no incident {other} to merge")
        groups[incident_id] = ids + stored.member_ids(store, other)
        removed.append(other)
    elif action == "split":
        moved = [e for e in event_ids or [] if e in ids]
        if not moved or len(moved) == len(ids):
            raise KeyError("a split takes some, not all, of the incident's events")
        groups[incident_id] = [e for e in ids if e not in moved]
        groups[new_id(Member({"event_id": f"{moved[0]}|split"}))] = moved
    rows = {r["record"]["event_id"]: r for r in stored.link_members(store, [e for g in groups.values() for e in g])}
    records = []
    for gid, members in groups.items():
        inc = Incident(gid, sorted((_member(rows[e]) for e in members if e in rows), key=telling_order), reviewed=True)
        rec = summarise(inc, profile)
        if action in ("confirm", "discount") and gid == incident_id:
            rec["grade"] = "Confirmed" if action == "confirm" else "Discounted"
            rec["grade_reason"] = f"{rec['grade'].lower()} by reviewer {user}"
        records.append(rec)
    audit = [{"incident_id": incident_id, "user": user, "action": f"incident-{action}", "before": before,
              "after": records[0]}]
    stored.write_review(store, records, {e: gid for gid, g in groups.items() for e in g}, removed, audit)
    return records[0]
