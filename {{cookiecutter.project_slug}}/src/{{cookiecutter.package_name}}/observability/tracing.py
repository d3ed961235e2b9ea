"""OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set.

Off, nothing of OpenTelemetry is even imported: requests pay nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import FastAPI

from ..settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

SERVICE_NAME = "{{ cookiecutter.project_slug }}"
# Probes and scrapes arrive every few seconds and would bury the traces worth reading.
UNTRACED_PATHS = "/healthz$,/readyz$,/metrics$"


def install_tracing(app: FastAPI, settings: Settings) -> TracerProvider | None:
    """Trace every request to the OTLP/HTTP collector at the configured endpoint.

    Returns the tracer provider (shut it down to flush the last spans), or None when tracing
    is off. Sampling follows the standard OTEL_TRACES_SAMPLER(_ARG) variables.
    """
    if settings.otel_exporter_otlp_endpoint is None:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.sdk.resources import (
        DEPLOYMENT_ENVIRONMENT,
        SERVICE_VERSION,
        Resource,
    )
    from opentelemetry.sdk.resources import SERVICE_NAME as SERVICE_NAME_KEY
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create(
        {
            SERVICE_NAME_KEY: SERVICE_NAME,
            SERVICE_VERSION: app.version,
            DEPLOYMENT_ENVIRONMENT: settings.environment.value,
        }
    )
    provider = TracerProvider(resource=resource)
    # The base endpoint gets the signal's path, as the OTLP exporter specification says.
    endpoint = settings.otel_exporter_otlp_endpoint.rstrip("/") + "/v1/traces"
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=UNTRACED_PATHS,
        # One span per request, not three: the ASGI send/receive spans only repeat its timing.
        exclude_spans=["receive", "send"],
    )
    return provider


def trace_id_reader() -> Callable[[], str | None]:
    """Reads the current trace id, so request log lines lead to their trace."""
    from opentelemetry import trace

    def current_trace_id() -> str | None:
        context = trace.get_current_span().get_span_context()
        return format(context.trace_id, "032x") if context.is_valid else None

    return current_trace_id
