"""Migrations apply and revert cleanly, and match the models exactly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.tables import Base

from tools.migrations import downgrade, upgrade

# Part of `make test-critical`, the fast subset pull requests get first.
pytestmark = pytest.mark.critical


def _inspect(url: str) -> tuple[set[str], list[Any]]:
    """The tables present, and what autogenerate would change to match the models."""

    def read(connection: Connection) -> tuple[set[str], list[Any]]:
        tables = set(inspect(connection).get_table_names())
        context = MigrationContext.configure(connection, opts={"compare_server_default": True})
        return tables, compare_metadata(context, Base.metadata)

    async def run() -> tuple[set[str], list[Any]]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(read)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_upgrade_downgrade_upgrade_leaves_no_drift(empty_database: Callable[[str], str]) -> None:
    blank_database_url = empty_database("migrations")
    upgrade(blank_database_url)
    tables, diff = _inspect(blank_database_url)
    assert {"organizations", "products"} <= tables
    assert diff == [], f"models and migrations disagree; autogenerate would emit: {diff}"

    downgrade(blank_database_url, "base")
    assert _inspect(blank_database_url)[0] == {"alembic_version"}

    upgrade(blank_database_url)
    assert _inspect(blank_database_url)[1] == []
