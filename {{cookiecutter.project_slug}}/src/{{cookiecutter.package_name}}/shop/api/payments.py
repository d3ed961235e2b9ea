"""/api/v1/payments: moving a payment through authorize, capture, refund, void and fail."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from ...dependencies import ADMIN, CLERK, VIEWER, TenantSession
from ...responses import API_ERRORS, conflict, not_found
from ...routing import DomainRouter
from ..domain.payments import PaymentEvent
from ..schemas import PaymentRead, RefundCreate
from ..services import payments

router = DomainRouter(prefix="/api/v1/payments", tags=["payments"], responses=API_ERRORS)

RESPONSES = {**not_found("payment"), **conflict("Not allowed in the payment's current state")}


async def _record(
    session: AsyncSession, payment_id: uuid.UUID, event: PaymentEvent, amount: Decimal | None = None
) -> PaymentRead:
    payment = await payments.record(session, payment_id, event, amount)
    await session.commit()
    return PaymentRead.model_validate(payment)


@router.get("/{payment_id}", responses=RESPONSES, dependencies=[VIEWER])
async def get_payment(payment_id: uuid.UUID, session: TenantSession) -> PaymentRead:
    return PaymentRead.model_validate(await payments.get(session, payment_id))


@router.post("/{payment_id}/authorize", responses=RESPONSES, dependencies=[CLERK])
async def authorize(payment_id: uuid.UUID, session: TenantSession) -> PaymentRead:
    return await _record(session, payment_id, PaymentEvent.AUTHORIZE)


@router.post("/{payment_id}/capture", responses=RESPONSES, dependencies=[CLERK])
async def capture(payment_id: uuid.UUID, session: TenantSession) -> PaymentRead:
    return await _record(session, payment_id, PaymentEvent.CAPTURE)


@router.post("/{payment_id}/void", responses=RESPONSES, dependencies=[CLERK])
async def void(payment_id: uuid.UUID, session: TenantSession) -> PaymentRead:
    return await _record(session, payment_id, PaymentEvent.VOID)


@router.post("/{payment_id}/fail", responses=RESPONSES, dependencies=[CLERK])
async def fail(payment_id: uuid.UUID, session: TenantSession) -> PaymentRead:
    return await _record(session, payment_id, PaymentEvent.FAIL)


@router.post("/{payment_id}/refunds", responses=RESPONSES, dependencies=[ADMIN])
async def refund(payment_id: uuid.UUID, data: RefundCreate, session: TenantSession) -> PaymentRead:
    return await _record(session, payment_id, PaymentEvent.REFUND, data.amount)
