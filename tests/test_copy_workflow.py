"""Copy one workflow into a repository of your own: its header lists everything it needs.

Each baked workflow is checked three ways: everything it references (make targets, local
actions and workflows, hashed files, secrets, variables) is in its header; every project file
the recipes of its make targets name is in its header; and copied alone, with exactly what its
header lists, into a small FastAPI project written here, every event runs only make targets
and local files the copy has.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection
from pathlib import Path

import pytest

from tests.actions_tooling import Step, validate
from tests.baking import CLOUD_ANSWERS, BakedProject, answer_id, run
from tests.conftest import Bake
from tests.first_push import PLANNING_TARGETS, configured, events, fresh, simulate_project
from tests.workflow_needs import Needs, checked_files, covered, declared, recipe_needs, references
from tests.workflows import (
    SHELL_VARIABLE,
    load_yaml,
    make_targets_in,
    makefile_rules,
    workflow_files,
)

CLOUDS = [
    pytest.param(answers, id=answer_id(answers), marks=pytest.mark.xdist_group(answer_id(answers)))
    for answers in CLOUD_ANSWERS
]


@pytest.mark.parametrize("answers", CLOUDS)
def test_each_header_lists_what_its_file_references(answers: dict[str, str], baked: Bake) -> None:
    project = baked(answers).path
    problems = []
    for path in checked_files(project):
        needs, found = declared(path, project), references(path, project)
        missing = {
            "make targets": found.targets - needs.targets,
            "files": (found.local_uses | found.hashed_files) - needs.files,
            "secrets": found.secrets - needs.secrets,
            "variables": found.variables - needs.variables,
        }
        problems += [
            f"{path.name} uses {kind} {sorted(names)}" for kind, names in missing.items() if names
        ]
        if stale := needs.targets - found.targets:
            problems.append(f"{path.name} lists make targets it never runs: {sorted(stale)}")
    assert not problems, "Headers (`# Needs:`) out of date:\n" + "\n".join(problems)


@pytest.mark.parametrize("answers", CLOUDS)
def test_each_header_lists_what_its_make_targets_need(answers: dict[str, str], baked: Bake) -> None:
    project = baked(answers).path
    rules = makefile_rules(project)
    problems = []
    for path in checked_files(project):
        needs = declared(path, project)
        for target in sorted(needs.targets & rules.keys()):
            if missing := {n for n in recipe_needs(project, target) if not covered(n, needs.files)}:
                problems.append(f"{path.name}: `make {target}` needs {sorted(missing)}")
    assert not problems, "Headers should list what these targets' recipes read:\n" + "\n".join(
        problems
    )


# --- one workflow, copied alone ---------------------------------------------------------------

SMALL_PYPROJECT = """\
[project]
name = "inventory"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["fastapi"]
"""
SMALL_APP = """\
from fastapi import FastAPI

app = FastAPI(title="inventory")


