"""Bake the default and every value of every choice, and check each project is whole and clean."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping

import pytest

from tests.baking import answer_id, choices, parse_structured_files, run_in, text_files
from tests.conftest import Bake

CHOICE_QUESTIONS = ("python_version", "cloud", "license")
# The default, then one question changed at a time (the default value is already covered).
COMBINATIONS: list[dict[str, str]] = [{}] + [
    {question: value} for question in CHOICE_QUESTIONS for value in choices(question)[1:]
]
CASES = [
    pytest.param(answers, id=answer_id(answers), marks=pytest.mark.xdist_group(answer_id(answers)))
    for answers in COMBINATIONS
]

EXPECTED_FILES = (
    "README.md",
    "LICENSE",
    "Makefile",
    "Dockerfile",
    "compose.yaml",
    ".env.example",
    ".gitignore",
    ".dockerignore",
    ".python-version",
    "pyproject.toml",
    "uv.lock",
    "alembic.ini",
    "migrations/env.py",
    "src/shop_service/main.py",
    "src/shop_service/settings.py",
    "src/shop_service/db.py",
    "src/shop_service/auth.py",
    "src/shop_service/local_postgres.py",
    "tests/conftest.py",
    "tests/unit/test_auth.py",
    "tests/integration/test_migrations.py",
)
# `{{` not preceded by `$` (GitHub expressions are `${{ }}`), any `{%`, or a cookiecutter variable.
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|cookiecutter\.")
CLOUD_FOLDERS = {"aws": {"aws"}, "gcp": {"gcp"}, "both": {"aws", "gcp"}, "none": set()}
LICENSE_FIRST_LINES = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License",
    "BSD-3-Clause": "BSD 3-Clause License",
    "Proprietary": "All rights reserved.",
}


def _answer(answers: Mapping[str, str], question: str) -> str:
    return answers.get(question, choices(question)[0])


@pytest.mark.parametrize("answers", CASES)
def test_bakes_whole_with_no_template_leftovers(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers)
    for name in EXPECTED_FILES:
        assert (project / name).is_file(), f"{name} is missing"
    assert not (project / "_choices").exists()
    leftovers = [
        str(path.relative_to(project))
        for path in text_files(project)
        if JINJA_LEFTOVER.search(path.read_text(errors="replace"))
    ]
    assert leftovers == []


@pytest.mark.parametrize("answers", CASES)
def test_every_structured_file_parses(baked: Bake, answers: dict[str, str]) -> None:
    assert parse_structured_files(baked(answers)) >= 3


@pytest.mark.parametrize("answers", CASES)
def test_choices_shape_the_project(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers)
    python = _answer(answers, "python_version")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={python}"
    assert (project / ".python-version").read_text().strip() == python
    assert tomllib.loads((project / "uv.lock").read_text())["requires-python"] == f">={python}"

    stacks = {path.name for path in (project / "infra" / "terraform").iterdir()}
    assert stacks & {"aws", "gcp"} == CLOUD_FOLDERS[_answer(answers, "cloud")]

    license_text = (project / "LICENSE").read_text()
    assert LICENSE_FIRST_LINES[_answer(answers, "license")] in license_text.splitlines()[0]


@pytest.mark.parametrize("answers", CASES)
def test_lint_and_types_pass_with_the_projects_own_targets(
    baked: Bake, answers: dict[str, str]
) -> None:
    project = baked(answers)
    run_in(project, ["uv", "sync", "--locked"])
    run_in(project, ["make", "lint"])
    run_in(project, ["make", "typecheck"])
