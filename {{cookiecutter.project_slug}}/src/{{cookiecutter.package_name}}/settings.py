"""Configuration: every knob is an environment variable (or a line in `.env`)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where `make dev` and compose point by default; never acceptable in a deployed environment.
DEV_DATABASE_URL = "postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/app"
# Signs tokens for local development and tests only (`make token`); deployed services use JWKS.
DEV_SIGNING_KEY = "dev-only-signing-key-never-use-in-deployed-environments"

Positive = Annotated[int, Field(gt=0)]
Port = Annotated[int, Field(ge=1, le=65535)]


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    STAGING = "staging"
    PRODUCTION = "production"

    @property
    def is_deployed(self) -> bool:
        return self in {Environment.STAGING, Environment.PRODUCTION}


class LogFormat(StrEnum):
    JSON = "json"
    TEXT = "text"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    # Unset: json in deployed environments (for log pipelines), text elsewhere (for people).
    log_format: LogFormat | None = None
    # Set, /metrics moves off the API to this port, out of reach of the load balancer
    # (docs/observability.md); METRICS_HOST=0.0.0.0 lets a scraper outside the container in.
    metrics_port: Port | None = None
    metrics_host: str = "127.0.0.1"
    # An OTLP/HTTP collector, e.g. http://otel-collector:4318; unset, tracing is off.
    otel_exporter_otlp_endpoint: Annotated[str, Field(pattern=r"^https?://")] | None = None
    # Larger request bodies get a 413 before they are read into memory.
    max_body_bytes: Annotated[int, Field(ge=1024)] = 1_048_576
    # Longer requests get a 504 and their work is cancelled (statements time out separately).
    request_timeout_seconds: Annotated[float, Field(gt=0)] = 15.0

    database_url: SecretStr = SecretStr(DEV_DATABASE_URL)
    db_pool_size: Positive = 10
    db_pool_timeout_seconds: Annotated[float, Field(gt=0)] = 5.0
    db_statement_timeout_ms: Positive = 5_000

    # Tokens come from an OIDC issuer (Auth0, Cognito, Entra ID, ...) in deployed environments.
    jwt_issuer: str = "http://localhost/dev-issuer"
    jwt_audience: str = "{{ cookiecutter.project_slug }}"
    jwt_jwks_url: str | None = None
    # Local HS256 key: only used when no JWKS URL is set, and refused in deployed environments.
    jwt_local_key: SecretStr | None = None
    jwt_tenant_claim: str = "org_id"
    jwt_roles_claim: str = "roles"
    jwt_leeway_seconds: Annotated[int, Field(ge=0, le=300)] = 30
    # A verified token is trusted again, byte for byte and until it expires, for at most this long
    # (auth.VerifiedTokens); 0 verifies every request's token from scratch.
    jwt_cache_seconds: Annotated[int, Field(ge=0, le=3600)] = 60

    @field_validator("database_url")
    @classmethod
    def _use_asyncpg(cls, url: SecretStr) -> SecretStr:
        """Accept the plain `postgresql://` URLs that clouds and tools print."""
        value = url.get_secret_value()
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return SecretStr("postgresql+asyncpg://" + value.removeprefix(prefix))
        if not value.startswith("postgresql+asyncpg://"):
            raise ValueError("DATABASE_URL must be a postgresql:// or postgresql+asyncpg:// URL")
        return url

    @model_validator(mode="after")
    def _refuse_dev_secrets_when_deployed(self) -> Self:
        if not self.environment.is_deployed:
            return self
        problems = []
        if self.database_url.get_secret_value() == DEV_DATABASE_URL:
            problems.append("DATABASE_URL is the development default")
        if not self.jwt_jwks_url:
            problems.append("JWT_JWKS_URL is not set")
        if self.jwt_local_key is not None:
            problems.append("JWT_LOCAL_KEY is set (local signing keys are for development only)")
        if self.jwt_issuer.startswith("http://"):
            problems.append("JWT_ISSUER must be an https:// issuer")
        if problems:
            raise ValueError(
                f"refusing to start in {self.environment.value}: " + "; ".join(problems)
            )
        return self

    @property
    def signing_key(self) -> str:
        """The local HS256 key used when no JWKS URL is configured."""
        return self.jwt_local_key.get_secret_value() if self.jwt_local_key else DEV_SIGNING_KEY


@lru_cache
def get_settings() -> Settings:
    return Settings()
