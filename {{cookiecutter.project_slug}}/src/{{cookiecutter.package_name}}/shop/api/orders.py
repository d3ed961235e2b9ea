"""/api/v1/orders: placing orders (which reserves stock), reading and cancelling them."""

from __future__ import annotations

import uuid

from fastapi import status

from ...dependencies import CLERK, VIEWER, Clerk, Limit, Offset, TenantSession
from ...responses import API_ERRORS, conflict, not_found
from ...routing import DomainRouter
from ..schemas import OrderCreate, OrderPage, OrderRead, PaymentRead
from ..services import orders, payments

router = DomainRouter(prefix="/api/v1/orders", tags=["orders"], responses=API_ERRORS)

NOT_FOUND = not_found("order")
CONFLICT = conflict("The order's state does not allow this")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        **not_found("product"),
        **conflict("Not enough stock, or a discount in another currency"),
    },
)
async def place_order(data: OrderCreate, clerk: Clerk, session: TenantSession) -> OrderRead:
    order = await orders.place(session, clerk.tenant_id, data)
    await session.commit()
    return OrderRead.model_validate(order)


@router.get("", dependencies=[VIEWER])
async def list_orders(session: TenantSession, limit: Limit = 20, offset: Offset = 0) -> OrderPage:
    items = await orders.list_page(session, limit=limit, offset=offset)
    return OrderPage(
        items=[OrderRead.model_validate(item) for item in items], limit=limit, offset=offset
    )


@router.get("/{order_id}", responses=NOT_FOUND, dependencies=[VIEWER])
async def get_order(order_id: uuid.UUID, session: TenantSession) -> OrderRead:
    return OrderRead.model_validate(await orders.get(session, order_id))


@router.post("/{order_id}/cancel", responses={**NOT_FOUND, **CONFLICT}, dependencies=[CLERK])
async def cancel_order(order_id: uuid.UUID, session: TenantSession) -> OrderRead:
    order = await orders.cancel(session, order_id)
    await session.commit()
    return OrderRead.model_validate(order)


@router.post(
    "/{order_id}/payments",
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
)
async def start_payment(order_id: uuid.UUID, clerk: Clerk, session: TenantSession) -> PaymentRead:
    payment = await payments.start(session, clerk.tenant_id, order_id)
    await session.commit()
    return PaymentRead.model_validate(payment)
