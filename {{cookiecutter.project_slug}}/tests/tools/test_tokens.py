"""`make token` prints tokens the service accepts, for the tenant, subject and roles asked."""

from __future__ import annotations

import uuid

import pytest

from {{ cookiecutter.package_name }}.auth import LocalKey, TokenVerifier
from {{ cookiecutter.package_name }}.settings import Settings

from tools import tokens
from tools.seed import DEMO_ORGANIZATION_ID


async def test_make_token_prints_a_token_for_the_demo_organization(
    capsys: pytest.CaptureFixture[str], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "get_settings", lambda: settings)
    tokens.main([])
    principal = await TokenVerifier(settings, LocalKey(settings.signing_key)).verify(
        capsys.readouterr().out.strip()
    )
    assert principal.tenant_id == DEMO_ORGANIZATION_ID
    assert principal.roles == {"admin"}


async def test_tenant_subject_and_roles_can_be_chosen(
    capsys: pytest.CaptureFixture[str], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "get_settings", lambda: settings)
    tenant = uuid.uuid4()
    tokens.main(
        ["--tenant", str(tenant), "--subject", "bob", "--role", "viewer", "--role", "clerk"]
    )
    principal = await TokenVerifier(settings, LocalKey(settings.signing_key)).verify(
        capsys.readouterr().out.strip()
    )
    assert (principal.tenant_id, principal.subject) == (tenant, "bob")
    assert principal.roles == {"viewer", "clerk"}
