from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI, HTTPException

from {{ cookiecutter.package_name }}.auth import (
    Principal,
    Role,
    check_role,
)
from {{ cookiecutter.package_name }}.db import Database
from {{ cookiecutter.package_name }}.dependencies import (
    CLERK,
    CurrentPrincipal,
    Viewer,
)
from {{ cookiecutter.package_name }}.reads import Reader
from {{ cookiecutter.package_name }}.state import (
    AppState,
    set_services,
)

from tests.conftest import make_settings


@pytest.mark.parametrize(
    ("names", "highest"),
    [
        (set(), None),
        ({"viewer"}, Role.VIEWER),
        ({"viewer", "admin"}, Role.ADMIN),
        ({"clerk", "unknown"}, Role.CLERK),
        ({"ADMIN"}, None),
    ],
)
def test_the_highest_known_role_counts(names: set[str], highest: Role | None) -> None:
    assert Role.highest(frozenset(names)) is highest


@pytest.mark.parametrize(
    ("held", "needed", "allowed"),
    [
        ("admin", Role.CLERK, True),
        ("clerk", Role.CLERK, True),
        ("viewer", Role.CLERK, False),
        ("clerk", Role.ADMIN, False),
        ("auditor", Role.VIEWER, False),
    ],
)
def test_roles_include_the_ones_below(held: str, needed: Role, allowed: bool) -> None:
    principal = Principal("user", uuid.uuid4(), frozenset({held}))
    if allowed:
        assert check_role(principal, needed) is principal
    else:
        with pytest.raises(HTTPException) as refused:
            check_role(principal, needed)
        assert refused.value.status_code == 403
        assert needed.name.lower() in str(refused.value.detail)


class CountingVerifier:
    def __init__(self, principal: Principal) -> None:
        self.principal = principal
        self.calls = 0

    async def verify(self, token: str) -> Principal:
        self.calls += 1
        return self.principal


async def test_a_request_verifies_its_token_once_however_many_dependencies_ask() -> None:
    app = FastAPI()
    verifier = CountingVerifier(Principal("user", uuid.uuid4(), frozenset({"clerk"})))
    database = Database(make_settings())  # never connects: no route here opens a session
    set_services(app, AppState(database, Reader(database.driver_connection), verifier))

    @app.get("/", dependencies=[CLERK])
    async def endpoint(caller: CurrentPrincipal, _: Viewer) -> dict[str, str]:
        return {"subject": caller.subject}

    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            answer = await client.get("/", headers={"Authorization": "Bearer token"})
            refused = await client.get("/")
    finally:
        await database.dispose()
    assert (answer.status_code, answer.json()) == (200, {"subject": "user"})
    assert verifier.calls == 1
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
