from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest

from {{ cookiecutter.package_name }}.auth import (
    InvalidTokenError,
    JwksKeys,
    LocalKey,
    Principal,
    TokenVerifier,
    VerifiedTokens,
)
from {{ cookiecutter.package_name }}.settings import Settings

from tests.conftest import make_settings
from tests.tokens_for_tests import JWKS_URL, TENANT, Issuer, hs256_by_hand, unsigned
from tests.tokens_for_tests import claims as _claims
from tools.tokens import mint_token


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
    token = unsigned(_claims(settings))
    with pytest.raises(InvalidTokenError):
        await _local(settings).verify(token)


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b.c", "\x00"])
async def test_garbage_is_rejected_not_crashed_on(settings: Settings, garbage: str) -> None:
    with pytest.raises(InvalidTokenError):
        await _local(settings).verify(garbage)


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture
async def jwks_verifier(settings: Settings, issuer: Issuer) -> AsyncIterator[TokenVerifier]:
    async with issuer.client() as client:
        yield TokenVerifier(settings, JwksKeys(JWKS_URL, client))


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
    token = hs256_by_hand(_claims(settings), issuer.public_pem(), kid="key-1")
    with pytest.raises(InvalidTokenError):
        await jwks_verifier.verify(token)


def test_local_keys_default_to_the_development_key() -> None:
    assert make_settings(jwt_local_key="k" * 40).signing_key == "k" * 40


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


class CountingKey(LocalKey):
    """The local key, counting the verifications that needed it."""

    def __init__(self, secret: str) -> None:
        super().__init__(secret)
        self.uses = 0

    async def key_for(self, token: str) -> tuple[Any, list[str]]:
        self.uses += 1
        return await super().key_for(token)


def _remembering(
    settings: Settings, clock: Clock, max_age: float = 60
) -> tuple[TokenVerifier, CountingKey]:
    keys = CountingKey(settings.signing_key)
    verified = VerifiedTokens(max_age, size=2, clock=clock)
    return TokenVerifier(settings, keys, verified), keys


async def test_a_token_verified_once_is_trusted_again_without_a_new_verification(
    settings: Settings,
) -> None:
    verifier, keys = _remembering(settings, Clock())
    token = mint_token(settings, tenant_id=TENANT, roles=["viewer"])
    first, second = await verifier.verify(token), await verifier.verify(token)
    assert first == second
    assert first.tenant_id == TENANT
    assert keys.uses == 1


async def test_a_changed_token_is_verified_afresh(settings: Settings) -> None:
    verifier, keys = _remembering(settings, Clock())
    token = mint_token(settings, tenant_id=TENANT)
    await verifier.verify(token)
    header, payload, signature = token.split(".")
    # A character inside the signature: the last one's low bits may not change the bytes.
    changed = "A" if signature[10] != "A" else "B"
    tampered = f"{header}.{payload}.{signature[:10]}{changed}{signature[11:]}"
    with pytest.raises(InvalidTokenError):
        await verifier.verify(tampered)
    assert keys.uses == 2


@pytest.mark.parametrize(
    ("ttl_seconds", "max_age", "trusted_for"),
    [(120, 3600, 120), (3600, 60, 60)],
    ids=["until-it-expires", "for-at-most-max-age"],
)
async def test_a_remembered_token_is_verified_again_when_its_trust_ends(
    settings: Settings, ttl_seconds: int, max_age: float, trusted_for: float
) -> None:
    clock = Clock()
    verifier, keys = _remembering(settings, clock, max_age=max_age)
    token = mint_token(settings, tenant_id=TENANT, ttl_seconds=ttl_seconds)
    await verifier.verify(token)
    clock.now += trusted_for - 1
    await verifier.verify(token)
    assert keys.uses == 1
    clock.now += 2
    await verifier.verify(token)
    assert keys.uses == 2


async def test_the_oldest_token_makes_room_and_zero_max_age_remembers_nothing(
    settings: Settings,
) -> None:
    verifier, keys = _remembering(settings, Clock())  # size 2
    tokens = [mint_token(settings, tenant_id=TENANT, subject=f"user-{n}") for n in range(3)]
    for token in tokens:
        await verifier.verify(token)
    await verifier.verify(tokens[2])
    await verifier.verify(tokens[1])
    assert keys.uses == 3
    await verifier.verify(tokens[0])
    assert keys.uses == 4

    forgetful, forgetful_keys = _remembering(settings, Clock(), max_age=0)
    for _ in range(2):
        await forgetful.verify(tokens[0])
    assert forgetful_keys.uses == 2


def test_tokens_past_their_exp_or_seen_again_take_no_one_elses_place() -> None:
    clock = Clock()
    verified = VerifiedTokens(60, size=2, clock=clock)
    principal = Principal("user", TENANT, frozenset())
    verified.add("a", principal, expires_at=clock.now + 600)
    verified.add("b", principal, expires_at=clock.now + 600)
    verified.add("b", principal, expires_at=clock.now + 600)
    verified.add("late", principal, expires_at=clock.now - 1)  # accepted within the leeway
    assert [verified.get(token) for token in ("a", "b", "late")] == [principal, principal, None]
    with pytest.raises(ValueError, match="at least one"):
        VerifiedTokens(60, size=0)
