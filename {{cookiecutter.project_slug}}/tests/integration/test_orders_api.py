"""Orders over the API: pricing, reservations, cancellation and expiry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.shop.models import StockItem
from {{ cookiecutter.package_name }}.shop.services.orders import (
    RESERVATION_TTL,
    expire_reservations,
)
from {{ cookiecutter.package_name }}.tables import Organization

from tests.conftest import bearer
from tests.example_factories import ProductFactory, StockItemFactory

ORDERS = "/api/v1/orders"


async def _stocked_product(organization: Organization, price: str, on_hand: int = 10) -> uuid.UUID:
    product = await ProductFactory.create_async(organization_id=organization.id, price=price)
    await StockItemFactory.create_async(
        product_id=product.id, organization_id=organization.id, on_hand=on_hand
    )
    return product.id


async def _available(client: httpx.AsyncClient, headers: dict[str, str], product: uuid.UUID) -> int:
    stock = await client.get(f"/api/v1/products/{product}/stock", headers=headers)
    return int(stock.json()["available"])


def _order(*lines: tuple[uuid.UUID, int], discount: dict[str, str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "lines": [{"product_id": str(product), "quantity": quantity} for product, quantity in lines]
    }
    if discount:
        body["discount"] = discount
    return body


async def test_an_order_is_priced_and_reserves_its_stock(
    client: httpx.AsyncClient, auth_headers: dict[str, str], organization: Organization
) -> None:
    tea = await _stocked_product(organization, "6.50")
    mug = await _stocked_product(organization, "14.00")
    discount = {"kind": "percentage", "percent": "12.5"}
    response = await client.post(
        ORDERS, json=_order((tea, 3), (mug, 1), discount=discount), headers=auth_headers
    )
    assert response.status_code == 201, response.text
    order = response.json()
    assert (order["status"], order["currency"]) == ("reserved", "EUR")
    assert (order["subtotal"], order["discount_total"], order["total"]) == (
        "33.50",
        "4.19",
        "29.31",
    )
    assert [(line["line_total"], line["discount"]) for line in order["lines"]] == [
        ("19.50", "2.44"),
        ("14.00", "1.75"),
    ]
    assert await _available(client, auth_headers, tea) == 7
    fetched = await client.get(f"{ORDERS}/{order['id']}", headers=auth_headers)
    assert fetched.json() == order
    listed = await client.get(ORDERS, headers=auth_headers)
    assert [item["id"] for item in listed.json()["items"]] == [order["id"]]


async def test_a_fixed_discount_must_be_in_the_orders_currency(
    client: httpx.AsyncClient, auth_headers: dict[str, str], organization: Organization
) -> None:
    tea = await _stocked_product(organization, "6.50")
    usd = {"kind": "fixed", "amount": "1.00", "currency": "USD"}
    response = await client.post(ORDERS, json=_order((tea, 1), discount=usd), headers=auth_headers)
    assert response.status_code == 409
    assert response.json() == {"detail": "the discount is in USD but the order is in EUR"}
    eur = {**usd, "currency": "EUR"}
    response = await client.post(ORDERS, json=_order((tea, 1), discount=eur), headers=auth_headers)
    assert response.json()["total"] == "5.50"


async def test_ordering_more_than_is_available_is_a_conflict_that_reserves_nothing(
    client: httpx.AsyncClient, auth_headers: dict[str, str], organization: Organization
) -> None:
    plenty = await _stocked_product(organization, "1.00", on_hand=50)
    scarce = await _stocked_product(organization, "1.00", on_hand=2)
    response = await client.post(
        ORDERS, json=_order((plenty, 5), (scarce, 3)), headers=auth_headers
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"not enough stock for product {scarce}: 2 available",
        "product_id": str(scarce),
        "available": 2,
    }
    assert await _available(client, auth_headers, plenty) == 50, "the failed order held nothing"


async def test_unknown_products_are_404_and_bad_bodies_422(
    client: httpx.AsyncClient, auth_headers: dict[str, str], organization: Organization
) -> None:
    tea = await _stocked_product(organization, "1.00")
    ghost = uuid.uuid4()
    unknown = await client.post(ORDERS, json=_order((ghost, 1)), headers=auth_headers)
    assert (unknown.status_code, unknown.json()) == (404, {"detail": f"product {ghost} not found"})
    bad_bodies: list[dict[str, Any]] = [
        {"lines": []},
        _order((tea, 0)),
        _order((tea, 10_001)),
        _order((tea, 1), discount={"kind": "percentage", "percent": "100.01"}),
        _order((tea, 1), discount={"kind": "bogus"}),
    ]
    for body in bad_bodies:
        response = await client.post(ORDERS, json=body, headers=auth_headers)
        assert response.status_code == 422, (body, response.text)


async def test_cancelling_gives_the_stock_back_once(
    client: httpx.AsyncClient, auth_headers: dict[str, str], organization: Organization
) -> None:
    tea = await _stocked_product(organization, "2.00")
    order = (await client.post(ORDERS, json=_order((tea, 4)), headers=auth_headers)).json()
    cancelled = await client.post(f"{ORDERS}/{order['id']}/cancel", headers=auth_headers)
    assert cancelled.json()["status"] == "cancelled"
    assert await _available(client, auth_headers, tea) == 10
    again = await client.post(f"{ORDERS}/{order['id']}/cancel", headers=auth_headers)
    assert again.status_code == 409
    assert again.json()["detail"] == "only reserved orders can be cancelled; this one is cancelled"


async def test_overdue_reservations_expire_and_release_their_stock(
    client: httpx.AsyncClient,
    auth_headers: dict[str, str],
    organization: Organization,
    db_session: AsyncSession,
) -> None:
    tea = await _stocked_product(organization, "2.00")
    order = (await client.post(ORDERS, json=_order((tea, 4)), headers=auth_headers)).json()
    assert await expire_reservations(db_session, datetime.now(UTC)) == 0
    later = datetime.now(UTC) + RESERVATION_TTL + timedelta(seconds=1)
    assert await expire_reservations(db_session, later) == 1
    stock = await db_session.get(StockItem, tea)
    assert stock is not None
    assert stock.reserved == 0
    expired = await client.get(f"{ORDERS}/{order['id']}", headers=auth_headers)
    assert expired.json()["status"] == "expired"


async def test_viewers_read_but_cannot_order(
    client: httpx.AsyncClient, settings: Settings, organization: Organization
) -> None:
    tea = await _stocked_product(organization, "2.00")
    viewer = bearer(settings, organization.id, roles=("viewer",))
    refused = await client.post(ORDERS, json=_order((tea, 1)), headers=viewer)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "this needs the clerk role or higher"}
    assert (await client.get(ORDERS, headers=viewer)).status_code == 200


async def test_several_lines_for_one_product_reserve_their_sum(
    client: httpx.AsyncClient, auth_headers: dict[str, str], organization: Organization
) -> None:
    tea = await _stocked_product(organization, "2.00", on_hand=5)
    response = await client.post(ORDERS, json=_order((tea, 2), (tea, 3)), headers=auth_headers)
    assert response.status_code == 201, response.text
    assert [line["quantity"] for line in response.json()["lines"]] == [2, 3]
    assert await _available(client, auth_headers, tea) == 0
    too_many = await client.post(ORDERS, json=_order((tea, 1)), headers=auth_headers)
    assert too_many.status_code == 409
