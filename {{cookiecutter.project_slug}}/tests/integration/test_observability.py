"""Observability of the real app on PostgreSQL: what /metrics says after real requests, the request
log, the separate metrics port, tracing to a loopback collector, and the metric names the
Grafana dashboard and the alert rules rely on."""

from __future__ import annotations

import io
import json
import logging
import platform
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped]
from fastapi import FastAPI
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.observability import request_telemetry
from {{ cookiecutter.package_name }}.observability.logs import JsonFormatter
from {{ cookiecutter.package_name }}.observability.tracing import (
    SERVICE_NAME,
)
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.state import services
from {{ cookiecutter.package_name }}.tables import Organization

from tests import example
from tests.conftest import bearer, make_settings
from tests.loopback_http import loopback_http
from tools.local_postgres import free_port

OPS = Path(__file__).parents[2] / "ops"
REQUEST_LOGGER = request_telemetry.logger.name
# Names the dashboard and alerts may use that postgres-exporter exports (its default collectors:
# pg_up from the exporter itself, stat_database, settings), so no scrape of the app shows them.
POSTGRES_EXPORTER_METRICS = frozenset(
    {
        "pg_up",
        "pg_stat_database_numbackends",
        "pg_stat_database_xact_commit",
        "pg_stat_database_xact_rollback",
        "pg_stat_database_deadlocks",
        "pg_settings_max_connections",
    }
)
# Written by Prometheus itself for every target it scrapes.
PROMETHEUS_METRICS = frozenset({"up"})
# PromQL words that look like metric names.
PROMQL_KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "inf", "nan"})


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)  # strings (label values)
    expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", expr)  # label matchers, ranges
    expr = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    names = re.findall(r"\b[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()", expr)  # not function calls
    return {name for name in names if name.lower() not in PROMQL_KEYWORDS}


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((OPS / "grafana/dashboards/service.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def alert_expressions() -> list[str]:
    rules = yaml.safe_load((OPS / "prometheus/alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


async def scrape(client: httpx.AsyncClient) -> list[Sample]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    return parse(response.text)


def parse(exposition: str) -> list[Sample]:
    families = text_string_to_metric_families(exposition)
    return [sample for family in families for sample in family.samples]


def value(samples: list[Sample], name: str, **labels: str) -> float | None:
    matching = [s.value for s in samples if s.name == name and s.labels == labels]
    assert len(matching) <= 1
    return matching[0] if matching else None


async def test_requests_are_counted_by_route_template_method_and_status(
    app: FastAPI, client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    for _ in range(2):
        assert (await client.get(example.COLLECTION, headers=auth_headers)).status_code == 200
    bad = await client.post(example.COLLECTION, json=example.INVALID_BODY, headers=auth_headers)
    assert bad.status_code == 422
    missing = await client.get(example.resource_path(uuid.uuid4()), headers=auth_headers)
    assert missing.status_code == 404
    assert (await client.get("/no/such/path")).status_code == 404
    await client.get("/metrics")

    samples = await scrape(client)
    listed = {"handler": example.COLLECTION}
    assert value(samples, "http_requests_total", **listed, method="GET", status="200") == 2
    assert value(samples, "http_requests_total", **listed, method="POST", status="422") == 1
    by_id = {"handler": example.RESOURCE, "method": "GET", "status": "404"}
    assert value(samples, "http_requests_total", **by_id) == 1
    # Paths no route matches share one series, whatever was asked for.
    assert value(samples, "http_requests_total", handler="none", method="GET", status="404") == 1
    get_ok = {**listed, "method": "GET", "status": "200"}
    assert value(samples, "http_request_duration_seconds_count", **get_ok) == 2
    assert value(samples, "http_request_duration_seconds_bucket", **get_ok, le="+Inf") == 2
    assert value(samples, "http_validation_failures_total", **listed, method="POST") == 1
    assert value(samples, "http_validation_failures_total", **listed, method="GET") is None
    # /metrics is not counted, and no request is in flight while it is scraped.
    assert not [s for s in samples if s.labels.get("handler") == "/metrics"]
    assert value(samples, "http_requests_in_flight") == 0
    build = {"version": app.version, "python": platform.python_version()}
    assert value(samples, "app_build_info", **build) == 1


async def test_pool_gauges_read_the_apps_pool_at_scrape_time(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    async with services(app).database.engine.connect():
        during = await scrape(client)
    after = await scrape(client)
    assert value(during, "db_pool_size") == settings.db_pool_size
    assert (value(during, "db_pool_checked_out"), value(during, "db_pool_checked_in")) == (1, 0)
    assert (value(after, "db_pool_checked_out"), value(after, "db_pool_checked_in")) == (0, 1)
    assert value(after, "db_pool_overflow") == 0


async def test_every_metric_the_dashboard_and_alerts_use_is_exported(
    client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Labelled series exist only once something was counted in them: one request of each kind.
    await client.get(example.COLLECTION, headers=auth_headers)
    await client.post(example.COLLECTION, json=example.INVALID_BODY, headers=auth_headers)
    exported = {sample.name for sample in await scrape(client)}

    used = {
        name
        for expr in dashboard_expressions() + alert_expressions()
        for name in metric_names(expr)
    }
    assert used - exported - POSTGRES_EXPORTER_METRICS - PROMETHEUS_METRICS == set()
    # The allow-lists hold nothing the ops files do not use.
    assert used >= POSTGRES_EXPORTER_METRICS | PROMETHEUS_METRICS


def test_metric_names_are_read_from_promql() -> None:
    expr = (
        "histogram_quantile(0.95, sum by (le, handler) (rate(http_request_duration_seconds_bucket"
        '{handler!~"/healthz|/readyz"}[5m]))) > 0.5 and on (job) up{job="app"} == bool 1'
    )
    assert metric_names(expr) == {"http_request_duration_seconds_bucket", "up"}


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


async def test_the_request_log_names_the_route_and_the_callers_tenant(
    client: httpx.AsyncClient,
    auth_headers: dict[str, str],
    organization: Organization,
    request_log: io.StringIO,
) -> None:
    body = example.new_resource("LOG1")
    created = await client.post(example.COLLECTION, json=body, headers=auth_headers)
    assert created.status_code == 201, created.text
    request_log.seek(0)
    request_log.truncate()  # the log of the two requests below only
    found = await client.get(example.resource_path(created.json()["id"]), headers=auth_headers)
    refused = await client.get(example.COLLECTION, headers={"Authorization": "Bearer not-a-token"})
    assert (found.status_code, refused.status_code) == (200, 401)

    first, second = (json.loads(line) for line in request_log.getvalue().splitlines())
    assert first["request_id"] == found.headers["x-request-id"]
    assert first["tenant_id"] == str(organization.id)
    assert (first["route"], first["status"]) == (example.RESOURCE, 200)
    assert "tenant_id" not in second  # no verified caller, no tenant
    token = auth_headers["Authorization"].removeprefix("Bearer ")
    assert token not in request_log.getvalue()


@asynccontextmanager
async def serving(database_url: str, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An app of its own with these settings, started, and a client for it."""
    app = create_app(make_settings(database_url=database_url, **settings))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client


async def test_a_metrics_port_serves_metrics_there_and_only_there(database_url: str) -> None:
    port = free_port()
    async with serving(database_url, metrics_port=port) as client, httpx.AsyncClient() as scraper:
        response = await scraper.get(f"http://127.0.0.1:{port}/metrics")
        on_the_api = await client.get("/metrics")
    assert response.status_code == 200
    assert value(parse(response.text), "db_pool_size") is not None
    assert on_the_api.status_code == 404


class _Collector(BaseHTTPRequestHandler):
    """An OTLP/HTTP collector that keeps what it is sent."""

    received: list[tuple[str, bytes]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output to the test's own."""


@pytest.fixture
def collector() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    received: list[tuple[str, bytes]] = []
    with loopback_http(type("Collector", (_Collector,), {"received": received})) as url:
        yield url, received


async def test_tracing_sends_a_span_per_request_to_the_collector_and_logs_its_trace_id(
    database_url: str,
    collector: tuple[str, list[tuple[str, bytes]]],
    request_log: io.StringIO,
    settings: Settings,
) -> None:
    endpoint, received = collector
    async with serving(database_url, otel_exporter_otlp_endpoint=endpoint) as client:
        response = await client.get(example.COLLECTION, headers=bearer(settings, uuid.uuid4()))
        await client.get("/healthz")  # a probe: not traced
    assert response.status_code == 200
    # Leaving the lifespan flushed the spans.
    assert [path for path, _ in received] == ["/v1/traces"]
    export = ExportTraceServiceRequest.FromString(received[0][1])
    (resource_spans,) = export.resource_spans
    attributes = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert attributes["service.name"] == SERVICE_NAME
    spans = [span for scope in resource_spans.scope_spans for span in scope.spans]
    assert [span.name for span in spans] == [f"GET {example.COLLECTION}"]
    log_line = json.loads(request_log.getvalue().splitlines()[0])
    assert log_line["trace_id"] == spans[0].trace_id.hex()


async def test_without_an_endpoint_nothing_is_traced(app: FastAPI) -> None:
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)
