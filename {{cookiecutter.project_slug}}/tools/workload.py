"""The example's workload for `make perf`: what one tenant holds, and the request wrk repeats.

This is the one part of `make perf` that knows the example domain. tools/perf.py (the throwaway
database, the servers, wrk and the numbers) reads only the names below: it creates the tenant's
organization, lets `fill` insert the tenant's rows, commits and analyzes, then has every connection
send `GET PATH` with one token of the tenant's least role (`viewer`), so `PATH` must be a read any
role may send. A domain of your own replaces this module, as it replaces tools/seed.py and
tools/load/locustfile.py, with its hottest read; keep the workload fixed once chosen, because runs
compare only under the same one.

The shop's: one tenant with 200 stocked products, every request listing the first 20 (JWT
verification, tenant role and row-level security included). With the statistics perf gathers,
the planner reads that page from the index in creation order instead of sorting the catalogue.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.shop.models import Product, StockItem

PRODUCTS = 200
# The request every connection sends: a path with its query, GET, authenticated.
PATH = "/api/v1/products?limit=20"
# The workload in a sentence, for `python -m tools.perf --help`.
DESCRIPTION = (
    f'one tenant with {PRODUCTS} products; every request is an authenticated "list 20 products"'
)


async def fill(session: AsyncSession, tenant: uuid.UUID) -> None:
    """Add the rows of `tenant` (its organization exists) to `session`; perf commits them."""
    for number in range(PRODUCTS):
        product = Product(
            organization_id=tenant,
            sku=f"PERF-{number:04d}",
            name=f"Product {number}",
            price=Decimal(number) + Decimal("0.99"),
        )
        session.add(product)
        await session.flush()
        session.add(StockItem(product_id=product.id, organization_id=tenant, on_hand=100))
