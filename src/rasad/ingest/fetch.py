"""Fetch a report over HTTP(S) with a timeout and a size cap."""

from __future__ import annotations

import os
import urllib.error
import urllib.request

TIMEOUT = float(os.environ.get("RASAD_HTTP_TIMEOUT", 15))
MAX_BYTES = int(os.environ.get("RASAD_MAX_BYTES", 10 * 1024 * 1024))


class FetchError(RuntimeError):
    pass


def fetch_url(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """Body and content type; FetchError with a one-line reason on any failure."""
    req = urllib.request.Request(url, headers={"User-Agent": "rasad/0.1"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read(max_bytes + 1)
            ctype = resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"unreachable ({reason})") from None
    if len(body) > max_bytes:
        raise FetchError(f"too large (over {max_bytes / 1e6:.0f} MB cap)")
    return body, ctype.lower()
