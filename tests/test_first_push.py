"""The generated project's first push, simulated with GitHub's own parser and expression
evaluator (tests/first_push.py): on a fresh repository nothing that runs needs what the
repository lacks, and on one configured for its clouds the deploy runs end to end."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from tests.actions_tooling import Job, Readings, Scenario, SimulationResult, Step, simulate
from tests.baking import CLOUD_ANSWERS, TEMPLATE, answer_id, choices
from tests.conftest import Bake
from tests.first_push import (
    Event,
    RepositoryState,
    clouds_of,
    configured,
    events,
    first_push_table,
    fresh,
    simulate_project,
)
from tests.hooks import CLOUD_STACKS, cloud_stacks

FRESH_STATES = ("fresh", "fresh-private")
EVENT_IDS = [event.id for event in events("shop-service")]
DEPLOY_EVENTS = ("workflow_run", "workflow_dispatch")
# The deploy workflows' job that only says what to configure, while the cloud is not switched on.
NOT_CONFIGURED = "not-configured"
# Reads that may be empty: the step works without them.
OPTIONAL_READS = {
    "vars.REPORT_PAGES_URL": "the dashboard defaults to the repository's GitHub Pages address",
    "secrets.CODECOV_TOKEN": "public repositories upload tokenless; uploads never fail CI",
}
# A status function in a step's `if:` that runs it only when something failed or was cancelled.
ON_FAILURE = re.compile(r"\b(failure|cancelled)\(\)")


def _cloud(answers: dict[str, str]) -> str:
    return answers.get("cloud", choices("cloud")[0])


def _param(answers: dict[str, str], *rest: str) -> object:
    test_id = "-".join([f"cloud={_cloud(answers)}", *rest])
    return pytest.param(
        answers, *rest, id=test_id, marks=pytest.mark.xdist_group(answer_id(answers))
    )


# --- what a step needs -----------------------------------------------------------------------


@dataclass(frozen=True)
class At:
    """Where a need is checked: a running step (or the job itself) on a repository state."""

    state: RepositoryState
    job: Job
    step: Step


@dataclass(frozen=True)
class Need:
    """Something a job or step needs from the repository beyond its files.

    kind "cloud": configuring the clouds provides it (variables, environments); "repository":
    a setting or file of its own (Pages, `.cruft.json`, code scanning, a branch).
    """

    kind: str
    applies: Callable[[At], bool]
    provided: Callable[[At], bool]
    what: Callable[[At], str]


def _required(names: tuple[str, ...], context: str) -> list[str]:
    return [f"{context}.{name}" for name in names if f"{context}.{name}" not in OPTIONAL_READS]


def _unset(at: At) -> list[str]:
    reads = at.step.reads
    return _required(reads.unset_vars, "vars") + _required(reads.unset_secrets, "secrets")


def _uploads_sarif(at: At) -> bool:
    if at.step.action == "github/codeql-action/analyze":
        return at.step.inputs.get("upload", "always") not in {"false", "never"}
    return at.step.action == "github/codeql-action/upload-sarif"


def _benchmark_branch(at: At) -> str | None:
    """The branch github-action-benchmark pushes to (and fetches first), when it pushes."""
    if at.step.action != "benchmark-action/github-action-benchmark":
        return None
    if at.step.inputs.get("auto-push") != "true":
        return None
    return at.step.inputs.get("gh-pages-branch") or "gh-pages"


JOB_ITSELF = "(the job)"
TEMPLATE_DRIFT = re.compile(r"\bmake\b[^\n]*\btemplate-drift\b")
NEEDS: tuple[Need, ...] = (
    # A job's own `env:` and a step's `with:`, `env:` and `run:` reading a variable or secret
    # the run does not have (OPTIONAL_READS aside): vars.AWS_DEPLOY_ROLE_ARN, say.
    Need(
        "cloud",
        applies=lambda at: bool(_unset(at)),
        provided=lambda at: not _unset(at),
        what=lambda at: ", ".join(_unset(at)) + " (unset or empty)",
    ),
    # `environment: staging` on a repository without it: GitHub creates it on the fly, without
    # its protection rules (production's required reviewers) and without its variables.
    Need(
        "cloud",
        applies=lambda at: (
            at.step.name == JOB_ITSELF and at.job.environment not in {None, "github-pages"}
        ),
        provided=lambda at: at.job.environment in at.state.environments,
        what=lambda at: f"the environment `{at.job.environment}`",
    ),
    Need(
        "repository",
        applies=lambda at: at.step.action == "actions/deploy-pages",
        provided=lambda at: at.state.pages,
        what=lambda _: "GitHub Pages (Settings > Pages > Source: GitHub Actions)",
    ),
    Need(
        "repository",
        applies=lambda at: bool(TEMPLATE_DRIFT.search(at.step.run or "")),
        provided=lambda at: ".cruft.json" in at.state.files,
        what=lambda _: "`.cruft.json` (cruft check compares the project with its template)",
    ),
    Need(
        "repository",
        applies=_uploads_sarif,
        provided=lambda at: at.state.code_scanning,
        what=lambda _: (
            "code scanning, which a private repository has only with GitHub "
            "Advanced Security (the SARIF upload fails)"
        ),
    ),
    Need(
        "repository",
        applies=lambda at: _benchmark_branch(at) is not None,
        provided=lambda at: _benchmark_branch(at) in at.state.branches,
        what=lambda at: f"the branch `{_benchmark_branch(at)}` (auto-push fetches it first)",
    ),
)


def _job_itself(job: Job) -> Step:
    """The job's own reads (its `env:`) and environment, checked like a step's."""
    return Step("", JOB_ITSELF, None, None, True, "", {}, {}, {}, job.reads)


def lacks(result: SimulationResult, state: RepositoryState, kinds: set[str]) -> list[str]:
    """`workflow (trigger) / job / step: lacks ...` for each need a running step lacks."""
    found = []
    for run in result.runs:
        for job in run.jobs:
            if not job.runs or job.uses:
                continue
            for step in [_job_itself(job), *job.steps]:
                at = At(state, job, step)
                for need in NEEDS:
                    if (
                        step.runs
                        and need.kind in kinds
                        and need.applies(at)
                        and not need.provided(at)
                    ):
                        found.append(
                            f"{run.workflow} ({run.trigger}) / {job.key} / {step.name}: "
                            f"lacks {need.what(at)}"
                        )
    return found


# --- the simulation of each bake, once per worker ---------------------------------------------


@dataclass(frozen=True)
class FirstPush:
    project: Path
    states: dict[str, RepositoryState]
    results: dict[tuple[str, str], SimulationResult]


@pytest.fixture(scope="session")
def first_push(baked: Bake) -> Callable[[dict[str, str]], FirstPush]:
    """Every event on every state of a bake, in one node run per bake."""
    cache: dict[str, FirstPush] = {}

    def get(answers: dict[str, str]) -> FirstPush:
        key = answer_id(answers)
        if key not in cache:
            project = baked(answers).path
            states = [fresh(project), fresh(project, private=True), configured(project)]
            cache[key] = FirstPush(
                project,
                {state.name: state for state in states},
                simulate_project(project, states),
            )
        return cache[key]

    return get


FRESH_CASES = [
    _param(answers, f"state={state}", f"event={event}")
    for answers in CLOUD_ANSWERS
    for state in FRESH_STATES
    for event in EVENT_IDS
]


@pytest.mark.parametrize(("answers", "state", "event"), FRESH_CASES)
def test_nothing_that_runs_on_a_fresh_repository_lacks_anything(
    first_push: Callable[[dict[str, str]], FirstPush],
    answers: dict[str, str],
    state: str,
    event: str,
) -> None:
    simulated = first_push(answers)
    name, event_id = state.removeprefix("state="), event.removeprefix("event=")
    found = lacks(
        simulated.results[name, event_id], simulated.states[name], {"cloud", "repository"}
    )
    assert not found, "On a fresh repository these steps run without what they need:\n" + "\n".join(
        found
    )


CONFIGURED_CASES = [
    _param(answers, f"event={event}") for answers in CLOUD_ANSWERS for event in EVENT_IDS
]


@pytest.mark.parametrize(("answers", "event"), CONFIGURED_CASES)
def test_configured_repository_has_every_variable_and_environment_that_runs_need(
    first_push: Callable[[dict[str, str]], FirstPush], answers: dict[str, str], event: str
) -> None:
    """The headers name everything the clouds' jobs read: configured as they say, nothing is
    missing (Pages, cruft and code scanning are the fresh-repository test's)."""
    simulated = first_push(answers)
    found = lacks(
        simulated.results["configured", event.removeprefix("event=")],
        simulated.states["configured"],
        {"cloud"},
    )
    assert not found, "Configured as the workflows' headers say, these steps still lack:\n" + (
        "\n".join(found)
    )


DEPLOY_CASES = [
    _param(answers, f"event={event}")
    for answers in CLOUD_ANSWERS
    if _cloud(answers) != "none"
    for event in DEPLOY_EVENTS
]


@pytest.mark.parametrize(("answers", "event"), DEPLOY_CASES)
def test_configured_deploy_runs_end_to_end(
    first_push: Callable[[dict[str, str]], FirstPush], answers: dict[str, str], event: str
) -> None:
    simulated = first_push(answers)
    result = simulated.results["configured", event.removeprefix("event=")]
    deploys = {run.workflow: run for run in result.runs if "/deploy-" in run.workflow}
    expected = {f".github/workflows/deploy-{cloud}.yml" for cloud in clouds_of(simulated.project)}
    assert set(deploys) == expected, f"deploy workflows started: {sorted(deploys)}"
    problems = []
    for run in deploys.values():
        for job in run.jobs:
            if job.key == NOT_CONFIGURED:
                if job.runs:
                    problems.append(f"{run.workflow} / {job.key} runs on a configured repository")
            elif not job.runs:
                problems.append(f"{run.workflow} / {job.key} skips: {job.reason}")
            problems += [
                f"{run.workflow} / {job.key} / {step.name} skips: {step.reason}"
                for step in job.steps
                if not step.runs and not ON_FAILURE.search(step.reason)
            ]
        environments = {job.environment for job in run.jobs if job.environment}
        assert {"staging", "production"} <= environments, f"{run.workflow}: {environments}"
    deploy_only = replace(result, runs=tuple(deploys.values()))
    problems += lacks(deploy_only, simulated.states["configured"], {"cloud", "repository"})
    assert not problems, "The configured deploy does not run end to end:\n" + "\n".join(problems)


@pytest.mark.parametrize(("answers", "event"), DEPLOY_CASES)
def test_a_fresh_repository_is_told_what_to_configure_instead_of_deploying(
    first_push: Callable[[dict[str, str]], FirstPush], answers: dict[str, str], event: str
) -> None:
    result = first_push(answers).results["fresh", event.removeprefix("event=")]
    for run in result.runs:
        if "/deploy-" not in run.workflow:
            continue
        running = [job.key for job in run.jobs if job.runs]
        assert running == [NOT_CONFIGURED], f"{run.workflow} runs {running} on a fresh repository"
        (notice,) = [job for job in run.jobs if job.key == NOT_CONFIGURED]
        assert any("GITHUB_STEP_SUMMARY" in (step.run or "") for step in notice.steps)


def _fresh(simulated: FirstPush) -> tuple[list[Event], dict[str, SimulationResult]]:
    """The bake's events and what each runs on a fresh repository, as the docs table shows."""
    event_list = events(simulated.project.name)
    return event_list, {event.id: simulated.results["fresh", event.id] for event in event_list}


PER_CLOUD = [
    pytest.param(a, id=f"cloud={_cloud(a)}", marks=pytest.mark.xdist_group(answer_id(a)))
    for a in CLOUD_ANSWERS
]


@pytest.mark.parametrize("answers", PER_CLOUD)
def test_configured_state_comes_from_the_headers(
    first_push: Callable[[dict[str, str]], FirstPush], answers: dict[str, str]
) -> None:
    """The configured repository sets each chosen cloud's variables and environments (so the
    tests above test something), and nothing for a cloud not chosen."""
    state = first_push(answers).states["configured"]
    names = set(state.vars) | {name for env in state.environments.values() for name in env}
    for stack in CLOUD_STACKS:
        has = any(name.startswith(f"{stack.upper()}_") for name in names)
        assert has == (stack in cloud_stacks(_cloud(answers))), (stack, sorted(names))
    if _cloud(answers) != "none":
        assert {"staging", "production"} <= set(state.environments)


@pytest.mark.parametrize("answers", PER_CLOUD)
def test_first_push_table_lists_every_workflow_each_event_starts(
    first_push: Callable[[dict[str, str]], FirstPush], answers: dict[str, str]
) -> None:
    event_list, results = _fresh(first_push(answers))
    table = first_push_table(results, event_list)
    for event in event_list:
        section = table.split(f"### {event.label}\n", 1)[1].split("\n### ", 1)[0]
        for run in results[event.id].runs:
            assert f"| {run.name}" in section, (event.id, run.name)


FIRST_PUSH_PAGE = TEMPLATE / "docs" / "first-push.md"
GENERATED_MARK = "<!-- first-push table: generated by `python -m tests.first_push table` -->\n\n"


def test_the_first_push_page_shows_what_the_simulation_finds(
    first_push: Callable[[dict[str, str]], FirstPush],
) -> None:
    event_list, results = _fresh(first_push({}))
    page = FIRST_PUSH_PAGE.read_text()
    assert page.split(GENERATED_MARK, 1)[1] == first_push_table(results, event_list), (
        "docs/first-push.md is out of date: uv run python -m tests.first_push table"
    )


# --- the simulator itself, on small workflows: it can tell runs from skips --------------------

REUSABLE = """
on:
  workflow_call:
    inputs:
      target: {type: string, required: true}
      deploy: {type: boolean, default: false}
jobs:
  inner:
    if: inputs.deploy
    runs-on: ubuntu-24.04
    environment: ${{ inputs.target }}
    steps:
      - run: make deploy TARGET=${{ inputs.target }}
        env:
          ROLE: ${{ vars.ROLE }}
"""
CALLER = """
name: Caller
on:
  push:
    branches: [main]
  pull_request:
jobs:
  gate:
    runs-on: ubuntu-24.04
    if: vars.ENABLED == 'true'
    steps:
      - run: echo gate
  after-gate:
    needs: gate
    runs-on: ubuntu-24.04
    steps:
      - run: echo after
  always:
    needs: gate
    if: always()
    runs-on: ubuntu-24.04
    steps:
      - if: hashFiles('.cruft.json') != ''
        run: make template-drift
      - if: vars.FLAG != ''
        run: echo token
  call:
    strategy:
      matrix:
        target: [staging, production]
    uses: ./.github/workflows/reusable.yml
    with:
      target: ${{ matrix.target }}
      deploy: ${{ github.event_name == 'push' }}
"""


FORK_PULL_REQUEST = {
    "action": "opened",
    "pull_request": {"head": {"repo": {"full_name": "fork/r"}}, "base": {"ref": "main"}},
}
TOY_SCENARIOS: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    "push": ("push", "refs/heads/main", {}, {"vars": {"ROLE": "arn"}}),
    "bare push": ("push", "refs/heads/main", {}, {}),
    "push, staging configured": ("push", "refs/heads/main", {},
                                 {"environments": {"staging": {"ROLE": "arn"}}}),
    "fork": ("pull_request", "refs/pull/1/merge", FORK_PULL_REQUEST, {"vars": {"ENABLED": "true"}}),
    "feature push": ("push", "refs/heads/feature", {}, {}),
    "release": ("release", "refs/tags/v1", {"action": "published"}, {}),
}  # fmt: skip


