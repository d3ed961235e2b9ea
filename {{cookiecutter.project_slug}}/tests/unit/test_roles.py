from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI, HTTPException

from {{ cookiecutter.package_name }}.auth import (
    Clerk,
    CurrentPrincipal,
    Principal,
    Role,
    Viewer,
    check_role,
)


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
    app.state.verifier = CountingVerifier(Principal("user", uuid.uuid4(), frozenset({"clerk"})))

    @app.get("/")
    async def endpoint(_: Clerk, caller: CurrentPrincipal, __: Viewer) -> dict[str, str]:
        return {"subject": caller.subject}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get("/", headers={"Authorization": "Bearer token"})
        refused = await client.get("/")
    assert (answer.status_code, answer.json()) == (200, {"subject": "user"})
    assert app.state.verifier.calls == 1
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
