"""Order discounts, split across lines so that line amounts always add up to the order's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from ...exceptions import ConflictError
from .money import CENT, ZERO, round_money

HUNDRED = Decimal(100)


class DiscountError(ConflictError):
    """A discount that cannot apply to this order."""


@dataclass(frozen=True)
class PercentageDiscount:
    """A share of every line, e.g. 12.5 for 12.5 %; rounded per line."""

    percent: Decimal

    def __post_init__(self) -> None:
        if not ZERO < self.percent <= HUNDRED:
            raise DiscountError("a percentage discount must be above 0 and at most 100")


@dataclass(frozen=True)
class FixedDiscount:
    """An amount off the order, in the order's currency, capped at the order's subtotal."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if self.amount <= ZERO:
            raise DiscountError("a fixed discount must be above 0")


Discount = PercentageDiscount | FixedDiscount


def allocate(
    discount: Discount | None, line_totals: Sequence[Decimal], currency: str
) -> list[Decimal]:
    """The discount on each line; each is whole cents and at most its line's total."""
    if discount is None:
        return [ZERO for _ in line_totals]
    if isinstance(discount, PercentageDiscount):
        return [round_money(total * discount.percent / HUNDRED) for total in line_totals]
    if discount.currency != currency:
        raise DiscountError(
            f"the discount is in {discount.currency} but the order is in {currency}"
        )
    return _split_fixed(min(discount.amount, sum(line_totals, ZERO)), line_totals)


def _split_fixed(amount: Decimal, line_totals: Sequence[Decimal]) -> list[Decimal]:
    """Split `amount` in proportion to the lines, largest remainders first, to the exact cent."""
    subtotal = sum(line_totals, ZERO)
    if subtotal == ZERO:
        return [ZERO for _ in line_totals]
    exact = [amount * total / subtotal for total in line_totals]
    shares = [share.quantize(CENT, rounding=ROUND_DOWN) for share in exact]
    leftover_cents = int((amount - sum(shares, ZERO)) / CENT)
    # Ties go to the earlier line, so the split is deterministic.
    by_remainder = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for index in by_remainder[:leftover_cents]:
        shares[index] += CENT
    return shares
