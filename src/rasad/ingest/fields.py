"""Report fields as ingest reads them, whatever reader they came through: the publication date
and the report's address."""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime


def parse_published(value: object) -> str | None:
    """A publication date as YYYY-MM-DD, read once at ingest: ISO dates and times, YYYY/MM/DD and
    RFC 2822 (feeds). Anything else is a ValueError naming the value, never a silent null."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    m = _ISO_DAY.match(text)
    try:
        if m:
            return date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    raise ValueError(f"bad publication date {text[:40]!r} (expected YYYY-MM-DD)")


_ISO_DAY = re.compile(r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?:$|[T ])")


def web_url(value: object) -> bool:
    """Whether a value is an http(s) URL: nothing else is stored as a report's address or shown as a
    link ("javascript:" and "data:" addresses from a JSONL or CSV are dropped)."""
    return isinstance(value, str) and bool(_WEB_URL.match(value.strip()))


_WEB_URL = re.compile(r"^https?://[^\s/<>\"'][^\n\r\t<>\"]*$", re.IGNORECASE)
