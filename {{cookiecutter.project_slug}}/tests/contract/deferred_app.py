"""An ASGI application whose target is chosen later.

Schemathesis parametrizes tests from a schema loaded at import time, before any fixture has
created a database; this stand-in lets that schema carry an application that a session fixture
points at the real one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class DeferredApp:
    def __init__(self) -> None:
        self.target: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.target is None:
            raise RuntimeError("request the `contract_app` fixture before calling the API")
        await self.target(scope, receive, send)


DEFERRED_APP = DeferredApp()
