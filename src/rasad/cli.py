"""`rasad` command line: a thin shell over the library's calls."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from rasad.export import FORMATS
from rasad.export.registry import WRITERS
from rasad.extras import MissingExtra, need
from rasad.ingest import IngestError, iter_inputs
from rasad.progress import track
from rasad.store import open_store
from rasad.store.db import ROLES

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str) -> Callable:
    def deco(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = fn
        return fn

    return deco


def _one_line(exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{exc.__class__.__name__}: {first[:200]}"


def _profile(args: argparse.Namespace):  # -> Profile
    """--profile, else RASAD_PROFILE_DIR or RASAD_PROFILE, else the packaged default: the one place
    the command line reads the environment for it; every stage below is handed the object."""
    from rasad.profile import Profile

    return Profile.load(getattr(args, "profile", None) or os.environ.get("RASAD_PROFILE_DIR")
                        or os.environ.get("RASAD_PROFILE"))


def _gazetteer(args: argparse.Namespace):  # -> Gazetteer
    from rasad.geo import gazetteer

    return gazetteer.load(_gazetteer_paths(args), profile=_profile(args))


def err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class UsageError(Exception):
    """A bad argument found before any work starts: one line, exit status 2."""


def _store(db: str | None):  # -> Store
    """The store, opened before any work so that a bad --db is said at once."""
    try:
        return open_store(db)
    except Exception as exc:  # any reason the database cannot be opened or migrated
        raise UsageError(f"--db: cannot open the database ({_one_line(exc)})") from None


def _writable(path: str | None, flag: str) -> None:
    """Check an output file can be written before the batch runs (nothing is truncated here)."""
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(f"{flag}: cannot write {path} ({exc.strerror})") from None


# --out's extension -> format, when --format is not given (a .csv is ACLED's columns)
_BY_EXTENSION = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "acled-csv", ".geojson": "geojson",
                 ".json": "geojson", ".parquet": "parquet", ".geoparquet": "parquet"}


def _out_format(args: argparse.Namespace, default: str) -> str:
    """The output format: --format, else the one --out's extension names, else `default` (standard
    output, a name without extension). An extension no format writes is refused before any work,
    never written as JSON Lines."""
    out = getattr(args, "out", None)
    ext = Path(out).suffix.lower() if out and out != "-" else ""
    if args.format:
        named = _BY_EXTENSION.get(ext)
        if named and WRITERS[named].extension != WRITERS[args.format].extension:
            err(f"warning: --out {out} has a {ext} name but --format {args.format} is written")
        return _available(args.format)
    if not ext:
        return _available(default)
    if ext not in _BY_EXTENSION:
        raise UsageError(f"--out {out}: no format writes {ext} files; give --format "
                         f"({', '.join(sorted(WRITERS))})")
    return _available(_BY_EXTENSION[ext])


def _available(fmt: str) -> str:
    """The format, when what writes it is installed (Parquet needs the 'parquet' extra)."""
    if fmt == "parquet":
        need("pyarrow.parquet", "parquet", "Parquet output")
    return fmt


def _export_options(args: argparse.Namespace):  # -> ExportOptions
    """The output options every writing command takes (the `out_opts` parser)."""
    from rasad.export.registry import ExportOptions

    return ExportOptions(include_background=args.include_background, inter=args.inter, bom=args.bom)


def _day_arg(value: str | None, flag: str) -> str | None:
    """A YYYY-MM-DD option, checked: a misspelt date filters nothing and says nothing otherwise."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise UsageError(f"{flag}: bad date {value[:40]!r} (expected YYYY-MM-DD)") from None


@command("ingest")
def cmd_ingest(args: argparse.Namespace) -> int:
    store = _store(args.db)
    stored = dups = failed = 0
    for item in track(iter_inputs(args.inputs, profile=_profile(args)), "ingesting", _total(args.inputs)):
        if isinstance(item, IngestError):
            failed += 1
            err(str(item))
            continue
        try:
            res = store.add_report(item)
        except Exception as exc:  # a store failure on one item must not stop the batch
            failed += 1
            err(f"error: {item.origin or item.article_id}: store failed ({_one_line(exc)})")
            continue
        if res.status in ("stored", "version"):
            stored += 1
            for other in res.near_duplicates:
                err(f"note: {item.article_id} is a near-duplicate of {other} (linked)")
        else:
            dups += 1
        _note_identity(res, item.origin or item.article_id)
    print(f"ingested {stored} / duplicates {dups} / failed {failed}")
    return 0 if stored + dups > 0 else 1


