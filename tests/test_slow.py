"""Slow tier: a baked default project passes its own gates and serves, with no database given."""

from __future__ import annotations

import re
import signal
import socket
from pathlib import Path

import pytest

from tests.baking import run_in
from tests.serving import http_status, serving

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("slow")]


def test_make_check_passes_against_a_throwaway_postgres(slow_project: Path) -> None:
    output = run_in(slow_project, ["make", "check"], timeout=900)
    assert re.search(r"\d+ passed", output)
    assert (slow_project / "reports" / "junit-unit.xml").is_file()
    assert (slow_project / "reports" / "junit-integration.xml").is_file()
    assert (slow_project / "reports" / "coverage.xml").is_file()


def test_the_suite_runs_on_parallel_workers_each_with_its_own_database(slow_project: Path) -> None:
    layers = ["tests/unit", "tests/property", "tests/integration", "tests/e2e"]
    output = run_in(slow_project, ["uv", "run", "pytest", "-n", "auto", "-q", *layers], timeout=900)
    assert "bringing up nodes" in output, "pytest-xdist did not start workers"
    assert re.search(r"\d+ passed", output)
    assert "failed" not in output


def test_make_dev_serves_health_and_readiness_on_loopback(slow_project: Path) -> None:
    with serving(slow_project, ["make", "dev"], stop_signal=signal.SIGTERM) as server:
        assert http_status(f"{server.base_url}/readyz") == 200
    database = re.search(
        r"Throwaway PostgreSQL: postgresql\+asyncpg://postgres@127.0.0.1:(\d+)/", server.output[0]
    )
    assert database, server.output[0]
    assert http_status(f"{server.base_url}/healthz") is None, "still listening after SIGTERM"
    with pytest.raises(ConnectionRefusedError):  # the throwaway cluster went with it
        socket.create_connection(("127.0.0.1", int(database.group(1))), timeout=2).close()
