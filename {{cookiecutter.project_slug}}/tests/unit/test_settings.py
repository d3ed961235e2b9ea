from __future__ import annotations

import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.settings import (
    DEV_SIGNING_KEY,
    Environment,
    Settings,
)

from tests.conftest import make_settings

DEPLOYED = {
    "database_url": "postgresql://app:s3cret@db.internal:5432/app",  # pragma: allowlist secret
    "jwt_jwks_url": "https://issuer.example.com/.well-known/jwks.json",
    "jwt_issuer": "https://issuer.example.com/",
}


def test_development_defaults_need_no_configuration() -> None:
    settings = Settings(_env_file=None)
    assert settings.environment is Environment.DEVELOPMENT
    assert settings.signing_key == DEV_SIGNING_KEY


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_plain_postgres_urls_get_the_asyncpg_driver(scheme: str) -> None:
    settings = make_settings(database_url=f"{scheme}://u:p@h:5432/d")
    assert settings.database_url.get_secret_value() == "postgresql+asyncpg://u:p@h:5432/d"


def test_other_databases_are_rejected() -> None:
    with pytest.raises(ValidationError, match="must be a postgresql"):
        make_settings(database_url="sqlite:///app.db")


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_deployed_environments_accept_real_configuration(environment: str) -> None:
    settings = make_settings(**DEPLOYED, environment=environment)
    assert settings.environment.is_deployed


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        (
            {"database_url": "postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/app"},
            "DATABASE_URL",
        ),
        ({"jwt_jwks_url": None}, "JWT_JWKS_URL is not set"),
        ({"jwt_local_key": "a-local-key"}, "JWT_LOCAL_KEY is set"),
        ({"jwt_issuer": "http://issuer.example.com/"}, "https:// issuer"),
    ],
)
def test_production_refuses_development_secrets(
    override: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ValidationError, match="refusing to start in production") as error:
        make_settings(**{**DEPLOYED, **override}, environment="production")
    assert complaint in str(error.value)


def test_every_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_SIZE", "7")
    monkeypatch.setenv("JWT_AUDIENCE", "billing-api")
    settings = Settings(_env_file=None)
    assert (settings.db_pool_size, settings.jwt_audience) == (7, "billing-api")


def test_pool_size_must_be_positive() -> None:
    with pytest.raises(ValidationError, match="greater than 0"):
        make_settings(db_pool_size=0)
