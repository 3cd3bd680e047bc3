"""`rasad` command line: a thin shell over the library's calls."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from rasad.ingest import IngestError, iter_inputs
from rasad.progress import track
from rasad.store import open_store

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str) -> Callable:
    def deco(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = fn
        return fn

    return deco


def err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@command("ingest")
def cmd_ingest(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    stored = dups = failed = 0
    for item in track(iter_inputs(args.inputs), "ingesting"):
        if isinstance(item, IngestError):
            failed += 1
            err(str(item))
            continue
        try:
            res = store.add_report(item)
        except Exception as exc:  # a store failure on one item must not stop the batch
            failed += 1
            err(f"error: {item.origin or item.article_id}: store failed ({exc.__class__.__name__}: {exc})")
            continue
        if res.status == "stored":
            stored += 1
            for other in res.near_duplicates:
                err(f"note: {item.article_id} is a near-duplicate of {other} (linked)")
        else:
            dups += 1
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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rasad", description="Arabic conflict reports to event data")
    sub = p.add_subparsers(dest="command", required=True)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", help="database path or URL (default: $RASAD_DB, else the user data directory)")

    s = sub.add_parser("ingest", parents=[db], help="read reports into the store")
    s.add_argument("inputs", nargs="+", help="files, folders, .jsonl/.csv, http(s) URLs, or - for stdin")

    s = sub.add_parser("search", parents=[db], help="full-text search over stored reports")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=20)
    s.add_argument("--json", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
