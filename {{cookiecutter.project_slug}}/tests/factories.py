"""Test data, built and saved through the test's session (one library for every layer): the
platform's organizations here, the example domain's rows in example_factories.py.

polyfactory rather than factory-boy: it persists through async SQLAlchemy sessions natively.
Saving commits, which under the test's transaction only releases a savepoint.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from polyfactory import Ignore, Use
from polyfactory.factories.sqlalchemy_factory import SQLAlchemyFactory

from {{ cookiecutter.package_name }}.tables import Organization

T = TypeVar("T")


def tag() -> str:
    """A short random tag that keeps generated names unique."""
    return uuid.uuid4().hex[:8].upper()


class ModelFactory(SQLAlchemyFactory[T]):
    __is_base_factory__ = True
    __set_relationships__ = False
    # Timestamps come from the database clock.
    created_at = Ignore()
    updated_at = Ignore()


class OrganizationFactory(ModelFactory[Organization]):
    name = Use(lambda: f"Organization {tag()}")
    currency = "EUR"
