"""Fetch a report over HTTP(S): a timeout per read, an overall deadline, a size cap on the streamed
body, and no request to an address that is not public.

Every host is resolved before each request, the first and every redirect's, and refused when any of
its addresses is loopback, private, link-local (cloud metadata included), reserved or multicast,
unless an operator allows it (`RASAD_FETCH_ALLOW`: host names or networks, comma-separated). A
refused address gets one uniform error, so errors never map a private network's open and closed
ports. Any failure is a `FetchError` with a one-line reason.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time

import httpx

TIMEOUT = float(os.environ.get("RASAD_HTTP_TIMEOUT", 15))
DEADLINE = float(os.environ.get("RASAD_HTTP_DEADLINE", 60))  # a whole fetch, however slowly it drips
MAX_BYTES = int(os.environ.get("RASAD_MAX_BYTES", 10 * 1024 * 1024))
MAX_REDIRECTS = 5
REFUSED = "refused: not a public address"


class FetchError(RuntimeError):
    pass


def _allowed() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    """The hosts and networks an operator allows besides public addresses (RASAD_FETCH_ALLOW)."""
    hosts: set[str] = set()
    nets = []
    for item in filter(None, (x.strip() for x in os.environ.get("RASAD_FETCH_ALLOW", "").split(","))):
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item.lower())
    return hosts, nets


def check_public(url: httpx.URL) -> None:
    """Refuse a URL whose scheme is not http(s) or whose host resolves to a non-public address."""
    if url.scheme not in ("http", "https") or not url.host:
        raise FetchError("not an http(s) address")
    hosts, nets = _allowed()
    if url.host.lower() in hosts:
        return
    try:
        infos = socket.getaddrinfo(url.host, url.port or (443 if url.scheme == "https" else 80),
                                   type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise FetchError("unreachable (name not resolved)") from None
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if not ip.is_global and not any(ip in net for net in nets):
            raise FetchError(REFUSED)


def fetch_url(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
              deadline: float | None = None) -> tuple[bytes, str]:
    """Body and content type; FetchError with a one-line reason on any failure."""
    started = time.monotonic()
    deadline = DEADLINE if deadline is None else deadline
    try:
        target = httpx.URL(url)
        with httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": "rasad/0.1"}) as client:
            for _ in range(MAX_REDIRECTS + 1):
                check_public(target)
                with client.stream("GET", target) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        target = resp.url.join(resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase}")
                    return _body(resp, max_bytes, started, deadline), resp.headers.get("content-type", "").lower()
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")
    except FetchError:
        raise
    except httpx.TimeoutException:
        raise FetchError("unreachable (timed out)") from None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError, OSError, UnicodeError) as exc:
        raise FetchError(f"unreachable ({exc.__class__.__name__})") from None


def _body(resp: httpx.Response, max_bytes: int, started: float, deadline: float) -> bytes:
    """The streamed body, under the size cap and the overall deadline; a body shorter than its
    Content-Length is an error (httpx raises it), never a report."""
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"too large (over {max_bytes / 1e6:.0f} MB cap)")
        if time.monotonic() - started > deadline:
            raise FetchError(f"too slow (over the {deadline:.0f} s deadline)")
        chunks.append(chunk)
    return b"".join(chunks)
