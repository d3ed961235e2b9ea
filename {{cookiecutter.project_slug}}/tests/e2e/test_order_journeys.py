"""A sale from shelf to refund, over real HTTP against the running server."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import NewTenant


async def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.mark.critical
async def test_stock_order_pay_and_refund_part(
    http: httpx.AsyncClient, new_tenant: NewTenant
) -> None:
    headers = await new_tenant()
    tea = await _ok(
        await http.post(
            "/api/v1/products",
            json={"sku": "TEA-1", "name": "Green tea", "price": "6.50"},
            headers=headers,
        ),
        201,
    )
    stock_url = f"/api/v1/products/{tea['id']}/stock"
    await _ok(await http.put(stock_url, json={"on_hand": 10}, headers=headers))

    order = await _ok(
        await http.post(
            "/api/v1/orders",
            json={
                "lines": [{"product_id": tea["id"], "quantity": 4}],
                "discount": {"kind": "fixed", "amount": "1.00", "currency": "EUR"},
            },
            headers=headers,
        ),
        201,
    )
    assert (order["status"], order["total"]) == ("reserved", "25.00")
    assert (await _ok(await http.get(stock_url, headers=headers)))["available"] == 6

    payment = await _ok(
        await http.post(f"/api/v1/orders/{order['id']}/payments", headers=headers), 201
    )
    payments = f"/api/v1/payments/{payment['id']}"
    await _ok(await http.post(f"{payments}/authorize", headers=headers))
    captured = await _ok(await http.post(f"{payments}/capture", headers=headers))
    assert captured["captured"] == "25.00"
    again = await http.post(f"{payments}/capture", headers=headers)
    assert (again.status_code, again.json()["status"]) == (409, "captured")

    paid = await _ok(await http.get(f"/api/v1/orders/{order['id']}", headers=headers))
    assert paid["status"] == "paid"
    stock = await _ok(await http.get(stock_url, headers=headers))
    assert (stock["on_hand"], stock["reserved"]) == (6, 0)

    refunded = await _ok(
        await http.post(f"{payments}/refunds", json={"amount": "5.00"}, headers=headers)
    )
    assert (refunded["status"], refunded["refunded"]) == ("partially_refunded", "5.00")
    too_much = await http.post(f"{payments}/refunds", json={"amount": "20.01"}, headers=headers)
    assert too_much.status_code == 409
    assert "only 20.00 of the captured amount is left" in too_much.json()["detail"]


async def test_an_order_beyond_the_stock_is_refused_and_cancelling_frees_it(
    http: httpx.AsyncClient, new_tenant: NewTenant
) -> None:
    headers = await new_tenant()
    mug = await _ok(
        await http.post(
            "/api/v1/products",
            json={"sku": "MUG", "name": "Mug", "price": "14.00"},
            headers=headers,
        ),
        201,
    )
    await _ok(
        await http.put(f"/api/v1/products/{mug['id']}/stock", json={"on_hand": 1}, headers=headers)
    )
    line = {"lines": [{"product_id": mug["id"], "quantity": 1}]}
    first = await _ok(await http.post("/api/v1/orders", json=line, headers=headers), 201)
    refused = await http.post("/api/v1/orders", json=line, headers=headers)
    assert (refused.status_code, refused.json()["available"]) == (409, 0)
    await _ok(await http.post(f"/api/v1/orders/{first['id']}/cancel", headers=headers))
    await _ok(await http.post("/api/v1/orders", json=line, headers=headers), 201)
