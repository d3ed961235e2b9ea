"""Committed tenants, for layers where the application under test commits for real."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.conftest import bearer, make_settings
from tests.factories import OrganizationFactory


async def committed_tenant(
    engine: AsyncEngine, roles: tuple[str, ...] = ("admin",)
) -> dict[str, str]:
    """Create an organization and commit it; return bearer headers for it."""
    organization = OrganizationFactory.build()
    async with AsyncSession(engine, expire_on_commit=False) as session:
        session.add(organization)
        await session.commit()
    return bearer(make_settings(), organization.id, roles)
