"""The throwaway PostgreSQL of `make dev` and the tests: it starts, serves fresh databases,
survives a restart, and leaves nothing behind; without server binaries it says how to get them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tools import local_postgres
from tools.local_postgres import (
    PostgresNotFoundError,
    fresh_database,
    throwaway_cluster,
)


def _select_one(url: str) -> int:
    async def query() -> int:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return int((await connection.execute(text("SELECT 1"))).scalar_one())
        finally:
            await engine.dispose()

    return asyncio.run(query())


def test_a_cluster_serves_fresh_databases_through_a_restart_and_is_removed() -> None:
    with throwaway_cluster() as cluster:
        url = fresh_database(cluster.create_database("first"), "second")
        assert url.endswith("/second")
        assert _select_one(url) == 1
        cluster.stop()
        assert not cluster.running
        cluster.start()
        assert _select_one(url) == 1
    assert not cluster.workdir.exists()


def test_without_server_binaries_the_error_names_both_ways_to_get_postgres(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def nowhere() -> Iterator[Path]:
        yield from ()

    monkeypatch.setattr(local_postgres, "_candidate_bindirs", nowhere)
    with pytest.raises(PostgresNotFoundError, match="DATABASE_URL") as error:
        local_postgres.find_bindir()
    assert "initdb" in str(error.value)
