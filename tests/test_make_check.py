"""`make check` is what CI gates: every gate of the generated project's ci.yml that can run on a
developer's machine is in `make check` (the path-filtered ones through `make check-changed`, for
the changes CI would run them for), and every other one is on the CI-only list `make help`
prints with its reason. So a new CI gate fails here until it is in one or the other.

Also run for real: `make changes` and `make check-changed` follow CI's path filters, `make
tf-check` checks the AWS stack, and the pre-push hook's `make api-check` needs no database. The
slow tier (test_slow.py) runs the whole `make check` of a fresh bake."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.baking import BakedProject, answer_id, bake
from tests.conftest import Bake
from tests.test_terraform import find_provider_mirror
from tests.workflows import (
    MakeTarget,
    job_make_targets,
    load_yaml,
    make_targets_in,
    makefile_targets,
    makefile_variables,
    parse_uses,
    uses_references,
    with_prerequisites,
)

DEFAULT = pytest.mark.xdist_group(answer_id({}))
# Make targets of ci.yml's gating jobs that plan or report, and gate nothing themselves.
NOT_GATES = {
    "changes": "decides which jobs run (the path filter)",
    "ci-pythons": "the test matrix's Python versions",
    "ci-images": "the service containers' image, read from compose.yaml",
    "install": "the environment every gate runs in",
    "coverage-layers": "one coverage XML per layer, for Codecov's flags",
    "ci-summary": "the job summary",
}
# Actions of gating jobs that set up tools or move files between jobs.
SETUP_ACTIONS = {
    "checkout": "the repository",
    "setup-terraform": "terraform for make tf-check",
    "setup-buildx-action": "Docker Buildx for the image build",
    "upload-artifact": "hands reports to later jobs",
    "download-artifact": "takes reports from earlier jobs",
    "alls-green": "ci-ok itself: the verdict over the gates",
}
CI_ONLY = re.compile(r"^#ci-only (?P<names>[^:]+): (?P<why>.+)$", re.MULTILINE)


def _ci(project: Path) -> dict[str, Any]:
    return load_yaml(project / ".github" / "workflows" / "ci.yml")


def _steps(project: Path, job: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A job's steps, or those of every job of the reusable workflow it calls."""
    if "uses" not in job:
        return list(job.get("steps", []))
    called = load_yaml(project / str(job["uses"]).removeprefix("./"))
    return [step for called_job in called["jobs"].values() for step in _steps(project, called_job)]


def _actions(project: Path, job: Mapping[str, Any]) -> set[str]:
    """The remote actions a job runs, by repository name (`trivy-action`)."""
    found = set()
    for step in _steps(project, job):
        parsed = parse_uses(str(step.get("uses", "./")))
        if parsed:
            found.add(parsed[0].split("/")[1])
    return found


def _changed_gates(project: Path) -> dict[str, str]:
    """target -> the `make changes` output that makes CI (and check-changed) run it."""
    pairs = makefile_variables(project)["CHANGED_GATES"].split()
    return {target: key for key, target in (pair.split(":", 1) for pair in pairs)}


def _run_by_check(project: Path, targets: Mapping[str, MakeTarget]) -> set[str]:
    """Every target `make check` runs: its prerequisites, the targets its recipe runs with
    $(MAKE), the path-filtered gates check-changed runs, and all their prerequisites."""
    recipe = "\n".join(line.lstrip("@") for line in targets["check"].recipe if "$(MAKE)" in line)
    started = set(make_targets_in(recipe.replace("$(MAKE)", "make")))
    assert "check-changed" in started, "make check no longer runs check-changed"
    rules = {name: target.prerequisites for name, target in targets.items()}
    return with_prerequisites({"check", *started, *_changed_gates(project)}, rules)


def _ci_only(project: Path) -> dict[str, str]:
    """name (a make target or an action) -> why CI runs it and `make check` does not."""
    return {
        name: match["why"]
        for match in CI_ONLY.finditer((project / "Makefile").read_text())
        for name in match["names"].split()
    }


@DEFAULT
def test_every_ci_gate_is_in_make_check_or_on_the_ci_only_list(baked: Bake) -> None:
    project = baked({}).path
    targets = makefile_targets(project)
    in_check = _run_by_check(project, targets)
    ci_only = _ci_only(project)

    def covered(target: str) -> bool:
        """In check, or an alias whose prerequisites all are (security: bandit audit secrets)."""
        rule = targets[target]
        return target in in_check or (
            bool(rule.prerequisites) and not rule.recipe and all(map(covered, rule.prerequisites))
        )

    jobs = _ci(project)["jobs"]
    gating = jobs["ci-ok"]["needs"]
    problems = []
    for job_id in gating:
        for target in sorted(job_make_targets(project, "ci.yml", job_id) - NOT_GATES.keys()):
            if not covered(target) and target not in ci_only:
                problems.append(
                    f"job {job_id}: `make {target}` is neither in make check nor CI-only"
                )
        for action in sorted(_actions(project, jobs[job_id]) - SETUP_ACTIONS.keys()):
            if action not in ci_only:
                problems.append(f"job {job_id}: action {action} is not on the CI-only list")
    assert not problems, "\n".join(problems) + (
        "\nAdd the target to CHECK_GATES (or CHANGED_GATES) in the Makefile, or a `#ci-only` line "
        "saying why it cannot run locally."
    )


