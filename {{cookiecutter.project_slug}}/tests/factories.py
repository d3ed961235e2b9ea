"""Test data, built and saved through the test's session (one library for every layer).

polyfactory rather than factory-boy: it persists through async SQLAlchemy sessions natively.
Saving commits, which under the test's transaction only releases a savepoint.
"""

from __future__ import annotations

import random
import uuid
from decimal import Decimal
from typing import TypeVar

from polyfactory import Ignore, Require, Use
from polyfactory.factories.sqlalchemy_factory import SQLAlchemyFactory

from {{ cookiecutter.package_name }}.shop.models import Product, StockItem
from {{ cookiecutter.package_name }}.tables import Organization

T = TypeVar("T")


def _tag() -> str:
    return uuid.uuid4().hex[:8].upper()


class ModelFactory(SQLAlchemyFactory[T]):
    __is_base_factory__ = True
    __set_relationships__ = False
    # Timestamps come from the database clock.
    created_at = Ignore()
    updated_at = Ignore()


class OrganizationFactory(ModelFactory[Organization]):
    name = Use(lambda: f"Organization {_tag()}")
    currency = "EUR"


class ProductFactory(ModelFactory[Product]):
    organization_id = Require()
    sku = Use(lambda: f"SKU-{_tag()}")
    name = Use(lambda: f"Product {_tag()}")
    description = None
    price = Use(lambda: Decimal(random.randint(1, 100_000)) / 100)  # noqa: S311 (test data)
    deleted_at = None


class StockItemFactory(ModelFactory[StockItem]):
    product_id = Require()
    organization_id = Require()
    on_hand = 10
    reserved = 0
