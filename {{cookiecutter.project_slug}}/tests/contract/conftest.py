"""The contract layer: schemathesis drives the real application in-process against a real
database of its own; the application commits for real, exactly as in production."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from {{ cookiecutter.package_name }}.main import create_app

from tests.conftest import make_settings
from tests.contract.deferred_app import DEFERRED_APP
from tests.tenants_for_tests import committed_tenant


@pytest.fixture(scope="session")
def contract_database_url(migrated_database: Callable[[str], str]) -> str:
    return migrated_database("contract")


@pytest.fixture(scope="session")
def contract_app(contract_database_url: str) -> None:
    """Point the schema's application at one that uses the contract database."""
    DEFERRED_APP.target = create_app(make_settings(database_url=contract_database_url))


@pytest.fixture(scope="session")
def contract_headers(contract_database_url: str) -> dict[str, str]:
    """A bearer token for an organization that exists, so writes can succeed."""

    async def create() -> dict[str, str]:
        engine = create_async_engine(contract_database_url)
        try:
            return await committed_tenant(engine)
        finally:
            await engine.dispose()

    return asyncio.run(create())


_CASES_SENT: list[str] = []


@pytest.fixture(scope="session")
def cases_sent() -> list[str]:
    """Operation label of every case sent, for the summary below."""
    return _CASES_SENT


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _CASES_SENT:
        operations = len(set(_CASES_SENT))
        terminalreporter.write_line(
            f"schemathesis: {len(_CASES_SENT)} cases sent to {operations} operations"
        )
