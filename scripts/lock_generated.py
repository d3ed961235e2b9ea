"""Regenerate the uv.lock variants that baked projects start from (one per supported Python).

Run after changing the generated project's dependencies:  uv run python scripts/lock_generated.py
It bakes the project once per Python version (hooks off), locks it with uv starting from the
current lock (so nothing else moves), and stores the lock with the project's own name turned back
into a template variable.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parent.parent
CHOICES = TEMPLATE / "{{cookiecutter.project_slug}}" / "_choices"
SLUG = "lock-probe-service"
NAME_LINE = f'name = "{SLUG}"'


def interpreter(version: str) -> str:
    """A path for uv's --python: pyenv's install of `version` where pyenv has one (uv's own
    discovery trips over pyenv shims), else the version for uv to find."""
    if shutil.which("pyenv"):
        found = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True)
        if found.returncode == 0:
            return str(Path(found.stdout.strip()) / "bin" / f"python{version}")
    return version


def lock_for(python: str, workdir: Path) -> str:
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
        seed = current.read_text().replace('name = "{{ cookiecutter.project_slug }}"', NAME_LINE)
        (Path(project) / "uv.lock").write_text(seed)
    subprocess.run(["uv", "lock", "--python", interpreter(python)], cwd=project, check=True)
    lock = (Path(project) / "uv.lock").read_text()
    if lock.count(NAME_LINE) != 1:
        raise SystemExit(f"expected the project's name exactly once in the {python} lock")
    return lock.replace(NAME_LINE, 'name = "{{ cookiecutter.project_slug }}"')


def main() -> None:
    versions = json.loads((TEMPLATE / "cookiecutter.json").read_text())["python_version"]
    with tempfile.TemporaryDirectory() as tmp:
        for python in versions:
            (CHOICES / f"uv-{python}.lock").write_text(lock_for(python, Path(tmp) / python))
            print(f"locked Python {python}")


if __name__ == "__main__":
    main()
