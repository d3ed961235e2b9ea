from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from {{ cookiecutter.package_name }}.auth import InvalidTokenError, JwksKeys, LocalKey, TokenVerifier
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.tokens import mint_token
from tests.conftest import make_settings

TENANT = uuid.UUID("6f1c3b2e-0000-4000-8000-00000000abcd")


def _claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "user-1",
        "iat": now,
        "exp": now + 60,
        "org_id": str(TENANT),
        "roles": ["viewer"],
    }
    return {**claims, **overrides}


def _local(settings: Settings) -> TokenVerifier:
    return TokenVerifier(settings, LocalKey(settings.signing_key))


async def test_a_minted_token_identifies_subject_tenant_and_roles(settings: Settings) -> None:
    token = mint_token(settings, tenant_id=TENANT, subject="alice", roles=["admin", "viewer"])
    principal = await _local(settings).verify(token)
    assert (principal.subject, principal.tenant_id) == ("alice", TENANT)
    assert principal.roles == {"admin", "viewer"}


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"aud": "another-service"}, "audience"),
        ({"iss": "https://evil.example.com/"}, "issuer"),
        ({"org_id": "not-a-uuid"}, "organization id"),
        ({"org_id": None}, "organization id"),
        ({"roles": "admin"}, "must be a list"),
    ],
)
async def test_tokens_with_wrong_claims_are_rejected(
    settings: Settings, overrides: dict[str, Any], reason: str
) -> None:
    token = jwt.encode(_claims(settings, **overrides), settings.signing_key, algorithm="HS256")
    with pytest.raises(InvalidTokenError, match=f"(?i){reason}"):
        await _local(settings).verify(token)


@pytest.mark.parametrize("missing", ["exp", "sub", "aud", "iss"])
async def test_required_claims_must_be_present(settings: Settings, missing: str) -> None:
    claims = _claims(settings)
    del claims[missing]
    token = jwt.encode(claims, settings.signing_key, algorithm="HS256")
    with pytest.raises(InvalidTokenError):
        await _local(settings).verify(token)


async def test_a_tampered_payload_fails_the_signature_check(settings: Settings) -> None:
    header, _, signature = mint_token(settings, tenant_id=TENANT).split(".")
    forged = jwt.encode(_claims(settings, roles=["admin"]), "g" * 32, algorithm="HS256").split(".")[
        1
    ]
    with pytest.raises(InvalidTokenError, match="Signature"):
        await _local(settings).verify(f"{header}.{forged}.{signature}")


async def test_unsigned_tokens_are_rejected(settings: Settings) -> None:
    token = jwt.encode(_claims(settings), key="", algorithm="none")
    with pytest.raises(InvalidTokenError):
        await _local(settings).verify(token)


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c", "\x00"])
async def test_garbage_is_rejected_not_crashed_on(settings: Settings, garbage: str) -> None:
    with pytest.raises(InvalidTokenError):
        await _local(settings).verify(garbage)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256_by_hand(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """What an attacker builds; PyJWT itself refuses to sign with a public key."""
    header = {"alg": "HS256", "typ": "JWT", "kid": kid}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


class Issuer:
    """An OIDC issuer's JWKS endpoint, served in-process, counting how often it is fetched."""

    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        self.jwks = {"keys": [{**jwk, "kid": "key-1", "alg": "RS256", "use": "sig"}]}
        self.fetches = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        return httpx.Response(200, json=self.jwks)

    def sign(self, claims: dict[str, Any], kid: str = "key-1") -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture
async def jwks_verifier(settings: Settings, issuer: Issuer) -> Any:
    async with httpx.AsyncClient(transport=httpx.MockTransport(issuer.handle)) as client:
        yield TokenVerifier(settings, JwksKeys("https://issuer.test/jwks.json", client))


async def test_issuer_signed_tokens_verify_against_the_jwks(
    settings: Settings, issuer: Issuer, jwks_verifier: TokenVerifier
) -> None:
    principal = await jwks_verifier.verify(issuer.sign(_claims(settings)))
    assert principal.tenant_id == TENANT
    await jwks_verifier.verify(issuer.sign(_claims(settings)))
    assert issuer.fetches == 1, "keys are cached between requests"


async def test_unknown_key_ids_do_not_hammer_the_issuer(
    settings: Settings, issuer: Issuer, jwks_verifier: TokenVerifier
) -> None:
    for attempt in range(5):
        with pytest.raises(InvalidTokenError, match="unknown key"):
            await jwks_verifier.verify(issuer.sign(_claims(settings), kid=f"forged-{attempt}"))
    assert issuer.fetches == 1


async def test_symmetric_tokens_are_refused_when_an_issuer_is_configured(
    settings: Settings, issuer: Issuer, jwks_verifier: TokenVerifier
) -> None:
    # Algorithm confusion: an HS256 token keyed with the issuer's *public* key must not pass.
    public_pem = issuer.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    token = _hs256_by_hand(_claims(settings), public_pem, kid="key-1")
    with pytest.raises(InvalidTokenError):
        await jwks_verifier.verify(token)


def test_local_keys_default_to_the_development_key() -> None:
    assert make_settings(jwt_local_key="k" * 40).signing_key == "k" * 40
