"""Query helpers every resource shares: one row the caller named, and pages in creation order."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import BindParameter, Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from .exceptions import NotFoundError

Row = TypeVar("Row")


async def one_or_404(
    session: AsyncSession,
    query: Select[Row],
    resource: str,
    key: object,
    *,
    for_update: bool = False,
) -> Row:
    """The one result of `query` (locked FOR UPDATE if asked), or NotFoundError(resource, key)."""
    found = await session.scalar(query.with_for_update() if for_update else query)
    if found is None:
        raise NotFoundError(resource, key)
    return found


def page(
    query: Select[Any],
    created_at: InstrumentedAttribute[Any],
    key: InstrumentedAttribute[Any],
    *,
    limit: int | BindParameter[int],
    offset: int | BindParameter[int],
) -> Select[Any]:
    """One page of `query` in creation order, for list endpoints."""
    # The id breaks ties, so pages never overlap or skip rows created in the same microsecond.
    return query.order_by(created_at, key).limit(limit).offset(offset)
