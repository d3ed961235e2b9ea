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

from {{ cookiecutter.package_name }}.local_postgres import throwaway_postgres
from {{ cookiecutter.package_name }}.migrations import upgrade
from {{ cookiecutter.package_name }}.seed import (
    DEMO_ORGANIZATION_ID,
    seed_database,
)
from {{ cookiecutter.package_name }}.tokens import mint_token

from tests.conftest import ALEMBIC_INI, _fresh_database_url, make_settings
from tests.live_server import PROJECT, live_server

REPORTS = PROJECT / "reports"
LOCUSTFILE = PROJECT / "tests" / "load" / "locustfile.py"


@contextmanager
def _local_target() -> Iterator[tuple[str, str]]:
    """A server of our own on a fresh, seeded database: (base URL, token)."""
    with ExitStack() as stack:
        server = os.environ.get("DATABASE_URL") or stack.enter_context(throwaway_postgres())
        database_url = _fresh_database_url(
            make_settings(database_url=server).database_url.get_secret_value(), "load"
        )
        upgrade(database_url, config_file=ALEMBIC_INI)
        asyncio.run(seed_database(database_url))
        token = mint_token(make_settings(), tenant_id=DEMO_ORGANIZATION_ID, subject="load-test")
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
