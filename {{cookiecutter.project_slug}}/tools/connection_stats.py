"""Responses per client connection, for `make perf`: the application, counted.

Latency percentiles only describe requests that completed, so a starved connection is invisible
in them. Counting responses per client address shows it. `make perf` serves

    uvicorn --factory tools.connection_stats:create_app

the application (main.py's `create_app`) wrapped in `ConnectionStats`, which writes the counts as
JSON (`{"host:port": [responses, first_response_unix_time, last_response_unix_time]}`) to
CONNECTION_STATS_FILE when it shuts down. The deployed application knows nothing of it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.main import (
    create_app as create_service,
)

# Where the counts go; `make perf` sets it for each server it starts.
STATS_FILE_VARIABLE = "CONNECTION_STATS_FILE"


class ConnectionStats:
    def __init__(self, app: ASGIApp, path: Path) -> None:
        self.app = app
        self.path = path
        self.responses: dict[str, list[float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, self._dump_on_shutdown(send))
            return
        if scope["type"] != "http" or scope.get("client") is None:
            await self.app(scope, receive, send)
            return
        host, port = scope["client"]
        key = f"{host}:{port}"

        async def counting_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                now = time.time()
                entry = self.responses.setdefault(key, [0, now, now])
                entry[0] += 1
                entry[2] = now

        await self.app(scope, receive, counting_send)

    def _dump_on_shutdown(self, send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                self.path.write_text(json.dumps(self.responses))
            await send(message)

        return wrapped


def create_app() -> ConnectionStats:
    """The application, configured as always, counting responses into CONNECTION_STATS_FILE."""
    return ConnectionStats(create_service(), Path(os.environ[STATS_FILE_VARIABLE]))
