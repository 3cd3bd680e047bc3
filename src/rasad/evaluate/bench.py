"""Benchmarks that print figures: throughput and peak memory, measured, not asserted."""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from rasad.extras import need
from rasad.ingest import IngestError, iter_inputs


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_workers_mb() -> float:
    """Peak resident set size of the largest worker process that has ended (a pool's, once shut down)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_rss_mb()


def bench_ingest(inputs: list[str]) -> dict:
    """Read, clean and store every input into a fresh temporary database."""
    from rasad.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        t0 = time.perf_counter()
        n = failed = 0
        nbytes = 0
        for item in iter_inputs(inputs):
            if isinstance(item, IngestError):
                failed += 1
                continue
            store.add_report(item)
            n += 1
            nbytes += len(item.raw.encode("utf-8")) if item.raw else 0
        dt = time.perf_counter() - t0
    return {"reports": n, "failed": failed, "seconds": round(dt, 3), "reports_per_s": round(n / dt, 1),
            "mb_per_s": round(nbytes / 2**20 / dt, 2), "peak_rss_mb": round(peak_rss_mb(), 1)}


def bench_gazetteer(paths: list[str] | None) -> dict:
    """Cold build (no cache) and warm load (from the disk cache), with the memory each takes."""
    from rasad.geo import gazetteer

    base = current_rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RASAD_CACHE_DIR"] = tmp
        t0 = time.perf_counter()
        gaz = gazetteer.load(paths)
        cold = time.perf_counter() - t0
        gazetteer._LOADED.clear()
        del gaz
        t0 = time.perf_counter()
        gaz = gazetteer.load(paths)
        _ = gaz.matcher.automaton
        warm = time.perf_counter() - t0
        os.environ.pop("RASAD_CACHE_DIR")
    return {"places": len(gaz.places), "keys": len(gaz.keys), "cold_build_s": round(cold, 3),
            "warm_load_s": round(warm, 3), "rss_over_baseline_mb": round(current_rss_mb() - base, 1),
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def bench_extract(inputs: list[str], gaz_paths: list[str] | None, workers: int, runs: int = 3) -> dict:
    """Extraction throughput on one core and on `workers` cores, with the whole gazetteer loaded:
    the median of `runs` passes, with the slowest and fastest, since one pass of a few seconds on a
    shared machine varies by a fifth."""
    from rasad.engines import pool as batch
    from rasad.geo import gazetteer

    reports = [r for r in iter_inputs(inputs) if not isinstance(r, IngestError)]
    mb = sum(len(r.text.encode("utf-8")) for r in reports) / 2**20
    t0 = time.perf_counter()
    gazetteer.load(gaz_paths)  # start-up (gazetteer, lexicons, matchers) is timed apart from throughput
    list(batch.run(reports[:5], gaz_paths, 1))
    out: dict = {"reports": len(reports), "megabytes": round(mb, 2),
                 "startup_s": round(time.perf_counter() - t0, 2)}
    for label, n in (("1_core", 1), (f"{workers}_cores", workers)):
        times = []
        for _ in range(max(1, runs)):
            t0 = time.perf_counter()
            events = sum(len(x.events) for x in batch.run(reports, gaz_paths, n))
            times.append(time.perf_counter() - t0)
        dt = statistics.median(times)
        out[f"{label}_reports_per_s"] = round(len(reports) / dt, 1)
        out[f"{label}_reports_per_s_range"] = f"{len(reports) / max(times):.1f}-{len(reports) / min(times):.1f}"
        out[f"{label}_mb_per_s"] = round(mb / dt, 3)
        out[f"{label}_events"] = events
    batch.shutdown()  # the kept pool's workers end, so their peak memory is counted
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    out["peak_rss_worker_mb"] = round(peak_rss_workers_mb(), 1)
    return out


def _dev_texts(inputs: list[str]) -> list[dict]:
    """The inputs' reports as records to repeat: text, title, published."""
    return [{"text": r.text, "title": r.title, "published": r.published, "source": r.source}
            for r in iter_inputs(inputs) if not isinstance(r, IngestError)]


def write_corpus(inputs: list[str], n: int, path: Path) -> int:
    """`n` reports as JSON Lines: the inputs repeated with new ids, each repeat's text marked with
    its number, so no report is a byte copy of another (copies keep no events of their own)."""
    import json

    base = _dev_texts(inputs)
    if not base:
        return 0
    size = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rec = dict(base[i % len(base)])
            k = i // len(base)
            rec["id"] = f"bench-{i}"
            if k:
                rec["text"] = f"{rec['text']}\n\n(نسخة {k})"
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            size += len(line.encode("utf-8"))
            fh.write(line)
    return size


