"""`make perf`: the tenant it fills, the server it loads, and the pieces that turn wrk's output
into numbers, whatever the example domain (its part of perf is tools/workload.py)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tools import workload
from tools.connection_stats import STATS_FILE_VARIABLE, ConnectionStats, create_app
from tools.live_server import live_server
from tools.perf import (
    COUNTED,
    Run,
    fill_tenant,
    main,
    parse_wrk,
    served_connections,
    tenant_token,
)

WRK_OUTPUT = f"""Running 10s test @ http://127.0.0.1:8000{workload.PATH}
  2 threads and 200 connections
  Latency Distribution
     50%  226.01ms
     75%  400.00ms
     90%  700.00ms
     99%    1.03s
  6779 requests in 10.01s, 27.42MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 5
Requests/sec:    677.25
"""


def test_wrk_output_becomes_numbers() -> None:
    assert parse_wrk(WRK_OUTPUT) == {
        "requests": 6779,
        "p50_ms": 226.01,
        "p99_ms": 1030.0,
        "errors": 7,
        "timeouts": 3,
    }


def test_only_connections_answered_while_the_load_ran_count() -> None:
    stats = {
        "127.0.0.1:1": [40, 90.0, 99.0],  # the warm-up's
        "127.0.0.1:2": [3, 100.5, 101.0],
        "127.0.0.1:3": [1, 100.0, 100.0],
        "127.0.0.1:4": [12, 95.0, 105.0],  # a port the warm-up used, used again by the load
        "127.0.0.1:5": [1, 111.0, 111.0],  # the recovery probe
    }
    assert served_connections(stats, start=100.0, end=110.0) == 3


def _run(**changes: float) -> Run:
    values = {
        "connections": 50, "seconds": 10, "requests": 9000, "rps": 900.0, "p50_ms": 40.0,
        "p99_ms": 100.0, "errors": 0, "timeouts": 0, "connections_served": 50,
        "connections_never_served": 0, "cpu_ms_per_request": 1.0, "recovery_s": 0.01,
    }  # fmt: skip
    return Run(**{**values, **changes})  # type: ignore[arg-type]


def test_starvation_and_errors_always_fail_a_run() -> None:
    assert _run().invariant_failures() == []
    assert _run(connections_never_served=3).invariant_failures() == ["3 connections never served"]
    assert _run(timeouts=1).invariant_failures() == ["0 errors and 1 timeouts"]


def test_budget_misses_name_the_number_and_the_limit() -> None:
    assert _run().budget_misses() == []
    assert _run(rps=700.0, p99_ms=200.0).budget_misses() == [
        "700.0 req/s < 800",
        "p99_ms 200.0 > 150",
    ]


async def test_the_server_counts_responses_per_connection(tmp_path: Path) -> None:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    stats = tmp_path / "stats.json"
    counted = ConnectionStats(app, stats)
    async with app.router.lifespan_context(app):
        for port in (1111, 1111, 2222):
            transport = httpx.ASGITransport(app=counted, client=("127.0.0.1", port))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                assert (await client.get("/ping")).status_code == 200
    await counted._dump_on_shutdown(_ignore)({"type": "lifespan.shutdown.complete"})
    recorded = json.loads(stats.read_text())
    assert {client: count for client, (count, _, _) in recorded.items()} == {
        "127.0.0.1:1111": 2,
        "127.0.0.1:2222": 1,
    }
    first, last = recorded["127.0.0.1:1111"][1:]
    assert first <= last


async def _ignore(message: object) -> None:
    return None


def test_the_counted_server_counts_the_answers_of_each_connection(
    migrated_database: Callable[[str], str], tmp_path: Path
) -> None:
    stats = tmp_path / "connections.json"
    with (
        live_server(
            migrated_database("perf"),
            log=tmp_path / "server.log",
            app=COUNTED,
            env={STATS_FILE_VARIABLE: str(stats)},
        ) as server,
        httpx.Client(base_url=server.base_url) as client,  # one connection, kept alive
    ):
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
    counts = [count for count, _, _ in json.loads(stats.read_text()).values()]
    assert 3 in counts, counts  # besides the readiness probes of live_server


def test_perf_serves_the_application_counted_into_the_file_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(STATS_FILE_VARIABLE, str(tmp_path / "stats.json"))
    counted = create_app()
    assert isinstance(counted.app, FastAPI)
    assert counted.path == tmp_path / "stats.json"


def test_the_workload_request_answers_the_tenant_perf_fills(
    migrated_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = migrated_database("perf_workload")
    filled, empty = uuid.uuid4(), uuid.uuid4()
    asyncio.run(fill_tenant(url, filled))
    with live_server(url, log=tmp_path / "server.log") as server:
        answers = {
            tenant: httpx.get(
                server.base_url + workload.PATH,
                headers={"Authorization": f"Bearer {tenant_token(tenant)}"},
            )
            for tenant in (filled, empty)
        }
    # wrk counts any other answer as an error, and an empty tenant's answer measures no reading.
    assert [answer.status_code for answer in answers.values()] == [200, 200]
    assert len(answers[filled].content) > len(answers[empty].content)


def test_the_help_describes_the_workload(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert " ".join(workload.DESCRIPTION.split()) in " ".join(capsys.readouterr().out.split())


def test_server_settings_are_given_as_name_equals_value(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--server-env", "JWT_CACHE_SECONDS"])
    assert "expected NAME=VALUE, got 'JWT_CACHE_SECONDS'" in capsys.readouterr().err
