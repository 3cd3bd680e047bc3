"""Output formats, each registered once: name, file extension, media type and writer.

A format is one module in `rasad.export` that calls `register`; the CLI's choices, the API's
parameter and the pages' download links all read `WRITERS`, so adding a format touches one file.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rasad.profile import Profile


@dataclass(frozen=True)
class ExportOptions:
    """What a user may ask of an export; each writer reads the options that concern it."""
    include_background: bool = False  # ACLED CSV: background (historical) events as rows too, tagged
    inter: str = "text"  # ACLED CSV: inter1/inter2/interaction as ACLED's labels ("text") or codes ("numeric")
    bom: bool = False  # CSV: a UTF-8 byte-order mark first, for spreadsheet programs
    record_column: bool = False  # Parquet: each full event record as JSON in a `record` column (Dask partitions)


# A writer takes the records, an open stream (text, or bytes when `binary`), the profile and the
# options, and returns how many records it wrote.
WriteFn = Callable[[Iterable[dict[str, Any]], IO[Any], Profile, ExportOptions], int]


@dataclass(frozen=True)
class Writer:
    name: str
    extension: str
    media_type: str
    label: str
    write: WriteFn
    binary: bool = False  # writes bytes (Parquet), so it needs a file, not standard output


WRITERS: dict[str, Writer] = {}


def register(name: str, extension: str, media_type: str, label: str,
             binary: bool = False) -> Callable[[WriteFn], WriteFn]:
    """Register the decorated function as the writer of format `name`."""
    def deco(fn: WriteFn) -> WriteFn:
        WRITERS[name] = Writer(name, extension, media_type, label, fn, binary)
        return fn

    return deco


def write_csv(records: Iterable[dict[str, Any]], fh: IO[str], columns: list[str],
              row: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
    """One CSV row per record through `row`, under a header of `columns`; returns the count."""
    writer = csv.DictWriter(fh, fieldnames=columns)
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow(row(rec))
        n += 1
    return n


def write_events(records: Iterable[dict], fmt: str, out: str | Path | IO[str] | None,
                 profile: Profile | None = None, options: ExportOptions | None = None) -> int:
    """Write records in `fmt` to a path, an open stream, or stdout (None); returns the count."""
    writer = WRITERS[fmt]
    profile = profile or Profile.load()
    options = options or ExportOptions()
    if isinstance(out, str | Path):
        encoding = "utf-8-sig" if options.bom and writer.extension == "csv" else "utf-8"
        with open(out, "wb" if writer.binary else "w", **({} if writer.binary else
                                                           {"encoding": encoding, "newline": ""})) as fh:
            return writer.write(records, fh, profile, options)
    if writer.binary:
        raise ValueError(f"{fmt} needs an output file (--out)")
    return writer.write(records, out if out is not None else sys.stdout, profile, options)
