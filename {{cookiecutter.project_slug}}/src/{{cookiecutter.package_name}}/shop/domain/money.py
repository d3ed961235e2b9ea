"""Money is Decimal, in the currency's minor unit (cents), with one rounding rule.

The rule: every amount that is computed (a percentage of a line) is rounded once, half to even,
to the cent; totals are sums of rounded amounts and are never rounded again. Half-even avoids
the upward drift that half-up rounding gives over many lines.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(amount: Decimal) -> Decimal:
    """Round to the cent, half to even (the one rounding rule)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


def is_cents(amount: Decimal) -> bool:
    """Whether `amount` is a finite amount with no fraction of a cent."""
    return amount.is_finite() and amount == amount.quantize(CENT)
