"""The lean pattern for hot read paths: SQL on the pool's asyncpg connection, validated rows.

Reads that serve most traffic skip the ORM's unit of work and result machinery (a large share of
a small list request's CPU; docs/performance.md) but nothing else: they pass the same admission
gate, run as the tenant role under row-level security, inside a read-only transaction, and every
row is validated into the response model. Writes keep the ORM (a domain's services), where the
unit of work earns its cost.

PostgreSQL renders each row as a JSON object and pydantic validates the whole list in one call
of its Rust core, which costs a fraction of building Python rows and validating them one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Numeric, Select, Text, cast, func, literal_column
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from .db import tenant_scope

Model = TypeVar("Model", bound=BaseModel)
_SAVEPOINT = "SAVEPOINT lean_read"
_RELEASE = "ROLLBACK TO SAVEPOINT lean_read; RELEASE SAVEPOINT lean_read"
_DIALECT = asyncpg_dialect(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]  # untyped in SQLAlchemy


def compile_query(query: Select[Any]) -> str:
    """SQL for Reader.models, compiled once at import: each row becomes one JSON object keyed by
    column name, and parameters become $1, $2, ... in bind order."""
    fields = []
    for column in query.selected_columns:
        # Numbers as JSON strings: a JSON number would pass through a float on the way to Decimal.
        value = cast(column, Text) if isinstance(column.type, Numeric) else column
        fields += [literal_column(f"'{column.name}'"), value]
    # As text: SQLAlchemy's asyncpg connections would otherwise decode JSON with the json module.
    row = cast(func.json_build_object(*fields), Text)
    as_json = query.with_only_columns(row, maintain_column_froms=True)
    return str(as_json.compile(dialect=_DIALECT))


@cache
def _list_of(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]  # a runtime type, as pydantic allows


@dataclass(frozen=True)
class Reader:
    """Where hot reads get an asyncpg connection; each read runs in the tenant's scope."""

    connection: Callable[[], AbstractAsyncContextManager[Any]]

    async def fetch(self, tenant_id: uuid.UUID, sql: str, *args: object) -> Sequence[Any]:
        """Rows of one query, in the tenant's view of the database."""
        async with self.connection() as driver:
            # A pooled connection starts a read-only transaction; one already inside a
            # transaction (a test's, which rolls back at its end) reads inside a savepoint.
            nested = driver.is_in_transaction()
            begin, end = (_SAVEPOINT, _RELEASE) if nested else ("BEGIN READ ONLY", "ROLLBACK")
            # The scope and the tenant context travel in one round trip.
            await driver.execute(f"{begin}; {tenant_scope(tenant_id)}")
            try:
                rows: Sequence[Any] = await driver.fetch(sql, *args)
            finally:
                await driver.execute(end)  # the read changed nothing: nothing to commit
        return rows

    async def models(
        self, model: type[Model], tenant_id: uuid.UUID, sql: str, *args: object
    ) -> list[Model]:
        """Rows of `sql` (from compile_query) validated into `model`."""
        rows = await self.fetch(tenant_id, sql, *args)
        items: list[Model] = _list_of(model).validate_json(f"[{','.join(row[0] for row in rows)}]")
        return items
