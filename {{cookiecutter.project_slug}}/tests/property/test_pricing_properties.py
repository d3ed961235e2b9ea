"""Invariants of pricing, for any lines and any discount."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from {{ cookiecutter.package_name }}.shop.domain.discounts import (
    FixedDiscount,
    PercentageDiscount,
)
from {{ cookiecutter.package_name }}.shop.domain.money import (
    ZERO,
    is_cents,
    round_money,
)
from {{ cookiecutter.package_name }}.shop.domain.pricing import (
    MAX_QUANTITY,
    LineRequest,
    price_order,
)

cents = st.integers(min_value=0, max_value=10**10).map(lambda n: Decimal(n) / 100)
lines = st.lists(
    st.builds(LineRequest, cents, st.integers(min_value=1, max_value=MAX_QUANTITY)),
    min_size=1,
    max_size=30,
)
percentages = st.integers(min_value=1, max_value=10_000).map(
    lambda n: PercentageDiscount(Decimal(n) / 100)
)
fixed = st.integers(min_value=1, max_value=10**12).map(
    lambda n: FixedDiscount(Decimal(n) / 100, "EUR")
)
discounts = st.none() | percentages | fixed


@given(lines, discounts)
def test_totals_are_sums_of_rounded_lines(requests: list[LineRequest], discount: object) -> None:
    assert discount is None or isinstance(discount, PercentageDiscount | FixedDiscount)
    order = price_order(requests, discount, "EUR")
    assert order.subtotal == sum((line.line_total for line in order.lines), ZERO)
    assert order.discount_total == sum((line.discount for line in order.lines), ZERO)
    assert order.total == sum((line.net for line in order.lines), ZERO)
    assert order.total == order.subtotal - order.discount_total
    for line in order.lines:
        assert ZERO <= line.discount <= line.line_total
        assert is_cents(line.discount)
        assert is_cents(line.line_total)


@given(lines, percentages)
def test_percentages_round_each_line_once(
    requests: list[LineRequest], discount: PercentageDiscount
) -> None:
    order = price_order(requests, discount, "EUR")
    for line in order.lines:
        assert line.discount == round_money(line.line_total * discount.percent / 100)


@given(lines, fixed)
def test_fixed_discounts_take_exactly_their_amount_up_to_the_subtotal(
    requests: list[LineRequest], discount: FixedDiscount
) -> None:
    order = price_order(requests, discount, "EUR")
    assert order.discount_total == min(discount.amount, order.subtotal)
    assert order.total >= ZERO
