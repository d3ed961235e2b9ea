"""The shop's tables, all tenant-owned; tables.py holds what they build on."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..tables import Base, Timestamps, one_of, tenant_column
from .domain.orders import OrderStatus
from .domain.payments import PaymentStatus

# A live product's SKU is unique per organization; a soft-deleted product frees its SKU for reuse.
LIVE_SKU_INDEX = "uq_products_live_sku"
# At most one payment per order that is not failed or voided.
LIVE_PAYMENT_INDEX = "uq_payments_live_per_order"
# Every tenant-owned table: row-level security keeps each organization to its own rows.
TENANT_TABLES = ("products", "stock_items", "orders", "order_lines", "payments")

Money = Numeric(14, 2)


class Product(Timestamps, Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price >= 0", name="price_non_negative"),
        Index(
            LIVE_SKU_INDEX,
            "organization_id",
            "sku",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
        # A page of the catalogue reads its rows in order and stops: no scan and sort of every
        # product of the tenant (queries.page).
        Index(
            "ix_products_live_in_creation_order",
            "organization_id",
            "created_at",
            "id",
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = tenant_column()
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(2000))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StockItem(Timestamps, Base):
    """Stock of one product: what is on hand, and how much of it open orders have reserved."""

    __tablename__ = "stock_items"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_non_negative"),
        CheckConstraint("reserved >= 0", name="reserved_non_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[uuid.UUID] = tenant_column()
    on_hand: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer, server_default="0")

    @hybrid_property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Order(Timestamps, Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(one_of("status", OrderStatus), name="status_known"),
        CheckConstraint(
            "total = subtotal - discount_total", name="total_is_subtotal_less_discount"
        ),
        CheckConstraint(
            "discount_total >= 0 AND discount_total <= subtotal", name="discount_within_subtotal"
        ),
        # Payments reference (order, currency): a payment is always in its order's currency.
        UniqueConstraint("id", "currency"),
        Index("ix_orders_in_creation_order", "organization_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = tenant_column()
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.RESERVED)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(Money)
    discount_total: Mapped[Decimal] = mapped_column(Money)
    total: Mapped[Decimal] = mapped_column(Money)
    reserved_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lines: Mapped[list[OrderLine]] = relationship(
        order_by="OrderLine.position", lazy="selectin", cascade="all, delete-orphan"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "line_total = unit_price * quantity", name="line_total_is_price_times_quantity"
        ),
        CheckConstraint("discount >= 0 AND discount <= line_total", name="discount_within_line"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[uuid.UUID] = tenant_column()
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    line_total: Mapped[Decimal] = mapped_column(Money)
    discount: Mapped[Decimal] = mapped_column(Money)


class Payment(Timestamps, Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint(one_of("status", PaymentStatus), name="status_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("captured >= 0 AND captured <= amount", name="captured_within_amount"),
        CheckConstraint("refunded >= 0 AND refunded <= captured", name="refunded_within_captured"),
        ForeignKeyConstraint(
            ["order_id", "currency"],
            ["orders.id", "orders.currency"],
            name="fk_payments_order_currency",
            ondelete="RESTRICT",
        ),
        Index(
            LIVE_PAYMENT_INDEX,
            "order_id",
            unique=True,
            postgresql_where=text("status NOT IN ('failed', 'voided')"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = tenant_column()
    order_id: Mapped[uuid.UUID] = mapped_column(index=True)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(24), default=PaymentStatus.PENDING)
    amount: Mapped[Decimal] = mapped_column(Money)
    captured: Mapped[Decimal] = mapped_column(Money, server_default="0")
    refunded: Mapped[Decimal] = mapped_column(Money, server_default="0")
