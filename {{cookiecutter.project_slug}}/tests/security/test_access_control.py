"""Tenants cannot reach each other's rows by id, every API route needs a token, and roles are
enforced route by route. All of it is driven by the route table in `api_routes.py`."""

from __future__ import annotations

import httpx
import pytest

from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.tables import Organization

from tests.conftest import bearer
from tests.factories import OrganizationFactory
from tests.security.api_routes import RESOURCES, ROUTES
from tests.security.route_calls import OWNER_ROLES, PUBLIC, ROLES, Route, served_routes

WITH_IDS = [route for route in ROUTES if route.params]


def test_every_api_route_is_in_the_table(settings: Settings) -> None:
    # The routes need no database: `make api-check` (the pre-push hook) runs this in seconds.
    served = served_routes(create_app(settings)) - PUBLIC
    listed = {(route.method, route.path) for route in ROUTES}
    missing = sorted(served - listed)
    assert not missing, (
        f"add these routes to ROUTES in tests/security/api_routes.py (with a body and the roles "
        f"allowed), so the security layer checks them: {missing}"
    )
    assert not listed - served, f"ROUTES lists routes the app no longer serves: {listed - served}"
    unknown = {name for route in ROUTES for name in route.params} - RESOURCES.keys()
    assert not unknown, f"add a Resource to RESOURCES in api_routes.py for: {sorted(unknown)}"


def _anonymous(text: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        text = text.replace(value, f"<{name}>")
    return text


@pytest.fixture
def owner(settings: Settings, organization: Organization) -> dict[str, str]:
    return bearer(settings, organization.id, OWNER_ROLES)


@pytest.mark.critical
@pytest.mark.parametrize("route", WITH_IDS, ids=str)
async def test_another_tenants_ids_are_not_found_and_stay_unchanged(
    route: Route, client: httpx.AsyncClient, owner: dict[str, str], settings: Settings
) -> None:
    ids = await route.prepare(client, owner)
    before = [(await client.get(url, headers=owner)).json() for url in route.reads(ids)]
    intruder = bearer(settings, (await OrganizationFactory.create_async()).id, OWNER_ROLES)

    response = await route.call(client, ids, intruder)

    # Exactly what ids that exist nowhere get (not a 403): existence must not leak.
    ghosts = route.ghost_ids()
    ghost = await route.call(client, ghosts, intruder)
    assert response.status_code in (404, 422), response.text
    assert _anonymous(response.text, ids) == _anonymous(ghost.text, ghosts)
    after = [(await client.get(url, headers=owner)).json() for url in route.reads(ids)]
    assert after == before


@pytest.mark.parametrize("route", ROUTES, ids=str)
async def test_every_api_route_requires_a_token(route: Route, client: httpx.AsyncClient) -> None:
    response = await route.call(client, route.ghost_ids(), headers={})
    assert response.status_code == 401, response.text


@pytest.mark.parametrize(
    ("route", "role"),
    [(route, role) for route in ROUTES for role in ("", *ROLES)],
    ids=lambda value: str(value) or "no role",
)
async def test_roles_are_enforced_per_route(
    route: Route,
    role: str,
    client: httpx.AsyncClient,
    owner: dict[str, str],
    organization: Organization,
    settings: Settings,
) -> None:
    caller = bearer(settings, organization.id, (role,) if role else ())
    if role in route.roles:
        response = await route.call(client, await route.prepare(client, owner), caller)
        assert response.is_success, f"{role} may call {route}: {response.text}"
    else:
        # Refused before any lookup, so ids of nothing will do.
        response = await route.call(client, route.ghost_ids(), caller)
        assert response.status_code == 403, (
            f"{role or 'no role'} must not call {route}: {response.text}"
        )
