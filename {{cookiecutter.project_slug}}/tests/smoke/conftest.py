"""Smoke tests: read-only checks against a deployed service at --base-url (or BASE_URL).

`make smoke BASE_URL=https://staging.example.com` runs them after every deploy. Without a URL
they are deselected, and the run says so: they must never pass by not running.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).parent
NO_URL = "smoke tests deselected: no --base-url or BASE_URL (make smoke BASE_URL=https://...)"
_DESELECTED = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    # Registered only when pytest starts in or with tests/smoke (`make smoke` does).
    parser.addoption("--base-url", help="the deployed service to smoke-test; default: BASE_URL")


def _base_url(config: pytest.Config) -> str | None:
    option = config.getoption("base_url", default=None)
    return str(option) if option else os.environ.get("BASE_URL") or None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _base_url(config):
        return
    smoke = [item for item in items if item.path.is_relative_to(HERE)]
    if smoke:
        config.hook.pytest_deselected(items=smoke)
        items[:] = [item for item in items if item not in smoke]
        config.stash[_DESELECTED] = len(smoke)


def pytest_report_collectionfinish(config: pytest.Config) -> list[str]:
    return [f"{config.stash[_DESELECTED]} {NO_URL}"] if _DESELECTED in config.stash else []


@pytest.fixture(scope="session")
def deployed(pytestconfig: pytest.Config) -> Iterator[httpx.Client]:
    base_url = _base_url(pytestconfig)
    assert base_url, NO_URL
    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        yield client
