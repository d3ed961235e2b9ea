"""The real server in a subprocess on a free loopback port: used by the e2e layer, `make load`
and `make perf`.

It runs what production runs (`uvicorn --factory ...`), configured only through environment
variables, from an empty working directory so a developer's `.env` cannot leak in. `make perf`
serves the same application wrapped in a tool of its own (`app=`), found from the project's root.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tools.local_postgres import free_port

PROJECT = Path(__file__).resolve().parent.parent
APP = "{{ cookiecutter.package_name }}.main:create_app"
READY_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    # For signalling the server and reading its exit status and log (resilience tests).
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:  # for measuring the server process itself (make perf reads its CPU)
        return self.process.pid


class ServerError(RuntimeError):
    """The server did not start or stop cleanly; the message carries its log."""

    def __init__(self, problem: str, log: Path) -> None:
        super().__init__(
            f"{problem}; server log ({log}):\n{log.read_text(errors='replace')[-5000:]}"
        )


def _command(app: str, port: int, *, coverage: bool, access_log: bool) -> list[str]:
    uvicorn = ["-m", "uvicorn", "--factory", app, "--host", "127.0.0.1", "--port", str(port)]
    if app != APP:  # a tool's wrapper of the application, importable from the project's root
        uvicorn += ["--app-dir", str(PROJECT)]
    if not access_log:
        uvicorn.append("--no-access-log")
    if coverage:
        # Appends a data file of its own next to COVERAGE_FILE, which pytest-cov then combines.
        rcfile = f"--rcfile={PROJECT / 'pyproject.toml'}"
        return [sys.executable, "-m", "coverage", "run", "--parallel-mode", rcfile, *uvicorn]
    return [sys.executable, *uvicorn]


def _environment(database_url: str, extra: Mapping[str, str]) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "ENVIRONMENT": "test", **extra}
    if "COVERAGE_FILE" in env:  # relative to our working directory, not the server's
        env["COVERAGE_FILE"] = str(Path(env["COVERAGE_FILE"]).resolve())
    return env


def _wait_until_ok(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            raise ServerError(f"the server exited with {process.returncode} while starting", log)
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        if time.monotonic() > deadline:
            raise ServerError(f"{url} did not answer 200 within {READY_TIMEOUT_SECONDS} s", log)
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes], log: Path) -> None:
    """Ctrl-C: uvicorn drains exactly as on SIGTERM, then re-raises the signal. A re-raised SIGINT
    ends Python in an orderly way, so coverage saves its data; a re-raised SIGTERM kills it first.
    """
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise ServerError(f"SIGINT did not stop it within {STOP_TIMEOUT_SECONDS} s", log) from None


@contextmanager
def live_server(
    database_url: str,
    *,
    log: Path,
    coverage: bool = False,
    access_log: bool = True,
    env: Mapping[str, str] | None = None,
    wait_for: str = "/readyz",
    app: str = APP,
) -> Iterator[LiveServer]:
    """Serve the app against `database_url` (already migrated) until the block ends.

    The block starts once `wait_for` answers 200: /healthz when the database may be down.
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output, tempfile.TemporaryDirectory(prefix="server-cwd-") as cwd:
        process = subprocess.Popen(
            _command(app, port, coverage=coverage, access_log=access_log),
            cwd=cwd,
            env=_environment(database_url, env or {}),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_ok(base_url + wait_for, process, log)
            yield LiveServer(base_url, process, log)
        finally:
            if process.poll() is None:
                _stop(process, log)
