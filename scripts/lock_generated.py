"""Regenerate the uv.lock variants that baked projects start from (one per supported Python).

After changing the generated project's dependencies:  uv run python scripts/lock_generated.py
It bakes the project once per Python version (hooks off), locks it with uv starting from the
current lock (so nothing else moves), and stores the lock with the project's own name turned back
into a template variable.

To move every dependency to the newest version its constraint allows (what the weekly relock
workflow, .github/workflows/relock.yml, runs):  uv run python scripts/lock_generated.py --upgrade
`--upgrade-package NAME` moves only that package; `--python 3.12` relocks only that variant;
`--output-dir DIR` writes the locks there instead of into the template (a trial run), and
`--summary FILE` writes the version changes as Markdown (the relock pull request's body).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
CHOICES = TEMPLATE / "{{cookiecutter.project_slug}}" / "_choices"
SLUG = "lock-probe-service"
NAME_LINE = f'name = "{SLUG}"'
TEMPLATE_NAME_LINE = 'name = "{{ cookiecutter.project_slug }}"'


def python_versions() -> list[str]:
    """The Python versions cookiecutter.json offers, each with its own starting lock."""
    versions = json.loads((TEMPLATE / "cookiecutter.json").read_text())["python_version"]
    return [str(version) for version in versions]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="lock_generated.py",
        description="Regenerate the generated project's uv.lock variants (one per Python).",
    )
    moves = parser.add_mutually_exclusive_group()
    moves.add_argument(
        "--upgrade",
        action="store_true",
        help="move every dependency to the newest version allowed (uv lock --upgrade)",
    )
    moves.add_argument(
        "--upgrade-package",
        action="append",
        default=[],
        metavar="NAME",
        help="move only this package (repeatable; uv lock --upgrade-package)",
    )
    parser.add_argument(
        "--python",
        action="append",
        dest="pythons",
        metavar="VERSION",
        help="relock only this Python's variant (repeatable; default: every offered version)",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=CHOICES,
        metavar="DIR",
        help="write uv-<python>.lock here instead of into the template (a trial run)",
    )
    parser.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="write the version changes to FILE as Markdown",
    )
    args = parser.parse_args(argv)
    offered = python_versions()
    unknown = [python for python in args.pythons or [] if python not in offered]
    if unknown:
        parser.error(f"--python {unknown[0]} is not offered; cookiecutter.json offers {offered}")
    args.pythons = args.pythons or offered
    return args


def interpreter(version: str) -> str:
    """A path for uv's --python: pyenv's install of `version` where pyenv has one (uv's own
    discovery trips over pyenv shims), else the version for uv to find."""
    if shutil.which("pyenv"):
        found = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True)
        if found.returncode == 0:
            return str(Path(found.stdout.strip()) / "bin" / f"python{version}")
    return version


def uv_lock_command(python: str, upgrade: bool, packages: Sequence[str]) -> list[str]:
    command = ["uv", "lock", "--python", interpreter(python)]
    if upgrade:
        command.append("--upgrade")
    for package in packages:
        command += ["--upgrade-package", package]
    return command


def lock_env() -> dict[str, str]:
    """This environment without UV_LOCKED and UV_FROZEN, which would make `uv lock` check the lock
    instead of writing it (CI sets UV_LOCKED for the template's own commands)."""
    return {
        key: value for key, value in os.environ.items() if key not in {"UV_LOCKED", "UV_FROZEN"}
    }


def lock_for(python: str, workdir: Path, command: list[str]) -> str:
    project = cookiecutter(
        str(TEMPLATE),
        no_input=True,
        accept_hooks=False,
        output_dir=str(workdir),
        extra_context={"project_slug": SLUG, "python_version": python},
    )
    # Start from the current lock, so uv changes only what the dependency change needs.
    current = CHOICES / f"uv-{python}.lock"
    if current.exists():
        seed = current.read_text().replace(TEMPLATE_NAME_LINE, NAME_LINE)
        (Path(project) / "uv.lock").write_text(seed)
    subprocess.run(command, cwd=project, env=lock_env(), check=True)
    lock = (Path(project) / "uv.lock").read_text()
    if lock.count(NAME_LINE) != 1:
        raise SystemExit(f"expected the project's name exactly once in the {python} lock")
    return lock.replace(NAME_LINE, TEMPLATE_NAME_LINE)


def package_versions(lock: str) -> dict[str, str]:
    return {
        str(package["name"]): str(package.get("version", ""))
        for package in tomllib.loads(lock).get("package", [])
    }


def package_changes(old: str, new: str) -> list[str]:
    """`name old -> new` for each package whose version moved, was added or was removed."""
    before, after = package_versions(old), package_versions(new)
    return [
        f"{name} {before.get(name, '(new)')} -> {after.get(name, '(removed)')}"
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]


def summary(changes: dict[str, list[str]]) -> str:
    lines = []
    for python, moved in changes.items():
        lines.append(f"### Python {python}: {len(moved) or 'no'} change{'s' * (len(moved) != 1)}")
        lines += ["", *(f"- {change}" for change in moved), ""] if moved else [""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    changes: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for python in args.pythons:
            command = uv_lock_command(python, args.upgrade, args.upgrade_package)
            lock = lock_for(python, Path(tmp) / python, command)
            current = CHOICES / f"uv-{python}.lock"
            changes[python] = package_changes(current.read_text(), lock) if current.exists() else []
            (args.output_dir / f"uv-{python}.lock").write_text(lock)
            print(f"locked Python {python}: {len(changes[python])} package versions changed")
            for change in changes[python]:
                print(f"  {change}")
    if args.summary:
        args.summary.write_text(summary(changes))


if __name__ == "__main__":
    main(sys.argv[1:])
