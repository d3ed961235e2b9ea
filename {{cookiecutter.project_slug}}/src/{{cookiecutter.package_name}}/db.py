"""The database engine, its pool, and the per-request session."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from .settings import Settings


class Database:
    def __init__(self, settings: Settings) -> None:
        self.engine: AsyncEngine = create_async_engine(
            settings.database_url.get_secret_value(),
            pool_size=settings.db_pool_size,
            # No overflow: a bounded pool and a bounded wait turn overload into fast 503s.
            max_overflow=0,
            pool_timeout=settings.db_pool_timeout_seconds,
            connect_args={
                "timeout": settings.db_pool_timeout_seconds,
                "server_settings": {
                    "application_name": "{{ cookiecutter.project_slug }}",
                    "statement_timeout": str(settings.db_statement_timeout_ms),
                },
            },
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def is_ready(self, timeout_seconds: float = 2.0) -> bool:
        """Whether the database answers a trivial query in time."""
        try:
            async with asyncio.timeout(timeout_seconds), self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # refused, timed out, auth failed: all mean "not ready"
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; handlers commit explicitly, anything uncommitted rolls back."""
    database: Database = request.app.state.database
    async with database.sessions() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]
