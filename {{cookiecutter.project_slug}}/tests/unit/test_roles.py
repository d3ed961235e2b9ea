from __future__ import annotations

import uuid

import pytest
from fastapi import HTTPException

from {{ cookiecutter.package_name }}.auth import Principal, Role, require


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
async def test_roles_include_the_ones_below(held: str, needed: Role, allowed: bool) -> None:
    principal = Principal("user", uuid.uuid4(), frozenset({held}))
    check = require(needed)
    if allowed:
        assert await check(principal) is principal
    else:
        with pytest.raises(HTTPException) as refused:
            await check(principal)
        assert refused.value.status_code == 403
        assert needed.name.lower() in str(refused.value.detail)
