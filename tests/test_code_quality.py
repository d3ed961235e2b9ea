"""The template's own code (hooks, tests, scripts) is held to the standard it generates."""

from __future__ import annotations

import sys

import pytest

from tests.baking import TEMPLATE, run

CHECKS = {
    "ruff-lint": [sys.executable, "-m", "ruff", "check", "."],
    "ruff-format": [sys.executable, "-m", "ruff", "format", "--check", "."],
    "mypy": [sys.executable, "-m", "mypy"],
}


@pytest.mark.parametrize("command", CHECKS.values(), ids=CHECKS.keys())
def test_template_code_is_clean(command: list[str]) -> None:
    run(command, TEMPLATE).ok()
