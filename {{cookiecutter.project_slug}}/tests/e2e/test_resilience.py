"""The real server when PostgreSQL goes away and comes back, when it is told to stop, and when
requests overstep their bounds (docs/testing.md, "Resilience").

Tests that disturb PostgreSQL or the server get a cluster and a server of their own, never the
session's shared ones. Measured times go into reports/junit-e2e.xml as test-suite properties.
They reach the domain only through tests/example.py: they read its collection, write by creating
resources in it, and count what was stored in its table.
"""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any, NamedTuple

import asyncpg
import coverage
import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from tests import example
from tests.conftest import bearer, make_settings
from tests.e2e.conftest import NewTenant
from tests.e2e.mixed_load import MixedLoad, count, unique_tag
from tests.e2e.polling import eventually
from tests.factories import OrganizationFactory
from tools.live_server import PROJECT, LiveServer, live_server
from tools.local_postgres import (
    ThrowawayCluster,
    throwaway_cluster,
)
from tools.migrations import upgrade

# The throwaway cluster trades durability for speed (fsync and synchronous_commit off), so only a
# clean stop keeps every commit: a restart or failover, with sessions cut off mid-transaction.
CLEAN_STOP = "fast"
OUTAGE_SECONDS = 1.5
RECOVERY_SECONDS = 5.0  # from PostgreSQL accepting connections again to the service serving
# Readiness gives the database 2 s. An answer must come well before a client's own timeout; the
# margin above 2 s is for a loaded machine (2.79 s was measured with the test suite's other
# workers busy on both cores), not for the service.
FAIL_FAST_SECONDS = 4.0
REQUEST_TIMEOUT_SECONDS = 1.0
COLLECTION = example.COLLECTION
POOL = make_settings().db_pool_size

Serve = Callable[..., AbstractContextManager[LiveServer]]
Record = Callable[[str, object], None]


@pytest.fixture
def cluster() -> Iterator[ThrowawayCluster]:
    with throwaway_cluster() as cluster:
        yield cluster


@pytest.fixture
def own_database(cluster: ThrowawayCluster) -> str:
    url = cluster.create_database("resilience")
    upgrade(url)
    return url


@pytest.fixture
def serve(request: pytest.FixtureRequest, own_database: str) -> Serve:
    """Start the real server on this test's database; its log is named after the test."""

    def start(**options: Any) -> AbstractContextManager[LiveServer]:
        log = PROJECT / "reports" / f"e2e-server-{request.node.name}.log"
        options.setdefault("coverage", coverage.Coverage.current() is not None)
        return live_server(own_database, log=log, **options)

    return start


@pytest.fixture
def record(record_testsuite_property: Record, request: pytest.FixtureRequest) -> Record:
    """Record a measurement under this test's name."""
    return lambda name, value: record_testsuite_property(f"{request.node.name}.{name}", value)


class Tenant(NamedTuple):
    id: uuid.UUID  # its row in `organizations`
    headers: dict[str, str]  # an admin's bearer token


async def _tenant(database_url: str) -> Tenant:
    """A committed organization, and an admin's headers for it."""
    organization = OrganizationFactory.build()
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            session.add(organization)
            await session.commit()
    finally:
        await engine.dispose()
    return Tenant(organization.id, bearer(make_settings(), organization.id))


async def _create(http: httpx.AsyncClient, tenant: Tenant) -> httpx.Response:
    """POST a new resource to the example collection, as the tenant's admin."""
    resource = example.new_resource(unique_tag())
    return await http.post(COLLECTION, json=resource, headers=tenant.headers)


async def _timed_status(http: httpx.AsyncClient, path: str) -> tuple[int, float]:
    started = time.monotonic()
    response = await http.get(path)
    return response.status_code, time.monotonic() - started


def _assert_fast_503(answer: tuple[int, float]) -> None:
    status, seconds = answer
    assert status == 503
    assert seconds < FAIL_FAST_SECONDS


async def _is_ready(http: httpx.AsyncClient) -> bool:
    return (await http.get("/readyz")).status_code == 200


