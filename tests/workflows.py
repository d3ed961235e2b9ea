"""Read the generated project's GitHub workflows, pre-commit hooks and Makefile for the tests.

Workflows may only call `make` targets; these helpers find every target they call (resolving
`make "test-${LAYER}"` through the step's env, the job's matrix and the callers of a reusable
workflow), the verified action pins the workflows must use, and the Makefile's rules.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.baking import TEMPLATE

# The team's verified action pins, kept beside the repository (CI clones it next to `shared/`).
PINS_FILE = TEMPLATE.parent / "shared" / "actions-pins.md"
PIN_ROW = re.compile(
    r"^\| (?P<action>[\w.-]+/[\w.-]+)[^|]*\| `(?P<tag>[^`]+)` \| `(?P<sha>[0-9a-f]{40})` \|"
)
USES = re.compile(r"^(?P<action>[^@\s]+)@(?P<ref>\S+)(?:\s+#\s*(?P<comment>\S+))?$")
EXPRESSION = re.compile(r"^\$\{\{\s*(?P<context>matrix|inputs)\.(?P<key>[\w-]+)\s*\}\}$")
SHELL_VARIABLE = re.compile(r"\$\{(\w+)\}")
# make options whose value is the next word (a folder or a file, not a target).
OPTIONS_WITH_VALUE = {"-C", "--directory", "-f", "--file", "-I", "--include-dir"}
COMMAND_END = {"|", "||", "&&", ";", ">", ">>", "2>&1"}
# A make command written as an argument list in a template test: ["make", "target", ...].
MAKE_CALL = re.compile(r'\[\s*"make",((?:\s*"[\w-]+",?)+)')
MAKE_RULE = re.compile(r"^(?P<targets>[a-z][\w -]*?):(?!=)(?P<prerequisites>[^#=]*)(?:##.*)?$")


@dataclass(frozen=True)
class Pin:
    sha: str
    tag: str


def verified_pins(text: str) -> dict[str, Pin]:
    """`owner/repo` -> pin, from the "Verified pin table" section of actions-pins.md."""
    section = text.split("## Verified pin table", 1)[1].split("\n## ", 1)[0]
    pins: dict[str, Pin] = {}
    for line in section.splitlines():
        if match := PIN_ROW.match(line):
            pins[match["action"]] = Pin(match["sha"], match["tag"])
    return pins


def load_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def triggers(workflow: Mapping[str, Any]) -> set[str]:
    """The events of a workflow's `on:` (PyYAML follows YAML 1.1 and reads that key as True)."""
    events = next(value for key, value in workflow.items() if key is True)  # type: ignore[comparison-overlap]
    return {events} if isinstance(events, str) else set(events)


def workflow_files(project: Path) -> list[Path]:
    return sorted((project / ".github" / "workflows").glob("*.yml"))


def action_files(project: Path) -> list[Path]:
    return sorted((project / ".github" / "actions").glob("*/action.yml"))


def uses_references(project: Path) -> Iterator[tuple[Path, str]]:
    """Every `uses:` of every workflow job and step and of the composite actions, as written."""
    for path in [*workflow_files(project), *action_files(project)]:
        for line in path.read_text().splitlines():
            stripped = line.strip().removeprefix("- ")
            if stripped.startswith("uses:"):
                yield path, stripped.removeprefix("uses:").strip()


def parse_uses(reference: str) -> tuple[str, str, str | None] | None:
    """(owner/repo, ref, version comment) of a remote action; None for a local `./` one."""
    if reference.startswith("./"):
        return None
    match = USES.match(reference)
    assert match, f"cannot read `uses: {reference}`"
    owner_repo = "/".join(match["action"].split("/")[:2])
    return owner_repo, match["ref"], match["comment"]


def make_targets_in(command: str) -> Iterator[str]:
    """The targets of every `make` invocation in a shell command (options and VAR=value skipped)."""
    for line in command.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        for start, word in enumerate(words):
            if word != "make":
                continue
            arguments = iter(words[start + 1 :])
            for argument in arguments:
                if argument in COMMAND_END:
                    break
                if argument in OPTIONS_WITH_VALUE:
                    next(arguments, None)  # `make -C base bench`: "base" is a folder
                elif not argument.startswith("-") and "=" not in argument:
                    yield argument


def _matrix_values(job: Mapping[str, Any], key: str) -> list[str]:
    matrix = job.get("strategy", {}).get("matrix", {})
    values = matrix.get(key, [])
    listed = [str(value) for value in values] if isinstance(values, list) else []
    return listed + [str(entry[key]) for entry in matrix.get("include", []) if key in entry]


