"""Request and response bodies. Every input is bounded so bad data gets a 422, never a 500."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from .domain.orders import OrderStatus
from .domain.payments import PaymentStatus
from .domain.pricing import MAX_QUANTITY


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; Pydantic already rejects lone surrogates.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _not_blank(value: str) -> str:
    # Stripped after the length check, so maxLength bounds what clients send, as documented.
    # str.strip() drops exactly what Python's \s matches, which the documented pattern uses.
    stripped = value.strip()
    if not stripped:
        raise ValueError("must contain a character other than whitespace")
    return stripped


# The documented patterns say what validation enforces: no NUL, and (names) not blank.
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200),
    AfterValidator(_no_nul),
    AfterValidator(_not_blank),
    Field(json_schema_extra={"pattern": r"^[^\x00]*[^\s\x00][^\x00]*$"}),
]
Description = Annotated[
    str,
    StringConstraints(max_length=2000),
    AfterValidator(_no_nul),
    Field(json_schema_extra={"pattern": r"^[^\x00]*$"}),
]
Sku = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9._-]{0,63}$"),
    Field(description="Upper-case letters, digits, '.', '_' or '-'; at most 64 characters."),
]


def _exact_decimal(pattern: str, smallest: int, largest: int, example: str) -> tuple[Any, Any]:
    """A Decimal sent as a string in `pattern`, or as an integer from `smallest` to `largest`.

    Never as a JSON float: a float may already be rounded before it reaches us. The documented
    schema is exactly what validation accepts, so contract tests can trust it both ways.
    """
    grammar = re.compile(pattern)

    def accept(value: object) -> object:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 12.0 is a JSON Schema integer too
        if isinstance(value, int) and not isinstance(value, bool) and smallest <= value <= largest:
            return value
        if isinstance(value, str) and grammar.fullmatch(value):
            return value
        raise ValueError(
            f"must be a decimal string such as {example!r}, "
            f"or a whole number from {smallest} to {largest}"
        )

    schema = {
        "anyOf": [
            {"type": "string", "pattern": pattern, "examples": [example]},
            {"type": "integer", "minimum": smallest, "maximum": largest},
        ]
    }
    return BeforeValidator(accept), WithJsonSchema(schema, mode="validation")


# Money travels as a decimal string ("12.50"): up to 10 digits before the point and 2 after.
_PRICE = _exact_decimal(r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$", 0, 9_999_999_999, "12.50")
_POSITIVE = _exact_decimal(
    r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,9}(\.[0-9]{1,2})?)$", 1, 9_999_999_999, "12.50"
)
_PERCENT = _exact_decimal(
    r"^(100(\.00?)?|0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]?(\.[0-9]{1,2})?)$", 1, 100, "12.5"
)
Price = Annotated[Decimal, *_PRICE, Field(ge=0, max_digits=12, decimal_places=2)]
PositiveAmount = Annotated[Decimal, *_POSITIVE, Field(gt=0, max_digits=12, decimal_places=2)]
Percent = Annotated[Decimal, *_PERCENT, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
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

    # Optional, but never null: the schema documents only the string (null is refused below).
    name: Name | SkipJsonSchema[None] = None
    description: Description | None = None
    price: Price | SkipJsonSchema[None] = None

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
    percent: Percent


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
