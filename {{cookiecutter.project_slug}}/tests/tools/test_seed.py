"""The demo data of `make dev` and `make seed` fits the schema, and seeding twice is harmless."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.shop.models import Product, StockItem
from {{ cookiecutter.package_name }}.tables import Organization

from tools.seed import (
    DEMO_PRODUCTS,
    ORGANIZATIONS,
    seed,
)


async def test_seeding_twice_gives_two_organizations_with_stocked_products(
    db_session: AsyncSession,
) -> None:
    await seed(db_session)
    await seed(db_session)
    for organization_id, _, currency in ORGANIZATIONS:
        organization = await db_session.get(Organization, organization_id)
        assert organization is not None
        assert organization.currency == currency
        skus = await db_session.scalars(
            select(Product.sku).where(Product.organization_id == organization_id)
        )
        assert sorted(skus) == sorted(sku for sku, *_ in DEMO_PRODUCTS)
    assert await db_session.scalar(select(func.count()).select_from(Organization)) == 2
    stocked = await db_session.scalar(select(func.sum(StockItem.on_hand)))
    assert stocked == 2 * sum(on_hand for *_, on_hand in DEMO_PRODUCTS)
