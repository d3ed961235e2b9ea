"""The application factory. uvicorn serves it with `--factory`, as the image does:

    uvicorn --factory {{ cookiecutter.package_name }}.main:create_app

`make dev` serves it the same way, reloading on changes.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files

import httpx
from fastapi import FastAPI

from . import health
from .auth import build_verifier
from .db import Database
from .domain import DOMAIN
from .errors import constraint_messages, install_error_handlers
from .garbage_collection import collector_tuned_for_serving
from .limits import BodySizeLimit, RequestTimeout
from .observability import install_observability, record_tenant
from .observability.logs import configure_logging
from .reads import Reader
from .registration import Domain
from .settings import Settings, get_settings
from .state import AppState, set_services

# The project's name and description as they were answered when it was generated. They live in a
# data file, not in Python source, where their quotes or typography could break syntax or lint.
ABOUT: dict[str, str] = json.loads(
    files(__package__).joinpath("about.json").read_text(encoding="utf-8")
)


def create_app(settings: Settings | None = None, domain: Domain = DOMAIN) -> FastAPI:
    """Build the app: the platform, and `domain`'s routes on it. Everything it needs is wired
    here, in the open: nothing is installed by an import, and no part replaces state or lifespan
    another part built."""
    settings = settings or get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database(settings)
        async with httpx.AsyncClient() as http:
            services = AppState(
                database=database,
                reader=Reader(database.driver_connection),
                verifier=record_tenant(build_verifier(settings, http)),
            )
            set_services(app, services)
            try:
                with collector_tuned_for_serving():
                    async with observability():
                        yield
            finally:
                set_services(app, None)
                await database.dispose()

    app = FastAPI(
        title=ABOUT["name"],
        description=ABOUT["description"],
        version="0.1.0",
        lifespan=lifespan,
    )
    install_error_handlers(
        app, constraint_messages(domain.tenant_tables, domain.constraint_messages)
    )
    app.include_router(health.router)
    for router in domain.routers:
        app.include_router(router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestTimeout, seconds=settings.request_timeout_seconds)
    # Last: its middleware wraps all the others. The lifespan above runs what it returns.
    observability = install_observability(app, settings)
    return app
