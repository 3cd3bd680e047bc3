"""The FastAPI application: `create_app(settings)`; `rasad serve` runs it under uvicorn."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from rasad import __version__
from rasad.web import api, pages
from rasad.web.deps import Services, Settings
from rasad.web.limits import BodySizeLimit, SecurityHeaders


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="rasad", version=__version__,
                  description="Arabic conflict reports to event records: review, correct, export.")
    app.state.services = Services(settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
