"""Only a valid, current token from the configured issuer gets through; anything else is a 401
that says why."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest

from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.tables import Organization

from tests import example
from tests.tokens_for_tests import Issuer, claims, hs256_by_hand, tamper, unsigned

HOUR = 3600
Claims = dict[str, Any]


def _sign_local(settings: Settings, token_claims: Claims) -> str:
    return jwt.encode(token_claims, settings.signing_key, algorithm="HS256")


def _in(seconds: int) -> int:
    return int(time.time()) + seconds


async def _list(client: httpx.AsyncClient, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return await client.get(example.COLLECTION, headers=headers)


def _assert_refused(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    assert reason in response.json()["detail"]


@pytest.fixture
def own(settings: Settings, organization: Organization) -> Callable[..., Claims]:
    """Valid claims for the test's organization, with overrides."""
    tenant = {settings.jwt_tenant_claim: str(organization.id)}
    return lambda **overrides: claims(settings, **{**tenant, **overrides})


LocalForgery = Callable[[Settings, Claims], str]
# (case, how to build the token from the settings and valid claims, the 401's reason).
LOCAL_FORGERIES: list[tuple[str, LocalForgery, str]] = [
    ("expired", lambda s, c: _sign_local(s, {**c, "exp": _in(-HOUR)}), "expired"),
    ("not yet valid", lambda s, c: _sign_local(s, {**c, "nbf": _in(HOUR)}), "not yet valid (nbf)"),
    ("issued in future", lambda s, c: _sign_local(s, {**c, "iat": _in(HOUR)}), "(iat)"),
    ("wrong issuer", lambda s, c: _sign_local(s, {**c, "iss": "https://evil.test/"}), "issuer"),
    ("wrong audience", lambda s, c: _sign_local(s, {**c, "aud": "another-api"}), "Audience"),
    ("alg none", lambda s, c: unsigned(c), "alg value is not allowed"),
    ("tampered signature", lambda s, c: tamper(_sign_local(s, c)), "Signature verification"),
    ("another key", lambda s, c: jwt.encode(c, "k" * 64, algorithm="HS256"), "Signature verif"),
    (
        "no tenant",
        lambda s, c: _sign_local(s, {k: v for k, v in c.items() if k != s.jwt_tenant_claim}),
        "must be an organization id",
    ),
    ("garbage", lambda s, c: "a.b.c", "invalid token"),
]


async def test_a_valid_local_token_gets_through(
    client: httpx.AsyncClient, settings: Settings, own: Callable[..., Claims]
) -> None:
    # The control: without it, every refusal below could be a broken setup.
    assert (await _list(client, _sign_local(settings, own()))).status_code == 200


@pytest.mark.critical
@pytest.mark.parametrize(
    ("forge", "reason"),
    [case[1:] for case in LOCAL_FORGERIES],
    ids=[case[0] for case in LOCAL_FORGERIES],
)
async def test_forged_or_stale_local_tokens_are_refused(
    client: httpx.AsyncClient,
    settings: Settings,
    own: Callable[..., Claims],
    forge: LocalForgery,
    reason: str,
) -> None:
    _assert_refused(await _list(client, forge(settings, own())), reason)


async def test_requests_without_a_bearer_token_are_refused(client: httpx.AsyncClient) -> None:
    _assert_refused(await _list(client, None), "missing bearer token")
    basic = await client.get(example.COLLECTION, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    _assert_refused(basic, "missing bearer token")


IssuerForgery = Callable[[Issuer, Claims], str]
# Deployed services verify against the issuer's JWKS; the same table for that mode.
ISSUER_FORGERIES: list[tuple[str, IssuerForgery, str]] = [
    (
        "HS256 keyed with the public key",
        lambda i, c: hs256_by_hand(c, i.public_pem(), kid="key-1"),
        "alg value is not allowed",
    ),
    ("unknown kid", lambda i, c: i.sign(c, kid="rotated-away"), "unknown key"),
    ("another key, same kid", lambda i, c: Issuer().sign(c), "Signature verification"),
    ("tampered signature", lambda i, c: tamper(i.sign(c)), "Signature verification"),
    ("alg none", lambda i, c: unsigned(c, kid="key-1"), "alg value is not allowed"),
    ("expired", lambda i, c: i.sign({**c, "exp": _in(-HOUR)}), "expired"),
]


@pytest.mark.usefixtures("jwks_mode")
async def test_a_token_from_the_issuer_gets_through(
    client: httpx.AsyncClient, issuer: Issuer, own: Callable[..., Claims]
) -> None:
    assert (await _list(client, issuer.sign(own()))).status_code == 200


@pytest.mark.usefixtures("jwks_mode")
@pytest.mark.parametrize(
    ("forge", "reason"),
    [case[1:] for case in ISSUER_FORGERIES],
    ids=[case[0] for case in ISSUER_FORGERIES],
)
async def test_tokens_the_issuer_did_not_sign_are_refused(
    client: httpx.AsyncClient,
    issuer: Issuer,
    own: Callable[..., Claims],
    forge: IssuerForgery,
    reason: str,
) -> None:
    _assert_refused(await _list(client, forge(issuer, own())), reason)
