"""Offset pagination in creation order, shared by every list endpoint."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Select
from sqlalchemy.orm import InstrumentedAttribute


def page(
    query: Select[Any],
    created_at: InstrumentedAttribute[Any],
    key: InstrumentedAttribute[Any],
    *,
    limit: int | BindParameter[int],
    offset: int | BindParameter[int],
) -> Select[Any]:
    # The id breaks ties, so pages never overlap or skip rows created in the same microsecond.
    return query.order_by(created_at, key).limit(limit).offset(offset)
