"""Fixtures for every layer. Database fixtures start PostgreSQL only when a test asks for them."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from {{ cookiecutter.package_name }}.db import TENANT_KEY, tenant_sessions
from {{ cookiecutter.package_name }}.dependencies import (
    get_reader,
    get_session,
)
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.reads import Reader
from {{ cookiecutter.package_name }}.settings import Environment, Settings
from {{ cookiecutter.package_name }}.tables import Organization

from tests.factories import ModelFactory, OrganizationFactory
from tools.local_postgres import PostgresNotFoundError, fresh_database, throwaway_postgres
from tools.migrations import upgrade
from tools.tokens import mint_token

TESTS = Path(__file__).parent
# Folder -> marker, so `pytest -m integration` selects a layer without decorating every test.
LAYER_MARKERS = {"benchmarks": "benchmark"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0]
        item.add_marker(LAYER_MARKERS.get(folder, folder))


def make_settings(**overrides: Any) -> Settings:
    """Settings for tests: never read the developer's `.env`."""
    return Settings(_env_file=None, **{"environment": Environment.TEST, **overrides})


@pytest.fixture(scope="session")
def settings() -> Settings:
    return make_settings()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A server to test against: DATABASE_URL when set, else a throwaway local cluster."""
    if os.environ.get("DATABASE_URL"):
        yield Settings(_env_file=None).database_url.get_secret_value()
        return
    with ExitStack() as stack:
        try:
            url = stack.enter_context(throwaway_postgres())
        except PostgresNotFoundError as error:
            pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)
        yield url


@pytest.fixture(scope="session")
def database_url(postgres_url: str) -> str:
    """A migrated database of this test session's own (one per xdist worker)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = fresh_database(postgres_url, f"{make_url(postgres_url).database}_test_{worker}")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def empty_database(postgres_url: str) -> Callable[[str], str]:
    """Create an empty database named after its purpose, for tests that migrate it themselves."""
    prefix = make_url(postgres_url).database
    return lambda purpose: fresh_database(postgres_url, f"{prefix}_{purpose}")


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db_session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back after the test.

    Commits in the code under test only release savepoints, so tests never see each other's rows.
    """
    async with engine.connect() as connection:
        transaction = await connection.begin()
        # From the factory the app's sessions come from, so confine_to_tenant works on it.
        sessions = tenant_sessions(
            connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        session = sessions()
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()


@pytest.fixture
async def app(database_url: str, db_session: AsyncSession) -> AsyncIterator[FastAPI]:
    app = create_app(make_settings(database_url=database_url))

    async def test_session() -> AsyncIterator[AsyncSession]:
        # End each request as production does: a failed one rolls back, and the tenant role goes
        # (a released savepoint would otherwise hand it on to the rest of the test).
        try:
            yield db_session
        except Exception:
            await db_session.rollback()
            raise
        finally:
            db_session.info.pop(TENANT_KEY, None)
            await db_session.execute(text("RESET ROLE"))

    @asynccontextmanager
    async def test_connection() -> AsyncIterator[Any]:
        connection = await db_session.connection()
        yield (await connection.get_raw_connection()).driver_connection

    app.dependency_overrides[get_session] = test_session
    # Hot reads see the test's uncommitted rows: they read on the test's own connection.
    app.dependency_overrides[get_reader] = lambda: Reader(test_connection)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def factories(db_session: AsyncSession) -> Iterator[None]:
    """Factories in tests/factories.py save through this test's session."""
    ModelFactory.__async_session__ = db_session
    yield
    ModelFactory.__async_session__ = None


@pytest.fixture
async def organization(factories: None) -> Organization:
    return await OrganizationFactory.create_async()


def bearer(
    settings: Settings, tenant_id: uuid.UUID, roles: tuple[str, ...] = ("admin",)
) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(settings, tenant_id=tenant_id, roles=roles)}"}


@pytest.fixture
def auth_headers(settings: Settings, organization: Organization) -> dict[str, str]:
    return bearer(settings, organization.id)


@pytest.fixture(scope="session")
def migrated_database(empty_database: Callable[[str], str]) -> Callable[[str], str]:
    """A migrated database named after its purpose, one per xdist worker, for layers whose
    application commits for real (e2e, contract, benchmarks)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")

    def create(purpose: str) -> str:
        url = empty_database(f"{purpose}_{worker}")
        upgrade(url)
        return url

    return create
