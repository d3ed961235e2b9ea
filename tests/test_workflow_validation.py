"""GitHub's own workflow validator (@actions/languageservice, offline) on the template's own
workflows and on every baked project's workflows and composite actions: no diagnostics. It can
fail: it catches a misspelt trigger, an unknown context, an unknown `needs` and a reusable
workflow called with an input it does not declare. Without Node.js these tests fail, not skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.actions_tooling import NODE_MISSING, Diagnostic, ToolingError, ensure_installed, validate
from tests.baking import TEMPLATE, answer_id, choices
from tests.conftest import Bake
from tests.workflows import action_files, workflow_files

# Each cloud answer, the default first (as in test_workflows.py, so a worker bakes each once).
CLOUD_ANSWERS: list[dict[str, str]] = [{}] + [{"cloud": cloud} for cloud in choices("cloud")[1:]]
CASES = [
    pytest.param(
        answers,
        id=f"cloud={answers.get('cloud', choices('cloud')[0])}",
        marks=pytest.mark.xdist_group(answer_id(answers)),
    )
    for answers in CLOUD_ANSWERS
]
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


def _report(diagnostics: dict[Path, list[Diagnostic]], root: Path) -> str:
    return "\n".join(
        f"{path.relative_to(root)}:{item}" for path, items in diagnostics.items() for item in items
    )


def test_template_workflows_have_no_diagnostics() -> None:
    files = workflow_files(TEMPLATE) + action_files(TEMPLATE)
    assert files, "the template has no workflows to validate"
    diagnostics = validate(files)
    assert not any(diagnostics.values()), _report(diagnostics, TEMPLATE)


@pytest.mark.parametrize("answers", CASES)
def test_baked_workflows_have_no_diagnostics(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers)
    files = workflow_files(project) + action_files(project)
    assert len(workflow_files(project)) >= 5, sorted(path.name for path in files)
    diagnostics = validate(files)
    assert set(diagnostics) == set(files)
    assert not any(diagnostics.values()), _report(diagnostics, project)


def test_validator_catches_mistakes(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "broken.yml").write_text(BROKEN)
    (workflows / "called.yml").write_text(CALLED)
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


def test_missing_node_fails_with_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolingError) as raised:
        ensure_installed()
    assert str(raised.value) == NODE_MISSING
    assert "apt-get install nodejs npm" in NODE_MISSING
