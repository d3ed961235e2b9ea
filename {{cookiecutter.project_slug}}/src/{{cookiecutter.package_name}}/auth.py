"""Bearer-token authentication: JWTs from an OIDC issuer, or a local key in development."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol

import httpx
import jwt
from fastapi import HTTPException, status

from .settings import Settings

# Only asymmetric algorithms for issuer keys: accepting HS* there would let anyone who knows the
# public key sign tokens (algorithm confusion).
ISSUER_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"})
LOCAL_ALGORITHM = "HS256"


class InvalidTokenError(Exception):
    """The token is missing, malformed, expired, or not ours; the message is safe to return."""


@dataclass(frozen=True)
class Principal:
    """Who is calling, for which tenant, with which roles."""

    subject: str
    tenant_id: uuid.UUID
    roles: frozenset[str]


class KeySource(Protocol):
    async def key_for(self, token: str) -> tuple[Any, list[str]]:
        """The verification key for `token` and the algorithms it may be used with."""
        ...


class LocalKey:
    """A shared secret for development and tests (`make token` signs with it)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    async def key_for(self, token: str) -> tuple[Any, list[str]]:
        return self._secret, [LOCAL_ALGORITHM]


class JwksKeys:
    """The issuer's published keys, fetched once and refetched when an unknown key id appears."""

    def __init__(
        self, url: str, client: httpx.AsyncClient, min_refresh_seconds: float = 60
    ) -> None:
        self._url = url
        self._client = client
        self._min_refresh = min_refresh_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def key_for(self, token: str) -> tuple[Any, list[str]]:
        # Only issuer keys need the header; decoding it is a third of the cost of a verification.
        kid = jwt.get_unverified_header(token).get("kid")
        if not isinstance(kid, str):
            raise InvalidTokenError("token header has no key id")
        if kid not in self._keys:
            await self._refresh()
        key = self._keys.get(kid)
        if key is None:
            raise InvalidTokenError("token is signed with an unknown key")
        if key.algorithm_name not in ISSUER_ALGORITHMS:
            raise InvalidTokenError("token is signed with a disallowed algorithm")
        return key.key, [key.algorithm_name]

    async def _refresh(self) -> None:
        async with self._lock:
            # Rate-limited: forged tokens with random key ids must not each cost an issuer request.
            if time.monotonic() - self._fetched_at < self._min_refresh:
                return
            self._fetched_at = time.monotonic()
            response = await self._client.get(self._url, timeout=5.0)
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json()).keys
            self._keys = {key.key_id: key for key in keys if key.key_id}


class VerifiedTokens:
    """Tokens verified recently, each with the caller it names.

    A client sends the same token with every request until it expires, and verifying it (base64
    and JSON checks, key preparation, signature) is a large share of a small read's CPU
    (docs/performance.md measures it). A token is found here only by its exact text, signature
    included, so any change to it means a full verification. An entry ends when its token
    expires or after `max_age` seconds, whichever comes first; the token is then verified again
    against the current keys. Beyond `size` entries the oldest goes.
    """

    def __init__(
        self, max_age: float, size: int = 4096, clock: Callable[[], float] = time.time
    ) -> None:
        if size < 1:
            raise ValueError("VerifiedTokens needs room for at least one token")
        self._max_age = max_age
        self._size = size
        self._clock = clock
        self._entries: dict[str, tuple[Principal, float]] = {}

    def get(self, token: str) -> Principal | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        principal, trusted_until = entry
        if self._clock() < trusted_until:
            return principal
        del self._entries[token]
        return None

    def add(self, token: str, principal: Principal, expires_at: float) -> None:
        now = self._clock()
        if self._max_age <= 0 or expires_at <= now:  # past exp, within the leeway: not kept
            return
        if token not in self._entries and len(self._entries) >= self._size:
            del self._entries[next(iter(self._entries))]  # dicts keep insertion order
        self._entries[token] = (principal, min(expires_at, now + self._max_age))


class Verifier(Protocol):
    """What turns a bearer token into the caller (TokenVerifier, or a wrapper around it)."""

    async def verify(self, token: str) -> Principal: ...


class TokenVerifier:
    def __init__(
        self, settings: Settings, keys: KeySource, verified: VerifiedTokens | None = None
    ) -> None:
        self._settings = settings
        self._keys = keys
        if verified is None:
            verified = VerifiedTokens(settings.jwt_cache_seconds)
        self._verified = verified

    async def verify(self, token: str) -> Principal:
        principal = self._verified.get(token)
        if principal is None:
            claims = await self._claims(token)
            principal = self._principal(claims)
            self._verified.add(token, principal, expires_at=int(claims["exp"]))
        return principal

    async def _claims(self, token: str) -> dict[str, Any]:
        try:
            key, algorithms = await self._keys.key_for(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._settings.jwt_audience,
                issuer=self._settings.jwt_issuer,
                leeway=self._settings.jwt_leeway_seconds,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
        except jwt.PyJWTError as error:
            raise InvalidTokenError(f"invalid token: {error}") from error
        return claims

    def _principal(self, claims: dict[str, Any]) -> Principal:
        tenant = claims.get(self._settings.jwt_tenant_claim)
        try:
            tenant_id = uuid.UUID(str(tenant))
        except ValueError:
            raise InvalidTokenError(
                f"token claim {self._settings.jwt_tenant_claim!r} must be an organization id"
            ) from None
        roles = claims.get(self._settings.jwt_roles_claim, [])
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise InvalidTokenError(
                f"token claim {self._settings.jwt_roles_claim!r} must be a list"
            )
        return Principal(subject=str(claims["sub"]), tenant_id=tenant_id, roles=frozenset(roles))


def build_verifier(settings: Settings, client: httpx.AsyncClient) -> TokenVerifier:
    keys: KeySource = (
        JwksKeys(settings.jwt_jwks_url, client)
        if settings.jwt_jwks_url
        else LocalKey(settings.signing_key)
    )
    return TokenVerifier(settings, keys)


class Role(IntEnum):
    """Roles from the token's roles claim; each includes the permissions of those below it."""

    VIEWER = 1  # reads everything of its organization
    CLERK = 2  # places and cancels orders, takes payments
    ADMIN = 3  # manages the catalogue and stock, refunds

    @classmethod
    def highest(cls, names: frozenset[str]) -> Role | None:
        granted = [role for role in cls if role.name.lower() in names]
        return max(granted, default=None)


def check_role(principal: Principal, role: Role) -> Principal:
    """`principal` when it holds `role` or a higher one; 403 otherwise."""
    held = Role.highest(principal.roles)
    if held is None or held < role:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"this needs the {role.name.lower()} role or higher"
        )
    return principal
