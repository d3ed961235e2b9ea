"""The template repository's own CI (.github/workflows/ at the repository root): held to the rules
of the generated workflows (zizmor offline, actionlint where installed, verified pins, hardening)
and running the commands README.md documents."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.baking import TEMPLATE, run_in
from tests.conftest import Bake
from tests.workflows import (
    PINS_FILE,
    load_yaml,
    parse_uses,
    triggers,
    uses_references,
    verified_pins,
    workflow_files,
)

# The baked default's tests share its xdist group, so the synced project is reused.
DEFAULT_GROUP = pytest.mark.xdist_group("default")


@DEFAULT_GROUP
def test_zizmor_finds_nothing_in_the_template_workflows(baked: Bake) -> None:
    # The generated project pins zizmor in its lock; running that copy keeps one version.
    project = baked({})
    run_in(project, ["uv", "sync", "--locked"])
    output = run_in(
        project,
        [
            "uv",
            "run",
            "--locked",
            "zizmor",
            "--offline",
            "--strict-collection",
            str(TEMPLATE / ".github"),
        ],
    )
    assert "No findings to report" in output


def test_actionlint_passes_on_the_template_workflows_where_installed() -> None:
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip(
            "actionlint is not installed here (no wheel; its installer downloads from GitHub); "
            "the template's CI installs it in the workflow-lint job"
        )
    result = subprocess.run(
        [actionlint, *map(str, workflow_files(TEMPLATE))],
        cwd=TEMPLATE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_template_workflows_are_pinned_to_verified_commits() -> None:
    if not PINS_FILE.is_file():
        pytest.skip(f"{PINS_FILE} is absent: the verified pins live in shared/ beside the clone")
    pins = verified_pins(PINS_FILE.read_text())
    remote = [parse_uses(ref) for _, ref in uses_references(TEMPLATE)]
    assert remote
    assert [uses for uses in remote if uses is None or pins.get(uses[0]) is None] == [], (
        "every action is remote and in the verified pin table"
    )
    assert [
        uses
        for uses in remote
        if uses and (uses[1], uses[2]) != (pins[uses[0]].sha, pins[uses[0]].tag)
    ] == []


def test_template_workflows_are_hardened() -> None:
    files = workflow_files(TEMPLATE)
    assert files
    for path in files:
        workflow = load_yaml(path)
        assert path.read_text().startswith("#"), f"{path.name} says what it runs and needs"
        assert workflow["permissions"] == {}, path.name
        assert "${{ github.workflow }}" in workflow["concurrency"]["group"], path.name
        for job_id, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: {job_id} has no job-level permissions"
            assert "timeout-minutes" in job, f"{path.name}: {job_id} has no timeout"
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{path.name}: {job_id}"


def test_template_ci_runs_both_tiers_and_the_docs_build_on_every_pull_request() -> None:
    workflow = load_yaml(TEMPLATE / ".github" / "workflows" / "ci.yml")
    assert "pull_request" in triggers(workflow)
    commands = {
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    }
    assert 'uv run pytest -m "not slow"' in commands
    assert "uv run pytest -m slow" in commands
    assert any(command.startswith("uv run mkdocs build --strict") for command in commands)
    aggregate = workflow["jobs"]["ci-ok"]
    assert set(aggregate["needs"]) == set(workflow["jobs"]) - {"ci-ok"}
