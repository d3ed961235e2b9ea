"""Metrics, request logs and tracing, installed on the app in one call (docs/observability.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from prometheus_client import start_http_server

from ..auth import Principal, TokenVerifier
from ..settings import Settings
from .logs import configure_logging, current_request
from .metrics import METRICS_PATH, HttpMetrics, expose, new_registry
from .request_telemetry import RequestTelemetry
from .tracing import install_tracing, trace_id_reader


class TenantRecordingVerifier:
    """The app's token verifier, noting each verified caller's tenant for the request log.

    The tenant is known only once a dependency has verified the token; wrapping the verifier
    (built in the app's lifespan) tells the log without auth.py knowing about logging.
    """

    def __init__(self, verifier: TokenVerifier) -> None:
        self._verifier = verifier

    async def verify(self, token: str) -> Principal:
        principal = await self._verifier.verify(token)
        context = current_request.get()
        if context is not None:
            context.tenant_id = str(principal.tenant_id)
        return principal


def install_observability(app: FastAPI, settings: Settings) -> None:
    """Call last in create_app: the middleware added here must wrap all the others."""
    configure_logging(settings)
    registry = new_registry(app)
    if settings.metrics_port is None:
        expose(app, registry)
    tracer_provider = install_tracing(app, settings)
    app.add_middleware(
        RequestTelemetry,
        metrics=HttpMetrics(registry),
        skip_paths={METRICS_PATH},
        trace_id=trace_id_reader() if tracer_provider is not None else None,
    )

    @asynccontextmanager
    async def running(app: FastAPI) -> AsyncIterator[None]:
        app.state.verifier = TenantRecordingVerifier(app.state.verifier)
        metrics_server = None
        if settings.metrics_port is not None:
            metrics_server, _ = start_http_server(
                settings.metrics_port, settings.metrics_host, registry
            )
        try:
            yield
        finally:
            if metrics_server is not None:
                metrics_server.shutdown()
                metrics_server.server_close()
            if tracer_provider is not None:
                tracer_provider.shutdown()  # flushes the spans still queued

    _run_inside_lifespan(app, running)


def _run_inside_lifespan(
    app: FastAPI, context: Callable[[FastAPI], AbstractAsyncContextManager[None]]
) -> None:
    """Enter `context(app)` after the app's own startup and leave it before its shutdown."""
    lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def extended(app: Any) -> AsyncIterator[Any]:
        async with lifespan(app) as state, context(app):
            yield state

    app.router.lifespan_context = extended
