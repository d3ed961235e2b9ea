"""`make dev` prepares the database it is given before serving."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.shop.models import Product

from tools import dev
from tools.seed import (
    DEMO_ORGANIZATION_ID,
    DEMO_PRODUCTS,
)


def _demo_skus(url: str) -> list[str]:
    async def read() -> list[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                query = select(Product.sku).where(Product.organization_id == DEMO_ORGANIZATION_ID)
                return sorted((await connection.scalars(query)).all())
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

    assert _demo_skus(url) == sorted(sku for sku, *_ in DEMO_PRODUCTS)
    assert served == {
        "app": "{{ cookiecutter.package_name }}.main:create_app",
        "factory": True,
        "host": "127.0.0.1",
        "port": 8123,
        "reload": False,
    }
