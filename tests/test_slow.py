"""Slow tier: a baked default project passes its own gates and serves, with no database given."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.baking import project_env, run_in

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_make_dev_serves_health_and_readiness_on_loopback(slow_project: Path) -> None:
    port = _free_port()
    env = {**project_env(slow_project), "PORT": str(port)}
    server = subprocess.Popen(
        ["make", "dev"],
        cwd=slow_project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: make, uv, the reloader and the worker
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while _status(f"{base}/healthz") != 200:
            assert server.poll() is None, f"make dev exited early:\n{server.communicate()[0]}"
            assert time.monotonic() < deadline, "make dev did not answer /healthz within 90 s"
            time.sleep(0.3)
        assert _status(f"{base}/readyz") == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    database = re.search(
        r"Throwaway PostgreSQL: postgresql\+asyncpg://postgres@127.0.0.1:(\d+)/", output
    )
    assert database, output
    assert _status(f"{base}/healthz") is None, "the server is still listening after SIGTERM"
    with pytest.raises(ConnectionRefusedError):  # the throwaway cluster went with it
        socket.create_connection(("127.0.0.1", int(database.group(1))), timeout=2).close()