@pytest.fixture(scope="module")
def toy() -> dict[str, SimulationResult]:
    """Each of TOY_SCENARIOS on the small workflows above, in one node run."""
    scenarios = [
        Scenario(id=name, event=event, ref=ref, payload=payload, actor="jane", owner="o",
                 repository="r", **state)
        for name, (event, ref, payload, state) in TOY_SCENARIOS.items()
    ]  # fmt: skip
    workflows = {".github/workflows/caller.yml": CALLER, ".github/workflows/reusable.yml": REUSABLE}
    return simulate(workflows, ["README.md"], scenarios)


def _jobs(result: SimulationResult) -> dict[str, Job]:
    return {job.key: job for run in result.runs for job in run.jobs}


def test_simulator_follows_needs_conditions_and_reusable_workflows(
    toy: dict[str, SimulationResult],
) -> None:
    jobs = _jobs(toy["push"])
    assert not jobs["gate"].runs
    assert not jobs["after-gate"].runs
    assert jobs["after-gate"].reason == "needs gate (skipped)"
    assert jobs["always"].runs
    assert [step.runs for step in jobs["always"].steps] == [False, False]
    inner = jobs["call (staging) / inner"]
    assert inner.runs
    assert inner.environment == "staging"
    assert inner.steps[0].run == "make deploy TARGET=staging"
    assert inner.steps[0].reads == Readings(("ROLE",), (), (), ())
    assert jobs["call (production) / inner"].environment == "production"


