"""Prometheus metrics: HTTP traffic by route template, in-flight requests, validation failures
(a data-quality signal), database pool usage read at scrape time, and build info.

Each app gets its own registry, so several apps in one process (tests) never collide.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.pool import QueuePool

from ..state import running_services

METRICS_PATH = "/metrics"
# Seconds. Requests take milliseconds; the tail up to the pool timeout and beyond still lands in
# a bucket of its own.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class PoolCollector(Collector):
    """The SQLAlchemy pool of the running app's database, read when Prometheus scrapes."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app

    def collect(self) -> Iterable[Metric]:
        running = running_services(self._app)  # none before the app starts or after it stops
        pool = running.database.engine.sync_engine.pool if running is not None else None
        if not isinstance(pool, QueuePool):
            return []
        return [
            GaugeMetricFamily("db_pool_size", "Connections the pool keeps open.", pool.size()),
            GaugeMetricFamily(
                "db_pool_checked_out", "Connections in use by requests.", pool.checkedout()
            ),
            GaugeMetricFamily(
                "db_pool_checked_in", "Open connections idle in the pool.", pool.checkedin()
            ),
            GaugeMetricFamily(
                "db_pool_overflow",
                "Connections open beyond the pool size (max_overflow).",
                max(pool.overflow(), 0),  # negative while the pool is not yet full
            ),
        ]


_Series = tuple[Counter, Histogram, Counter | None]


class HttpMetrics:
    """Requests by route template, method and status; their latency; requests in flight; and
    validation failures (422s: a data-quality signal). Kept by the RequestTelemetry middleware.

    The route template is the one the router matched (`scope["route"]`), so a path with ids in it
    is one series; paths no route matches, and requests answered before routing (a 413 for a
    declared Content-Length), count as handler "none".
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        labels = ("handler", "method", "status")
        self._requests = Counter("http_requests", "Requests answered.", labels, registry=registry)
        self._latency = Histogram(
            "http_request_duration_seconds",
            "Time from the request's arrival to the end of its response.",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self._validation_failures = Counter(
            "http_validation_failures",
            "Requests refused with 422: a body or parameter broke a rule (data quality).",
            ("handler", "method"),
            registry=registry,
        )
        self.in_flight = Gauge(
            "http_requests_in_flight", "Requests being served.", registry=registry
        )
        # Children per label set: looking one up by its labels costs more than updating it.
        self._series: dict[tuple[str, str, int], _Series] = {}

    def observe(self, handler: str | None, method: str, status: int, seconds: float) -> None:
        key = (handler or "none", method, status)
        series = self._series.get(key)
        if series is None:
            series = self._series[key] = self._new_series(*key)
        requests, latency, validation_failures = series
        requests.inc()
        latency.observe(seconds)
        if validation_failures is not None:
            validation_failures.inc()

    def _new_series(self, handler: str, method: str, status: int) -> _Series:
        labels = (handler, method, str(status))
        return (
            self._requests.labels(*labels),
            self._latency.labels(*labels),
            self._validation_failures.labels(handler, method) if status == 422 else None,
        )


def new_registry(app: FastAPI) -> CollectorRegistry:
    """A registry with the process, pool and build metrics; HttpMetrics adds the traffic."""
    # Drop the `_created` twin of every counter and histogram series: twice the series for a
    # timestamp dashboards and alerts never read. (Process-wide; this process is the service.)
    disable_created_metrics()  # type: ignore[no-untyped-call]
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    registry.register(PoolCollector(app))
    Info("app_build", "Version of the running service.", registry=registry).info(
        {"version": app.version, "python": platform.python_version()}
    )
    return registry


def expose(app: FastAPI, registry: CollectorRegistry) -> None:
    """Serve `registry` on METRICS_PATH in Prometheus' text format (not in the OpenAPI schema)."""

    @app.get(METRICS_PATH, include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
