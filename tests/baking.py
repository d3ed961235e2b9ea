"""Bake projects from this template for the template's tests, and the one harness the tests use
on them: BakedProject (run, expect a failure, read, copy, commit) and run() for other folders."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import yaml
from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
QUESTIONS: dict[str, object] = json.loads((TEMPLATE / "cookiecutter.json").read_text())


def choices(question: str) -> list[str]:
    """The values a choice question offers, default first."""
    values = QUESTIONS[question]
    assert isinstance(values, list), f"{question} is not a choice question"
    return [str(value) for value in values]


# Each cloud answer, the default first as `{}`: tests that share bakes ask for the same answers.
CLOUD_ANSWERS: list[dict[str, str]] = [{}] + [{"cloud": cloud} for cloud in choices("cloud")[1:]]


# What tests commit with, in every repository they make (the identity of the machine's user, if
# any, stays out of the commits).
GIT_IDENTITY: dict[str, str] = {
    "GIT_AUTHOR_NAME": "Template Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.com",
    "GIT_COMMITTER_NAME": "Template Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.com",
}
# A command: its arguments, or one string that is split as a shell would (a documented command).
Command = str | Sequence[str | Path]


@dataclass(frozen=True)
class Ran:
    """A command that ran to its end: where, its exit code and what it printed."""

    command: tuple[str, ...]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def ok(self) -> Ran:
        """This run, which must have passed: else fail the test with its whole output."""
        assert self.returncode == 0, (
            f"`{shlex.join(self.command)}` failed in {self.cwd} (exit {self.returncode}):\n"
            f"{self.output}"
        )
        return self

    def failed(self) -> Ran:
        """This run, which must have failed: else fail the test with its whole output."""
        assert self.returncode != 0, (
            f"`{shlex.join(self.command)}` passed in {self.cwd}:\n{self.output}"
        )
        return self


def run(
    command: Command,
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
    stdin: str | None = None,
) -> Ran:
    """Run a command in any folder, its output captured; `env` replaces this process's
    environment (None inherits it). In a baked project use BakedProject, which isolates it."""
    arguments = tuple(
        shlex.split(command) if isinstance(command, str) else [str(part) for part in command]
    )
    result = subprocess.run(
        arguments,
        cwd=cwd,
        env=None if env is None else dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Ran(arguments, cwd, result.returncode, result.stdout, result.stderr)


@dataclass(frozen=True)
class BakedProject:
    """A baked project and what tests do with it: run commands in it (isolated from this
    repository's environment by project_env, with `env` on top), expect one to fail, read its
    files, copy it, and commit it with git."""

    path: Path
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def __truediv__(self, relative: str | Path) -> Path:
        return self.path / relative

    def read(self, relative: str | Path) -> str:
        return (self.path / relative).read_text()

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """What commands run with here: project_env, then this project's `env`, then `extra`."""
        return {**project_env(self.path), **self.env, **(extra or {})}

    def attempt(
        self, command: Command, *, timeout: float = 600, env: Mapping[str, str] | None = None
    ) -> Ran:
        """Run a command here, whatever its exit code."""
        return run(command, self.path, env=self.environment(env), timeout=timeout)

    def run(
        self, command: Command, *, timeout: float = 600, env: Mapping[str, str] | None = None
    ) -> str:
        """Run a command that must pass here; return its output (stdout, then stderr)."""
        return self.attempt(command, timeout=timeout, env=env).ok().output

    def fails(
        self, command: Command, *, timeout: float = 600, env: Mapping[str, str] | None = None
    ) -> str:
        """Run a command that must fail here; return its output (stdout, then stderr)."""
        return self.attempt(command, timeout=timeout, env=env).failed().output

    def git(self, *arguments: str) -> str:
        return self.run(["git", *arguments])

    def commit(self, message: str) -> str:
        """Commit every file (in a new repository on `main` if there is none); return the hash."""
        if not (self.path / ".git").exists():
            self.git("init", "--quiet", "--initial-branch=main")
        self.git("add", "--all")
        self.git("commit", "--quiet", "--message", message)
        return self.git("rev-parse", "HEAD").strip()

    def copy_to(self, folder: Path) -> BakedProject:
        """A copy in `folder`, without git's and the tools' files (.git, .venv, reports), for a
        test that changes files: shared bakes stay as baked."""
        copy = folder / self.name
        shutil.copytree(self.path, copy, ignore=shutil.ignore_patterns(".git", ".venv", "reports"))
        return replace(self, path=copy)


def bake(output_dir: Path, answers: Mapping[str, str] | None = None) -> BakedProject:
    """Generate a project into `output_dir` without prompting."""
    # Cookiecutter renders each hook into a temporary file it never deletes: keep those files
    # beside the bake, which pytest removes, instead of in the machine's temporary folder.
    scratch = output_dir / ".cookiecutter-hooks"
    scratch.mkdir(parents=True, exist_ok=True)
    machine_tempdir, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try:
        project = cookiecutter(
            str(TEMPLATE),
            no_input=True,
            extra_context=dict(answers or {}),
            output_dir=str(output_dir),
        )
    finally:
        tempfile.tempdir = machine_tempdir
    return BakedProject(Path(project))


def answer_id(answers: Mapping[str, str]) -> str:
    """A readable pytest id such as `cloud=aws-python_version=3.13`."""
    return "-".join(f"{key}={value}" for key, value in answers.items()) or "default"


@cache
def python_for(version: str) -> str | None:
    """An interpreter path for uv where pyenv has `version` (uv's discovery trips over pyenv's
    shims); None lets uv find or download one itself."""
    if shutil.which("pyenv") is None:
        return None
    found = run(["pyenv", "prefix", version], Path.cwd())
    if found.returncode:
        return None
    return str(Path(found.stdout.strip()) / "bin" / f"python{version}")


def project_env(project: Path) -> dict[str, str]:
    """Environment for commands run inside a baked project, isolated from this repository's."""
    # Drop this repository's virtualenv and interpreter choice, any database, and the variables
    # of the pytest run we are in (an inherited PYTEST_XDIST_WORKER, say, makes pytest-benchmark
    # in the baked project believe it runs under xdist and switch itself off); commit as the
    # tests' own git identity.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "UV_PYTHON", "DATABASE_URL"} and not key.startswith("PYTEST_")
    }
    env.update(GIT_IDENTITY)
    pinned = project / ".python-version"
    python = python_for(pinned.read_text().strip()) if pinned.is_file() else None
    if python:
        env["UV_PYTHON"] = python
    return env


