"""Shape the generated project to the answers, from one declarative table.

Every optional or alternative path of the project is a row of PARTS: the answer that decides it and
the values that keep it. A kept row with `becomes` is moved into place (one of several variants);
every other row is deleted, and so is each folder that Dependabot's configuration lists inside a
deleted row (one `dependabot.yml` serves every answer). Nothing here touches the network or runs
`git init`: the project is plain files until its owner decides how to put it under version control.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# Variants that only one answer keeps wait here; the hook empties and removes this folder.
CHOICES_DIR = "_choices"
# Its `directories:` lists name folders of the project, some of them inside optional parts.
DEPENDABOT = ".github/dependabot.yml"
DIRECTORY_ITEM = re.compile(r"^\s*- /(?P<path>[^\s#]*)\s*(?:#.*)?$")


@dataclass(frozen=True)
class Part:
    """A path of the generated project that only some answers keep."""

    path: str
    question: str
    keep_for: frozenset[str]
    becomes: str | None = None

    def kept_by(self, answers: Mapping[str, object]) -> bool:
        return answers[self.question] in self.keep_for


def _part(path: str, question: str, *keep_for: str, becomes: str | None = None) -> Part:
    return Part(path, question, frozenset(keep_for), becomes)


PARTS: tuple[Part, ...] = (
    _part("infra/terraform/aws", "cloud", "aws", "both"),
    _part("infra/terraform/gcp", "cloud", "gcp", "both"),
    # The GitHub stack keeps its state beside the cloud's (S3 for aws and both, GCS for gcp).
    _part("infra/terraform/github/backend_s3.tf", "cloud", "aws", "both"),
    _part("infra/terraform/github/envs/repository.s3.tfbackend", "cloud", "aws", "both"),
    _part("infra/terraform/github/backend_gcs.tf", "cloud", "gcp"),
    _part("infra/terraform/github/envs/repository.gcs.tfbackend", "cloud", "gcp"),
    # The image build both clouds' deploy workflows call.
    _part(".github/workflows/deploy-build.yml", "cloud", "aws", "gcp", "both"),
    _part(".github/workflows/deploy-aws.yml", "cloud", "aws", "both"),
    _part(".github/workflows/deploy-aws-environment.yml", "cloud", "aws", "both"),
    _part("deploy/aws.mk", "cloud", "aws", "both"),
    _part(".github/workflows/deploy-gcp.yml", "cloud", "gcp", "both"),
    _part(".github/workflows/deploy-gcp-environment.yml", "cloud", "gcp", "both"),
    _part("deploy/gcp.mk", "cloud", "gcp", "both"),
    _part("docs/ci_cd/workflows/deploy-build.md", "cloud", "aws", "gcp", "both"),
    _part("docs/deploy-aws.md", "cloud", "aws", "both"),
    _part("docs/ci_cd/workflows/deploy-aws.md", "cloud", "aws", "both"),
    _part("docs/ci_cd/workflows/deploy-aws-environment.md", "cloud", "aws", "both"),
    _part("docs/deploy-gcp.md", "cloud", "gcp", "both"),
    _part("docs/ci_cd/workflows/deploy-gcp.md", "cloud", "gcp", "both"),
    _part("docs/ci_cd/workflows/deploy-gcp-environment.md", "cloud", "gcp", "both"),
    _part(f"{CHOICES_DIR}/licenses/MIT", "license", "MIT", becomes="LICENSE"),
    _part(f"{CHOICES_DIR}/licenses/Apache-2.0", "license", "Apache-2.0", becomes="LICENSE"),
    _part(f"{CHOICES_DIR}/licenses/BSD-3-Clause", "license", "BSD-3-Clause", becomes="LICENSE"),
    _part(f"{CHOICES_DIR}/licenses/Proprietary", "license", "Proprietary", becomes="LICENSE"),
    _part(f"{CHOICES_DIR}/uv-3.11.lock", "python_version", "3.11", becomes="uv.lock"),
    _part(f"{CHOICES_DIR}/uv-3.12.lock", "python_version", "3.12", becomes="uv.lock"),
    _part(f"{CHOICES_DIR}/uv-3.13.lock", "python_version", "3.13", becomes="uv.lock"),
)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def _prune_empty_parents(root: Path, paths: Iterable[Path]) -> None:
    """Remove folders that the table emptied, up to (not including) the project root."""
    for path in paths:
        for parent in path.parents:
            if parent == root or not parent.is_relative_to(root):
                break
            if parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()


def drop_deleted_directories(root: Path, deleted: Iterable[str]) -> None:
    """Remove the `- /folder` items of the Dependabot configuration that lie in a deleted part."""
    config = root / DEPENDABOT
    if not config.is_file():
        return
    prefixes = tuple(f"{path}/" for path in deleted)

    def gone(line: str) -> bool:
        item = DIRECTORY_ITEM.match(line)
        return item is not None and f"{item['path'].rstrip('/')}/".startswith(prefixes)

    lines = config.read_text().splitlines(keepends=True)
    config.write_text("".join(line for line in lines if not gone(line)))


def apply_parts(root: Path, answers: Mapping[str, object], parts: Iterable[Part] = PARTS) -> None:
    """Keep, move or delete every part under `root` according to `answers`."""
    touched: list[Path] = []
    deleted: list[str] = []
    for part in parts:
        path = root / part.path
        if not path.exists():
            raise FileNotFoundError(
                f"the removal table names {part.path}, which the template lacks"
            )
        touched.append(path)
        if not part.kept_by(answers):
            _remove(path)
            deleted.append(part.path)
        elif part.becomes is not None:
            path.replace(root / part.becomes)
    _prune_empty_parents(root, touched)
    drop_deleted_directories(root, deleted)


def next_steps(project: Path) -> str:
    """What to tell the user once the project is written: where it is and what to run."""
    return (
        f"Created {project.name} in {project}\n"
        f"Next: cd {shlex.quote(str(project))}\n"
        "  make dev    serve the API against a throwaway PostgreSQL\n"
        "  make test   run the tests"
    )


def main(rendered_answers: str) -> int:
    project = Path.cwd()
    apply_parts(project, json.loads(rendered_answers))
    print(next_steps(project))
    return 0


# JSON never holds three unescaped quotes in a row, so it cannot end this raw string early.
RENDERED_ANSWERS = r"""{{ cookiecutter | tojson }}"""

if __name__ == "__main__":
    sys.exit(main(RENDERED_ANSWERS))
