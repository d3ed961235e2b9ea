"""The router every domain builds its endpoints on: a path spelled out in full always wins over
a path parameter that could capture it.

Starlette tries routes in order and takes the first that matches path and method. With
`GET /items/count` beside `/items/{item_id}`, that makes `PATCH /items/count` a 422 for a
malformed id (or `GET /items/count` one, if `{item_id}` comes first) instead of what the client
needs: `/items/count`'s own answer, or its 405 naming the methods it allows. Routes of a
`DomainRouter` never let a parameter take a path that a sibling names literally, whatever the
order, and keep their plain parameters, so a malformed id is still a 422 naming the parameter
and metrics keep the route's path as its label. The rule compares the router's own paths: include
a DomainRouter without a further prefix, as create_app does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette._utils import get_route_path  # the path routing matches, as FastAPI's own routes do
from starlette.routing import Match
from starlette.types import Scope


class LiteralPathsFirstRoute(APIRoute):
    """A route that does not match a path one of its router's literal routes names."""

    # Shared with every route of the router that made it; filled as routes are added.
    literal_paths: frozenset[str] | set[str] = frozenset()

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if self.param_convertors and get_route_path(scope) in self.literal_paths:
            return Match.NONE, {}
        return super().matches(scope)


class DomainRouter(APIRouter):
    """An APIRouter whose literal paths are never captured by its path parameters."""

    def __init__(self, **options: Any) -> None:
        super().__init__(route_class=LiteralPathsFirstRoute, **options)
        self._literal_paths: set[str] = set()

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().add_api_route(path, endpoint, **options)
        route = self.routes[-1]
        if isinstance(route, LiteralPathsFirstRoute):
            route.literal_paths = self._literal_paths
            if not route.param_convertors:
                self._literal_paths.add(route.path)
