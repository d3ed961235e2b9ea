from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.shop.schemas import (
    ProductCreate,
    ProductUpdate,
)

VALID = {"sku": "TEA-1", "name": "Green tea", "price": "6.50"}


def test_a_valid_product_parses_money_exactly() -> None:
    product = ProductCreate.model_validate(VALID)
    assert product.price == Decimal("6.50")


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("price", "-0.01", "must be a decimal string"),
        ("price", "1.005", "must be a decimal string"),
        ("price", "1e20", "must be a decimal string"),
        ("price", "NaN", "must be a decimal string"),
        ("price", 12.5, "must be a decimal string"),
        ("price", 10_000_000_000, "whole number from 0 to 9999999999"),
        ("price", 12.5j, "decimal"),
        ("sku", "tea-1", "pattern"),
        ("sku", "T" * 65, "pattern"),
        ("name", "", "at least 1 character"),
        ("name", "   ", "other than whitespace"),
        ("name", "tea\x00", "NUL"),
        ("name", "tea\ud800", "unicode"),
        ("name", "x" * 201, "at most 200"),
        # The limit holds for what is sent, before surrounding whitespace is stripped.
        ("name", "\n" + "x" * 200, "at most 200"),
        ("description", "y" * 2001, "at most 2000"),
    ],
)
def test_bad_values_are_rejected_with_a_reason(field: str, value: Any, complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        ProductCreate.model_validate({**VALID, field: value})


def test_names_are_stored_without_surrounding_whitespace() -> None:
    assert ProductCreate.model_validate({**VALID, "name": "\t Green tea \n"}).name == "Green tea"


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        ProductCreate.model_validate({**VALID, "organization_id": "someone-else"})


def test_partial_updates_only_carry_the_fields_sent() -> None:
    update = ProductUpdate.model_validate({"price": "7.00"})
    assert update.model_dump(exclude_unset=True) == {"price": Decimal("7.00")}


@pytest.mark.parametrize("field", ["name", "price"])
def test_required_fields_cannot_be_cleared(field: str) -> None:
    with pytest.raises(ValidationError, match=f"{field} cannot be null"):
        ProductUpdate.model_validate({field: None})


def test_descriptions_can_be_cleared() -> None:
    assert ProductUpdate.model_validate({"description": None}).description is None
