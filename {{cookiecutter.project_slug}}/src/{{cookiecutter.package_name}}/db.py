"""The database engine, its pool, and per-request sessions confined to the caller's tenant."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session as SyncSession
from sqlalchemy.orm import SessionTransaction
from sqlalchemy.pool import NullPool, PoolProxiedConnection
from sqlalchemy.util import greenlet_spawn

from .admission import FairGate
from .settings import Settings

logger = logging.getLogger(__name__)

# The role row-level security applies to (created by migration 0003); never a superuser.
TENANT_ROLE = "{{ cookiecutter.package_name }}_tenant"
TENANT_KEY = "tenant_id"


def tenant_scope(tenant_id: uuid.UUID) -> str:
    """SQL that confines the rest of the current transaction to a tenant: the tenant role, under
    row-level security, seeing `tenant_id`'s rows. Every path to the database (ORM sessions, the
    lean reads) enters a tenant with it.

    Plain SQL without parameters, so a reader sends it in the round trip that begins its
    transaction. Safe to format: the role is a constant and the id is re-parsed as a UUID.
    """
    tenant = uuid.UUID(str(tenant_id))
    return (
        f"SELECT set_config('role', '{TENANT_ROLE}', true), "
        f"set_config('app.tenant_id', '{tenant}', true)"
    )


class Database:
    def __init__(self, settings: Settings) -> None:
        url = settings.database_url.get_secret_value()
        connect_args = {
            "timeout": settings.db_pool_timeout_seconds,
            "server_settings": {
                "application_name": "{{ cookiecutter.project_slug }}",
                "statement_timeout": str(settings.db_statement_timeout_ms),
            },
        }
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=settings.db_pool_size,
            # No overflow: a bounded pool and a bounded wait turn overload into fast 503s.
            max_overflow=0,
            pool_timeout=settings.db_pool_timeout_seconds,
            connect_args=connect_args,
        )
        # Readiness opens a connection of its own each time, outside the pool: under load every
        # pooled connection belongs to an admitted request, and a probe waiting among them (the
        # pool is not fair) would call a healthy database unready.
        self._probes = create_async_engine(url, poolclass=NullPool, connect_args=connect_args)
        # A restarted server leaves dead connections in the pool; replace them at checkout
        # instead of failing one request on each.
        event.listen(self.engine.sync_engine, "checkout", _replace_if_closed)
        self.sessions = tenant_sessions(self.engine, expire_on_commit=False)
        # Every database use passes this gate first; the pool itself then never queues.
        self.gate = FairGate(settings.db_pool_size, settings.db_pool_timeout_seconds)

    @asynccontextmanager
    async def driver_connection(self) -> AsyncIterator[Any]:
        """A pooled asyncpg connection, admitted through the gate (for reads.Reader).

        Checked out without SQLAlchemy's Connection around it, whose bookkeeping a read of the
        driver's connection does not need.
        """
        async with self.gate:
            try:
                pooled = await self.engine.raw_connection()
            except self.engine.dialect.loaded_dbapi.Error as error:
                # Refused (starting up, shutting down, full). SQLAlchemy does not wrap errors on
                # this path, so no handler would know them: say what they mean (503).
                raise ConnectionError("the database refused a connection") from error
            try:
                yield pooled.driver_connection
            except Exception as error:
                # Lost mid-read: as unavailable as a refused connection (503), not a crash.
                if pooled.driver_connection is None or pooled.driver_connection.is_closed():
                    raise ConnectionError("the database connection was lost") from error
                raise
            finally:
                await greenlet_spawn(_give_back, pooled)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """One session, admitted fairly through the gate; callers commit, the rest rolls back."""
        async with self.gate:
            session = self.sessions()
            try:
                yield session
            finally:
                await _close(session)

    async def is_ready(self, timeout_seconds: float = 2.0) -> bool:
        """Whether the database answers a trivial query in time."""
        try:
            async with asyncio.timeout(timeout_seconds), self._probes.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # refused, timed out, auth failed: all mean "not ready"
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()
        await self._probes.dispose()


def _give_back(pooled: PoolProxiedConnection) -> None:
    # SQLAlchemy cannot see transactions begun on the driver. One still open here (a read
    # cancelled midway) may carry a tenant's role, and a dead connection is useless: neither
    # goes back into the pool.
    driver = pooled.driver_connection
    if driver is None or driver.is_closed() or driver.is_in_transaction():
        pooled.invalidate()
    pooled.close()


def _replace_if_closed(dbapi_connection: Any, record: object, proxy: object) -> None:
    # asyncpg sees the server close the socket by itself: unlike pool_pre_ping, this check
    # costs no round trip per checkout. (A silent network loss is left to the timeouts.)
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")  # pool reconnects


class TenantScopedSession(SyncSession):
    """The sessions `tenant_sessions` makes: their transactions enter the tenant they are
    confined to. Each factory gets a subclass of its own that carries the begin hook, so the
    hook never reaches SQLAlchemy's `Session` nor any other session of the process."""


def tenant_sessions(
    bind: AsyncEngine | AsyncConnection, **options: Any
) -> async_sessionmaker[AsyncSession]:
    """A session factory whose sessions `confine_to_tenant` can confine."""

    class Sessions(TenantScopedSession):
        pass

    event.listen(Sessions, "after_begin", _enter_tenant_on_begin)
    return async_sessionmaker(bind, sync_session_class=Sessions, **options)


def _enter_tenant_on_begin(
    session: SyncSession, transaction: SessionTransaction, connection: Connection
) -> None:
    # Every transaction of a tenant session, including those after a commit, runs as the tenant.
    tenant = session.info.get(TENANT_KEY)
    if tenant is not None:
        connection.exec_driver_sql(tenant_scope(tenant))


async def confine_to_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Run this session's transactions as the tenant role, seeing only `tenant_id`'s rows."""
    if not isinstance(session.sync_session, TenantScopedSession):
        # Its later transactions would run as the connecting role, outside row-level security.
        raise TypeError("only sessions from tenant_sessions() can be confined to a tenant")
    session.info[TENANT_KEY] = tenant_id
    if session.in_transaction():  # already begun: the begin hook has missed it
        await (await session.connection()).exec_driver_sql(tenant_scope(tenant_id))


async def _close(session: AsyncSession) -> None:
    # FastAPI runs this after the response went out, where an error would only make uvicorn
    # cut the client's keep-alive connection. A connection lost since the handler ran has no
    # transaction left to roll back, and SQLAlchemy has already dropped it from the pool.
    try:
        await session.close()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        logger.warning("database connection lost before its session closed: %s", error.orig)