@command("search")
def cmd_search(args: argparse.Namespace) -> int:
    hits = open_store(args.db).search(args.text, limit=args.limit)
    if args.json:
        print(json.dumps([{"article_id": a, "title": t, "snippet": s} for a, t, s in hits], ensure_ascii=False))
    else:
        for aid, title, snip in hits:
            print(f"{aid}\t{title or ''}\n    …{snip}…")
    return 0 if hits else 1


@command("places")
def cmd_places(args: argparse.Namespace) -> int:
    from rasad.geo import api

    if args.learned:
        return _learned_places(args)
    gaz = _gazetteer(args)
    if args.input:
        report = next(iter_inputs([args.input], profile=gaz.profile))
        if isinstance(report, IngestError):
            err(str(report))
            return 1
        rows = [api.mention_record(loc) for loc in api.places_in(report.text, gaz)]
        cols = ("start", "text", "pcode", "name_en", "admin1", "geo_precision", "latitude", "longitude")
    elif args.name:
        rows = [api.place_record(p) for p in api.candidates(gaz, args.name)]
        cols = ("pcode", "name_ar", "name_en", "kind", "admin1", "admin2", "admin3", "latitude", "longitude")
    else:
        err("error: give a NAME or --in FILE")
        return 2
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print("\t".join("" if r.get(c) is None else str(r[c]) for c in cols))
    return 0 if rows else 1


