"""Request bodies are capped before they are read into memory, declared or streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, Request

from {{ cookiecutter.package_name }}.errors import install_error_handlers
from {{ cookiecutter.package_name }}.limits import BodySizeLimit

LIMIT = 1024


def _client(max_bytes: int | None = LIMIT) -> httpx.AsyncClient:
    app = FastAPI()
    install_error_handlers(app)
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
