"""A baked project's first push, simulated: the events a new repository sees, the repository
states it can be in (fresh, or configured for its clouds), and which jobs and steps run.

The states come from the project itself: a fresh repository has the project's files and
nothing else; a configured one has the variables and environments its workflows' headers name
for its clouds. `python -m tests.first_push table [--cloud CLOUD]` prints the fresh
repository's table (Markdown) for the docs page "Your first push".
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tests.actions_tooling import Job, Scenario, SimulationResult, simulate
from tests.baking import BakedProject, bake, choices, text_files
from tests.hooks import CLOUD_STACKS, TERRAFORM
from tests.workflows import load_yaml, workflow_files

OWNER = "your-org"
SHA = "0123456789abcdef0123456789abcdef01234567"
BASE_SHA = "89abcdef0123456789abcdef0123456789abcdef"
# Make targets whose output ($GITHUB_OUTPUT) decides which jobs run, with which matrix and which
# service images: cheap and offline, so the simulation takes their real output from the baked
# project. `changes` without BASE says code=true: every simulated event carries a code change.
PLANNING_TARGETS = ("changes", "ci-pythons", "ci-images", "tf-stacks")
MAKE_TO_OUTPUT = re.compile(r"^make --silent (?P<target>[\w-]+)\b.*>> \"\$\{GITHUB_OUTPUT\}\"$")
# Header of a workflow: its leading comment. Items of its `Needs:` list start two spaces in.
NEEDS_ITEM = re.compile(r"^#   (?=\S)", re.MULTILINE)
VARIABLE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
# `AWS_PLAN_ROLE_ARN_STAGING / _PRODUCTION`: the second name shares the first one's stem.
SIBLING = re.compile(r"\b(?P<stem>[A-Z][A-Z0-9_]*)_[A-Z0-9]+ / _(?P<suffix>[A-Z0-9]+)\b")
SWITCH = re.compile(r"\b(?P<name>[A-Z][A-Z0-9_]+)=(?P<value>\S+) turns [^;,]*?\b(?P<on>on|off)\b")
ENVIRONMENTS = re.compile(r"^environments (?P<names>[a-z][\w-]*(?:(?:, | and )[a-z][\w-]*)*)")


@dataclass(frozen=True)
class Event:
    """An event a new repository sees, as a template for scenarios."""

    id: str
    label: str
    name: str
    ref: str
    actor: str
    payload: Mapping[str, Any]


def _pull_request(head_owner: str, head_ref: str, user: str, repository: str) -> dict[str, Any]:
    own = f"{OWNER}/{repository}"
    head = f"{head_owner}/{repository}"
    return {
        "action": "opened",
        "number": 1,
        "pull_request": {
            "number": 1,
            "user": {"login": user},
            "head": {"ref": head_ref, "sha": SHA, "repo": {"full_name": head, "fork": head != own}},
            "base": {"ref": "main", "sha": BASE_SHA, "repo": {"full_name": own, "fork": False}},
        },
    }


def events(repository: str) -> list[Event]:
    """The events of the issue's first-push matrix, for a repository of this name."""
    return [
        Event("push", "Push to main", "push", "refs/heads/main", "jane-doe",
              {"ref": "refs/heads/main", "before": BASE_SHA, "after": SHA}),
        Event("pull_request", "Pull request from a branch", "pull_request", "refs/pull/1/merge",
              "jane-doe", _pull_request(OWNER, "feature", "jane-doe", repository)),
        Event("pull_request_fork", "Pull request from a fork", "pull_request",
              "refs/pull/1/merge", "contributor",
              _pull_request("contributor", "feature", "contributor", repository)),
        Event("dependabot", "Dependabot pull request", "pull_request", "refs/pull/1/merge",
              "dependabot[bot]",
              _pull_request(OWNER, "dependabot/uv/fastapi-1.0", "dependabot[bot]", repository)),
        Event("merge_group", "Merge queue", "merge_group",
              "refs/heads/gh-readonly-queue/main/pr-1-" + SHA, "jane-doe",
              {"action": "checks_requested",
               "merge_group": {"head_sha": SHA, "base_sha": BASE_SHA, "base_ref": "refs/heads/main",
                               "head_ref": "refs/heads/gh-readonly-queue/main/pr-1-" + SHA}}),
        Event("schedule", "Schedule (every cron)", "schedule", "refs/heads/main", "jane-doe", {}),
        Event("workflow_dispatch", "Run workflow (workflow_dispatch, defaults)",
              "workflow_dispatch", "refs/heads/main", "jane-doe",
              {"ref": "refs/heads/main", "inputs": {}}),
        Event("release", "Release published", "release", "refs/tags/v1.0.0", "jane-doe",
              {"action": "published", "release": {"tag_name": "v1.0.0", "draft": False}}),
        Event("workflow_run", "CI passed on main (workflow_run)", "workflow_run",
              "refs/heads/main", "jane-doe",
              {"action": "completed",
               "workflow_run": {"name": "CI", "conclusion": "success", "event": "push",
                                "head_branch": "main", "head_sha": SHA}}),
    ]  # fmt: skip


