"""The database itself enforces the rules, whatever code writes to it."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.errors import integrity_error_response
from {{ cookiecutter.package_name }}.shop.models import Product
from {{ cookiecutter.package_name }}.tables import Organization

from tests.factories import OrganizationFactory


async def _insert_product(
    session: AsyncSession, organization: Organization, **values: object
) -> None:
    row = {"sku": "SKU-1", "name": "Thing", "price": Decimal("1.00"), **values}
    async with session.begin_nested():
        session.add(Product(id=uuid.uuid4(), organization_id=organization.id, **row))
        await session.flush()


async def test_negative_prices_violate_a_check(
    db_session: AsyncSession, organization: Organization
) -> None:
    with pytest.raises(IntegrityError, match="ck_products_price_non_negative"):
        await _insert_product(db_session, organization, price=Decimal("-1"))


async def test_live_skus_are_unique_per_organization(
    db_session: AsyncSession, organization: Organization
) -> None:
    await _insert_product(db_session, organization)
    with pytest.raises(IntegrityError, match="uq_products_live_sku"):
        await _insert_product(db_session, organization)
    other = await OrganizationFactory.create_async(name="Other")
    await _insert_product(db_session, other)


async def test_products_need_an_existing_organization(db_session: AsyncSession) -> None:
    ghost = Organization(id=uuid.uuid4(), name="ghost", currency="EUR")
    with pytest.raises(IntegrityError, match="fk_products_organization_id_organizations"):
        await _insert_product(db_session, ghost)


async def test_currencies_are_iso_codes(db_session: AsyncSession) -> None:
    async with db_session.begin_nested():
        db_session.add(Organization(id=uuid.uuid4(), name="x", currency="eur"))
        with pytest.raises(IntegrityError, match="ck_organizations_currency_iso_4217"):
            await db_session.flush()


async def test_organizations_with_products_cannot_be_deleted(
    db_session: AsyncSession, organization: Organization
) -> None:
    await _insert_product(db_session, organization)
    with pytest.raises(IntegrityError, match="fk_products_organization_id_organizations"):
        async with db_session.begin_nested():
            await db_session.execute(
                text("DELETE FROM organizations WHERE id = :id"), {"id": organization.id}
            )


async def test_check_violations_map_to_422_and_name_the_constraint(
    db_session: AsyncSession, organization: Organization
) -> None:
    # The API's schemas stop negative prices first; this is the net under them.
    with pytest.raises(IntegrityError) as caught:
        await _insert_product(db_session, organization, price=Decimal("-5"))
    response = integrity_error_response(caught.value, {})
    assert response.status_code == 422
    assert (
        json.loads(bytes(response.body))["detail"][0]["ctx"]["constraint"]
        == "ck_products_price_non_negative"
    )
