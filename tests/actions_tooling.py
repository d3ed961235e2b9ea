"""GitHub's own workflow tooling, for the template's tests: the generated project's workflow
linters (tools/workflow-lint/: GitHub's validator and actionlint's WebAssembly build) and a
first-push simulation built on GitHub's parser and expression evaluator
(tests/github_tooling/simulate.mjs, which shares the generated project's JSON module hook).

The node modules are installed on first use (`npm ci`, from the committed package-lock.json).
Without Node.js every caller fails with how to install it: workflow checks never skip silently.
"""

from __future__ import annotations

import fcntl
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.baking import run

SIMULATOR = Path(__file__).resolve().parent / "github_tooling"
# The generated project's workflow linters. Installing them in the template would make every bake
# copy node_modules, so the tests run an installed copy (git-ignored), brought up to date on use.
WORKFLOW_LINT = (
    SIMULATOR.parent.parent / "{{cookiecutter.project_slug}}" / "tools" / "workflow-lint"
)
WORKFLOW_LINT_COPY = SIMULATOR / "workflow-lint"
JSON_HOOK = WORKFLOW_LINT / "register-json-hooks.mjs"
ACTIONLINT = Path("node_modules", "@tktco", "node-actionlint", "bin", "node-actionlint.js")
# Written after a successful `npm ci`: a copy of the lock file it installed (a changed lock
# reinstalls), as the generated project's tools/workflow-lint/lint.sh writes it too.
STAMP = Path("node_modules", ".installed-package-lock.json")
NODE_MISSING = (
    "Node.js 20 or newer (with npm) is needed to check the workflows with GitHub's own tooling "
    "and actionlint. Install it: https://nodejs.org/en/download, `brew install node` (macOS) "
    "or your package manager's nodejs and npm (`apt-get install nodejs npm` on Debian/Ubuntu)."
)
TIMEOUT = 300


class ToolingError(RuntimeError):
    """Node.js is missing, `npm ci` failed, or a script failed."""


def _executable(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolingError(NODE_MISSING)
    return found


def _installed(folder: Path) -> bool:
    stamp = folder / STAMP
    return stamp.is_file() and stamp.read_bytes() == (folder / "package-lock.json").read_bytes()


def _install(folder: Path) -> None:
    if not _installed(folder):
        npm_ci = [_executable("npm"), "ci", "--no-audit", "--no-fund"]
        result = run(npm_ci, folder, stdin="", timeout=TIMEOUT)
        if result.returncode:
            raise ToolingError(f"`npm ci` failed in {folder}:\n{result.stdout}{result.stderr}")
        (folder / STAMP).write_bytes((folder / "package-lock.json").read_bytes())


def ensure_installed(folder: Path = SIMULATOR) -> None:
    """`npm ci` into `folder` unless its node_modules matches its package-lock.json."""
    _executable("node")
    if _installed(folder):
        return
    # Parallel test workers install once: the first takes the lock, the others wait and then
    # find the stamp. The lock is on package-lock.json itself, which `npm ci` never replaces
    # (a lock file inside node_modules would be deleted by it while held).
    with (folder / "package-lock.json").open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _install(folder)


def workflow_lint() -> Path:
    """The installed copy of the generated project's tools/workflow-lint/, up to date."""
    _executable("node")
    # Under a lock on the template's package-lock.json (never written here): parallel workers
    # neither copy over each other nor read a half-written file.
    with (WORKFLOW_LINT / "package-lock.json").open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        WORKFLOW_LINT_COPY.mkdir(exist_ok=True)
        for source in WORKFLOW_LINT.iterdir():
            copy = WORKFLOW_LINT_COPY / source.name
            if source.is_file() and (
                not copy.is_file() or copy.read_bytes() != source.read_bytes()
            ):
                shutil.copy2(source, copy)
        _install(WORKFLOW_LINT_COPY)
    return WORKFLOW_LINT_COPY


def run_script(script: Path, arguments: Sequence[str] = (), stdin: str = "") -> Any:
    """Run a script of an installed folder with the JSON module hook; return its JSON output."""
    result = run(
        [_executable("node"), "--import", JSON_HOOK, script, *arguments],
        script.parent,
        stdin=stdin,
        timeout=TIMEOUT,
    )
    if result.returncode:
        raise ToolingError(f"`node {script.name}` failed:\n{result.stderr}")
    return json.loads(result.stdout)


# --- the generated project's workflow linters ----------------------------------------------


@dataclass(frozen=True)
class Diagnostic:
    line: int
    column: int
    message: str
    severity: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message}"


def validate(paths: Sequence[Path]) -> dict[Path, list[Diagnostic]]:
    """GitHub's language service, as generated projects run it, on workflow and action files,
    every file in one node run."""
    if not paths:
        return {}
    script = workflow_lint() / "validate.mjs"
    report = run_script(script, ["--json", *(str(path.resolve()) for path in paths)])
    return {path: [Diagnostic(**item) for item in report[str(path.resolve())]] for path in paths}


@dataclass(frozen=True)
class ActionlintRun:
    checked: int  # the workflow files it read
    passed: bool
    output: str  # its report of the findings


def actionlint(repository: Path) -> ActionlintRun:
    """actionlint's WebAssembly build, as generated projects run it, over the workflows of
    `repository`."""
    linter = workflow_lint() / ACTIONLINT
    result = run([_executable("node"), linter], repository, stdin="", timeout=TIMEOUT)
    output = result.output
    checked = re.search(r"^Checking (\d+) workflow file\(s\)\.\.\.$", result.stdout, re.MULTILINE)
    if checked is None or result.returncode not in (0, 1):
        raise ToolingError(f"actionlint failed in {repository}:\n{output}")
    return ActionlintRun(int(checked[1]), result.returncode == 0, output)