@asynccontextmanager
async def _superuser(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection past the API and row-level security, to arrange and inspect."""
    url = make_url(database_url)
    connection = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    try:
        yield connection
    finally:
        await connection.close()


def _count_stored(where: str) -> str:
    # The example's table is a constant of the tests, never input: naming it in SQL is safe.
    return f"SELECT count(*) FROM {example.TABLE} WHERE {where}"  # noqa: S608


async def _stored(database_url: str, ids: list[str]) -> int:
    """How many of the resources with these ids are stored."""
    async with _superuser(database_url) as connection:
        stored: int = await connection.fetchval(_count_stored("id = ANY($1::uuid[])"), ids)
    return stored


async def _stored_for(database_url: str, tenant: Tenant) -> int:
    """How many resources the tenant owns in the example's table."""
    async with _superuser(database_url) as connection:
        stored: int = await connection.fetchval(_count_stored("organization_id = $1"), tenant.id)
    return stored


@asynccontextmanager
async def _tenant_locked(database_url: str, tenant: Tenant) -> AsyncIterator[None]:
    """Hold the tenant's organization row locked: slow writes on demand, in any domain.

    A row inserted into a tenant-owned table checks its foreign key to `organizations` with a
    KEY SHARE lock on the tenant's row, which waits for this FOR UPDATE until the block ends.
    Reads take no row lock and pass.
    """
    async with _superuser(database_url) as connection, connection.transaction():
        await connection.execute("SELECT 1 FROM organizations WHERE id = $1 FOR UPDATE", tenant.id)
        yield


async def _waiting_for_locks(database_url: str, sessions: int) -> bool:
    """Whether `sessions` server sessions wait for a lock (ours holds locks but waits for none)."""
    async with _superuser(database_url) as connection:
        waiting: int = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
    return waiting == sessions


async def _server_sessions(database_url: str) -> int:
    """Connections the server holds (ours do not name an application)."""
    async with _superuser(database_url) as connection:
        sessions: int = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name <> ''"
        )
    return sessions


async def test_a_postgres_restart_under_load_fails_fast_recovers_and_loses_no_write(
    cluster: ThrowawayCluster, own_database: str, serve: Serve, record: Record
) -> None:
    with serve() as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10.0) as http:
            tenant = await _tenant(own_database)
            async with MixedLoad(http, tenant.headers) as load:
                await eventually(
                    lambda: count(load.outcomes, "write", 201) >= 20,
                    within=10,
                    what="20 resources created before the outage",
                )
                await asyncio.to_thread(cluster.stop, CLEAN_STOP)
                down = time.monotonic()
                readiness = await _timed_status(http, "/readyz")
                await eventually(
                    lambda: all(count(load.since(down), kind, 503) >= 10 for kind in load.KINDS),
                    within=FAIL_FAST_SECONDS,
                    what="reads and writes answered 503 during the outage",
                )
                # The outage itself lasts a chosen time; nothing below waits on a guess.
                await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down)))
                await asyncio.to_thread(cluster.start)
                back = time.monotonic()
                await eventually(
                    lambda: _is_ready(http), within=RECOVERY_SECONDS, what="/readyz 200"
                )
                ready_after = time.monotonic() - back
                await eventually(
                    lambda: all(load.succeeded(kind, since=back) for kind in load.KINDS),
                    within=RECOVERY_SECONDS,
                    what="a read and a write served after the restart",
                )
                recovered = time.monotonic()
                served_after = recovered - back
                await eventually(
                    lambda: len(load.since(recovered)) >= 100,
                    within=10,
                    what="100 requests after the recovery",
                )
    record("seconds_to_readyz_503", round(readiness[1], 2))
    record("seconds_to_readyz_200", round(ready_after, 2))
    record("seconds_to_served", round(served_after, 2))

    _assert_fast_503(readiness)
    unexpected = [o for o in load.outcomes if o.status not in {200, 201, 503}]
    assert not unexpected, f"{len(unexpected)} answers neither 2xx nor 503: {unexpected[:3]}"
    refusals = [o for o in load.outcomes if o.status == 503]
    assert all(o.detail and o.retry_after for o in refusals), refusals[:3]
    assert max(o.seconds for o in refusals) < FAIL_FAST_SECONDS
    failed_after = [o for o in load.since(recovered) if not o.ok]
    assert not failed_after, f"{len(failed_after)} failed after the recovery: {failed_after[:3]}"
    created = load.created_ids()
    assert await _stored(own_database, created) == len(created), "an accepted write is gone"


async def test_a_restart_while_idle_fails_no_request(
    cluster: ThrowawayCluster, own_database: str, serve: Serve
) -> None:
    """The connections a restart killed in the pool are replaced, not handed to requests."""
    with serve() as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10.0) as http:
            tenant = await _tenant(own_database)
            headers = tenant.headers
            # More at once than the gate admits: the pool opens connections up to its size.
            await asyncio.gather(*(http.get(COLLECTION, headers=headers) for _ in range(3 * POOL)))
            pooled = await _server_sessions(own_database)
            await asyncio.to_thread(cluster.stop, CLEAN_STOP)
            await asyncio.to_thread(cluster.start)
            reads = [(await http.get(COLLECTION, headers=headers)).status_code for _ in range(POOL)]
            writes = [(await _create(http, tenant)).status_code for _ in range(POOL)]
    assert pooled > 1, "the pool held hardly any connection to kill"
    assert reads == [200] * POOL
    assert writes == [201] * POOL


