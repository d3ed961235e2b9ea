"""The template's own code (hooks, tests, scripts) is held to the standard it generates."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.baking import TEMPLATE

CHECKS = {
    "ruff-lint": [sys.executable, "-m", "ruff", "check", "."],
    "ruff-format": [sys.executable, "-m", "ruff", "format", "--check", "."],
    "mypy": [sys.executable, "-m", "mypy"],
}


@pytest.mark.parametrize("command", CHECKS.values(), ids=CHECKS.keys())
def test_template_code_is_clean(command: list[str]) -> None:
    result = subprocess.run(command, cwd=TEMPLATE, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
