"""Tenant isolation is enforced by PostgreSQL itself, not only by the queries the app writes."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.db import TENANT_ROLE, confine_to_tenant
from {{ cookiecutter.package_name }}.domain import DOMAIN

from tests.factories import OrganizationFactory
from tests.integration.conftest import Shop

# Part of `make test-critical`, the fast subset pull requests get first.
pytestmark = pytest.mark.critical


async def _count(session: AsyncSession, table: str) -> int:
    result = await session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608 (constant)
    return int(result or 0)


@pytest.mark.parametrize("table", DOMAIN.tenant_tables)
async def test_another_tenant_sees_none_of_the_rows_even_unfiltered(
    db_session: AsyncSession, shop: Shop, table: str
) -> None:
    assert await _count(db_session, table) > 0, "the shop fixture fills every tenant table"
    other = await OrganizationFactory.create_async()
    await confine_to_tenant(db_session, other.id)
    assert await _count(db_session, table) == 0
    await confine_to_tenant(db_session, shop.organization_id)
    assert await _count(db_session, table) > 0


async def test_a_tenant_cannot_write_rows_for_another(db_session: AsyncSession, shop: Shop) -> None:
    other = await OrganizationFactory.create_async()
    await confine_to_tenant(db_session, shop.organization_id)
    with pytest.raises(ProgrammingError, match="row-level security"):
        async with db_session.begin_nested():
            await db_session.execute(
                text("UPDATE products SET organization_id = :other WHERE id = :id"),
                {"other": other.id, "id": shop.product_id},
            )


async def test_without_a_tenant_the_role_sees_nothing(db_session: AsyncSession, shop: Shop) -> None:
    await db_session.execute(text(f"SET LOCAL ROLE {TENANT_ROLE}"))
    assert await _count(db_session, "products") == 0
    assert await _count(db_session, "organizations") == 0


async def test_requests_run_as_the_tenant_role_never_as_a_superuser(
    db_session: AsyncSession, client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    seen: list[str] = []

    async def spy() -> None:
        seen.append(str(await db_session.scalar(text("SELECT current_user"))))

    response = await client.get("/api/v1/products", headers=auth_headers)
    assert response.status_code == 200
    # The same session served the request; its role is checked right after, inside a request.
    await confine_to_tenant(db_session, uuid.uuid4())
    await spy()
    assert seen == [TENANT_ROLE]
    rolbypassrls = await db_session.scalar(
        text("SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = :role"),
        {"role": TENANT_ROLE},
    )
    assert rolbypassrls is False
