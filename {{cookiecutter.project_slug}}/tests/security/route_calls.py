"""How the security layer calls any route: the roles a token may carry, the resources a route
needs created first, and the call itself. Domain-neutral: the table of a domain's routes is
api_routes.py."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
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


async def created(client: httpx.AsyncClient, path: str, body: Json | None, headers: Headers) -> str:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, f"{path}: {response.text}"
    return str(response.json()["id"])


@dataclass(frozen=True)
class Resource:
    """How to create one resource (after the ones it `needs`), and where its owner reads it."""

    create: Callable[[httpx.AsyncClient, Headers, Ids], Awaitable[str]]
    reads: tuple[str, ...]
    needs: tuple[str, ...] = ()


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
    # How to create what the path and body name (the table's RESOURCES).
    resources: Mapping[str, Resource] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> tuple[str, ...]:
        return (*re.findall(r"\{(\w+)", self.path), *self.needs)

    async def prepare(self, client: httpx.AsyncClient, headers: Headers) -> Ids:
        """Fresh resources for this route, owned by the tenant of `headers`, set up for it."""
        ids: Ids = {}

        async def create(name: str) -> None:
            resource = self.resources[name]
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
        return [read.format(**ids) for name in self.params for read in self.resources[name].reads]

    async def call(self, client: httpx.AsyncClient, ids: Ids, headers: Headers) -> httpx.Response:
        body = fill(self.body, ids) if self.body is not None else None
        return await client.request(
            self.method, self.path.format(**ids), json=body, headers=headers
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
