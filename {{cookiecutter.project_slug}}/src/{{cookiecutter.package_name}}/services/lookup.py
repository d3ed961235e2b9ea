"""Fetching one row the caller named, or answering 404."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFoundError

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
