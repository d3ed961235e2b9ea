from __future__ import annotations

import httpx

from {{ cookiecutter.package_name }}.main import create_app

from tests import example
from tests.conftest import make_settings


async def test_liveness_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ok"})


async def test_readiness_fails_fast_with_503_when_the_database_is_down() -> None:
    # Port 1 on loopback: nothing listens there, so connecting is refused at once.
    app = create_app(make_settings(database_url="postgresql://nobody@127.0.0.1:1/none"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            live = await client.get("/healthz")
            ready = await client.get("/readyz")
    assert live.status_code == 200
    assert ready.status_code == 503
    assert ready.headers["retry-after"] == "5"
    assert ready.json() == {"status": "database unavailable"}


async def test_api_calls_answer_503_not_500_when_the_database_is_down() -> None:
    from {{ cookiecutter.package_name }}.settings import Settings

    from tests.conftest import bearer

    settings: Settings = make_settings(database_url="postgresql://nobody@127.0.0.1:1/none")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            import uuid

            response = await client.get(example.COLLECTION, headers=bearer(settings, uuid.uuid4()))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
