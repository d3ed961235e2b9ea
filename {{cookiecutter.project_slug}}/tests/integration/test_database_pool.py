"""What goes back into the pool after a lean read: never a connection still inside a transaction."""

from __future__ import annotations

from typing import Any

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
