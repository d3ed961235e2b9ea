"""The scheduled expiry job, against committed data as it runs in production."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from {{ cookiecutter.package_name }} import jobs
from {{ cookiecutter.package_name }}.shop.models import (
    Order,
    Product,
    StockItem,
)
from {{ cookiecutter.package_name }}.shop.schemas import (
    OrderCreate,
    OrderLineIn,
)
from {{ cookiecutter.package_name }}.shop.services import orders
from {{ cookiecutter.package_name }}.tables import Organization

from tests.conftest import make_settings


async def _place_overdue_orders(url: str) -> list[uuid.UUID]:
    """One overdue order in each of two tenants, each holding all of its product's stock."""
    engine = create_async_engine(url)
    placed = []
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        for currency in ("EUR", "USD"):
            tenant = uuid.uuid4()
            session.add(Organization(id=tenant, name=currency, currency=currency))
            # Tenant rows reference their organization without an ORM relationship: only a flush
            # makes sure it is inserted first.
            await session.flush()
            product = Product(organization_id=tenant, sku="X", name="X", price=1)
            session.add(product)
            await session.flush()
            session.add(StockItem(product_id=product.id, organization_id=tenant, on_hand=3))
            lines = [OrderLineIn(product_id=product.id, quantity=3)]
            order = await orders.place(session, tenant, OrderCreate(lines=lines))
            order.reserved_until = datetime.now(UTC) - timedelta(seconds=1)
            placed.append(order.id)
        await session.commit()
    await engine.dispose()
    return placed


async def _statuses_and_reservations(
    url: str, placed: list[uuid.UUID]
) -> tuple[set[str], set[int]]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        statuses = await connection.scalars(select(Order.status).where(Order.id.in_(placed)))
        reserved = await connection.scalars(select(StockItem.reserved))
        result = set(statuses), set(reserved)
    await engine.dispose()
    return result


def test_the_job_expires_overdue_orders_of_every_tenant(
    committed_database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    placed = asyncio.run(_place_overdue_orders(committed_database))
    monkeypatch.setattr(
        jobs, "get_settings", lambda: make_settings(database_url=committed_database)
    )

    jobs.main(["expire-reservations"])

    assert capsys.readouterr().out == "expire-reservations: 2 row(s) changed\n"
    assert asyncio.run(_statuses_and_reservations(committed_database, placed)) == ({"expired"}, {0})
