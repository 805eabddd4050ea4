"""The web app: :func:`create_app` builds it from :class:`~reachmap.web.settings.Settings`.

Each endpoint family is an ``APIRouter`` in its own module, included here in one line;
a new family (scenarios, the page) adds its module and one ``include_router`` line.
:func:`factory` builds the app from ``REACHMAP_WEB_*`` environment variables: it is
what ``reachmap serve`` hands to uvicorn (``factory=True``), so that every worker
process builds the same app.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from reachmap.web import errors
from reachmap.web.cache import ResultCache
from reachmap.web.compute import Compute
from reachmap.web.middleware import BodyLimit, SecurityHeaders
from reachmap.web.settings import Settings

__all__ = ["create_app", "factory"]

DESCRIPTION = (
    "Exact WGS84 reach, envelopes and flight times of publicly reported systems, from "
    "public data. Parameters are named as the command line's options; answers are the "
    "command line's `--format json` (or GeoJSON). Every error is "
    '`{"error": {"code", "message", "field"}}`. Geography and textbook physics only: no '
    "effects, accuracy or defences are modelled, and no target is ranked or recommended."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for ``settings`` (the defaults if None)."""
    settings = settings or Settings()
    compute = Compute(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        compute.start()  # the workers load their data while the server already answers
        yield
        compute.close()

    import reachmap

    app = FastAPI(
        title="reachmap",
        version=reachmap.__version__,
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI would load from a CDN; the schema is /openapi.json
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.compute = compute
    app.state.cache = ResultCache(settings.cache_entries, settings.cache_bytes)
    errors.install(app)

    from reachmap.web import api_catalog, api_docs, api_geo, api_reports, api_scenarios, page

    app.include_router(api_catalog.router)
    app.include_router(api_geo.router)
    app.include_router(api_scenarios.router)
    app.include_router(api_reports.router)
    app.include_router(api_docs.router)
    app.include_router(page.router)

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins))
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: every answer gets the headers
    return app


def factory() -> FastAPI:
    """The app configured by the ``REACHMAP_WEB_*`` environment variables."""
    return create_app(Settings.from_env(os.environ))