@DEFAULT
def test_the_ci_only_list_is_what_make_help_prints_and_names_real_gates(baked: Bake) -> None:
    project = baked({})
    targets = makefile_targets(project.path)
    ci_only = _ci_only(project.path)
    assert ci_only, "the Makefile lists no CI-only gate"
    actions = {
        parsed[0].split("/")[1]
        for _, ref in uses_references(project.path)
        if (parsed := parse_uses(ref))
    }
    assert {name for name in ci_only if name not in targets and name not in actions} == set()
    assert set(ci_only) & _run_by_check(project.path, targets) == set(), "both in check and CI-only"
    shown = project.run(["make", "--silent", "help"])
    section = shown.split("make check runs every gate", 1)
    assert len(section) == 2, shown
    for name, why in ci_only.items():
        line = next((line for line in section[1].splitlines() if why in line), "")
        assert name in line.split(), f"make help does not show {name}: {why}"


@DEFAULT
def test_the_path_filtered_gates_are_the_ones_ci_filters(baked: Bake) -> None:
    project = baked({}).path
    jobs = _ci(project)["jobs"]
    changed = _changed_gates(project)
    assert set(changed.values()) <= set(jobs["changes"]["outputs"]), "changes outputs no such key"
    for job_id in jobs["ci-ok"]["needs"]:
        keys = set(
            re.findall(r"needs\.changes\.outputs\.(\w+) == 'true'", str(jobs[job_id].get("if", "")))
        )
        for key in keys - {"code"}:  # code-only jobs are in make check whatever changed
            for target in job_make_targets(project, "ci.yml", job_id) - NOT_GATES.keys():
                assert changed.get(target) == key, (
                    f"{job_id}: make {target} runs when {key} changed"
                )


# --- make changes and make check-changed, in a git repository --------------------------------


def _changes(project: BakedProject, *arguments: str) -> dict[str, str]:
    output = project.run(["make", "--silent", "changes", *arguments])
    return dict(line.split("=", 1) for line in output.splitlines())


def test_changes_and_check_changed_follow_cis_path_filters(tmp_path: Path) -> None:
    project = bake(tmp_path)  # its own bake: this test commits and edits files
    # Outside git, and in a repository without a remote, nothing says what changed.
    assert _changes(project) == {"code": "true", "terraform": "true", "observability": "true"}
    gates = "diff-cover tf-check observability-check"
    assert f"NOT CHECKED: {gates}" in project.run(["make", "check-changed"])
    project.commit("Baked")
    assert f"NOT CHECKED: {gates}" in project.run(["make", "check-changed"])
    assert "BASE=no-such-branch is not a commit" in project.fails(
        ["make", "check-changed", "BASE=no-such-branch"]
    )

    project.git("switch", "--quiet", "--create", "docs")
    (project / "infra" / "terraform" / "NOTES.md").write_text("Notes.\n")
    project.commit("Docs")
    assert _changes(project, "BASE=main") == {
        "code": "false",
        "terraform": "false",
        "observability": "false",
    }
    output = project.run(["make", "check-changed", "BASE=main"])
    for target in gates.split():
        assert f"{target}: not run, as in CI" in output

    project.git("switch", "--quiet", "--create", "infra")
    for changed in ("infra/terraform/aws/variables.tf", "ops/prometheus/alerts.yml"):
        with (project / changed).open("a") as file:
            file.write("# changed\n")
    project.commit("Infrastructure")
    assert _changes(project, "BASE=main") == {
        "code": "true",
        "terraform": "true",
        "observability": "true",
    }
    command = ["make", "check-changed", "BASE=main", "CHECK_SKIP=diff-cover tf-check"]
    if shutil.which("promtool") is None:
        assert "promtool not found" in project.fails(command)
    else:
        output = project.run(command)
        assert "diff-cover: NOT CHECKED (CHECK_SKIP)" in output
        assert "tf-check: NOT CHECKED (CHECK_SKIP)" in output
        assert "alerts.test.yml\n  SUCCESS" in output

    # No stacks (cloud=none keeps infra/terraform/github; this removes every stack).
    for stack in (project / "infra" / "terraform").iterdir():
        if stack.is_dir() and list(stack.glob("*.tf")):
            shutil.rmtree(stack)
    assert _changes(project)["terraform"] == "false"


# --- the gates check-changed runs, for real --------------------------------------------------


def test_make_tf_check_passes_on_the_aws_stack(tmp_path: Path) -> None:
    if shutil.which("terraform") is None:
        pytest.skip("terraform not on PATH: install Terraform >= 1.11")
    mirror = find_provider_mirror()
    if mirror is None:
        pytest.skip("no Terraform provider mirror with hashicorp/aws (set TF_PROVIDER_MIRROR)")
    config = tmp_path / "terraformrc"
    config.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path    = "{mirror}"\n'
        '    include = ["registry.terraform.io/hashicorp/*"]\n  }\n'
        '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n'
    )
    project = bake(tmp_path / "bake", {"cloud": "aws"})  # its own: terraform init writes files
    env = {"TF_CLI_CONFIG_FILE": str(config)}
    # Only the AWS provider is on disk here; CI's runners download the others.
    output = project.run(["make", "tf-check", "TF_STACKS=aws"], env=env)
    assert "aws/bootstrap: terraform validate" in output
    assert "all checks passed: aws" in output


@DEFAULT
def test_the_pre_push_hook_checks_the_api_tables_without_a_database(baked: Bake) -> None:
    project = baked({})
    hooks = {
        hook["id"]: hook
        for repository in load_yaml(project / ".pre-commit-config.yaml")["repos"]
        for hook in repository["hooks"]
    }
    assert hooks["api-check"]["entry"] == "make api-check"
    assert hooks["api-check"]["stages"] == ["pre-push"]
    # A database that does not exist: a test that needed one would fail to connect.
    env = {"DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:9/none"}
    output = project.run(["make", "api-check"], timeout=300, env=env)
    assert re.search(r"\b2 passed\b", output), output
    assert "Throwaway PostgreSQL" not in output
