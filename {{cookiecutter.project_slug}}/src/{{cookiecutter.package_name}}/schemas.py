"""Request and response bodies. Every input is bounded so bad data gets a 422, never a 500."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)


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
