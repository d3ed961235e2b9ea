"""The security layer drives the real application, in-process, against a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.auth import JwksKeys, TokenVerifier
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.state import services, set_services

from tests.tokens_for_tests import JWKS_URL, Issuer


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture
async def jwks_mode(app: FastAPI, settings: Settings, issuer: Issuer) -> AsyncIterator[None]:
    """Make `app` verify tokens like a deployed service: against the issuer's published keys."""
    async with issuer.client() as http:
        verifier = TokenVerifier(settings, JwksKeys(JWKS_URL, http))
        set_services(app, replace(services(app), verifier=verifier))
        yield