@dataclass(frozen=True)
class RepositoryState:
    """What a repository has besides its files."""

    name: str
    files: frozenset[str]
    private: bool = False
    vars: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    environments: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    pages: bool = False
    branches: frozenset[str] = frozenset({"main"})

    @property
    def code_scanning(self) -> bool:
        """Code scanning uploads: free on public repositories, a paid product on private ones."""
        return not self.private


def project_files(project: Path) -> frozenset[str]:
    return frozenset(str(path.relative_to(project)) for path in text_files(project))


def fresh(project: Path, private: bool = False) -> RepositoryState:
    """A new repository holding the bake: no variables, secrets, environments, Pages or
    branches but main; a plain cookiecutter bake has no `.cruft.json`."""
    return RepositoryState("fresh-private" if private else "fresh", project_files(project), private)


def clouds_of(project: Path) -> tuple[str, ...]:
    return tuple(stack for stack in CLOUD_STACKS if (project / TERRAFORM / stack).is_dir())


def header(path: Path) -> str:
    """A workflow's leading comment."""
    lines = []
    for line in path.read_text().splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def needs_items(text: str) -> list[str]:
    """The items of a header's `Needs:` list, each as one line of text."""
    if "# Needs:" not in text:
        return []
    block = text.split("# Needs:", 1)[1]
    return [
        " ".join(line.lstrip("# ").strip() for line in item.splitlines())
        for item in NEEDS_ITEM.split(block)
        if item.strip()
    ]


