"""Fair, bounded admission to the database: first come, first served, or a fast 503.

An asyncio connection pool hands a freed connection to whichever task asks next, not to the one
that has waited longest, so under overload some clients starve while the percentiles of those
that get through look fine. This gate sits in front of the pool with as many places as the pool
has connections: a freed place goes straight to the longest waiter, newcomers queue behind, and a
waiter that is not admitted within the bound gets DatabaseBusyError (503 + Retry-After).
"""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType


class DatabaseBusyError(Exception):
    """No database connection became free within the admission timeout."""


class FairGate:
    def __init__(self, places: int, timeout_seconds: float) -> None:
        self._free = places
        self._timeout = timeout_seconds
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def __aenter__(self) -> None:
        if self._free and not self._waiters:
            self._free -= 1
            return
        admitted = asyncio.get_running_loop().create_future()
        self._waiters.append(admitted)
        try:
            async with asyncio.timeout(self._timeout):
                await admitted
        except BaseException as error:
            if admitted.done() and not admitted.cancelled():
                self._release()  # admitted just as we gave up: pass the place on
            elif admitted in self._waiters:  # a release may already have dropped it
                self._waiters.remove(admitted)
            if isinstance(error, TimeoutError):
                raise DatabaseBusyError from None
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._release()

    def _release(self) -> None:
        # Hand the place directly to the longest waiter, so nobody can overtake it.
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1
