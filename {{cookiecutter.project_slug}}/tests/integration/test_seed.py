from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.models import Organization, Product
from {{ cookiecutter.package_name }}.seed import DEMO_ORGANIZATION_ID, DEMO_PRODUCTS, seed


async def test_seeding_twice_gives_one_demo_organization_and_its_products(
    db_session: AsyncSession,
) -> None:
    await seed(db_session)
    await seed(db_session)
    organization = await db_session.get(Organization, DEMO_ORGANIZATION_ID)
    assert organization is not None
    skus = await db_session.scalars(
        select(Product.sku).where(Product.organization_id == DEMO_ORGANIZATION_ID)
    )
    assert sorted(skus) == sorted(sku for sku, _, _ in DEMO_PRODUCTS)
    assert await db_session.scalar(select(func.count()).select_from(Organization)) == 1