def test_simulator_gives_a_fork_no_variables_and_reads_environment_variables(
    toy: dict[str, SimulationResult],
) -> None:
    jobs = _jobs(toy["fork"])
    assert not jobs["gate"].runs, "a fork's pull request must not see the variables"
    assert not jobs["call (staging) / inner"].runs  # deploy is false on a pull request
    jobs = _jobs(toy["push, staging configured"])
    assert jobs["call (staging) / inner"].steps[0].reads.unset_vars == ()
    assert jobs["call (production) / inner"].steps[0].reads.unset_vars == ("ROLE",)


def test_simulator_applies_on_filters(toy: dict[str, SimulationResult]) -> None:
    assert not toy["feature push"].runs
    assert toy["feature push"].not_triggered[0].reason == "no branch matches branches"
    assert not toy["release"].runs


def test_lacks_reports_workflow_job_step_and_what(toy: dict[str, SimulationResult]) -> None:
    state = RepositoryState("fresh", frozenset())
    assert lacks(toy["bare push"], state, {"cloud", "repository"}) == [
        ".github/workflows/caller.yml (push) / call (staging) / inner / (the job): lacks the "
        "environment `staging`",
        ".github/workflows/caller.yml (push) / call (staging) / inner / Run make deploy "
        "TARGET=staging: lacks vars.ROLE (unset or empty)",
        ".github/workflows/caller.yml (push) / call (production) / inner / (the job): lacks the "
        "environment `production`",
        ".github/workflows/caller.yml (push) / call (production) / inner / Run make deploy "
        "TARGET=production: lacks vars.ROLE (unset or empty)",
    ]


def test_events_cover_the_issue_list() -> None:
    assert EVENT_IDS == [
        "push",
        "pull_request",
        "pull_request_fork",
        "dependabot",
        "merge_group",
        "schedule",
        "workflow_dispatch",
        "release",
        "workflow_run",
    ]
    assert all(isinstance(event, Event) for event in events("x"))
