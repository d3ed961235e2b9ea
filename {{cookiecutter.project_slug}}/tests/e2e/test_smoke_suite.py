"""The post-deploy smoke suite passes against a freshly started server, so it cannot rot."""

from __future__ import annotations

import asyncio
import sys

from tests.e2e.conftest import NewTenant
from tools.live_server import PROJECT


async def test_the_smoke_suite_passes_against_a_running_server(
    server: str, new_tenant: NewTenant
) -> None:
    token = (await new_tenant())["Authorization"].removeprefix("Bearer ")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "pytest", "tests/smoke", "-q", "-p", "no:cacheprovider",
        f"--base-url={server}",
        cwd=PROJECT,
        env={"PATH": "", "SMOKE_TOKEN": token},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output = (await process.communicate())[0].decode()
    assert process.returncode == 0, output
    assert "5 passed" in output, output
