"""/api/v1/products: the catalogue of the caller's organization, and its stock."""

from __future__ import annotations

import uuid

from fastapi import status

from ...dependencies import ADMIN, VIEWER, Admin, Limit, Offset, ReaderDep, TenantSession, Viewer
from ...responses import API_ERRORS, conflict, not_found
from ...routing import DomainRouter
from ..schemas import ProductCreate, ProductPage, ProductRead, ProductUpdate, StockRead, StockUpdate
from ..services import inventory, products

router = DomainRouter(prefix="/api/v1/products", tags=["products"], responses=API_ERRORS)

NOT_FOUND = not_found("product")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=conflict("The SKU is already in use"),
)
async def create_product(data: ProductCreate, admin: Admin, session: TenantSession) -> ProductRead:
    product = await products.create(session, admin.tenant_id, data)
    await session.commit()
    return ProductRead.model_validate(product)


@router.get("")
async def list_products(
    viewer: Viewer, reader: ReaderDep, limit: Limit = 20, offset: Offset = 0
) -> ProductPage:
    items = await products.read_page(reader, viewer.tenant_id, limit=limit, offset=offset)
    return ProductPage(items=items, limit=limit, offset=offset)


@router.get("/{product_id}", responses=NOT_FOUND)
async def get_product(product_id: uuid.UUID, viewer: Viewer, reader: ReaderDep) -> ProductRead:
    return await products.read_one(reader, viewer.tenant_id, product_id)


@router.patch("/{product_id}", responses=NOT_FOUND, dependencies=[ADMIN])
async def update_product(
    product_id: uuid.UUID, data: ProductUpdate, session: TenantSession
) -> ProductRead:
    product = await products.update(session, product_id, data)
    await session.commit()
    return ProductRead.model_validate(product)


@router.delete(
    "/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=NOT_FOUND,
    dependencies=[ADMIN],
)
async def delete_product(product_id: uuid.UUID, session: TenantSession) -> None:
    await products.soft_delete(session, product_id)
    await session.commit()


@router.get("/{product_id}/stock", responses=NOT_FOUND, dependencies=[VIEWER])
async def get_stock(product_id: uuid.UUID, session: TenantSession) -> StockRead:
    return StockRead.model_validate(await inventory.get(session, product_id))


@router.put(
    "/{product_id}/stock",
    responses=NOT_FOUND,
)
async def set_stock(
    product_id: uuid.UUID, data: StockUpdate, admin: Admin, session: TenantSession
) -> StockRead:
    stock = await inventory.set_on_hand(session, admin.tenant_id, product_id, data.on_hand)
    await session.commit()
    return StockRead.model_validate(stock)
