"""Every answer that would produce a broken project is refused with one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.baking import TEMPLATE, choices
from tests.hooks import pre_gen

DEFAULTS = {
    "project_name": "Shop Service",
    "project_slug": "shop-service",
    "package_name": "shop_service",
    "description": "A shop.",
    "author_name": "Jane Doe",
    "author_email": "jane@example.com",
    "github_owner": "your-org",
    "python_version": "3.12",
    "cloud": "aws",
    "license": "MIT",
}

# (question, bad answer, words the one-line message must contain)
REJECTED = [
    ("project_name", "   ", "must not be empty"),
    ("project_name", 'Shop "Quoted"', "double quotes"),
    ("project_slug", "Shop-Service", "lowercase letters"),
    ("project_slug", "1-shop", "start with a letter"),
    ("project_slug", "shop--service", "single hyphens"),
    ("project_slug", "shop-", "single hyphens"),
    ("project_slug", "s" * 65, "at most 64"),
    ("package_name", "shop-service", "Python identifier"),
    ("package_name", "Shop", "Python identifier"),
    ("package_name", "class", "keyword"),
    ("package_name", "match", "keyword"),
    ("package_name", "json", "shadow"),
    ("package_name", "fastapi", "shadow"),
    ("description", "line\nbreak", "control characters"),
    ("description", "back\\slash", "backslashes"),
    ("author_name", "", "must not be empty"),
    ("author_email", "jane", "name@example.com"),
    ("author_email", "jane@localhost", "name@example.com"),
    ("author_email", "jane doe@example.com", "name@example.com"),
    ("github_owner", "-org", "no hyphen at either end"),
    ("github_owner", "my_org", "letters, digits and single hyphens"),
    ("github_owner", "a" * 40, "1-39 characters"),
    ("python_version", "3.9", "3.11, 3.12, 3.13"),
    ("cloud", "azure", "aws, gcp, both, none"),
    ("license", "GPL", "MIT, Apache-2.0"),
]


def test_the_defaults_are_valid() -> None:
    assert pre_gen.first_problem(DEFAULTS) is None


@pytest.mark.parametrize(
    ("question", "answer", "message"), REJECTED, ids=[f"{q}={a!r}" for q, a, _ in REJECTED]
)
def test_bad_answers_are_named_with_what_is_valid(question: str, answer: str, message: str) -> None:
    problem = pre_gen.first_problem({**DEFAULTS, question: answer})
    assert problem is not None
    assert problem.startswith(f"{question} {answer!r}")
    assert message in problem
    assert "\n" not in problem


def test_the_earliest_wrong_answer_is_reported() -> None:
    problem = pre_gen.first_problem({**DEFAULTS, "project_slug": "X", "author_email": "nope"})
    assert problem is not None
    assert problem.startswith("project_slug")


def test_a_missing_answer_is_reported() -> None:
    answers = {key: value for key, value in DEFAULTS.items() if key != "cloud"}
    assert pre_gen.first_problem(answers) == (
        "cloud is missing; answer it or pass cloud=... on the command line"
    )


@pytest.mark.parametrize(
    ("question", "supported"),
    [("python_version", "SUPPORTED_PYTHONS"), ("cloud", "CLOUDS"), ("license", "LICENSES")],
)
def test_the_hook_accepts_exactly_the_offered_choices(question: str, supported: str) -> None:
    assert sorted(getattr(pre_gen, supported)) == sorted(choices(question))


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("project_slug=Bad Slug", "error: project_slug 'Bad Slug' must be lowercase letters"),
        ("project_name=123 Shop", "error: project_slug '123-shop' must be lowercase letters"),
        ("author_email=nobody", "error: author_email 'nobody' must look like name@example.com."),
        ("package_name=import", "error: package_name 'import' is a Python keyword"),
    ],
)
def test_cookiecutter_stops_with_one_line_and_writes_nothing(
    tmp_path: Path, answer: str, message: str
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "-o",
            str(tmp_path),
            str(TEMPLATE),
            answer,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(message)
    assert list(tmp_path.iterdir()) == [], "a rejected answer must leave no directory behind"
