"""Demo data for `make dev` and `make seed`: two organizations with stocked products.

Idempotent: rows are inserted with fixed ids and left alone when they already exist.
"""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from {{ cookiecutter.package_name }}.settings import get_settings
from {{ cookiecutter.package_name }}.shop.models import Product, StockItem
from {{ cookiecutter.package_name }}.tables import Organization

# Fixed so `make token` mints a token for a seeded organization without a lookup.
DEMO_ORGANIZATION_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
SECOND_ORGANIZATION_ID = uuid.UUID("00000000-0000-4000-8000-000000000002")
DEMO_PRODUCTS = (
    ("TEA-GREEN-100", "Green tea, 100 g", Decimal("6.50"), 120),
    ("TEA-BLACK-250", "Black tea, 250 g", Decimal("9.90"), 80),
    ("MUG-STONE", "Stoneware mug", Decimal("14.00"), 25),
)
ORGANIZATIONS = (
    (DEMO_ORGANIZATION_ID, "Demo Tea Shop", "EUR"),
    (SECOND_ORGANIZATION_ID, "Second Street Teas", "USD"),
)


def _product_id(organization_id: uuid.UUID, index: int) -> uuid.UUID:
    return uuid.uuid5(organization_id, f"product-{index}")


async def seed(session: AsyncSession) -> None:
    for organization_id, name, currency in ORGANIZATIONS:
        await session.execute(
            insert(Organization)
            .values(id=organization_id, name=name, currency=currency)
            .on_conflict_do_nothing()
        )
        for index, (sku, product_name, price, on_hand) in enumerate(DEMO_PRODUCTS):
            product_id = _product_id(organization_id, index)
            await session.execute(
                insert(Product)
                .values(
                    id=product_id,
                    organization_id=organization_id,
                    sku=sku,
                    name=product_name,
                    price=price,
                )
                .on_conflict_do_nothing()
            )
            await session.execute(
                insert(StockItem)
                .values(product_id=product_id, organization_id=organization_id, on_hand=on_hand)
                .on_conflict_do_nothing()
            )
    await session.commit()


async def seed_database(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with async_sessionmaker(engine)() as session:
            await seed(session)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(seed_database(get_settings().database_url.get_secret_value()))
