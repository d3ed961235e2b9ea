"""Benchmarks run synchronously (pytest-benchmark times plain calls), so async code runs on an
event loop of this layer's own, where the application and its engine live too."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.main import create_app

from tests.conftest import make_settings
from tests.tenants_for_tests import committed_tenant

CATALOGUE_SIZE = 20


@pytest.fixture(scope="session")
def loop() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as runner:
        yield runner


@asynccontextmanager
async def _served_catalogue(
    database_url: str,
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    """The app with its real lifespan and a tenant owning a page of products."""
    engine = create_async_engine(database_url)
    try:
        headers = await committed_tenant(engine)
    finally:
        await engine.dispose()
    app = create_app(make_settings(database_url=database_url))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
    ):
        for number in range(CATALOGUE_SIZE):
            product = {"sku": f"BENCH-{number}", "name": "Tea", "price": "4.20"}
            assert (await client.post("/api/v1/products", json=product, headers=headers)).is_success
        yield client, headers


@pytest.fixture(scope="session")
def catalogue(
    loop: asyncio.Runner, migrated_database: Callable[[str], str]
) -> Iterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    served = _served_catalogue(migrated_database("benchmarks"))
    yield loop.run(served.__aenter__())
    loop.run(served.__aexit__(None, None, None))