def plausible(name: str, environment: str = "staging") -> str:
    """A value of the right shape for a variable, judged by its name."""
    short = "stg" if environment == "staging" else "prd"
    rules = [
        ("ROLE_ARN", f"arn:aws:iam::123456789012:role/shop-service-{short}"),
        ("AWS_REGION", "eu-west-1"),
        ("GCP_REGION", "europe-west1"),
        ("ECR_REPOSITORY_URL", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-service"),
        ("ARTIFACT_REPOSITORY", "europe-west1-docker.pkg.dev/shop-service-stg/shop-service"),
        ("NETWORK_CONFIG", "awsvpcConfiguration={subnets=[subnet-0abc],securityGroups=[sg-0abc]}"),
        ("WORKLOAD_IDENTITY_PROVIDER",
         "projects/123456789/locations/global/workloadIdentityPools/github/providers/github"),
        ("SERVICE_ACCOUNT", f"deploy@shop-service-{short}.iam.gserviceaccount.com"),
        ("PROJECT_ID", f"shop-service-{short}"),
        ("_URL", f"https://{environment}.shop.example.com"),
    ]  # fmt: skip
    return next((value for part, value in rules if part in name), f"shop-service-{short}")


def configured(project: Path) -> RepositoryState:
    """The fresh repository plus the variables and environments its workflows' headers name for
    its clouds, with plausible values: environment variables in each environment a header names,
    the others at repository level, and every switch a header says turns something on."""
    prefixes = tuple(f"{cloud.upper()}_" for cloud in clouds_of(project))
    read = {match for path in workflow_files(project) for match in _vars_read(path.read_text())}
    repository_vars: dict[str, str] = {}
    environments: dict[str, dict[str, str]] = {}
    for path in workflow_files(project):
        for item in needs_items(header(path)):
            names = set(VARIABLE.findall(item))
            names |= {f"{m['stem']}_{m['suffix']}" for m in SIBLING.finditer(item)}
            cloud_names = {name for name in names & read if name.startswith(prefixes or ("-",))}
            if not cloud_names:
                continue
            if where := ENVIRONMENTS.match(item):
                for environment in re.split(r", | and ", where["names"]):
                    values = environments.setdefault(environment, {})
                    values.update({name: plausible(name, environment) for name in cloud_names})
            elif item.startswith("variables"):
                repository_vars.update({name: plausible(name) for name in cloud_names})
                for switch in SWITCH.finditer(item):
                    if switch["on"] == "on":
                        repository_vars[switch["name"]] = switch["value"]
    return replace(
        fresh(project), name="configured", vars=repository_vars, environments=environments
    )


def _vars_read(text: str) -> set[str]:
    return set(re.findall(r"\bvars\.([A-Za-z_][\w-]*)", text))


def planning_outputs(project: Path) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    """workflow path -> job -> step -> outputs, for the steps that print a planning target's
    output to $GITHUB_OUTPUT, by running that target in the baked project."""
    found: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for path in workflow_files(project):
        workflow = load_yaml(path)
        for job_id, job in workflow.get("jobs", {}).items():
            for step in job.get("steps", []):
                match = MAKE_TO_OUTPUT.match(str(step.get("run", "")).strip())
                if "id" in step and match and match["target"] in PLANNING_TARGETS:
                    output = BakedProject(project).run(["make", "--silent", match["target"]])
                    pairs = dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
                    relative = str(path.relative_to(project))
                    found.setdefault(relative, {}).setdefault(job_id, {})[step["id"]] = pairs
    return found


def scenario_id(state: RepositoryState, event: Event) -> str:
    return f"{state.name}:{event.id}"


def simulate_project(
    project: Path, states: Sequence[RepositoryState], event_list: Sequence[Event] | None = None
) -> dict[tuple[str, str], SimulationResult]:
    """(state name, event id) -> what the event starts in the project's repository, in one node
    run for every state and event."""
    event_list = events(project.name) if event_list is None else event_list
    workflows = {
        str(path.relative_to(project)): path.read_text() for path in workflow_files(project)
    }
    outputs = planning_outputs(project)
    scenarios = [
        Scenario(
            id=scenario_id(state, event),
            event=event.name,
            ref=event.ref,
            payload=event.payload,
            actor=event.actor,
            owner=OWNER,
            repository=project.name,
            private=state.private,
            vars=state.vars,
            secrets=state.secrets,
            environments=state.environments,
            step_outputs=outputs,
        )
        for state in states
        for event in event_list
    ]
    files = sorted(next(iter(states)).files) if states else []
    results = simulate(workflows, files, scenarios)
    return {
        (state.name, event.id): results[scenario_id(state, event)]
        for state in states
        for event in event_list
    }


# --- the docs page's table -----------------------------------------------------------------


def _condition(reason: str) -> str:
    """A job's reason, without the `success() && (...)` GitHub adds to a bare `if:`."""
    if match := re.fullmatch(r"if: success\(\) && \((?P<inner>.*)\) is (?P<value>\w+)", reason):
        return f"`{match['inner']}` is {match['value']}"
    if match := re.fullmatch(r"if: (?P<inner>.*) is (?P<value>\w+)", reason):
        return f"`{match['inner']}` is {match['value']}"
    return reason


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _jobs_cell(jobs: Sequence[Job], running: bool) -> str:
    """Each job once (every combination of a matrix counted), with why it skips."""
    seen: dict[str, list[Job]] = {}
    for job in jobs:
        # A call that ran is its called jobs: list those alone.
        if job.runs == running and not (job.runs and job.uses):
            seen.setdefault(job.path, []).append(job)
    parts = []
    for path, combos in seen.items():
        count = f" ({len(combos)} runs)" if len(combos) > 1 else ""
        why = "" if running else f" ({_condition(combos[0].reason)})"
        parts.append(f"`{path}`{count}{why}")
    return _cell("; ".join(parts)) or "—"


def first_push_table(results: Mapping[str, SimulationResult], event_list: Sequence[Event]) -> str:
    """Markdown: for each event, the workflows it starts and their jobs that run and skip."""
    lines: list[str] = []
    for event in event_list:
        result = results[event.id]
        lines += [f"### {event.label}", ""]
        if not result.runs:
            lines += ["No workflow runs.", ""]
            continue
        lines += ["| Workflow | Runs | Skips |", "| --- | --- | --- |"]
        for run in result.runs:
            trigger = "" if run.trigger == event.name else f" ({run.trigger})"
            lines.append(
                f"| {_cell(run.name + trigger)} | {_jobs_cell(run.jobs, True)} "
                f"| {_jobs_cell(run.jobs, False)} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def fresh_table(project: Path) -> str:
    """The docs page's table for a baked project: what each event runs on a fresh repository."""
    state = fresh(project)
    event_list = events(project.name)
    results = simulate_project(project, [state], event_list)
    return first_push_table({event: result for (_, event), result in results.items()}, event_list)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.first_push", description=__doc__)
    parser.add_argument("command", choices=["table"])
    parser.add_argument("--cloud", choices=choices("cloud"), default=choices("cloud")[0])
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        # The post-generation hook prints its greeting to file descriptor 1: keep it off the
        # table, which goes to stdout.
        sys.stdout.flush()
        saved = os.dup(1)
        os.dup2(2, 1)
        try:
            project = bake(Path(scratch), {"cloud": arguments.cloud})
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        sys.stdout.write(fresh_table(project.path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
