"""Read the generated project's GitHub workflows, pre-commit hooks and Makefile for the tests.

Workflows may only call `make` targets; these helpers find every target they call (resolving
`make "test-${LAYER}"` through the step's env, the job's matrix and the callers of a reusable
workflow), the verified action pins the workflows must use, and the Makefile's rules.
"""

from __future__ import annotations

import re
import shlex
import sys
import tomllib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.baking import TEMPLATE, run

# The verified action pins every workflow must use (one TOML table per `owner/repo`).
PINS_FILE = TEMPLATE / ".github" / "actions-pins.toml"
FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
USES = re.compile(r"^(?P<action>[^@\s]+)@(?P<ref>\S+)(?:\s+#\s*(?P<comment>\S+))?$")
EXPRESSION = re.compile(r"^\$\{\{\s*(?P<context>matrix|inputs)\.(?P<key>[\w-]+)\s*\}\}$")
SHELL_VARIABLE = re.compile(r"\$\{(\w+)\}")
# make options whose value is the next word (a folder or a file, not a target).
OPTIONS_WITH_VALUE = {"-C", "--directory", "-f", "--file", "-I", "--include-dir"}
COMMAND_END = {"|", "||", "&&", ";", ">", ">>", "2>&1"}
REDIRECTION = (">", "<", "2>", "&>")
# A make command written as an argument list in a template test: ["make", "target", ...].
MAKE_CALL = re.compile(r'\[\s*"make",((?:\s*"[\w-]+",?)+)')
# A rule in the database make prints: `check: lint typecheck` (prerequisites expanded).
MAKE_RULE = re.compile(r"^(?P<target>[a-z][\w-]*):(?!=)(?P<prerequisites>.*)$")
# A variable the Makefile (or a file it includes) sets, in that database.
MAKE_VARIABLE = re.compile(r"^# makefile \(from .*\n(?P<name>\w+) :?= (?P<value>.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Pin:
    sha: str
    tag: str


def verified_pins(text: str) -> dict[str, Pin]:
    """`owner/repo` -> pin, from the text of .github/actions-pins.toml."""
    return {
        action: Pin(str(entry["sha"]), str(entry["tag"]))
        for action, entry in tomllib.loads(text).items()
    }


def pin_problems(
    references: Iterable[tuple[Path, str]], pins: Mapping[str, Pin], root: Path
) -> list[str]:
    """What to change so that every remote `uses:` names its pin in PINS_FILE, one message per
    action and written reference (with the files that hold it)."""
    found: dict[tuple[str, str, str | None], list[str]] = {}
    for path, reference in references:
        parsed = parse_uses(reference)
        if parsed is None:
            continue
        action, ref, comment = parsed
        pin = pins.get(action)
        if pin is None or (ref, comment) != (pin.sha, pin.tag):
            where = found.setdefault((action, ref, comment), [])
            where.append(str(path.relative_to(root)))
    pins_file = PINS_FILE.relative_to(TEMPLATE)
    problems = []
    for (action, ref, comment), files in sorted(found.items(), key=str):
        pin = pins.get(action)
        written = f"{action}@{ref}" + (f" # {comment}" if comment else "")
        check = f"git ls-remote https://github.com/{action} 'refs/tags/{comment}*'"
        entry = f'["{action}"]\n    tag = "{comment}"\n    sha = "{ref}"'
        if not FULL_SHA.match(ref) or not comment:
            fix = f"pin it by commit with its tag as comment: {action}@<sha> # <tag>"
            if pin:
                fix += f" ({pins_file} has {action}@{pin.sha} # {pin.tag})"
        elif pin is None:
            fix = (
                f"{action} has no entry in {pins_file}. Check that {comment} is commit {ref} "
                f"({check}) and add:\n    {entry}"
            )
        else:
            fix = (
                f"{pins_file} pins {action}@{pin.sha} # {pin.tag}. If this is a new release (a "
                f"Dependabot pull request, say), check that {comment} is commit {ref} ({check}), "
                f"change the entry in {pins_file} to\n    {entry}\n  and move every other use "
                f"of {action} to it; otherwise write `{action}@{pin.sha} # {pin.tag}` here"
            )
        problems.append(f"{', '.join(sorted(set(files)))}: uses {written}\n  {fix}")
    return problems


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
                if argument in COMMAND_END or argument.startswith(REDIRECTION):
                    break
                if argument.endswith(";"):  # `if make x; then`: x is the last target
                    yield argument.removesuffix(";")
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


def workflow_make_targets(
    project: Path, only: Collection[str] | None = None
) -> dict[str, set[str]]:
    """target -> the workflow, action or hook files that call it; with `only`, the workflows of
    those names alone (a reusable workflow's inputs then come from those callers only)."""
    workflows = {
        path.name: load_yaml(path)
        for path in workflow_files(project)
        if only is None or path.name in only
    }
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


def job_make_targets(project: Path, workflow: str, job_id: str) -> set[str]:
    """The make targets one job runs: its steps', or those of the reusable workflow it calls
    (whose inputs are resolved through every caller)."""
    workflows = {path.name: load_yaml(path) for path in workflow_files(project)}
    job = workflows[workflow]["jobs"][job_id]
    if "uses" in job:
        called = Path(job["uses"]).name
        return {
            target
            for called_job in workflows[called]["jobs"]
            for target in job_make_targets(project, called, called_job)
        }
    found: set[str] = set()
    for step in job.get("steps", []):
        resolve = _step_variables(step.get("env", {}), job, workflow, workflows)
        for target in make_targets_in(step.get("run", "")):
            found.update(_expand(target, resolve))
    return found


@dataclass(frozen=True)
class MakeTarget:
    prerequisites: list[str]  # as make reads them: variables expanded
    recipe: list[str]  # its lines as written, variables unexpanded


def _make_database(project: Path) -> str:
    """What make reads from the project's Makefile and the files it includes (deploy/*.mk),
    printed by make itself. `.DEFAULT` names no rule: make reads, prints and runs nothing."""
    result = run(
        ["make", "--print-data-base", "--question", "--no-builtin-rules", ".DEFAULT"],
        project,
        timeout=60,
    )
    assert "\n# Files\n" in result.stdout, f"make cannot read {project}/Makefile:\n{result.stderr}"
    return result.stdout


def makefile_targets(project: Path) -> dict[str, MakeTarget]:
    """target -> its prerequisites and recipe, as make reads them."""
    files = _make_database(project).split("\n# Files\n", 1)[1]
    targets: dict[str, MakeTarget] = {}
    for entry in files.split("\n\n"):
        lines = entry.strip("\n").splitlines()
        if not lines or lines[0] == "# Not a target:":
            continue
        head = next((line for line in lines if not line.startswith("#")), "")
        if match := MAKE_RULE.match(head):
            targets[match["target"]] = MakeTarget(
                [word for word in match["prerequisites"].split() if word != "|"],
                [line[1:] for line in lines if line.startswith("\t")],
            )
    return targets


def makefile_rules(project: Path) -> dict[str, list[str]]:
    """target -> prerequisites, from the Makefile and the files it includes from deploy/."""
    return {name: target.prerequisites for name, target in makefile_targets(project).items()}


def makefile_variables(project: Path) -> dict[str, str]:
    """name -> value of the variables the Makefile and its included files set (a `:=` value
    expanded, an `=` one as written)."""
    return {m["name"]: m["value"] for m in MAKE_VARIABLE.finditer(_make_database(project))}


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


def check_jsonschema(schema: str, files: Sequence[Path]) -> None:
    """check-jsonschema (offline) with one of its built-in schemas, such as vendor.dependabot."""
    assert files, f"no files to check against {schema}"
    tool = Path(sys.executable).parent / "check-jsonschema"
    run([tool, "--builtin-schema", schema, *files], TEMPLATE).ok()