def _callers(workflows: Mapping[str, dict[str, Any]], name: str) -> Iterator[dict[str, Any]]:
    for workflow in workflows.values():
        for job in workflow.get("jobs", {}).values():
            if job.get("uses") == f"./.github/workflows/{name}":
                yield job


def _resolve(
    value: str, job: Mapping[str, Any], file: str, workflows: Mapping[str, dict[str, Any]]
) -> list[str]:
    """The values an expression such as `${{ matrix.layer }}` can take; plain text is itself."""
    match = EXPRESSION.match(value.strip())
    if not match:
        return [value]
    if match["context"] == "matrix":
        return _matrix_values(job, match["key"])
    return [
        resolved
        for caller in _callers(workflows, file)
        for resolved in _resolve(str(caller["with"][match["key"]]), caller, file, workflows)
    ]


def _expand(target: str, resolve: Callable[[str], list[str]]) -> list[str]:
    """`test-${LAYER}` -> one target per value the variable can take."""
    variable = SHELL_VARIABLE.search(target)
    if not variable:
        return [target]
    return [
        expanded
        for value in resolve(variable[1])
        for expanded in _expand(target.replace(variable[0], value, 1), resolve)
    ]


def _step_variables(
    env: Mapping[str, Any], job: Mapping[str, Any], file: str, workflows: Mapping[str, Any]
) -> Callable[[str], list[str]]:
    """The values a shell variable of a step can take, through its `env:` expressions."""

    def resolve(variable: str) -> list[str]:
        assert variable in env, f"{file}: ${{{variable}}} is not set by the step's env"
        return _resolve(str(env[variable]), job, file, workflows)

    return resolve


def workflow_make_targets(project: Path) -> dict[str, set[str]]:
    """target -> the workflow, action or hook files that call it."""
    workflows = {path.name: load_yaml(path) for path in workflow_files(project)}
    found: dict[str, set[str]] = {}

    def add(target: str, where: str) -> None:
        found.setdefault(target, set()).add(where)

    for name, workflow in workflows.items():
        for job in workflow.get("jobs", {}).values():
            for step in job.get("steps", []):
                env = step.get("env", {})

                def resolve(
                    variable: str, job: Any = job, env: Any = env, name: str = name
                ) -> list[str]:
                    assert variable in env, f"{name}: ${{{variable}}} is not set by the step's env"
                    return _resolve(str(env[variable]), job, name, workflows)

                for target in make_targets_in(step.get("run", "")):
                    for expanded in _expand(target, resolve):
                        add(expanded, name)
    for path in action_files(project):
        for step in load_yaml(path)["runs"]["steps"]:
            for target in make_targets_in(step.get("run", "")):
                add(target, str(path.relative_to(project)))
    hooks = load_yaml(project / ".pre-commit-config.yaml")
    for repository in hooks["repos"]:
        for hook in repository["hooks"]:
            if hook["language"] == "system":
                for target in make_targets_in(hook["entry"]):
                    add(target, ".pre-commit-config.yaml")
    return found


def makefile_rules(project: Path) -> dict[str, list[str]]:
    """target -> prerequisites, from the Makefile and the files it includes from deploy/."""
    rules: dict[str, list[str]] = {}
    for path in [project / "Makefile", *sorted((project / "deploy").glob("*.mk"))]:
        for line in path.read_text().splitlines():
            if line.startswith((".", "\t", "#")) or "=" in line.split(":", 1)[0]:
                continue
            if match := MAKE_RULE.match(line):
                for target in match["targets"].split():
                    rules[target] = match["prerequisites"].split()
    return rules


def with_prerequisites(targets: set[str], rules: Mapping[str, list[str]]) -> set[str]:
    """The targets plus everything `make` runs first for them."""
    done: set[str] = set()
    pending = list(targets)
    while pending:
        target = pending.pop()
        if target not in done:
            done.add(target)
            pending.extend(rules.get(target, []))
    return done


def make_targets_run_by_template_tests() -> set[str]:
    """Every make target that some template test runs as an argument list."""
    called: set[str] = set()
    for path in (TEMPLATE / "tests").glob("test_*.py"):
        for match in MAKE_CALL.finditer(path.read_text()):
            called |= {word for word in re.findall(r'"([\w-]+)"', match[1]) if "=" not in word}
    return called
