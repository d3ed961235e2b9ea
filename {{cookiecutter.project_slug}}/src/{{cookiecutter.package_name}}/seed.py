"""Demo data for `make dev`: one organization and a few products. Safe to run repeatedly."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from .models import Organization, Product
from .settings import get_settings

# Fixed so `make token` mints a token for the seeded organization without a lookup.
DEMO_ORGANIZATION_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
DEMO_PRODUCTS = (
    ("TEA-GREEN-100", "Green tea, 100 g", Decimal("6.50")),
    ("TEA-BLACK-250", "Black tea, 250 g", Decimal("9.90")),
    ("MUG-STONE", "Stoneware mug", Decimal("14.00")),
)


async def seed(session: AsyncSession) -> None:
    await session.execute(
        insert(Organization)
        .values(id=DEMO_ORGANIZATION_ID, name="Demo Tea Shop", currency="EUR")
        .on_conflict_do_nothing()
    )
    for index, (sku, name, price) in enumerate(DEMO_PRODUCTS, start=1):
        await session.execute(
            insert(Product)
            .values(
                id=uuid.UUID(int=DEMO_ORGANIZATION_ID.int + index),
                organization_id=DEMO_ORGANIZATION_ID,
                sku=sku,
                name=name,
                price=price,
            )
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
