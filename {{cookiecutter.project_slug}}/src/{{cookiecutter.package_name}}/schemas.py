"""Request and response bodies. Every input is bounded so bad data gets a 422, never a 500."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from .domain.payments import PaymentStatus
from .domain.pricing import MAX_QUANTITY
from .models import OrderStatus


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; Pydantic already rejects lone surrogates.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_nul),
]
Description = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_no_nul)]
Sku = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,63}$"),
    Field(description="Upper-case letters, digits, '.', '_' or '-'; at most 64 characters."),
]
# Money travels as a decimal string ("12.50") so no float ever rounds it.
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
PositiveAmount = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), Field(examples=["EUR"])]
Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
# Stock fits PostgreSQL's integer with room to spare.
StockLevel = Annotated[int, Field(ge=0, le=1_000_000_000)]


class StrictInput(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProductCreate(StrictInput):
    sku: Sku
    name: Name
    description: Description | None = None
    price: Price


class ProductUpdate(StrictInput):
    """A partial update: only the fields sent are changed."""

    name: Name | None = None
    description: Description | None = None
    price: Price | None = None

    @model_validator(mode="after")
    def _required_fields_stay_set(self) -> Self:
        for field in ("name", "price"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    sku: str
    name: str
    description: str | None
    price: Decimal
    created_at: datetime
    updated_at: datetime


class ProductPage(BaseModel):
    items: list[ProductRead]
    limit: int
    offset: int


class StockUpdate(StrictInput):
    on_hand: StockLevel


class StockRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    on_hand: int
    reserved: int
    available: int


class PercentageDiscountIn(StrictInput):
    kind: Literal["percentage"]
    percent: Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]


class FixedDiscountIn(StrictInput):
    kind: Literal["fixed"]
    amount: PositiveAmount
    currency: Currency


DiscountIn = Annotated[PercentageDiscountIn | FixedDiscountIn, Field(discriminator="kind")]


class OrderLineIn(StrictInput):
    product_id: uuid.UUID
    quantity: Quantity


class OrderCreate(StrictInput):
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=100)]
    discount: DiscountIn | None = None

    @model_validator(mode="after")
    def _one_line_per_product(self) -> Self:
        products = [line.product_id for line in self.lines]
        if len(set(products)) != len(products):
            raise ValueError("each product may appear in only one line; add up the quantities")
        return self


class OrderLineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID
    quantity: int
    unit_price: Decimal
    line_total: Decimal
    discount: Decimal


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: OrderStatus
    currency: str
    subtotal: Decimal
    discount_total: Decimal
    total: Decimal
    reserved_until: datetime
    created_at: datetime
    lines: list[OrderLineRead]


class OrderPage(BaseModel):
    items: list[OrderRead]
    limit: int
    offset: int


class RefundCreate(StrictInput):
    amount: PositiveAmount


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    order_id: uuid.UUID
    status: PaymentStatus
    currency: str
    amount: Decimal
    captured: Decimal
    refunded: Decimal
    created_at: datetime
    updated_at: datetime
