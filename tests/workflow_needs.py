"""What a workflow or composite action says it needs (its header's `Needs:` list), and what it
really references: make targets, files, secrets, variables and local actions or workflows.

A team may copy one workflow into a repository of its own; the header is all it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.baking import TEMPLATE, run
from tests.first_push import SIBLING, VARIABLE, header, needs_items
from tests.workflows import action_files, workflow_files, workflow_make_targets

# An item of the `Needs:` list starts with its kind.
KIND = re.compile(
    r"^(?P<kind>make targets|files|secrets|variables|environments|settings|permissions)\b:?"
)
# `test-{unit,property}` in a header stands for `test-unit test-property`.
BRACES = re.compile(r"\{(?P<options>[^{}]*)\}")
TARGET = re.compile(r"^[a-z][\w{},-]*$")
PARENTHESES = re.compile(r"\([^()]*\)")
# A path as headers write it: `.github/actions/setup`, `tools/report/`, `mutation-baseline.json`.
PATH = re.compile(r"(?<![\w/.<\\^-])\.?[\w-]+(?:\.[\w-]+)*(?:/[\w.-]+)*/?(?![\w<])")
SECRET = re.compile(r"\bsecrets\.([A-Za-z_]\w*)")
VAR = re.compile(r"\bvars\.([A-Za-z_]\w*)")
HASH_FILES = re.compile(r"hashFiles\(\s*'([^']+)'")
# GitHub gives every run this secret; nobody configures it.
BUILT_IN_SECRETS = {"GITHUB_TOKEN"}


@dataclass(frozen=True)
class Needs:
    targets: frozenset[str]
    files: frozenset[str]
    secrets: frozenset[str]
    variables: frozenset[str]
    text: str  # the whole `Needs:` list, for what only prose can say


def expand_braces(word: str) -> list[str]:
    match = BRACES.search(word)
    if not match:
        return [word]
    return [
        expanded
        for option in match["options"].split(",")
        for expanded in expand_braces(word[: match.start()] + option + word[match.end() :])
    ]


def _paths(text: str, project: Path | None) -> set[str]:
    """The words of `text` that look like a path; with `project`, only those naming one of its
    files or folders."""
    found = set()
    for match in PATH.finditer(text):
        word = match[0].rstrip("/.,;")
        path_like = "/" in word or "." in word
        if path_like and (project is None or (project / word).exists()):
            found.add(word)
    return found


def declared(path: Path, project: Path) -> Needs:
    """What the header of a workflow or action file says it needs."""
    targets: set[str] = set()
    files: set[str] = set()
    secrets: set[str] = set()
    variables: set[str] = set()
    items = needs_items(header(path))
    for item in items:
        kind = KIND.match(item)
        assert kind, f"{path.name}: a `Needs:` item must start with its kind: {item!r}"
        rest = item[kind.end() :]
        names = set(VARIABLE.findall(rest)) | {
            f"{m['stem']}_{m['suffix']}" for m in SIBLING.finditer(rest)
        }
        if kind["kind"] == "make targets":
            # `mutation (tests/layer_reports.py, ...)`: a target's own needs in parentheses.
            words = [word.rstrip(",;") for word in PARENTHESES.sub(" ", rest).split()]
            targets |= {t for w in words if TARGET.match(w) for t in expand_braces(w)}
            files |= _paths(rest, project)
        elif kind["kind"] == "files":
            files |= _paths(rest, None)  # also files a repository may lack, such as .cruft.json
        elif kind["kind"] == "secrets":
            secrets |= names
        elif kind["kind"] in ("variables", "environments"):
            variables |= names
    return Needs(frozenset(targets), frozenset(files), frozenset(secrets), frozenset(variables),
                 "\n".join(items))  # fmt: skip


@dataclass(frozen=True)
class References:
    targets: frozenset[str]
    local_uses: frozenset[str]  # `.github/actions/setup`, `.github/workflows/test-layer.yml`
    hashed_files: frozenset[str]
    secrets: frozenset[str]
    variables: frozenset[str]


def _local_uses(text: str) -> set[str]:
    return {
        match.removeprefix("./").rstrip("/")
        for match in re.findall(r"^\s*(?:- )?uses:\s*(\./\S+)", text, re.MULTILINE)
    }


def references(path: Path, project: Path) -> References:
    """What a workflow or action references itself and through the local actions and reusable
    workflows it uses (a copy must bring those along)."""
    reached: list[Path] = []
    pending = [path]
    local: set[str] = set()
    hashed: set[str] = set()
    secrets: set[str] = set()
    variables: set[str] = set()
    while pending:
        current = pending.pop()
        if current in reached:
            continue
        reached.append(current)
        body = "\n".join(
            line for line in current.read_text().splitlines() if not line.lstrip().startswith("#")
        )
        hashed |= set(HASH_FILES.findall(body))
        secrets |= set(SECRET.findall(body)) - BUILT_IN_SECRETS
        variables |= set(VAR.findall(body))
        for used in _local_uses(body):
            local.add(used)
            target = project / used
            pending.append(target if target.suffix == ".yml" else target / "action.yml")
    # Workflows by name, actions by path: how workflow_make_targets says where a target is run.
    callers = {
        p.name if p.parent.name == "workflows" else str(p.relative_to(project)) for p in reached
    }
    runs = workflow_make_targets(project, only={p.name for p in reached})
    targets = {target for target, where in runs.items() if where & callers}
    return References(frozenset(targets), frozenset(local), frozenset(hashed),
                      frozenset(secrets), frozenset(variables))  # fmt: skip


def checked_files(project: Path) -> Iterator[Path]:
    """The files a team may copy: every workflow and every composite action."""
    yield from workflow_files(project)
    yield from action_files(project)


# --- what a make target's recipe needs ----------------------------------------------------

MODULE = re.compile(r"\bpython -m ([\w.]+)")
# Folders whose content is the team's own code and tests, not something a copy brings along.
OWN_CODE = ("src", "tests")


def recipe_needs(project: Path, target: str) -> set[str]:
    """The project files a target's recipe names (programs it runs with `python -m`, files it
    passes), read from `make --dry-run` in the baked project."""
    result = run(["make", "--dry-run", "--always-make", "--no-print-directory", target], project)
    result.ok()
    found: set[str] = set()
    for module in MODULE.findall(result.stdout):
        as_path = module.replace(".", "/")
        for candidate in (as_path, f"{as_path}.py"):
            if (project / candidate).exists():
                found.add(candidate)
    # Files as the template ships them: what earlier runs left in a shared bake (.benchmarks/,
    # reports/) is output, not a need.
    shipped = _paths(result.stdout, TEMPLATE / "{{cookiecutter.project_slug}}")
    found |= {word for word in shipped if word.split("/")[0] not in OWN_CODE}
    # The copy asks for the targets, not for the Makefile; workflow lint reads the copy itself.
    return found - {"Makefile", ".github"}


def covered(need: str, files: Iterable[str]) -> bool:
    """A listed folder covers what is inside it."""
    return any(need == name or need.startswith(f"{name}/") for name in files)
