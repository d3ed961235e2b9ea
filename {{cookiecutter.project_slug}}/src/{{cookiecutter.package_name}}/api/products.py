"""/api/v1/products: the catalogue of the caller's organization."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from ..auth import CurrentPrincipal
from ..db import Session
from ..schemas import ProductCreate, ProductPage, ProductRead, ProductUpdate
from ..services import products

router = APIRouter(prefix="/api/v1/products", tags=["products"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    status.HTTP_404_NOT_FOUND: {"description": "No such product in your organization"}
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={status.HTTP_409_CONFLICT: {"description": "The SKU is already in use"}},
)
async def create_product(
    data: ProductCreate, principal: CurrentPrincipal, session: Session
) -> ProductRead:
    product = await products.create(session, principal.tenant_id, data)
    await session.commit()
    return ProductRead.model_validate(product)


@router.get("")
async def list_products(
    principal: CurrentPrincipal,
    session: Session,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ProductPage:
    items = await products.list_page(session, principal.tenant_id, limit=limit, offset=offset)
    return ProductPage(
        items=[ProductRead.model_validate(item) for item in items], limit=limit, offset=offset
    )


@router.get("/{product_id}", responses=NOT_FOUND)
async def get_product(
    product_id: uuid.UUID, principal: CurrentPrincipal, session: Session
) -> ProductRead:
    return ProductRead.model_validate(await products.get(session, principal.tenant_id, product_id))


@router.patch("/{product_id}", responses=NOT_FOUND)
async def update_product(
    product_id: uuid.UUID, data: ProductUpdate, principal: CurrentPrincipal, session: Session
) -> ProductRead:
    product = await products.update(session, principal.tenant_id, product_id, data)
    await session.commit()
    return ProductRead.model_validate(product)


@router.delete("/{product_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
async def delete_product(
    product_id: uuid.UUID, principal: CurrentPrincipal, session: Session
) -> None:
    await products.soft_delete(session, principal.tenant_id, product_id)
    await session.commit()
