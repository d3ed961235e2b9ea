"""The template repository's own CI (.github/workflows/ at the repository root): held to the rules
of the generated workflows (zizmor offline, verified pins, hardening; GitHub's validator and
actionlint check it in test_workflow_validation.py) and running the commands README.md documents."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tests.baking import TEMPLATE, choices, template_files
from tests.conftest import Bake
from tests.workflows import (
    PINS_FILE,
    check_jsonschema,
    load_yaml,
    parse_uses,
    pin_problems,
    triggers,
    uses_references,
    verified_pins,
    workflow_files,
)

PROJECT_TEMPLATE = TEMPLATE / "{{cookiecutter.project_slug}}"
# The baked default's tests share its xdist group, so the synced project is reused.
DEFAULT_GROUP = pytest.mark.xdist_group("default")


@DEFAULT_GROUP
def test_zizmor_finds_nothing_in_the_template_workflows(baked: Bake) -> None:
    # The generated project pins zizmor in its lock; running that copy keeps one version.
    project = baked({})
    project.run(["uv", "sync", "--locked"])
    output = project.run(
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


def test_the_pins_file_holds_a_tag_and_a_full_commit_per_action() -> None:
    entries = tomllib.loads(PINS_FILE.read_text())
    assert len(entries) > 20
    malformed = {
        action: entry
        for action, entry in entries.items()
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", action)
        or set(entry) - {"note"} != {"tag", "sha"}
        or not re.fullmatch(r"v\d+(\.\d+)*", str(entry["tag"]))
        or not re.fullmatch(r"[0-9a-f]{40}", str(entry["sha"]))
    }
    assert malformed == {}, "each entry: tag = vX.Y.Z, sha = the tag's 40-hex commit, note optional"


def test_template_workflows_are_pinned_to_verified_commits() -> None:
    pins = verified_pins(PINS_FILE.read_text())
    remote = [ref for _, ref in uses_references(TEMPLATE) if parse_uses(ref)]
    assert remote, "the template's own workflows use remote actions"
    problems = pin_problems(uses_references(TEMPLATE), pins, TEMPLATE)
    assert not problems, "\n".join(problems)


def test_every_cloud_s_workflows_are_pinned_to_verified_commits_before_baking() -> None:
    # Workflows are copied without rendering, so the template's copy holds every cloud's files;
    # test_workflows.py checks the baked ones per cloud answer.
    pins = verified_pins(PINS_FILE.read_text())
    problems = pin_problems(uses_references(PROJECT_TEMPLATE), pins, TEMPLATE)
    assert not problems, "\n".join(problems)


def test_a_pin_that_moved_says_what_to_check_and_what_to_write(tmp_path: Path) -> None:
    # What a Dependabot pull request that bumped actions/checkout in one workflow gets told.
    pins = verified_pins(PINS_FILE.read_text())
    old = pins["actions/checkout"]
    new_sha = "0123456789abcdef0123456789abcdef01234567"
    workflow = tmp_path / ".github" / "workflows" / "ci.yml"
    references = [
        (workflow, f"actions/checkout@{new_sha} # v99.0.0"),
        (workflow, f"actions/checkout@{old.sha} # {old.tag}"),
        (workflow, "someone/new-action@v1"),
        (workflow, f"someone/else@{new_sha} # v1.2.3"),
    ]
    moved, unknown, unpinned = pin_problems(references, pins, tmp_path)  # sorted by action
    assert moved.startswith(".github/workflows/ci.yml: uses actions/checkout@0123")
    assert "git ls-remote https://github.com/actions/checkout 'refs/tags/v99.0.0*'" in moved
    assert f'["actions/checkout"]\n    tag = "v99.0.0"\n    sha = "{new_sha}"' in moved
    assert f"otherwise write `actions/checkout@{old.sha} # {old.tag}` here" in moved
    assert "pin it by commit with its tag as comment" in unpinned
    assert "someone/else has no entry in .github/actions-pins.toml" in unknown


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


def test_template_workflows_and_dependabot_match_their_schemas() -> None:
    check_jsonschema("vendor.github-workflows", workflow_files(TEMPLATE))
    check_jsonschema("vendor.dependabot", [TEMPLATE / ".github" / "dependabot.yml"])


def _dependabot_directories(ecosystem: str) -> list[str]:
    updates = load_yaml(TEMPLATE / ".github" / "dependabot.yml")["updates"]
    (update,) = [update for update in updates if update["package-ecosystem"] == ecosystem]
    return list(update.get("directories", [update.get("directory")]))


def _matched(directory: str) -> list[Path]:
    """The folders a Dependabot directory names (`*` matches one folder name)."""
    if directory == "/":
        return [TEMPLATE]
    return sorted(path for path in TEMPLATE.glob(directory.lstrip("/")) if path.is_dir())


def test_template_dependabot_groups_every_ecosystem_with_a_cooldown() -> None:
    updates = load_yaml(TEMPLATE / ".github" / "dependabot.yml")["updates"]
    assert {update["package-ecosystem"] for update in updates} == {"github-actions", "uv", "npm"}
    for update in updates:
        name = update["package-ecosystem"]
        assert update["cooldown"]["default-days"] >= 7, name
        assert update["groups"], name
        for directory in update.get("directories", [update.get("directory")]):
            # Dependabot reads `{` and `}` as glob syntax: the project folder is matched by `*`.
            assert "{" not in directory, f"{name}: {directory}"
            assert _matched(directory), f"{name}: {directory} matches no folder of the template"


def test_template_dependabot_bumps_every_workflow_the_template_and_its_projects_hold() -> None:
    # Dependabot reads .github/workflows/ for "/", and the YAML files of any other folder itself.
    covered = {
        folder / ".github" / "workflows" if directory == "/" else folder
        for directory in _dependabot_directories("github-actions")
        for folder in _matched(directory)
    }
    holding_uses = {
        path.parent
        for root in (TEMPLATE, PROJECT_TEMPLATE)
        for path, reference in uses_references(root)
        if parse_uses(reference)
    }
    assert holding_uses - covered == set(), "add these folders to .github/dependabot.yml"
    assert PROJECT_TEMPLATE / ".github" / "workflows" in covered


def test_template_dependabot_updates_the_template_tools_and_every_npm_package() -> None:
    assert _dependabot_directories("uv") == ["/"]
    assert (TEMPLATE / "pyproject.toml").is_file()
    assert (TEMPLATE / "uv.lock").is_file()
    covered = {folder for d in _dependabot_directories("npm") for folder in _matched(d)}
    packages = {
        (TEMPLATE / name).parent
        for name in template_files()
        if Path(name).name == "package-lock.json"
    }
    assert packages, "the template's tests and baked projects hold npm packages"
    assert packages == covered, "every npm package folder, and only those, in dependabot.yml"
    for folder in covered:
        assert (folder / "package.json").is_file(), folder


def test_the_relock_workflow_upgrades_the_project_locks_and_proposes_them() -> None:
    workflow = load_yaml(TEMPLATE / ".github" / "workflows" / "relock.yml")
    assert triggers(workflow) == {"schedule", "workflow_dispatch"}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "actions": "write",
    }
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "uv run python scripts/lock_generated.py --upgrade" in runs
    assert "gh pr create" in runs
    # The commit and the "nothing changed" check cover exactly the locks the script writes.
    locks = TEMPLATE / workflow["env"]["LOCKS"]
    assert sorted(path.name for path in locks.glob("uv-*.lock")) == sorted(
        f"uv-{python}.lock" for python in choices("python_version")
    )
    # Pull requests made with GITHUB_TOKEN start no workflows: it starts Template CI by hand.
    assert "gh workflow run ci.yml" in runs
    assert "workflow_dispatch" in triggers(load_yaml(TEMPLATE / ".github" / "workflows" / "ci.yml"))
