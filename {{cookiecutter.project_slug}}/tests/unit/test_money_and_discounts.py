from __future__ import annotations

from decimal import Decimal

import pytest

from {{ cookiecutter.package_name }}.shop.domain.discounts import (
    DiscountError,
    FixedDiscount,
    PercentageDiscount,
    allocate,
)
from {{ cookiecutter.package_name }}.shop.domain.money import (
    is_cents,
    round_money,
)


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("0.125", "0.12"), ("0.135", "0.14"), ("2.675", "2.68"), ("-0.125", "-0.12"), ("1", "1.00")],
)
def test_rounding_is_half_to_even_to_the_cent(amount: str, rounded: str) -> None:
    assert round_money(Decimal(amount)) == Decimal(rounded)


@pytest.mark.parametrize(("amount", "expected"), [("1.10", True), ("1.105", False), ("NaN", False)])
def test_is_cents(amount: str, expected: bool) -> None:
    assert is_cents(Decimal(amount)) is expected


def test_a_percentage_discount_is_rounded_per_line() -> None:
    lines = [Decimal("0.25"), Decimal("0.35"), Decimal("10.00")]
    # 10 % of 0.25 = 0.025 -> 0.02; of 0.35 = 0.035 -> 0.04 (half to even); of 10.00 = 1.00.
    assert allocate(PercentageDiscount(Decimal(10)), lines, "EUR") == [
        Decimal("0.02"),
        Decimal("0.04"),
        Decimal("1.00"),
    ]


def test_a_fixed_discount_splits_to_the_exact_cent_largest_remainder_first() -> None:
    lines = [Decimal("1.00"), Decimal("1.00"), Decimal("1.00")]
    shares = allocate(FixedDiscount(Decimal("1.00"), "EUR"), lines, "EUR")
    assert shares == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]
    assert sum(shares) == Decimal("1.00")


def test_a_fixed_discount_never_exceeds_the_subtotal() -> None:
    shares = allocate(
        FixedDiscount(Decimal("50.00"), "EUR"), [Decimal("3.00"), Decimal("7.00")], "EUR"
    )
    assert shares == [Decimal("3.00"), Decimal("7.00")]


def test_a_fixed_discount_on_free_lines_is_nothing() -> None:
    assert allocate(FixedDiscount(Decimal("5.00"), "EUR"), [Decimal("0.00")], "EUR") == [
        Decimal("0.00")
    ]


def test_a_discount_in_another_currency_is_refused() -> None:
    with pytest.raises(DiscountError, match="the discount is in USD but the order is in EUR"):
        allocate(FixedDiscount(Decimal("1.00"), "USD"), [Decimal("5.00")], "EUR")


@pytest.mark.parametrize("percent", ["0", "-5", "100.01"])
def test_percentages_must_be_above_0_and_at_most_100(percent: str) -> None:
    with pytest.raises(DiscountError, match="above 0 and at most 100"):
        PercentageDiscount(Decimal(percent))


def test_fixed_discounts_must_be_positive() -> None:
    with pytest.raises(DiscountError, match="above 0"):
        FixedDiscount(Decimal("0"), "EUR")


def test_no_discount_is_zero_on_every_line() -> None:
    assert allocate(None, [Decimal("1.00"), Decimal("2.00")], "EUR") == [Decimal("0.00")] * 2
