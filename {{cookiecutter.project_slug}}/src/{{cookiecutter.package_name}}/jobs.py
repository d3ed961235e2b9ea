"""Scheduled jobs, for a scheduler to run (e.g. every minute):

    python -m {{ cookiecutter.package_name }}.jobs expire-reservations

Jobs run as the database owner, across tenants, never inside a request.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from .services.orders import expire_reservations
from .settings import get_settings


async def expire(database_url: str) -> int:
    """Expire overdue reservations and commit; return how many orders expired."""
    engine = create_async_engine(database_url)
    try:
        async with async_sessionmaker(engine)() as session:
            expired = await expire_reservations(session, datetime.now(UTC))
            await session.commit()
            return expired
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("job", choices=["expire-reservations"])
    parser.parse_args(argv)
    expired = asyncio.run(expire(get_settings().database_url.get_secret_value()))
    print(f"expired {expired} reservation(s)")


if __name__ == "__main__":
    main()
