"""Check the answers before cookiecutter writes the project.

Cookiecutter renders this file with Jinja, runs it from the new project directory and deletes that
directory when the script exits non-zero, so a bad answer leaves nothing behind. The checks are
plain functions: the template's tests import this file unrendered and call them directly.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
from collections.abc import Callable, Mapping

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")
CLOUDS = ("aws", "gcp", "both", "none")
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "Proprietary")

# Import names the generated project depends on: a package with one of these names would shadow it.
DEPENDENCY_IMPORTS = frozenset(
    {
        "alembic",
        "asyncpg",
        "fastapi",
        "httpx",
        "jwt",
        "pydantic",
        "pydantic_settings",
        "pytest",
        "sqlalchemy",
        "starlette",
        "uvicorn",
    }
)

SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PACKAGE = re.compile(r"[a-z][a-z0-9_]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# GitHub: 1-39 alphanumerics or single hyphens, not at either end.
GITHUB_OWNER = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")
# Free text lands in TOML, YAML and Python strings: keep out what would end or escape them.
UNSAFE_TEXT = re.compile(r'["\\\x00-\x1f\x7f]')

Check = Callable[[str], "str | None"]


def _free_text(value: str) -> str | None:
    if not value.strip():
        return "must not be empty"
    if UNSAFE_TEXT.search(value):
        return "must not contain double quotes, backslashes or control characters"
    return None


def _slug(value: str) -> str | None:
    if len(value) > 64 or not SLUG.fullmatch(value):
        return (
            "must be lowercase letters, digits and single hyphens, start with a letter and be at "
            "most 64 characters, e.g. 'shop-service' (it defaults to the project name, lowercased)"
        )
    return None


def _package(value: str) -> str | None:
    if not PACKAGE.fullmatch(value) or not value.isidentifier():
        return "must be a lowercase Python identifier (letters, digits, _), e.g. 'shop_service'"
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return "is a Python keyword; pick another name, e.g. 'shop_service'"
    if value in sys.stdlib_module_names or value in DEPENDENCY_IMPORTS:
        return "would shadow a module the project imports; pick another name, e.g. 'shop_service'"
    return None


def _email(value: str) -> str | None:
    if not EMAIL.fullmatch(value):
        return "must look like name@example.com"
    return None


def _github_owner(value: str) -> str | None:
    if not GITHUB_OWNER.fullmatch(value):
        return (
            "must be a GitHub user or organization name: letters, digits and single hyphens, "
            "1-39 characters, no hyphen at either end, e.g. 'your-org'"
        )
    return None


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: str) -> str | None:
        return None if value in choices else "must be one of " + ", ".join(choices)

    return check


# In question order, so the first complaint is about the earliest wrong answer.
CHECKS: dict[str, Check] = {
    "project_name": _free_text,
    "project_slug": _slug,
    "package_name": _package,
    "description": _free_text,
    "author_name": _free_text,
    "author_email": _email,
    "github_owner": _github_owner,
    "python_version": _one_of(SUPPORTED_PYTHONS),
    "cloud": _one_of(CLOUDS),
    "license": _one_of(LICENSES),
}


def first_problem(answers: Mapping[str, object]) -> str | None:
    """Return one line naming the first wrong answer and what a valid one looks like."""
    for question, check in CHECKS.items():
        value = answers.get(question)
        if not isinstance(value, str):
            return f"{question} is missing; answer it or pass {question}=... on the command line"
        problem = check(value)
        if problem:
            return f"{question} {value!r} {problem}."
    return None


def main(rendered_answers: str) -> int:
    problem = first_problem(json.loads(rendered_answers))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


# JSON never holds three unescaped quotes in a row, so it cannot end this raw string early.
RENDERED_ANSWERS = r"""{{ cookiecutter | tojson }}"""

if __name__ == "__main__":
    sys.exit(main(RENDERED_ANSWERS))
