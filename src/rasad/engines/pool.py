"""Batch extraction over any inputs, on one core or many, with every result stored as it comes.

Workers load the gazetteer once each; results come back in input order and are written to the
store report by report, so a crash mid-batch loses nothing already done and a re-run redoes the
same work to the same ids.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator

from rasad.geo import gazetteer
from rasad.ingest import IngestError
from rasad.model import Report
from rasad.process import Extracted, extract_one
from rasad.profile import Profile

_GAZ: gazetteer.Gazetteer | None = None


def _init(paths: list[str] | None, profile: Profile | None = None) -> None:
    global _GAZ
    _GAZ = gazetteer.load(paths, profile=profile)


def _one(report: Report) -> Extracted:
    assert _GAZ is not None
    return extract_one(report, _GAZ)


def run(items: Iterable[Report | IngestError], gaz_paths: list[str] | None, workers: int = 1,
        published: str | None = None, profile: Profile | None = None) -> Iterator[Extracted | IngestError]:
    """Extract every report; ingestion errors pass through in place."""

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
    ctx = mp.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(gaz_paths, profile)) as pool:
        pending: list = []
        for item in reports():
            pending.append(item if isinstance(item, IngestError) else pool.apply_async(_one, (item,)))
            if len(pending) >= workers * 8:
                first = pending.pop(0)
                yield first if isinstance(first, IngestError) else first.get()
        for p in pending:
            yield p if isinstance(p, IngestError) else p.get()


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
