"""Every authenticated API route: how to call it, which roles may, and the resources it needs.

New endpoints fail `test_every_api_route_is_in_the_table` until they get a row in ROUTES: the
row is what puts them under the cross-tenant, authentication, role and input-abuse checks.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

# The roles a token can carry, lowest first; each includes the ones below it.
ROLES = ("viewer", "clerk", "admin")
VIEWER, CLERK, ADMIN = frozenset(ROLES), frozenset(ROLES[1:]), frozenset(ROLES[2:])
# Creates the resources a test needs before it calls the route under test.
OWNER_ROLES = ("admin",)
# Routes anyone may call, without a token.
PUBLIC = frozenset({("GET", "/healthz"), ("GET", "/readyz")})

PRODUCTS = "/api/v1/products"
A_PRODUCT = PRODUCTS + "/{product_id}"
ORDERS = "/api/v1/orders"
AN_ORDER = ORDERS + "/{order_id}"
A_PAYMENT = "/api/v1/payments/{payment_id}"

Headers = dict[str, str]
Ids = dict[str, str]
Json = dict[str, Any]


def fill(value: Any, ids: Ids) -> Any:
    """`value` with every "{name}" in its strings replaced by the id of that resource."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value


async def _created(
    client: httpx.AsyncClient, path: str, body: Json | None, headers: Headers
) -> str:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, f"{path}: {response.text}"
    return str(response.json()["id"])


async def _product(client: httpx.AsyncClient, headers: Headers, ids: Ids) -> str:
    sku = f"SEC-{uuid.uuid4().hex[:10].upper()}"
    product_id = await _created(
        client, PRODUCTS, {"sku": sku, "name": "Probe", "price": "3.20"}, headers
    )
    stocked = await client.put(
        A_PRODUCT.format(product_id=product_id) + "/stock", json={"on_hand": 10}, headers=headers
    )
    assert stocked.is_success, stocked.text
    return product_id


async def _order(client: httpx.AsyncClient, headers: Headers, ids: Ids) -> str:
    lines = [{"product_id": ids["product_id"], "quantity": 1}]
    return await _created(client, ORDERS, {"lines": lines}, headers)


async def _payment(client: httpx.AsyncClient, headers: Headers, ids: Ids) -> str:
    return await _created(client, AN_ORDER.format(**ids) + "/payments", None, headers)


@dataclass(frozen=True)
class Resource:
    """How to create one resource (after the ones it `needs`), and where its owner reads it."""

    create: Callable[[httpx.AsyncClient, Headers, Ids], Awaitable[str]]
    reads: tuple[str, ...]
    needs: tuple[str, ...] = ()


# Path parameter (or body placeholder) name -> the resource it identifies.
RESOURCES = {
    "product_id": Resource(_product, reads=(A_PRODUCT, A_PRODUCT + "/stock")),
    "order_id": Resource(_order, reads=(AN_ORDER,), needs=("product_id",)),
    "payment_id": Resource(_payment, reads=(A_PAYMENT,), needs=("order_id",)),
}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    body: Json | None = None
    roles: frozenset[str] = field(default=VIEWER)
    # Resources the body refers to as "{name}", besides those in the path.
    needs: tuple[str, ...] = ()
    # POSTs the owner makes first, to bring the resource into a state this route accepts.
    setup: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> tuple[str, ...]:
        return (*re.findall(r"\{(\w+)", self.path), *self.needs)

    async def prepare(self, client: httpx.AsyncClient, headers: Headers) -> Ids:
        """Fresh resources for this route, owned by the tenant of `headers`, set up for it."""
        ids: Ids = {}

        async def create(name: str) -> None:
            resource = RESOURCES[name]
            for needed in resource.needs:
                if needed not in ids:
                    await create(needed)
            ids[name] = await resource.create(client, headers, ids)

        for name in self.params:
            if name not in ids:
                await create(name)
        for path in self.setup:
            response = await client.post(path.format(**ids), headers=headers)
            assert response.is_success, f"setup {path}: {response.text}"
        return ids

    def ghost_ids(self) -> Ids:
        """Ids that exist nowhere, for checks that refuse the request before any lookup."""
        return {name: str(uuid.uuid4()) for name in self.params}

    def reads(self, ids: Ids) -> list[str]:
        """Where the owner reads back everything this route could change."""
        return [read.format(**ids) for name in self.params for read in RESOURCES[name].reads]

    async def call(self, client: httpx.AsyncClient, ids: Ids, headers: Headers) -> httpx.Response:
        body = fill(self.body, ids) if self.body is not None else None
        return await client.request(
            self.method, self.path.format(**ids), json=body, headers=headers
        )


ROUTES = (
    Route("POST", PRODUCTS, {"sku": "SEC-NEW", "name": "New", "price": "3.20"}, roles=ADMIN),
    Route("GET", PRODUCTS),
    Route("GET", A_PRODUCT),
    Route("PATCH", A_PRODUCT, {"price": "4.10"}, roles=ADMIN),
    Route("DELETE", A_PRODUCT, roles=ADMIN),
    Route("GET", A_PRODUCT + "/stock"),
    Route("PUT", A_PRODUCT + "/stock", {"on_hand": 7}, roles=ADMIN),
    Route(
        "POST",
        ORDERS,
        {"lines": [{"product_id": "{product_id}", "quantity": 1}]},
        roles=CLERK,
        needs=("product_id",),
    ),
    Route("GET", ORDERS),
    Route("GET", AN_ORDER),
    Route("POST", AN_ORDER + "/cancel", roles=CLERK),
    Route("POST", AN_ORDER + "/payments", roles=CLERK),
    Route("GET", A_PAYMENT),
    Route("POST", A_PAYMENT + "/authorize", roles=CLERK),
    Route("POST", A_PAYMENT + "/capture", roles=CLERK, setup=(A_PAYMENT + "/authorize",)),
    Route("POST", A_PAYMENT + "/void", roles=CLERK),
    Route("POST", A_PAYMENT + "/fail", roles=CLERK),
    Route(
        "POST",
        A_PAYMENT + "/refunds",
        {"amount": "1.00"},
        roles=ADMIN,
        setup=(A_PAYMENT + "/authorize", A_PAYMENT + "/capture"),
    ),
)


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every operation the application documents.

    Read from the OpenAPI document, the public view of the routes (FastAPI's route objects are
    internal). A route hidden with `include_in_schema=False` must be added to ROUTES by hand.
    """
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
