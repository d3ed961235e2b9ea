"""Run Alembic from code (tests, `make dev`) with an explicit database URL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

DEFAULT_CONFIG = Path("alembic.ini")


def alembic_config(database_url: str, config_file: Path = DEFAULT_CONFIG) -> Config:
    config = Config(str(config_file))
    # Passed as an attribute, not an ini option: configparser would read `%` in passwords.
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head", config_file: Path = DEFAULT_CONFIG) -> None:
    command.upgrade(alembic_config(database_url, config_file), revision)


def downgrade(database_url: str, revision: str, config_file: Path = DEFAULT_CONFIG) -> None:
    command.downgrade(alembic_config(database_url, config_file), revision)
