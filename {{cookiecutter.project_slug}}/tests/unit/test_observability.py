"""Request telemetry and log lines, on a stand-in ASGI app: no server, no database."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from starlette.types import Receive, Scope, Send

from {{ cookiecutter.package_name }}.observability import request_telemetry
from {{ cookiecutter.package_name }}.observability.logs import (
    REDACTED,
    JsonFormatter,
    RequestContext,
    TextFormatter,
    configure_logging,
    current_request,
    log_format,
    redact,
)
from {{ cookiecutter.package_name }}.observability.metrics import (
    HttpMetrics,
    PoolCollector,
)
from {{ cookiecutter.package_name }}.observability.request_telemetry import (
    RequestTelemetry,
    request_id_from,
)
from {{ cookiecutter.package_name }}.settings import LogFormat

from tests.conftest import make_settings
from tools.tokens import mint_token

REQUEST_LOGGER = request_telemetry.logger.name
DEPLOYED = {
    "environment": "production",
    "database_url": "postgresql://app@db.internal:5432/app",
    "jwt_jwks_url": "https://issuer.example.com/.well-known/jwks.json",
    "jwt_issuer": "https://issuer.example.com/",
}


@dataclass(frozen=True)
class Route:
    path: str


def in_flight(registry: CollectorRegistry) -> float | None:
    return registry.get_sample_value("http_requests_in_flight")


class StandIn:
    """Answers like a routed endpoint; records the in-flight gauge while it runs."""

    def __init__(self, registry: CollectorRegistry, status: int = 200, fail: bool = False) -> None:
        self.registry = registry
        self.status = status
        self.fail = fail
        self.in_flight_seen: float | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.in_flight_seen = in_flight(self.registry)
        scope["route"] = Route("/things/{thing_id}")
        if self.fail:
            raise RuntimeError("boom")
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Request log lines as the JSON formatter writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def telemetry(
    status: int = 200, fail: bool = False
) -> tuple[RequestTelemetry, StandIn, CollectorRegistry]:
    registry = CollectorRegistry()
    app = StandIn(registry, status, fail)
    metrics = HttpMetrics(registry)
    return RequestTelemetry(app, metrics=metrics, skip_paths={"/metrics"}), app, registry


def client_for(app: RequestTelemetry) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.mark.parametrize("given", ["abc-123", "req_1.2:3", "A" * 128])
def test_a_well_formed_request_id_is_kept(given: str) -> None:
    assert request_id_from([(b"x-request-id", given.encode())]) == given


@pytest.mark.parametrize(
    "given", [b"", b"A" * 129, b"has space", b"line\nbreak", b'{"json":1}', "é".encode()]
)
def test_a_malformed_request_id_is_replaced(given: bytes) -> None:
    generated = request_id_from([(b"x-request-id", given)])
    assert generated != given.decode(errors="replace")
    assert len(generated) == 32
    int(generated, 16)  # hex


def test_generated_request_ids_differ() -> None:
    assert len({request_id_from([]) for _ in range(100)}) == 100


async def test_one_json_line_per_request_with_the_request_id_it_returns(
    log_lines: io.StringIO,
) -> None:
    app, _, _ = telemetry(status=201)
    async with client_for(app) as client:
        response = await client.post("/things/7", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    (line,) = lines(log_lines)
    assert line["request_id"] == "abc-123"
    assert line["severity"] == "INFO"
    assert (line["method"], line["route"], line["path"], line["status"]) == (
        "POST",
        "/things/{thing_id}",
        "/things/7",
        201,
    )
    assert isinstance(line["duration_ms"], float)
    assert line["message"] == "POST /things/{thing_id} 201"


async def test_the_token_never_reaches_the_log(log_lines: io.StringIO) -> None:
    token = mint_token(make_settings(), tenant_id=uuid.uuid4(), roles=("admin",))
    app, _, _ = telemetry()
    async with client_for(app) as client:
        await client.get("/things/1", headers={"Authorization": f"Bearer {token}"})
        logging.getLogger(REQUEST_LOGGER).warning("a careless line quoting Bearer %s", token)
    text = log_lines.getvalue()
    assert len(lines(log_lines)) == 2
    assert token not in text
    assert token.split(".")[1] not in text  # not even the claims


async def test_a_request_gets_a_new_id_without_one(log_lines: io.StringIO) -> None:
    app, _, _ = telemetry()
    async with client_for(app) as client:
        first = await client.get("/things/1")
        second = await client.get("/things/1")
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert ids[0] != ids[1]
    assert [line["request_id"] for line in lines(log_lines)] == ids


async def test_in_flight_counts_the_request_while_it_runs_even_when_it_fails(
    log_lines: io.StringIO,
) -> None:
    app, stand_in, registry = telemetry(fail=True)
    async with client_for(app) as client:
        await client.get("/things/1")
    assert stand_in.in_flight_seen == 1
    assert in_flight(registry) == 0
    (line,) = lines(log_lines)
    assert (line["status"], line["severity"]) == (500, "WARNING")
    failed = {"handler": "/things/{thing_id}", "method": "GET", "status": "500"}
    assert registry.get_sample_value("http_requests_total", failed) == 1


async def test_422s_are_counted_as_validation_failures_too(log_lines: io.StringIO) -> None:
    app, _, registry = telemetry(status=422)
    async with client_for(app) as client:
        for _ in range(2):
            await client.put("/things/1")
    refused = {"handler": "/things/{thing_id}", "method": "PUT"}
    assert registry.get_sample_value("http_requests_total", {**refused, "status": "422"}) == 2
    assert registry.get_sample_value("http_validation_failures_total", refused) == 2
    latency = {**refused, "status": "422", "le": "+Inf"}
    assert registry.get_sample_value("http_request_duration_seconds_bucket", latency) == 2


async def test_skipped_paths_are_neither_logged_nor_counted(log_lines: io.StringIO) -> None:
    app, stand_in, _ = telemetry()
    async with client_for(app) as client:
        response = await client.get("/metrics")
    assert "x-request-id" not in response.headers
    assert stand_in.in_flight_seen == 0
    assert log_lines.getvalue() == ""


def test_every_line_inside_a_request_carries_its_id_and_tenant() -> None:
    record = logging.makeLogRecord({"name": "any", "msg": "inside", "levelno": logging.INFO})
    token = current_request.set(RequestContext("req-1", tenant_id="org-1"))
    try:
        line = json.loads(JsonFormatter().format(record))
        text = TextFormatter().format(record)
    finally:
        current_request.reset(token)
    assert (line["request_id"], line["tenant_id"]) == ("req-1", "org-1")
    assert text.endswith("inside request_id=req-1 tenant_id=org-1")


def test_exceptions_are_logged_as_one_json_field() -> None:
    try:
        raise ValueError("bad value")
    except ValueError as error:
        record = logging.makeLogRecord({"msg": "failed", "exc_info": (type(error), error, None)})
    line = json.loads(JsonFormatter().format(record))
    assert "ValueError: bad value" in line["exception"]


def test_extra_fields_are_logged_but_uvicorns_coloured_message_is_not() -> None:
    record = logging.makeLogRecord(
        {"msg": "Started", "job_id": "j-1", "color_message": "\x1b[36mStarted\x1b[0m"}
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["job_id"] == "j-1"
    assert "color_message" not in line


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("Authorization: Bearer abc.def-ghi", "abc.def-ghi"),
        ("authorization: BEARER opaque-token==", "opaque-token=="),
        (
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln refused",  # pragma: allowlist secret
            "eyJhbGciOiJIUzI1NiJ9",
        ),
        ("cannot reach postgresql://app:s3cret@db:5432/app", "s3cret"),  # pragma: allowlist secret
    ],
)
def test_credentials_are_redacted_wherever_they_appear(line: str, secret: str) -> None:
    redacted = redact(line)
    assert secret not in redacted
    assert REDACTED in redacted


def test_lines_without_credentials_are_left_alone() -> None:
    line = '{"message": "GET /readyz 200", "status": 200}'
    assert redact(line) == line


def test_json_when_deployed_and_text_elsewhere_unless_log_format_says() -> None:
    assert log_format(make_settings()) is LogFormat.TEXT
    assert log_format(make_settings(**DEPLOYED)) is LogFormat.JSON
    assert log_format(make_settings(log_format="json")) is LogFormat.JSON
    assert log_format(make_settings(**DEPLOYED, log_format="text")) is LogFormat.TEXT


def test_configuring_twice_leaves_one_console_handler(root_logger: logging.Logger) -> None:
    logging.basicConfig()  # what a tool or a shell might have done first
    configure_logging(make_settings(log_format="json", log_level="WARNING"))
    configure_logging(make_settings(log_format="json", log_level="WARNING"))
    consoles = [h for h in root_logger.handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(consoles) == 1
    assert not [
        h for h in root_logger.handlers if type(h) is logging.StreamHandler and h not in consoles
    ]
    assert root_logger.level == logging.WARNING
    # The request line replaces uvicorn's access log; its other lines go through our handler.
    assert logging.getLogger("uvicorn.access").disabled
    assert logging.getLogger("uvicorn.error").propagate


def test_no_pool_gauges_before_the_app_has_a_database() -> None:
    assert list(PoolCollector(FastAPI()).collect()) == []
