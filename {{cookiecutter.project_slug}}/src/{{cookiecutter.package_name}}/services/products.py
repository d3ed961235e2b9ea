"""Product catalogue use cases. Row-level security confines every query to the caller's tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFoundError
from ..models import Product
from ..schemas import ProductCreate, ProductUpdate
from .pagination import page

LIVE = Product.deleted_at.is_(None)


async def create(session: AsyncSession, tenant_id: uuid.UUID, data: ProductCreate) -> Product:
    product = Product(organization_id=tenant_id, **data.model_dump())
    session.add(product)
    await session.flush()  # surfaces UNIQUE/FK violations here, as 409s, not at commit time
    return product


async def get(session: AsyncSession, product_id: uuid.UUID) -> Product:
    product = await session.scalar(select(Product).where(Product.id == product_id, LIVE))
    if product is None:
        raise NotFoundError("product", product_id)
    return product


async def list_page(session: AsyncSession, *, limit: int, offset: int) -> Sequence[Product]:
    query = page(
        select(Product).where(LIVE), Product.created_at, Product.id, limit=limit, offset=offset
    )
    return (await session.scalars(query)).all()


async def update(session: AsyncSession, product_id: uuid.UUID, data: ProductUpdate) -> Product:
    product = await get(session, product_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(product, field, value)
    await session.flush()
    return product


async def soft_delete(session: AsyncSession, product_id: uuid.UUID) -> None:
    product = await get(session, product_id)
    product.deleted_at = datetime.now(UTC)
    await session.flush()
