"""Requests are bounded: bodies before they are read into memory, and time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, Request

from {{ cookiecutter.package_name }}.errors import install_error_handlers
from {{ cookiecutter.package_name }}.limits import (
    BodySizeLimit,
    RequestTimeout,
)

LIMIT = 1024


def _client(max_bytes: int | None = LIMIT) -> httpx.AsyncClient:
    app = FastAPI()
    install_error_handlers(app, constraint_messages={})
    if max_bytes is not None:
        app.add_middleware(BodySizeLimit, max_bytes=max_bytes)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    @app.post("/json")
    async def parse(request: Request) -> dict[str, str]:
        await request.json()
        return {"parsed": "ok"}

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_bodies_up_to_the_limit_pass() -> None:
    async with _client() as client:
        response = await client.post("/echo", content=b"x" * LIMIT)
    assert response.json() == {"received": LIMIT}


async def test_a_declared_oversized_body_is_refused_unread() -> None:
    async with _client() as client:
        response = await client.post("/echo", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.json() == {"detail": f"the request body exceeds {LIMIT} bytes"}


async def test_a_streamed_body_is_cut_off_at_the_limit() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"x" * 400

    async with _client() as client:
        response = await client.post("/echo", content=chunks())  # chunked: no Content-Length
    assert response.status_code == 413


async def test_deeply_nested_json_is_a_client_error() -> None:
    depth = 100_000  # nesting, not size, is the attack: no body limit in the way here
    async with _client(max_bytes=None) as client:
        response = await client.post("/json", content=b"[" * depth + b"]" * depth)
    assert response.status_code == 400
    assert response.json() == {"detail": "the request body is nested too deeply"}


async def test_a_request_past_the_time_limit_gets_504_and_is_cancelled() -> None:
    app = FastAPI()
    finished: list[str] = []

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(5)
        finished.append("slow")
        return {}

    @app.get("/fast")
    async def fast() -> dict[str, str]:
        return {"fast": "yes"}

    timed = RequestTimeout(app, seconds=0.05)
    transport = httpx.ASGITransport(app=timed)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        slow_response = await client.get("/slow")
        fast_response = await client.get("/fast")
    assert slow_response.status_code == 504
    assert slow_response.json() == {"detail": "the request took longer than 0.05 s"}
    assert finished == [], "the timed-out work was cancelled, not left running"
    assert fast_response.json() == {"fast": "yes"}
