"""JSON Lines: the event-record contract, one record a line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from rasad.export.registry import ExportOptions, register
from rasad.profile import Profile


@register("jsonl", "jsonl", "application/x-ndjson", "JSON Lines")
def write_jsonl(records: Iterable[dict], fh: IO[str], profile: Profile,
                options: ExportOptions | None = None) -> int:
    n = 0
    for rec in records:
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n
