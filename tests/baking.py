"""Bake projects from this template for the template's tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
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


def bake(output_dir: Path, answers: Mapping[str, str] | None = None) -> Path:
    """Generate a project into `output_dir` without prompting; return the project folder."""
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
    return Path(project)


def answer_id(answers: Mapping[str, str]) -> str:
    """A readable pytest id such as `cloud=aws-python_version=3.13`."""
    return "-".join(f"{key}={value}" for key, value in answers.items()) or "default"


def python_for(version: str) -> str | None:
    """An interpreter path for uv where pyenv has `version` (uv's discovery trips over pyenv's
    shims); None lets uv find or download one itself."""
    if shutil.which("pyenv") is None:
        return None
    found = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True)
    if found.returncode:
        return None
    return str(Path(found.stdout.strip()) / "bin" / f"python{version}")


def project_env(project: Path) -> dict[str, str]:
    """Environment for commands run inside a baked project, isolated from this repository's."""
    # Drop this repository's virtualenv and interpreter choice, any database, and the variables
    # of the pytest run we are in (an inherited PYTEST_XDIST_WORKER, say, makes pytest-benchmark
    # in the baked project believe it runs under xdist and switch itself off).
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "UV_PYTHON", "DATABASE_URL"} and not key.startswith("PYTEST_")
    }
    pinned = project / ".python-version"
    python = python_for(pinned.read_text().strip()) if pinned.is_file() else None
    if python:
        env["UV_PYTHON"] = python
    return env


def _run(
    project: Path, command: Sequence[str], timeout: float, env: Mapping[str, str] | None
) -> tuple[int, str]:
    result = subprocess.run(
        list(command),
        cwd=project,
        env={**project_env(project), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def run_in(
    project: Path,
    command: Sequence[str],
    timeout: float = 600,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run a command in a baked project (`env` on top of project_env); fail with its whole
    output when it fails."""
    code, output = _run(project, command, timeout, env)
    assert code == 0, f"`{' '.join(command)}` failed in {project}:\n{output}"
    return output


def fails_in(
    project: Path,
    command: Sequence[str],
    timeout: float = 600,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run a command that must fail in a baked project; return its output."""
    code, output = _run(project, command, timeout, env)
    assert code != 0, f"`{' '.join(command)}` passed in {project}:\n{output}"
    return output


def vulnerability_feed_reachable(project: Path) -> bool:
    """pip-audit asks PyPI for each locked version's vulnerabilities; some networks block that."""
    version = re.search(
        r'name = "pip-audit"\nversion = "([^"]+)"', (project / "uv.lock").read_text()
    )
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
