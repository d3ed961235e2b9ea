"""A domain's literal paths win over its path parameters, in whatever order they are declared,
and a 405 names every method the path allows (routing.py, errors.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import MetaData

from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.registration import Domain
from {{ cookiecutter.package_name }}.routing import DomainRouter

from tests.conftest import make_settings

NOTES = "/api/v1/notes"


def _notes_router() -> DomainRouter:
    router = DomainRouter(prefix=NOTES)

    # The parameter first: a plain APIRouter would send /count to it, as a malformed id.
    @router.get("/{note_id}")
    async def get_note(note_id: uuid.UUID) -> dict[str, str]:
        return {"id": str(note_id)}

    @router.patch("/{note_id}")
    async def update_note(note_id: uuid.UUID) -> dict[str, str]:
        return {"id": str(note_id)}

    @router.get("/count")
    async def count_notes() -> dict[str, int]:
        return {"count": 3}

    return router


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    notes = Domain(routers=(_notes_router(),), metadata=MetaData(), tenant_tables=())
    transport = httpx.ASGITransport(app=create_app(make_settings(), domain=notes))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_literal_path_declared_after_a_parameter_still_answers(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get(f"{NOTES}/count")).json() == {"count": 3}


async def test_a_method_the_literal_path_lacks_is_a_405_not_a_malformed_id(
    client: httpx.AsyncClient,
) -> None:
    response = await client.patch(f"{NOTES}/count")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"


async def test_parameters_keep_their_own_answers(client: httpx.AsyncClient) -> None:
    note = uuid.uuid4()
    assert (await client.patch(f"{NOTES}/{note}")).json() == {"id": str(note)}
    malformed = await client.get(f"{NOTES}/not-an-id")
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["loc"] == ["path", "note_id"]


async def test_a_405_names_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    response = await client.delete(f"{NOTES}/{uuid.uuid4()}")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, PATCH"