def template_files() -> list[str]:
    """What a clone of this repository holds: tracked files plus new ones git does not ignore
    (no installed copies, caches or node_modules), relative to TEMPLATE."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], TEMPLATE)
    return [name for name in listed.ok().stdout.split("\0") if name and (TEMPLATE / name).is_file()]


def vulnerability_feed_reachable(project: BakedProject) -> bool:
    """pip-audit asks PyPI for each locked version's vulnerabilities; some networks block that."""
    version = re.search(r'name = "pip-audit"\nversion = "([^"]+)"', project.read("uv.lock"))
    assert version
    url = f"https://pypi.org/pypi/pip-audit/{version[1]}/json"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, TimeoutError):
        return False


def text_files(project: Path) -> list[Path]:
    """The project's files, without what its tools write (virtualenv, caches, reports)."""
    skipped = {".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "reports", "node_modules"}
    return [
        path
        for path in project.rglob("*")
        if path.is_file() and not skipped & set(path.relative_to(project).parts)
    ]


STRUCTURED: dict[str, Callable[[str], object]] = {
    ".toml": tomllib.loads,
    ".lock": tomllib.loads,  # uv.lock
    ".json": json.loads,
    ".yaml": lambda text: list(yaml.safe_load_all(text)),
    ".yml": lambda text: list(yaml.safe_load_all(text)),
}


def parse_structured_files(project: Path) -> int:
    """Parse every TOML, JSON and YAML file of a baked project; return how many there were."""
    parsed = 0
    for path in text_files(project):
        if path.suffix in STRUCTURED:
            STRUCTURED[path.suffix](path.read_text())
            parsed += 1
    return parsed
