"""A small shop for integration tests, built through the real services."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.shop.schemas import (
    OrderCreate,
    OrderLineIn,
)
from {{ cookiecutter.package_name }}.shop.services import orders, payments
from {{ cookiecutter.package_name }}.tables import Organization

from tests.example_factories import ProductFactory, StockItemFactory
from tools.migrations import upgrade


@pytest.fixture
def committed_database(empty_database: Callable[[str], str]) -> str:
    """A migrated database of its own where rows are really committed (concurrency, jobs)."""
    url = empty_database("committed")
    upgrade(url)
    return url


@dataclass(frozen=True)
class Shop:
    """Ids only: ORM objects expire whenever a failed request rolls the session back."""

    organization_id: uuid.UUID
    product_id: uuid.UUID
    order_id: uuid.UUID
    payment_id: uuid.UUID


@pytest.fixture
async def shop(db_session: AsyncSession, organization: Organization) -> Shop:
    """One product with 10 in stock, an order for 2 of it, and that order's pending payment."""
    product = await ProductFactory.create_async(organization_id=organization.id)
    await StockItemFactory.create_async(
        product_id=product.id, organization_id=organization.id, on_hand=10
    )
    order = await orders.place(
        db_session,
        organization.id,
        OrderCreate(lines=[OrderLineIn(product_id=product.id, quantity=2)]),
    )
    payment = await payments.start(db_session, organization.id, order.id)
    await db_session.commit()
    return Shop(organization.id, product.id, order.id, payment.id)
