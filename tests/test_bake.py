"""Bake the default, every value of every choice and the edges of the free answers, and check each
project is whole and clean."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping

import pytest

from local_extensions import markdown, quoted
from tests.baking import answer_id, choices, parse_structured_files, text_files
from tests.conftest import Bake
from tests.hooks import CLOUD_STACKS, cloud_stacks, pre_gen
from tests.typography import APOSTROPHE, TYPESET_NAME, TYPESET_SENTENCE

CHOICE_QUESTIONS = ("python_version", "cloud", "license")
# The default, then one question changed at a time (the default value is already covered).
COMBINATIONS: list[dict[str, str]] = [{}] + [
    {question: value} for question in CHOICE_QUESTIONS for value in choices(question)[1:]
]
# Free-text answers at the edges of what is accepted: the longest names (the package sorting after
# every first-party name), typeset text at its limits, a package sorting before them.
EDGES: dict[str, dict[str, str]] = {
    "longest-names": {
        "project_slug": "s" + "l" * (pre_gen.SLUG_LIMIT.longest_answer - 2) + "g",
        "package_name": "z" * pre_gen.PACKAGE_LIMIT.longest_answer,
        "cloud": "both",
    },
    "typeset-text": {
        "project_name": TYPESET_NAME,
        "description": (TYPESET_SENTENCE + " ") * 10,
        "author_name": f'O{APOSTROPHE}Brien & Søn "Q" \\ {{{{ x }}}}',
    },
    "package-sorts-first": {"project_name": "Aardvark Ops"},
}
for edge in EDGES.values():
    for question, longest in pre_gen.TEXT_MAX_LENGTH.items():
        if question in edge:
            edge[question] = edge[question][:longest].strip()
CASES = [
    pytest.param(answers, id=answer_id(answers), marks=pytest.mark.xdist_group(answer_id(answers)))
    for answers in COMBINATIONS
] + [
    pytest.param(answers, id=name, marks=pytest.mark.xdist_group(name))
    for name, answers in EDGES.items()
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
    "src/{package}/main.py",
    "src/{package}/settings.py",
    "src/{package}/db.py",
    "src/{package}/auth.py",
    "tools/local_postgres.py",
    "tests/conftest.py",
    "tests/unit/test_auth.py",
    "tests/integration/test_migrations.py",
)
# `{{` not preceded by `$` (GitHub expressions are `${{ }}`), any `{%`, or a cookiecutter variable.
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|cookiecutter\.")
LICENSE_FIRST_LINES = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License",
    "BSD-3-Clause": "BSD 3-Clause License",
    "Proprietary": "All rights reserved.",
}


def _without_answers(text: str, answers: Mapping[str, str]) -> str:
    """`text` without the answers, as written in any format: an answer may look like Jinja."""
    for answer in answers.values():
        for written in (answer, quoted(answer)[1:-1], markdown(answer)):
            text = text.replace(written, "")
    return text


def _answer(answers: Mapping[str, str], question: str) -> str:
    return answers.get(question, choices(question)[0])


@pytest.mark.parametrize("answers", CASES)
def test_bakes_whole_with_no_template_leftovers(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers).path
    (package,) = (path.name for path in (project / "src").iterdir())
    for name in EXPECTED_FILES:
        assert (project / name.format(package=package)).is_file(), f"{name} is missing"
    assert not (project / "_choices").exists()
    leftovers = [
        str(path.relative_to(project))
        for path in text_files(project)
        if JINJA_LEFTOVER.search(_without_answers(path.read_text(errors="replace"), answers))
    ]
    assert leftovers == []


@pytest.mark.parametrize("answers", CASES)
def test_every_structured_file_parses(baked: Bake, answers: dict[str, str]) -> None:
    assert parse_structured_files(baked(answers).path) >= 3


@pytest.mark.parametrize("answers", CASES)
def test_choices_shape_the_project(baked: Bake, answers: dict[str, str]) -> None:
    project = baked(answers).path
    python = _answer(answers, "python_version")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={python}"
    assert (project / ".python-version").read_text().strip() == python
    assert tomllib.loads((project / "uv.lock").read_text())["requires-python"] == f">={python}"

    stacks = {path.name for path in (project / "infra" / "terraform").iterdir()}
    assert stacks & set(CLOUD_STACKS) == set(cloud_stacks(_answer(answers, "cloud")))

    license_text = (project / "LICENSE").read_text()
    assert LICENSE_FIRST_LINES[_answer(answers, "license")] in license_text.splitlines()[0]


@pytest.mark.parametrize("answers", CASES)
def test_lint_and_types_pass_with_the_projects_own_targets(
    baked: Bake, answers: dict[str, str]
) -> None:
    project = baked(answers)
    project.run(["uv", "sync", "--locked"])
    project.run(["make", "lint"])
    project.run(["make", "typecheck"])
