"""Product catalogue use cases. Row-level security confines every query to the caller's tenant."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from ...exceptions import NotFoundError
from ...queries import one_or_404, page
from ...reads import Reader, compile_query
from ..models import Product
from ..schemas import ProductCreate, ProductRead, ProductUpdate

LIVE = Product.deleted_at.is_(None)
# Hot reads (see reads.py): exactly the response model's columns.
_READ = select(*(Product.__table__.c[name] for name in ProductRead.model_fields)).where(LIVE)
READ_PAGE_SQL = compile_query(
    page(
        _READ, Product.created_at, Product.id, limit=bindparam("limit"), offset=bindparam("offset")
    )
)
READ_ONE_SQL = compile_query(_READ.where(Product.id == bindparam("product_id")))


async def create(session: AsyncSession, tenant_id: uuid.UUID, data: ProductCreate) -> Product:
    product = Product(organization_id=tenant_id, **data.model_dump())
    session.add(product)
    await session.flush()  # surfaces UNIQUE/FK violations here, as 409s, not at commit time
    return product


async def get(session: AsyncSession, product_id: uuid.UUID) -> Product:
    query = select(Product).where(Product.id == product_id, LIVE)
    return await one_or_404(session, query, "product", product_id)


async def read_page(
    reader: Reader, tenant_id: uuid.UUID, *, limit: int, offset: int
) -> list[ProductRead]:
    return await reader.models(ProductRead, tenant_id, READ_PAGE_SQL, limit, offset)


async def read_one(reader: Reader, tenant_id: uuid.UUID, product_id: uuid.UUID) -> ProductRead:
    found = await reader.models(ProductRead, tenant_id, READ_ONE_SQL, product_id)
    if not found:
        raise NotFoundError("product", product_id)
    return found[0]


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
