"""Stock: counts, and reservations that never oversell, even under concurrent orders."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from {{ cookiecutter.package_name }}.db import (
    confine_to_tenant,
    tenant_sessions,
)
from {{ cookiecutter.package_name }}.shop.models import Product, StockItem
from {{ cookiecutter.package_name }}.shop.schemas import (
    OrderCreate,
    OrderLineIn,
)
from {{ cookiecutter.package_name }}.shop.services import orders
from {{ cookiecutter.package_name }}.shop.services.inventory import (
    InsufficientStockError,
)
from {{ cookiecutter.package_name }}.tables import Organization

from tests.integration.conftest import Shop

STOCK = 7
BUYERS = 25


async def test_stock_is_counted_and_read_per_product(
    client: httpx.AsyncClient, auth_headers: dict[str, str], shop: Shop
) -> None:
    url = f"/api/v1/products/{shop.product_id}/stock"
    assert (await client.get(url, headers=auth_headers)).json() == {
        "product_id": str(shop.product_id),
        "on_hand": 10,
        "reserved": 2,
        "available": 8,
    }
    counted = await client.put(url, json={"on_hand": 5}, headers=auth_headers)
    assert (counted.status_code, counted.json()["available"]) == (200, 3)


async def test_stock_cannot_drop_below_what_orders_reserved(
    client: httpx.AsyncClient, auth_headers: dict[str, str], shop: Shop
) -> None:
    url = f"/api/v1/products/{shop.product_id}/stock"
    response = await client.put(url, json={"on_hand": 1}, headers=auth_headers)
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "constraint_violation",
                "loc": ["body"],
                "msg": "stock cannot go below what open orders reserved",
                "ctx": {"constraint": "ck_stock_items_reserved_within_on_hand"},
            }
        ]
    }


async def test_a_product_nobody_stocked_has_none(
    client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/products",
        json={"sku": "NEW", "name": "New", "price": "1.00"},
        headers=auth_headers,
    )
    stock = await client.get(f"/api/v1/products/{created.json()['id']}/stock", headers=auth_headers)
    assert (stock.json()["on_hand"], stock.json()["available"]) == (0, 0)


@pytest.fixture
async def committed_engine(committed_database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(committed_database, pool_size=BUYERS)
    yield engine
    await engine.dispose()


async def test_concurrent_orders_never_oversell(committed_engine: AsyncEngine) -> None:
    sessions = tenant_sessions(committed_engine, expire_on_commit=False)
    tenant = uuid.uuid4()
    async with sessions() as session:
        session.add(Organization(id=tenant, name="Busy", currency="EUR"))
        # Tenant rows reference their organization without an ORM relationship: only a flush
        # makes sure it is inserted first.
        await session.flush()
        product = Product(organization_id=tenant, sku="HOT", name="Hot item", price=1)
        session.add(product)
        await session.flush()
        session.add(StockItem(product_id=product.id, organization_id=tenant, on_hand=STOCK))
        await session.commit()

    async def buy() -> bool:
        async with sessions() as session:
            await confine_to_tenant(session, tenant)
            order = OrderCreate(lines=[OrderLineIn(product_id=product.id, quantity=1)])
            try:
                await orders.place(session, tenant, order)
            except InsufficientStockError:
                return False
            await session.commit()
            return True

    results = await asyncio.gather(*(buy() for _ in range(BUYERS)))
    assert results.count(True) == STOCK
    async with sessions() as session:
        stock = await session.get(StockItem, product.id)
        assert stock is not None
        assert (stock.on_hand, stock.reserved) == (STOCK, STOCK)