def _learned_places(args: argparse.Namespace) -> int:
    """The places the store's reviewers set, as a gazetteer user CSV (to share: `rasad data install FILE`)."""
    from rasad.store import learned

    places = learned.learned(_store(args.db))
    text = json.dumps(places, ensure_ascii=False, indent=1) + "\n" if args.json else learned.as_csv(places)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{len(places)} learned places written to {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _with_learned(paths: list[str] | None, store) -> list[str] | None:  # store: Store | None
    """The gazetteer sources plus the places the store's reviewers set (store.learned), so that
    extraction into a store knows them."""
    from rasad.geo.gazetteer import data_dir
    from rasad.store import learned

    layers = learned.existing_layer(store.url) if store is not None else []
    if not layers:
        return paths
    configured = paths if paths is not None else ([str(data_dir())] if data_dir().is_dir() else [])
    return [*configured, *layers]


@command("data")
def cmd_data(args: argparse.Namespace) -> int:
    from rasad.geo import api

    try:
        files = api.install(args.source, profile=_profile(args))
    except (OSError, RuntimeError) as exc:
        err(f"error: {args.source}: {exc}")
        return 1
    for f in files:
        print(f"installed {f}")
    return 0


@command("extract")
def cmd_extract(args: argparse.Namespace) -> int:
    from rasad import process
    from rasad.engines import pool
    from rasad.export import write_events
    from rasad.ingest.fields import parse_published

    try:
        args.published = parse_published(args.published)
    except ValueError as exc:
        err(f"error: --published: {exc}")
        return 2
    if args.engine == "dask":
        return _extract_on_dask(args)
    fmt = _out_format(args, "jsonl")
    if args.no_store and (args.link or args.stored):
        raise UsageError("--link and --stored work on the store: they cannot go with --no-store")
    if bool(args.inputs) == bool(args.stored):
        raise UsageError("give INPUT files, folders or URLs, or --stored (not both)")
    _writable(args.out, "--out")
    _writable(args.reports, "--reports")
    store = None if args.no_store else _store(args.db)
    workers = _cores(args.workers)
    profile = _profile(args)
    items = process.read_stored(store, profile) if args.stored else process.read(args.inputs, profile)
    total = store.count_reports() if args.stored else _total(args.inputs)
    paths = _with_learned(_gazetteer_paths(args), store)
    extracted = track(pool.run(items, paths, workers, args.published, profile), "extracting", total)
    counts = {"reports": 0, "events": 0, "aggregates": 0, "failed": 0}
    with _lines_to(args.reports) as figures:
        def kept_events() -> Iterator[dict]:  # streamed: nothing of the batch is held to the end
            for item in _stored(store, extracted, counts):
                figures(item.aggregates)
                yield from item.events
        try:
            write_events(kept_events(), fmt, args.out, profile, _export_options(args))
        except ValueError as exc:
            err(f"error: {exc}")
            return 2
    err(f"reports {counts['reports']} / events {counts['events']} / aggregates {counts['aggregates']} / "
        f"failed {counts['failed']}")
    if args.link:
        _report_link(process.link_stored(store, profile))
    return 0 if counts["reports"] else 1


def _stored(store, items, counts: dict[str, int]) -> Iterator:  # store: Store | None; items: extracted or errors
    """The good extractions, stored in batches by the one writer (unless --no-store), counted into
    `counts`; each bad item or failed store is one error line and a count of `failed`."""
    from rasad import process

    for item, res in process.stored_stream(store, items):
        if not _kept(store, item, res):
            counts["failed"] += 1
            continue
        counts["reports"] += 1
        counts["events"] += len(item.events)
        counts["aggregates"] += len(item.aggregates)
        yield item


@contextmanager
def _lines_to(path: str | None) -> Iterator[Callable[[list[dict]], None]]:
    """A sink writing records as JSON lines to `path` as they come (nothing when no path)."""
    if not path:
        yield lambda records: None
        return
    with open(path, "w", encoding="utf-8") as fh:
        yield lambda records: fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _cores(workers: int) -> int:
    """--workers as processes: 0 or less is every core, for the built-in pool and Dask alike."""
    return workers if workers > 0 else (os.cpu_count() or 1)


def _extract_on_dask(args: argparse.Namespace) -> int:
    """`rasad extract --engine dask`: partitions written to --out-dir, nothing stored (see `load`)."""
    from rasad.engines import dask_engine

    if not args.out_dir or not args.inputs or args.stored or args.out:
        raise UsageError("--engine dask takes INPUT files or URLs and --out-dir (not --out or --stored); "
                         "store the partitions with `rasad load DIR`")
    workers = _cores(args.workers)  # as for the built-in pool: 0 or less is every core
    done = dask_engine.run(args.inputs, args.out_dir, _gazetteer_paths(args), _profile(args), args.scheduler,
                           workers, published=args.published)
    for line in done["errors"]:
        err(line)
    err(f"partitions {done['partitions']} / reports {done['reports']} / events {done['events']} / "
        f"failed {len(done['errors'])}; store them with: rasad load {args.out_dir}")
    return 0 if done["reports"] else 1


@command("load")
def cmd_load(args: argparse.Namespace) -> int:
    """Keep a Dask run's partitions in the store, as `rasad extract` keeps what it extracts."""
    from rasad import process
    from rasad.engines import dask_engine

    store, profile = _store(args.db), _profile(args)
    counts = {"reports": 0, "events": 0, "aggregates": 0, "failed": 0}
    for _item in _stored(store, dask_engine.load(args.folder, profile), counts):
        pass
    err(f"reports {counts['reports']} / events {counts['events']} / failed {counts['failed']}")
    if args.link:
        _report_link(process.link_stored(store, profile))
    return 0 if counts["reports"] else 1


def _total(inputs: list[str]) -> int | None:
    """The progress bar's total, counted only when a bar is shown."""
    from rasad.ingest.readers import count_items

    return count_items(inputs) if sys.stderr.isatty() else None


def _kept(store, item, res) -> bool:  # store: Store | None; item: extracted or error; res: what the store made of it
    """Whether an extracted report is good (and stored, unless --no-store); one error line if not."""
    if isinstance(item, IngestError):
        err(str(item))
        return False
    name = item.report.origin or item.report.article_id
    if item.error:
        err(f"error: {name}: {item.error}")
        return False
    if store is None:
        return True
    if isinstance(res, Exception):  # a store failure on one report must not stop the batch
        err(f"error: {name}: store failed ({_one_line(res)})")
        return False
    _note_identity(res, name)
    return True


def _report_link(done) -> None:  # done: rasad.process.Linked
    err(f"linked {done.new_members} new events / incidents written {done.touched} / incidents {done.incidents}")


@command("link")
def cmd_link(args: argparse.Namespace) -> int:
    """Group the store's news events into incidents; with --out, write every incident record."""
    from rasad import process
    from rasad.export import write_events
    from rasad.link.as_events import as_event_record
    from rasad.store import incidents as stored

    fmt = _out_format(args, "jsonl")
    since, until = _day_arg(args.since, "--since"), _day_arg(args.until, "--until")
    _writable(args.out, "--out")
    store = _store(args.db)
    profile = _profile(args)
    _report_link(process.link_stored(store, profile))
    if not args.out:
        return 0
    records = stored.incidents(store, since=since, until=until)
    out = None if args.out == "-" else args.out
    try:  # the incident records as they are in JSON lines; any other format reads them as events
        write_events(records if fmt == "jsonl" else [as_event_record(r) for r in records], fmt, out, profile,
                     _export_options(args))
    except ValueError as exc:
        err(f"error: {exc}")
        return 2
    return 0


def _note_identity(res, name: str) -> None:  # res: store.AddResult
    """One line for a report that is not simply new: a copy (counted once) or an updated version."""
    if res.status == "copy" or res.status == "duplicate" and res.copy_of:
        err(f"note: {name} is a copy of {res.copy_of} (its events are counted once, under {res.copy_of})")
    elif res.status == "version":
        err(f"note: {name} updates an article stored before: kept as version {res.article_id}")


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    from rasad.export import write_events
    from rasad.store.db import EventFilter

    fmt = _out_format(args, "acled-csv")
    since, until = _day_arg(args.since, "--since"), _day_arg(args.until, "--until")
    wanted = EventFilter(since=since, until=until, admin1=_governorate(args), actor=_actor(args),
                         event_type=_event_type(args.event_type))
    store = open_store(args.db)
    try:
        n = write_events(store.events(wanted), fmt, args.out, _profile(args), _export_options(args))
    except ValueError as exc:
        err(f"error: {exc}")
        return 2
    err(f"exported {n} events")
    if n == 0:
        _why_none(store, wanted != EventFilter())
    return 0


def _why_none(store, filtered: bool) -> None:  # store: Store
    """A hint when an export is empty: nothing extracted yet, or nothing matching the filters."""
    from rasad.store.db import EventFilter

    if store.count_events(EventFilter()) == 0:
        reports = store.count_reports()
        err(f"note: the store holds {reports} reports and no events" +
            (": `rasad ingest` only stores reports; run `rasad extract` on them" if reports else ""))
    elif filtered:
        err("note: events are stored, but none matches these filters")


def _governorate(args: argparse.Namespace) -> str | None:
    """--admin1 as the store spells it (OCHA's spelling): other English and Arabic spellings and
    transliterations of the governorate are taken; an unknown one is said."""
    if not args.admin1:
        return None
    from rasad.geo import api

    units = [p for p in api.candidates(_gazetteer(args), args.admin1) if p.kind == "admin1"]
    if not units:
        err(f"warning: --admin1 {args.admin1}: no governorate of that name")
        return args.admin1
    return units[0].admin1 or units[0].name_en


def _actor(args: argparse.Namespace) -> str | None:
    """--actor as a catalogue id: the id, or the ACLED name or label the profile's catalogue gives it."""
    if not args.actor:
        return None
    from rasad.export.acled_csv import acled_names

    catalogue = _profile(args).data("actors.yaml").get("actors", {})
    want = args.actor.strip().casefold()
    for actor_id, spec in catalogue.items():
        if want in {n.casefold() for n in [actor_id, str(spec.get("label", "")), *acled_names(spec)]}:
            return actor_id
    err(f"warning: --actor {args.actor}: not an actor id, ACLED name or label of the profile's actors.yaml")
    return args.actor


def _event_type(value: str | None) -> str | None:
    """--event-type as ACLED spells it, whatever the case ("battles" -> "Battles")."""
    if not value:
        return None
    from rasad.model import TAXONOMY

    known = {t.casefold(): t for t in TAXONOMY}
    if value.strip().casefold() in known:
        return known[value.strip().casefold()]
    err(f"warning: --event-type {value}: not one of ACLED's ({'; '.join(TAXONOMY)})")
    return value


@command("serve")
def cmd_serve(args: argparse.Namespace) -> int:
    for module in ("fastapi", "jinja2", "python_multipart"):
        need(module, "web", "rasad serve")
    uvicorn = need("uvicorn", "web", "rasad serve")
    from rasad.store import default_db_url
    from rasad.web.app import create_app
    from rasad.web.deps import Settings

    settings = Settings(db_url=default_db_url(args.db), gazetteer_paths=_gazetteer_paths(args),
                        read_requires_token=Settings.read_token_setting(args.read_token),
                        profile=str(_profile(args).folder))
    err(f"rasad serving on http://{args.host}:{args.port}/ (database {settings.db_url}, profile "
        f"{_profile(args).name}); Ctrl-C stops it")
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0


@command("users")
def cmd_users(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    if args.users_command == "list":
        for name, role, created in store.users():
            print(f"{name}\t{role}\t{created:%Y-%m-%d}")
        return 0
    if args.users_command == "role":
        if not store.set_role(args.name, args.role):
            err(f"error: no user {args.name}")
            return 1
        err(f"{args.name} is now a {args.role}")
        return 0
    if args.users_command == "revoke":
        if not store.revoke_user(args.name):
            err(f"error: no user {args.name}")
            return 1
        err(f"revoked {args.name}: their token opens nothing any more")
        return 0
    token = store.add_user(args.name, args.role)
    print(token)
    err(f"API token for {args.name} (shown once; only its hash is stored)")
    return 0


def _shared_or_skip(path: str | None, rel: str) -> str | None:
    from rasad.evaluate.common import shared_dir

    if path:
        return path
    root = shared_dir()
    if root is None or not (root / rel).exists():
        print(f"skipped: {rel} not found (set RASAD_SHARED or pass a path)")
        return None
    return str(root / rel)


def _gazetteer_paths(args: argparse.Namespace) -> list[str] | None:
    """--gazetteer, else None for what is configured (RASAD_GAZETTEER, the data directory), else
    ../shared's gazetteer with its GeoNames layer, else [] (only the profile's own places)."""
    from rasad.evaluate.common import shared_dir
    from rasad.geo import gazetteer

    if args.gazetteer:
        return args.gazetteer
    profile = _profile(args)
    if any(f.parent != profile.folder for f in gazetteer.source_paths(None, profile)):
        return None
    root = shared_dir()
    if not root or not (root / "gazetteer").is_dir():
        return []
    geonames = root / "geonames" / "SY.txt"  # the lower layer, when ../shared has it
    return [str(root / "gazetteer")] + ([str(geonames)] if geonames.is_file() else [])


def _write_json(path: str | None, data: dict) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        print(f"figures written to {path}")


@command("eval")
def cmd_eval(args: argparse.Namespace) -> int:
    from rasad.evaluate import geo_eval

    figures: dict = {}
    if args.what in ("seeds", "dev", "events"):
        return _eval_events(args)
    if args.what == "text":
        return _eval_text(args)
    if args.what == "framing":
        return _eval_framing(args)
    if args.what == "incidents":
        return _eval_incidents(args)
    if args.what == "places":
        dev = _shared_or_skip(args.dev, "dev/airwars_dev.jsonl")
        if dev is None:
            return 0
        score = geo_eval.evaluate_places(Path(dev), _gazetteer(args))
        figures = score.as_dict()
        print(f"{'measure':40} value")
        labels = {"reports": "reports", "found_pct": "analyst place found in text (%)",
                  "found_with_coords": "found, with analyst coordinates",
                  "within_5km_pct": "resolved within 5 km (%)", "median_error_km": "median error (km)",
                  "in_gazetteer": "found, and in the gazetteer as written",
                  "in_gazetteer_within_5km_pct": "  of those within 5 km (%)"}
        for k, v in figures.items():
            print(f"{labels.get(k, k):40} {v}")
        if args.verbose:
            for miss in score.misses:
                print(json.dumps(miss, ensure_ascii=False))
    _write_json(args.json_out, figures)
    return 0


def _extractor(gaz):  # gaz: Gazetteer -> rasad.evaluate.common.Extractor
    """What the scorers call: a text, its publication date and id to its event records."""
    from rasad.process import extract_text

    return lambda text, published, aid: extract_text(text, gaz, published=published, article_id=aid).events


def _eval_events(args: argparse.Namespace) -> int:
    from rasad.evaluate import events_eval

    gaz = _gazetteer(args)
    extractor = _extractor(gaz)
    figures: dict = {}
    if args.what in ("seeds", "events"):
        gold = _shared_or_skip(args.gold, "gold/seeds.json")
        if gold:
            seeds = Path(args.seeds or Path(gold).parent.parent / "seeds")
            score = events_eval.evaluate_seeds(Path(gold), seeds, extractor)
            figures["seeds"] = score.as_dict()
            _table("seeds (hand-annotated gold)", figures["seeds"], score.misses if args.verbose else [])
    if args.what in ("dev", "events"):
        dev = _shared_or_skip(args.dev, "dev/airwars_dev.jsonl")
        if dev:
            score = events_eval.evaluate_dev(Path(dev), extractor, gaz.profile)
            figures["dev"] = score.as_dict()
            _table("Airwars dev set (analyst incidents)", figures["dev"], score.misses if args.verbose else [])
    _write_json(args.json_out, figures)
    return 0


def _eval_text(args: argparse.Namespace) -> int:
    """Events against the complete hand annotation (spec/evaluation.md), web and social apart."""
    from pathlib import Path

    from rasad.evaluate.text_eval import evaluate_text

    gold = args.gold_text or _shared_or_skip(None, "gold/dev_text.json")
    if gold is None:
        return 0
    dev_dir = Path(args.dev).parent if args.dev else Path(gold).parent.parent / "dev"
    gaz = _gazetteer(args)
    scores = evaluate_text(Path(gold), dev_dir, _extractor(gaz))
    figures = {name: score.as_dict() for name, score in scores.items()}
    for name, score in scores.items():
        _table(f"complete annotation: {name}", figures[name], score.misses if args.verbose and name == "all" else [])
    _write_json(args.json_out, figures)
    return 0


def _eval_framing(args: argparse.Namespace) -> int:
    """Swap each side's words for one actor with another side's over the dev set; count flips."""
    from pathlib import Path

    from rasad.evaluate.common import read_jsonl
    from rasad.evaluate.framing import evaluate_framing

    dev = _shared_or_skip(args.dev, "dev/airwars_dev.jsonl")
    if dev is None:
        return 0
    gaz = _gazetteer(args)
    score = evaluate_framing(read_jsonl(Path(dev)), _extractor(gaz), gaz.profile)
    figures = score.as_dict()
    _table("framing swaps", figures, score.examples if args.verbose else [])
    _write_json(args.json_out, figures)
    return 0


def _eval_incidents(args: argparse.Namespace) -> int:
    """Reports of incidents told several times, linked; scored against the analysts' incident codes."""
    from pathlib import Path

    from rasad.evaluate.incidents_eval import evaluate_incidents

    path = _shared_or_skip(args.dev, "dev/incidents_dev.jsonl")
    if path is None:
        return 0
    gaz = _gazetteer(args)
    score = evaluate_incidents(Path(path), _extractor(gaz), gaz.profile)
    figures = score.as_dict()
    _table("incidents across reports", figures, score.misses if args.verbose else [])
    _write_json(args.json_out, figures)
    return 0


def _table(title: str, figures: dict, misses: list) -> None:
    print(f"\n{title}")
    for k, v in figures.items():
        print(f"  {k:40} {v}")
    for m in misses:
        print("  miss:", json.dumps(m, ensure_ascii=False) if isinstance(m, dict) else m)


@command("bench")
def cmd_bench(args: argparse.Namespace) -> int:
    from rasad.evaluate import bench

    if args.what == "serve":
        from rasad.evaluate.loadbench import bench_serve

        figures = bench_serve(args.clients, args.seconds, args.events, args.processes, args.hot, args.db_url)
    elif args.what == "pages":
        from rasad.evaluate.pagebench import bench_pages

        figures = bench_pages(args.events, args.runs * 7)
    elif args.what in ("ingest", "extract", "link", "pipeline", "length", "dask"):
        inputs = args.inputs or [p for p in (_shared_or_skip(None, "dev/airwars_dev.jsonl"),) if p]
        if not inputs:
            return 0
        figures = _bench_on_inputs(args, inputs)
    else:
        paths = _gazetteer_paths(args)
        if paths == []:
            print("skipped: no gazetteer configured")
            return 0
        figures = bench.bench_gazetteer(paths)
    for k, v in figures.items():
        print(f"{k:24} {v}")
    _write_json(args.json_out, figures)
    return 0


def _bench_on_inputs(args: argparse.Namespace, inputs: list[str]) -> dict:
    from rasad.evaluate import bench

    workers = args.workers or os.cpu_count() or 1
    if args.what == "ingest":
        return bench.bench_ingest(inputs)
    if args.what == "link":
        return bench.bench_link(inputs, _gazetteer_paths(args))
    if args.what == "pipeline":
        return bench.bench_pipeline(inputs, _gazetteer_paths(args), args.reports, workers, args.db_url)
    if args.what == "dask":
        return bench.bench_dask(inputs, _gazetteer_paths(args), args.reports, workers)
    if args.what == "length":
        sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
        return bench.bench_length(inputs, _gazetteer_paths(args), sizes)
    return bench.bench_extract(inputs, _gazetteer_paths(args), workers, args.runs)


class _Formatter(argparse.HelpFormatter):
    """Help that shows each option's default, where it has one its help does not already state."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or "default" in text or not action.option_strings:
            return action.help
        return f"{text} (default: %(default)s)".strip()


def build_parser() -> argparse.ArgumentParser:
    from rasad import __version__

    p = argparse.ArgumentParser(prog="rasad", description="Arabic conflict reports to event data")
    p.add_argument("--version", action="version", version=f"rasad {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", help="database path or URL (default: $RASAD_DB, else the user data directory)")

    prof = argparse.ArgumentParser(add_help=False)
    prof.add_argument("--profile", help="country profile: a packaged name or a folder with country.yaml")
    s = sub.add_parser("ingest", parents=[db, prof], help="read reports into the store")
    s.add_argument("inputs", nargs="+", help="files, folders, .jsonl/.csv, http(s) URLs, or - for stdin")

    s = sub.add_parser("search", parents=[db], help="full-text search over stored reports")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true")
    gaz = argparse.ArgumentParser(add_help=False)
    gaz.add_argument("--gazetteer", action="append", metavar="PATH",
                     help="gazetteer file or folder (repeatable; default: $RASAD_GAZETTEER, else the data dir)")
    gaz.add_argument("--profile", help="country profile: a packaged name or a folder with country.yaml "
                                       "(default: $RASAD_PROFILE_DIR, $RASAD_PROFILE, else syria)")

    out_opts = argparse.ArgumentParser(add_help=False)
    out_opts.add_argument("--include-background", action="store_true",
                          help="ACLED CSV: background (historical) events as rows too (default: left out)")
    out_opts.add_argument("--inter", choices=["text", "numeric"], default="text",
                          help="ACLED CSV: inter1/inter2/interaction as ACLED's labels or codes (default: text)")
    out_opts.add_argument("--bom", action="store_true", help="CSV: begin with a UTF-8 byte-order mark (for Excel)")

    s = sub.add_parser("extract", parents=[db, gaz, out_opts], help="extract event records from reports")
    s.add_argument("inputs", nargs="*", help="files, folders, .jsonl/.csv, http(s) URLs, or - for stdin")
    s.add_argument("--stored", action="store_true", help="extract the reports `rasad ingest` stored, instead")
    s.add_argument("--out", help="output file (default: standard output)")
    s.add_argument("--format", choices=FORMATS, help="default: from --out's extension (.csv is ACLED's "
                                                     "columns), else jsonl")
    s.add_argument("--reports", metavar="FILE", help="write aggregate figures (weekly tolls, totals) here")
    s.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for inputs that carry none")
    s.add_argument("--workers", type=int, default=1, help="processes to use (0 or less: all cores)")
    s.add_argument("--link", action="store_true", help="then link the store's new events into incidents")
    s.add_argument("--no-store", action="store_true", help="write the events out without storing anything")
    s.add_argument("--engine", choices=["pool", "dask"], default="pool",
                   help="dask: extract on a Dask cluster (--scheduler, or a local one of --workers processes) "
                        "into Parquet partitions in --out-dir; then `rasad load` stores them")
    s.add_argument("--scheduler", metavar="ADDRESS", help="dask: the scheduler, e.g. tcp://10.0.0.5:8786")
    s.add_argument("--out-dir", metavar="DIR", help="dask: folder (or fsspec URL) for the Parquet partitions")

    s = sub.add_parser("load", parents=[db, prof], help="store the Parquet partitions of a Dask extraction")
    s.add_argument("folder", help="the --out-dir of `rasad extract --engine dask`")
    s.add_argument("--link", action="store_true", help="then link the store's new events into incidents")

    s = sub.add_parser("link", parents=[db, prof, out_opts], help="group stored events into incidents (incremental)")
    s.add_argument("--out", help="write every incident here (- for standard output)")
    s.add_argument("--format", choices=FORMATS,
                   help="default: from --out's extension, else jsonl. jsonl: the incident records; "
                        "acled-csv: ACLED's lowest figure and every outlet; ucdp-csv: best, low and high; "
                        "geojson, parquet: as events")
    s.add_argument("--since", metavar="YYYY-MM-DD")
    s.add_argument("--until", metavar="YYYY-MM-DD")

    s = sub.add_parser("export", parents=[db, gaz, out_opts], help="export stored events")
    s.add_argument("--format", choices=FORMATS, help="default: from --out's extension, else acled-csv")
    s.add_argument("--out", help="output file (default: standard output)")
    s.add_argument("--since", metavar="YYYY-MM-DD")
    s.add_argument("--until", metavar="YYYY-MM-DD")
    s.add_argument("--admin1")
    s.add_argument("--actor", help="actor1 catalogue id, as in the profile's actors.yaml")
    s.add_argument("--event-type")

    s = sub.add_parser("places", parents=[gaz], help="rank gazetteer candidates, or list a report's places")
    s.add_argument("name", nargs="?")
    s.add_argument("--in", dest="input", metavar="FILE", help="list the place mentions found in a report")
    s.add_argument("--json", action="store_true")
    s.add_argument("--learned", action="store_true",
                   help="the places reviewers set in the store (--db) as a gazetteer user CSV, to share")
    s.add_argument("--db", help="with --learned: the store (default: $RASAD_DB, else the data directory's)")
    s.add_argument("--out", metavar="FILE", help="with --learned: write there instead of standard output")

    s = sub.add_parser("eval", parents=[gaz], help="score output against gold (reads ../shared)")
    s.add_argument("what", choices=["places", "seeds", "dev", "events", "text", "framing", "incidents"],
                   help="places: gazetteer on the dev set; seeds / dev: events; events: both; "
                        "text: events against the complete hand annotation; framing: swaps of sides' words; "
                        "incidents: linking of reports told several times (dev/incidents_dev.jsonl)")
    s.add_argument("gold_text", nargs="?", metavar="GOLD",
                   help="text: the annotation file (default: ../shared/gold/dev_text.json)")
    s.add_argument("--dev", help="dev set JSONL (default: ../shared/dev/airwars_dev.jsonl)")
    s.add_argument("--gold", help="seed gold (default: ../shared/gold/seeds.json)")
    s.add_argument("--seeds", help="folder of the seed reports (default: beside the gold)")
    s.add_argument("--json-out", help="also write the figures to this JSON file")
    s.add_argument("-v", "--verbose", action="store_true", help="print every miss")

    s = sub.add_parser("bench", parents=[gaz], help="print throughput and memory figures")
    s.add_argument("what", choices=["ingest", "gazetteer", "extract", "pipeline", "length", "dask", "serve", "link",
                                    "pages"],
                   help="link: linking 100,000 events from the dev set, then 1,000 more reports incrementally; "
                        "pipeline: end-to-end extract with the store on the inputs repeated to --reports; "
                        "length: cost per KB by report length (--sizes); dask: the built-in pool against a local "
                        "Dask cluster of --workers processes on --reports reports; pages: the workbench's pages "
                        "with --events synthetic events stored (dashboard size and time, p50/p95 of the rest)")
    s.add_argument("inputs", nargs="*", help="inputs for the ingest and extract benchmarks (default: the dev set)")
    s.add_argument("--workers", type=int, default=0, help="cores for the many-core run (default: all)")
    s.add_argument("--runs", type=int, default=3, help="extract: passes per setting; the median is printed")
    s.add_argument("--reports", type=int, default=10_000, help="pipeline, dask: reports to extract")
    s.add_argument("--sizes", default="1,10,100,1000,5000", help="length: report sizes in KB")
    s.add_argument("--clients", type=int, default=50, help="serve: concurrent clients")
    s.add_argument("--seconds", type=float, default=30, help="serve: how long the load runs")
    s.add_argument("--events", type=int, default=10_000, help="serve, pages: events in the database")
    s.add_argument("--processes", type=int, default=1, help="serve: server processes sharing the database")
    s.add_argument("--hot", type=int, default=0, help="serve: send every edit to this many events (0: any)")
    s.add_argument("--db-url", help="serve, pipeline: run on this database (e.g. PostgreSQL) instead of a fresh "
                                    "SQLite file")
    s.add_argument("--json-out")

    s = sub.add_parser("serve", parents=[db, gaz], help="run the review web app and REST API")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--read-token", action="store_true",
                   help="require an API token for reads too (default: on when RASAD_READ_TOKEN=1)")

    s = sub.add_parser("users", help="manage API users")
    usub = s.add_subparsers(dest="users_command", required=True)
    u = usub.add_parser("add", parents=[db], help="create a user (or give them a new token) and print the token")
    u.add_argument("name")
    u.add_argument("--role", choices=ROLES,
                   help="reader: reads; reviewer: reviews and adds reports; admin: also manages users in the "
                        "browser (default: reviewer for a new user, unchanged for a known one)")
    usub.add_parser("list", parents=[db], help="list the users with their roles")
    u = usub.add_parser("role", parents=[db], help="give a user a role")
    u.add_argument("name")
    u.add_argument("role", choices=ROLES)
    u = usub.add_parser("revoke", parents=[db], help="remove a user: their token opens nothing any more")
    u.add_argument("name")

    s = sub.add_parser("data", help="manage data files")
    dsub = s.add_subparsers(dest="data_command", required=True)
    d = dsub.add_parser("install", parents=[prof],
                        help="copy a gazetteer file, folder, .zip or URL into the data directory; a name the "
                             "profile lists ('geonames', 'ocha') fetches its file or says where to get it")
    d.add_argument("source", metavar="PATH_OR_URL_OR_NAME")
    for command in sub.choices.values():
        command.formatter_class = _Formatter
    return p


def main(argv: list[str] | None = None) -> int:
    warnings.showwarning = lambda message, *_a, **_k: err(f"warning: {message}")  # one line, no source
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (UsageError, MissingExtra) as exc:  # before any work: a bad option, or an extra not installed
        err(f"error: {exc}")
        return 2
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