# --- first-push simulation -----------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One event on one repository state, as GitHub would deliver it."""

    id: str
    event: str
    ref: str
    payload: Mapping[str, Any]
    actor: str
    owner: str
    repository: str
    private: bool = False
    default_branch: str = "main"
    vars: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    dependabot_secrets: Mapping[str, str] = field(default_factory=dict)
    # environment name -> its variables
    environments: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # None: every `paths:` filter matches
    changed_files: Sequence[str] | None = None
    # workflow path -> job id -> step id -> what the step writes to $GITHUB_OUTPUT
    step_outputs: Mapping[str, Mapping[str, Mapping[str, Mapping[str, str]]]] = field(
        default_factory=dict
    )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.event,
            "ref": self.ref,
            "payload": self.payload,
            "actor": self.actor,
            "repository": {
                "owner": self.owner,
                "name": self.repository,
                "private": self.private,
                "default_branch": self.default_branch,
            },
            "vars": self.vars,
            "secrets": self.secrets,
            "dependabot_secrets": self.dependabot_secrets,
            "environments": {name: {"vars": v} for name, v in self.environments.items()},
            "changed_files": self.changed_files,
            "step_outputs": self.step_outputs,
        }


@dataclass(frozen=True)
class Readings:
    """The `vars.*` and `secrets.*` a job or step reads, and those the run did not have."""

    vars: tuple[str, ...]
    secrets: tuple[str, ...]
    unset_vars: tuple[str, ...]
    unset_secrets: tuple[str, ...]

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Readings:
        references, unset = item["references"], item["unset"]
        return cls(
            tuple(references["vars"]),
            tuple(references["secrets"]),
            tuple(unset["vars"]),
            tuple(unset["secrets"]),
        )


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    uses: str | None
    run: str | None
    runs: bool
    reason: str
    # inputs, evaluated (`with:`), and as written
    inputs: Mapping[str, str]
    input_sources: Mapping[str, str]
    env: Mapping[str, str]
    reads: Readings

    @property
    def action(self) -> str:
        """`owner/repo[/path]` without the ref; '' for a `run:` step."""
        return (self.uses or "").split("@", 1)[0]


@dataclass(frozen=True)
class Job:
    workflow: str  # the file that defines the job
    job: str
    key: str  # `caller (matrix values) / job (matrix values)`, as GitHub names it
    caller: str | None
    name: str
    matrix: Mapping[str, Any] | None
    runs: bool
    result: str
    reason: str
    environment: str | None
    uses: str | None  # the workflow a calling job calls
    env: Mapping[str, Any]
    reads: Readings
    steps: tuple[Step, ...]

    @property
    def path(self) -> str:
        """The key without matrix values: every combination of a matrix job shares it."""
        parts = [part.split(" (", 1)[0] for part in self.key.split(" / ")]
        return " / ".join(parts)


@dataclass(frozen=True)
class WorkflowRun:
    workflow: str
    name: str
    trigger: str
    jobs: tuple[Job, ...]


@dataclass(frozen=True)
class NotTriggered:
    workflow: str
    name: str
    reason: str


@dataclass(frozen=True)
class SimulationResult:
    id: str
    runs: tuple[WorkflowRun, ...]
    not_triggered: tuple[NotTriggered, ...]


def _step(item: Mapping[str, Any]) -> Step:
    return Step(
        id=item["id"],
        name=item["name"],
        uses=item["uses"],
        run=item["run"],
        runs=item["runs"],
        reason=item["reason"],
        inputs=item["with"],
        input_sources=item["with_sources"],
        env=item["env"],
        reads=Readings.from_json(item),
    )


def _job(item: Mapping[str, Any]) -> Job:
    return Job(
        workflow=item["workflow"],
        job=item["job"],
        key=item["key"],
        caller=item["caller"],
        name=item["name"],
        matrix=item["matrix"],
        runs=item["runs"],
        result=item["result"],
        reason=item["reason"],
        environment=item["environment"],
        uses=item["uses"],
        env=item["env"],
        reads=Readings.from_json(item),
        steps=tuple(_step(step) for step in item["steps"]),
    )


def simulate(
    workflows: Mapping[str, str], files: Sequence[str], scenarios: Sequence[Scenario]
) -> dict[str, SimulationResult]:
    """Scenario id -> the workflow runs its event starts, in one node run for all scenarios.

    `workflows`: path in the repository (`.github/workflows/ci.yml`) -> text; `files`: the
    repository's files, for `hashFiles()`.
    """
    request = {
        "workflows": dict(workflows),
        "files": list(files),
        "scenarios": [scenario.to_json() for scenario in scenarios],
    }
    ensure_installed(SIMULATOR)
    output = run_script(SIMULATOR / "simulate.mjs", stdin=json.dumps(request))
    results: dict[str, SimulationResult] = {}
    for result in output["results"]:
        results[result["id"]] = SimulationResult(
            id=result["id"],
            runs=tuple(
                WorkflowRun(
                    workflow=run["workflow"],
                    name=run["name"],
                    trigger=run["trigger"],
                    jobs=tuple(_job(job) for job in run["jobs"]),
                )
                for run in result["runs"]
            ),
            not_triggered=tuple(NotTriggered(**item) for item in result["not_triggered"]),
        )
    return results
