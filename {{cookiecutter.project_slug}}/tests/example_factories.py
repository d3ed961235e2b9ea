"""Test data of the example domain, saved like every factory (factories.py)."""

from __future__ import annotations

import random
from decimal import Decimal

from polyfactory import Require, Use

from {{ cookiecutter.package_name }}.shop.models import Product, StockItem

from tests.factories import ModelFactory, tag


class ProductFactory(ModelFactory[Product]):
    organization_id = Require()
    sku = Use(lambda: f"SKU-{tag()}")
    name = Use(lambda: f"Product {tag()}")
    description = None
    price = Use(lambda: Decimal(random.randint(1, 100_000)) / 100)  # noqa: S311 (test data)
    deleted_at = None


class StockItemFactory(ModelFactory[StockItem]):
    product_id = Require()
    organization_id = Require()
    on_hand = 10
    reserved = 0
