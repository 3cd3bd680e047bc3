"""Extraction on a Dask cluster, for archives one machine would take days over.

Inputs are JSON Lines, CSV or Parquet files, local or at any fsspec URL (s3://, gs://, https://),
cut into partitions; each worker extracts its partitions with the gazetteer scattered to it once,
and writes two Parquet files per partition into the output folder: `events/part-N.parquet`
(GeoParquet in the flat schema, plus each full event record as JSON in `record`) and
`reports/part-N.parquet` (the reports as read, with their aggregate figures and any error).
Nothing is stored on the cluster: `rasad load FOLDER` then keeps the partitions in the store
(SQLite or PostgreSQL) through the same batch writer `rasad extract` uses, so versions, copies
and re-runs come out the same whichever engine extracted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from rasad.extras import need
from rasad.geo import gazetteer as gazetteers
from rasad.ingest import IngestError
from rasad.ingest.furniture import load_rules
from rasad.ingest.readers import finish, from_record, json_record
from rasad.model import Report
from rasad.process import Extracted, extract_one
from rasad.profile import Profile

REPORT_COLUMNS = ("article_id", "text", "title", "url", "published", "source", "author", "origin")


def run(inputs: list[str], out_dir: str, gaz_paths: list[str] | None, profile: Profile,
        scheduler: str | None = None, workers: int = 2, blocksize: str | int = "16MB",
        published: str | None = None) -> dict[str, Any]:
    """Extract every input on the cluster at `scheduler` (or a local one of `workers` processes);
    returns counts and the item errors, one line each."""
    distributed = need("distributed", "dask", "the Dask engine")
    cluster = None if scheduler else local_cluster(workers)
    try:
        with distributed.Client(scheduler or cluster) as client:
            return run_on(client, inputs, out_dir, gaz_paths, profile, blocksize, published)
    finally:
        if cluster is not None:
            cluster.close()


def local_cluster(workers: int):  # noqa: ANN201 - a distributed.LocalCluster
    """A cluster of `workers` single-threaded processes on this machine (extraction holds the GIL)."""
    distributed = need("distributed", "dask", "the Dask engine")
    return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                    dashboard_address=None)


def run_on(client, inputs: list[str], out_dir: str, gaz_paths: list[str] | None, profile: Profile,  # noqa: ANN001
           blocksize: str | int = "16MB", published: str | None = None) -> dict[str, Any]:
    """The extraction on a connected client's cluster."""
    dask = need("dask", "dask", "the Dask engine")
    bag = _records(inputs, blocksize)
    gaz = gazetteers.load(gaz_paths, profile=profile)
    [shipped] = client.scatter([gaz], broadcast=True)  # once per worker, not once per task
    tasks = [dask.delayed(extract_partition)(part, i, out_dir, shipped, published)
             for i, part in enumerate(bag.to_delayed())]
    stats = client.compute(tasks, sync=True)
    return {"partitions": len(stats), "reports": sum(s["reports"] for s in stats),
            "events": sum(s["events"] for s in stats), "errors": [e for s in stats for e in s["errors"]]}


def _records(inputs: list[str], blocksize: str):  # noqa: ANN202 - a dask Bag of record dicts
    """One bag of records over all inputs: JSON Lines split into blocks, CSV and Parquet by file."""
    db = need("dask.bag", "dask", "the Dask engine")
    bags = []
    for spec in inputs:
        low = spec.lower()
        if low.endswith((".parquet", ".pq")) or low.rstrip("/").endswith("parquet") and "." not in low[-9:]:
            ddf = need("dask.dataframe", "dask", "Parquet input on Dask").read_parquet(spec)
            bags.append(ddf.to_bag(format="dict"))
        elif low.endswith(".csv"):
            ddf = need("dask.dataframe", "dask", "CSV input on Dask").read_csv(spec, dtype=str, blocksize=None)
            bags.append(ddf.to_bag(format="dict"))
        else:
            bags.append(db.read_text(spec, blocksize=blocksize, encoding="utf-8").map(_json_line))
    return db.concat(bags)


def _json_line(line: str) -> dict[str, Any]:
    """A line of a partition as a record, or {"__error__": why} (a bag holds dicts, not errors)."""
    line = line.strip()
    if not line:
        return {}
    rec = json_record(line)
    return {"__error__": rec} if isinstance(rec, str) else rec


