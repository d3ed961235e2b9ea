"""Prometheus metrics: HTTP traffic by route template, in-flight requests, validation failures
(a data-quality signal), database pool usage read at scrape time, and build info.

Each app gets its own registry, so several apps in one process (tests) never collide.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Iterable

from fastapi import FastAPI
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Info,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_fastapi_instrumentator import Instrumentator
from prometheus_fastapi_instrumentator import metrics as instrumentations
from sqlalchemy.pool import QueuePool
from starlette.datastructures import State

METRICS_PATH = "/metrics"
# Seconds. Requests take milliseconds; the tail up to the pool timeout and beyond still lands in
# a bucket of its own.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class PoolCollector(Collector):
    """The SQLAlchemy pool of `app.state.database`, read when Prometheus scrapes."""

    def __init__(self, state: State) -> None:
        self._state = state

    def collect(self) -> Iterable[Metric]:
        database = getattr(self._state, "database", None)  # set while the app runs
        pool = database.engine.sync_engine.pool if database is not None else None
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


def _validation_failures(registry: CollectorRegistry) -> Callable[[instrumentations.Info], None]:
    counter = Counter(
        "http_validation_failures",
        "Requests refused with 422: a body or parameter broke a rule (data quality).",
        ("handler", "method"),
        registry=registry,
    )

    def record(info: instrumentations.Info) -> None:
        if info.modified_status == "422":
            counter.labels(info.modified_handler, info.method).inc()

    return record


def instrument(app: FastAPI, expose: bool) -> tuple[CollectorRegistry, Gauge]:
    """Count the app's requests into a registry of its own; serve it on /metrics when `expose`.

    Returns the registry and the in-flight gauge the request telemetry middleware keeps.
    """
    # Drop the `_created` twin of every counter and histogram series: twice the series for a
    # timestamp dashboards and alerts never read. (Process-wide; this process is the service.)
    disable_created_metrics()  # type: ignore[no-untyped-call]
    registry = CollectorRegistry()
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    registry.register(PoolCollector(app.state))
    Info("app_build", "Version of the running service.", registry=registry).info(
        {"version": app.version, "python": platform.python_version()}
    )
    in_flight = Gauge("http_requests_in_flight", "Requests being served.", registry=registry)
    instrumentator = Instrumentator(
        should_group_status_codes=False,
        # Paths no route matches are counted as handler "none": one series, not one per path.
        should_group_untemplated=True,
        excluded_handlers=[f"^{METRICS_PATH}$"],
        registry=registry,
    )
    instrumentator.add(
        instrumentations.requests(registry=registry),
        instrumentations.latency(buckets=LATENCY_BUCKETS, registry=registry),
        _validation_failures(registry),
    )
    instrumentator.instrument(app)
    if expose:
        instrumentator.expose(app, endpoint=METRICS_PATH, include_in_schema=False)
    return registry, in_flight
