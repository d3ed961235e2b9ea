"""Scheduled jobs of the domain (domain.py), for a scheduler to run (e.g. every minute):

    python -m {{ cookiecutter.package_name }}.jobs expire-reservations

Jobs run as the database owner, across tenants, never inside a request.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from .domain import DOMAIN
from .registration import Job
from .settings import get_settings


async def run(job: Job, database_url: str) -> int:
    """Run `job` once and commit; return how many rows it changed."""
    engine = create_async_engine(database_url)
    try:
        async with async_sessionmaker(engine)() as session:
            changed = await job(session, datetime.now(UTC))
            await session.commit()
            return changed
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("job", choices=sorted(DOMAIN.jobs))
    name = parser.parse_args(argv).job
    changed = asyncio.run(run(DOMAIN.jobs[name], get_settings().database_url.get_secret_value()))
    print(f"{name}: {changed} row(s) changed")


if __name__ == "__main__":
    main()
