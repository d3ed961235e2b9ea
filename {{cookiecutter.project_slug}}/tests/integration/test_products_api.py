from __future__ import annotations

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.settings import Settings

from tests.conftest import bearer
from tests.factories import OrganizationFactory

PRODUCTS = "/api/v1/products"
TEA = {"sku": "TEA-1", "name": "Green tea", "price": "6.50"}


async def test_create_read_update_delete(
    client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    created = await client.post(PRODUCTS, json=TEA, headers=auth_headers)
    assert created.status_code == 201, created.text
    product = created.json()
    assert product["price"] == "6.50"
    url = f"{PRODUCTS}/{product['id']}"

    assert (await client.get(url, headers=auth_headers)).json() == product

    updated = await client.patch(url, json={"price": "7.25"}, headers=auth_headers)
    assert updated.status_code == 200, updated.text
    assert (updated.json()["price"], updated.json()["name"]) == ("7.25", "Green tea")

    assert (await client.delete(url, headers=auth_headers)).status_code == 204
    assert (await client.get(url, headers=auth_headers)).status_code == 404
    listed = await client.get(PRODUCTS, headers=auth_headers)
    assert listed.json()["items"] == []


async def test_listing_pages_in_creation_order(
    client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    for number in range(5):
        sku = f"SKU-{number}"
        response = await client.post(PRODUCTS, json={**TEA, "sku": sku}, headers=auth_headers)
        assert response.status_code == 201
    page = await client.get(PRODUCTS, params={"limit": 2, "offset": 1}, headers=auth_headers)
    assert [item["sku"] for item in page.json()["items"]] == ["SKU-1", "SKU-2"]


async def test_a_duplicate_sku_is_a_conflict_with_a_clear_body(
    client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    assert (await client.post(PRODUCTS, json=TEA, headers=auth_headers)).status_code == 201
    duplicate = await client.post(PRODUCTS, json=TEA, headers=auth_headers)
    assert duplicate.status_code == 409
    assert duplicate.json() == {
        "detail": "a product with this SKU already exists",
        "constraint": "uq_products_live_sku",
    }


async def test_a_deleted_products_sku_can_be_reused(
    client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    first = (await client.post(PRODUCTS, json=TEA, headers=auth_headers)).json()
    await client.delete(f"{PRODUCTS}/{first['id']}", headers=auth_headers)
    again = await client.post(PRODUCTS, json=TEA, headers=auth_headers)
    assert again.status_code == 201
    assert again.json()["id"] != first["id"]


async def test_organizations_never_see_each_others_products(
    client: httpx.AsyncClient,
    auth_headers: dict[str, str],
    db_session: AsyncSession,
    settings: Settings,
) -> None:
    product = (await client.post(PRODUCTS, json=TEA, headers=auth_headers)).json()
    other = bearer(settings, (await OrganizationFactory.create_async(name="Other")).id)
    url = f"{PRODUCTS}/{product['id']}"

    assert (await client.get(url, headers=other)).status_code == 404
    assert (await client.patch(url, json={"price": "0"}, headers=other)).status_code == 404
    assert (await client.delete(url, headers=other)).status_code == 404
    assert (await client.get(PRODUCTS, headers=other)).json()["items"] == []
    # The same SKU is free in another organization.
    assert (await client.post(PRODUCTS, json=TEA, headers=other)).status_code == 201


async def test_a_token_for_an_unknown_organization_cannot_create(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    response = await client.post(PRODUCTS, json=TEA, headers=bearer(settings, uuid.uuid4()))
    assert response.status_code == 409
    assert response.json()["detail"] == "the organization in the token does not exist"


async def test_requests_without_a_valid_token_are_unauthorized(client: httpx.AsyncClient) -> None:
    missing = await client.get(PRODUCTS)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    forged = await client.get(PRODUCTS, headers={"Authorization": "Bearer a.b.c"})
    assert forged.status_code == 401
    assert forged.json()["detail"].startswith("invalid token")


async def test_malformed_requests_get_422_with_the_offending_field(
    client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    cases = [
        (PRODUCTS, {**TEA, "price": "-1"}, "price"),
        (PRODUCTS, {**TEA, "name": "nul\x00byte"}, "name"),
        (PRODUCTS, {**TEA, "price": "1" * 40}, "price"),
        (PRODUCTS, {**TEA, "surprise": True}, "surprise"),
        (PRODUCTS, ["not", "an", "object"], "body"),
    ]
    for url, body, field in cases:
        response = await client.post(url, json=body, headers=auth_headers)
        assert response.status_code == 422, (body, response.text)
        assert any(field in error["loc"] for error in response.json()["detail"]), response.text


async def test_bad_paths_and_queries_are_4xx(
    client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    assert (await client.get(f"{PRODUCTS}/not-a-uuid", headers=auth_headers)).status_code == 422
    assert (await client.get(f"{PRODUCTS}/{uuid.uuid4()}", headers=auth_headers)).status_code == 404
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"offset": 10**30}):
        response = await client.get(PRODUCTS, params=params, headers=auth_headers)
        assert response.status_code == 422, params
    invalid_json = await client.post(
        PRODUCTS, content=b"{not json", headers={**auth_headers, "Content-Type": "application/json"}
    )
    assert invalid_json.status_code == 422
