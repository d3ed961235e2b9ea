"""GitHub's own workflow tooling, for the template's tests: its validator and a first-push
simulation built on its parser and expression evaluator (npm packages in tests/github_tooling/).

The node modules are installed on first use (`npm ci`, from the committed package-lock.json).
Without Node.js every caller fails with how to install it: workflow checks never skip silently.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOOLING = Path(__file__).resolve().parent / "github_tooling"
LOCKFILE = TOOLING / "package-lock.json"
MODULES = TOOLING / "node_modules"
# Written after a successful `npm ci`: the lock file it installed (a changed lock reinstalls).
STAMP = MODULES / ".installed-from-lock-sha256"
NODE_MISSING = (
    "Node.js 20 or newer (with npm) is needed to check the workflows with GitHub's own tooling "
    "(tests/github_tooling/). Install it: `apt-get install nodejs npm` (Debian/Ubuntu), "
    "`brew install node` (macOS) or https://nodejs.org/en/download."
)
TIMEOUT = 300


class ToolingError(RuntimeError):
    """Node.js is missing, `npm ci` failed, or a script failed."""


def _executable(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolingError(NODE_MISSING)
    return found


def _lock_digest() -> str:
    return hashlib.sha256(LOCKFILE.read_bytes()).hexdigest()


def ensure_installed() -> None:
    """`npm ci` into tests/github_tooling/ unless node_modules matches package-lock.json."""
    _executable("node")
    digest = _lock_digest()
    if STAMP.is_file() and STAMP.read_text() == digest:
        return
    # Parallel test workers install once: the first takes the lock, the others wait and then
    # find the stamp. The lock is on package-lock.json itself, which `npm ci` never replaces
    # (a lock file inside node_modules would be deleted by it while held).
    with LOCKFILE.open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if STAMP.is_file() and STAMP.read_text() == digest:
            return
        result = _run([_executable("npm"), "ci", "--no-audit", "--no-fund"])
        if result.returncode:
            raise ToolingError(f"`npm ci` failed in {TOOLING}:\n{result.stdout}{result.stderr}")
        STAMP.write_text(digest)


def _run(command: Sequence[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """A command in the tooling folder, its output captured, bounded by TIMEOUT."""
    return subprocess.run(
        command,
        cwd=TOOLING,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def run_script(script: str, arguments: Sequence[str] = (), stdin: str = "") -> Any:
    """Run one of the folder's scripts with the JSON module hook; return its JSON output."""
    ensure_installed()
    result = _run(
        [_executable("node"), "--import", "./register-json-hooks.mjs", script, *arguments], stdin
    )
    if result.returncode:
        raise ToolingError(f"`node {script}` failed:\n{result.stderr}")
    return json.loads(result.stdout)


# --- validation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Diagnostic:
    line: int
    column: int
    message: str
    severity: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message}"


def validate(paths: Sequence[Path]) -> dict[Path, list[Diagnostic]]:
    """GitHub's language service on workflow and action files, every file in one node run."""
    if not paths:
        return {}
    report = run_script("validate.mjs", [str(path.resolve()) for path in paths])
    return {path: [Diagnostic(**item) for item in report[str(path.resolve())]] for path in paths}


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
    output = run_script("simulate.mjs", stdin=json.dumps(request))
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