@contextmanager
def _repeated(inputs: list[str], n: int) -> Iterator[tuple[Path, int]]:
    """`corpus.jsonl` of `n` reports (`write_corpus`) in a temporary folder, with its size in bytes
    (0 when the inputs hold no report); the folder goes with everything written beside it."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        yield corpus, write_corpus(inputs, n, corpus)


def bench_pipeline(inputs: list[str], gaz_paths: list[str] | None, n: int, workers: int,
                   db_url: str | None = None) -> dict:
    """End-to-end `rasad extract` with the store: read a JSONL of `n` reports, extract, store in
    batches, stream the events out, as the CLI does. Prints reports/s overall and per tenth of the
    run (a store that slows as it grows shows as a falling rate), and peak memory per process."""
    from rasad import process
    from rasad.engines import pool
    from rasad.export import write_events
    from rasad.geo import gazetteer
    from rasad.profile import Profile
    from rasad.store import Store

    profile = Profile.load()
    with _repeated(inputs, n) as (corpus, nbytes):
        if not nbytes:
            return {"reports": 0}
        store = Store(db_url or f"sqlite:///{corpus.parent / 'bench.db'}")
        gazetteer.load(gaz_paths, profile=profile)
        marks: list[float] = []
        t0 = time.perf_counter()
        tenth = max(1, n // 10)

        def events():
            done = 0
            for item, _res in process.stored_stream(
                    store, pool.run(process.read([str(corpus)], profile), gaz_paths, workers, None, profile)):
                done += 1
                if done % tenth == 0:
                    marks.append(time.perf_counter())
                yield from getattr(item, "events", [])

        with open(os.devnull, "w", encoding="utf-8") as sink:
            n_events = write_events(events(), "jsonl", sink, profile)
        took = time.perf_counter() - t0
        pool.shutdown()
    rates = [round(tenth / (b - a), 1) for a, b in zip([t0, *marks], marks, strict=False)]
    return {"reports": n, "workers": workers, "megabytes": round(nbytes / 2**20, 1), "events": n_events,
            "seconds": round(took, 1), "reports_per_s": round(n / took, 1),
            "reports_per_s_per_worker": round(n / took / max(1, workers), 1),
            "mb_per_s": round(nbytes / 2**20 / took, 2),
            "rate_by_tenth": rates, "last_over_first_tenth": round(rates[-1] / rates[0], 2) if rates else None,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "peak_rss_worker_mb": round(peak_rss_workers_mb(), 1)}


def bench_length(inputs: list[str], gaz_paths: list[str] | None, sizes_kb: list[int], material_kb: int = 1024) -> dict:
    """Cost per KB by report length: the inputs' texts joined and cut into reports of each size, the
    same material (at least `material_kb`) read at every size, so only the length differs. Prints ms
    per KB at each size, the ratio of the longest to 10 KB, and the slowest report per 100 KB."""
    from rasad.geo import gazetteer
    from rasad.model import Report
    from rasad.process import extract_one

    gaz = gazetteer.load(gaz_paths)
    blob = "\n\n".join(r["text"] for r in _dev_texts(inputs))
    if not blob:
        return {}
    out: dict = {}
    worst = 0.0
    extract_one(Report(article_id="warm-up", text=blob[:5000], published="2024-01-01"), gaz)  # lexicons loaded
    for kb in sizes_kb:
        chars = _chars_for(blob, kb * 1024)
        total = max(material_kb, kb) * 1024
        reports = max(1, round(total / (kb * 1024)))
        spent = nbytes = 0.0
        for i in range(reports):
            text = _slice(blob, (i * chars) % len(blob), chars)
            t = time.perf_counter()
            done = extract_one(Report(article_id=f"len-{kb}-{i}", text=text, published="2024-01-01"), gaz,
                               budget_s=0)
            took = time.perf_counter() - t
            size = len(text.encode("utf-8"))
            spent, nbytes = spent + took, nbytes + size
            if size >= 10 * 1024:  # below that, a report's cost is not its length's
                worst = max(worst, took / (size / (100 * 1024)))
            if done.error:
                out[f"error_{kb}kb"] = done.error
        out[f"ms_per_kb_at_{kb}kb"] = round(spent * 1000 / (nbytes / 1024), 3)
    if 10 in sizes_kb:
        ref = out["ms_per_kb_at_10kb"]
        out["longest_over_10kb"] = round(out[f"ms_per_kb_at_{max(sizes_kb)}kb"] / ref, 2)
    out["slowest_s_per_100kb"] = round(worst, 3)  # over reports of 10 KB and more
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def _chars_for(blob: str, nbytes: int) -> int:
    """How many characters of the material make about `nbytes` of UTF-8."""
    sample = blob[:200_000]
    return max(1, int(nbytes * len(sample) / len(sample.encode("utf-8"))))


def _slice(blob: str, start: int, length: int) -> str:
    """`length` characters of the material from `start`, wrapping round."""
    reps = (start + length) // len(blob) + 1
    return (blob * reps)[start:start + length] if reps > 1 else blob[start:start + length]


def bench_link(inputs: list[str], gaz_paths: list[str] | None, n_events: int = 100_000,
               new_reports: int = 1_000) -> dict:
    """Linking at scale: the dev set's news events repeated with shifted days (so copies never meet)
    to `n_events`, linked in one pass; then the events of `new_reports` more reports linked into
    those incidents incrementally. Prints events/s and peak memory."""
    from datetime import date, timedelta

    from rasad.geo import gazetteer
    from rasad.ingest import iter_inputs
    from rasad.link.incidents import Member, link
    from rasad.link.summary import summarise
    from rasad.process import extract_one

    gaz = gazetteer.load(gaz_paths)
    base: list[Member] = []
    for item in iter_inputs(inputs):
        if isinstance(item, IngestError):
            continue
        done = extract_one(item, gaz)
        base += [Member(r, item.published, item.source) for r in done.events if not r["background"]]
    if not base:
        return {"events": 0}

    def shifted(k: int) -> list[Member]:
        out = []
        for m in base:
            rec = dict(m.record, event_id=f"{m.event_id}-{k}", article_id=f"{m.article_id}-{k}")
            if rec.get("event_date"):
                rec["event_date"] = (date.fromisoformat(rec["event_date"]) + timedelta(days=40 * k)).isoformat()
                rec["date_range"] = None
            out.append(Member(rec, m.published, m.source))
        return out

    copies = max(1, n_events // len(base))
    members = [m for k in range(copies) for m in shifted(k)]
    t = time.perf_counter()
    incidents = link(members)
    for inc in incidents:
        summarise(inc)
    took = time.perf_counter() - t
    extra = shifted(copies)[: max(1, new_reports * len(base) // max(1, len({m.article_id for m in base})))]
    t = time.perf_counter()
    grown = link(extra, incidents)
    more = time.perf_counter() - t
    return {"events": len(members), "incidents": len(incidents), "link_s": round(took, 2),
            "events_per_s": round(len(members) / took), "new_events": len(extra),
            "incremental_link_s": round(more, 2), "incidents_after": len(grown),
            "peak_rss_mb": round(peak_rss_mb(), 1)}


def bench_dask(inputs: list[str], gaz_paths: list[str] | None, n: int, workers: int) -> dict:
    """The same `n` reports extracted by the built-in pool and by a local Dask cluster of as many
    worker processes (partitions written to a temporary folder, nothing stored): reports/s each, and
    Dask's rate over the pool's. Each engine's start (pool or cluster) is timed apart, as in `extract`."""
    from rasad import process
    from rasad.engines import dask_engine, pool
    from rasad.profile import Profile

    profile = Profile.load()
    with _repeated(inputs, n) as (corpus, size):
        if not size:
            return {"reports": 0}
        list(pool.run(islice(process.read([str(corpus)], profile), 16), gaz_paths, workers, None, profile))  # started
        t = time.perf_counter()
        events = sum(len(getattr(x, "events", [])) for x in
                     pool.run(process.read([str(corpus)], profile), gaz_paths, workers, None, profile))
        pooled = time.perf_counter() - t
        pool.shutdown()
        distributed = need("distributed", "dask", "the Dask benchmark")
        with dask_engine.local_cluster(workers) as cluster, distributed.Client(cluster) as client:
            client.run(lambda: __import__("rasad.extract.pipeline"))  # workers started and warm, as the pool's
            t = time.perf_counter()
            done = dask_engine.run_on(client, [str(corpus)], str(corpus.parent / "parts"), gaz_paths, profile,
                                      blocksize=max(2**16, size // (workers * 8)))  # partitions to balance
            dasked = time.perf_counter() - t
    return {"reports": n, "workers": workers, "pool_reports_per_s": round(n / pooled, 1), "pool_events": events,
            "dask_reports_per_s": round(n / dasked, 1), "dask_events": done["events"],
            "dask_partitions": done["partitions"], "dask_over_pool": round(pooled / dasked, 2)}
