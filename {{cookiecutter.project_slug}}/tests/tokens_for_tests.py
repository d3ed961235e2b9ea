"""Tokens as attackers and identity providers build them, shared by the unit and security layers."""

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
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from {{ cookiecutter.package_name }}.settings import Settings

TENANT = uuid.UUID("6f1c3b2e-0000-4000-8000-00000000abcd")
JWKS_URL = "https://issuer.test/.well-known/jwks.json"


def claims(settings: Settings, **overrides: Any) -> dict[str, Any]:
    """Valid claims for `settings`, one minute to live; `overrides` break them on purpose."""
    now = int(time.time())
    valid = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": "user-1",
        "iat": now,
        "exp": now + 60,
        settings.jwt_tenant_claim: str(TENANT),
        settings.jwt_roles_claim: ["viewer"],
    }
    return {**valid, **overrides}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_by_hand(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """What an attacker builds; PyJWT itself refuses to sign with a public key."""
    header = {"alg": "HS256", "typ": "JWT", "kid": kid}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def unsigned(claims: dict[str, Any], kid: str | None = None) -> str:
    """`alg: none`: a token anyone can write, naming a real key id if asked to."""
    return jwt.encode(claims, key="", algorithm="none", headers={"kid": kid} if kid else None)


def tamper(token: str) -> str:
    """The same header and claims with one signature byte changed."""
    header, payload, signature = token.split(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw[0] ^= 0xFF
    return f"{header}.{payload}.{_b64(bytes(raw))}"


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

    def client(self) -> httpx.AsyncClient:
        """An HTTP client whose every request is answered by this issuer."""
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handle))

    def sign(self, claims: dict[str, Any], kid: str = "key-1") -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": kid})

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
