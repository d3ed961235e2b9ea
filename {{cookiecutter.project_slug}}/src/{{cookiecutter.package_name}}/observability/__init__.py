"""Metrics, request logs and tracing (docs/observability.md).

The app factory wires them explicitly: it configures logging, installs the middleware, wraps the
token verifier it builds with `record_tenant`, and enters the context `install_observability`
returns inside its own lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from prometheus_client import start_http_server

from ..auth import Principal, TokenVerifier
from ..settings import Settings
from .logs import current_request
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


def record_tenant(verifier: TokenVerifier) -> TenantRecordingVerifier:
    """`verifier`, wrapped to note each verified caller's tenant for the request log."""
    return TenantRecordingVerifier(verifier)


def install_observability(
    app: FastAPI, settings: Settings
) -> Callable[[], AbstractAsyncContextManager[None]]:
    """Install the metrics, tracing and request telemetry middleware; return what runs them.

    Call last in create_app: the middleware added here must wrap all the others. The app's
    lifespan enters the returned context while it serves: it serves the metrics on their own
    port when one is set and flushes the last spans at shutdown.
    """
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
    async def running() -> AsyncIterator[None]:
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

    return running