async def test_the_service_starts_without_its_database_and_serves_once_it_is_up(
    cluster: ThrowawayCluster, own_database: str, serve: Serve, record: Record
) -> None:
    headers = (await _tenant(own_database)).headers
    cluster.stop(CLEAN_STOP)
    with serve(wait_for="/healthz") as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10.0) as http:
            readiness = await _timed_status(http, "/readyz")
            refused = await http.get(COLLECTION, headers=headers)
            await asyncio.to_thread(cluster.start)
            ready_after = await eventually(
                lambda: _is_ready(http), within=RECOVERY_SECONDS, what="/readyz 200"
            )
            served = await http.get(COLLECTION, headers=headers)
    record("seconds_to_readyz_200", round(ready_after, 2))

    _assert_fast_503(readiness)
    assert refused.status_code == 503, refused.text
    assert refused.json()["detail"]
    assert refused.headers["retry-after"]
    assert served.status_code == 200, served.text


async def test_sigterm_lets_requests_in_flight_finish_then_exits(
    own_database: str, serve: Serve, record: Record
) -> None:
    in_flight = 8  # fewer than the pool's connections: every one reaches the database
    # No coverage: uvicorn re-raises SIGTERM after draining, which ends the process before
    # coverage could save its data.
    with serve(coverage=False) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10.0) as http:
            tenant = await _tenant(own_database)
            async with _tenant_locked(own_database, tenant):
                writes = [asyncio.create_task(_create(http, tenant)) for _ in range(in_flight)]
                await eventually(
                    lambda: _waiting_for_locks(own_database, in_flight),
                    within=10,
                    what=f"{in_flight} writes waiting in the database",
                )
                server.process.send_signal(signal.SIGTERM)
                signalled = time.monotonic()
                await eventually(
                    lambda: _refuses_connections(server.base_url),
                    within=5,
                    what="the server stops accepting connections",
                )
            # The lock is gone: the writes the server was working on when told to stop complete.
            answers = await asyncio.gather(*writes)
        exit_code = await asyncio.to_thread(server.process.wait, 10)
        stopped = time.monotonic() - signalled
    record("seconds_from_sigterm_to_exit", round(stopped, 2))

    assert [answer.status_code for answer in answers] == [201] * in_flight
    assert all(answer.headers["connection"] == "close" for answer in answers)
    ids = [answer.json()["id"] for answer in answers]
    assert await _stored(own_database, ids) == in_flight
    # Drained, shut down, then killed by its own re-raised SIGTERM: how uvicorn tells a process
    # manager it stopped because it was asked to (in a container, as PID 1, it exits 0).
    assert exit_code == -signal.SIGTERM
    log = server.log.read_text()
    assert "Application shutdown complete" in log
    assert "Traceback" not in log


async def _refuses_connections(base_url: str) -> bool:
    async with httpx.AsyncClient(base_url=base_url, timeout=1.0) as fresh:
        try:
            await fresh.get("/healthz")
        except httpx.TransportError:  # refused, or accepted by the closing listener and dropped
            return True
    return False


async def test_requests_past_the_time_limit_get_504_and_leave_the_service_whole(
    own_database: str, serve: Serve
) -> None:
    # More than the pool's connections: timed-out requests must give back their gate places and
    # connections, or the next ones would wait for places nobody frees.
    stuck = 12
    timeout = {"REQUEST_TIMEOUT_SECONDS": str(REQUEST_TIMEOUT_SECONDS)}
    with serve(env=timeout) as server:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10.0) as http:
            tenant = await _tenant(own_database)
            async with _tenant_locked(own_database, tenant):
                timed_out = await asyncio.gather(*(_create(http, tenant) for _ in range(stuck)))
            afterwards = await asyncio.gather(*(_create(http, tenant) for _ in range(stuck)))

    assert [answer.status_code for answer in timed_out] == [504] * stuck
    assert timed_out[0].json() == {
        "detail": f"the request took longer than {REQUEST_TIMEOUT_SECONDS} s"
    }
    assert [answer.status_code for answer in afterwards] == [201] * stuck
    # The timed-out writes were cancelled with their transactions: only the later ones exist.
    assert await _stored(own_database, [answer.json()["id"] for answer in afterwards]) == stuck
    assert await _stored_for(own_database, tenant) == stuck


async def test_an_oversized_body_streamed_over_a_socket_gets_413(
    http: httpx.AsyncClient, new_tenant: NewTenant
) -> None:
    headers = await new_tenant()

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(64):  # 4 MiB in 64 KiB chunks, with no Content-Length
            yield b"x" * 65_536

    response = await http.post(
        COLLECTION,
        content=chunks(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413, response.text
    assert response.json()["detail"].startswith("the request body exceeds")
    # The server answered what it had read so far; it kept the connection usable.
    assert (await http.get("/healthz")).status_code == 200
