"""Every authenticated API route: how to call it, which roles may, and the resources it needs.

New endpoints fail `test_every_api_route_is_in_the_table` until they get a row in ROUTES: the
row is what puts them under the cross-tenant, authentication, role and input-abuse checks.
route_calls.py holds how a row is called; this table is the example domain's.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.security.route_calls import (
    ADMIN,
    CLERK,
    Headers,
    Ids,
    Resource,
    Route,
    created,
)

PRODUCTS = "/api/v1/products"
A_PRODUCT = PRODUCTS + "/{product_id}"
ORDERS = "/api/v1/orders"
AN_ORDER = ORDERS + "/{order_id}"
A_PAYMENT = "/api/v1/payments/{payment_id}"


async def _product(client: httpx.AsyncClient, headers: Headers, ids: Ids) -> str:
    sku = f"SEC-{uuid.uuid4().hex[:10].upper()}"
    product_id = await created(
        client, PRODUCTS, {"sku": sku, "name": "Probe", "price": "3.20"}, headers
    )
    stocked = await client.put(
        A_PRODUCT.format(product_id=product_id) + "/stock", json={"on_hand": 10}, headers=headers
    )
    assert stocked.is_success, stocked.text
    return product_id


async def _order(client: httpx.AsyncClient, headers: Headers, ids: Ids) -> str:
    lines = [{"product_id": ids["product_id"], "quantity": 1}]
    return await created(client, ORDERS, {"lines": lines}, headers)


async def _payment(client: httpx.AsyncClient, headers: Headers, ids: Ids) -> str:
    return await created(client, AN_ORDER.format(**ids) + "/payments", None, headers)


# Path parameter (or body placeholder) name -> the resource it identifies.
RESOURCES = {
    "product_id": Resource(_product, reads=(A_PRODUCT, A_PRODUCT + "/stock")),
    "order_id": Resource(_order, reads=(AN_ORDER,), needs=("product_id",)),
    "payment_id": Resource(_payment, reads=(A_PAYMENT,), needs=("order_id",)),
}


def route(method: str, path: str, body: dict[str, Any] | None = None, **options: Any) -> Route:
    """A row of the table, creating its resources as RESOURCES says."""
    return Route(method, path, body, resources=RESOURCES, **options)


ROUTES = (
    route("POST", PRODUCTS, {"sku": "SEC-NEW", "name": "New", "price": "3.20"}, roles=ADMIN),
    route("GET", PRODUCTS),
    route("GET", A_PRODUCT),
    route("PATCH", A_PRODUCT, {"price": "4.10"}, roles=ADMIN),
    route("DELETE", A_PRODUCT, roles=ADMIN),
    route("GET", A_PRODUCT + "/stock"),
    route("PUT", A_PRODUCT + "/stock", {"on_hand": 7}, roles=ADMIN),
    route(
        "POST",
        ORDERS,
        {"lines": [{"product_id": "{product_id}", "quantity": 1}]},
        roles=CLERK,
        needs=("product_id",),
    ),
    route("GET", ORDERS),
    route("GET", AN_ORDER),
    route("POST", AN_ORDER + "/cancel", roles=CLERK),
    route("POST", AN_ORDER + "/payments", roles=CLERK),
    route("GET", A_PAYMENT),
    route("POST", A_PAYMENT + "/authorize", roles=CLERK),
    route("POST", A_PAYMENT + "/capture", roles=CLERK, setup=(A_PAYMENT + "/authorize",)),
    route("POST", A_PAYMENT + "/void", roles=CLERK),
    route("POST", A_PAYMENT + "/fail", roles=CLERK),
    route(
        "POST",
        A_PAYMENT + "/refunds",
        {"amount": "1.00"},
        roles=ADMIN,
        setup=(A_PAYMENT + "/authorize", A_PAYMENT + "/capture"),
    ),
)
