"""Wait for a condition with a deadline, instead of sleeping for a guessed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

POLL_SECONDS = 0.05


async def eventually(
    condition: Callable[[], bool | Awaitable[bool]], *, within: float, what: str
) -> float:
    """Seconds until `condition` held; fails the test if it did not within `within` seconds."""
    started = time.monotonic()
    while True:
        held = condition()
        if held if isinstance(held, bool) else await held:
            return time.monotonic() - started
        if time.monotonic() - started > within:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(POLL_SECONDS)
