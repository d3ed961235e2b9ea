"""`make dev` prepares the database it is given before serving."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Uuid, column, func, select, table
from sqlalchemy.ext.asyncio import create_async_engine

from tests.example import TABLE
from tools import dev
from tools.seed import DEMO_ORGANIZATION_ID


def _demo_rows(url: str) -> int:
    """How many rows of the example's table the demo organization owns."""

    async def read() -> int:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                query = (
                    select(func.count())
                    .select_from(table(TABLE))
                    .where(column("organization_id", Uuid) == DEMO_ORGANIZATION_ID)
                )
                return (await connection.execute(query)).scalar_one()
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_dev_migrates_and_seeds_then_serves_on_loopback(
    empty_database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = empty_database("dev")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(Path(dev.__file__).resolve().parent.parent)
    served: dict[str, Any] = {}
    # The server itself is exercised by the e2e layer; here we only record how it is started.
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options, app=app))

    dev.main(["--port", "8123"])

    assert _demo_rows(url) > 0  # migrated, then seeded (tests/tools/test_seed.py: with what)
    assert served == {
        "app": "{{ cookiecutter.package_name }}.main:create_app",
        "factory": True,
        "host": "127.0.0.1",
        "port": 8123,
        "reload": False,
    }
