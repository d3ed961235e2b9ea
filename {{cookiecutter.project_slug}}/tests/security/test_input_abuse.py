"""Hostile bodies, paths and queries get a 4xx with a JSON body, never a 500.

Every route in the table that takes a body gets every body below, so a new endpoint is probed as
soon as it is listed in `api_routes.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.example import COLLECTION
from tests.security.api_routes import ROUTES
from tests.security.route_calls import Route

MIB = 1024 * 1024
# Bodies far above any legitimate request; the application should refuse them before parsing.
OVERSIZED = b'{"name": "' + b"x" * (2 * MIB) + b'"}'

# (case, raw request body). Each is sent as application/json.
HOSTILE_BODIES = [
    ("nested arrays 100k deep", b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("nested objects 50k deep", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    ("integer with 5000 digits", b'{"price": ' + b"9" * 5000 + b"}"),
    ("number overflowing a float", b'{"price": 1e400}'),
    ("NaN", b'{"price": NaN}'),
    ("Infinity", b'{"price": -Infinity}'),
    ("decimal string with 100k digits", b'{"price": "' + b"9" * 100_000 + b'"}'),
    ("exponent of a billion", b'{"price": "1e999999999"}'),
    ("escaped NUL", b'{"name": "a\\u0000b", "sku": "A\\u0000", "description": "\\u0000"}'),
    ("raw NUL byte", b'{"name": "a\x00b"}'),
    ("lone surrogate", b'{"name": "\\ud800"}'),
    ("invalid UTF-8", b'{"name": "\xff\xfe"}'),
    ("not JSON", b"{not json"),
    ("a JSON array", b"[1, 2, 3]"),
    ("wrong types", b'{"sku": 1, "name": {}, "price": [], "description": true}'),
    ("empty", b""),
]
WITH_BODY = [route for route in ROUTES if route.body is not None]


@pytest.fixture
async def raw_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Like `client`, but an unhandled error comes back as the 500 a real server would send."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as raw:
        yield raw


def _assert_refused(response: httpx.Response, *allowed: int) -> None:
    assert response.status_code in (allowed or (400, 413, 415, 422)), (
        f"{response.status_code}: {response.text[:300]}"
    )
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"], "the body says what is wrong"


@pytest.mark.parametrize("route", WITH_BODY, ids=str)
@pytest.mark.parametrize(
    "body", [body for _, body in HOSTILE_BODIES], ids=[name for name, _ in HOSTILE_BODIES]
)
async def test_hostile_bodies_are_refused(
    route: Route, body: bytes, raw_client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Refused while parsing, before any lookup: ids of nothing will do.
    response = await raw_client.request(
        route.method,
        route.path.format(**route.ghost_ids()),
        content=body,
        headers={**auth_headers, "Content-Type": "application/json"},
    )
    _assert_refused(response)


async def _chunks() -> AsyncIterator[bytes]:
    for start in range(0, len(OVERSIZED), 64 * 1024):
        yield OVERSIZED[start : start + 64 * 1024]


@pytest.mark.parametrize("route", WITH_BODY, ids=str)
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
async def test_oversized_bodies_are_refused_with_413(
    route: Route, framing: str, raw_client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Without a limit, the whole body is buffered and parsed, and the 422 echoes it back.
    response = await raw_client.request(
        route.method,
        route.path.format(**route.ghost_ids()),
        content=OVERSIZED if framing == "content-length" else _chunks(),
        headers={**auth_headers, "Content-Type": "application/json"},
    )
    _assert_refused(response, 413)


@pytest.mark.parametrize(
    "target",
    [
        f"{COLLECTION}?limit={'9' * 5000}",
        f"{COLLECTION}?offset=1e5",
        f"{COLLECTION}?limit=%00",
        f"{COLLECTION}/%00",
        f"{COLLECTION}/{'f' * 10_000}",
        f"{COLLECTION}/%ED%A0%80",  # an encoded lone surrogate
    ],
)
async def test_hostile_paths_and_queries_are_refused(
    target: str, raw_client: httpx.AsyncClient, auth_headers: dict[str, str]
) -> None:
    _assert_refused(await raw_client.get(target, headers=auth_headers))
