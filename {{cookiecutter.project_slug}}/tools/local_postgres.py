"""A throwaway PostgreSQL cluster for tests and `make dev` when DATABASE_URL is not set.

It runs the server binaries found on this machine, listens on 127.0.0.1 on a free port, keeps its
data in a temporary folder (in memory where /dev/shm exists) and is gone when the block exits.
`fresh_database` gives a run a clean database of its own on any server, throwaway or not.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

HOW_TO_GET_POSTGRES = (
    "no PostgreSQL found: DATABASE_URL is not set and no server binaries (initdb, pg_ctl) are "
    "installed. Either set DATABASE_URL to a running server (e.g. `docker compose up -d db` and "
    "DATABASE_URL=postgresql://postgres:postgres@127.0.0.1:5432/app), or install the server "
    "binaries (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@16; "
    "on Python < 3.13 `uv sync` also installs them with the pgserver wheel)."
)
# Durability is pointless for data that dies with the test run, and skipping it saves seconds.
FAST_UNSAFE_OPTIONS = "-F -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
# initdb refuses to run as root; as root the cluster belongs to this account instead.
SERVICE_ACCOUNT = "postgres"


class PostgresNotFoundError(RuntimeError):
    def __init__(self) -> None:
        super().__init__(HOW_TO_GET_POSTGRES)


def _is_server_bindir(path: Path) -> bool:
    tools = ("initdb", "pg_ctl", "postgres", "createdb")
    return all(os.access(path / tool, os.X_OK) for tool in tools)


def _version(path: Path) -> list[int]:
    """Numbers in a path, so /usr/lib/postgresql/16 sorts after /usr/lib/postgresql/9."""
    return [int(number) for number in re.findall(r"\d+", str(path))]


def _candidate_bindirs() -> Iterator[Path]:
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if found:
            yield Path(found)
    initdb = shutil.which("initdb")
    if initdb:
        yield Path(initdb).resolve().parent
    for pattern in (
        "/usr/lib/postgresql/*/bin",
        "/usr/pgsql-*/bin",
        "/opt/homebrew/opt/postgresql@*/bin",
        "/usr/local/opt/postgresql@*/bin",
        "/Applications/Postgres.app/Contents/Versions/*/bin",
    ):
        yield from sorted(Path("/").glob(pattern.lstrip("/")), key=_version, reverse=True)
    try:
        import pgserver  # optional wheel with bundled binaries (see pyproject.toml)
    except ImportError:
        return
    yield Path(pgserver.__file__).parent / "pginstall" / "bin"


def find_bindir() -> Path:
    """The first folder holding PostgreSQL server binaries, or a clear error."""
    for candidate in _candidate_bindirs():
        if _is_server_bindir(candidate):
            return candidate
    raise PostgresNotFoundError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _runner() -> list[str]:
    """Command prefix that runs the server tools as a non-root account."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None or shutil.which("id") is None:
        raise RuntimeError("running as root needs `runuser` to start PostgreSQL as another user")
    if subprocess.run(["id", SERVICE_ACCOUNT], capture_output=True, check=False).returncode:
        raise RuntimeError(
            f"running as root: PostgreSQL refuses root, and there is no {SERVICE_ACCOUNT!r} user "
            f"to run it as; create one (useradd --system {SERVICE_ACCOUNT}) or run as a normal user"
        )
    return ["runuser", "-u", SERVICE_ACCOUNT, "--"]


def _workdir() -> Path:
    shm = Path("/dev/shm")
    parent = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    workdir = Path(tempfile.mkdtemp(prefix="pg-throwaway-", dir=parent))
    if os.geteuid() == 0:
        shutil.chown(workdir, user=SERVICE_ACCOUNT)
    return workdir


SUPERUSER = "postgres"


class ThrowawayCluster:
    """A private cluster in a temporary folder; `stop()` and `start()` simulate an outage."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self._run_as = _runner()
        self.workdir = _workdir()
        self._data, self._log = self.workdir / "data", self.workdir / "server.log"
        self.port = free_port()
        self.running = False
        self._run(
            "initdb", "-D", str(self._data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
            "--locale=C", "--no-sync", "--no-instructions",
        )  # fmt: skip

    def _run(self, tool: str, *arguments: str) -> None:
        command = [*self._run_as, str(self.bindir / tool), *arguments]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode:
            server_log = self._log.read_text() if self._log.exists() else ""
            raise RuntimeError(
                f"{tool} {' '.join(arguments)} failed:\n{result.stdout}{result.stderr}{server_log}"
            )

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.workdir} {FAST_UNSAFE_OPTIONS}"
        self._run(
            "pg_ctl", "-D", str(self._data), "-l", str(self._log), "-o", options, "-w", "start"
        )
        self.running = True

    def stop(self, mode: str = "immediate") -> None:
        self._run("pg_ctl", "-D", str(self._data), "-m", mode, "-w", "stop")
        self.running = False

    def create_database(self, name: str) -> str:
        """Create `name` and return its DATABASE_URL."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, name)
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        if self.running:
            self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextmanager
def throwaway_cluster() -> Iterator[ThrowawayCluster]:
    """A started cluster that is stopped and deleted when the block exits."""
    cluster = ThrowawayCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@contextmanager
def throwaway_postgres(database: str = "app") -> Iterator[str]:
    """Start a private cluster, yield a DATABASE_URL for a fresh `database`, then remove it all."""
    with throwaway_cluster() as cluster:
        yield cluster.create_database(database)


def fresh_database(server_url: str, name: str) -> str:
    """Drop and recreate `name` on the server of `server_url` and return its URL, so every run
    (and every xdist worker) starts clean."""
    url = make_url(server_url)

    async def recreate() -> None:
        connection = await asyncpg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            database=url.database,
        )
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(recreate())
    return url.set(database=name).render_as_string(hide_password=False)
