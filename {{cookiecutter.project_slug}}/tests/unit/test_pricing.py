from __future__ import annotations

from decimal import Decimal

import pytest

from {{ cookiecutter.package_name }}.shop.domain.discounts import (
    FixedDiscount,
    PercentageDiscount,
)
from {{ cookiecutter.package_name }}.shop.domain.pricing import (
    MAX_QUANTITY,
    LineRequest,
    PricingError,
    price_order,
)


def test_an_order_is_priced_line_by_line() -> None:
    order = price_order(
        [LineRequest(Decimal("6.50"), 3), LineRequest(Decimal("14.00"), 1)],
        PercentageDiscount(Decimal("12.5")),
        "EUR",
    )
    assert [line.line_total for line in order.lines] == [Decimal("19.50"), Decimal("14.00")]
    # 12.5 % of 19.50 = 2.4375 -> 2.44; of 14.00 = 1.75.
    assert [line.discount for line in order.lines] == [Decimal("2.44"), Decimal("1.75")]
    assert (order.subtotal, order.discount_total, order.total) == (
        Decimal("33.50"),
        Decimal("4.19"),
        Decimal("29.31"),
    )
    assert order.total == sum(line.net for line in order.lines)


def test_a_fixed_discount_lowers_the_total_by_exactly_its_amount() -> None:
    order = price_order(
        [LineRequest(Decimal("9.99"), 2)], FixedDiscount(Decimal("5.00"), "EUR"), "EUR"
    )
    assert order.total == Decimal("14.98")


def test_an_order_needs_lines() -> None:
    with pytest.raises(PricingError, match="at least one line"):
        price_order([], None, "EUR")


@pytest.mark.parametrize("quantity", [0, -1, MAX_QUANTITY + 1])
def test_quantities_are_bounded(quantity: int) -> None:
    with pytest.raises(PricingError, match="between 1 and"):
        price_order([LineRequest(Decimal("1.00"), quantity)], None, "EUR")
