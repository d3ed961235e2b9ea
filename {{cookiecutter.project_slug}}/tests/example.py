"""The example domain as the platform's own tests use it: a collection any role may list, and a
resource an admin may create there.

Tests of the platform (health, observability, tokens, input abuse, resilience, smoke) and of the
tools reach the domain only through this module, so they hold whatever domain the service
serves: a domain of your own replaces the values below with one of its resources.
"""

from __future__ import annotations

# A collection: GET lists it (any role, paged with limit and offset), POST creates in it (admin).
COLLECTION = "/api/v1/products"
# The route template of one resource of the collection, as routing and metrics name it.
RESOURCE = COLLECTION + "/{product_id}"
# The table the collection's resources are stored in (tenant-owned, under row-level security).
TABLE = "products"
# A body POST refuses with 422: a field of the wrong type.
INVALID_BODY = {"sku": 1}


def new_resource(tag: str) -> dict[str, str]:
    """A valid body for POST COLLECTION; `tag` (letters and digits) makes it unique."""
    return {"sku": f"EX-{tag.upper()}", "name": "Example", "price": "1.00"}


def resource_path(resource_id: object) -> str:
    """The path of one resource of the collection: RESOURCE with its parameter filled in."""
    head, _, rest = RESOURCE.partition("{")
    return head + str(resource_id) + rest.partition("}")[2]
