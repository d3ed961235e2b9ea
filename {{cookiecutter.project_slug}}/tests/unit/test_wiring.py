"""The app factory wires its parts explicitly: importing a module changes nothing global, and no
part replaces state or a lifespan another part built."""

from __future__ import annotations

import logging
import uuid

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from {{ cookiecutter.package_name }} import db
from {{ cookiecutter.package_name }}.auth import TokenVerifier
from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.observability import (
    TenantRecordingVerifier,
)
from {{ cookiecutter.package_name }}.observability.logs import JsonFormatter
from {{ cookiecutter.package_name }}.state import services

from tests.conftest import make_settings


def _has_tenant_hook(session_class: type[Session]) -> bool:
    return event.contains(session_class, "after_begin", db._enter_tenant_on_begin)


async def test_the_tenant_hook_is_on_the_databases_own_sessions_not_on_sqlalchemys() -> None:
    database = db.Database(make_settings())
    other = db.Database(make_settings())
    try:
        ours = database.sessions.kw["sync_session_class"]
        assert issubclass(ours, db.TenantScopedSession)
        assert _has_tenant_hook(ours)
        assert not _has_tenant_hook(Session)
        assert not _has_tenant_hook(db.TenantScopedSession)
        # Each database's factory has a class of its own: building one adds nothing to another.
        assert other.sessions.kw["sync_session_class"] is not ours
    finally:
        await database.dispose()
        await other.dispose()


async def test_only_tenant_sessions_can_be_confined_to_a_tenant() -> None:
    # A session without the begin hook would run its next transaction outside the tenant.
    with pytest.raises(TypeError, match="tenant_sessions"):
        await db.confine_to_tenant(AsyncSession(), uuid.uuid4())


async def test_the_verifier_in_state_is_wrapped_once_per_start_of_each_app() -> None:
    apps = [create_app(make_settings()), create_app(make_settings())]
    for app in apps * 2:  # each app started twice: a restart wraps afresh, not again
        async with app.router.lifespan_context(app):
            verifier = services(app).verifier
            assert isinstance(verifier, TenantRecordingVerifier)
            assert type(verifier._verifier) is TokenVerifier


def test_create_app_configures_logging_once_with_one_console_handler(
    root_logger: logging.Logger,
) -> None:
    create_app(make_settings(log_format="json", log_level="WARNING"))
    create_app(make_settings(log_format="json", log_level="WARNING"))
    consoles = [h for h in root_logger.handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(consoles) == 1
    # No handler of logging.basicConfig's left behind, nor one added per app.
    assert [h for h in root_logger.handlers if type(h) is logging.StreamHandler] == consoles
    assert root_logger.level == logging.WARNING
