"""Timings of the paths every request takes, compared with a saved baseline by `make bench`."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx
from pytest_benchmark.fixture import BenchmarkFixture

from {{ cookiecutter.package_name }}.auth import (
    LocalKey,
    TokenVerifier,
    VerifiedTokens,
)
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.shop.domain.discounts import (
    FixedDiscount,
)
from {{ cookiecutter.package_name }}.shop.domain.pricing import (
    LineRequest,
    price_order,
)
from {{ cookiecutter.package_name }}.shop.schemas import ProductCreate

from tests.benchmarks.conftest import CATALOGUE_SIZE
from tests.tokens_for_tests import TENANT
from tools.tokens import mint_token

PAYLOAD = {"sku": "TEA-GREEN-100", "name": "Green tea", "description": "Sencha", "price": "6.50"}


# The largest order the API accepts, with a discount split over its lines to the cent.
LINES = [LineRequest(Decimal("4.25") + index, quantity=1 + index % 7) for index in range(100)]


def test_pricing_a_large_order_with_a_fixed_discount(benchmark: BenchmarkFixture) -> None:
    order = benchmark(price_order, LINES, FixedDiscount(Decimal("99.99"), "EUR"), "EUR")
    assert order.discount_total == Decimal("99.99")
    assert order.total == order.subtotal - Decimal("99.99")


def test_validating_a_product_payload(benchmark: BenchmarkFixture) -> None:
    product = benchmark(ProductCreate.model_validate, PAYLOAD)
    assert product.sku == PAYLOAD["sku"]


def test_verifying_a_bearer_token(
    benchmark: BenchmarkFixture, settings: Settings, loop: asyncio.Runner
) -> None:
    # A full verification every time: nothing remembered (VerifiedTokens with max_age 0).
    verifier = TokenVerifier(settings, LocalKey(settings.signing_key), VerifiedTokens(0))
    token = mint_token(settings, tenant_id=TENANT)
    principal = benchmark(lambda: loop.run(verifier.verify(token)))
    assert principal.tenant_id == TENANT


def test_verifying_a_bearer_token_seen_before(
    benchmark: BenchmarkFixture, settings: Settings, loop: asyncio.Runner
) -> None:
    verifier = TokenVerifier(settings, LocalKey(settings.signing_key))
    token = mint_token(settings, tenant_id=TENANT)
    principal = benchmark(lambda: loop.run(verifier.verify(token)))
    assert principal.tenant_id == TENANT


def test_listing_a_page_of_products_in_process(
    benchmark: BenchmarkFixture,
    loop: asyncio.Runner,
    catalogue: tuple[httpx.AsyncClient, dict[str, str]],
) -> None:
    client, headers = catalogue
    response = benchmark(lambda: loop.run(client.get("/api/v1/products", headers=headers)))
    assert len(response.json()["items"]) == CATALOGUE_SIZE
