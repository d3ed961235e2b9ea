"""`make dev`: serve the API on 127.0.0.1, against a throwaway PostgreSQL when none is configured.

With DATABASE_URL set (environment or `.env`) it uses that database; otherwise it starts a private
cluster that disappears when you stop the server. Either way the schema is migrated and demo data
seeded before the first request.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from contextlib import ExitStack

import uvicorn

from {{ cookiecutter.package_name }}.settings import Settings

from tools.local_postgres import throwaway_postgres
from tools.migrations import upgrade
from tools.seed import seed_database


def _exit(signum: int, _frame: object) -> None:
    # uvicorn hands a SIGTERM back to the previous handler once it has shut down; the default one
    # would end the process on the spot and leave the throwaway cluster running.
    sys.exit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--reload", action="store_true", help="restart on code changes")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _exit)
    with ExitStack() as stack:
        if "database_url" not in Settings().model_fields_set:
            os.environ["DATABASE_URL"] = stack.enter_context(throwaway_postgres())
            print(f"Throwaway PostgreSQL: {os.environ['DATABASE_URL']}", flush=True)
        database_url = Settings().database_url.get_secret_value()
        upgrade(database_url)
        asyncio.run(seed_database(database_url))
        uvicorn.run(
            "{{ cookiecutter.package_name }}.main:create_app",
            factory=True,
            host="127.0.0.1",
            port=args.port,
            reload=args.reload,
        )


if __name__ == "__main__":
    main()
