"""The deployment is up, talks to its database, serves its API description and guards its API.

Read-only: safe against production.
"""

from __future__ import annotations

import os

import httpx
import pytest

from tests import example


def test_the_process_is_live(deployed: httpx.Client) -> None:
    response = deployed.get("/healthz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}


def test_the_service_is_ready_to_serve(deployed: httpx.Client) -> None:
    response = deployed.get("/readyz")
    assert response.status_code == 200, f"not ready (database unreachable?): {response.text}"


def test_the_api_description_is_served(deployed: httpx.Client) -> None:
    response = deployed.get("/openapi.json")
    assert response.status_code == 200
    assert example.COLLECTION in response.json()["paths"]


def test_the_api_requires_a_token(deployed: httpx.Client) -> None:
    response = deployed.get(example.COLLECTION)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_from_the_issuer_is_accepted(deployed: httpx.Client) -> None:
    token = os.environ.get("SMOKE_TOKEN")
    if not token:
        pytest.skip("SMOKE_TOKEN not set: an authenticated read was not checked")
    response = deployed.get(
        example.COLLECTION, params={"limit": 1}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
