"""Batch extraction over any inputs, on one core or many, with every result stored as it comes.

Workers load the gazetteer once each; results come back in input order and are written to the
store report by report, so a crash mid-batch loses nothing already done and a re-run redoes the
same work to the same ids.
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice

from rasad.geo import gazetteer
from rasad.ingest import IngestError
from rasad.model import Report
from rasad.process import Extracted, extract_one
from rasad.profile import Profile

_GAZ: gazetteer.Gazetteer | None = None
CHUNK = 8  # reports sent to a worker at once: fewer round trips, the order still kept
_POOL: tuple[tuple, object] | None = None  # (key, pool): one pool stays up across batches


def _init(paths: list[str] | None, profile: Profile | None = None) -> None:
    global _GAZ
    _GAZ = gazetteer.load(paths, profile=profile)


def _one(report: Report) -> Extracted:
    assert _GAZ is not None
    return extract_one(report, _GAZ)


def _chunk(reports: list[Report]) -> list[tuple[list[dict], list[dict], str | None]]:
    """A worker's share: plain records only (the parent still holds the reports)."""
    out = []
    for report in reports:
        done = _one(report)
        out.append((done.events, done.aggregates, done.error))
    return out


def run(items: Iterable[Report | IngestError], gaz_paths: list[str] | None, workers: int = 1,
        published: str | None = None, profile: Profile | None = None) -> Iterator[Extracted | IngestError]:
    """Extract every report; ingestion errors pass through in place. With several workers, reports
    go out in chunks to a pool that stays up for the next batch, at most a few chunks per worker in
    flight, so memory stays bounded whatever the input's size."""

    def reports() -> Iterator[Report | IngestError]:
        for item in items:
            if isinstance(item, Report) and published and not item.published:
                item.published = published
            yield item

    if workers <= 1:
        _init(gaz_paths, profile)
        for item in reports():
            yield item if isinstance(item, IngestError) else _one(item)
        return
    pool = _pool(gaz_paths, profile, workers)
    pending: deque[tuple[list[Report | IngestError], object]] = deque()
    stream = reports()
    for chunk in iter(lambda: list(islice(stream, CHUNK)), []):
        sent = [replace(x, raw=None, fingerprint=None) for x in chunk if isinstance(x, Report)]  # what extraction reads
        pending.append((chunk, pool.apply_async(_chunk, (sent,)) if sent else None))  # type: ignore[attr-defined]
        if len(pending) >= workers * 4:
            yield from _settled(*pending.popleft())
    while pending:
        yield from _settled(*pending.popleft())


def _settled(chunk: list[Report | IngestError], job) -> Iterator[Extracted | IngestError]:  # noqa: ANN001
    done = iter(job.get() if job is not None else [])
    for item in chunk:
        if isinstance(item, IngestError):
            yield item
        else:
            events, aggregates, error = next(done)
            yield Extracted(item, events, aggregates, error)


def _pool(gaz_paths: list[str] | None, profile: Profile | None, workers: int):  # noqa: ANN202 - a Pool
    """The worker pool for these settings, started once and kept (closed at exit): workers load the
    gazetteer once, not once per batch."""
    global _POOL
    key = (gazetteer.identity(gaz_paths, profile), workers)  # new data or profile files: a new pool
    if _POOL is not None and _POOL[0] == key:
        return _POOL[1]
    shutdown()
    ctx = mp.get_context("fork" if os.name == "posix" else "spawn")
    pool = ctx.Pool(workers, initializer=_init, initargs=(gaz_paths, profile))
    _POOL = (key, pool)
    return pool


@atexit.register
def shutdown() -> None:
    """Stop the kept pool's workers."""
    global _POOL
    if _POOL is not None:
        pool = _POOL[1]
        _POOL = None
        pool.terminate()  # type: ignore[attr-defined]
        pool.join()  # type: ignore[attr-defined]


def batch(inputs: Iterable[str] | Iterable[dict], gazetteer: list[str] | None = None, workers: int = 1,
          published: str | None = None, profile: Profile | None = None) -> Iterator[Extracted | IngestError]:
    """Many reports for a notebook or a script, in input order, with `workers` processes: paths,
    folders and URLs as the CLI reads them, or records ({"id", "text" or "html", "published", ...}).
    Each comes back as an `Extracted` (the report, its events as records, its aggregates) or an
    `IngestError`; nothing is stored."""
    from rasad import process

    profile = profile or Profile.load()
    items = list(inputs)
    if all(isinstance(x, str) for x in items):
        reports: Iterable[Report | IngestError] = process.read(items, profile)  # type: ignore[arg-type]
    else:
        reports = (process.read_record(x, str(x.get("id") or f"record-{i}"), profile)  # type: ignore[union-attr]
                   for i, x in enumerate(items))
    return run(reports, gazetteer, workers, published, profile)
