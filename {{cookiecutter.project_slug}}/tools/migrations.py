"""Run Alembic from code (tests, `make dev`, `make load`, `make perf`) with an explicit database
URL. The image runs `alembic upgrade head` itself; the application never migrates."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

# The project's alembic.ini, wherever the caller's working directory is.
ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def alembic_config(database_url: str, config_file: Path = ALEMBIC_INI) -> Config:
    config = Config(str(config_file))
    # Passed as an attribute, not an ini option: configparser would read `%` in passwords.
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head", config_file: Path = ALEMBIC_INI) -> None:
    command.upgrade(alembic_config(database_url, config_file), revision)


def downgrade(database_url: str, revision: str, config_file: Path = ALEMBIC_INI) -> None:
    command.downgrade(alembic_config(database_url, config_file), revision)
