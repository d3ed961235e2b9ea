"""Payments of orders, moved through the domain's state machine under row locks."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...exceptions import ConflictError
from ...queries import one_or_404
from ..domain import payments as rules
from ..domain.orders import OrderStatus
from ..domain.payments import PaymentEvent, PaymentStatus
from ..models import Payment
from . import inventory, orders


async def start(session: AsyncSession, tenant_id: uuid.UUID, order_id: uuid.UUID) -> Payment:
    """Open a pending payment for the order's total (one unsettled or settled payment at a time)."""
    order = await orders.get(session, order_id, for_update=True)
    if order.status != OrderStatus.RESERVED:
        raise ConflictError(f"only reserved orders can be paid; this one is {order.status}")
    if order.total == 0:
        raise ConflictError("the order total is 0: there is nothing to pay")
    payment = Payment(
        organization_id=tenant_id,
        order_id=order.id,
        currency=order.currency,
        status=PaymentStatus.PENDING,
        amount=order.total,
    )
    session.add(payment)
    await session.flush()  # the one-live-payment index answers a second attempt with a 409
    return payment


async def get(session: AsyncSession, payment_id: uuid.UUID, *, for_update: bool = False) -> Payment:
    query = select(Payment).where(Payment.id == payment_id)
    return await one_or_404(session, query, "payment", payment_id, for_update=for_update)


async def record(
    session: AsyncSession, payment_id: uuid.UUID, event: PaymentEvent, amount: Decimal | None = None
) -> Payment:
    """Apply `event` to the payment; a capture also ships the order's reserved stock."""
    order_id = (await get(session, payment_id)).order_id
    # Lock the order before the payment, as cancelling does: the two can never deadlock.
    order = await orders.get(session, order_id, for_update=True)
    payment = await get(session, payment_id, for_update=True)
    state = rules.Payment(
        PaymentStatus(payment.status), payment.amount, payment.captured, payment.refunded
    )
    after = rules.apply(state, event, amount)
    if event is PaymentEvent.CAPTURE:
        if order.status != OrderStatus.RESERVED:
            raise ConflictError(f"the order is {order.status}; its payment cannot be captured")
        await inventory.ship(session, orders.quantities(order))
        order.status = OrderStatus.PAID
    payment.status = after.status
    payment.captured = after.captured
    payment.refunded = after.refunded
    await session.flush()
    return payment
