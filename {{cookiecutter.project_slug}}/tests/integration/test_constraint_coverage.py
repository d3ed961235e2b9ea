"""Every CHECK, UNIQUE, FOREIGN KEY and EXCLUDE constraint (and every unique index) in the schema
is violated by at least one integration test: a rule no test breaks is a rule nobody knows works.

Violations are recorded from every SQLAlchemy engine in the process while the integration layer
runs; this module's test runs last and compares them with the database catalog. It needs the whole
layer in one process, as `make test-integration` runs it; any other selection skips it, saying so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine

LAYER = Path(__file__).parent
VIOLATED: set[str] = set()
# Constraints no row can violate on their own, each with the reason.
UNVIOLABLE = {
    # The target of fk_payments_order_currency; the primary key rejects any duplicate order first.
    "uq_orders_id_currency",
}

# Every constraint that can reject a row, and unique indexes that back no constraint (partial
# unique indexes such as "one live SKU per organization" are indexes, not constraints).
CATALOG = text(
    """
    SELECT c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE n.nspname = current_schema() AND c.contype IN ('c', 'u', 'f', 'x')
    UNION
    SELECT i.relname FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
    WHERE n.nspname = current_schema() AND x.indisunique AND NOT x.indisprimary
    AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    """
)


def _record(context: ExceptionContext) -> None:
    # asyncpg's own exception, wrapped by the dialect's, names the constraint.
    driver_error = context.original_exception.__cause__ or context.original_exception
    name = getattr(driver_error, "constraint_name", None)
    if name:
        VIOLATED.add(name)


# Installed when this module is collected, before any test runs; class-level, so it covers every
# engine (an AsyncEngine's work runs on a sync Engine underneath).
if not event.contains(Engine, "handle_error", _record):
    event.listen(Engine, "handle_error", _record)


class _Order:
    """Runs this module's test after every other test, and notes partial selections."""

    def __init__(self) -> None:
        self.partial = False

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        ours = [item for item in items if item.path == Path(__file__)]
        items[:] = [item for item in items if item not in ours] + ours

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.partial = self.partial or any(item.path.is_relative_to(LAYER) for item in items)


ORDER = _Order()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # The one hook a test module may define; it runs during collection, early enough to register
    # the ordering above with this session.
    if not metafunc.config.pluginmanager.is_registered(ORDER):
        metafunc.config.pluginmanager.register(ORDER)


def _reason_to_skip(request: pytest.FixtureRequest) -> str | None:
    if hasattr(request.config, "workerinput"):
        return "constraint coverage needs the whole layer in one process; run make test-integration"
    collected = {item.path for item in request.session.items}
    missing = sorted(path.name for path in LAYER.glob("test_*.py") if path not in collected)
    if missing or ORDER.partial or request.config.option.keyword:
        return "constraint coverage needs the whole integration layer; run make test-integration"
    return None


async def test_every_constraint_is_violated_by_some_test(
    request: pytest.FixtureRequest, engine: AsyncEngine
) -> None:
    reason = _reason_to_skip(request)
    if reason:
        pytest.skip(reason)
    async with engine.connect() as connection:
        constraints = set((await connection.scalars(CATALOG)).all())
    untested = sorted(constraints - VIOLATED - UNVIOLABLE)
    assert not untested, (
        f"no integration test violates these constraints; add a test that breaks each one "
        f"(tests/integration/test_constraints.py lists one statement per constraint): {untested}"
    )
