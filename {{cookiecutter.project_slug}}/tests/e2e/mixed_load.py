"""A bounded load of concurrent clients that list the example collection and create resources in
it, recording every answer, for tests that disturb the server or its database while the load
runs."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import ClassVar, Literal

import httpx

from tests import example

Kind = Literal["read", "write"]
LIST_PATH = f"{example.COLLECTION}?limit=20"
_TAGS = itertools.count(1)


def unique_tag() -> str:
    """A tag (a letter and digits) no other call in this process returns."""
    return f"T{next(_TAGS)}"


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    started: float  # time.monotonic()
    seconds: float
    status: int | None  # None: no HTTP answer at all, `error` says why
    error: str | None = None
    created_id: str | None = None
    detail: object = None
    retry_after: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 300


class MixedLoad:
    """`clients` clients, each alternating a list read and the creation of a new resource (as the
    holder of `headers`, an admin), from entering the block until leaving it."""

    KINDS: ClassVar[tuple[Kind, ...]] = ("read", "write")

    def __init__(self, http: httpx.AsyncClient, headers: dict[str, str], clients: int = 20) -> None:
        self._http, self._headers = http, headers
        self._clients = clients
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.outcomes: list[Outcome] = []

    async def __aenter__(self) -> MixedLoad:
        self._tasks = [asyncio.create_task(self._client()) for _ in range(self._clients)]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)

    async def _client(self) -> None:
        while not self._stop.is_set():
            for kind in self.KINDS:
                self.outcomes.append(await self._one(kind))

    async def _one(self, kind: Kind) -> Outcome:
        started = time.monotonic()
        try:
            if kind == "read":
                response = await self._http.get(LIST_PATH, headers=self._headers)
            else:
                resource = example.new_resource(unique_tag())
                response = await self._http.post(
                    example.COLLECTION, json=resource, headers=self._headers
                )
        except httpx.HTTPError as error:
            return Outcome(kind, started, time.monotonic() - started, None, repr(error))
        json = response.headers.get("content-type") == "application/json"
        body = response.json() if json else {"detail": response.text}
        return Outcome(
            kind,
            started,
            time.monotonic() - started,
            response.status_code,
            created_id=body["id"] if response.status_code == 201 else None,
            detail=body.get("detail"),
            retry_after=response.headers.get("retry-after"),
        )

    def since(self, moment: float) -> list[Outcome]:
        """Outcomes of the requests sent at or after `moment`."""
        return [outcome for outcome in self.outcomes if outcome.started >= moment]

    def succeeded(self, kind: Kind, *, since: float) -> bool:
        return any(outcome.ok and outcome.kind == kind for outcome in self.since(since))

    def created_ids(self) -> list[str]:
        """The ids of the resources the service answered 201 for."""
        return [outcome.created_id for outcome in self.outcomes if outcome.created_id]


def count(outcomes: Iterable[Outcome], kind: Kind, status: int) -> int:
    return sum(1 for outcome in outcomes if (outcome.kind, outcome.status) == (kind, status))
