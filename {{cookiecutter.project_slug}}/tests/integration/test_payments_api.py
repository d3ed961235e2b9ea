"""Payments over the API: the state machine, stock leaving on capture, refunds and roles."""

from __future__ import annotations

import httpx
import pytest

from {{ cookiecutter.package_name }}.settings import Settings

from tests.conftest import bearer
from tests.integration.conftest import Shop

PAYMENTS = "/api/v1/payments"


async def _post(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, **body: str
) -> httpx.Response:
    return await client.post(f"{PAYMENTS}/{path}", json=body or None, headers=headers)


async def test_authorize_capture_and_refund_in_two_parts(
    client: httpx.AsyncClient, auth_headers: dict[str, str], shop: Shop
) -> None:
    payment = f"{shop.payment_id}"
    assert (await _post(client, auth_headers, f"{payment}/authorize")).json()[
        "status"
    ] == "authorized"
    captured = (await _post(client, auth_headers, f"{payment}/capture")).json()
    assert captured["captured"] == captured["amount"]

    order = (await client.get(f"/api/v1/orders/{shop.order_id}", headers=auth_headers)).json()
    assert order["status"] == "paid"
    stock = await client.get(f"/api/v1/products/{shop.product_id}/stock", headers=auth_headers)
    assert (stock.json()["on_hand"], stock.json()["reserved"]) == (8, 0), "stock left on capture"

    total = captured["amount"]
    partial = await _post(client, auth_headers, f"{payment}/refunds", amount="0.01")
    assert (partial.json()["status"], partial.json()["refunded"]) == ("partially_refunded", "0.01")
    too_much = await _post(client, auth_headers, f"{payment}/refunds", amount=total)
    assert too_much.status_code == 409
    assert "of the captured amount is left" in too_much.json()["detail"]
    rest = f"{float(total) - 0.01:.2f}"
    full = await _post(client, auth_headers, f"{payment}/refunds", amount=rest)
    assert (full.json()["status"], full.json()["refunded"]) == ("refunded", total)
    read = await client.get(f"{PAYMENTS}/{payment}", headers=auth_headers)
    assert read.json() == full.json()


@pytest.mark.parametrize("event", ["capture", "refunds"])
async def test_events_out_of_order_are_409_with_the_state_named(
    client: httpx.AsyncClient, auth_headers: dict[str, str], shop: Shop, event: str
) -> None:
    body = {"amount": "1.00"} if event == "refunds" else {}
    response = await _post(client, auth_headers, f"{shop.payment_id}/{event}", **body)
    assert response.status_code == 409
    assert response.json()["status"] == "pending"
    assert response.json()["detail"].endswith("a payment that is pending")


async def test_one_payment_at_a_time_until_it_is_voided(
    client: httpx.AsyncClient, auth_headers: dict[str, str], shop: Shop
) -> None:
    url = f"/api/v1/orders/{shop.order_id}/payments"
    second = await client.post(url, headers=auth_headers)
    assert (second.status_code, second.json()["constraint"]) == (409, "uq_payments_live_per_order")
    await _post(client, auth_headers, f"{shop.payment_id}/void")
    retry = await client.post(url, headers=auth_headers)
    assert (retry.status_code, retry.json()["status"]) == (201, "pending")


async def test_a_failed_payment_leaves_the_order_open_for_another(
    client: httpx.AsyncClient, auth_headers: dict[str, str], shop: Shop
) -> None:
    assert (await _post(client, auth_headers, f"{shop.payment_id}/fail")).json()[
        "status"
    ] == "failed"
    order = await client.get(f"/api/v1/orders/{shop.order_id}", headers=auth_headers)
    assert order.json()["status"] == "reserved"


async def test_cancelling_an_order_voids_its_unsettled_payment(
    client: httpx.AsyncClient, auth_headers: dict[str, str], shop: Shop
) -> None:
    await _post(client, auth_headers, f"{shop.payment_id}/authorize")
    await client.post(f"/api/v1/orders/{shop.order_id}/cancel", headers=auth_headers)
    payment = await client.get(f"{PAYMENTS}/{shop.payment_id}", headers=auth_headers)
    assert payment.json()["status"] == "voided"
    late = await client.post(f"/api/v1/orders/{shop.order_id}/payments", headers=auth_headers)
    assert late.status_code == 409


async def test_clerks_take_payments_but_only_admins_refund(
    client: httpx.AsyncClient, settings: Settings, shop: Shop
) -> None:
    clerk = bearer(settings, shop.organization_id, roles=("clerk",))
    await _post(client, clerk, f"{shop.payment_id}/authorize")
    assert (await _post(client, clerk, f"{shop.payment_id}/capture")).status_code == 200
    refused = await _post(client, clerk, f"{shop.payment_id}/refunds", amount="1.00")
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "this needs the admin role or higher"},
    )