def extract_partition(records: Iterable[dict], index: int, out_dir: str, gaz: gazetteers.Gazetteer,
                      published: str | None = None) -> dict[str, Any]:
    """One partition, on a worker: read, extract, and write its two Parquet files."""
    rules = load_rules(gaz.profile)
    done: list[Extracted] = []
    errors: list[str] = []
    for k, rec in enumerate(records):
        if not rec:
            continue
        where = f"part-{index}:{k + 1}"
        item = IngestError(where, rec["__error__"]) if "__error__" in rec else from_record(_clean(rec), where, None)
        if isinstance(item, IngestError):
            errors.append(str(item))
            continue
        report = finish(item, rules, identify=False)  # fingerprinted once, where it is stored (load)
        if isinstance(report, IngestError):
            errors.append(str(report))
            continue
        if published and not report.published:
            report.published = published
        got = extract_one(report, gaz)
        if got.error:
            errors.append(f"error: {report.article_id}: {got.error}")
        done.append(got)
    write_partition(done, out_dir, index, gaz.profile)
    return {"reports": len(done), "events": sum(len(d.events) for d in done), "errors": errors}


def _clean(rec: dict) -> dict:
    """A table row as a record: missing cells (NaN, None) left out."""
    return {k: v for k, v in rec.items() if isinstance(v, str) or (v is not None and v == v)}


def write_partition(done: list[Extracted], out: str, index: int, profile: Profile) -> None:
    """events/part-N.parquet and reports/part-N.parquet for one partition, in a local folder or at an
    fsspec URL (written whole, then moved into place, so a re-run or a crashed task never leaves half
    a file)."""
    from rasad.export.parquet import write_parquet
    from rasad.export.registry import ExportOptions

    pa = need("pyarrow", "parquet", "Parquet partitions")
    pq = need("pyarrow.parquet", "parquet", "Parquet partitions")
    fs, root = _fs(out)
    name = f"part-{index:05d}.parquet"
    for sub in ("events", "reports"):
        fs.makedirs(f"{root}/{sub}", exist_ok=True)
    with fs.open(f"{root}/events/{name}.tmp", "wb") as fh:
        write_parquet((e for d in done for e in d.events), fh, profile, ExportOptions(record_column=True))
    fs.mv(f"{root}/events/{name}.tmp", f"{root}/events/{name}")
    rows = [{**{c: getattr(d.report, c) for c in REPORT_COLUMNS}, "text": d.report.raw or d.report.text,
             "aggregates": json.dumps(d.aggregates, ensure_ascii=False), "error": d.error} for d in done]
    schema = pa.schema([(c, pa.string()) for c in (*REPORT_COLUMNS, "aggregates", "error")])
    with fs.open(f"{root}/reports/{name}.tmp", "wb") as fh:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), fh)
    fs.mv(f"{root}/reports/{name}.tmp", f"{root}/reports/{name}")


def _fs(url: str):  # noqa: ANN202 - (fsspec filesystem, path in it)
    fsspec = need("fsspec", "dask", "the Dask engine")
    fs, root = fsspec.core.url_to_fs(url)
    return fs, root.rstrip("/")


def load(folder: str, profile: Profile) -> Iterator[Extracted | IngestError]:
    """A Dask run's partitions, partition by partition, as the extractions `rasad extract` would
    have made: reports read again as ingestion reads them (fingerprints, furniture), events as extracted."""
    pq = need("pyarrow.parquet", "parquet", "Parquet partitions")
    rules = load_rules(profile)
    fs, root = _fs(folder)
    for part in sorted(fs.glob(f"{root}/reports/part-*.parquet")):
        name = part.rsplit("/", 1)[-1]
        events: dict[str, list[dict]] = {}
        if fs.exists(f"{root}/events/{name}"):
            with fs.open(f"{root}/events/{name}", "rb") as fh:
                for raw in pq.read_table(fh, columns=["record"]).column("record").to_pylist():
                    rec = json.loads(raw)
                    events.setdefault(rec["article_id"], []).append(rec)
        with fs.open(part, "rb") as fh:
            rows = pq.read_table(fh).to_pylist()
        for row in rows:
            yield _loaded(row, events, rules, name)


def _loaded(row: dict, events: dict[str, list[dict]], rules, part: str) -> Extracted | IngestError:  # noqa: ANN001
    report = Report(article_id=row["article_id"], text=row["text"], raw=row["text"], title=row["title"],
                    url=row["url"], published=row["published"], source=row["source"], author=row["author"],
                    origin=row["origin"])
    read = finish(report, rules)
    if isinstance(read, IngestError):
        return IngestError(f"{part}:{row['article_id']}", read.message)
    return Extracted(read, events.get(row["article_id"], []), json.loads(row["aggregates"] or "[]"), row["error"])
