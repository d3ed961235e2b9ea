"""Product catalogue use cases, always scoped to the caller's organization."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFoundError
from ..models import Product
from ..schemas import ProductCreate, ProductUpdate


def _live(tenant_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
    return (Product.organization_id == tenant_id, Product.deleted_at.is_(None))


async def create(session: AsyncSession, tenant_id: uuid.UUID, data: ProductCreate) -> Product:
    product = Product(organization_id=tenant_id, **data.model_dump())
    session.add(product)
    await session.flush()  # surfaces UNIQUE/FK violations here, as 409s, not at commit time
    await session.refresh(product)
    return product


async def get(session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID) -> Product:
    product = await session.scalar(
        select(Product).where(Product.id == product_id, *_live(tenant_id))
    )
    if product is None:
        raise NotFoundError("product", product_id)
    return product


async def list_page(
    session: AsyncSession, tenant_id: uuid.UUID, *, limit: int, offset: int
) -> Sequence[Product]:
    query = (
        select(Product)
        .where(*_live(tenant_id))
        .order_by(Product.created_at, Product.id)
        .limit(limit)
        .offset(offset)
    )
    return (await session.scalars(query)).all()


async def update(
    session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID, data: ProductUpdate
) -> Product:
    product = await get(session, tenant_id, product_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(product, field, value)
    await session.flush()
    await session.refresh(product)
    return product


async def soft_delete(session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID) -> None:
    product = await get(session, tenant_id, product_id)
    product.deleted_at = datetime.now(UTC)
    await session.flush()
