"""The e2e layer: the real server in a subprocess, its own migrated database, real HTTP."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import coverage
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tests.tenants_for_tests import committed_tenant
from tools.live_server import PROJECT, live_server


@pytest.fixture(scope="session")
def server_database_url(migrated_database: Callable[[str], str]) -> str:
    return migrated_database("e2e")


@pytest.fixture(scope="session")
def server(server_database_url: str) -> Iterator[str]:
    """Base URL of a running server; its coverage joins this layer's when coverage is on."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with live_server(
        server_database_url,
        log=PROJECT / "reports" / f"e2e-server-{worker}.log",
        coverage=coverage.Coverage.current() is not None,
    ) as running:
        yield running.base_url


@pytest.fixture(scope="session")
async def server_engine(server_database_url: str) -> AsyncIterator[AsyncEngine]:
    """Direct access to the server's database, for arranging data the API cannot create."""
    engine = create_async_engine(server_database_url)
    yield engine
    await engine.dispose()


NewTenant = Callable[[], Awaitable[dict[str, str]]]


@pytest.fixture
def new_tenant(server_engine: AsyncEngine) -> NewTenant:
    """Create an organization; return bearer headers for it.

    The server commits for real, so each test works in tenants of its own instead of rolling back.
    """
    return lambda: committed_tenant(server_engine)


@pytest.fixture
async def http(server: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server, timeout=10.0) as client:
        yield client
