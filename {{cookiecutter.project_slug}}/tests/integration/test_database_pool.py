"""What goes back into the pool: never a connection still inside a transaction or lost; and a
lost one never raises once the response is out."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from {{ cookiecutter.package_name }}.db import TENANT_ROLE, Database

from tests.conftest import make_settings


async def _current_role(database: Database) -> Any:
    async with database.driver_connection() as driver:
        return await driver.fetchval("SELECT current_user")


async def test_a_connection_left_inside_a_transaction_is_discarded(database_url: str) -> None:
    database = Database(make_settings(database_url=database_url, db_pool_size=1))
    try:
        async with database.driver_connection() as driver:
            # What a read cancelled between its BEGIN and its ROLLBACK leaves behind.
            await driver.execute(f"BEGIN; SET LOCAL ROLE {TENANT_ROLE}")
            abandoned = driver
        assert abandoned.is_closed()
        assert await _current_role(database) != TENANT_ROLE  # a fresh connection, outside it
    finally:
        await database.dispose()


async def test_a_clean_connection_is_reused(database_url: str) -> None:
    database = Database(make_settings(database_url=database_url, db_pool_size=1))
    try:
        async with database.driver_connection() as first:
            pass
        async with database.driver_connection() as second:
            assert second is first
            assert not second.is_closed()
    finally:
        await database.dispose()


async def test_readiness_does_not_wait_for_the_pool(database_url: str) -> None:
    """With every pooled connection in use (a loaded service), the database is still ready."""
    database = Database(make_settings(database_url=database_url, db_pool_size=1))
    try:
        async with database.engine.connect() as busy:
            await busy.execute(text("SELECT 1"))
            assert await database.is_ready(timeout_seconds=1.0)
    finally:
        await database.dispose()


async def _terminate(database_url: str, backend_pid: int) -> None:
    """What a database restart does to one session: the server ends it."""
    url = make_url(database_url)
    admin = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", backend_pid)
    finally:
        await admin.close()


async def test_a_session_whose_connection_was_lost_closes_quietly(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # FastAPI closes the request's session after sending the response: an error there would
    # make uvicorn cut the client's keep-alive connection, failing its next request.
    settings = make_settings(database_url=database_url, db_pool_size=1)
    database = Database(settings)
    try:
        async with database.session() as session:
            lost = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            await _terminate(database_url, lost)
        assert "connection lost before its session closed" in caplog.text
        assert caplog.records[-1].levelno == logging.WARNING
        async with database.session() as session:
            replacement = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert replacement != lost
    finally:
        await database.dispose()
