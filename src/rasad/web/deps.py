"""What every route needs: the settings, the store, the gazetteer, and who is asking."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar
from urllib.parse import urlsplit

import anyio
from fastapi import HTTPException, Request

from rasad.geo import gazetteer
from rasad.profile import Profile
from rasad.store import Store, default_db_url, learned

T = TypeVar("T")
WRITING_ROLES = frozenset({"reviewer", "admin"})


@dataclass
class Settings:
    db_url: str = field(default_factory=lambda: default_db_url(None))
    gazetteer_paths: list[str] | None = None
    read_requires_token: bool = field(default_factory=lambda: Settings.read_token_setting(False))
    max_body_bytes: int = field(default_factory=lambda: int(os.environ.get("RASAD_MAX_BODY", 5 * 1024 * 1024)))
    profile: str | None = field(default_factory=lambda: os.environ.get("RASAD_PROFILE_DIR")
                                or os.environ.get("RASAD_PROFILE"))

    @staticmethod
    def read_token_setting(flag: bool) -> bool:
        """Whether reads need a token, in one order: the command-line flag turns it on, else
        RASAD_READ_TOKEN (1, true, yes, on), else off. A flag left unset never turns it off."""
        return flag or os.environ.get("RASAD_READ_TOKEN", "").strip().lower() in ("1", "true", "yes", "on")


class Services:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.db_url)

    @cached_property
    def profile(self) -> Profile:
        return Profile.load(self.settings.profile)

    @cached_property
    def gazetteer(self) -> gazetteer.Gazetteer:
        """The configured gazetteer with the places this store's reviewers set (store.learned)."""
        return gazetteer.load(self.settings.gazetteer_paths, profile=self.profile,
                              layers=learned.existing_layer(self.store.url))

    def relearn(self) -> None:
        """Read the gazetteer again at its next use: a reviewer set a place."""
        self.__dict__.pop("gazetteer", None)


async def services(request: Request) -> Services:
    return request.app.state.services


# Review writes wait for the database's write lock, so they run in threads, never on the event loop.
# A thread is held until the loop takes its result back, which under load takes longer than the write
# itself: 16 threads keep edits from queueing behind a busy loop (4 gave edits a p95 of 1.2 s).
WRITE_THREADS = 16
_write_limiter: anyio.CapacityLimiter | None = None


async def in_write_thread(fn: Callable[..., T], *args: object) -> T:
    """Run a store write in the write threads (never on the event loop, never in the read pool)."""
    global _write_limiter
    if _write_limiter is None:
        _write_limiter = anyio.CapacityLimiter(WRITE_THREADS)
    return await anyio.to_thread.run_sync(lambda: fn(*args), limiter=_write_limiter)


def header_token(request: Request) -> str | None:
    """The API token from the Authorization (Bearer) or X-API-Token header."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-token")


def session_token(request: Request) -> str | None:
    """The browser's session (set at login; never the user's API token)."""
    return request.cookies.get("rasad_token")


def identity(request: Request) -> tuple[str, str] | None:
    """(user, role) of whoever asks: the API by header token only; pages by header token or session."""
    store = request.app.state.services.store
    who = store.who(header_token(request))
    if who is None and not request.url.path.startswith("/api/"):
        who = store.session_user(session_token(request))
    return who


def csrf_token(session_token: str | None) -> str:
    """The CSRF token of a session: derived from its secret token, so every server process agrees
    and no other site can know it."""
    return hashlib.sha256(f"rasad-csrf:{session_token or ''}".encode()).hexdigest()[:32]


def same_origin(request: Request) -> bool:
    """A browser's write comes from this site: no Origin header, or one naming this host, and no
    cross-site fetch metadata."""
    origin = request.headers.get("origin")
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    return origin is None or urlsplit(origin).netloc == request.url.netloc


async def writer(request: Request) -> str:
    """The user a write is made by: a reviewer or an admin; 401 without a valid token, 403 for a
    reader. The API takes writes by header only: a cookie never authorises them, so another site
    cannot make a logged-in browser write."""
    who = identity(request)
    if who is None:
        raise HTTPException(status_code=401, detail="a valid API token is required for writes "
                                                    "(rasad users add NAME prints one)")
    if who[1] not in WRITING_ROLES:
        raise HTTPException(status_code=403, detail=f"{who[0]} is a {who[1]}: reviewing needs the reviewer role "
                                                    "(rasad users role NAME reviewer)")
    return who[0]


async def admin(request: Request) -> str:
    """An admin: managing users in the browser."""
    who = identity(request)
    if who is None:
        raise HTTPException(status_code=401, detail="log in first")
    if who[1] != "admin":
        raise HTTPException(status_code=403, detail="this needs the admin role (rasad users role NAME admin)")
    return who[0]


async def reader(request: Request) -> str | None:
    """Reads are open unless the server was started with read tokens required; then any user (a
    reader too) may read. (Async, like the other cheap dependencies: the lookup is an indexed read.)"""
    if request.app.state.services.settings.read_requires_token:
        who = identity(request)
        if who is None:
            raise HTTPException(status_code=401, detail="a valid token is required (rasad users add NAME)")
        return who[0]
    return None