@app.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}
"""


def _brought_along(path: Path, project: Path) -> tuple[set[str], set[str]]:
    """(files, make targets) that copying `path` brings: what its header lists, and what the
    headers of the listed actions and workflows list in turn."""
    files: set[str] = set()
    targets: set[str] = set()
    pending = [path]
    while pending:
        needs: Needs = declared(pending.pop(), project)
        targets |= needs.targets
        for name in needs.files - files:
            files.add(name)
            listed = project / name
            if listed.suffix == ".yml" and listed.parent.name == "workflows":
                pending.append(listed)
            elif (listed / "action.yml").is_file():
                pending.append(listed / "action.yml")
    return files, targets


def _small_project(root: Path, project: Path, workflow: Path) -> Path:
    """A FastAPI project of its own plus the copied workflow and exactly what its header lists;
    its Makefile has the listed targets (planning targets print what the template's print)."""
    root.mkdir()
    (root / "pyproject.toml").write_text(SMALL_PYPROJECT)
    (root / "src" / "inventory").mkdir(parents=True)
    (root / "src" / "inventory" / "__init__.py").write_text("")
    (root / "src" / "inventory" / "main.py").write_text(SMALL_APP)
    files, targets = _brought_along(workflow, project)
    for name in {str(workflow.relative_to(project)), *files}:
        source, copy = project / name, root / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if not source.exists():  # listed as optional, such as .cruft.json
            continue
        if source.is_dir():
            shutil.copytree(source, copy, dirs_exist_ok=True)
        else:
            shutil.copy2(source, copy)
    recipes = []
    for target in sorted(targets):
        if target in PLANNING_TARGETS:
            lines = BakedProject(project).run(["make", "--silent", target]).splitlines()
            body = "".join(f"\t@echo '{line}'\n" for line in lines)
        else:
            body = f"\t@echo 'make {target}: stands in for the real recipe'\n"
        recipes.append(f".PHONY: {target}\n{target}:\n{body}")
    (root / "Makefile").write_text("\n".join(recipes))
    return root


def _lacks(small: Path, step: Step, defined: Collection[str]) -> set[str]:
    """The make targets and local actions a running step uses that the copy does not have."""
    command = SHELL_VARIABLE.sub(lambda m: str(step.env.get(m[1], m[0])), step.run or "")
    missing = set(make_targets_in(command)) - set(defined)
    if step.action.startswith("./") and not (small / step.action).is_dir():
        missing.add(step.action)
    return missing


@pytest.mark.parametrize("answers", CLOUDS)
def test_a_workflow_copied_alone_runs_only_what_it_brought(
    answers: dict[str, str], baked: Bake, tmp_path: Path
) -> None:
    project = baked(answers).path
    problems: list[str] = []
    for workflow in workflow_files(project):
        small = _small_project(tmp_path / workflow.stem, project, workflow)
        defined = makefile_rules(small).keys()
        diagnostics = validate(workflow_files(small))
        problems += [f"{workflow.name}: {p.name}:{d}" for p, ds in diagnostics.items() for d in ds]
        results = simulate_project(small, [fresh(small), configured(small)], events(small.name))
        for (state, event), result in results.items():
            for job in (job for ran in result.runs for job in ran.jobs if job.runs):
                where = f"{workflow.name} [{state}, {event}] {job.key}"
                if job.uses and not (small / job.uses).is_file():
                    problems.append(f"{where}: lacks {job.uses}")
                for step in (step for step in job.steps if step.runs):
                    if missing := _lacks(small, step, defined):
                        problems.append(f"{where} / {step.name}: lacks {sorted(missing)}")
    assert not problems, "Copied alone with what their headers list:\n" + "\n".join(
        sorted(set(problems))
    )


def _base_check(project: Path) -> str:
    """The benchmarks job's step that asks whether the base commit has benchmarks."""
    job = load_yaml(project / ".github" / "workflows" / "ci.yml")["jobs"]["benchmarks"]
    return str(next(step["run"] for step in job["steps"] if step.get("id") == "base"))


@pytest.mark.parametrize(
    "base_makefile",
    [None, "all:\n\t@true\n", "bench-baseline:\n\t@true\n"],
    ids=["none", "other", "ours"],
)
def test_benchmarks_pass_on_the_pull_request_that_adds_them(
    base_makefile: str | None, baked: Bake, tmp_path: Path
) -> None:
    """The pull request that copies ci.yml into a repository compares with a base that has no
    benchmarks: the job says so in its summary and passes; later pull requests compare."""
    (tmp_path / "base").mkdir()
    if base_makefile is not None:
        (tmp_path / "base" / "Makefile").write_text(base_makefile)
    output, summary = tmp_path / "output", tmp_path / "summary"
    run(
        ["bash", "-e", "-c", _base_check(baked({}).path)],
        tmp_path,
        env={**os.environ, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)},
    ).ok()
    has_benchmarks = base_makefile is not None and "bench-baseline" in base_makefile
    assert output.read_text() == f"benchmarks={str(has_benchmarks).lower()}\n"
    said = summary.read_text() if summary.exists() else ""
    assert ("nothing to compare with" in said) is not has_benchmarks, said
