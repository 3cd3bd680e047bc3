"""The FastAPI application: `create_app(settings)`; `rasad serve` runs it under uvicorn."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from rasad import __version__
from rasad.web import api, pages
from rasad.web.deps import Services, Settings
from rasad.web.limits import BodySizeLimit, SecurityHeaders


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="rasad", version=__version__, docs_url=None, redoc_url=None,
                  description="Arabic conflict reports to event records: review, correct, export.")
    app.state.services = Services(settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_api_route("/docs", _swagger, include_in_schema=False, response_class=HTMLResponse)
    app.add_api_route("/redoc", _redoc, include_in_schema=False, response_class=HTMLResponse)
    return app


# The API's documentation from vendored files (static/vendor), so it works offline; no inline script,
# as the pages' content security policy allows none.
_SWAGGER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>rasad API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script><script src="/static/docs.js"></script></body></html>"""
_REDOC = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>rasad API</title></head><body>
<redoc spec-url="/openapi.json"></redoc><script src="/static/vendor/redoc.standalone.js"></script></body></html>"""


def _swagger() -> HTMLResponse:
    return HTMLResponse(_SWAGGER)


def _redoc() -> HTMLResponse:
    return HTMLResponse(_REDOC)
