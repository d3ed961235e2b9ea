"""Stock levels and reservations. Reservations are single atomic UPDATEs, so concurrent orders
can never reserve more than is on hand: the row lock serializes them and the WHERE re-checks."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ...exceptions import ConflictError
from ..models import StockItem
from . import products

Quantities = Mapping[uuid.UUID, int]


class InsufficientStockError(ConflictError):
    def __init__(self, product_id: uuid.UUID, available: int) -> None:
        self.product_id = product_id
        self.available = available
        super().__init__(
            f"not enough stock for product {product_id}: {available} available",
            product_id=str(product_id),
            available=available,
        )


async def get(session: AsyncSession, product_id: uuid.UUID) -> StockItem:
    """The product's stock; a product nobody stocked yet has none on hand."""
    await products.get(session, product_id)
    stock = await session.get(StockItem, product_id)
    return stock or StockItem(product_id=product_id, on_hand=0, reserved=0)


async def set_on_hand(
    session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID, on_hand: int
) -> StockItem:
    """Record a stock count; it may not drop below what open orders have reserved."""
    await products.get(session, product_id)
    upsert = (
        insert(StockItem)
        .values(product_id=product_id, organization_id=tenant_id, on_hand=on_hand)
        .on_conflict_do_update(
            index_elements=[StockItem.product_id],
            set_={"on_hand": on_hand, "updated_at": func.clock_timestamp()},
        )
        .returning(StockItem)
    )
    stock = await session.scalar(upsert, execution_options={"populate_existing": True})
    assert stock is not None
    return stock


async def reserve(session: AsyncSession, quantities: Quantities) -> None:
    # Always the same lock order (by product id): concurrent orders cannot deadlock each other.
    for product_id in sorted(quantities):
        wanted = quantities[product_id]
        reserved = await session.scalar(
            update(StockItem)
            .where(StockItem.product_id == product_id, StockItem.available >= wanted)
            .values(reserved=StockItem.reserved + wanted)
            .returning(StockItem.product_id),
            execution_options={"synchronize_session": False},
        )
        if reserved is None:
            available = await session.scalar(
                select(StockItem.available).where(StockItem.product_id == product_id)
            )
            raise InsufficientStockError(product_id, available or 0)


async def release(session: AsyncSession, quantities: Quantities) -> None:
    """Give reserved stock back (order cancelled or expired)."""
    await _apply(session, quantities, on_hand_delta=0)


async def ship(session: AsyncSession, quantities: Quantities) -> None:
    """Reserved stock leaves the warehouse (order paid)."""
    await _apply(session, quantities, on_hand_delta=-1)


async def _apply(session: AsyncSession, quantities: Quantities, *, on_hand_delta: int) -> None:
    for product_id in sorted(quantities):
        quantity = quantities[product_id]
        await session.execute(
            update(StockItem)
            .where(StockItem.product_id == product_id)
            .values(
                reserved=StockItem.reserved - quantity,
                on_hand=StockItem.on_hand + on_hand_delta * quantity,
            ),
            execution_options={"synchronize_session": False},
        )
