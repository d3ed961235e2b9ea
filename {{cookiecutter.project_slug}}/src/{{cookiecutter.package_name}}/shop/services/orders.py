"""Placing, reading, cancelling and expiring orders."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...exceptions import ConflictError, NotFoundError
from ...queries import one_or_404, page
from ...tables import Organization
from ..domain.discounts import Discount, FixedDiscount, PercentageDiscount
from ..domain.orders import OrderStatus
from ..domain.payments import PaymentStatus
from ..domain.pricing import LineRequest, price_order
from ..models import Order, OrderLine, Payment, Product
from ..schemas import DiscountIn, OrderCreate, PercentageDiscountIn
from . import inventory
from .inventory import Quantities

# How long placed orders hold their stock before `expire_reservations` gives it back.
RESERVATION_TTL = timedelta(minutes=30)
UNSETTLED_PAYMENTS = (PaymentStatus.PENDING, PaymentStatus.AUTHORIZED)


def _discount(data: DiscountIn | None) -> Discount | None:
    if data is None:
        return None
    if isinstance(data, PercentageDiscountIn):
        return PercentageDiscount(data.percent)
    return FixedDiscount(data.amount, data.currency)


def _per_product(lines: Iterable[tuple[uuid.UUID, int]]) -> Quantities:
    """Total quantity per product: an order may have several lines for one product."""
    totals: defaultdict[uuid.UUID, int] = defaultdict(int)
    for product_id, quantity in lines:
        totals[product_id] += quantity
    return totals


def quantities(order: Order) -> Quantities:
    return _per_product((line.product_id, line.quantity) for line in order.lines)


async def place(session: AsyncSession, tenant_id: uuid.UUID, data: OrderCreate) -> Order:
    """Price the order at today's prices and reserve its stock, or change nothing."""
    wanted = _per_product((line.product_id, line.quantity) for line in data.lines)
    found = await session.scalars(
        select(Product).where(Product.id.in_(wanted), Product.deleted_at.is_(None))
    )
    catalogue = {product.id: product for product in found}
    if missing := [product_id for product_id in wanted if product_id not in catalogue]:
        raise NotFoundError("product", missing[0])
    currency = await session.scalar(
        select(Organization.currency).where(Organization.id == tenant_id)
    )
    if currency is None:
        raise ConflictError("the organization in the token does not exist")

    requests = [LineRequest(catalogue[line.product_id].price, line.quantity) for line in data.lines]
    priced = price_order(requests, _discount(data.discount), currency)
    await inventory.reserve(session, wanted)
    order = Order(
        organization_id=tenant_id,
        status=OrderStatus.RESERVED,
        currency=currency,
        subtotal=priced.subtotal,
        discount_total=priced.discount_total,
        total=priced.total,
        reserved_until=datetime.now(UTC) + RESERVATION_TTL,
        lines=[
            OrderLine(
                organization_id=tenant_id,
                product_id=line.product_id,
                position=position,
                quantity=line.quantity,
                unit_price=priced_line.unit_price,
                line_total=priced_line.line_total,
                discount=priced_line.discount,
            )
            for position, (line, priced_line) in enumerate(
                zip(data.lines, priced.lines, strict=True)
            )
        ],
    )
    session.add(order)
    await session.flush()
    return order


async def get(session: AsyncSession, order_id: uuid.UUID, *, for_update: bool = False) -> Order:
    query = select(Order).where(Order.id == order_id)
    return await one_or_404(session, query, "order", order_id, for_update=for_update)


async def list_page(session: AsyncSession, *, limit: int, offset: int) -> Sequence[Order]:
    query = page(select(Order), Order.created_at, Order.id, limit=limit, offset=offset)
    return (await session.scalars(query)).all()


async def _close(session: AsyncSession, order: Order, status: OrderStatus) -> None:
    """Give the order's stock back and void its unsettled payment; the order lock is held."""
    await inventory.release(session, quantities(order))
    unsettled = await session.scalars(
        select(Payment)
        .where(Payment.order_id == order.id, Payment.status.in_(UNSETTLED_PAYMENTS))
        .with_for_update()
    )
    for payment in unsettled:
        payment.status = PaymentStatus.VOIDED
    order.status = status
    await session.flush()


async def cancel(session: AsyncSession, order_id: uuid.UUID) -> Order:
    order = await get(session, order_id, for_update=True)
    if order.status != OrderStatus.RESERVED:
        raise ConflictError(f"only reserved orders can be cancelled; this one is {order.status}")
    await _close(session, order, OrderStatus.CANCELLED)
    return order


async def expire_reservations(session: AsyncSession, now: datetime) -> int:
    """Expire every reserved order past its reservation, across tenants; return how many.

    Runs as the database owner (a scheduled job, not a request): row-level security is not in
    the way, and SKIP LOCKED leaves orders that a request is handling right now to the next run.
    """
    overdue = await session.scalars(
        select(Order)
        .where(Order.status == OrderStatus.RESERVED, Order.reserved_until < now)
        .with_for_update(skip_locked=True)
    )
    expired = 0
    for order in overdue:
        await _close(session, order, OrderStatus.EXPIRED)
        expired += 1
    return expired
