"""Mint local development tokens: `make token`, or

    python -m tools.tokens

They are signed with the local key, which deployed environments refuse, so they only work against
a service running in development or test.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Iterable

import jwt

from {{ cookiecutter.package_name }}.auth import LOCAL_ALGORITHM
from {{ cookiecutter.package_name }}.settings import Settings, get_settings

from tools.seed import DEMO_ORGANIZATION_ID


def mint_token(
    settings: Settings,
    *,
    tenant_id: uuid.UUID,
    subject: str = "dev-user",
    roles: Iterable[str] = ("admin",),
    ttl_seconds: int = 3600,
) -> str:
    now = int(time.time())
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "iat": now,
        "exp": now + ttl_seconds,
        settings.jwt_tenant_claim: str(tenant_id),
        settings.jwt_roles_claim: sorted(roles),
    }
    return jwt.encode(claims, settings.signing_key, algorithm=LOCAL_ALGORITHM)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenant", type=uuid.UUID, default=DEMO_ORGANIZATION_ID)
    parser.add_argument("--subject", default="dev-user")
    parser.add_argument("--role", action="append", dest="roles", help="repeatable; default admin")
    parser.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")
    args = parser.parse_args(argv)
    token = mint_token(
        get_settings(),
        tenant_id=args.tenant,
        subject=args.subject,
        roles=args.roles or ["admin"],
        ttl_seconds=args.ttl,
    )
    print(token)


if __name__ == "__main__":
    main()
