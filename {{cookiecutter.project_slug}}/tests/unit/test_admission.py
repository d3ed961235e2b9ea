"""The admission gate serves waiters strictly first come, first served and bounds every wait."""

from __future__ import annotations

import asyncio

import pytest

from {{ cookiecutter.package_name }}.admission import (
    DatabaseBusyError,
    FairGate,
)


async def _hold(gate: FairGate, name: str, served: list[str], release: asyncio.Event) -> None:
    async with gate:
        served.append(name)
        await release.wait()


async def test_waiters_are_admitted_first_come_first_served() -> None:
    gate = FairGate(places=1, timeout_seconds=5)
    served: list[str] = []
    release = asyncio.Event()
    tasks = []
    for name in "abcde":
        tasks.append(asyncio.create_task(_hold(gate, name, served, release)))
        await asyncio.sleep(0)  # each arrives after the previous one queued
    assert served == ["a"]
    assert gate.waiting == 4
    release.set()
    await asyncio.gather(*tasks)
    assert served == list("abcde")


async def test_a_newcomer_cannot_overtake_a_waiter() -> None:
    gate = FairGate(places=1, timeout_seconds=5)
    served: list[str] = []
    async with gate:
        waiter = asyncio.create_task(_hold(gate, "waiter", served, asyncio.Event()))
        await asyncio.sleep(0)
    # The place went straight to the waiter; a newcomer arriving now must queue behind it.
    newcomer = asyncio.create_task(_hold(gate, "newcomer", served, asyncio.Event()))
    await asyncio.sleep(0)
    assert served == ["waiter"]
    waiter.cancel()
    newcomer.cancel()
    await asyncio.gather(waiter, newcomer, return_exceptions=True)


async def test_a_wait_past_the_bound_is_a_busy_error_and_leaves_no_trace() -> None:
    gate = FairGate(places=1, timeout_seconds=0.05)
    async with gate:
        with pytest.raises(DatabaseBusyError):
            async with gate:
                pytest.fail("admitted while the only place was taken")
        assert gate.waiting == 0
    async with gate:  # the place is free again
        pass


async def test_a_cancelled_waiter_gives_up_its_turn() -> None:
    gate = FairGate(places=1, timeout_seconds=5)
    served: list[str] = []
    release = asyncio.Event()
    holder = asyncio.create_task(_hold(gate, "holder", served, release))
    await asyncio.sleep(0)
    quitter = asyncio.create_task(_hold(gate, "quitter", served, asyncio.Event()))
    patient = asyncio.create_task(_hold(gate, "patient", served, release))
    await asyncio.sleep(0)
    quitter.cancel()
    await asyncio.gather(quitter, return_exceptions=True)
    release.set()
    await asyncio.gather(holder, patient)
    assert served == ["holder", "patient"]
    assert gate.waiting == 0


async def test_places_are_never_lost_under_churn() -> None:
    gate = FairGate(places=3, timeout_seconds=0.01)
    inside = 0
    peak = 0

    async def visit() -> None:
        nonlocal inside, peak
        try:
            async with gate:
                inside += 1
                peak = max(peak, inside)
                await asyncio.sleep(0.001)
                inside -= 1
        except DatabaseBusyError:
            pass

    await asyncio.gather(*(visit() for _ in range(200)))
    assert peak == 3
    for _ in range(3):  # all three places are free again
        await gate.__aenter__()
    assert gate.waiting == 0
