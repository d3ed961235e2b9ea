"""Slow tier: a baked default project passes its own gates and serves, with no database given."""

from __future__ import annotations

import re
import signal
import socket
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.baking import BakedProject, vulnerability_feed_reachable
from tests.serving import http_status, serving

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("slow")]
# What the generated resilience tests (tests/e2e/test_resilience.py) cover, by test name.
RESILIENCE = (
    "restart_under_load",
    "restart_while_idle",
    "without_its_database",
    "sigterm",
    "504",
    "413",
)


def test_make_check_passes_against_a_throwaway_postgres(slow_project: BakedProject) -> None:
    # A new repository without a remote: the secret scan reads what git would commit, and the
    # gates that compare with origin/main say they could not.
    slow_project.git("init", "--quiet", "--initial-branch=main")
    command = ["make", "check"]
    if not vulnerability_feed_reachable(slow_project):
        # `make audit` fails loudly without PyPI's vulnerability API (test_slow_hygiene.py).
        command.append("CHECK_SKIP=audit")
    output = slow_project.run(command, timeout=1200)
    assert re.search(r"\d+ passed", output)
    assert "NOT CHECKED: diff-cover tf-check observability-check" in output
    assert (slow_project / "reports" / "junit-unit.xml").is_file()
    assert (slow_project / "reports" / "junit-integration.xml").is_file()
    assert (slow_project / "reports" / "coverage.xml").is_file()
    _assert_resilience_tests_passed(slow_project / "reports" / "junit-e2e.xml")


def _assert_resilience_tests_passed(junit: Path) -> None:
    root = ElementTree.parse(junit).getroot()  # noqa: S314 (the baked project's own report)
    passed = [
        str(case.get("name"))
        for case in root.iter("testcase")
        if case.get("classname") == "tests.e2e.test_resilience"
        and not any(child.tag in {"failure", "error", "skipped"} for child in case)
    ]
    assert [part for part in RESILIENCE if not any(part in name for name in passed)] == []
    recoveries = [
        float(str(prop.get("value")))
        for prop in root.iter("property")
        if str(prop.get("name")).endswith("seconds_to_readyz_200")
    ]
    assert recoveries, "the resilience tests record how long recovery took"
    assert max(recoveries) < 5.0


def test_the_suite_runs_on_parallel_workers_each_with_its_own_database(
    slow_project: BakedProject,
) -> None:
    layers = ["tests/unit", "tests/property", "tests/integration", "tests/e2e"]
    output = slow_project.run(["uv", "run", "pytest", "-n", "auto", "-q", *layers], timeout=900)
    assert "bringing up nodes" in output, "pytest-xdist did not start workers"
    assert re.search(r"\d+ passed", output)
    assert "failed" not in output


def test_make_dev_serves_health_and_readiness_on_loopback(slow_project: BakedProject) -> None:
    with serving(slow_project, ["make", "dev"], stop_signal=signal.SIGTERM) as server:
        assert http_status(f"{server.base_url}/readyz") == 200
    database = re.search(
        r"Throwaway PostgreSQL: postgresql\+asyncpg://postgres@127.0.0.1:(\d+)/", server.output[0]
    )
    assert database, server.output[0]
    assert http_status(f"{server.base_url}/healthz") is None, "still listening after SIGTERM"
    with pytest.raises(ConnectionRefusedError):  # the throwaway cluster went with it
        socket.create_connection(("127.0.0.1", int(database.group(1))), timeout=2).close()
