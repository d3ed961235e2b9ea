"""A shop keeper manages the catalogue over real HTTP against the running server."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.conftest import NewTenant

PRODUCTS = "/api/v1/products"
TEA = {"sku": "TEA-1", "name": "Green tea", "price": "6.50"}
# An id no product has (fixed: xdist workers must collect identical test ids).
NOWHERE = "00000000-0000-4000-8000-00000000dead"


@pytest.mark.critical
async def test_the_server_is_live_ready_and_documents_its_api(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    assert (await http.get("/readyz")).json() == {"status": "ok"}
    assert PRODUCTS in (await http.get("/openapi.json")).json()["paths"]


@pytest.mark.critical
async def test_a_product_lives_from_creation_to_deletion(
    http: httpx.AsyncClient, new_tenant: NewTenant
) -> None:
    headers = await new_tenant()
    created = await http.post(PRODUCTS, json=TEA, headers=headers)
    assert created.status_code == 201, created.text
    product = created.json()
    url = f"{PRODUCTS}/{product['id']}"

    assert (await http.get(url, headers=headers)).json() == product
    listed = await http.get(PRODUCTS, headers=headers)
    assert [item["id"] for item in listed.json()["items"]] == [product["id"]]

    updated = await http.patch(
        url, json={"price": "7.25", "description": "Sencha"}, headers=headers
    )
    assert updated.status_code == 200, updated.text
    assert updated.json() | {"updated_at": None} == product | {
        "price": "7.25",
        "description": "Sencha",
        "updated_at": None,
    }

    assert (await http.delete(url, headers=headers)).status_code == 204
    assert (await http.get(url, headers=headers)).status_code == 404
    assert (await http.get(PRODUCTS, headers=headers)).json()["items"] == []
    assert (await http.delete(url, headers=headers)).status_code == 404


async def test_pages_walk_the_catalogue_in_creation_order(
    http: httpx.AsyncClient, new_tenant: NewTenant
) -> None:
    headers = await new_tenant()
    skus = [f"PAGE-{number}" for number in range(5)]
    for sku in skus:
        assert (await http.post(PRODUCTS, json={**TEA, "sku": sku}, headers=headers)).is_success
    seen: list[str] = []
    for offset in range(0, 6, 2):
        page = await http.get(PRODUCTS, params={"limit": 2, "offset": offset}, headers=headers)
        seen += [item["sku"] for item in page.json()["items"]]
    assert seen == skus


async def test_sku_conflicts_are_409_and_a_deleted_sku_is_free_again(
    http: httpx.AsyncClient, new_tenant: NewTenant
) -> None:
    headers = await new_tenant()
    first = (await http.post(PRODUCTS, json=TEA, headers=headers)).json()
    duplicate = await http.post(PRODUCTS, json=TEA, headers=headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["constraint"] == "uq_products_live_sku"

    await http.delete(f"{PRODUCTS}/{first['id']}", headers=headers)
    assert (await http.post(PRODUCTS, json=TEA, headers=headers)).status_code == 201


async def test_tenants_see_only_their_own_catalogue(
    http: httpx.AsyncClient, new_tenant: NewTenant
) -> None:
    shop, other = await new_tenant(), await new_tenant()
    product = (await http.post(PRODUCTS, json=TEA, headers=shop)).json()
    assert (await http.get(f"{PRODUCTS}/{product['id']}", headers=other)).status_code == 404
    assert (await http.get(PRODUCTS, headers=other)).json()["items"] == []
    assert (await http.post(PRODUCTS, json=TEA, headers=other)).status_code == 201


@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz"], ids=str
)
async def test_requests_without_a_valid_token_get_401(
    http: httpx.AsyncClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await http.get(PRODUCTS, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", PRODUCTS, {**TEA, "price": "-1"}, 422),
        ("POST", PRODUCTS, {**TEA, "sku": "lower-case"}, 422),
        ("POST", PRODUCTS, {"sku": "NO-NAME", "price": "1"}, 422),
        ("POST", PRODUCTS, b"{not json", 422),
        ("PATCH", f"{PRODUCTS}/{NOWHERE}", {"price": "1.00"}, 404),
        ("PATCH", f"{PRODUCTS}/not-a-uuid", {"price": "1.00"}, 422),
        ("GET", f"{PRODUCTS}?limit=1000", None, 422),
    ],
)
async def test_malformed_requests_get_a_4xx_that_says_why(
    http: httpx.AsyncClient,
    new_tenant: NewTenant,
    method: str,
    path: str,
    body: object,
    status: int,
) -> None:
    headers = {**await new_tenant(), "Content-Type": "application/json"}
    content = body if isinstance(body, bytes) else None
    json_body = None if isinstance(body, bytes) else body
    response = await http.request(method, path, content=content, json=json_body, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["detail"]
