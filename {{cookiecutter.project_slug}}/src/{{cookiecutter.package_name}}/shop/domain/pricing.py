"""Pricing an order: lines, discount and totals, with the invariants the database re-checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ...exceptions import InvalidInputError
from .discounts import Discount, allocate
from .money import ZERO

MAX_QUANTITY = 10_000


class PricingError(InvalidInputError):
    """An order that cannot be priced as asked: the fault is in its lines."""

    def __init__(self, message: str) -> None:
        super().__init__(message, location=("body", "lines"))


@dataclass(frozen=True)
class LineRequest:
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True)
class PricedLine:
    unit_price: Decimal
    quantity: int
    line_total: Decimal
    discount: Decimal

    @property
    def net(self) -> Decimal:
        return self.line_total - self.discount


@dataclass(frozen=True)
class PricedOrder:
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    discount_total: Decimal
    total: Decimal


def price_order(
    lines: Sequence[LineRequest], discount: Discount | None, currency: str
) -> PricedOrder:
    """Price every line, spread the discount over them, and total the rounded lines."""
    if not lines:
        raise PricingError("an order needs at least one line")
    for line in lines:
        if not 0 < line.quantity <= MAX_QUANTITY:
            raise PricingError(f"quantities must be between 1 and {MAX_QUANTITY}")
    # Prices are whole cents and quantities integers, so line totals are exact: no rounding here.
    line_totals = [line.unit_price * line.quantity for line in lines]
    discounts = allocate(discount, line_totals, currency)
    priced = tuple(
        PricedLine(line.unit_price, line.quantity, total, line_discount)
        for line, total, line_discount in zip(lines, line_totals, discounts, strict=True)
    )
    subtotal = sum(line_totals, ZERO)
    discount_total = sum(discounts, ZERO)
    return PricedOrder(priced, subtotal, discount_total, subtotal - discount_total)
