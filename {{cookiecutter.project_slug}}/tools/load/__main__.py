"""`make load`: a bounded, headless locust run with the gate in `locustfile.py`.

Without BASE_URL it serves the app itself: a fresh database (on DATABASE_URL's server, or a
throwaway local PostgreSQL), migrated and seeded, and a token for the demo organization. With
BASE_URL it needs LOAD_TOKEN, a token that deployment accepts. Reports go to reports/load*.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from {{ cookiecutter.package_name }}.settings import Environment, Settings

from tools.live_server import PROJECT, live_server
from tools.local_postgres import fresh_database, throwaway_postgres
from tools.migrations import upgrade
from tools.seed import DEMO_ORGANIZATION_ID, seed_database
from tools.tokens import mint_token

REPORTS = PROJECT / "reports"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def _settings(**overrides: Any) -> Settings:
    """Settings as the server it starts gets them (ENVIRONMENT=test), never the developer's
    `.env`."""
    return Settings(_env_file=None, **{"environment": Environment.TEST, **overrides})


@contextmanager
def _local_target() -> Iterator[tuple[str, str]]:
    """A server of our own on a fresh, seeded database: (base URL, token)."""
    with ExitStack() as stack:
        server = os.environ.get("DATABASE_URL") or stack.enter_context(throwaway_postgres())
        database_url = fresh_database(
            _settings(database_url=server).database_url.get_secret_value(), "load"
        )
        upgrade(database_url)
        asyncio.run(seed_database(database_url))
        token = mint_token(_settings(), tenant_id=DEMO_ORGANIZATION_ID, subject="load-test")
        log = REPORTS / "load-server.log"
        # Access logs cost the server CPU that the measurement should not include.
        running = stack.enter_context(live_server(database_url, log=log, access_log=False))
        yield running.base_url, token


def _locust(base_url: str, token: str) -> int:
    users, run_time = os.environ["LOAD_USERS"], os.environ["LOAD_RUN_TIME"]
    REPORTS.mkdir(exist_ok=True)
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "--host", base_url, "--users", users, "--spawn-rate", users, "--run-time", run_time,
        "--stop-timeout", "5", "--csv", str(REPORTS / "load"), "--html", str(REPORTS / "load.html"),
        "--json-file", str(REPORTS / "load"),
    ]  # fmt: skip
    return subprocess.run(command, env={**os.environ, "LOAD_TOKEN": token}, check=False).returncode


def main() -> int:
    base_url = os.environ.get("BASE_URL")
    if base_url:
        token = os.environ.get("LOAD_TOKEN")
        if not token:
            print("BASE_URL is set: also set LOAD_TOKEN to a bearer token it accepts")
            return 2
        return _locust(base_url, token)
    with _local_target() as (local_url, token):
        return _locust(local_url, token)


if __name__ == "__main__":
    sys.exit(main())
